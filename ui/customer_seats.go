package ui

// The customer's seats. On a showtime with allocated seating every ticket
// needs a seat: the server may allocate them itself, and where it does not,
// or its allocation fails, they are chosen on the seat map, which opens by
// itself for tickets without seats and with ctrl+s otherwise. Tickets that
// would need a different number of seats than the order holds go to the
// server together with the seats chosen for them, never without.

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/seatmap"
)

// seatChoice is the seat map open for one showtime of the order, and what
// its seats are for.
type seatChoice struct {
	showtimeID string
	// tickets are a change of the showtime's tickets that waits for its
	// seats (from the tickets panel), sent with them; nil when the seats
	// are for the tickets the order holds.
	tickets []api.TicketRequest
	summary string
	// seq is the seat reading asked for last; an older answer is dropped.
	seq int
	m   *seatmap.Map
	// refused is the server's refusal of the last choice, said on the map
	// once it is drawn again from fresh availability.
	refused string
}

// showtimeSeats is what the counter knows of a showtime's seating for the
// order: whether its seats are allocated, and how many seats its tickets
// need and hold.
type showtimeSeats struct {
	allocated bool
	need      seating.Need
	held      int
}

// seatsOf reads the seating of one of the order's showtimes; ok is false
// while its showtime or prices are not here yet.
func (c *customer) seatsOf(showtimeID string) (s showtimeSeats, ok bool) {
	st, prices := c.showtimes[showtimeID], c.prices[showtimeID]
	if st == nil {
		return s, false
	}
	if !st.Showtime.IsAllocatedSeating {
		return s, true
	}
	if prices == nil {
		return s, false
	}
	s.allocated = true
	if ost := c.orderShowtime(showtimeID); ost != nil {
		s.need = seating.SeatsNeededFor(st.Showtime, *ost, seating.TicketAreasOf(prices))
		s.held = len(ost.Seats)
	}
	return s, true
}

// unseated is how many of a showtime's tickets have no seat.
func (c *customer) unseated(showtimeID string) int {
	s, ok := c.seatsOf(showtimeID)
	if !ok || !s.allocated {
		return 0
	}
	return max(s.need.Total-s.held, 0)
}

// anyUnseated reports whether some ticket of the order has no seat.
func (c *customer) anyUnseated() bool {
	if c.order == nil {
		return false
	}
	for _, ost := range c.order.Showtimes {
		if c.unseated(ost.ShowtimeID) > 0 {
			return true
		}
	}
	return false
}

// seatLine is the order block's line about a showtime's seats: the seats
// held, and the tickets still without one. "" for a showtime whose tickets
// need no seats.
func (c *customer) seatLine(ost api.OrderShowtime) string {
	s, ok := c.seatsOf(ost.ShowtimeID)
	if !ok || !s.allocated || (s.held == 0 && s.need.Total == 0) {
		return ""
	}
	names := make([]string, len(ost.Seats))
	for i, seat := range ost.Seats {
		names[i] = seat.Name()
	}
	line := "seats " + strings.Join(names, " ")
	if s.held == 0 {
		line = "no seats yet"
	}
	styles := c.run.ctx.Styles
	switch {
	case s.need.Total > s.held:
		return styles.Muted.Render(line) + "  " + styles.Pending.Render(fmt.Sprintf("%s to choose: ctrl+s", common.Plural(s.need.Total-s.held, "seat")))
	case s.held > s.need.Total:
		return styles.Muted.Render(line) + "  " + styles.Pending.Render(fmt.Sprintf("%s more than tickets: ctrl+s", common.Plural(s.held-s.need.Total, "seat")))
	}
	return styles.Muted.Render(line)
}

// checkSeats opens the seat map by itself when tickets of one of the
// order's showtimes have no seats (the server allocated none), unless the
// operator is busy elsewhere on the screen (a draft in the tickets panel, the
// picker) or closed the map on those very tickets already.
func (c *customer) checkSeats() tea.Cmd {
	o := c.order
	settled := c.middle == middleVouchers || c.middle == middleTickets && !c.tickets.Dirty()
	if o == nil || o.Status != api.OrderInProgress || c.ended() || !settled || c.seatWork != nil || c.working != "" {
		return nil
	}
	for _, ost := range o.Showtimes {
		n := c.unseated(ost.ShowtimeID)
		if n == 0 || c.seatsLeft[ost.ShowtimeID] == n {
			continue
		}
		return c.openSeats(ost.ShowtimeID, nil, "", fmt.Sprintf("%s of %s %s no seat: the server allocated none. Choose them on the map; F7 sends them, esc leaves them for later.",
			common.Plural(n, "ticket"), c.showtimeName(ost.ShowtimeID), map[bool]string{true: "has", false: "have"}[n == 1]))
	}
	return nil
}

