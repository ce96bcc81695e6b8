package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/orderview"
	"github.com/boxoffice/boxoffice/ui/scanform"
)

// formEvent acts on what the scan form finished.
func (c *customer) formEvent(ev scanform.Event) tea.Cmd {
	switch ev.Kind {
	case scanform.BarcodeDone:
		return c.barcodeDone(ev.Scan)
	case scanform.Submitted:
		return c.submit(ev.Scan)
	case scanform.Refused:
		return tea.Batch(c.announce(common.Failure, ev.Text), c.record(common.Failure, ev.Text))
	case scanform.Empty:
		return c.announce(common.Failure, ev.Text)
	case scanform.Displaced:
		// What was in the field was refused; the new scan replaced it, and
		// the refused text stays listed for ctrl+r rather than being lost.
		c.addFailed(failedScan{barcode: ev.Scan.Barcode, vtype: ev.Scan.Type, reason: "refused before sending", tainted: ev.Scan.Tainted})
		c.run.status.Clear()
	case scanform.LeftAtPin:
		c.addFailed(failedScan{barcode: ev.Scan.Barcode, vtype: ev.Scan.Type, showtimeID: c.scanShowtimeID(),
			reason: "not sent: the next scan came before its PIN"})
		return c.outcome(common.Warning, api.MaskBarcode(ev.Scan.Barcode)+" was not sent: the next scan came before its PIN (sent without one, it could lose a PIN attempt). ctrl+r brings it back; at the PIN, Enter alone sends a voucher that has none.")
	}
	return nil
}

// barcodeDone decides on a barcode before any PIN is asked: a scan that
// cannot go (the order ended, the voucher is on the order already or
// blocked, a Ticket voucher with no showtime) is refused at once, and one
// that can goes at once or waits for its PIN.
func (c *customer) barcodeDone(s scanform.Scan) tea.Cmd {
	if cmd, refused := c.refuse(s); refused {
		return cmd
	}
	if c.form.PinPrompt() == scanform.PinNever {
		return c.submit(s)
	}
	c.form.AskPin()
	// The last scan's news is in the outcome list; the line now speaks of
	// this one.
	return c.announce(common.Info, "Type the PIN of "+api.MaskBarcode(s.Barcode)+" and press Enter (Enter alone if it has none).")
}

// submit queues a scan the form finished, after checking again: the order
// may have changed while the PIN was typed.
func (c *customer) submit(s scanform.Scan) tea.Cmd {
	if cmd, refused := c.refuse(s); refused {
		return cmd
	}
	showtimeID := c.scanShowtimeID()
	taken := c.queue.take(sending{Scan: s, showtimeID: showtimeID}, c.run.ctx.Now())
	c.removeFailed(s.Barcode)
	c.form.Reset()
	if c.order == nil {
		// The order is still on its way: the scan waits in the queue, on
		// screen, and goes once the order is here.
		return tea.Batch(c.noteQueued(taken), c.announce(common.Info, api.MaskBarcode(s.Barcode)+" waits until order "+common.ShortID(c.orderID)+" has loaded."))
	}
	cmd := c.startNext()
	if c.queue.waitingLast(taken.seq) {
		cmd = tea.Batch(cmd, c.noteQueued(taken))
	}
	c.run.status.Clear()
	return cmd
}

