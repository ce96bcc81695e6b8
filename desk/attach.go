package desk

import (
	"context"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// Attach adds a voucher to an order exactly once (api.Client.AttachVoucher)
// with the journal around it: the attempt is on disk before anything is
// sent, and the outcome is on disk before Attach returns, so whoever reports
// the outcome reports something already recorded.
//
// err is the attach's own error. recordErr is set when the journal could not
// be written: if it fails before sending, nothing was sent (err is nil and
// the result empty); if it fails after, the result stands but was not
// recorded (errors.Is(recordErr, ErrNothingSent) tells the two apart).
// Either way the caller must stop attaching.
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
	attempt := entry
	attempt.Outcome = journal.OutcomeAttempt
	if _, recordErr = c.journal.Write(attempt); recordErr == nil && attemptDurable {
		recordErr = c.journal.Sync()
	}
	if recordErr != nil {
		return api.AttachResult{}, 0, nil, unsentError{recordErr}
	}
	res, err = c.client.AttachVoucher(ctx, orderID, req, policy)
	if err != nil {
		setFailure(&entry, err)
	} else {
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
	line, recordErr = c.journal.Write(entry)
	return res, line, err, recordErr
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
	}
	return err, c.journal.Record(entry)
}
