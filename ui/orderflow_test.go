package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// Orders of the built-in demo data used below.
const (
	// emptyOrderID has showtime 0001-2681 and no tickets.
	emptyOrderID = "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b"
	// shortOrderID expires two minutes after the server starts.
	shortOrderID = "9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b"
	adultType    = "0001-0050"
	childType    = "0001-0051"
	adultMMType  = "0001-0077"
)

// saturdayEvening is 07:00 on Sunday 29 November at the demo site (+13:00).
func saturdayEvening() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
}

// attach scans a voucher with its PIN and waits until it is on the order.
func (c *counterTest) attach(barcode, pin string) {
	c.t.Helper()
	mark := c.statusMark()
	c.scan(barcode)
	c.key(tea.KeyEnter)
	c.tm.Type(pin)
	c.key(tea.KeyEnter)
	c.waitStatusSince(mark, "Attached "+api.MaskBarcode(barcode))
	c.waitState("the voucher listed", func(s modelState) bool {
		_, ok := s.remaining[api.MaskBarcode(barcode)]
		return ok && !s.busy && s.queued == 0
	})
}

// openTickets opens the tickets panel and waits for its rows.
func (c *counterTest) openTickets() modelState {
	c.t.Helper()
	c.key(tea.KeyF4)
	return c.waitState("the tickets panel", func(s modelState) bool { return s.panel == panelTickets && len(s.rows) > 0 })
}

// selectRow moves the panel's selection, which starts at the top, to the
// first row whose key starts with prefix ("type/voucher id").
func (c *counterTest) selectRow(s modelState, prefix string) {
	c.t.Helper()
	for i, r := range s.rows {
		if strings.HasPrefix(r, prefix) {
			for range i {
				c.key(tea.KeyDown)
			}
			return
		}
	}
	c.t.Fatalf("no row %q in %v", prefix, s.rows)
}

// applyTickets presses F7 and waits for the answer to be on screen.
func (c *counterTest) applyTickets() modelState {
	c.t.Helper()
	c.waitState("a draft", func(s modelState) bool { return s.dirty })
	c.key(tea.KeyF7)
	return c.waitState("the tickets applied", func(s modelState) bool { return !s.dirty && s.working == "" })
}

func countTickets(o api.Order, typeID string, paid bool) int {
	n := 0
	for _, st := range o.Showtimes {
		for _, t := range st.Tickets {
			if t.TicketTypeID == typeID && (t.VoucherID != "") == paid {
				n++
			}
		}
	}
	return n
}

func TestNewOrderPicksAShowtimeAndSetsTickets(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now})
	// The seed showtime's names carry the site's offset, which picks the day.
	c.waitFor("Screen 1")
	c.key(tea.KeyCtrlN)
	s := c.waitState("a new order", func(s modelState) bool {
		return s.orderID != seedOrderID && s.orderStatus == api.OrderInProgress
	})
	created := s.orderID
	if s.opened != 2 {
		t.Fatalf("orders opened in this run = %d, want 2", s.opened)
	}
	c.key(tea.KeyF4)
	c.waitState("the day's showtimes", func(s modelState) bool { return s.panel == panelPicker && s.picked > 0 })
	c.key(tea.KeyF7)
	s = c.waitState("the ticket rows", func(s modelState) bool { return s.panel == panelTickets && len(s.rows) > 0 })
	c.selectRow(s, adultType+"/")
	c.key(tea.KeyRight)
	c.key(tea.KeyRight)
	s = c.applyTickets()
	o := c.waitOrder(created, "two adult tickets", func(o api.Order) bool { return countTickets(o, adultType, false) == 2 })
	// The first showtime of Sunday 29 November at the site.
	if len(o.Showtimes) != 1 || o.Showtimes[0].ShowtimeID != "0001-2701" {
		t.Fatalf("showtimes on the order: %+v", o.Showtimes)
	}
	s = c.waitState("the order's tickets", func(s modelState) bool { return s.tickets == 2 })
	if s.total != 39 {
		t.Fatalf("total on screen = %.2f, want 39.00", s.total)
	}
	c.waitStatus("Tickets set for 10:30 Pip and the Paper Kite: 2 × Adult")
}

func TestSetTicketsReplacesTheShowtimesTickets(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	s := c.openTickets()
	c.selectRow(s, adultType+"/")
	c.key(tea.KeyRight) // 3 adults
	c.key(tea.KeyDown)
	c.key(tea.KeyLeft) // no child
	c.applyTickets()
	o := c.waitUntil("three adults, no child", func(o api.Order) bool {
		return countTickets(o, adultType, false) == 3 && countTickets(o, childType, false) == 0
	})
	if o.TotalPrice.ValueIncludingTax != 58.5 {
		t.Fatalf("server total = %.2f, want 58.50", o.TotalPrice.ValueIncludingTax)
	}
	s = c.waitState("the new total", func(s modelState) bool { return s.total == 58.5 })
	if s.tickets != 3 {
		t.Fatalf("tickets on screen = %d, want 3", s.tickets)
	}
}

