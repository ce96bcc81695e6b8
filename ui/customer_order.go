package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/orderview"
)

// load reads the order again. The journal is read with it the first time in
// the run, and whenever the server does not list the order's vouchers.
func (c *customer) load() tea.Cmd {
	c.loading = true
	c.loadSeq = c.nextSeq()
	return tea.Batch(c.run.backend.LoadOrder(c.orderID, c.loadSeq, !c.journalRead, false), c.run.ctx.Spinner.Start(c.run.ctx))
}

// loaded takes an order read. It reports what to do next and whether the
// server has never heard of the order (a mistyped id), which the run forgets.
func (c *customer) loaded(msg orderLoadedMsg) tea.Cmd {
	if msg.seq == c.loadSeq {
		c.loading = false
	}
	if msg.seq < c.appliedSeq {
		// A newer answer about the order is already on screen.
		return nil
	}
	if msg.err != nil {
		return c.loadFailed(msg.err)
	}
	if msg.journalRead {
		c.journalRead = true
		for id, n := range msg.restored {
			if _, known := c.vouchers.redemptions[id]; !known {
				c.vouchers.redemptions[id] = n
			}
		}
	}
	if c.apply(msg.resp.Order, msg.seq) {
		for _, v := range msg.recorded {
			if !c.vouchers.has(v.ID) {
				c.vouchers.upsert(v)
			}
		}
		c.refreshVouchers()
	}
	cmds := []tea.Cmd{c.fetchShowtimeData(), c.startNext()}
	if c.unsureCompletion && c.order != nil {
		c.unsureCompletion = false
		id := common.ShortID(c.orderID)
		if c.order.Status == api.OrderCompleted {
			cmds = append(cmds, c.outcome(common.Warning, "Order "+id+" is completed, but its transaction number was lost with the answer: look it up in Vista before the customer leaves. ctrl+n starts a new order."))
		} else {
			cmds = append(cmds, c.outcome(common.Failure, "Order "+id+" was not completed: the order is still in progress. Press F10 to try again."))
		}
	}
	return tea.Batch(cmds...)
}

func (c *customer) loadFailed(err error) tea.Cmd {
	if api.KindOf(err) != api.KindNotFound {
		if c.order == nil {
			c.state = orderview.NotLoaded
			c.refresh()
		}
		return c.announce(common.Failure, describeError("Loading the order", err, c.run.ctx.Now()))
	}
	e := c.run.book.entry(c.orderID)
	if e.status == "" && e.ended == "" && c.order == nil {
		// Never read in this run: a mistyped id, most likely, and nothing
		// of it was released here. It leaves this run's list.
		c.run.book.forget(c.orderID)
		c.state = orderview.Unknown
		cmd := c.stopScans("order " + common.ShortID(c.orderID) + " does not exist")
		c.refresh()
		return tea.Batch(cmd, c.announce(common.Failure, "There is no order "+common.ShortID(c.orderID)+" on the server (or it expired before it was read): check the id. ctrl+o opens another; ctrl+n starts a new order."))
	}
	return c.gone("")
}

// apply shows an order the server sent, unless a newer answer about it is
// already on screen. It reports whether the order was taken.
func (c *customer) apply(o api.Order, seq int) bool {
	if o.ID != c.orderID || seq < c.appliedSeq {
		return false
	}
	c.appliedSeq = seq
	c.order = &o
	c.state = orderview.Loaded
	c.vouchers.setFromOrder(o, c.unlistedOwn())
	c.run.book.note(o)
	if c.showtimeIndex >= len(o.Showtimes) {
		c.showtimeIndex = 0
	}
	if len(o.Showtimes) > 0 && c.picked != "" {
		// The picked showtime joined the order: it is the order's now.
		for i, st := range o.Showtimes {
			if st.ShowtimeID == c.picked {
				c.showtimeIndex = i
			}
		}
		c.picked = ""
	}
	if o.Status == api.OrderCompleted {
		c.closePanel()
	}
	c.refresh()
	return true
}

// fetchShowtimeData asks for the names and prices of the order's showtimes
// that the screen does not have yet.
func (c *customer) fetchShowtimeData() tea.Cmd {
	if c.order == nil {
		return nil
	}
	var cmds []tea.Cmd
	for _, st := range c.order.Showtimes {
		cmds = append(cmds, c.needShowtime(st.ShowtimeID))
	}
	return tea.Batch(cmds...)
}

// needShowtime asks for a showtime's names and prices unless they are here.
func (c *customer) needShowtime(id string) tea.Cmd {
	var cmds []tea.Cmd
	if _, ok := c.showtimes[id]; !ok {
		cmds = append(cmds, c.run.backend.LoadShowtime(id))
	}
	if _, ok := c.prices[id]; !ok {
		delete(c.pricesErr, id)
		cmds = append(cmds, c.run.backend.LoadPrices(id))
	}
	return tea.Batch(cmds...)
}

