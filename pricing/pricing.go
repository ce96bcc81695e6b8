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
	"unicode"

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
// and so goes back to when its voucher leaves: the type StandsInFor names,
// else the type without a voucher whose price is the ticket's price plus
// what the voucher saved, else the showtime's highest-priced type sold
// without a voucher. ok is false when the showtime sells nothing without a
// voucher.
//
// The saving comes second because what a server counts it against is not
// documented: our mock counts it against the adult price whatever the
// voucher, so a Child voucher's ticket would read as an Adult one.
func NormalTicketFor(prices *api.TicketPricesResponse, t api.Ticket) (typeID string, ok bool) {
	if typeID, ok := StandsInFor(prices, t.TicketTypeID); ok {
		return typeID, true
	}
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

// StandsInFor is the ordinary ticket type (one sold without a voucher) that
// a voucher-paid type replaces, when the showtime's prices tell:
//   - the same type, when it is also sold without a voucher: Vista lists a
//     voucher price as a restricted price of a ticket type;
//   - else the one ordinary type whose name is all in the voucher type's
//     name, word for word ("Child" in "Child Movie Money", "Adult" in
//     "Adult Voucher"); the most words wins, and a tie tells nothing.
//
// ok is false when they do not tell.
func StandsInFor(prices *api.TicketPricesResponse, voucherTypeID string) (typeID string, ok bool) {
	for _, tp := range prices.TicketPrices {
		if tp.TicketTypeID == voucherTypeID && !tp.NeedsVoucher() {
			return voucherTypeID, true
		}
	}
	words := map[string]bool{}
	for _, w := range nameWords(prices.TicketTypeDescription(voucherTypeID)) {
		words[w] = true
	}
	best, tie := 0, false
	for _, tp := range prices.TicketPrices {
		if tp.NeedsVoucher() || tp.TicketTypeID == typeID {
			continue
		}
		name := nameWords(prices.TicketTypeDescription(tp.TicketTypeID))
		if len(name) == 0 || len(name) < best || !allIn(name, words) {
			continue
		}
		if len(name) == best {
			tie = true
			continue
		}
		typeID, best, tie = tp.TicketTypeID, len(name), false
	}
	if best == 0 || tie {
		return "", false
	}
	return typeID, true
}

// nameWords splits a ticket type's name into lower-case words, leaving out
// punctuation such as the brackets of "(surcharge)".
func nameWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func allIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if !set[w] {
			return false
		}
	}
	return true
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
