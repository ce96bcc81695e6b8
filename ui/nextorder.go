package ui

// Moving between customers: F5 reads the order again; ctrl+n starts the
// next order, ctrl+o and F6 open another, each a new customer.

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/orderview"
)

// refresh is F5: the order read again, and prices or showtimes that failed
// to load.
func (m *Model) refresh() tea.Cmd {
	c := m.cust
	if c == nil {
		return nil
	}
	var cmds []tea.Cmd
	if c.middle == middleTickets {
		if id := c.tickets.ShowtimeID(); c.prices[id] == nil {
			cmds = append(cmds, c.needShowtime(id))
		}
	}
	if c.middle == middlePicker && c.picker.Failed() {
		cmds = append(cmds, c.picker.Load())
	}
	// F5 always reads: a read already on its way may have left before what
	// the operator wants to see happened. The newer answer wins.
	if c.state != orderview.Unknown {
		if c.state == orderview.NotLoaded {
			c.state = orderview.Loading
			c.refresh()
		}
		cmds = append(cmds, c.load())
	}
	return tea.Batch(cmds...)
}

// siteForNewOrder is the configured site, else the site of the order on
// screen, so a counter without the setting still starts orders where it
// works.
func (m *Model) siteForNewOrder() string {
	if m.run.opts.SiteID != "" {
		return m.run.opts.SiteID
	}
	if c := m.cust; c != nil {
		if c.order != nil {
			return c.order.SiteID
		}
		if i := m.run.book.index(c.orderID); i >= 0 {
			return m.run.book.opened[i].siteID
		}
	}
	return ""
}

// newOrder is ctrl+n.
func (m *Model) newOrder() tea.Cmd {
	site := m.siteForNewOrder()
	say := m.run.status.Announce
	if c := m.cust; c != nil {
		say = c.announce
	}
	if site == "" {
		return say(common.Failure, "No site is configured for new orders. Set --site (or BOXOFFICE_SITE) and restart.")
	}
	if m.run.book.creating {
		// A second ctrl+n while the first is on its way is not a second
		// customer.
		return nil
	}
	if c := m.cust; c != nil {
		if why := c.cannotLeave(); why != "" {
			return c.announce(common.Failure, why)
		}
	}
	m.run.book.creating = true
	return tea.Batch(m.run.status.Busy("Creating a new order for site "+site+"…"), m.run.backend.CreateOrder(site, 0))
}

func (m *Model) created(msg orderCreatedMsg) tea.Cmd {
	m.run.book.creating = false
	if msg.err != nil {
		text := describeError("Creating an order", msg.err, m.run.ctx.Now())
		if api.KindOf(msg.err) == api.KindRejected {
			text = "No order was created: " + common.OrDefault(serverReason(api.AsError(msg.err)), "the server refused it") +
				". Check the site setting (--site, now " + msg.siteID + ") and restart if it is wrong."
		}
		return m.run.status.Announce(common.Failure, text)
	}
	id := msg.resp.Order.ID
	carried := m.switchTo(id)
	c := m.cust
	c.journalRead = true // a new order has nothing in the journal yet
	c.loadSeq = c.nextSeq()
	cmd := c.loaded(orderLoadedMsg{orderID: id, seq: c.loadSeq, resp: msg.resp})
	site := c.siteLabel()
	if site == "" || site == "site "+msg.siteID {
		site = "site " + msg.siteID
	}
	return tea.Batch(cmd, carried, c.announce(common.Success, "New order "+common.ShortID(id)+" at "+site+". F4 picks its showtime and tickets."))
}

// open is Enter on the open-order page.
func (m *Model) open(id string) tea.Cmd {
	m.run.book.Hide()
	carried := m.switchTo(id)
	return tea.Batch(carried, m.cust.load())
}

// nextOrder is F6: the next order opened in this run that is still open.
func (m *Model) nextOrder() tea.Cmd {
	c := m.cust
	if c == nil {
		if len(m.run.book.opened) == 0 {
			return nil
		}
		return m.open(m.run.book.opened[0].id)
	}
	if why := c.cannotLeave(); why != "" {
		return c.announce(common.Failure, why)
	}
	i, ok := m.run.book.nextOpen(c.orderID)
	if !ok {
		return c.announce(common.Info, "No other order opened in this run is still open. ctrl+n starts another; ctrl+o opens one by id.")
	}
	id := m.run.book.opened[i].id
	m.run.book.Hide()
	carried := m.switchTo(id)
	return tea.Batch(carried, m.cust.load(), m.cust.announce(common.Info, fmt.Sprintf("Order %s (%d of %d opened in this run). F6 goes on to the next.", common.ShortID(id), i+1, len(m.run.book.opened))))
}

// switchTo puts another customer at the counter: what the counter knows of
// the order left behind stays in the run's list, and the new customer takes
// over only what is handed over. The scans the last order could not take
// because it ended are listed for ctrl+r, and the screen says so.
func (m *Model) switchTo(id string) tea.Cmd {
	h := handover{known: m.run.book.entry(id)}
	if c := m.cust; c != nil {
		c.remember(m.run.book.entry(c.orderID))
		h.pinned, h.long, h.carried = c.handover()
		h.from = c.orderID
	}
	m.cust = newCustomer(m.run, id, h)
	// The status line speaks of the order on screen: what it said of the
	// last one is not about this one.
	m.run.status.Answered()
	m.run.status.Clear()
	if n := len(h.carried); n > 0 {
		return m.cust.announce(common.Warning, fmt.Sprintf("%s from order %s, which ended, %s under Not attached: ctrl+r tries %s on this order.",
			common.Plural(n, "scan"), common.ShortID(h.from), map[bool]string{true: "is", false: "are"}[n == 1], map[bool]string{true: "it", false: "one"}[n == 1]))
	}
	return nil
}
