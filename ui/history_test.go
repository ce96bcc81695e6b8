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
		mark := c.screens.mark()
		c.attach(barcode, "")
		// Reported, and so listed, before the clock moves on.
		c.waitForSince(mark, stamps[barcode]+" ")
	}
	c.waitFor("Attached AD......1001")
	c.waitIdle()
	c.key(tea.KeyCtrlL)
	screen := c.waitScreen("more outcomes", func(s string) bool { return strings.Contains(s, "Last outcomes · ctrl+l fewer") })
	for _, want := range []string{
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
	c.key(tea.KeyCtrlL)
	screen = c.waitScreen("fewer outcomes", func(s string) bool { return strings.Contains(s, "Last outcomes · ctrl+l more") })
	if strings.Contains(screen, stamps["ADTMM0000444"]+" ✓") || !strings.Contains(screen, stamps["ADTMM0000888"]+" ✗ Voucher AD......0888") {
		t.Errorf("the short list is not the three newest:\n%s", screen)
	}
	// The voucher list keeps its rows for the three attached.
	for _, masked := range []string{"AD......0444", "AD......0666", "AD......1001"} {
		if rowOf(screen, masked) == "" {
			t.Errorf("%q is not listed:\n%s", masked, screen)
		}
	}
}

// The outcomes belong to their order: a new order starts with none.
func TestOutcomeHistoryIsTheOrdersOwn(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.scan("ADTMM0000444")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......0444")
	c.waitNewOrder(seedOrderID)
	if screen := c.waitIdle(); strings.Contains(screen, "AD......0444") || strings.Contains(screen, "Last outcomes") {
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
	scanNoPin := func(c *counterTest, barcode string) { c.attach(barcode, "") }
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
			if !eventually(func() bool { return bells(c.out.read()) == tt.want }) {
				t.Fatalf("%d bells for %q with bell = %s, want %d", bells(c.out.read()), tt.outcome, tt.mode, tt.want)
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

// A completion whose answer was lost is settled by asking the server, which
// only reads: a completion found Completed is done (its transaction number
// lost or not), and one the server never made leaves the order open.
func TestLostCompletionAnswerIsSettledByTheServer(t *testing.T) {
	tests := []struct {
		name string
		resp *api.CompletionResponse
		err  error
		want string
	}{
		{"completed", &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionCompleted, TransactionNumber: "100042"},
			nil, "completed, transaction 100042"},
		{"completed, found as a completed order", &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionCompleted},
			nil, "is completed, but its transaction number was lost with the answer: look it up in Vista"},
		{"never made", nil, &api.Error{Op: api.OpGetOrderCompletion, Kind: api.KindNotFound, Err: api.ErrNoCompletion},
			"was not completed and nothing was redeemed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := loaded(t, nil)
			d.backend.answer = nil
			d.send(orderCompletedMsg{orderID: seedOrderID, sent: true, err: &api.Error{Op: api.OpCompleteOrder, Kind: api.KindTimeout, OutcomeUnknown: true}})
			if !strings.Contains(d.status(), "Asking the server") || len(d.backend.made("follow")) != 1 {
				t.Fatalf("after a lost answer: status %q, calls %+v", d.status(), d.backend.calls)
			}
			d.send(orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, resp: tt.resp, err: tt.err})
			if !strings.Contains(d.status(), tt.want) {
				t.Fatalf("status %q\nlacks %q", d.status(), tt.want)
			}
		})
	}
}