// refuse says why a scan cannot go now, if it cannot: it reports whether it
// refused.
func (c *customer) refuse(s scanform.Scan) (tea.Cmd, bool) {
	masked := api.MaskBarcode(s.Barcode)
	now := c.run.ctx.Now()
	switch {
	case c.run.journalBroken != nil:
		c.form.Hold()
		text := "Attaching is stopped: the journal cannot be written (" + c.run.journalBroken.Error() + "). Fix it and restart; nothing was sent."
		return tea.Batch(c.announce(common.Failure, text), c.record(common.Failure, text)), true
	case c.ended():
		return c.refuseOnEndedOrder(s), true
	case c.state == orderview.NotLoaded:
		c.form.Reset()
		c.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, reason: "not sent: the order was not loaded"})
		return c.outcome(common.Failure, "Order "+common.ShortID(c.orderID)+" is not loaded, so "+masked+" was not sent. F5 reads the order again; ctrl+r then brings the scan back."), true
	}
	if id, ok := c.queue.attached[s.Barcode]; ok && c.vouchers.has(id) {
		c.form.Reset()
		c.list.Select(id)
		c.middle = middleVouchers
		c.notAttached.Blur()
		return tea.Batch(c.noteRepeat(s, id), c.outcome(common.Warning, "Voucher "+masked+" was scanned again: it is already attached to this order (selected above), so it was not sent again.")), true
	}
	if c.queue.holding(s.Barcode) {
		c.form.Reset()
		return tea.Batch(c.noteRepeat(s, ""), c.outcome(common.Warning, "Voucher "+masked+" was scanned again: it is already on its way to this order, and is sent once.")), true
	}
	if last, ok := c.queue.lastScan[s.Barcode]; ok && now.Sub(last) < duplicateScanWindow {
		c.form.Reset()
		return tea.Batch(c.noteRepeat(s, c.queue.attached[s.Barcode]), c.outcome(common.Warning, "Voucher "+masked+" was scanned twice; it is sent once.")), true
	}
	if until, ok := c.queue.blocked[s.Barcode]; ok && !common.Passed(until, now) {
		c.form.Reset()
		words := blockedWords(masked, "Voucher "+masked+" is blocked after too many attempts.", until)
		announce := c.announceLive(common.Failure, words)
		if f, listed := c.queue.failedScan(s.Barcode); listed && f.blockedUntil.Equal(until) {
			// The block is already an outcome, and listed with its
			// countdown: said again, not listed twice.
			return announce, true
		}
		c.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, showtimeID: c.scanShowtimeID(), blockedUntil: until})
		return tea.Batch(announce, c.record(common.Failure, words(now))), true
	}
	if c.order != nil && s.Type == api.VoucherTicket && c.scanShowtimeID() == "" {
		c.form.Hold()
		text := "A Ticket voucher pays for a showtime, and this order has none yet. Press F4 and pick one, then scan again; or F2 for a Deal or Subscription voucher."
		return tea.Batch(c.announce(common.Failure, text), c.record(common.Failure, text)), true
	}
	return nil, false
}

// refuseOnEndedOrder refuses a scan on an order that can take no voucher
// (completed, cancelled, expired), and keeps it for ctrl+r on the next
// order, as scans queued when an order ends are kept.
func (c *customer) refuseOnEndedOrder(s scanform.Scan) tea.Cmd {
	c.form.Reset()
	id := common.ShortID(c.orderID)
	if scanform.CouldBePin(s.Barcode) {
		// Digits typed just after a scan was refused are most likely its
		// PIN, out of habit: never kept, never sent as a barcode.
		text := "Nothing can be added to order " + id + ": it has ended. The digits typed (a PIN?) were not sent and not kept."
		if n := c.endedScans(); n > 0 {
			text += " The " + common.Plural(n, "scan") + " under Not attached " + map[bool]string{true: "is", false: "are"}[n == 1] + " kept for the next order."
		}
		return c.outcome(common.Failure, text+" Press ctrl+n to start the next order.")
	}
	reason, text := "order ended", c.goneSentence()+", so "+api.MaskBarcode(s.Barcode)+" was not sent. Press ctrl+n for a new order or ctrl+o to open another; ctrl+r then brings the scan back."
	if c.order != nil && c.order.Status == api.OrderCompleted {
		reason = "order completed"
		text = "Order " + id + " is completed, so no voucher can be added to it and " + api.MaskBarcode(s.Barcode) + " was not sent. Press ctrl+n to start the next order; ctrl+r then brings the scan back."
	}
	c.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, reason: reason, orderEnded: true})
	return c.outcome(common.Failure, text)
}

// noteQueued writes a line for a scan that waits behind others, so that a
// program killed before its turn still leaves a trace of it.
func (c *customer) noteQueued(s sending) tea.Cmd {
	return c.run.backend.Note(journal.Entry{OrderID: c.orderID, Action: journal.ActionAttach,
		MaskedBarcode: api.MaskBarcode(s.Barcode), VoucherType: string(s.Type), Outcome: journal.OutcomeQueued})
}

// stopScans lists every queued scan as not attached for reason and journals
// each as abandoned: nothing more is sent to this order.
func (c *customer) stopScans(reason string) tea.Cmd {
	drained := c.queue.drain()
	if len(drained) == 0 {
		return nil
	}
	entries := make([]journal.Entry, 0, len(drained))
	for _, s := range drained {
		c.queue.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, showtimeID: s.showtimeID, reason: reason, orderEnded: reason == "order ended"})
		entries = append(entries, journal.Entry{OrderID: c.orderID, Action: journal.ActionAttach, MaskedBarcode: api.MaskBarcode(s.Barcode),
			VoucherType: string(s.Type), Outcome: journal.OutcomeAbandoned, Message: "not sent: " + reason})
	}
	c.refreshNotAttached()
	return c.run.backend.Note(entries...)
}

