package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// twoShowtimeOrderID is the demo order with two showtimes: 19:30 The Long
// Night and 18:00 The Lighthouse Keeper's Daughter in the Gold Lounge.
const twoShowtimeOrderID = "7d2e4b9c0a1f4e6d8b3c5a7e9f1d2c4b"

// scanWithoutPin scans a voucher that has no PIN, as the operator does:
// the barcode, then Enter at the PIN.
func (c *counterTest) scanWithoutPin(barcode string) {
	c.scan(barcode)
	c.key(tea.KeyEnter)
	c.key(tea.KeyEnter)
}

// voucherTypeOn is the type the server has the voucher as, "" when it is
// not on the order.
func voucherTypeOn(o api.Order, masked string) api.VoucherType {
	for _, v := range o.Vouchers {
		if v.MaskedBarcode == masked {
			return v.Type
		}
	}
	return ""
}

// F2 chooses the type for one scan; the next goes as voucher_type again.
func TestVoucherTypeGoesBackAfterTheScan(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.key(tea.KeyF2)
	c.waitFor("Type Deal · this scan (F2 again pins it)")
	c.scanWithoutPin("9300000000017")
	c.waitStatus("Attached 93.......0017")
	c.waitFor("Type Ticket (F2)")
	c.scanWithoutPin("ADTMM0000444")
	c.waitStatus("Attached AD......0444")
	c.waitUntil("both vouchers on the order", func(o api.Order) bool {
		return voucherTypeOn(o, "93.......0017") == api.VoucherDeal && voucherTypeOn(o, "AD......0444") == api.VoucherTicket
	})
}

// F2 pressed again on a type pins it: every scan goes as that type, and
// the form says so, until F2 moves on.
func TestVoucherTypePinnedStays(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.key(tea.KeyF2)
	c.key(tea.KeyF2)
	c.waitFor("Type Deal · pinned (F2)")
	c.scanWithoutPin("9300000000017")
	c.waitStatus("Attached 93.......0017")
	c.scanWithoutPin("9300000000024")
	c.waitStatus("Attached 93.......0024")
	c.waitUntil("both as Deal", func(o api.Order) bool {
		return voucherTypeOn(o, "93.......0017") == api.VoucherDeal && voucherTypeOn(o, "93.......0024") == api.VoucherDeal
	})
	if screen := c.final().View(); !strings.Contains(screen, "Type Deal · pinned (F2)") {
		t.Fatalf("the pin did not outlast the scans:\n%s", screen)
	}
}

// With voucher_prefixes a scan goes as its prefix's type without F2; the
// longest prefix wins, the form shows the type before the PIN, and the
// outcome says which prefix chose it. F2 still overrides it.
func TestVoucherPrefixChoosesTheType(t *testing.T) {
	c := startCounter(t, counterSetup{opts: func(o *Options) {
		o.VoucherPrefixes = map[string]api.VoucherType{"93": api.VoucherSubscription, "9300": api.VoucherDeal, "subs": api.VoucherSubscription}
	}})
	c.scan("9300000000017")
	c.key(tea.KeyEnter)
	c.waitFor("Type Deal · prefix 9300 (F2)")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached 93.......0017 (Free small popcorn): 1 remaining (sent as Deal by its prefix 9300)")
	// Any case: the prefix is subs, the barcode SUBS.
	c.scan("SUBS00070707")
	c.key(tea.KeyEnter)
	c.key(tea.KeyEnter)
	c.waitStatus("(sent as Subscription by its prefix SUBS)")
	// No prefix: voucher_type.
	c.scanWithoutPin("ADTMM0000444")
	c.waitStatus("Attached AD......0444")
	// F2 is the operator's word over the prefix's.
	c.key(tea.KeyF2)
	c.key(tea.KeyF2)
	c.key(tea.KeyF2)
	c.waitFor("Type Subscription · this scan")
	c.scanWithoutPin("9300000000024")
	c.waitStatus("Voucher 93.......0024")
	o := c.waitUntil("the vouchers", func(o api.Order) bool {
		return voucherTypeOn(o, "93.......0017") == api.VoucherDeal && voucherTypeOn(o, "SU......0707") == api.VoucherSubscription &&
			voucherTypeOn(o, "AD......0444") == api.VoucherTicket
	})
	if got := voucherTypeOn(o, "93.......0024"); got != "" {
		t.Fatalf("the Deal voucher sent as Subscription by F2 is on the order as %s", got)
	}
	if n := c.calls.count("POST", "/vouchers"); n != 4 {
		t.Fatalf("%d adds, want 4", n)
	}
}

// On an order with two showtimes each voucher says which it is for, by
// start time and film; a Deal is for the whole order.
func TestTwoShowtimesShowWhichEachVoucherIsFor(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = twoShowtimeOrderID }})
	c.waitState("the showtimes priced", func(s modelState) bool { return s.priced })
	c.attach("ADTMM0000111", "1234")
	c.key(tea.KeyF3)
	c.waitFor("Showtime 18:00 The Lighthouse Keeper's Daughter (F3)")
	c.attach("ADTMM0000333", "3333")
	c.key(tea.KeyF2)
	c.scanWithoutPin("9300000000017")
	c.waitStatus("Attached 93.......0017")
	screen := c.final().View()
	for _, row := range []string{
		"Barcode        Type         For                Description",
		"AD......0111   Ticket       19:30 The Long Ni… Adult Movie",
		"AD......0333   Ticket       18:00 The Lightho… Adult Movie",
		"93.......0017  Deal         whole order        Free small",
	} {
		if !strings.Contains(screen, row) {
			t.Errorf("the voucher list lacks %q:\n%s", row, screen)
		}
	}
	if strings.Contains(screen, "0001-26") {
		t.Errorf("a showtime id is on screen:\n%s", screen)
	}
}

// A failed scan brought back as the default type: one F2 moves on, as from
// the default.
func TestF2OnAScanBroughtBackMovesOn(t *testing.T) {
	c := startCounter(t, counterSetup{})
	// A missing PIN brings the scan back for one.
	c.scanWithoutPin("ADTMM0000111")
	c.waitStatus("Voucher AD......0111")
	c.waitState("the scan back in the form", func(s modelState) bool { return s.focus == focusPin && s.barcode == "ADTMM0000111" })
	c.key(tea.KeyF2)
	c.waitFor("Type Deal · this scan (F2 again pins it)")
}
