package ui

import (
	"fmt"
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
	c.attachAndWait("CHDMM0000111", "1111")
	c.openTickets()
	c.selectRow("Child Movie Money", "CH......0111")
	c.key(tea.KeyRight)
	c.waitFor("One Child ticket (12.00) is now paid by CH......0111. F7 applies.")
	c.key(tea.KeyLeft)
	c.waitFor("That ticket goes back to Child at 12.00; ← on Child takes it off.")
	c.key(tea.KeyRight)
	c.applyTickets()
	o := c.waitUntil("the child's ticket paid by the voucher", func(o api.Order) bool { return countTickets(o, childMMType, true) == 1 })
	if countTickets(o, adultType, false) != 2 || countTickets(o, childType, false) != 0 || o.TotalPrice.ValueIncludingTax != 39 {
		t.Fatalf("order after the voucher took a ticket: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.waitFor("Total now 39.00")

	c.key(tea.KeyF4) // close the panel: F8 removes the selected voucher
	c.waitScreen("the voucher list", func(s string) bool { return strings.Contains(s, "Vouchers on this order (1)") })
	c.key(tea.KeyF8)
	c.waitFor("It pays for 1 ticket: 1 ticket goes back to Child at the normal price. Press F8 again")
	c.key(tea.KeyF8)
	o = c.waitUntil("the voucher gone", func(o api.Order) bool { return len(o.Vouchers) == 0 })
	if countTickets(o, childType, false) != 1 || countTickets(o, adultType, false) != 2 || o.TotalPrice.ValueIncludingTax != 51 {
		t.Fatalf("order after removal: %+v total %.2f", o.Showtimes, o.TotalPrice.ValueIncludingTax)
	}
	c.waitFor("1 ticket went back to Child at the normal price. Total now 51.00")
}

// With the order's only Child ticket already paid by one Child voucher, a
// second Child voucher adds a ticket of its own; the Adult tickets stay.
func TestSecondChildVoucherLeavesTheAdultsAlone(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attachAndWait("CHDMM0000111", "1111")
	c.attachAndWait("CHDMM0000222", "")
	c.openTickets()
	c.selectRow("Child Movie Money", "CH......0111")
	c.key(tea.KeyRight)
	c.waitFor("One Child ticket (12.00) is now paid by CH......0111")
	c.selectRow("Child Movie Money", "CH......0222")
	c.key(tea.KeyRight)
	c.waitFor("Added one Child Movie Money ticket paid by CH......0222. F7 applies.")
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
	short := c.waitNewOrder(seedOrderID)
	c.waitFor("Showtime none yet")
	c.key(tea.KeyF4)
	c.waitScreen("the day's showtimes", func(s string) bool { return strings.Contains(s, "F7 takes") })
	c.key(tea.KeyF7)
	c.waitFor("Showtime 10:30 Pip and the Paper Kite (F7 adds it)")
	c.attachAndWait("ADTMM0000111", "1234")
	c.waitScreen("the voucher's row", func(s string) bool { return strings.Contains(s, "AD......0111 2 left") })
	c.selectRow("Adult Movie Money", "AD......0111")
	c.key(tea.KeyRight)
	c.waitFor("Added one Adult Movie Money ticket paid by AD......0111")
	c.applyTickets()
	created := c.createdOrder(short)
	o := c.waitOrder(created, "the showtime with the voucher's ticket", func(o api.Order) bool { return countTickets(o, adultMMType, true) == 1 })
	if len(o.Showtimes) != 1 || o.Showtimes[0].ShowtimeID != "0001-2701" || len(o.Vouchers) != 1 {
		t.Fatalf("order: %+v vouchers %+v", o.Showtimes, o.Vouchers)
	}
}

// withFailedScans is a loaded screen with n scans refused, the newest last.
func withFailedScans(t *testing.T, n int) *driver {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.backend.answer = nil
	for i := range n {
		d.scanKeys(fmt.Sprintf("ADTMM0000%03d\r", 900+i))
		d.send(attachDoneMsg{orderID: seedOrderID, scan: d.lastCall("attach").scan, err: &api.Error{Op: api.OpAddVoucher, Kind: api.KindRejected, Status: 400, Message: "Voucher is used up."}})
	}
	return d
}

// "Not attached" takes the rows the voucher list leaves, and says how many
// scans it does not show.
func TestNotAttachedUsesTheRoomItHas(t *testing.T) {
	d := withFailedScans(t, 3)
	for i := range 3 {
		d.mustShow(api.MaskBarcode(fmt.Sprintf("ADTMM0000%03d", 900+i)))
	}
	d = withFailedScans(t, 30)
	d.mustShow("Not attached (30, ", " not shown) · ctrl+r: newest · ↓ past the vouchers")
}

// ↓ past the last voucher moves into the list, ↓ scrolls it to scans not
// shown, and ctrl+r retries the one selected; ↑ from its top goes back, and
// ctrl+r then takes the newest again.
func TestCtrlRRetriesTheSelectedScan(t *testing.T) {
	d := withFailedScans(t, 30)
	oldest := api.MaskBarcode("ADTMM0000900")
	d.mustNotShow(oldest)
	for range 30 {
		d.key(tea.KeyDown)
	}
	d.mustShow("> ✗ "+oldest, "ctrl+r retry it")
	d.key(tea.KeyCtrlR)
	d.mustShow("Barcode [ADTMM0000900", "Retrying "+oldest)

	d = withFailedScans(t, 3)
	for _, k := range []tea.KeyType{tea.KeyDown, tea.KeyDown, tea.KeyUp, tea.KeyUp, tea.KeyCtrlR} {
		d.key(k)
	}
	d.mustShow("Barcode [ADTMM0000902")
}

// F8 never removes a voucher while the selection is in the list.
func TestF8WithTheSelectionInNotAttached(t *testing.T) {
	d := withFailedScans(t, 2)
	d.key(tea.KeyDown)
	d.key(tea.KeyF8)
	d.mustShow("to the vouchers first.")
	if len(d.backend.made("remove")) != 0 {
		t.Fatal("F8 removed something")
	}
}
