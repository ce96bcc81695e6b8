package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
)

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
	c.attach("9300000000017", "")
	c.waitFor("Attached 93.......0017")
	c.waitFor("Type Ticket (F2)")
	c.attach("ADTMM0000444", "")
	c.waitFor("Attached AD......0444")
	c.waitUntil("both vouchers on the order", func(o api.Order) bool {
		return voucherTypeOn(o, "93.......0017") == api.VoucherDeal && voucherTypeOn(o, "AD......0444") == api.VoucherTicket
	})
}

// F2 pressed again on a type pins it: every scan goes as that type, and
// the form says so, until F2 moves on; the next customer's form keeps it.
func TestVoucherTypePinnedStays(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.key(tea.KeyF2)
	c.key(tea.KeyF2)
	c.waitFor("Type Deal · pinned (F2)")
	c.attach("9300000000017", "")
	c.waitFor("Attached 93.......0017")
	c.attach("9300000000024", "")
	c.waitFor("Attached 93.......0024")
	c.waitUntil("both as Deal", func(o api.Order) bool {
		return voucherTypeOn(o, "93.......0017") == api.VoucherDeal && voucherTypeOn(o, "93.......0024") == api.VoucherDeal
	})
	c.waitIdle()
	c.waitNewOrder(seedOrderID)
	if s := c.waitIdle(); !strings.Contains(s, "Type Deal · pinned (F2)") {
		t.Fatalf("the pin did not outlast the scans and the order:\n%s", s)
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
	c.waitFor("Attached 93.......0017 (Free small popcorn): 1 remaining (sent as Deal by its prefix 9300)")
	// Any case: the prefix is subs, the barcode SUBS.
	c.attach("SUBS00070707", "")
	c.waitFor("(sent as Subscription by its prefix SUBS)")
	// No prefix: voucher_type.
	c.attach("ADTMM0000444", "")
	c.waitFor("Attached AD......0444")
	// F2 is the operator's word over the prefix's.
	c.key(tea.KeyF2)
	c.key(tea.KeyF2)
	c.key(tea.KeyF2)
	c.waitFor("Type Subscription · this scan")
	c.attach("9300000000024", "")
	c.waitFor("Voucher 93.......0024")
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
// start time and film; a Deal is for the whole order. At 120 columns the
// film's name has the room it needs.
func TestTwoShowtimesShowWhichEachVoucherIsFor(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 30}} {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now, cols: size[0], rows: size[1], opts: func(o *Options) { o.OrderID = twoShowtimesOrderID }})
		c.waitFor("Gold Lounge")
		c.attachAndWait("ADTMM0000111", "1234")
		c.key(tea.KeyF3)
		c.waitFor("Showtime 18:00 The Lighthouse Keeper's Daughter (F3)")
		c.attachAndWait("ADTMM0000333", "3333")
		c.key(tea.KeyF2)
		c.attachAndWait("9300000000017", "")
		s := c.waitIdle()
		rows := []string{rowOf(s, "AD......0111"), rowOf(s, "AD......0333"), rowOf(s, "93.......0017")}
		if !strings.Contains(rows[0], "19:30 The Long") || !strings.Contains(rows[1], "18:00 The Lightho") || !strings.Contains(rows[2], "whole order") {
			t.Errorf("%dx%d: the For column does not say which showtime:\n%s", size[0], size[1], s)
		}
		if size[0] == 120 && (!strings.Contains(rows[1], "18:00 The Lighthouse Keeper's Da") || !strings.Contains(rows[1], "Adult Movie Money")) {
			t.Errorf("at 120 columns the For column is still cut:\n%s", s)
		}
		if strings.Contains(s, "0001-26") {
			t.Errorf("a showtime id is on screen:\n%s", s)
		}
		c.quit()
	}
}

// A failed scan brought back as the default type: one F2 moves on, as from
// the default. F2 pressed before ctrl+r is the operator's word on the
// scan's type; and a scan refused as another type comes back as that type.
func TestF2AndARetriedScan(t *testing.T) {
	t.Run("F2 after the scan came back", func(t *testing.T) {
		c := startCounter(t, counterSetup{})
		// A missing PIN brings the scan back for one.
		c.attach("ADTMM0000111", "")
		c.waitFor("Voucher AD......0111")
		c.waitPinAgain("ADTMM0000111")
		c.key(tea.KeyF2)
		c.waitFor("Type Deal · this scan (F2 again pins it)")
	})
	t.Run("a wrong type comes back as the type the server named", func(t *testing.T) {
		c := startCounter(t, counterSetup{})
		c.attach("9300000000017", "")
		c.waitFor("is a Deal voucher, not a Ticket voucher")
		c.key(tea.KeyCtrlR)
		c.waitFor("Type Deal · this scan")
		c.key(tea.KeyEnter)
		c.waitFor("Attached 93.......0017")
		c.waitUntil("the voucher as a Deal", func(o api.Order) bool { return voucherTypeOn(o, "93.......0017") == api.VoucherDeal })
	})
	t.Run("F2 then ctrl+r sends it as F2 chose", func(t *testing.T) {
		c := startCounter(t, counterSetup{})
		c.attach("SUBS00070707", "")
		c.waitFor("Voucher SU......0707")
		c.waitIdle()
		c.key(tea.KeyEsc)
		c.key(tea.KeyF2)
		c.key(tea.KeyF2)
		c.key(tea.KeyF2)
		c.waitFor("Type Subscription · this scan")
		c.key(tea.KeyCtrlR)
		c.waitFor("Barcode [SUBS00070707")
		c.key(tea.KeyEnter)
		c.waitFor("Attached SU......0707")
		c.waitUntil("the voucher as a Subscription", func(o api.Order) bool { return voucherTypeOn(o, "SU......0707") == api.VoucherSubscription })
	})
}

var _ = teatest.WithFinalTimeout
