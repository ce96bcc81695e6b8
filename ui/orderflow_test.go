package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/ui/common"
)

// Orders and ticket types of the built-in demo data used below.
const (
	// emptyOrderID has showtime 0001-2681 and no tickets.
	emptyOrderID = "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b"
	// shortOrderID expires two minutes after the server starts.
	shortOrderID = "9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b"
	// twoShowtimesOrderID has two showtimes.
	twoShowtimesOrderID = "7d2e4b9c0a1f4e6d8b3c5a7e9f1d2c4b"
	adultType           = "0001-0050"
	childType           = "0001-0051"
	adultMMType         = "0001-0077"
)

// saturdayEvening is 07:00 on Sunday 29 November at the demo site (+13:00).
func saturdayEvening() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
}

// attachAndWait scans a voucher with its PIN and waits until it is listed
// and nothing is on its way.
func (c *counterTest) attachAndWait(barcode, pin string) {
	c.t.Helper()
	mark := c.screens.mark()
	c.attach(barcode, pin)
	c.waitForSince(mark, "Attached "+api.MaskBarcode(barcode))
	c.waitIdle()
}

// waitIdle waits until no scan is on its way and nothing is being read.
func (c *counterTest) waitIdle() string {
	c.t.Helper()
	return c.waitScreen("nothing on its way", func(s string) bool {
		return !strings.Contains(s, "Sending ") && !strings.Contains(s, "waiting:") && !strings.Contains(s, "Working…") &&
			!strings.Contains(s, "Loading")
	})
}

// openTickets opens the tickets panel and waits for its rows.
func (c *counterTest) openTickets() {
	c.t.Helper()
	c.key(tea.KeyF4)
	c.waitScreen("the tickets panel's rows", func(s string) bool {
		return strings.Contains(s, "Tickets · ") && strings.Contains(s, "> ") && strings.Contains(s, "F7 applies")
	})
}

// selectedRow is the line of the middle list that is selected.
func selectedRow(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "> ") {
			return l
		}
	}
	return ""
}

// selectRow moves the selection down until the selected row holds every
// text.
func (c *counterTest) selectRow(texts ...string) {
	c.t.Helper()
	has := func(line string) bool {
		for _, text := range texts {
			if !strings.Contains(line, text) {
				return false
			}
		}
		return line != ""
	}
	// The row is on screen before any key moves to it: a key pressed while
	// the rows are still loading would move past it.
	c.waitScreen("a row with "+strings.Join(texts, " "), func(s string) bool { return slices.ContainsFunc(strings.Split(s, "\n"), has) })
	for range 40 {
		row := selectedRow(c.screens.now())
		if has(row) {
			return
		}
		c.key(tea.KeyDown)
		// The selection has moved when the selected row changed, not when
		// any frame came (the clock's, a spinner's).
		eventually(func() bool { return selectedRow(c.screens.now()) != row })
	}
	c.t.Fatalf("no row with %q:\n%s", texts, c.screens.now())
}

// applyTickets presses F7 and waits for the tickets set.
func (c *counterTest) applyTickets() {
	c.t.Helper()
	c.waitScreen("a draft", func(s string) bool { return strings.Contains(s, "Not applied") })
	mark := c.screens.mark()
	c.key(tea.KeyF7)
	c.waitForSince(mark, "Tickets set for")
	c.waitIdle()
}

// orderOnScreen is the short id of the order the block shows.
var orderIDShown = regexp.MustCompile(`Order (\w{8}…\w{4})`)

func orderOnScreen(screen string) string {
	if m := orderIDShown.FindStringSubmatch(screen); m != nil {
		return m[1]
	}
	return ""
}

// waitNewOrder presses ctrl+n and waits for the new order on screen.
func (c *counterTest) waitNewOrder(from string) string {
	c.t.Helper()
	c.key(tea.KeyCtrlN)
	s := c.waitScreen("a new order", func(s string) bool {
		id := orderOnScreen(s)
		return id != "" && id != common.ShortID(from) && strings.Contains(s, "In progress")
	})
	return orderOnScreen(s)
}

