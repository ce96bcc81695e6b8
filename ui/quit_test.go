package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// An order in progress holds its tickets and vouchers on the server until it
// expires: ctrl+c asks before leaving it, and the second ctrl+c quits.
func TestQuitWithAnOrderInProgressAsksFirst(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attachAndWait("ADTMM0000111", "1234")
	mark := c.screens.mark()
	c.key(tea.KeyCtrlC)
	c.waitForSince(mark, "Order 3f9c2a7b…4a86 is still in progress: quitting leaves its 3 tickets and 1 voucher held")
	c.waitFor("Press ctrl+c again to quit, Esc to stay; F10 completes it, F9 cancels it.")
	// Esc stays, and says so; the next ctrl+c asks again rather than quits.
	c.key(tea.KeyEsc)
	c.waitFor("Not quitting; the counter carries on.")
	mark = c.screens.mark()
	c.key(tea.KeyCtrlC)
	c.waitForSince(mark, "Press ctrl+c again to quit")
	c.key(tea.KeyCtrlC)
	c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// Another action key between the two presses drops the question, as every
// other question on the status line is dropped.
func TestQuitQuestionIsDroppedByAnotherKey(t *testing.T) {
	d := loaded(t, nil)
	d.key(tea.KeyCtrlC)
	d.mustShow("Press ctrl+c again to quit")
	d.key(tea.KeyF5)
	d.mustNotShow("Press ctrl+c again")
	d.key(tea.KeyCtrlC)
	if d.quit {
		t.Fatal("ctrl+c after another key quit without asking again")
	}
	d.mustShow("is still in progress")
}

// Nothing left undone quits at once: no order, a completed one, a
// cancelled one.
func TestQuitWithNothingInProgressQuitsAtOnce(t *testing.T) {
	t.Run("no order open", func(t *testing.T) {
		d := newDriver(t, func(o *Options) { o.OrderID = "" })
		d.mustShow("Open an order")
		d.key(tea.KeyCtrlC)
		if !d.quit {
			t.Fatal("ctrl+c with no order did not quit")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		d := loaded(t, nil)
		d.send(orderCancelledMsg{orderID: seedOrderID, sent: true})
		d.key(tea.KeyCtrlC)
		if !d.quit {
			t.Fatal("ctrl+c on a cancelled order did not quit")
		}
	})
	t.Run("completed", func(t *testing.T) {
		d := loaded(t, nil)
		d.backend.answer = nil
		d.send(orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionCompleted, TransactionNumber: "100001"}})
		d.key(tea.KeyCtrlC)
		if !d.quit {
			t.Fatal("ctrl+c on a completed order did not quit")
		}
	})
}

// completeWithOneVoucherTicket lets ADTMM0000111 pay for one ticket of the
// empty demo order and completes it, returning its transaction number.
func (c *counterTest) completeWithOneVoucherTicket() string {
	c.t.Helper()
	c.attachAndWait("ADTMM0000111", "1234")
	c.openTickets()
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight)
	c.applyTickets()
	c.waitScreen("a free ticket", func(s string) bool { return strings.Contains(s, "Total 0.00") })
	c.key(tea.KeyF10)
	c.waitFor("Press F10 again to complete")
	c.key(tea.KeyF10)
	s := c.waitScreen("completed", func(s string) bool { return strings.Contains(s, "✓ Completed, transaction ") })
	return regexp.MustCompile(`transaction (\d+)`).FindStringSubmatch(s)[1]
}

// ctrl+t puts the completed order's transaction number on the terminal's
// clipboard sequence, once. The next order no longer shows it.
func TestTransactionNumberCanBeCopied(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = emptyOrderID }})
	// Before completion there is nothing to copy, and nothing is sent.
	c.key(tea.KeyCtrlT)
	c.waitFor("Nothing to copy: an order gets its transaction number when F10 completes it.")
	txn := c.completeWithOneVoucherTicket()
	c.waitFor("✓ Completed, transaction " + txn + " · ctrl+n new order")
	c.waitFor("ctrl+t copy transaction")
	clip := ansi.SetSystemClipboard(txn)
	if strings.Contains(c.out.read(), "\x1b]52;") {
		t.Fatal("the clipboard was set before ctrl+t")
	}
	c.key(tea.KeyCtrlT)
	c.waitFor("Sent transaction " + txn + " to the clipboard")
	if !eventually(func() bool { return strings.Count(c.out.read(), clip) == 1 }) {
		t.Fatalf("the output holds %d clipboard sequences for %s, want 1", strings.Count(c.out.read(), clip), txn)
	}
	c.waitNewOrder(emptyOrderID)
	if s := c.waitIdle(); strings.Contains(s, "transaction "+txn) || strings.Contains(s, "ctrl+t copy") {
		t.Fatalf("the next order still shows the transaction:\n%s", s)
	}
	if n := strings.Count(c.out.read(), "\x1b]52;"); n != 1 {
		t.Fatalf("%d clipboard sequences in all, want 1", n)
	}
}

// A counter killed mid-burst: one scan was sent and went on the order, one
// was sent and did not, one waited its turn. The next start says which is
// which, and the journal settles each.
func TestRestartSettlesWhatTheLastRunLeft(t *testing.T) {
	unfinished := func(masked, check string) journal.Line {
		return journal.Line{Entry: journal.Entry{OrderID: seedOrderID, Action: journal.ActionAttach, MaskedBarcode: masked,
			VoucherType: "Ticket", Outcome: journal.OutcomeAttempt}, Check: check}
	}
	var onOrder string
	c := startCounter(t, counterSetup{
		before: func(client *api.Client, _ *journal.Journal) {
			resp, err := client.AddVoucher(context.Background(), seedOrderID, api.AddVoucherRequest{Type: api.VoucherTicket,
				ShowtimeID: "0001-2681", Credentials: api.VoucherCredentials{Barcode: "ADTMM0000444"}})
			if err != nil {
				t.Fatal(err)
			}
			onOrder = resp.Voucher.ID
		},
		unfinished: func() []journal.Line {
			return []journal.Line{
				unfinished("AD......0444", journal.CheckNoOutcome),
				unfinished("AD......0666", journal.CheckNoOutcome),
				unfinished("AD......1002", journal.CheckNotSent),
				{Entry: journal.Entry{OrderID: "another-order", Action: journal.ActionAttach, MaskedBarcode: "AD......2002"}, Check: journal.CheckNotSent},
			}
		},
	})
	c.waitFor("The last run stopped with 3 scans unfinished: 1 attached; 2 not attached (AD......0666, AD......1002): scan them again. 1 more on other orders: boxoffice journal list.")
	want := map[string]string{"AD......0444": "attached", "AD......0666": "abandoned", "AD......1002": "abandoned"}
	if !eventually(func() bool {
		got := 0
		for _, e := range readJournal(t, c.journal) {
			if want[e.MaskedBarcode] == e.Outcome && (e.Outcome != "attached" || e.VoucherID == onOrder) {
				got++
			}
			if e.MaskedBarcode == "AD......2002" {
				t.Fatalf("another order's scan was settled against this one: %+v", e)
			}
		}
		return got == 3
	}) {
		t.Fatalf("the journal does not settle the three: %+v", readJournal(t, c.journal))
	}

	// Scanned again, the voucher attached before the restart reads as
	// attached, not as a failure.
	c.attach("ADTMM0000444", "")
	c.waitFor("Voucher AD......0444 is already on this order (selected above)")
	if s := c.waitIdle(); strings.Contains(s, "Not attached") {
		t.Fatalf("the voucher on the order is listed as not attached:\n%s", s)
	}
}
