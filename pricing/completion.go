package pricing

import (
	"fmt"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/internal/barcode"
)

// Refusal is why an order cannot be completed at the counter.
type Refusal string

// The counter completes only orders paid in full by vouchers, with
// something on them.
const (
	// CanComplete: nothing stops the completion.
	CanComplete Refusal = ""
	// AlreadyCompleted: the order was completed before.
	AlreadyCompleted Refusal = "already_completed"
	// StillToPay: the order costs something; Completion.Due says what.
	StillToPay Refusal = "still_to_pay"
	// NothingToComplete: the order has no ticket and no voucher.
	NothingToComplete Refusal = "nothing_to_complete"
)

// Spend is one voucher that completing an order spends.
type Spend struct {
	Voucher api.OrderVoucher
	// Tickets is how many of the order's tickets it pays for. A Deal
	// voucher pays for none: being on the order is its one use, and
	// completing spends it all the same.
	Tickets int
}

// Deal reports whether the voucher is spent by being on the order.
func (s Spend) Deal() bool { return s.Voucher.Type == api.VoucherDeal }

// String names the voucher, masked, and what it is spent on:
// "AD......0111 (2 tickets)", "93.......0017 (Deal, pays for no ticket)".
func (s Spend) String() string {
	masked := barcode.Mask(s.Voucher.MaskedBarcode)
	switch {
	case s.Deal() && s.Tickets == 0:
		return masked + " (Deal, pays for no ticket)"
	case s.Deal():
		return masked + " (Deal, " + Plural(s.Tickets, "ticket") + ")"
	}
	return masked + " (" + Plural(s.Tickets, "ticket") + ")"
}

// Completion is what completing an order would do, or why it cannot be.
type Completion struct {
	Refusal Refusal
	// Due is what is still to pay, for StillToPay.
	Due float64
	// Tickets is how many tickets the order holds, PaidByVouchers how
	// many of them vouchers pay for.
	Tickets, PaidByVouchers int
	// Spends are every voucher completing would spend, in the order given,
	// Deal vouchers included.
	Spends []Spend
}

// PlanCompletion applies the counter's rules for completing an order: not
// one completed already, nothing left to pay, and something on it (a
// ticket or a voucher). vouchers are the order's vouchers as the caller
// knows them: a tenant may not list them on the order (Vista does not
// document order.vouchers[]), and then the journal's record stands in.
// Completing spends each voucher that pays for a ticket and every Deal
// voucher on the order, whether it pays for anything or not.
func PlanCompletion(o api.Order, vouchers []api.OrderVoucher) Completion {
	c := Completion{Tickets: TicketCount(o)}
	uses := VoucherUses(o)
	for _, v := range vouchers {
		n := uses[v.ID]
		c.PaidByVouchers += n
		if n > 0 || v.Type == api.VoucherDeal {
			c.Spends = append(c.Spends, Spend{Voucher: v, Tickets: n})
		}
	}
	switch {
	case o.Status == api.OrderCompleted:
		c.Refusal = AlreadyCompleted
	case o.TotalPrice.ValueIncludingTax != 0:
		c.Refusal, c.Due = StillToPay, o.TotalPrice.ValueIncludingTax
	case c.Tickets == 0 && len(vouchers) == 0:
		c.Refusal = NothingToComplete
	}
	return c
}

// SpendsText lists what completing spends, for a question or a report:
// "AD......0111 (2 tickets) and 93.......0017 (Deal, pays for no ticket)",
// or "no voucher".
func (c Completion) SpendsText() string {
	parts := make([]string, len(c.Spends))
	for i, s := range c.Spends {
		parts[i] = s.String()
	}
	switch len(parts) {
	case 0:
		return "no voucher"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// UnusedDeals are the Deal vouchers that pay for nothing, which completing
// spends all the same: a question should name them.
func (c Completion) UnusedDeals() []Spend {
	var out []Spend
	for _, s := range c.Spends {
		if s.Deal() && s.Tickets == 0 {
			out = append(out, s)
		}
	}
	return out
}

// Summary says what completing does, in one sentence's worth:
// "3 tickets, 2 paid by vouchers; spends AD......0111 (2 tickets) and
// 93.......0017 (Deal, pays for no ticket)".
func (c Completion) Summary() string {
	return fmt.Sprintf("%s, %d paid by vouchers; spends %s", Plural(c.Tickets, "ticket"), c.PaidByVouchers, c.SpendsText())
}