// toggleSeats is ctrl+s: the seat map of the showtime at hand, or, open,
// closed.
func (c *customer) toggleSeats() tea.Cmd {
	if c.middle == middleSeats {
		return c.closeSeats()
	}
	if why := c.cannotChange(); why != "" {
		return c.announce(common.Failure, why)
	}
	if c.order.Status != api.OrderInProgress {
		return c.announce(common.Failure, "Order "+common.ShortID(c.orderID)+" can no longer change, so its seats stay as they are. ctrl+n starts a new order.")
	}
	showtimeID := c.currentShowtimeID()
	if c.middle == middleTickets {
		if c.tickets.Dirty() {
			return c.announce(common.Failure, "The ticket changes are not applied yet: F7 applies them, and the seat map opens for them if they need seats.")
		}
		showtimeID = c.tickets.ShowtimeID()
	}
	if showtimeID == "" {
		return c.announce(common.Failure, "The order has no showtime yet: F4 picks one and its tickets, then ctrl+s chooses their seats.")
	}
	if st := c.showtimes[showtimeID]; st != nil && !st.Showtime.IsAllocatedSeating {
		return c.announce(common.Failure, c.showtimeName(showtimeID)+" has no allocated seating: its tickets are sold without seats.")
	}
	return c.openSeats(showtimeID, nil, "", "")
}

// openSeats reads a showtime's seats and opens the map on them. tickets,
// when set, are a change of the showtime's tickets to send with the seats.
func (c *customer) openSeats(showtimeID string, tickets []api.TicketRequest, summary, why string) tea.Cmd {
	c.seatWork = &seatChoice{showtimeID: showtimeID, tickets: tickets, summary: summary, seq: c.nextSeq()}
	c.closePanel()
	c.middle = middleSeats
	text := common.OrDefault(why, "Reading the seats of "+c.showtimeName(showtimeID)+"…")
	return tea.Batch(c.announce(common.Info, text), c.needShowtime(showtimeID),
		c.run.backend.LoadSeats(c.orderID, showtimeID, c.seatWork.seq), c.run.ctx.Spinner.Start(c.run.ctx))
}

// reloadSeats reads the map's seats again, after a refusal or a change.
func (c *customer) reloadSeats() tea.Cmd {
	w := c.seatWork
	if w == nil {
		return nil
	}
	w.seq = c.nextSeq()
	return c.run.backend.LoadSeats(c.orderID, w.showtimeID, w.seq)
}

// closeSeats closes the map; the order keeps the seats it holds. Tickets
// left without seats are said, and the map does not open by itself again
// for them.
func (c *customer) closeSeats() tea.Cmd {
	w := c.seatWork
	if w == nil {
		return nil
	}
	c.seatWork = nil
	c.middle = middleVouchers
	c.refreshForm()
	if w.tickets != nil {
		return c.announce(common.Info, "The ticket change was not sent: the tickets need their seats chosen first. The order is as it was.")
	}
	if n := c.unseated(w.showtimeID); n > 0 {
		c.seatsLeft[w.showtimeID] = n
		return c.announce(common.Warning, fmt.Sprintf("%s of %s still without a seat: ctrl+s chooses them. The order cannot be completed before.",
			common.Plural(n, "ticket"), c.showtimeName(w.showtimeID)))
	}
	c.run.status.Clear()
	return nil
}

// seatsLoaded draws the map from a fresh reading of the seats.
func (c *customer) seatsLoaded(msg seatsLoadedMsg) tea.Cmd {
	w := c.seatWork
	if w == nil || msg.seq != w.seq || msg.showtimeID != w.showtimeID {
		return nil
	}
	if msg.err != nil {
		text := describeError("Reading the seats of "+c.showtimeName(w.showtimeID), msg.err, c.run.ctx.Now()) + " ctrl+s tries again."
		c.seatWork = nil
		c.middle = middleVouchers
		return c.outcome(common.Failure, text)
	}
	var held []api.OrderSeat
	if ost := c.orderShowtime(w.showtimeID); ost != nil {
		held = ost.Seats
	}
	plan, err := seating.NewPlan(msg.layout, msg.avail, held)
	if err != nil {
		c.seatWork = nil
		c.middle = middleVouchers
		return c.outcome(common.Failure, "The seat layout of "+c.showtimeName(w.showtimeID)+" cannot be used: "+err.Error()+".")
	}
	need := c.seatNeed(w)
	if w.m == nil {
		w.m = seatmap.New(c.run.ctx, plan, need)
		w.m.SetTitle(c.showtimeName(w.showtimeID))
	} else {
		w.m.SetNeed(need)
		w.m.SetPlan(plan)
	}
	if w.refused != "" {
		w.m.Refused(w.refused, -1)
		w.refused = ""
	}
	return nil
}