// serverOrder finds the full id of an order created in this run from its
// short id on screen.
func (c *counterTest) createdOrder(short string) string {
	c.t.Helper()
	for _, call := range c.calls.snapshot() {
		if i := strings.Index(call, "/ocapi/v1/orders/"); i >= 0 {
			id := strings.SplitN(call[i+len("/ocapi/v1/orders/"):], "/", 2)[0]
			if len(id) == 32 && common.ShortID(id) == short {
				return id
			}
		}
	}
	c.t.Fatalf("no call names order %s", short)
	return ""
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
	short := c.waitNewOrder(seedOrderID)
	c.waitFor("order 2 of 2")
	c.key(tea.KeyF4)
	c.waitScreen("the day's showtimes", func(s string) bool { return strings.Contains(s, "Pick a showtime") && strings.Contains(s, "F7 takes") })
	c.key(tea.KeyF7)
	c.waitScreen("the ticket rows", func(s string) bool {
		return strings.Contains(s, "Tickets · ") && strings.Contains(s, "not on the order yet")
	})
	c.selectRow("Adult ", "19.50")
	c.key(tea.KeyRight)
	c.key(tea.KeyRight)
	c.applyTickets()
	created := c.createdOrder(short)
	o := c.waitOrder(created, "two adult tickets", func(o api.Order) bool { return countTickets(o, adultType, false) == 2 })
	// The next showtime to start on Sunday 29 November at the site.
	if len(o.Showtimes) != 1 || o.Showtimes[0].ShowtimeID != "0001-2701" {
		t.Fatalf("showtimes on the order: %+v", o.Showtimes)
	}
	c.waitFor("Tickets set for 10:30 Pip and the Paper Kite: 2 × Adult")
	c.waitScreen("the order's tickets and total", func(s string) bool {
		return strings.Contains(s, "2 × Adult") && strings.Contains(s, "Total 39.00")
	})
}

func TestSetTicketsReplacesTheShowtimesTickets(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.openTickets()
	c.selectRow("Adult ", "19.50")
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
	c.waitScreen("the new total", func(s string) bool { return strings.Contains(s, "Total 58.50") })
}

func TestVoucherPaysForATicket(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attachAndWait("ADTMM0000111", "1234")
	c.openTickets()
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight)
	c.waitFor("One Adult ticket (19.50) is now paid by AD......0111")
	c.applyTickets()
	o := c.waitUntil("an adult paid by the voucher", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 1 })
	if countTickets(o, adultType, false) != 1 || o.TotalPrice.ValueIncludingTax != 31.5 {
		t.Fatalf("order after the voucher paid: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.key(tea.KeyF4) // back to the list and the order's lines
	s := c.waitScreen("the voucher's use on screen", func(s string) bool {
		return strings.Contains(rowOf(s, "AD......0111"), "1 left, pays 1") && strings.Contains(s, "Total 31.50")
	})
	if !strings.Contains(s, "paid by AD......0111") {
		t.Fatalf("the ticket line does not say what paid for it:\n%s", s)
	}
}

func TestVoucherCannotPayForMoreThanItsRedemptions(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attachAndWait("ADTMM0000111", "1234") // two redemptions
	c.openTickets()
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight)
	c.key(tea.KeyRight)
	c.key(tea.KeyRight)
	c.waitFor("Voucher AD......0111 can pay for 2 tickets on this order, not 3. Nothing was sent")
	if n := c.calls.count("PUT", "/showtimes/0001-2681"); n != 0 {
		t.Fatalf("%d ticket calls were made before the refusal", n)
	}
	// The two it may pay for go through.
	c.applyTickets()
	c.waitUntil("two adults paid by the voucher", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 2 })
	c.key(tea.KeyF4)
	c.waitScreen("none left", func(s string) bool { return strings.Contains(rowOf(s, "AD......0111"), "0 left, pays 2") })
}

