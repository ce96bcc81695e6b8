package tickets

import (
	"fmt"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
)

// maxPerRow keeps a held arrow key from building an absurd order.
const maxPerRow = 50

// rowKey names a row: a ticket type, paid at its own price (voucherID "")
// or by one attached voucher.
type rowKey struct {
	typeID    string
	voucherID string
}

// Row is one line of the panel.
type Row struct {
	rowKey
	name  string
	price api.MonetaryValue
	// codes are the voucher type codes a voucher-only type takes.
	codes []string
	// voucherOnly marks a type only vouchers pay for when no attached
	// voucher can: it cannot be counted until one is scanned.
	voucherOnly bool
}

// FilterValue makes a Row a list item.
func (r Row) FilterValue() string { return r.name }

// Voucher is an attached voucher as the panel weighs it.
type Voucher struct {
	ID       string
	Masked   string
	Type     api.VoucherType
	TypeCode string
	// Capacity is how many tickets it may pay for on the order in all, -1
	// when no one has said.
	Capacity int
	// Elsewhere is how many it pays for on the order's other showtimes.
	Elsewhere int
}

// Data is what the panel is drawn from: one showtime of the order, its
// prices, and the vouchers that may pay for its tickets.
type Data struct {
	ShowtimeID string
	// Title names the showtime, "19:30 The Long Night · Sun 6 Dec".
	Title string
	// OnOrder is false for a showtime just picked for an order that has
	// none: it joins the order when its tickets are applied.
	OnOrder   bool
	Prices    *api.TicketPricesResponse
	PricesErr error
	// Tickets are the order's tickets of the showtime.
	Tickets  []api.Ticket
	Vouchers []Voucher
	// OrderTotal is what the whole order costs now.
	OrderTotal float64
	// Open is false once the order can no longer change.
	Open bool
}

// draft is the operator's draft of the showtime's tickets. Nothing changes
// on the server until F7 sends the whole showtime at once.
type draft struct {
	rows []Row
	// base is what the order has, counts the draft.
	base, counts map[rowKey]int
	// ids are the order's ticket ids per row, sent again for tickets that
	// stay so that they keep their identity.
	ids map[rowKey][]string
	// orderPrices are the prices of tickets the price list no longer has.
	orderPrices map[rowKey]api.MonetaryValue
}

func (d *draft) dirty() bool {
	for k, n := range d.counts {
		if d.base[k] != n {
			return true
		}
	}
	for k, n := range d.base {
		if d.counts[k] != n {
			return true
		}
	}
	return false
}

// build makes the rows from the order, the prices and the vouchers. The
// operator's draft survives unless reset is set.
func (d *draft) build(data Data, reset bool) {
	base := map[rowKey]int{}
	ids := map[rowKey][]string{}
	orderPrices := map[rowKey]api.MonetaryValue{}
	var onOrder []rowKey
	for _, t := range data.Tickets {
		k := rowKey{t.TicketTypeID, t.VoucherID}
		if _, seen := base[k]; !seen {
			onOrder = append(onOrder, k)
		}
		base[k]++
		ids[k] = append(ids[k], t.ID)
		orderPrices[k] = t.Price
	}
	wasDirty := d.counts != nil && d.dirty()
	d.base, d.ids, d.orderPrices = base, ids, orderPrices
	if reset || !wasDirty || d.counts == nil {
		d.counts = make(map[rowKey]int, len(base))
		for k, n := range base {
			d.counts[k] = n
		}
	}

	var rows []Row
	seen := map[rowKey]bool{}
	add := func(r Row) {
		if !seen[r.rowKey] {
			seen[r.rowKey] = true
			rows = append(rows, r)
		}
	}
	if prices := data.Prices; prices != nil {
		for _, tp := range prices.TicketPrices {
			name := prices.TicketTypeDescription(tp.TicketTypeID)
			if !tp.NeedsVoucher() {
				add(Row{rowKey: rowKey{tp.TicketTypeID, ""}, name: name, price: tp.Price})
				continue
			}
			payable := 0
			for _, v := range data.Vouchers {
				if v.Type == api.VoucherDeal || !tp.AcceptsVoucherCode(v.TypeCode) {
					continue
				}
				add(Row{rowKey: rowKey{tp.TicketTypeID, v.ID}, name: name, price: tp.Price})
				payable++
			}
			if payable == 0 {
				add(Row{rowKey: rowKey{tp.TicketTypeID, ""}, name: name, price: tp.Price, codes: tp.VoucherTypeCodes, voucherOnly: true})
			}
		}
	}
	// Tickets the price list does not explain still belong to the showtime
	// and are sent back unchanged unless the operator takes them off.
	for _, k := range onOrder {
		name := k.typeID
		if data.Prices != nil {
			name = data.Prices.TicketTypeDescription(k.typeID)
		}
		add(Row{rowKey: k, name: name, price: orderPrices[k]})
	}
	for k := range d.counts {
		if !seen[k] {
			// A voucher that left the order takes its draft tickets with it.
			delete(d.counts, k)
		}
	}
	d.rows = rows
}

