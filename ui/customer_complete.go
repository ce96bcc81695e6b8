package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/status"
)

// actionBlocked says why an order-level action cannot start now, or "".
func (c *customer) actionBlocked(action string) string {
	switch {
	case c.order == nil && c.ended():
		return c.goneSentence() + ", so there is nothing to " + action + ". Press ctrl+n for a new order."
	case c.order == nil:
		return "The order is not loaded yet. Press F5 to reload it."
	case c.working != "":
		return "Wait: " + strings.ToLower(c.working) + " is still under way."
	case c.removing != nil:
		return "Wait: " + c.removing.MaskedBarcode + " is still being removed."
	case c.queue.inFlight != nil || len(c.queue.queue) > 0:
		return "Wait: scans are still being sent to this order."
	}
	return ""
}

// askCancel is F9: the first press asks, the second cancels.
func (c *customer) askCancel() tea.Cmd {
	if why := c.actionBlocked("cancel"); why != "" {
		return c.announce(common.Failure, why)
	}
	o := c.order
	if o.Status == api.OrderCompleted {
		return c.announce(common.Failure, "Order "+common.ShortID(o.ID)+" is completed, so it cannot be cancelled here. A refund is done in Vista.")
	}
	if !c.run.status.Armed(status.CancelOrder, o.ID) {
		tickets, vouchers := pricing.TicketCount(*o), c.vouchers.len()
		text := fmt.Sprintf("Cancel order %s? It has nothing on it yet.", common.ShortID(o.ID))
		if tickets+vouchers > 0 {
			text = fmt.Sprintf("Cancel order %s? Its %s and %s are released; the vouchers can be used again.",
				common.ShortID(o.ID), common.Plural(tickets, "ticket"), common.Plural(vouchers, "voucher"))
		}
		return c.run.status.Ask(status.CancelOrder, o.ID, text+" Press F9 again to cancel it, Esc to keep it.")
	}
	c.run.status.Answered()
	c.working = "Cancelling the order"
	return c.busyWith("Cancelling order "+common.ShortID(o.ID)+"…", c.run.backend.Cancel(o.ID))
}

func (c *customer) cancelDone(msg orderCancelledMsg) tea.Cmd {
	c.working = ""
	if msg.journalErr != nil {
		c.run.journalBroken = msg.journalErr
	}
	id := common.ShortID(c.orderID)
	if !msg.sent {
		return c.outcome(common.Failure, "Order "+id+" was not cancelled: the journal cannot be written ("+msg.journalErr.Error()+"). Fix it and restart.")
	}
	if msg.err != nil {
		switch {
		case api.KindOf(msg.err) == api.KindNotFound:
			return tea.Batch(c.gone(""), c.outcome(common.Failure, "Order "+id+" had already expired or been released, so there was nothing to cancel. Press ctrl+n for a new order."))
		case api.IsOutcomeUnknown(msg.err):
			return c.announceAndReload(common.Warning, "No answer to the cancel, so it may or may not have gone through. Reading the order again to find out…")
		case api.KindOf(msg.err) == api.KindRejected:
			return c.announceAndReload(common.Failure, "Order "+id+" was not cancelled: "+common.OrDefault(serverReason(api.AsError(msg.err)), "the server refused")+". The order is as it was.")
		}
		return c.outcome(common.Failure, describeError("Cancelling the order", msg.err, c.run.ctx.Now()))
	}
	gone := c.gone("cancelled")
	text := "Order " + id + " cancelled: its tickets and vouchers are released. ctrl+n starts a new order."
	if msg.journalErr != nil {
		return tea.Batch(gone, c.outcome(common.Failure, text+" The journal cannot be written ("+msg.journalErr.Error()+"): attaching is stopped."))
	}
	return tea.Batch(gone, c.outcome(common.Success, text))
}

