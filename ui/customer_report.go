package ui

// What became of a scan, put on screen: the voucher listed, or the scan kept
// with its reason, and one line under Last outcomes.

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/ui/common"
)

// rightTypeWords finds the type a server says a voucher is, as in "it is a
// Deal voucher, not a Ticket voucher".
var rightTypeWords = regexp.MustCompile(`(?i)\bis an? (Ticket|Deal|Subscription) voucher`)

// report puts a settled outcome on screen: the voucher listed, or the scan
// kept for retry with the reason, and the status line saying which. Each
// outcome is one line under "Last outcomes".
func (c *customer) report(msg attachDoneMsg) tea.Cmd {
	s := msg.scan
	masked := api.MaskBarcode(s.Barcode)
	now := c.run.ctx.Now()

	if msg.journalErr != nil {
		return c.unrecorded(msg)
	}
	var repeat *desk.RepeatError
	if errors.As(msg.err, &repeat) {
		// The clerk stopped a second send of a barcode on its way or
		// attached: not a refusal, and nothing to retry.
		c.removeFailed(s.Barcode)
		if repeat.InFlight {
			return c.outcome(common.Warning, "Voucher "+masked+" was scanned again: it is already on its way to this order, and is sent once.")
		}
		c.list.Select(repeat.VoucherID)
		return c.outcome(common.Warning, "Voucher "+masked+" was scanned again: it is already attached to this order (selected above), so it was not sent again.")
	}
	if v, ok := c.listedAsThisScan(s, msg.err); ok {
		// Attached before: by another counter, a script, or this counter
		// before it restarted. It is listed above, so it is no failure.
		c.removeFailed(s.Barcode)
		c.queue.attached[s.Barcode] = v.ID
		c.list.Select(v.ID)
		return c.outcome(common.Warning, "Voucher "+masked+" is already on this order (selected above): it was attached before, so nothing more is needed.")
	}
	if errors.Is(msg.err, api.ErrLookAlike) {
		return c.lookAlike(s, msg)
	}
	if msg.err != nil {
		return c.refused(s, msg.err, now)
	}
	c.attached(s, msg.result)
	text := "Attached " + masked
	if d := msg.result.Voucher.VoucherTypeDescription; d != "" {
		text += " (" + d + ")"
	}
	if n := msg.result.AvailableRedemptions; n >= 0 {
		text += ": " + remainingText(n)
	}
	if msg.result.Recovered {
		text += ". The first answer was lost; the order shows it once."
	}
	return c.outcome(common.Success, text+takenAs(s))
}

// lookAlike reports a scan whose answer was lost while the order came to
// hold a voucher that looks like it (same type and masked barcode), which
// nothing could tell from another counter's: it is not listed as attached,
// and it is kept, marked to check, rather than claimed.
func (c *customer) lookAlike(s sending, msg attachDoneMsg) tea.Cmd {
	masked := api.MaskBarcode(s.Barcode)
	n := max(len(msg.result.LookAlikes), 1)
	lost := "its answer was lost"
	if e := api.AsError(msg.err); e != nil && e.Applied {
		lost = "the server said yes, but its answer could not be read"
	}
	c.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, showtimeID: s.showtimeID,
		reason: "check: on the order? matched only by its masked barcode"})
	// Kept to retry, as a failed scan is: scanned again at once, it goes.
	delete(c.queue.lastScan, s.Barcode)
	text := fmt.Sprintf("Voucher %s: %s, and the order now holds %s that look%s like it, which may be another counter's. Not counted as attached: check the order before scanning it again.",
		masked, lost, common.Plural(n, "voucher"), map[bool]string{true: "s", false: ""}[n == 1])
	return c.outcome(common.Warning, text+takenAs(s))
}

// unrecorded reports a scan whose journal line could not be written, and
// stops attaching: records must never be lost. Nothing was sent when the
// attempt's line failed; when the outcome's line failed, the scan went, and
// a voucher on the order is listed as attached, not kept to retry.
func (c *customer) unrecorded(msg attachDoneMsg) tea.Cmd {
	s := msg.scan
	masked := api.MaskBarcode(s.Barcode)
	c.run.journalBroken = msg.journalErr
	// Keep the scan and everything behind it for after the fix.
	c.addFailed(failedScan{barcode: s.Barcode, vtype: s.Type, showtimeID: s.showtimeID, reason: "journal cannot be written"})
	stop := c.stopScans("journal cannot be written")
	why := strings.TrimSuffix(strings.TrimSuffix(msg.journalErr.Error(), " ("+desk.ErrNothingSent.Error()+")"), ".")
	switch {
	case errors.Is(msg.journalErr, desk.ErrNothingSent):
		return tea.Batch(stop, c.outcome(common.Failure, "Attaching is stopped, and "+masked+" was not sent: the journal cannot be written. Fix it and restart; ctrl+r then brings the scan back. ("+why+")"))
	case msg.err == nil && msg.result.Voucher.ID != "":
		c.removeFailed(s.Barcode)
		c.attached(s, msg.result)
		return tea.Batch(stop, c.outcome(common.Failure, "Attached "+masked+", but the journal could not record it, so attaching is stopped. Fix the journal and restart; the voucher is on the order. ("+why+")"))
	}
	return tea.Batch(stop, c.outcome(common.Failure, "Attaching is stopped: the journal could not record what became of "+masked+". Fix it and restart, then check the order. ("+why+")"))
}