// startNext sends the next scan, if the pipeline and the order allow. A
// Ticket voucher scanned before the order had loaded gets the showtime
// chosen now; without one it is kept for retry and the next scan is tried.
func (c *customer) startNext() tea.Cmd {
	if c.order == nil || !c.open() {
		return nil
	}
	var notes []journal.Entry
	for {
		s, ok := c.queue.next()
		if !ok {
			break
		}
		if s.Type == api.VoucherTicket && s.showtimeID == "" {
			if s.showtimeID = c.scanShowtimeID(); s.showtimeID == "" {
				reason := "the order has no showtime for a Ticket voucher"
				c.queue.inFlight = nil
				c.queue.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, reason: reason})
				notes = append(notes, journal.Entry{OrderID: c.orderID, Action: journal.ActionAttach, MaskedBarcode: api.MaskBarcode(s.Barcode),
					VoucherType: string(s.Type), Outcome: journal.OutcomeAbandoned, Message: "not sent: " + reason})
				continue
			}
			c.queue.inFlight = &s
		}
		var note tea.Cmd
		if len(notes) > 0 {
			c.refreshNotAttached()
			note = c.run.backend.Note(notes...)
		}
		return tea.Batch(note, c.run.backend.Attach(c.orderID, s, c.knownVoucherIDs(), c.vouchers.othersAdding), c.run.ctx.Spinner.Start(c.run.ctx))
	}
	if len(notes) > 0 {
		c.refreshNotAttached()
		return c.run.backend.Note(notes...)
	}
	return nil
}

// attachDone takes a scan's answer; it is reported once its journal line is
// on disk, while the next scan goes out meanwhile.
func (c *customer) attachDone(msg attachDoneMsg) tea.Cmd {
	settled, needSync := c.queue.answered(msg, c.run.backend.Synced(msg.line))
	return c.settle(settled, needSync)
}

// journalSynced takes a sync's answer.
func (c *customer) journalSynced(msg journalSyncedMsg) tea.Cmd {
	settled, needSync := c.queue.synced(msg.err, c.run.backend.Synced)
	return c.settle(settled, needSync)
}

// settle reports the outcomes now on disk, in scan order, sending the next
// scan after each as the queue allows. Once the queue has drained the order
// is read back, so tickets and totals match the server.
func (c *customer) settle(settled []attachDoneMsg, needSync bool) tea.Cmd {
	cmds := []tea.Cmd{}
	if needSync {
		c.queue.syncing = true
		cmds = append(cmds, c.run.backend.Sync())
	}
	if len(settled) == 0 {
		return tea.Batch(append(cmds, c.startNext())...)
	}
	for _, outcome := range settled {
		cmds = append(cmds, c.report(outcome), c.startNext())
	}
	if !c.queue.sending() && c.open() && !c.loading {
		cmds = append(cmds, c.load())
	}
	return tea.Batch(cmds...)
}

// noteRepeat journals a scan of a barcode already attached (as voucherID)
// or on its way, which is not sent, as the clerk journals a repeat it
// stops: an auditor sees every scan, sent or not.
func (c *customer) noteRepeat(s scanform.Scan, voucherID string) tea.Cmd {
	message := "not sent: already attached to this order by this counter"
	if voucherID == "" {
		message = "not sent: already on its way to this order"
	}
	return c.run.backend.Note(journal.Entry{OrderID: c.orderID, Action: journal.ActionAttach, MaskedBarcode: api.MaskBarcode(s.Barcode),
		VoucherType: string(s.Type), Outcome: journal.OutcomeRepeat, VoucherID: voucherID, Message: message})
}

// retry is ctrl+r: the scan selected under "Not attached", else the newest,
// back in the form.
func (c *customer) retry(barcode string) tea.Cmd {
	if c.ended() {
		// Brought back here it could only be refused.
		return c.announce(common.Failure, "This order can take no more vouchers. Press ctrl+n to start the next order (or ctrl+o to open another), then ctrl+r brings the scan back.")
	}
	f, ok := c.queue.failedScan(barcode)
	if !ok {
		return c.announce(common.Failure, "There is no failed scan to retry.")
	}
	c.restore(f)
	return c.announce(common.Info, "Retrying "+api.MaskBarcode(f.barcode)+": type the PIN if it has one and press Enter.")
}

// restore puts a failed scan back in the form. It stays listed as failed
// until it is queued again, so clearing the form cannot lose it.
func (c *customer) restore(f failedScan) {
	vtype := f.vtype
	if f.rightType != "" {
		vtype = f.rightType
	}
	c.form.Restore(scanform.Scan{Barcode: f.barcode, Type: vtype, Tainted: f.tainted})
}
