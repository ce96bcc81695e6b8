package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/status"
)

// askRemove is F8 on a voucher: the first press asks, the second removes. A
// voucher still paying for tickets is taken off them first, in the same
// step.
func (c *customer) askRemove(id string) tea.Cmd {
	if c.removing != nil || c.working != "" {
		return c.announce(common.Failure, "Wait: the last change to this order is still under way.")
	}
	if c.order != nil && c.order.Status == api.OrderCompleted {
		return c.announce(common.Failure, "Order "+common.ShortID(c.orderID)+" is completed, so its vouchers stay. ctrl+n starts a new order.")
	}
	v, ok := c.vouchers.get(id)
	if !ok {
		return c.announce(common.Failure, "That voucher is no longer on the order.")
	}
	used := c.vouchers.used[v.ID]
	var plan []showtimeRelease
	if used > 0 && v.Type != api.VoucherDeal {
		var err error
		if plan, err = c.releasePlan(v.ID); err != nil {
			return c.announce(common.Failure, "Cannot remove "+v.MaskedBarcode+" yet: "+err.Error()+".")
		}
	}
	if !c.run.status.Armed(status.RemoveVoucher, v.ID) {
		text := "Remove " + v.MaskedBarcode + " (" + voucherLabel(v) + ") from the order?"
		if len(plan) > 0 {
			text += " It pays for " + common.Plural(used, "ticket") + ": " + releaseText(plan, true) + "."
		}
		return c.run.status.Ask(status.RemoveVoucher, v.ID, c.namedShowtimes(text+" Press F8 again to remove, Esc to keep it."))
	}
	c.run.status.Answered()
	c.removing = &v
	seq := 0
	if len(plan) > 0 {
		seq = c.nextSeq()
	}
	return c.busyWith("Removing "+v.MaskedBarcode+"…", c.run.backend.Remove(c.orderID, v, plan, seq))
}

// releasePlan sets every ticket a voucher pays for back to the normal-price
// type it stood in for (pricing.NormalTicketFor: a Child voucher's ticket
// goes back to Child). A showtime with no such type loses those tickets. The
// other tickets stay as they are.
func (c *customer) releasePlan(voucherID string) ([]showtimeRelease, error) {
	if c.order == nil {
		return nil, nil
	}
	var plan []showtimeRelease
	for _, st := range c.order.Showtimes {
		if !pricing.UsesVoucher(st, voucherID) {
			continue
		}
		prices := c.prices[st.ShowtimeID]
		if prices == nil {
			return nil, fmt.Errorf("the ticket prices of %s are not loaded, so the screen cannot tell what its tickets go back to. Press F5, then F8 again", c.showtimeName(st.ShowtimeID))
		}
		r := showtimeRelease{showtimeID: st.ShowtimeID, back: map[string]int{}}
		for _, t := range st.Tickets {
			if t.VoucherID != voucherID {
				r.tickets = append(r.tickets, api.TicketRequest{ID: t.ID, TicketTypeID: t.TicketTypeID, VoucherID: t.VoucherID})
				continue
			}
			typeID, ok := pricing.NormalTicketFor(prices, t)
			if !ok {
				r.dropped++
				continue
			}
			r.back[prices.TicketTypeDescription(typeID)]++
			r.tickets = append(r.tickets, api.TicketRequest{TicketTypeID: typeID})
		}
		plan = append(plan, r)
	}
	return plan, nil
}

// releaseText says what becomes of a removed voucher's tickets.
func releaseText(plan []showtimeRelease, future bool) string {
	back := map[string]int{}
	var names []string
	dropped := 0
	for _, r := range plan {
		for name, n := range r.back {
			if _, ok := back[name]; !ok {
				names = append(names, name)
			}
			back[name] += n
		}
		dropped += r.dropped
	}
	sort.Strings(names)
	var parts []string
	for _, name := range names {
		parts = append(parts, fmt.Sprintf("%s %s back to %s at the normal price", common.Plural(back[name], "ticket"), verb(back[name], future, "goes", "go", "went"), name))
	}
	if dropped > 0 {
		parts = append(parts, fmt.Sprintf("%s %s removed (no normal-price ticket to go back to)", common.Plural(dropped, "ticket"), verb(dropped, future, "is", "are", "was", "were")))
	}
	return strings.Join(parts, "; ")
}

