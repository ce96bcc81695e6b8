package ui

// What the customer's parts show: the order block, the voucher list, Not
// attached and the form, each handed the customer's data as it now stands.

import (
	"fmt"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/notattached"
	"github.com/boxoffice/boxoffice/ui/orderview"
	"github.com/boxoffice/boxoffice/ui/vouchers"
)

// refresh hands every part the customer's data as it now stands.
func (c *customer) refresh() {
	c.refreshView()
	c.refreshVouchers()
	c.refreshNotAttached()
	c.refreshTickets()
	c.refreshForm()
}

func (c *customer) refreshView() {
	d := orderview.Data{State: c.state, ID: c.orderID, Cancelled: c.cancelled, Site: c.siteLabel(), Txn: c.txn,
		Position: c.position, Hint: c.endedHint}
	if c.picked != "" {
		d.Chosen = c.showtimeName(c.picked)
	}
	if o := c.order; o != nil && c.state == orderview.Loaded {
		d.Status, d.ExpiresAt, d.Total, d.Tax = o.Status, o.ExpiresAt.Time, o.TotalPrice.ValueIncludingTax, o.TotalPrice.Tax
		for _, st := range o.Showtimes {
			d.Showtimes = append(d.Showtimes, orderview.Showtime{Title: c.showtimeTitle(st.ShowtimeID), Tickets: c.ticketLines(st)})
		}
	}
	c.view.SetData(d)
}

func (c *customer) siteLabel() string {
	if c.order == nil {
		return ""
	}
	if s := c.run.sites[c.order.SiteID]; s.name != "" {
		return s.name
	}
	return "site " + c.order.SiteID
}

// ticketLines groups a showtime's tickets by type and by what paid for them.
func (c *customer) ticketLines(st api.OrderShowtime) []string {
	type group struct {
		typeID, voucherID string
		count             int
		total             float64
	}
	var keys []string
	groups := map[string]*group{}
	for _, t := range st.Tickets {
		k := t.TicketTypeID + "\x00" + t.VoucherID
		g, ok := groups[k]
		if !ok {
			g = &group{typeID: t.TicketTypeID, voucherID: t.VoucherID}
			groups[k] = g
			keys = append(keys, k)
		}
		g.count++
		g.total += t.Price.ValueIncludingTax
	}
	lines := make([]string, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		line := fmt.Sprintf("%d × %-22s %8s", g.count, c.ticketTypeName(st.ShowtimeID, g.typeID), common.Money(g.total))
		if g.voucherID != "" {
			line += c.run.ctx.Styles.Muted.Render("  paid by " + c.vouchers.masked(g.voucherID))
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = append(lines, c.run.ctx.Styles.Muted.Render("no tickets"))
	}
	if seats := c.seatLine(st); seats != "" {
		lines = append(lines, seats)
	}
	return lines
}

// refreshVouchers gives the voucher list its rows.
func (c *customer) refreshVouchers() {
	rows := make([]vouchers.Row, len(c.vouchers.items))
	forColumn := c.order != nil && len(c.order.Showtimes) > 1
	for i, v := range c.vouchers.items {
		rows[i] = c.voucherRow(v, forColumn)
	}
	c.list.SetRows(rows, forColumn)
	c.list.SetEmpty(c.emptyListText())
}

func (c *customer) voucherRow(v api.OrderVoucher, forColumn bool) vouchers.Row {
	left := "? left"
	if r := c.vouchers.remaining(v.ID); r >= 0 {
		left = fmt.Sprintf("%d left", r)
	}
	if n := c.vouchers.used[v.ID]; n > 0 {
		left += fmt.Sprintf(", pays %d", n)
	}
	row := vouchers.Row{ID: v.ID, Masked: v.MaskedBarcode, Type: v.Type, Description: voucherLabel(v), Left: left}
	if forColumn {
		row.For = c.voucherFor(v)
	}
	return row
}

// voucherFor is the "For" column of a voucher: the showtime by its start
// time and film, never its id.
func (c *customer) voucherFor(v api.OrderVoucher) string {
	if v.Type == api.VoucherDeal || v.Type == api.VoucherSubscription {
		return "whole order"
	}
	id, ok := c.voucherShowtimes[v.ID]
	if !ok && c.order != nil {
		// The one whose tickets it pays for, when only one is.
		for _, st := range c.order.Showtimes {
			if pricing.UsesVoucher(st, v.ID) {
				if id != "" {
					return "not known"
				}
				id = st.ShowtimeID
			}
		}
	}
	switch {
	case id == "":
		return "not known"
	case c.showtimes[id] == nil:
		return "showtime not loaded"
	}
	return c.showtimeName(id)
}

func (c *customer) emptyListText() string {
	switch {
	case c.state == orderview.Ended || c.state == orderview.Unknown:
		return "No order is open: scans are kept for ctrl+r on the next order."
	case c.state == orderview.NotLoaded:
		return "The order is not loaded, so its vouchers are not known: F5 reads it again."
	case c.state == orderview.Loading:
		return "Reading the order…"
	case c.order != nil && c.order.Status == api.OrderCompleted:
		return "None: the order is completed."
	}
	return "None yet. Scan a voucher below."
}

// refreshNotAttached gives the "Not attached" list its scans.
func (c *customer) refreshNotAttached() {
	items := make([]notattached.Item, len(c.queue.failed))
	for i, f := range c.queue.failed {
		items[i] = notattached.Item{Key: f.barcode, Masked: api.MaskBarcode(f.barcode), Type: f.vtype, Reason: c.failedReason(f)}
	}
	c.notAttached.SetItems(items, c.queue.dropped)
}

// failedReason says why a scan is listed, counting down a block.
func (c *customer) failedReason(f failedScan) func(time.Time) string {
	return func(now time.Time) string {
		if f.blockedUntil.IsZero() {
			return c.namedShowtimes(f.reason)
		}
		if common.Passed(f.blockedUntil, now) {
			return "block ended, ctrl+r to retry"
		}
		text := "blocked until " + f.blockedUntil.Local().Format("15:04:05") + " (" + common.UntilText(f.blockedUntil, now) + ")"
		if f.blockNote != "" {
			text = f.blockNote + "; " + text
		}
		return text
	}
}

// refreshForm tells the form which showtime a Ticket voucher is for.
func (c *customer) refreshForm() {
	if c.order == nil || !c.open() {
		c.form.SetShowtime("", "")
		return
	}
	switch {
	case c.scanShowtimeID() == "":
		c.form.SetShowtime("none yet", "(F4 picks one)")
	case c.currentShowtimeID() == "":
		c.form.SetShowtime(c.showtimeName(c.scanShowtimeID()), "(F7 adds it)")
	default:
		c.form.SetShowtime(c.showtimeName(c.scanShowtimeID()), "(F3)")
	}
}

func voucherLabel(v api.OrderVoucher) string {
	if v.VoucherTypeDescription != "" {
		return v.VoucherTypeDescription
	}
	if v.VoucherTypeCode != "" {
		return v.VoucherTypeCode
	}
	return string(v.Type)
}
