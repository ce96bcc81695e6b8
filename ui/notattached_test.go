package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// press sends keys through Update, as the program would.
func press(m Model, keys ...tea.KeyType) Model {
	for _, k := range keys {
		next, _ := m.Update(tea.KeyMsg{Type: k})
		m = next.(Model)
	}
	return m
}

// withFailedScans is a loaded 80x24 counter whose "Not attached" list holds
// n refused scans, ADTMM0000900 the oldest.
func withFailedScans(n int) Model {
	m := loadedModel(PinNever, time.Now)
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	for i := range n {
		m.addFailed(failedScan{barcode: fmt.Sprintf("ADTMM0000%03d", 900+i), vtype: api.VoucherTicket, reason: "it has been used up"})
	}
	return m
}

// The list uses the lines the voucher list leaves empty, and says how
// many scans it does not show.
func TestNotAttachedUsesTheRoomItHas(t *testing.T) {
	view := withFailedScans(5).View()
	for i := range 5 {
		if masked := api.MaskBarcode(fmt.Sprintf("ADTMM0000%03d", 900+i)); !strings.Contains(view, masked) {
			t.Errorf("%s is not on screen, with lines to spare:\n%s", masked, view)
		}
	}
	view = withFailedScans(30).View()
	if !strings.Contains(view, "Not attached (30, ") || !strings.Contains(view, " not shown) · ctrl+r: newest · ↓ past the vouchers") {
		t.Fatalf("the list does not say what it does not show:\n%s", view)
	}
}

// ↓ past the last voucher moves into the list, ↓ scrolls it to scans not
// shown, and ctrl+r retries the one selected; ↑ from its top goes back,
// and ctrl+r then takes the newest again.
func TestCtrlRRetriesTheSelectedScan(t *testing.T) {
	m := withFailedScans(30)
	oldest := api.MaskBarcode("ADTMM0000900")
	if strings.Contains(m.View(), oldest) {
		t.Fatalf("the oldest of 30 is shown without scrolling:\n%s", m.View())
	}
	keys := []tea.KeyType{tea.KeyDown} // into the list, on the newest
	for range 29 {
		keys = append(keys, tea.KeyDown)
	}
	m = press(m, keys...)
	view := m.View()
	if !strings.Contains(view, "> ✗ "+oldest) || !strings.Contains(view, "ctrl+r retry it") {
		t.Fatalf("↓ did not reach the oldest scan:\n%s", view)
	}
	m = press(m, tea.KeyCtrlR)
	if view := m.View(); !strings.Contains(view, "Barcode [ADTMM0000900") || !strings.Contains(view, "Retrying "+oldest) {
		t.Fatalf("ctrl+r did not retry the selected scan:\n%s", view)
	}

	m = press(withFailedScans(3), tea.KeyDown, tea.KeyDown, tea.KeyUp, tea.KeyUp, tea.KeyCtrlR)
	if view := m.View(); !strings.Contains(view, "Barcode [ADTMM0000902") {
		t.Fatalf("after ↑ back to the vouchers, ctrl+r did not take the newest:\n%s", view)
	}
}

// F8 never removes a voucher while the selection is in the list.
func TestF8WithTheSelectionInNotAttached(t *testing.T) {
	m := press(withFailedScans(2), tea.KeyDown, tea.KeyF8)
	if view := m.View(); !strings.Contains(view, "to the vouchers first.") {
		t.Fatalf("F8 in the Not attached list:\n%s", view)
	}
}