func TestRemoveVoucherThatPaysForTickets(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attachAndWait("ADTMM0000111", "1234")
	c.openTickets()
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight)
	c.applyTickets()
	c.waitUntil("the voucher in use", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 1 })
	c.key(tea.KeyF4)
	c.waitScreen("the voucher's use on screen", func(s string) bool { return strings.Contains(rowOf(s, "AD......0111"), "pays 1") })
	c.key(tea.KeyF8)
	c.waitFor("It pays for 1 ticket: 1 ticket goes back to Adult at the normal price. Press F8 again")
	c.key(tea.KeyF8)
	o := c.waitUntil("the voucher gone, its ticket at the normal price", func(o api.Order) bool {
		return len(o.Vouchers) == 0 && countTickets(o, adultType, false) == 2
	})
	if countTickets(o, adultMMType, true) != 0 || o.TotalPrice.ValueIncludingTax != 51 {
		t.Fatalf("order after removal: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.waitFor("1 ticket went back to Adult at the normal price. Total now 51.00")
}

func TestCancelOrder(t *testing.T) {
	t.Run("second F9 cancels, Enter does not", func(t *testing.T) {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now})
		c.key(tea.KeyF9)
		c.waitFor("Press F9 again to cancel it")
		// A scan ends with Enter: it must never confirm.
		mark := c.screens.mark()
		c.key(tea.KeyEnter)
		c.waitForSince(mark, "No barcode")
		if n := c.calls.count("DELETE", "/orders/"+seedOrderID); n != 0 {
			t.Fatal("Enter cancelled the order")
		}
		c.key(tea.KeyF9)
		c.waitScreen("the question again", func(s string) bool { return shows(statusText(s), "Press F9 again to cancel it") })
		c.key(tea.KeyF9)
		c.waitFor("cancelled: its tickets and vouchers are released. ctrl+n starts a new order")
		c.waitScreen("the order cancelled", func(s string) bool { return strings.Contains(s, "Cancelled") })
		if _, err := c.client.GetOrder(t.Context(), seedOrderID); api.KindOf(err) != api.KindNotFound {
			t.Fatalf("the server still has the order: %v", err)
		}
		// And a new order is one key away.
		c.waitNewOrder(seedOrderID)
	})
	t.Run("esc keeps the order", func(t *testing.T) {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now})
		c.key(tea.KeyF9)
		c.waitFor("Press F9 again to cancel it")
		c.key(tea.KeyEsc)
		c.waitFor("Kept the order")
		mark := c.screens.mark()
		c.key(tea.KeyF9)
		c.waitForSince(mark, "Press F9 again to cancel it")
		if n := c.calls.count("DELETE", "/orders/"+seedOrderID); n != 0 {
			t.Fatalf("%d cancel calls after esc", n)
		}
	})
}

func TestCompleteRefusesAnOrderWithSomethingToPay(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.waitScreen("the ticket names", func(s string) bool { return strings.Contains(s, "2 × Adult") })
	c.key(tea.KeyF10)
	c.waitFor("Still to pay: 51.00 (2 × Adult at 19.50, 1 × Child at 12.00)")
	if strings.Contains(c.screens.now(), "Press F10 again") || c.calls.count("POST", "/completion") != 0 {
		t.Fatalf("an unpaid order went towards completion:\n%s", c.screens.now())
	}
}

