package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/picker"
	"github.com/boxoffice/boxoffice/ui/tickets"
)

// closePanel puts the voucher list back in the middle of the screen.
func (c *customer) closePanel() {
	c.middle = middleVouchers
	c.tickets = nil
	c.picker = nil
	c.refreshForm()
}

// toggleTickets is F4: the tickets panel of the order's showtime, or the
// showtime picker for an order that has none; F4 again closes it.
func (c *customer) toggleTickets() tea.Cmd {
	switch c.middle {
	case middleTickets:
		if c.tickets.Dirty() {
			return c.announce(common.Failure, "The ticket changes are not applied yet: F7 applies them, esc discards them.")
		}
		c.closePanel()
		return nil
	case middlePicker:
		c.closePanel()
		return nil
	}
	if why := c.cannotChange(); why != "" {
		return c.announce(common.Failure, why)
	}
	if c.order.Status == api.OrderCompleted {
		return c.announce(common.Failure, "Order "+common.ShortID(c.orderID)+" is completed, so its tickets can no longer change. ctrl+n starts a new order.")
	}
	if len(c.order.Showtimes) == 0 && c.picked == "" {
		return c.openPicker()
	}
	return c.openTickets(c.scanShowtimeID())
}

// cannotChange says why the order cannot be changed now, or "".
func (c *customer) cannotChange() string {
	switch {
	case c.ended() && c.order == nil:
		return c.goneSentence() + ". Press ctrl+n for a new order."
	case c.order == nil:
		return "The order is not loaded yet. Press F5 to reload it."
	}
	return ""
}

// openTickets opens the tickets panel on a showtime.
func (c *customer) openTickets(showtimeID string) tea.Cmd {
	c.picker = nil
	c.middle = middleTickets
	c.tickets = tickets.New(c.run.ctx, c.ticketsData(showtimeID))
	c.refreshForm()
	return c.needShowtime(showtimeID)
}

// openPicker opens the showtime picker on today at the order's site, on the
// showtime chosen before if there was one, else the next to start.
func (c *customer) openPicker() tea.Cmd {
	site := c.order.SiteID
	now := c.run.ctx.Now().In(c.siteZone(site))
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if st, ok := c.showtimes[c.picked]; ok && !st.Showtime.Schedule.StartsAt.IsZero() {
		start := st.Showtime.Schedule.StartsAt.Time
		day = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
	}
	c.middle = middlePicker
	c.tickets = nil
	c.picker = picker.New(c.run.ctx, site, c.siteLabel(), day, c.run.sites[site].days, c.picked)
	return c.picker.Load()
}

// siteZone is the site's UTC offset as its showtimes carry it; the counter's
// own zone until one has been seen in this run.
func (c *customer) siteZone(siteID string) *time.Location {
	if z := c.run.sites[siteID].zone; z != nil {
		return z
	}
	return time.Local
}

// showtimesListed hands the picker its list.
func (c *customer) showtimesListed(msg showtimesListedMsg) tea.Cmd {
	if c.picker == nil {
		return nil
	}
	cmd := c.picker.SetList(msg.seq, msg.resp, msg.err)
	if msg.err != nil && c.picker.Failed() {
		return tea.Batch(cmd, c.announce(common.Failure, describeError("Listing the showtimes of "+msg.date, msg.err, c.run.ctx.Now())+" F5 tries again."))
	}
	return cmd
}

// takeShowtime is F7 in the picker: the tickets panel opens on the chosen
// showtime, which joins the order when its tickets are applied. It stays
// the order's chosen showtime, for Ticket scans and for F4, until then.
func (c *customer) takeShowtime(msg picker.TakeMsg) tea.Cmd {
	c.picked = msg.Showtime.ID
	c.rememberShowtime(msg.Showtime, msg.Related)
	cmd := c.openTickets(msg.Showtime.ID)
	return tea.Batch(cmd, c.announce(common.Info, "Set the tickets for "+c.showtimeName(msg.Showtime.ID)+" with ↑/↓ and ←/→, then F7 adds them to the order."))
}

// cycleShowtime is F3: the next showtime of the order, for scans and for
// the tickets panel.
func (c *customer) cycleShowtime() tea.Cmd {
	if c.order == nil || len(c.order.Showtimes) == 0 {
		return nil
	}
	if c.tickets != nil && c.tickets.Dirty() {
		return c.announce(common.Failure, "The ticket changes are not applied yet: F7 applies them, esc discards them. Then F3 moves on.")
	}
	c.showtimeIndex = (c.showtimeIndex + 1) % len(c.order.Showtimes)
	c.refreshForm()
	if c.middle == middleTickets {
		return c.openTickets(c.currentShowtimeID())
	}
	return nil
}

// ticketsData is what the tickets panel of a showtime is drawn from.
func (c *customer) ticketsData(showtimeID string) tickets.Data {
	d := tickets.Data{ShowtimeID: showtimeID, Title: c.showtimeName(showtimeID), Prices: c.prices[showtimeID], PricesErr: c.pricesErr[showtimeID],
		Open: c.open()}
	if resp, ok := c.showtimes[showtimeID]; ok && !resp.Showtime.Schedule.StartsAt.IsZero() {
		d.Title += " · " + resp.Showtime.Schedule.StartsAt.Format("Mon 2 Jan")
	}
	if st := c.orderShowtime(showtimeID); st != nil {
		d.OnOrder, d.Tickets = true, st.Tickets
	}
	if c.order != nil {
		d.OrderTotal = c.order.TotalPrice.ValueIncludingTax
	}
	for _, v := range c.vouchers.items {
		tv := tickets.Voucher{ID: v.ID, Masked: v.MaskedBarcode, Type: v.Type, TypeCode: v.VoucherTypeCode, Capacity: c.vouchers.capacity(v.ID)}
		if c.order != nil {
			for _, st := range c.order.Showtimes {
				if st.ShowtimeID == showtimeID {
					continue
				}
				for _, t := range st.Tickets {
					if t.VoucherID == v.ID {
						tv.Elsewhere++
					}
				}
			}
		}
		d.Vouchers = append(d.Vouchers, tv)
	}
	return d
}