func TestVoucherPaysForATicket(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attach("ADTMM0000111", "1234")
	s := c.openTickets()
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight)
	c.waitStatus("One Adult ticket (19.50) is now paid by AD......0111")
	c.applyTickets()
	o := c.waitUntil("an adult paid by the voucher", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 1 })
	if countTickets(o, adultType, false) != 1 || o.TotalPrice.ValueIncludingTax != 31.5 {
		t.Fatalf("order after the voucher paid: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	s = c.waitState("the voucher's use on screen", func(s modelState) bool { return s.voucherPaid == 1 && s.total == 31.5 })
	if got := s.remaining["AD......0111"]; got != 1 {
		t.Fatalf("voucher remaining = %d, want 1", got)
	}
	m := c.final()
	if !strings.Contains(m.View(), "paid by AD......0111") {
		t.Fatalf("the ticket line does not say what paid for it:\n%s", m.View())
	}
}

func TestVoucherCannotPayForMoreThanItsRedemptions(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attach("ADTMM0000111", "1234") // two redemptions
	s := c.openTickets()
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight)
	c.key(tea.KeyRight)
	c.key(tea.KeyRight)
	c.waitStatus("Voucher AD......0111 can pay for 2 tickets on this order, not 3. Nothing was sent")
	if n := c.calls.count("PUT", "/showtimes/0001-2681"); n != 0 {
		t.Fatalf("%d ticket calls were made before the refusal", n)
	}
	// The two it may pay for go through.
	c.applyTickets()
	c.waitUntil("two adults paid by the voucher", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 2 })
	s = c.waitState("none left", func(s modelState) bool { return s.voucherPaid == 2 })
	if got := s.remaining["AD......0111"]; got != 0 {
		t.Fatalf("voucher remaining = %d, want 0", got)
	}
}

func TestRemoveVoucherThatPaysForTickets(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attach("ADTMM0000111", "1234")
	s := c.openTickets()
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight)
	c.applyTickets()
	c.waitUntil("the voucher in use", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 1 })
	c.waitState("the voucher's use on screen", func(s modelState) bool { return s.voucherPaid == 1 })
	c.key(tea.KeyF8)
	c.waitStatus("It pays for 1 ticket: 1 ticket goes back to Adult at the normal price. Press F8 again")
	c.key(tea.KeyF8)
	o := c.waitUntil("the voucher gone, its ticket at the normal price", func(o api.Order) bool {
		return len(o.Vouchers) == 0 && countTickets(o, adultType, false) == 2
	})
	if countTickets(o, adultMMType, true) != 0 || o.TotalPrice.ValueIncludingTax != 51 {
		t.Fatalf("order after removal: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.waitStatus("1 ticket went back to Adult at the normal price. Total now 51.00")
}

func TestCancelOrder(t *testing.T) {
	t.Run("second F9 cancels, Enter does not", func(t *testing.T) {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now})
		c.key(tea.KeyF9)
		c.waitState("the question", func(s modelState) bool { return s.confirm == confirmCancelOrder })
		// A scan ends with Enter: it must never confirm.
		c.key(tea.KeyEnter)
		c.waitState("the question dropped", func(s modelState) bool { return s.status.kind == statusFailure })
		if n := c.calls.count("DELETE", "/orders/"+seedOrderID); n != 0 {
			t.Fatal("Enter cancelled the order")
		}
		c.key(tea.KeyF9)
		c.waitState("the question again", func(s modelState) bool { return s.confirm == confirmCancelOrder })
		c.key(tea.KeyF9)
		c.waitState("the order cancelled", func(s modelState) bool { return s.orderGone && s.ended == "cancelled" })
		c.waitStatus("cancelled: its tickets and vouchers are released. ctrl+n starts a new order")
		if _, err := c.client.GetOrder(t.Context(), seedOrderID); api.KindOf(err) != api.KindNotFound {
			t.Fatalf("the server still has the order: %v", err)
		}
		// And a new order is one key away.
		c.key(tea.KeyCtrlN)
		c.waitState("a new order", func(s modelState) bool { return s.orderID != seedOrderID && !s.orderGone && s.orderStatus != "" })
	})
	t.Run("esc keeps the order", func(t *testing.T) {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now})
		c.key(tea.KeyF9)
		c.waitState("the question", func(s modelState) bool { return s.confirm == confirmCancelOrder })
		c.key(tea.KeyEsc)
		c.waitStatus("Kept the order")
		c.key(tea.KeyF9)
		c.waitState("asked again, not cancelled", func(s modelState) bool { return s.confirm == confirmCancelOrder })
		if n := c.calls.count("DELETE", "/orders/"+seedOrderID); n != 0 {
			t.Fatalf("%d cancel calls after esc", n)
		}
	})
}