// verb picks the form of a verb for n things, now or done: ("goes", "go",
// "went") or ("is", "are", "was", "were").
func verb(n int, future bool, forms ...string) string {
	if future {
		if n == 1 {
			return forms[0]
		}
		return forms[1]
	}
	if len(forms) == 4 && n != 1 {
		return forms[3]
	}
	return forms[2]
}

func (c *customer) removeDone(msg removeDoneMsg) tea.Cmd {
	c.removing = nil
	v := msg.voucher
	if msg.order != nil {
		c.apply(msg.order.Order, msg.seq)
	}
	if msg.journalErr != nil {
		c.run.journalBroken = msg.journalErr
	}
	released := ""
	if len(msg.release) > 0 && msg.releaseErr == nil {
		released = releaseText(msg.release, false)
	}
	now := c.run.ctx.Now()
	if err := msg.releaseErr; err != nil {
		text := "Cannot remove " + v.MaskedBarcode + ": setting its tickets without it failed"
		switch {
		case api.KindOf(err) == api.KindNotFound:
			return tea.Batch(c.outcome(common.Failure, text+". "+describeError("Order", err, now)), c.gone(""))
		case api.IsOutcomeUnknown(err):
			text += " with no answer, so they may or may not have changed. The order is being read again; check it, then F8 again."
		case api.KindOf(err) == api.KindRejected:
			text += ": " + common.OrDefault(serverReason(api.AsError(err)), "the server refused") + ". The voucher and its tickets are as they were."
		default:
			text = describeError("Removing "+v.MaskedBarcode, err, now)
		}
		return c.announceAndReload(common.Failure, text)
	}
	if !msg.detachSent {
		text := v.MaskedBarcode + " was not removed: the journal cannot be written (" + msg.journalErr.Error() + "). Fix it and restart."
		if released != "" {
			text = "Its tickets were set without it (" + released + "), but " + text
		}
		return c.outcome(common.Failure, text)
	}
	if msg.err != nil {
		text := describeError("Removing "+v.MaskedBarcode, msg.err, now)
		if api.KindOf(msg.err) == api.KindRejected {
			text = "Cannot remove " + v.MaskedBarcode + ": " + common.OrDefault(serverReason(api.AsError(msg.err)), "the server refused") +
				". A voucher still paying for tickets stays until those tickets are set without it."
		}
		if released != "" {
			text = "Its tickets were set without it (" + released + "), but the voucher is still on the order. " + text + " F8 tries again."
		}
		if api.KindOf(msg.err) == api.KindNotFound {
			return tea.Batch(c.outcome(common.Failure, text), c.gone(""))
		}
		return c.announceAndReload(common.Failure, text)
	}
	c.vouchers.remove(v.ID)
	for barcode, id := range c.queue.attached {
		if id == v.ID {
			delete(c.queue.attached, barcode)
			delete(c.queue.lastScan, barcode)
		}
	}
	c.refresh()
	text := "Removed " + v.MaskedBarcode + " (" + voucherLabel(v) + ") from the order."
	if released != "" {
		text += " " + common.UpperFirst(released) + "."
		if c.order != nil {
			text += " Total now " + common.Money(c.order.TotalPrice.ValueIncludingTax) + "."
		}
	}
	if msg.journalErr != nil {
		text = "Removed " + v.MaskedBarcode + ", but the journal cannot be written (" + msg.journalErr.Error() + "). Attaching is stopped."
		return c.announceAndReload(common.Failure, text)
	}
	return c.announceAndReload(common.Success, text)
}