// refreshTickets redraws the panel from the order; the draft survives.
func (c *customer) refreshTickets() {
	if c.tickets != nil {
		c.tickets.SetData(c.ticketsData(c.tickets.ShowtimeID()), false)
	}
}

// applyTickets is F7 in the panel: the draft goes to the order. Scans on
// their way are let be: attaching a voucher does not touch tickets.
func (c *customer) applyTickets(msg tickets.ApplyMsg) tea.Cmd {
	switch {
	case c.order == nil:
		return c.announce(common.Failure, c.cannotChange())
	case c.working != "" || c.removing != nil:
		return c.announce(common.Failure, "Wait: the last change to this order is still under way.")
	case c.order.Status != api.OrderInProgress:
		return c.announce(common.Failure, "This order can no longer change. ctrl+n starts a new order.")
	}
	if n, held, differ := c.seatsFor(msg.ShowtimeID, msg.Tickets); differ {
		return c.openSeats(msg.ShowtimeID, msg.Tickets, msg.Summary, fmt.Sprintf(
			"These tickets need %s and the order holds %d: choose them on the map, then F7 sends the tickets and the seats together.", common.Plural(n, "seat"), held))
	}
	c.working = "Setting the tickets"
	seq := c.nextSeq()
	return c.busyWith("Setting the tickets of "+c.showtimeName(msg.ShowtimeID)+"…",
		c.run.backend.SetTickets(c.orderID, msg.ShowtimeID, msg.Tickets, seq, msg.Summary))
}

func (c *customer) ticketsSet(msg ticketsSetMsg) tea.Cmd {
	c.working = ""
	if msg.seats != nil {
		return c.seatsSet(msg)
	}
	title := c.showtimeName(msg.showtimeID)
	if msg.err != nil {
		e := api.AsError(msg.err)
		switch p := api.SeatProblemOf(msg.err); {
		case p == api.SeatCountMismatch || p == api.SeatAllocationFailed:
			// The tickets cannot go without their seats: they go with
			// them, from the map.
			return tea.Batch(c.record(common.Failure, "Tickets not changed: "+p.Explain()+"."),
				c.openSeats(msg.showtimeID, msg.tickets, msg.summary, "Tickets not changed: "+p.Explain()+". F7 sends the tickets and the seats together."))
		case api.IsOutcomeUnknown(msg.err):
			return c.announceAndReload(common.Warning, "No answer while setting the tickets, so they may or may not have changed. The order is being read again: check the tickets, then F7 again if needed.")
		case e != nil && e.Kind == api.KindNotFound:
			// The order or the showtime has gone; reading the order tells which.
			return c.announceAndReload(common.Failure, "Tickets not changed: the server no longer knows this order or the showtime "+title+". Reading the order again…")
		case e != nil && e.Kind == api.KindRejected:
			text := "Tickets not changed: " + common.OrDefault(serverReason(e), "the server refused them") + "."
			if e.Code == api.CodeOrderCompleted {
				text += " ctrl+n starts a new order."
			} else {
				text += " The draft is still here: change it and F7 again, or esc discards it."
			}
			return c.announceAndReload(common.Failure, text)
		}
		return c.outcome(common.Failure, describeError("Setting the tickets", msg.err, c.run.ctx.Now()))
	}
	c.apply(msg.resp.Order, msg.seq)
	if c.order == nil {
		return nil
	}
	for i, st := range c.order.Showtimes {
		if st.ShowtimeID == msg.showtimeID {
			c.showtimeIndex = i
		}
	}
	if c.tickets != nil {
		c.tickets.SetData(c.ticketsData(c.tickets.ShowtimeID()), true)
	}
	c.refreshForm()
	text := fmt.Sprintf("Tickets set for %s: %s. Total now %s.", title, msg.summary, common.Money(c.order.TotalPrice.ValueIncludingTax))
	return tea.Batch(c.outcome(common.Success, text), c.fetchShowtimeData())
}

// seatsFor tells whether tickets about to be set on a showtime need a
// number of seats other than the order holds there, which the server would
// refuse (its seats are sent back with the tickets): then the seats are
// chosen first. A showtime whose order holds no seat yet lets the server
// allocate them, or not, and the map opens for what is left.
func (c *customer) seatsFor(showtimeID string, tickets []api.TicketRequest) (need, held int, differ bool) {
	s, ok := c.seatsOf(showtimeID)
	if !ok || !s.allocated || s.held == 0 {
		return 0, s.held, false
	}
	types := make([]string, len(tickets))
	for i, t := range tickets {
		types[i] = t.TicketTypeID
	}
	need = seating.SeatsNeeded(c.showtimes[showtimeID].Showtime, types, seating.TicketAreasOf(c.prices[showtimeID])).Total
	// No tickets at all give their seats up with them.
	return need, s.held, need != s.held && need > 0
}