func TestCompleteRefusesAnOrderWithSomethingToPay(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.waitState("the ticket names", func(s modelState) bool { return s.priced })
	c.key(tea.KeyF10)
	c.waitStatus("Still to pay: 51.00 (2 × Adult at 19.50, 1 × Child at 12.00)")
	s := c.waitState("no question", func(s modelState) bool { return s.status.kind == statusFailure })
	if s.confirm != 0 || c.calls.count("POST", "/completion") != 0 {
		t.Fatalf("an unpaid order went towards completion: confirm %v", s.confirm)
	}
}

func TestCompleteOrderThenANewOrderSeesTheVoucherUsed(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.OrderID = emptyOrderID }})
	c.attach("ADTMM0000111", "1234")
	s := c.openTickets()
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight) // no adult to replace: a ticket is added
	c.applyTickets()
	c.waitState("a free ticket", func(s modelState) bool { return s.tickets == 1 && s.voucherPaid == 1 && s.total == 0 })
	c.key(tea.KeyF10)
	c.waitState("the question", func(s modelState) bool { return s.confirm == confirmComplete })
	c.key(tea.KeyF10)
	s = c.waitState("completed", func(s modelState) bool { return s.txn != "" && s.orderStatus == api.OrderCompleted })
	c.waitStatus("completed, transaction " + s.txn + ". ctrl+n starts a new order")
	resp, err := c.client.GetOrder(t.Context(), emptyOrderID)
	if err != nil || resp.Order.Status != api.OrderCompleted {
		t.Fatalf("server order: %+v, %v", resp, err)
	}
	if n := c.calls.count("POST", "/completion"); n != 1 {
		t.Fatalf("%d completion calls, want 1", n)
	}
	// The journal keeps the completion with its transaction number.
	b, err := os.ReadFile(c.journal)
	if err != nil || !strings.Contains(string(b), `"outcome":"completed","message":"transaction `+s.txn+`"`) {
		t.Fatalf("journal lacks the completion (%v):\n%s", err, b)
	}

	// The next customer's order: the voucher has one redemption left.
	c.key(tea.KeyCtrlN)
	s = c.waitState("a new order", func(s modelState) bool {
		return s.orderID != emptyOrderID && s.orderStatus == api.OrderInProgress
	})
	c.key(tea.KeyF4)
	c.waitState("the day's showtimes", func(s modelState) bool { return s.panel == panelPicker && s.picked > 0 })
	c.key(tea.KeyF7)
	s = c.waitState("the ticket rows", func(s modelState) bool { return s.panel == panelTickets && len(s.rows) > 0 })
	c.selectRow(s, adultType+"/")
	c.key(tea.KeyRight)
	c.applyTickets()
	c.waitState("a showtime on the order", func(s modelState) bool { return s.tickets == 1 })
	c.attach("ADTMM0000111", "1234")
	c.waitStatus("Attached AD......0111 (Adult Movie Money): 1 remaining")
	s = c.waitState("the voucher listed", func(s modelState) bool { return s.remaining["AD......0111"] >= 0 })
	if got := s.remaining["AD......0111"]; got != 1 {
		t.Fatalf("remaining on the new order = %d, want 1", got)
	}
}

func TestExpiredOrderIsSaidPlainlyAndANewOneOffered(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.OrderID = shortOrderID }})
	c.waitFor("! expires in 02:00")
	c.waitStatus("Order 9e8d7c6b…6c5b expires in 02:00: finish it now")
	clock.Advance(3 * time.Minute)
	// No key is pressed: the countdown reaching zero makes the screen look.
	c.waitState("the order gone", func(s modelState) bool { return s.orderGone && s.ended == "expired" })
	c.waitStatus("This order has expired or no longer exists. Press ctrl+n for a new order")
	c.key(tea.KeyCtrlN)
	c.waitState("a new order", func(s modelState) bool {
		return s.orderID != shortOrderID && !s.orderGone && s.orderStatus == api.OrderInProgress
	})
}