func (d *draft) price(k rowKey) api.MonetaryValue {
	for _, r := range d.rows {
		if r.rowKey == k {
			return r.price
		}
	}
	return d.orderPrices[k]
}

// total is what the draft's tickets cost.
func (d *draft) total() float64 {
	var sum float64
	for k, n := range d.counts {
		sum += float64(n) * d.price(k).ValueIncludingTax
	}
	return sum
}

func (d *draft) ticketCount() int {
	n := 0
	for _, c := range d.counts {
		n += c
	}
	return n
}

// voucherCount is how many of the draft's tickets a voucher pays for.
func (d *draft) voucherCount(voucherID string) int {
	n := 0
	for k, c := range d.counts {
		if k.voucherID == voucherID {
			n += c
		}
	}
	return n
}

// request is every ticket of the draft, as the PUT replaces them all.
func (d *draft) request() []api.TicketRequest {
	var out []api.TicketRequest
	for _, r := range d.rows {
		ids := d.ids[r.rowKey]
		for i := range d.counts[r.rowKey] {
			t := api.TicketRequest{TicketTypeID: r.typeID, VoucherID: r.voucherID}
			if i < len(ids) {
				t.ID = ids[i]
			}
			out = append(out, t)
		}
	}
	return out
}

// standIn is the row of the ordinary ticket type a ticket of voucher row r
// stands in for (pricing.NormalTicketFor): → on r takes one of its tickets,
// ← on r gives one back to it.
func (d *draft) standIn(prices *api.TicketPricesResponse, r Row) (Row, bool) {
	if prices == nil {
		return Row{}, false
	}
	typeID, ok := pricing.NormalTicketFor(prices, api.Ticket{TicketTypeID: r.typeID, Price: r.price})
	if !ok {
		return Row{}, false
	}
	for _, row := range d.rows {
		if row.rowKey == (rowKey{typeID: typeID}) && !row.voucherOnly {
			return row, true
		}
	}
	return Row{}, false
}

// summary lists the draft's tickets, e.g. "1 × Adult, 1 × Adult Movie Money
// paid by AD......0111".
func (d *draft) summary(masked func(string) string) string {
	var parts []string
	for _, r := range d.rows {
		n := d.counts[r.rowKey]
		if n == 0 {
			continue
		}
		part := fmt.Sprintf("%d × %s", n, r.name)
		if r.voucherID != "" {
			part += " paid by " + masked(r.voucherID)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return "no tickets"
	}
	return strings.Join(parts, ", ")
}

// LimitProblem says why a voucher cannot pay for want tickets of a showtime
// when it already pays for elsewhere on the order's other showtimes and may
// pay for capacity in all (-1: nobody said, the server decides), or "". The
// counter says so before any call, in words the customer can be told.
func LimitProblem(masked string, capacity, elsewhere, want int) string {
	if capacity < 0 || elsewhere+want <= capacity {
		return ""
	}
	if capacity == 0 {
		return "Voucher " + masked + " has no redemptions left, so it cannot pay for a ticket. Take payment for it, or scan another voucher."
	}
	text := fmt.Sprintf("Voucher %s can pay for %s on this order", masked, pricing.Plural(capacity, "ticket"))
	if elsewhere > 0 {
		text += fmt.Sprintf(" and already pays for %d on another showtime, so not %d here", elsewhere, want)
	} else {
		text += fmt.Sprintf(", not %d", want)
	}
	return text + ". Nothing was sent: take payment for the rest, or scan another voucher."
}