func TestCompleteOrderThenANewOrderSeesTheVoucherUsed(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.OrderID = emptyOrderID }})
	c.attachAndWait("ADTMM0000111", "1234")
	c.openTickets()
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight) // no adult to replace: a ticket is added
	c.applyTickets()
	c.waitScreen("a free ticket", func(s string) bool { return strings.Contains(s, "Total 0.00") })
	c.key(tea.KeyF10)
	c.waitFor("Press F10 again to complete")
	c.key(tea.KeyF10)
	s := c.waitScreen("completed", func(s string) bool { return strings.Contains(s, "✓ Completed, transaction ") })
	txn := regexp.MustCompile(`transaction (\d+)`).FindStringSubmatch(s)[1]
	c.waitFor("completed, transaction " + txn + ". ctrl+n starts a new order")
	resp, err := c.client.GetOrder(t.Context(), emptyOrderID)
	if err != nil || resp.Order.Status != api.OrderCompleted {
		t.Fatalf("server order: %+v, %v", resp, err)
	}
	if n := c.calls.count("POST", "/completion"); n != 1 {
		t.Fatalf("%d completion calls, want 1", n)
	}
	found := false
	for _, e := range readJournal(t, c.journal) {
		found = found || e.Action == "complete" && e.Outcome == "completed" && e.Message == "transaction "+txn
	}
	if !found {
		t.Fatalf("the journal lacks the completion with transaction %s", txn)
	}

	// The next customer's order: the voucher has one redemption left.
	c.waitNewOrder(emptyOrderID)
	c.key(tea.KeyF4)
	c.waitScreen("the day's showtimes", func(s string) bool { return strings.Contains(s, "F7 takes") })
	c.key(tea.KeyF7)
	c.waitScreen("the ticket rows", func(s string) bool { return strings.Contains(s, "not on the order yet") })
	c.selectRow("Adult ", "19.50")
	c.key(tea.KeyRight)
	c.applyTickets()
	c.key(tea.KeyF4)
	c.attachAndWait("ADTMM0000111", "1234")
	c.waitFor("Attached AD......0111 (Adult Movie Money): 1 remaining")
	c.waitScreen("the voucher listed", func(s string) bool { return strings.Contains(rowOf(s, "AD......0111"), "1 left") })
}

func TestExpiredOrderIsSaidPlainlyAndANewOneOffered(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.OrderID = shortOrderID }})
	c.waitFor("! expires in 02:00")
	c.waitFor("Order 9e8d7c6b…6c5b expires in 02:00: finish it now")
	clock.Advance(3 * time.Minute)
	// No key is pressed: the countdown reaching zero makes the screen look.
	c.waitFor("Order 9e8d7c6b…6c5b has expired or no longer exists: its tickets and vouchers were released")
	s := c.waitScreen("the end of the order among the outcomes", func(s string) bool {
		return strings.Contains(s, "Last outcomes") && strings.Contains(s, "✗ Order 9e8d7c6b…6c5b has expired")
	})
	if !strings.Contains(s, "ctrl+n new order") {
		t.Fatalf("the bar does not offer the next order:\n%s", s)
	}
	c.waitNewOrder(shortOrderID)
}

func TestF6CyclesTheOrdersOpenedInThisRun(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	created := c.waitNewOrder(seedOrderID)
	c.key(tea.KeyF6)
	c.waitScreen("back on the first order", func(s string) bool {
		return orderOnScreen(s) == common.ShortID(seedOrderID) && strings.Contains(s, "2 × Adult")
	})
	c.key(tea.KeyF6)
	c.waitScreen("on the new order again", func(s string) bool { return orderOnScreen(s) == created })
}

func TestGoldenTicketsPanel(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, mockOpts: func(o *mock.Options) {
		n := 0
		o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
	}})
	c.waitFor("Screen 1")
	c.attachAndWait("ADTMM0000111", "1234")
	c.openTickets()
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight)
	// The draft and the status line that tells it arrive as two messages.
	screen := c.waitScreen("a draft and its status line", func(s string) bool {
		return strings.Contains(s, "Not applied") && strings.Contains(s, "is now paid by AD......0111")
	})
	teatest.RequireEqualOutput(t, []byte(screen))
}

// F6 goes on to the next order still open: a completed one is passed over.
func TestF6PassesOverACompletedOrder(t *testing.T) {
	d := newDriver(t, nil)
	d.backend.answer = demoBackend(t, func(id string) *api.OrderResponse {
		o := demoOrder(t, id)
		if id == emptyOrderID {
			o.Order.Status = api.OrderCompleted
		}
		return o
	})
	d.send(orderLoadedMsg{orderID: seedOrderID, seq: d.lastCall("load").seq, resp: demoOrder(t, seedOrderID)})
	for _, id := range []string{emptyOrderID, seedOrderID} {
		d.key(tea.KeyCtrlO)
		d.typed(id)
		d.key(tea.KeyEnter)
	}
	d.mustShow("Order 3f9c2a7b…4a86")
	d.key(tea.KeyF6)
	d.mustShow("No other order opened in this run is still open", "Order 3f9c2a7b…4a86")
}