// askComplete is F10: the first press checks and asks, the second completes.
func (c *customer) askComplete() tea.Cmd {
	if why := c.actionBlocked("complete"); why != "" {
		return c.announce(common.Failure, why)
	}
	o := c.order
	id := common.ShortID(o.ID)
	// The book, not the order's answer: a tenant may not list the vouchers.
	plan := pricing.PlanCompletion(*o, c.vouchers.items)
	switch {
	case plan.Refusal == pricing.AlreadyCompleted:
		return c.announce(common.Failure, "Order "+id+" is already completed"+c.txnSuffix()+". ctrl+n starts a new order.")
	case c.tickets != nil && c.tickets.Dirty():
		return c.announce(common.Failure, "The ticket changes are not applied yet: F7 applies them, esc discards them. Then complete.")
	case c.middle == middleSeats:
		return c.announce(common.Failure, "The seat map is open: F7 sends the seats chosen, esc closes it. Then complete.")
	case c.anyUnseated():
		return c.announce(common.Failure, "Some tickets have no seat yet: ctrl+s chooses them. An order is completed with every ticket seated.")
	case c.run.journalBroken != nil:
		return c.announce(common.Failure, "Completing is stopped: the journal cannot be written ("+c.run.journalBroken.Error()+"). Fix it and restart; nothing was sent.")
	case plan.Refusal == pricing.StillToPay:
		return c.announce(common.Failure, fmt.Sprintf("Still to pay: %s (%s). This screen completes only orders paid in full by vouchers: F4 lets vouchers pay for more tickets; otherwise take payment at the till.",
			common.Money(plan.Due), c.unpaidSummary()))
	case plan.Refusal == pricing.NothingToComplete:
		return c.announce(common.Failure, "There is nothing on this order to complete. F4 adds tickets.")
	}
	if !c.run.status.Armed(status.CompleteOrder, o.ID) {
		text := fmt.Sprintf("Complete order %s: %s, total %s? Press F10 again to complete, Esc to go back.",
			id, plan.Summary(), common.Money(0))
		if unused := plan.UnusedDeals(); len(unused) > 0 {
			text = fmt.Sprintf("Complete order %s: %s, total %s? %s pays for no ticket and is spent all the same. Press F10 again to complete, Esc to go back.",
				id, plan.Summary(), common.Money(0), dealNames(unused))
		}
		return c.run.status.Ask(status.CompleteOrder, o.ID, text)
	}
	c.run.status.Answered()
	c.working = "Completing the order"
	return c.busyWith("Completing order "+id+"…", c.run.backend.Complete(o.ID))
}

// unpaidSummary names the tickets that still cost something, e.g.
// "2 × Adult at 19.50".
func (c *customer) unpaidSummary() string {
	if c.order == nil {
		return ""
	}
	return pricing.Unpaid(*c.order, func(showtimeID, typeID string) (string, bool) {
		return c.ticketTypeName(showtimeID, typeID), c.prices[showtimeID] != nil
	})
}