// attached lists a voucher the scan put on the order.
func (c *customer) attached(s sending, res api.AttachResult) {
	id := res.Voucher.ID
	c.queue.attached[s.Barcode] = id
	if s.Type == api.VoucherTicket && s.showtimeID != "" && id != "" {
		c.voucherShowtimes[id] = s.showtimeID
	}
	if res.AvailableRedemptions >= 0 {
		c.vouchers.redemptions[id] = res.AvailableRedemptions
	}
	forColumn := c.order != nil && len(c.order.Showtimes) > 1
	c.vouchers.upsert(res.Voucher)
	c.list.SetRow(c.voucherRow(res.Voucher, forColumn))
	// A new voucher may pay for tickets: give it its rows in the panel.
	c.refreshTickets()
}

// refused keeps a scan the server did not take, with why.
func (c *customer) refused(s sending, err error, now time.Time) tea.Cmd {
	masked := api.MaskBarcode(s.Barcode)
	reason := describeError("Voucher "+masked, err, now)
	e := api.AsError(err)
	failed := failedScan{barcode: s.Barcode, vtype: s.Type, showtimeID: s.showtimeID, reason: desk.OutcomeOf(err)}
	if e != nil && e.Message != "" {
		failed.reason = reasonAbout(e, "voucher "+masked)
	}
	if t, ok := rightType(e); ok {
		failed.rightType = t
	}
	if hint := caseHint(s.Barcode, e); hint != "" {
		reason += " " + hint
		failed.reason += "; " + hint
	}
	// A failed scan may be retried at once: it is not a double scan.
	delete(c.queue.lastScan, s.Barcode)
	if e != nil && !e.BlockedUntil.IsZero() {
		// Blocked by a 429, or by the refusal of its last wrong PIN: the
		// line and the list count down to the end of the block.
		c.queue.blocked[s.Barcode] = e.BlockedUntil
		failed.blockedUntil = e.BlockedUntil
		lead := "Voucher " + masked + ": too many attempts."
		if e.Kind == api.KindRejected {
			failed.blockNote = "wrong PIN"
			lead = refusalBlockLead("Voucher "+masked, e)
		}
		c.addFailed(failed)
		words := blockedWords(masked, lead, e.BlockedUntil)
		return tea.Batch(c.announceLive(common.Failure, words), c.record(common.Failure, words(now)+takenAs(s)))
	}
	c.addFailed(failed)
	var cmds []tea.Cmd
	if api.KindOf(err) == api.KindNotFound {
		// The order has gone: this scan and those behind it are kept for
		// the next order, and the end of the order says so.
		return c.gone("")
	}
	if c.form.Empty() && len(c.queue.queue) == 0 && pinMayHelp(err) {
		// Nothing else is being typed, and a PIN typed again may get it on:
		// put the scan back in the form for it. Any other refusal leaves
		// the barcode field waiting for the next scan.
		c.restore(failed)
	}
	return tea.Batch(append(cmds, c.outcome(common.Failure, reason+takenAs(s)))...)
}

// rightType is the type a refusal says the voucher really is.
func rightType(e *api.Error) (api.VoucherType, bool) {
	if e == nil || e.Kind != api.KindRejected {
		return "", false
	}
	m := rightTypeWords.FindStringSubmatch(e.Message)
	if m == nil {
		return "", false
	}
	for _, t := range api.VoucherTypes {
		if strings.EqualFold(string(t), m[1]) {
			return t, true
		}
	}
	return "", false
}

// caseHint says a refused barcode was typed in lower case: voucher barcodes
// are upper case, and Caps Lock or a scanner's setting is the usual cause.
func caseHint(barcode string, e *api.Error) string {
	if e == nil || e.Kind != api.KindRejected || barcode == strings.ToUpper(barcode) {
		return ""
	}
	return "The barcode was typed in lower case (Caps Lock, or the scanner's setting?): check it against the voucher."
}

// takenAs says which voucher type a prefix made a scan, so that a wrong
// entry in voucher_prefixes shows itself.
func takenAs(s sending) string {
	if s.Prefix == "" {
		return ""
	}
	return " (sent as " + string(s.Type) + " by its prefix " + s.Prefix + ")"
}

func remainingText(n int) string {
	switch n {
	case 0:
		return "none remaining"
	case 1:
		return "1 remaining"
	}
	return strconv.Itoa(n) + " remaining"
}

// listedAsThisScan finds the listed voucher a refusal is about when the
// server says the voucher is already on the order: the one listed with the
// scan's type and masked barcode. Two such (look-alikes) leave it a refusal.
func (c *customer) listedAsThisScan(s sending, err error) (api.OrderVoucher, bool) {
	e := api.AsError(err)
	if e == nil || e.Kind != api.KindRejected || e.Code != api.CodeVoucherAlreadyOnOrder {
		return api.OrderVoucher{}, false
	}
	masked := api.MaskBarcode(s.Barcode)
	var found []api.OrderVoucher
	for _, v := range c.vouchers.items {
		if v.MaskedBarcode == masked && (v.Type == "" || v.Type == s.Type) {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		return api.OrderVoucher{}, false
	}
	return found[0], true
}
