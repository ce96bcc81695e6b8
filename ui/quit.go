package ui

// Quitting: ctrl+c asks first while scans are on their way or an order is
// still in progress.

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/orderview"
	"github.com/boxoffice/boxoffice/ui/status"
)

// quit is ctrl+c. With scans still on their way, or an order in progress,
// it asks first, as the other questions do; the second press quits, and
// every scan still waiting is journalled as abandoned, so none is gone
// without a trace. The scan being sent has its attempt in the journal
// already: its outcome is what the next start finds on the order.
func (m *Model) quit() tea.Cmd {
	c := m.cust
	question := ""
	if c != nil {
		question = c.quitQuestion()
	}
	if question == "" {
		return tea.Quit
	}
	if !m.run.status.Armed(status.Quit, "") {
		return m.run.status.Ask(status.Quit, "", question)
	}
	var entries []journal.Entry
	for _, s := range c.queue.drain() {
		entries = append(entries, journal.Entry{OrderID: c.orderID, Action: journal.ActionAttach, MaskedBarcode: api.MaskBarcode(s.Barcode),
			VoucherType: string(s.Type), Outcome: journal.OutcomeAbandoned, Message: "not sent: the counter was quit"})
	}
	if len(entries) == 0 {
		return tea.Quit
	}
	// Quitting goes on even if the disk fails now: the operator asked twice.
	return tea.Sequence(m.run.backend.Note(entries...), tea.Quit)
}

// quitQuestion is what ctrl+c asks before quitting, or "" when nothing is
// left undone: no scan on its way and no order in progress on screen. An
// order left in progress holds its tickets and vouchers on the server until
// it expires, so a customer's vouchers would stay taken for that long.
func (c *customer) quitQuestion() string {
	if c.queue.sending() {
		if c.order == nil {
			return fmt.Sprintf("%s for order %s to load (%s). Press ctrl+c again to quit anyway: %s written to the journal as abandoned. Or wait.",
				common.Plural(len(c.queue.queue), "scan")+map[bool]string{true: " waits", false: " wait"}[len(c.queue.queue) == 1],
				common.ShortID(c.orderID), map[bool]string{true: "it is not loaded: F5 tries again", false: "it is being read"}[c.state == orderview.NotLoaded],
				map[bool]string{true: "it is", false: "they are"}[len(c.queue.queue) == 1])
		}
		return fmt.Sprintf("Scans are still being sent to order %s (%d waiting). Press ctrl+c again to quit anyway: the waiting ones are written to the journal as abandoned. Or wait.",
			common.ShortID(c.orderID), len(c.queue.queue))
	}
	o := c.order
	if o == nil || c.ended() || o.Status != api.OrderInProgress {
		return ""
	}
	left := o.ExpiresAt.Sub(c.run.ctx.Now())
	if !o.ExpiresAt.IsZero() && left <= 0 {
		// Its time is up: the server has released it, or is about to.
		return ""
	}
	until := "it expires"
	if !o.ExpiresAt.IsZero() {
		until += " in " + common.Countdown(left)
	}
	outcome := "quitting leaves it open on the server until " + until
	if tickets, vouchers := ticketCountOf(o), c.vouchers.len(); tickets+vouchers > 0 {
		outcome = fmt.Sprintf("quitting leaves its %s and %s held on the server until %s",
			common.Plural(tickets, "ticket"), common.Plural(vouchers, "voucher"), until)
	}
	return fmt.Sprintf("Order %s is still in progress: %s. Press ctrl+c again to quit, Esc to stay; F10 completes it, F9 cancels it.",
		common.ShortID(o.ID), outcome)
}

func ticketCountOf(o *api.Order) int {
	n := 0
	for _, st := range o.Showtimes {
		n += len(st.Tickets)
	}
	return n
}