// showtimeLoaded keeps a showtime's names for titles and its site's name
// for the header.
func (c *customer) showtimeLoaded(msg showtimeLoadedMsg) {
	if msg.err != nil || msg.resp == nil {
		return
	}
	c.rememberShowtime(msg.resp.Showtime, msg.resp.RelatedData)
}

func (c *customer) rememberShowtime(st api.Showtime, related api.ShowtimeRelatedData) {
	c.showtimes[st.ID] = &api.ShowtimeResponse{Showtime: st, RelatedData: related}
	known := c.run.sites[st.SiteID]
	if name := related.SiteName(st.SiteID); name != "" {
		known.name = name
	}
	if start := st.Schedule.StartsAt.Time; !start.IsZero() {
		known.zone = start.Location()
		day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
		if bd, err := time.ParseInLocation(time.DateOnly, st.Schedule.BusinessDate, start.Location()); err == nil {
			day = bd
		}
		if !slices.ContainsFunc(known.days, day.Equal) {
			known.days = append(known.days, day)
		}
	}
	c.run.sites[st.SiteID] = known
	c.refresh()
}

func (c *customer) pricesLoaded(msg pricesLoadedMsg) tea.Cmd {
	if msg.err != nil {
		c.pricesErr[msg.showtimeID] = msg.err
		c.refreshTickets()
		if c.tickets != nil && c.tickets.ShowtimeID() == msg.showtimeID {
			return c.announce(common.Failure, describeError("Reading the ticket prices", msg.err, c.run.ctx.Now()))
		}
		return nil
	}
	if msg.resp != nil {
		c.prices[msg.showtimeID] = msg.resp
		delete(c.pricesErr, msg.showtimeID)
		c.refresh()
	}
	return nil
}

// gone shows that the order is no longer on the server. why is "cancelled"
// when this counter cancelled it, "" when it expired or vanished. Scans
// waiting for it can never go through: they are kept for ctrl+r on the next
// order, and the end of the order is an outcome of its own.
func (c *customer) gone(why string) tea.Cmd {
	c.state = orderview.Ended
	c.cancelled = why == "cancelled"
	c.order = nil
	// Its vouchers were released with it: none is on an order any more.
	c.vouchers = newVoucherBook()
	c.closePanel()
	c.run.status.Answered()
	e := c.run.book.entry(c.orderID)
	switch {
	case why != "":
		e.ended = why
	case e.ended == "":
		e.ended = "expired"
	}
	stop := c.stopScans("order ended")
	c.refresh()
	if c.cancelled {
		return stop
	}
	text := "Order " + common.ShortID(c.orderID) + " has expired or no longer exists: its tickets and vouchers were released."
	if n := c.endedScans(); n > 0 {
		text += fmt.Sprintf(" %s not attached %s kept for ctrl+r on the next order.", common.Plural(n, "scan"), map[bool]string{true: "is", false: "are"}[n == 1])
	}
	return tea.Batch(stop, c.outcome(common.Failure, text+" ctrl+n starts a new order."))
}

// endedScans counts the scans kept because the order ended.
func (c *customer) endedScans() int {
	n := 0
	for _, f := range c.queue.failed {
		if f.orderEnded {
			n++
		}
	}
	return n
}

// goneSentence says plainly what became of an order that is gone.
func (c *customer) goneSentence() string {
	if c.cancelled {
		return "Order " + common.ShortID(c.orderID) + " was cancelled"
	}
	return "This order has expired or no longer exists"
}

// tick is the clock: the order read again once its countdown reaches zero,
// so the screen says it has gone without waiting for the next action to
// fail; and its last two minutes announced once, beside the header's
// warning, so the operator hears it while busy with a scan.
func (c *customer) tick(now time.Time) tea.Cmd {
	o := c.order
	if o == nil || o.Status != api.OrderInProgress || o.ExpiresAt.IsZero() {
		return nil
	}
	if !now.Before(o.ExpiresAt.Time) {
		if c.loading || c.expiryChecked {
			return nil
		}
		c.expiryChecked = true
		return c.load()
	}
	left := o.ExpiresAt.Sub(now)
	if c.expiryWarned || left > orderview.ExpiryWarning {
		return nil
	}
	c.expiryWarned = true
	st := c.run.status
	if st.Asking() != 0 || c.working != "" || st.Text() != "" && st.Kind() == common.Failure {
		// A question or a failure on the status line is not hidden.
		return nil
	}
	return c.announceLive(common.Warning, expiryWords(o.ID, o.ExpiresAt.Time))
}

// completionUnknown is what a completion answer the screen does not know
// says.
func completionUnknown(id string, status api.CompletionStatus) string {
	return "The server answered the completion of order " + id + " with " + strconv.Quote(string(status)) +
		", which this screen does not know, so it may not be done. F5 reads the order; do not complete it again before checking."
}