// A barcode and PIN typed on one order do not carry over to the next
// customer's: the form is the customer's.
func TestTheFormDoesNotOutliveItsOrder(t *testing.T) {
	d := loaded(t, nil)
	d.scan("ADTMM0000222")
	d.key(tea.KeyEnter)
	d.typed("4321")
	d.mustShow("PIN [••••")
	d.key(tea.KeyCtrlO)
	d.typed(emptyOrderID)
	d.key(tea.KeyEnter)
	d.mustNotShow("••••", "ADTMM0000222")
	d.mustShow("Order c4e1a9b7…3a1b")
}

// ctrl+o with an id the server does not know says so, and does not list it
// as an order of this run, nor say its tickets were released.
func TestOpeningAnOrderTheServerDoesNotKnow(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.key(tea.KeyCtrlO)
	c.typed("nonsense-order")
	c.key(tea.KeyEnter)
	c.waitFor("There is no order nonsense-order on the server")
	s := c.waitIdle()
	if strings.Contains(s, "released") || strings.Contains(s, "has expired or no longer exists") {
		t.Fatalf("the screen speaks of a release:\n%s", s)
	}
	c.key(tea.KeyCtrlO)
	s = c.waitScreen("the open-order page", func(s string) bool { return strings.Contains(s, "Open an order") })
	if _, list, _ := strings.Cut(s, "Opened in this run"); strings.Contains(strings.Split(list, "───")[0], "nonsense") {
		t.Fatalf("the unknown id is listed as an order of this run:\n%s", s)
	}
}

// The status line speaks of the order on screen: after a switch it no longer
// reports an outcome on the order left behind.
func TestTheStatusLineDoesNotOutliveItsOrder(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scan("ADTMM0000333")
	d.key(tea.KeyEnter)
	a := d.lastCall("attach")
	d.send(attachDoneMsg{orderID: seedOrderID, scan: a.scan, result: api.AttachResult{Voucher: api.OrderVoucher{ID: "v333", MaskedBarcode: "AD......0333", Type: api.VoucherTicket}, AvailableRedemptions: 5}})
	d.mustShow("Attached AD......0333")
	d.key(tea.KeyCtrlO)
	d.typed(emptyOrderID)
	d.key(tea.KeyEnter)
	d.mustNotShow("Attached AD......0333")
}

// On the open-order page, ↑/↓ picks one of this run's orders and Enter
// opens it.
func TestPickAnOrderOfThisRunWithArrows(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	created := c.waitNewOrder(seedOrderID)
	c.key(tea.KeyCtrlO)
	c.waitFor("↑/↓ and Enter open one")
	c.key(tea.KeyDown) // the oldest: the first order
	c.waitFor("> " + common.ShortID(seedOrderID))
	c.key(tea.KeyEnter)
	c.waitScreen("back on the first order", func(s string) bool {
		return orderOnScreen(s) == common.ShortID(seedOrderID) && strings.Contains(s, "2 × Adult")
	})
	c.key(tea.KeyCtrlO)
	c.key(tea.KeyUp) // the newest: the one created
	c.waitFor("> " + created)
	c.key(tea.KeyEnter)
	c.waitScreen("on the new order again", func(s string) bool { return orderOnScreen(s) == created })
}

// The completion question names every voucher completing spends, a Deal
// voucher that pays for no ticket among them: it is spent all the same.
func TestCompleteNamesADealThatPaysForNothing(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) {
		o.OrderID = emptyOrderID
		o.VoucherType = api.VoucherDeal
		o.PinPrompt = PinNever
	}})
	c.scan("9300000000017")
	c.key(tea.KeyEnter)
	c.waitFor("Attached 93.......0017")
	c.key(tea.KeyF10)
	s := c.waitScreen("the question", func(s string) bool { return strings.Contains(squeezed(s), "Press F10 again to complete") })
	for _, want := range []string{"spends 93.......0017 (Deal, pays for no ticket)", "Deal voucher 93.......0017 pays for no ticket and is spent all the same"} {
		if !strings.Contains(squeezed(s), want) {
			t.Errorf("the completion question does not say %q:\n%s", want, s)
		}
	}
}
