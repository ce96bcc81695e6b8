package ui

import (
	"fmt"

	"github.com/boxoffice/boxoffice/api"
)

// quitQuestion is what ctrl+c asks before quitting, or "" when nothing is
// left undone: no scan on its way and no order in progress on screen. An
// order left in progress holds its tickets and vouchers on the server until
// it expires, so a customer's vouchers would stay taken for that long.
func (m *Model) quitQuestion() string {
	if m.scans.sending() {
		return fmt.Sprintf("Scans are still being sent to order %s (%d waiting). Press ctrl+c again to quit anyway: the waiting ones are written to the journal as abandoned. Or wait.",
			shortID(m.orderID), len(m.scans.queue))
	}
	o := m.order
	if o == nil || m.orderGone || o.Status != api.OrderInProgress {
		return ""
	}
	left := o.ExpiresAt.Sub(m.now())
	if !o.ExpiresAt.IsZero() && left <= 0 {
		// Its time is up: the server has released it, or is about to.
		return ""
	}
	until := "it expires"
	if !o.ExpiresAt.IsZero() {
		until += " in " + countdown(left)
	}
	outcome := "quitting leaves it open on the server until " + until
	if tickets, vouchers := ticketCount(o), m.vouchers.len(); tickets+vouchers > 0 {
		outcome = fmt.Sprintf("quitting leaves its %s and %s held on the server until %s",
			plural(tickets, "ticket"), plural(vouchers, "voucher"), until)
	}
	return fmt.Sprintf("Order %s is still in progress: %s. Press ctrl+c again to quit, Esc to stay; F10 completes it, F9 cancels it.",
		shortID(o.ID), outcome)
}
