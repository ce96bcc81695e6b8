package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// twoShowtimesWithRefusals is the two-showtime demo order with one voucher
// attached and a few refusals under it, at a window's size.
func twoShowtimesWithRefusals(t *testing.T, cols, rows int) *driver {
	d := loaded(t, func(o *Options) { o.OrderID = twoShowtimesOrderID; o.PinPrompt = PinNever })
	d.send(tea.WindowSizeMsg{Width: cols, Height: rows})
	d.scanKeys("ADTMM0000444\r")
	d.backend.answer = nil
	d.send(attachedTo(twoShowtimesOrderID, d.lastCall("attach").scan, "v444", 0))
	for _, b := range []string{"ADTMM0000999", "ADTMM0000555", "ADTMM0000888"} {
		d.scanKeys(b + "\r")
		d.send(attachDoneMsg{orderID: twoShowtimesOrderID, scan: d.lastCall("attach").scan, err: &api.Error{Op: api.OpAddVoucher, Kind: api.KindRejected, Status: 400, Message: "Voucher is used up."}})
	}
	return d
}

// The screen keeps every part readable as the window shrinks and as F1 and
// the tickets panel take room: a voucher row always shows, the order's
// expiry is never cut, and the panel gets the room of the ticket lines it
// repeats.
func TestEveryPartKeepsItsRoom(t *testing.T) {
	t.Run("F1 at 80x24", func(t *testing.T) {
		d := twoShowtimesWithRefusals(t, 80, 24)
		d.key(tea.KeyF1)
		if rowOf(d.screen(), "AD......0444") == "" {
			t.Fatalf("with every key shown no voucher row is visible:\n%s", d.screen())
		}
		d.mustShow("Not attached (3")
	})
	t.Run("60x20", func(t *testing.T) {
		d := twoShowtimesWithRefusals(t, 60, 20)
		s := d.screen()
		if rowOf(s, "AD......0444") == "" {
			t.Fatalf("at 60x20 no voucher row is visible:\n%s", s)
		}
		if !strings.Contains(s, "expires in ") {
			t.Fatalf("at 60x20 the expiry is cut:\n%s", s)
		}
	})
	t.Run("the tickets panel at 80x24", func(t *testing.T) {
		d := twoShowtimesWithRefusals(t, 80, 24)
		d.key(tea.KeyF4)
		s := d.screen()
		if strings.Contains(s, "2 × Adult") || strings.Contains(s, "1 × Gold Lounge Adult") {
			t.Fatalf("the order block repeats the panel's tickets:\n%s", s)
		}
		rows := len(regexp.MustCompile(`(?m)^\s+(> )?\S.*\s\d+\.\d\d\s+(◂|\s)`).FindAllString(s, -1))
		if rows < 6 {
			t.Fatalf("the panel shows %d rows:\n%s", rows, s)
		}
	})
}
