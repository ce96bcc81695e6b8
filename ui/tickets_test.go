package ui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

const childMMType = "0001-0078"

// A Child voucher in the tickets panel takes a Child ticket, never an Adult
// one; removing the voucher puts that ticket back as a Child at its price.
func TestChildVoucherTakesAndGivesBackAChildTicket(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attach("CHDMM0000111", "1111")
	s := c.openTickets()
	c.selectRow(s, childMMType+"/")
	c.key(tea.KeyRight)
	c.waitStatus("One Child ticket (12.00) is now paid by CH......0111. F7 applies.")
	c.key(tea.KeyLeft)
	c.waitStatus("That ticket goes back to Child at 12.00; ← on Child takes it off.")
	c.key(tea.KeyRight)
	c.applyTickets()
	o := c.waitUntil("the child's ticket paid by the voucher", func(o api.Order) bool { return countTickets(o, childMMType, true) == 1 })
	if countTickets(o, adultType, false) != 2 || countTickets(o, childType, false) != 0 || o.TotalPrice.ValueIncludingTax != 39 {
		t.Fatalf("order after the voucher took a ticket: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.waitFor("Total now 39.00")

	c.key(tea.KeyF4) // close the panel: F8 removes the selected voucher
	c.waitState("the voucher list", func(s modelState) bool { return s.panel == panelNone })
	c.key(tea.KeyF8)
	c.waitStatus("It pays for 1 ticket: 1 ticket goes back to Child at the normal price. Press F8 again")
	c.key(tea.KeyF8)
	o = c.waitUntil("the voucher gone", func(o api.Order) bool { return len(o.Vouchers) == 0 })
	if countTickets(o, childType, false) != 1 || countTickets(o, adultType, false) != 2 || o.TotalPrice.ValueIncludingTax != 51 {
		t.Fatalf("order after removal: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.waitStatus("1 ticket went back to Child at the normal price. Total now 51.00")
}

// With the order's only Child ticket already paid by one Child voucher, a
// second Child voucher adds a ticket of its own; the Adult tickets stay.
func TestSecondChildVoucherLeavesTheAdultsAlone(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attach("CHDMM0000111", "1111")
	c.attach("CHDMM0000222", "")
	s := c.openTickets()
	first := api.MaskBarcode("CHDMM0000111")
	c.selectRow(s, childMMType+"/")
	c.key(tea.KeyRight)
	c.waitStatus("One Child ticket (12.00) is now paid by " + first)
	c.key(tea.KeyDown)
	c.key(tea.KeyRight)
	c.waitStatus("Added one Child Movie Money ticket paid by CH......0222. F7 applies.")
	c.applyTickets()
	o := c.waitUntil("two child voucher tickets", func(o api.Order) bool { return countTickets(o, childMMType, true) == 2 })
	if countTickets(o, adultType, false) != 2 || countTickets(o, childType, false) != 0 {
		t.Fatalf("order: %+v", o.Showtimes)
	}
}

// A showtime picked for a new order takes Ticket vouchers at once: the
// voucher is scanned for it, gets its row in the panel, and pays for a
// ticket when F7 adds the showtime to the order.
func TestPickedShowtimeTakesTicketVouchersBeforeItsTickets(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.waitFor("Screen 1")
	c.key(tea.KeyCtrlN)
	s := c.waitState("a new order", func(s modelState) bool {
		return s.orderID != seedOrderID && s.orderStatus == api.OrderInProgress
	})
	created := s.orderID
	c.waitFor("Showtime none yet")
	c.key(tea.KeyF4)
	c.waitState("the day's showtimes", func(s modelState) bool { return s.panel == panelPicker && s.picked > 0 })
	c.key(tea.KeyF7)
	c.waitState("the ticket rows", func(s modelState) bool { return s.panel == panelTickets && len(s.rows) > 0 })
	c.waitFor("Showtime 10:30 Pip and the Paper Kite (F7 adds it)")
	c.attach("ADTMM0000111", "1234")
	s = c.waitState("the voucher's row", func(s modelState) bool { return slices.ContainsFunc(s.rows, hasVoucherRow(adultMMType)) })
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight)
	c.waitStatus("Added one Adult Movie Money ticket paid by AD......0111")
	c.applyTickets()
	o := c.waitOrder(created, "the showtime with the voucher's ticket", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 1 })
	if len(o.Showtimes) != 1 || o.Showtimes[0].ShowtimeID != "0001-2701" || len(o.Vouchers) != 1 {
		t.Fatalf("order: %+v vouchers %+v", o.Showtimes, o.Vouchers)
	}
}

// hasVoucherRow matches a panel row of the ticket type paid by a voucher.
func hasVoucherRow(typeID string) func(string) bool {
	return func(row string) bool { return strings.HasPrefix(row, typeID+"/") && len(row) > len(typeID)+1 }
}
