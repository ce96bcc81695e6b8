package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// Attach adds a voucher to an order exactly once (api.Client.AttachVoucher)
// with the journal around it: the attempt is on disk before anything is
// sent, and the outcome is on disk before Attach returns, so whoever reports
// the outcome reports something already recorded.
//
// One add per barcode: a barcode already on its way to the order, or
// attached to it by this Clerk, is not sent again; it is journalled as a
// repeat (one attempt, not a refusal) and err is a *RepeatError
// (ErrRepeat). This is decided when the scan is sent, not when it is
// typed, so a queue of scans cannot send one twice. Full barcodes are held
// in memory only, for as long as the Clerk lives.
//
// A look-alike matched by its mask after a lost answer (the result's
// Outcome is api.AttachMatchedByMask, err wraps api.ErrLookAlike) is
// journalled matched_by_mask, for a supervisor to check.
//
// err is the attach's own error. recordErr is set when the journal could not
// be written: if it fails before sending, nothing was sent (err is nil and
// the result empty); if it fails after, the result stands but was not
// recorded (errors.Is(recordErr, ErrNothingSent) tells the two apart).
// Either way the caller must stop attaching. The journal is checked to be
// still at its path, the same file, as the attempt is written, before
// anything is sent.
func (c *Clerk) Attach(ctx context.Context, orderID string, req api.AddVoucherRequest, policy api.AttachPolicy) (res api.AttachResult, err, recordErr error) {
	res, line, err, recordErr := c.attach(ctx, orderID, req, policy, true)
	if recordErr == nil && line > 0 {
		recordErr = c.journal.Sync()
	}
	return res, err, recordErr
}

// AttachUnsynced is Attach without waiting for the disk: both lines are
// written, in order, but the caller must Sync (or see Synced(line)) before
// it reports the outcome. A queue of scans uses it to send the next scan
// while the disk catches up, one fsync covering several outcomes. The
// attempt line is written before the send but not waited for: a crash of
// the program keeps it, a power cut may not.
func (c *Clerk) AttachUnsynced(ctx context.Context, orderID string, req api.AddVoucherRequest, policy api.AttachPolicy) (res api.AttachResult, line uint64, err, recordErr error) {
	return c.attach(ctx, orderID, req, policy, false)
}

func (c *Clerk) attach(ctx context.Context, orderID string, req api.AddVoucherRequest, policy api.AttachPolicy, attemptDurable bool) (res api.AttachResult, line uint64, err, recordErr error) {
	entry := journal.Entry{
		OrderID:       orderID,
		Action:        journal.ActionAttach,
		MaskedBarcode: api.MaskBarcode(req.Credentials.Barcode),
		VoucherType:   string(req.Type),
	}
	barcode := req.Credentials.Barcode
	if b, verr := api.ValidateBarcode(barcode); verr == nil {
		barcode = b
	}
	// One add per barcode, decided as it is sent: a scan repeated while the
	// first is on its way, or after it was attached, is not sent again.
	state, voucherID, earlierUnknown := c.sends.claim(orderID, barcode)
	if state != BarcodeFree {
		return c.repeat(entry, state, voucherID, attemptDurable)
	}
	// A refusal after an add of it went unanswered may be the server
	// refusing that add again: the client reads it against the order.
	policy.EarlierAddUnknown = policy.EarlierAddUnknown || earlierUnknown
	attempt := entry
	attempt.Outcome = journal.OutcomeAttempt
	if _, recordErr = c.journal.Write(attempt); recordErr == nil && attemptDurable {
		recordErr = c.journal.Sync()
	}
	if recordErr != nil {
		c.sends.settle(orderID, barcode, "", earlierUnknown)
		return api.AttachResult{}, 0, nil, unsentError{recordErr}
	}
	res, err = c.client.AttachVoucher(ctx, orderID, req, policy)
	attachedAs := ""
	switch {
	case err != nil && res.Outcome == api.AttachMatchedByMask:
		setFailure(&entry, err)
		entry.VoucherID = res.Voucher.ID
		entry.Message = lookAlikes(res.LookAlikes)
	case err != nil:
		setFailure(&entry, err)
	default:
		attachedAs = res.Voucher.ID
		entry.Outcome = journal.OutcomeAttached
		if res.Outcome == api.AttachAlreadyOnOrder {
			entry.Outcome = journal.OutcomeAlreadyAttached
		}
		entry.VoucherID = res.Voucher.ID
		if res.AvailableRedemptions >= 0 {
			n := res.AvailableRedemptions
			entry.AvailableRedemptions = &n
		}
	}
	c.sends.settle(orderID, barcode, attachedAs, api.IsOutcomeUnknown(err))
	line, recordErr = c.journal.Write(entry)
	return res, line, err, recordErr
}

// repeat records a repeat scan, not sent: one attempt, journalled as a
// repeat with the voucher it repeats when it is attached.
func (c *Clerk) repeat(entry journal.Entry, state BarcodeState, voucherID string, durable bool) (api.AttachResult, uint64, error, error) {
	rerr := &RepeatError{OrderID: entry.OrderID, MaskedBarcode: entry.MaskedBarcode, InFlight: state == BarcodeInFlight, VoucherID: voucherID}
	entry.Outcome = journal.OutcomeRepeat
	entry.VoucherID = voucherID
	entry.Message = "not sent: already attached to this order by this counter"
	if rerr.InFlight {
		entry.Message = "not sent: already on its way to this order"
	}
	line, recordErr := c.journal.Write(entry)
	if recordErr == nil && durable {
		recordErr = c.journal.Sync()
	}
	if recordErr != nil {
		recordErr = unsentError{recordErr}
	}
	return api.AttachResult{}, line, rerr, recordErr
}

// lookAlikes names, for the journal, the vouchers a lost add was matched
// with by their masked barcodes.
func lookAlikes(vouchers []api.OrderVoucher) string {
	ids := make([]string, len(vouchers))
	for i, v := range vouchers {
		ids[i] = v.ID
	}
	what := "a voucher on the order matches its masked barcode"
	if len(vouchers) > 1 {
		what = fmt.Sprintf("%d vouchers on the order match its masked barcode", len(vouchers))
	}
	return what + " after the answer was lost, and may be another writer's: check (" + strings.Join(ids, ", ") + ")"
}

// Detach removes a voucher from an order (api.Client.DetachVoucher) with the
// journal around it, as Attach does.
func (c *Clerk) Detach(ctx context.Context, orderID string, v api.OrderVoucher, policy api.AttachPolicy) (err, recordErr error) {
	entry := journal.Entry{
		OrderID:       orderID,
		Action:        journal.ActionRemove,
		MaskedBarcode: v.MaskedBarcode,
		VoucherType:   string(v.Type),
		VoucherID:     v.ID,
	}
	attempt := entry
	attempt.Outcome = journal.OutcomeAttempt
	if recordErr = c.journal.Record(attempt); recordErr != nil {
		return nil, unsentError{recordErr}
	}
	err = c.client.DetachVoucher(ctx, orderID, v.ID, policy)
	entry.Outcome = journal.OutcomeRemoved
	if err != nil {
		setFailure(&entry, err)
	} else {
		c.sends.removed(orderID, v.ID)
	}
	return err, c.journal.Record(entry)
}