func TestF6CyclesTheOrdersOpenedInThisRun(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.key(tea.KeyCtrlN)
	s := c.waitState("a new order", func(s modelState) bool {
		return s.orderID != seedOrderID && s.orderStatus == api.OrderInProgress
	})
	created := s.orderID
	c.key(tea.KeyF6)
	c.waitState("back on the first order", func(s modelState) bool {
		return s.orderID == seedOrderID && s.tickets == 3
	})
	c.key(tea.KeyF6)
	c.waitState("on the new order again", func(s modelState) bool {
		return s.orderID == created && s.orderStatus == api.OrderInProgress
	})
}

func TestGoldenTicketsPanel(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, mockOpts: func(o *mock.Options) {
		n := 0
		o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
	}})
	c.waitFor("Screen 1")
	c.attach("ADTMM0000111", "1234")
	s := c.openTickets()
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight)
	c.waitState("a draft", func(s modelState) bool { return s.dirty })
	m := c.final()
	teatest.RequireEqualOutput(t, []byte(m.View()))
}

// F6 goes on to the next order still open: a completed one is passed over.
func TestF6PassesOverACompletedOrder(t *testing.T) {
	m := loadedModel(PinAsk, time.Now)
	m.rememberOrder(emptyOrderID).status = api.OrderCompleted
	next, _ := m.Update(tea.KeyMsg{Type: tea.KeyF6})
	m = next.(Model)
	if m.orderID != seedOrderID || !strings.Contains(m.View(), "No other order opened in this run is still open") {
		t.Fatalf("F6 went to %s:\n%s", m.orderID, m.View())
	}
}

// A barcode and PIN refused on one order do not carry over to the next
// customer's: the form is cleared when the order changes, and the refused
// scan stays listed for ctrl+r.
func TestTheFormDoesNotOutliveItsOrder(t *testing.T) {
	m := loadedModel(PinAsk, time.Now)
	m = sendKeys(m, "ADTMM0000222\r4321")
	if !strings.Contains(m.View(), "PIN [••••") {
		t.Fatalf("the scan should still be in the form here:\n%s", m.View())
	}
	m.switchOrder(emptyOrderID)
	view := m.View()
	if strings.Contains(view, "••••") || strings.Contains(view, "ADTMM0000222") || m.form.pin.Value() != "" {
		t.Fatalf("the last order's scan is still in the form:\n%s", view)
	}
}

// ctrl+o with an id the server does not know says so, and does not list it
// as an order of this run, nor say its tickets were released.
func TestOpeningAnOrderTheServerDoesNotKnow(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.key(tea.KeyCtrlO)
	c.tm.Type("nonsense-order")
	c.key(tea.KeyEnter)
	c.waitStatus("There is no order")
	s := c.waitState("the order gone", func(s modelState) bool { return s.orderGone && !s.busy })
	if s.opened != 1 {
		t.Fatalf("%d orders listed for this run, want only the first", s.opened)
	}
	view := c.final().View()
	if strings.Contains(view, "released") || strings.Contains(view, "has expired or no longer exists") {
		t.Fatalf("the screen speaks of a release:\n%s", view)
	}
}

// The status line speaks of the order on screen: after a switch it no longer
// reports an outcome on the order left behind.
func TestTheStatusLineDoesNotOutliveItsOrder(t *testing.T) {
	m := loadedModel(PinNever, time.Now)
	m.announce(statusSuccess, "Attached AD......0333 (Adult Movie Money): 5 remaining")
	m.switchOrder(emptyOrderID)
	if view := m.View(); strings.Contains(view, "Attached AD......0333") {
		t.Fatalf("the status line still speaks of the last order:\n%s", view)
	}
}

// On the open-order page, ↑/↓ picks one of this run's orders and Enter
// opens it.
func TestPickAnOrderOfThisRunWithArrows(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.key(tea.KeyCtrlN)
	s := c.waitState("a new order", func(s modelState) bool {
		return s.orderID != seedOrderID && s.orderStatus == api.OrderInProgress
	})
	c.key(tea.KeyCtrlO)
	c.waitFor("↑/↓ and Enter open one")
	c.key(tea.KeyDown) // the oldest: the first order
	c.waitFor("> " + shortID(seedOrderID))
	c.key(tea.KeyEnter)
	c.waitState("back on the first order", func(st modelState) bool {
		return st.orderID == seedOrderID && st.tickets == 3
	})
	c.key(tea.KeyCtrlO)
	c.key(tea.KeyUp) // the newest: the one created
	c.waitFor("> " + shortID(s.orderID))
	c.key(tea.KeyEnter)
	c.waitState("on the new order again", func(st modelState) bool { return st.orderID == s.orderID })
}
