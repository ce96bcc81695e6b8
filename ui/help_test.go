package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// withEightVouchers starts the counter on the seed order with eight
// vouchers attached in an earlier run, ids and clock fixed for goldens.
func withEightVouchers(t *testing.T) *counterTest {
	t.Helper()
	clock := testkit.NewClock(time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC))
	c := startCounter(t, counterSetup{now: clock.Now, mockOpts: numberedIDs,
		before: func(client *api.Client, _ *journal.Journal) {
			for i := 1; i <= 8; i++ {
				req := api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
					Credentials: api.VoucherCredentials{Barcode: fmt.Sprintf("ADTMM%07d", 1000+i)}}
				if _, err := client.AddVoucher(t.Context(), seedOrderID, req); err != nil {
					t.Fatal(err)
				}
			}
		},
	})
	c.waitFor("AD......1008")
	c.waitFor("Screen 1")
	return c
}

// rowsShown counts the voucher rows on a screen.
func rowsShown(screen string) int { return strings.Count(screen, "Adult Movie Money") }

// F1 shows every key and leaves the voucher list readable: the list keeps
// rows, the selected voucher among them, and F1 says how to go back.
func TestAllKeysLeaveTheVoucherListReadable(t *testing.T) {
	c := withEightVouchers(t)
	c.key(tea.KeyF1)
	screen := c.waitScreen("every key", func(s string) bool { return strings.Contains(s, "fewer keys") })
	if n := rowsShown(screen); n < 5 {
		t.Fatalf("with every key shown, %d voucher rows are on screen, want at least 5:\n%s", n, screen)
	}
	for _, want := range []string{"> AD......1008", "ctrl+r", "f8  remove voucher", "Total 51.00"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
}

func TestGoldenHelpScreen(t *testing.T) {
	c := withEightVouchers(t)
	c.key(tea.KeyF1)
	teatest.RequireEqualOutput(t, []byte(c.waitScreen("every key", func(s string) bool { return strings.Contains(s, "fewer keys") })))
}

// The help bar fits 78 columns in every state of the screen, uncut, and F1's
// three columns fit too.
func TestHelpFitsEveryState(t *testing.T) {
	states := map[string]func(d *driver){
		"the form":         func(*driver) {},
		"the tickets":      func(d *driver) { d.key(tea.KeyF4) },
		"the open-order":   func(d *driver) { d.key(tea.KeyCtrlO) },
		"not attached":     func(d *driver) { d.scan("ADTMM0000111"); d.key(tea.KeyEnter); d.key(tea.KeyEsc); d.key(tea.KeyDown) },
		"an ended order":   func(d *driver) { d.send(orderCancelledMsg{orderID: seedOrderID, sent: true}) },
		"a failed reading": func(d *driver) { d.send(orderLoadedMsg{orderID: seedOrderID, seq: 99, err: fmt.Errorf("down")}) },
	}
	for name, reach := range states {
		t.Run(name, func(t *testing.T) {
			d := loaded(t, nil)
			reach(d)
			lines := strings.Split(d.screen(), "\n")
			bar := lines[len(lines)-1]
			if w := lipgloss.Width(bar); w > 79 || strings.Contains(bar, "…") {
				t.Errorf("the bar is cut or too wide (%d): %q", w, bar)
			}
			d.key(tea.KeyF1)
			full := help.New()
			full.Width = 78
			for _, l := range strings.Split(full.FullHelpView(d.m.helpKeys().FullHelp()), "\n") {
				if w := lipgloss.Width(l); w > 78 || strings.Contains(l, "…") {
					t.Errorf("every key does not fit 78 columns: %q", l)
				}
			}
		})
	}
}

// A scanner types printable text into whatever has focus, so no action may
// sit on a printable key: neither the root's nor any part's.
func TestNoActionOnPrintableKeys(t *testing.T) {
	d := loaded(t, nil)
	var all []string
	for _, col := range d.m.helpKeys().FullHelp() {
		for _, b := range col {
			all = append(all, b.Keys()...)
		}
	}
	d.key(tea.KeyF4)
	for _, b := range d.m.cust.tickets.ShortHelp() {
		all = append(all, b.Keys()...)
	}
	for _, b := range d.m.cust.notAttached.ShortHelp() {
		all = append(all, b.Keys()...)
	}
	for _, k := range all {
		if len([]rune(k)) == 1 || k == "space" {
			t.Errorf("%q is a printable key", k)
		}
	}
	// And a burst of every printable character is taken as text.
	d.key(tea.KeyEsc)
	var printable strings.Builder
	for r := rune(0x21); r < 0x7f; r++ {
		printable.WriteRune(r)
	}
	d.scan(printable.String())
	if len(d.backend.calls) != 0 && d.backend.calls[len(d.backend.calls)-1].op != "prices" && d.backend.calls[len(d.backend.calls)-1].op != "showtime" {
		t.Fatalf("printable text started a call: %+v", d.backend.calls[len(d.backend.calls)-1])
	}
}
