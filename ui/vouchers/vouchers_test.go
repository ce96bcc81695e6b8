package vouchers

import (
	"fmt"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func newList(t testing.TB) *List {
	t.Helper()
	return New(commontest.New().Ctx, "None yet. Scan a voucher below.")
}

// row is voucher i of the demo's kind.
func row(i int) Row {
	return Row{ID: fmt.Sprintf("v%02d", i), Masked: fmt.Sprintf("AD......%04d", i), Type: api.VoucherTicket,
		Description: "Adult Movie Money", Left: "2 left"}
}

func rows(n int) []Row {
	out := make([]Row, n)
	for i := range out {
		out[i] = row(i)
	}
	return out
}

func selectedID(t *testing.T, l *List) string {
	t.Helper()
	r, ok := l.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return r.ID
}

// marked is the rows drawn with the selection's marker.
func marked(l *List) []string {
	var out []string
	for _, line := range strings.Split(l.View(), "\n") {
		if strings.HasPrefix(line, "> ") {
			out = append(out, line)
		}
	}
	return out
}

func press(l *List, k tea.KeyType) tea.Cmd { return l.Update(tea.KeyMsg{Type: k}) }

// The selected row is marked while the list has the arrows, and only then.
func TestMarkerOnlyWhenActive(t *testing.T) {
	l := newList(t)
	l.SetRows(rows(3), false)
	if got := marked(l); len(got) != 1 || !strings.HasPrefix(got[0], "> AD......0002") {
		t.Fatalf("marked: %q\n%s", got, l.View())
	}
	l.SetActive(false)
	if got := marked(l); len(got) != 0 {
		t.Fatalf("an inactive list marks %q", got)
	}
	l.Select("v00")
	if got := marked(l); len(got) != 1 || !strings.HasPrefix(got[0], "> AD......0000") {
		t.Fatalf("Select did not mark its voucher: %q", got)
	}
}

// SetRows keeps the selection on its voucher wherever it moves; a voucher
// new to the list is selected, as it was just scanned.
func TestSetRowsKeepsTheSelection(t *testing.T) {
	l := newList(t)
	l.SetRows(rows(4), false)
	if selectedID(t, l) != "v03" {
		t.Fatalf("the first rows select %s, want the newest", selectedID(t, l))
	}
	press(l, tea.KeyUp)
	press(l, tea.KeyUp)
	if selectedID(t, l) != "v01" {
		t.Fatalf("↑↑ selects %s", selectedID(t, l))
	}
	// v00 leaves and v01 changes: the selection stays on v01.
	next := rows(4)[1:]
	next[0].Left = "1 left, pays 1"
	l.SetRows(next, false)
	if got := marked(l); selectedID(t, l) != "v01" || len(got) != 1 || !strings.HasPrefix(got[0], "> AD......0001") || !strings.HasSuffix(got[0], "1 left, pays 1") {
		t.Fatalf("after the rows changed %s is selected:\n%s", selectedID(t, l), l.View())
	}
	l.SetRows(append(next, row(7)), false)
	if selectedID(t, l) != "v07" {
		t.Fatalf("a voucher new to the list is not selected: %s", selectedID(t, l))
	}
	// The selected one leaves: the newest is selected.
	l.SetRows(rows(3)[1:], false)
	if selectedID(t, l) != "v02" {
		t.Fatalf("after the selected left, %s", selectedID(t, l))
	}
}

// Append adds and selects a voucher just scanned.
func TestAppendSelects(t *testing.T) {
	l := newList(t)
	l.SetRows(rows(2), false)
	press(l, tea.KeyUp)
	l.Append(row(9))
	if l.Len() != 3 || selectedID(t, l) != "v09" || !strings.Contains(l.View(), "> AD......0009") {
		t.Fatalf("after Append:\n%s", l.View())
	}
}

// ↓ past the last voucher leaves for the list below; F8 asks to remove the
// selected voucher.
func TestKeys(t *testing.T) {
	l := newList(t)
	if cmd := press(l, tea.KeyF8); cmd != nil || l.ShortHelp() != nil {
		t.Fatal("F8 on an empty list asks for something")
	}
	l.SetRows(rows(3), false)
	if _, ok := commontest.Find[LeaveMsg](press(l, tea.KeyDown)); !ok {
		t.Fatal("↓ on the last voucher does not leave")
	}
	press(l, tea.KeyUp)
	if cmd := press(l, tea.KeyDown); cmd != nil || selectedID(t, l) != "v02" {
		t.Fatalf("↓ above the last: %s", selectedID(t, l))
	}
	press(l, tea.KeyUp)
	msg, ok := commontest.Find[RemoveMsg](press(l, tea.KeyF8))
	if !ok || msg.ID != "v01" {
		t.Fatalf("F8 asks to remove %+v", msg)
	}
	if len(l.ShortHelp()) != 1 || l.ShortHelp()[0].Keys()[0] != "f8" {
		t.Fatal("F8 is not offered")
	}
	// Typed text (a scanner's, going to the form) moves nothing here.
	view := l.View()
	for _, r := range "jkhlgGq/ 1" {
		if l.Update(commontest.Runes(string(r))) != nil || l.View() != view {
			t.Fatalf("typing %q acted on the list", r)
		}
	}
}

// When not all rows fit, the title says which are shown; moving within
// the rows shown keeps them.
func TestShowingWhenNotAllFit(t *testing.T) {
	l := newList(t)
	l.SetRows(rows(30), false)
	l.SetSize(78, 12)
	if l.Want() != 32 {
		t.Fatalf("Want %d", l.Want())
	}
	view := l.View()
	lines := strings.Split(view, "\n")
	if lines[0] != "Vouchers on this order (30)  showing 21–30 of 30" || len(lines) != 12 {
		t.Fatalf("30 vouchers in 12 lines:\n%s", view)
	}
	for range 3 {
		press(l, tea.KeyUp)
	}
	if strings.ReplaceAll(l.View(), ">", " ") != strings.ReplaceAll(view, ">", " ") {
		t.Fatalf("the rows moved while the selection was in view:\n%s", l.View())
	}
	l.SetSize(78, 40)
	if strings.Contains(l.View(), "showing") {
		t.Fatalf("all fit, yet:\n%s", l.View())
	}
}

// On an order with more than one showtime the For column shares the width
// with Description: a showtime's name is not cut while Description has
// room to spare.
func TestForColumnSharesTheWidth(t *testing.T) {
	const long = "19:30 The Lighthouse Keeper's Daughter"
	two := []Row{row(1), row(2), {ID: "d", Masked: "93.......0017", Type: api.VoucherDeal, Description: "Free small popcorn", For: "whole order", Left: "1 left"}}
	two[0].For, two[1].For = long, "18:00 The Long Night"
	l := newList(t)
	l.SetRows(two, true)
	for _, w := range []int{60, 78, 100, 104, 120, 160} {
		l.SetSize(w, 10)
		view := l.View()
		for _, line := range strings.Split(view, "\n") {
			if lipgloss.Width(line) > w {
				t.Errorf("width %d: a line of %d columns: %q", w, lipgloss.Width(line), line)
			}
		}
		// Both whole from 104 columns: Description's 18 and For's 38
		// beside the fixed columns.
		if w >= 104 && (!strings.Contains(view, long) || !strings.Contains(view, "Adult Movie Money")) {
			t.Errorf("width %d: a column is cut with room to spare:\n%s", w, view)
		}
		if w == 100 && !strings.Contains(view, long) {
			t.Errorf("width %d: For does not take what Description can spare:\n%s", w, view)
		}
		if !strings.Contains(view, "19:30 The") || !strings.Contains(view, "whole order") || !strings.Contains(view, "For") {
			t.Errorf("width %d: the For column:\n%s", w, view)
		}
	}
	// One showtime: no For column.
	l.SetRows(rows(2), false)
	if strings.Contains(l.View(), "For") {
		t.Fatalf("a For column with one showtime:\n%s", l.View())
	}
}

func TestEmpty(t *testing.T) {
	l := newList(t)
	if got := l.View(); got != "Vouchers on this order (0)\nNone yet. Scan a voucher below." || l.Want() != 2 {
		t.Fatalf("empty:\n%s", got)
	}
	l.SetEmpty("This order has ended: nothing can be attached.")
	if !strings.HasSuffix(l.View(), "nothing can be attached.") {
		t.Fatalf("SetEmpty:\n%s", l.View())
	}
	if _, ok := l.Selected(); ok {
		t.Fatal("an empty list has a selection")
	}
}

func TestVouchersGolden(t *testing.T) {
	l := newList(t)
	r := []Row{row(111), row(333), {ID: "d", Masked: "93.......0017", Type: api.VoucherDeal, Description: "Free small popcorn", For: "whole order", Left: "1 left"}}
	r[0].For, r[1].For = "19:30 The Long Night", "18:00 The Lighthouse Keeper's Daughter"
	r[0].Left = "1 left, pays 1"
	l.SetRows(r, true)
	l.SetSize(78, 5)
	golden.RequireEqual(t, []byte(l.View()))
}

// Append costs the same at the end of a long list as of a short one: each
// size appends up to a hundred vouchers before the list is set back.
func BenchmarkAppend(b *testing.B) {
	more := rows(10100)
	for _, n := range []int{10, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			l := newList(b)
			l.SetRows(more[:n], false)
			i := n
			for b.Loop() {
				if i == n+100 {
					b.StopTimer()
					l.SetRows(more[:n], false)
					i = n
					b.StartTimer()
				}
				l.Append(more[i])
				i++
			}
		})
	}
}
