package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// The last outcomes stay listed with their times, so a refusal that the
// next scan's news pushed off the status line is still on screen; ctrl+l
// lists more of them.
func TestOutcomeHistoryKeepsARefusalInView(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now})
	stamps := map[string]string{}
	for _, barcode := range []string{"ADTMM0000444", "ADTMM0000888", "ADTMM0000666", "ADTMM0001001"} {
		clock.Advance(time.Minute)
		stamps[barcode] = clock.Now().Local().Format("15:04:05")
		mark := c.statusMark()
		c.scan(barcode)
		c.key(tea.KeyEnter)
		c.key(tea.KeyEnter) // no PIN
		// Reported, and so listed, before the clock moves on.
		c.waitStatusSince(mark, api.MaskBarcode(barcode))
	}
	c.waitStatus("Attached AD......1001")
	c.waitState("the queue empty", func(s modelState) bool { return !s.busy && s.queued == 0 })
	c.key(tea.KeyCtrlL)
	m := c.final()
	screen := m.View()
	for _, want := range []string{
		"Last outcomes · ctrl+l fewer",
		stamps["ADTMM0000444"] + " ✓ Attached AD......0444",
		stamps["ADTMM0000888"] + " ✗ Voucher AD......0888",
		stamps["ADTMM0000666"] + " ✓ Attached AD......0666",
		stamps["ADTMM0001001"] + " ✓ Attached AD......1001",
		"Barcode [",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	if lines := strings.Split(screen, "\n"); len(lines) != 24 {
		t.Errorf("the screen has %d lines, want 24:\n%s", len(lines), screen)
	}

	// ctrl+l again: the three newest, the refusal among them.
	m2, _ := m.Update(tea.KeyMsg{Type: tea.KeyCtrlL})
	screen = m2.View()
	if strings.Contains(screen, "AD......0444 (") || !strings.Contains(screen, stamps["ADTMM0000888"]+" ✗ Voucher AD......0888") ||
		!strings.Contains(screen, "Last outcomes · ctrl+l more") {
		t.Errorf("the short list is not the three newest:\n%s", screen)
	}
	// The voucher list keeps its rows for the three attached.
	for _, row := range []string{"AD......0444     Ticket", "AD......0666     Ticket", "AD......1001     Ticket"} {
		if !strings.Contains(screen, row) {
			t.Errorf("%q is not listed:\n%s", row, screen)
		}
	}
}

// The outcomes belong to their order: a new order starts with none.
func TestOutcomeHistoryIsTheOrdersOwn(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.scan("ADTMM0000444")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0444")
	c.key(tea.KeyCtrlN)
	c.waitState("a new order", func(s modelState) bool { return s.orderID != seedOrderID && s.orderStatus != "" })
	if screen := c.final().View(); strings.Contains(screen, "AD......0444") || strings.Contains(screen, "Last outcomes") {
		t.Errorf("the new order shows the last order's outcomes:\n%s", screen)
	}
}

// bells counts the terminal bells in what the program wrote: BEL bytes
// that do not end an OSC sequence.
func bells(out string) int {
	n := 0
	for i := 0; i < len(out); i++ {
		switch {
		case strings.HasPrefix(out[i:], "\x1b]"):
			end := strings.IndexAny(out[i:], "\a\x1b\\")
			if end < 0 {
				return n
			}
			i += end
		case out[i] == '\a':
			n++
		}
	}
	return n
}

func TestBell(t *testing.T) {
	scanNoPin := func(c *counterTest, barcode string) {
		c.scan(barcode)
		c.key(tea.KeyEnter)
		c.key(tea.KeyEnter) // no PIN
	}
	t.Run("refusals by default: an attach is silent, a refusal rings once", func(t *testing.T) {
		c := startCounter(t, counterSetup{})
		scanNoPin(c, "ADTMM0000444")
		c.waitFor("✓ Attached AD......0444")
		if n := bells(c.out.read()); n != 0 {
			t.Fatalf("%d bells for an attach", n)
		}
		scanNoPin(c, "ADTMM0000888")
		c.waitFor("✗ Voucher AD......0888")
		if !eventually(func() bool { return bells(c.out.read()) == 1 }) {
			t.Fatalf("%d bells for a refusal, want 1", bells(c.out.read()))
		}
		// The next refusal rings again, once the first has left the frame
		// or not: each has a frame of its own here.
		c.waitJournal(2)
		scanNoPin(c, "ADTMM0000999")
		c.waitFor("✗ Voucher AD......0999")
		if !eventually(func() bool { return bells(c.out.read()) == 2 }) {
			t.Fatalf("%d bells for two refusals, want 2", bells(c.out.read()))
		}
		// Later frames do not ring them again.
		scanNoPin(c, "ADTMM0000666")
		c.waitFor("✓ Attached AD......0666")
		c.waitJournal(4)
		if n := bells(c.out.read()); n != 2 {
			t.Fatalf("%d bells after two refusals and two attaches, want 2", n)
		}
	})
	for _, tt := range []struct {
		mode             BellMode
		barcode, outcome string
		want             int
	}{
		{BellNever, "ADTMM0000888", "✗ Voucher AD......0888", 0},
		{BellAll, "ADTMM0000444", "✓ Attached AD......0444", 1},
	} {
		t.Run(string(tt.mode), func(t *testing.T) {
			c := startCounter(t, counterSetup{opts: func(o *Options) { o.Bell = tt.mode }})
			scanNoPin(c, tt.barcode)
			c.waitFor(tt.outcome)
			// The bell is written in the frame that shows the outcome.
			if n := bells(c.out.read()); n != tt.want {
				t.Fatalf("%d bells for %q with bell = %s, want %d", n, tt.outcome, tt.mode, tt.want)
			}
		})
	}
	t.Run("a refused scan the screen would not send rings too", func(t *testing.T) {
		c := startCounter(t, counterSetup{})
		c.scan(strings.Repeat("A", 200))
		c.key(tea.KeyEnter)
		c.waitFor("✗ That barcode is 200 characters long")
		if !eventually(func() bool { return bells(c.out.read()) == 1 }) {
			t.Fatalf("%d bells for a refused scan, want 1", bells(c.out.read()))
		}
		// Enter on an empty field is no scan: no bell.
		c.key(tea.KeyEsc)
		c.key(tea.KeyEnter)
		c.waitFor("No barcode")
		if n := bells(c.out.read()); n != 1 {
			t.Fatalf("%d bells after Enter on an empty field, want still 1", n)
		}
	})
}