// seatNeed is how many seats the map's tickets need: the change waiting
// for its seats, or the order's tickets.
func (c *customer) seatNeed(w *seatChoice) seating.Need {
	st := c.showtimes[w.showtimeID]
	if st == nil {
		return seating.Need{}
	}
	areas := seating.TicketAreasOf(c.prices[w.showtimeID])
	if w.tickets != nil {
		types := make([]string, len(w.tickets))
		for i, t := range w.tickets {
			types[i] = t.TicketTypeID
		}
		return seating.SeatsNeeded(st.Showtime, types, areas)
	}
	if ost := c.orderShowtime(w.showtimeID); ost != nil {
		return seating.SeatsNeededFor(st.Showtime, *ost, areas)
	}
	return seating.Need{}
}

// sendSeats is F7 on the map: the showtime's tickets set on the seats
// chosen, in one call.
func (c *customer) sendSeats(msg seatmap.SendMsg) tea.Cmd {
	w := c.seatWork
	switch {
	case w == nil || w.m == nil:
		return nil
	case c.working != "" || c.removing != nil:
		w.m.Refused("Wait: the last change to this order is still under way.", -1)
		return nil
	}
	tickets, summary := w.tickets, w.summary
	if tickets == nil {
		tickets = c.heldTickets(w.showtimeID)
	}
	names := w.m.Plan().Names(msg.Seats)
	c.working = "Setting the seats"
	return c.busyWith("Setting the seats "+strings.Join(names, ", ")+" for "+c.showtimeName(w.showtimeID)+"…",
		c.run.backend.SetSeats(c.orderID, w.showtimeID, tickets, msg.IDs, names, c.nextSeq(), summary))
}

// heldTickets are the showtime's tickets on the order, as they are sent
// back: each keeps its id and what pays for it.
func (c *customer) heldTickets(showtimeID string) []api.TicketRequest {
	ost := c.orderShowtime(showtimeID)
	if ost == nil {
		return []api.TicketRequest{}
	}
	out := make([]api.TicketRequest, len(ost.Tickets))
	for i, t := range ost.Tickets {
		out[i] = api.TicketRequest{ID: t.ID, TicketTypeID: t.TicketTypeID, VoucherID: t.VoucherID}
	}
	return out
}

// seatsSet takes the answer to seats sent from the map.
func (c *customer) seatsSet(msg ticketsSetMsg) tea.Cmd {
	w := c.seatWork
	title := c.showtimeName(msg.showtimeID)
	if msg.err == nil {
		c.apply(msg.resp.Order, msg.seq)
		c.seatWork = nil
		if c.middle == middleSeats {
			c.middle = middleVouchers
		}
		delete(c.seatsLeft, msg.showtimeID)
		c.refreshForm()
		text := "Seats " + strings.Join(msg.seats, ", ") + " held for " + title + "."
		if msg.summary != "" {
			text = fmt.Sprintf("Tickets set for %s: %s, on seats %s. Total now %s.", title, msg.summary, strings.Join(msg.seats, ", "), common.Money(c.order.TotalPrice.ValueIncludingTax))
		}
		return tea.Batch(c.outcome(common.Success, text), c.fetchShowtimeData())
	}
	var text string
	switch p := api.SeatProblemOf(msg.err); {
	case p != "":
		text = "Seats not taken: " + p.Explain() + "."
		if e := api.AsError(msg.err); e != nil && serverReason(e) != "" {
			text += " The server said: " + serverReason(e) + "."
		}
	case api.IsOutcomeUnknown(msg.err):
		text = "No answer while setting the seats, so they may or may not have changed. The order and the seats are being read again: check them, then F7 again if needed."
	default:
		text = describeError("Setting the seats", msg.err, c.run.ctx.Now())
	}
	if w != nil && w.m != nil && w.showtimeID == msg.showtimeID {
		// The map stays, drawn again from fresh availability with the
		// refusal on it.
		w.refused = text
		return tea.Batch(c.record(common.Failure, text), c.reloadSeats(), c.load())
	}
	return tea.Batch(c.outcome(common.Failure, text), c.load())
}
