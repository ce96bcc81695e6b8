// Package pricing holds the rules about an order's tickets and vouchers that
// are not about drawing: how many tickets an order has, which tickets each
// voucher pays for, what a voucher can still pay for, what a voucher-paid
// ticket goes back to when the voucher leaves, and what is left to pay. The
// counter screen and the scripting commands share them.
package pricing

import (
	"fmt"
	"math"
	"strings"

	"github.com/boxoffice/boxoffice/api"
)

// TicketCount is how many tickets the order holds, over all its showtimes.
func TicketCount(o api.Order) int {
	n := 0
	for _, st := range o.Showtimes {
		n += len(st.Tickets)
	}
	return n
}

// VoucherUses counts, per voucher id, the tickets of the order it pays for.
func VoucherUses(o api.Order) map[string]int {
	used := map[string]int{}
	for _, st := range o.Showtimes {
		for _, t := range st.Tickets {
			if t.VoucherID != "" {
				used[t.VoucherID]++
			}
		}
	}
	return used
}

// UsesVoucher reports whether any ticket of the showtime is paid by the voucher.
func UsesVoucher(st api.OrderShowtime, voucherID string) bool {
	for _, t := range st.Tickets {
		if t.VoucherID == voucherID {
			return true
		}
	}
	return false
}

// Capacity is how many tickets a voucher may pay for on an order in all, -1
// when no one has said. available is what the server said on its last order
// read the voucher can still pay for (tickets already using it taken off),
// added is what the voucher could pay for when it was added; either is
// negative when unknown. The server's figure wins: it knows of uses on
// other orders since the voucher was added.
func Capacity(available, added, used int) int {
	switch {
	case available >= 0:
		return available + used
	case added >= 0:
		return added
	}
	return -1
}

// Remaining is what a voucher of that capacity can still pay for with used
// tickets already paid, -1 when the capacity is unknown.
func Remaining(capacity, used int) int {
	if capacity < 0 {
		return -1
	}
	return max(capacity-used, 0)
}

// NormalTicketFor is the ticket type a voucher-paid ticket stands in for,
// and so goes back to when its voucher leaves: the type without a voucher
// whose price is the ticket's price plus what the voucher saved, else the
// showtime's highest-priced type sold without a voucher. ok is false when
// the showtime sells nothing without a voucher.
func NormalTicketFor(prices *api.TicketPricesResponse, t api.Ticket) (typeID string, ok bool) {
	if t.AmountSaved != nil && t.AmountSaved.ValueIncludingTax > 0 {
		want := t.Price.ValueIncludingTax + t.AmountSaved.ValueIncludingTax
		for _, tp := range prices.TicketPrices {
			if !tp.NeedsVoucher() && math.Abs(tp.Price.ValueIncludingTax-want) < 0.005 {
				return tp.TicketTypeID, true
			}
		}
	}
	var bestPrice float64
	for _, tp := range prices.TicketPrices {
		if tp.NeedsVoucher() {
			continue
		}
		if !ok || tp.Price.ValueIncludingTax > bestPrice {
			typeID, bestPrice, ok = tp.TicketTypeID, tp.Price.ValueIncludingTax, true
		}
	}
	return typeID, ok
}

// Unpaid names the tickets that still cost something, e.g.
// "2 × Adult at 19.50, 1 × Child at 12.00". nameOf names a ticket type of a
// showtime and reports whether the showtime's prices are known; without
// them a ticket type id means nothing at the counter, so only the count is
// said. An order whose tickets are all paid, yet costs something, has a fee
// or another charge.
func Unpaid(o api.Order, nameOf func(showtimeID, typeID string) (name string, known bool)) string {
	type line struct {
		name  string
		count int
		price float64
	}
	var lines []*line
	byKey := map[string]*line{}
	unpaid := 0
	named := true
	for _, st := range o.Showtimes {
		for _, t := range st.Tickets {
			if t.Price.ValueIncludingTax == 0 {
				continue
			}
			unpaid++
			name, known := nameOf(st.ShowtimeID, t.TicketTypeID)
			named = named && known
			k := fmt.Sprintf("%s\x00%.4f", name, t.Price.ValueIncludingTax)
			l, ok := byKey[k]
			if !ok {
				l = &line{name: name, price: t.Price.ValueIncludingTax}
				byKey[k] = l
				lines = append(lines, l)
			}
			l.count++
		}
	}
	if !named {
		return Plural(unpaid, "ticket") + " not paid by vouchers"
	}
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		parts = append(parts, fmt.Sprintf("%d × %s at %s", l.count, l.name, Money(l.price)))
	}
	if len(parts) == 0 {
		return "a booking fee or other charge"
	}
	return strings.Join(parts, ", ")
}

// Money writes an amount in major units with two decimals, as tills do.
func Money(v float64) string { return fmt.Sprintf("%.2f", v) }

// Plural is "1 ticket" or "3 tickets".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