func (c *customer) completeDone(msg orderCompletedMsg) tea.Cmd {
	c.working = ""
	id := common.ShortID(c.orderID)
	if !msg.sent {
		// The attempt could not be journalled, so nothing was sent.
		c.run.journalBroken = msg.journalErr
		return c.outcome(common.Failure, "Order "+id+" was not completed: the journal cannot be written ("+msg.journalErr.Error()+"). Fix it and restart.")
	}
	if msg.journalErr != nil {
		c.run.journalBroken = msg.journalErr
	}
	if msg.err != nil {
		return c.completionFailed(msg)
	}
	switch msg.resp.Status {
	case api.CompletionCompleted:
	case api.CompletionPending:
		if !msg.followed {
			c.working = "Waiting for the completion"
			return c.busyWith("Order "+id+" is being completed: the server says Pending. Checking again; do not complete it twice…", c.run.backend.FollowCompletion(c.orderID))
		}
		c.unsureCompletion = true
		return c.announceAndReload(common.Warning, "Order "+id+" is still being completed (Pending) after several checks. It may yet go through: do not complete it again; F5 checks the order.")
	case api.CompletionFailed:
		return c.announceAndReload(common.Failure, "Order "+id+" was not completed: the server says the completion failed, and nothing was redeemed. F10 tries again; F9 cancels the order.")
	default:
		c.unsureCompletion = true
		return c.announceAndReload(common.Warning, completionUnknown(id, msg.resp.Status))
	}
	c.txn = msg.resp.TransactionNumber
	e := c.run.book.entry(c.orderID)
	e.txn, e.status = c.txn, api.OrderCompleted
	if c.order != nil {
		o := *c.order
		o.Status = api.OrderCompleted
		c.order = &o
	}
	c.closePanel()
	c.refresh()
	text := "Order " + id + " completed" + c.txnSuffix() + ". ctrl+n starts a new order."
	if msg.followed && msg.resp.TransactionNumber == "" {
		text = "Order " + id + " is completed, but its transaction number was lost with the answer: look it up in Vista before the customer leaves. ctrl+n starts a new order."
	}
	if msg.journalErr != nil {
		text += " The journal cannot be written (" + msg.journalErr.Error() + "): attaching is stopped."
	}
	return c.announceAndReload(common.Success, text)
}

func (c *customer) completionFailed(msg orderCompletedMsg) tea.Cmd {
	id := common.ShortID(c.orderID)
	e := api.AsError(msg.err)
	switch {
	case errors.Is(msg.err, api.ErrNoCompletion):
		// Neither a completion nor a completed order exists: nothing was
		// redeemed. Whether the order is still open, the read says.
		return c.announceAndReload(common.Failure, "Order "+id+" was not completed and nothing was redeemed. Reading the order again; F10 tries once more if it is still open.")
	case !msg.followed && (api.KindOf(msg.err) == api.KindNotFound || api.IsOutcomeUnknown(msg.err)):
		// A lost answer, or an order no longer in progress, may be a
		// completion that went through: ask the completion, never guess.
		what := "No answer to the completion"
		if !api.IsOutcomeUnknown(msg.err) {
			what = "The order is no longer in progress"
		}
		c.working = "Checking the completion"
		return c.busyWith(what+", so it may have gone through. Asking the server; do not complete it twice…", c.run.backend.FollowCompletion(c.orderID))
	case msg.followed:
		c.unsureCompletion = true
		return c.announceAndReload(common.Warning, "Could not find out whether order "+id+" was completed: the server did not answer the check. Do not complete it again before checking: F5 reads the order again.")
	case e != nil && e.Kind == api.KindRejected:
		text := "Order " + id + " was not completed: " + common.OrDefault(serverReason(e), "the server refused") + "."
		switch e.Code {
		case api.CodeOrderCompleted:
			text = "Order " + id + " was already completed. Reading it again…"
		case api.CodeVoucherRedemptionsExceeded, api.CodeVoucherExpired:
			text += " Remove that voucher (F8) and take payment for its tickets, or F9 cancels the order."
		default:
			text += " Nothing was redeemed; F5 reads the order again."
		}
		return c.announceAndReload(common.Failure, text)
	}
	return c.outcome(common.Failure, describeError("Completing the order", msg.err, c.run.ctx.Now()))
}

// txnSuffix is ", transaction 100001" once the order has one.
func (c *customer) txnSuffix() string {
	if c.txn != "" {
		return ", transaction " + c.txn
	}
	return ""
}

// dealNames names Deal vouchers, masked: "93.......0017" or "93.......0017
// and 93.......0024".
func dealNames(spends []pricing.Spend) string {
	names := make([]string, len(spends))
	for i, sp := range spends {
		names[i] = sp.Voucher.MaskedBarcode
	}
	if len(names) == 1 {
		return "Deal voucher " + names[0]
	}
	return "Deal vouchers " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " each"
}
