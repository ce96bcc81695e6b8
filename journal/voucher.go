package journal

import (
	"context"
	"errors"

	"github.com/boxoffice/boxoffice/api"
)

// ErrNothingSent is in the chain of a recordErr from Attach or Detach when
// the journal failed before the call, so nothing reached the server.
var ErrNothingSent = errors.New("nothing was sent")

type unsentError struct{ err error }

func (e unsentError) Error() string   { return e.err.Error() + " (" + ErrNothingSent.Error() + ")" }
func (e unsentError) Unwrap() []error { return []error{e.err, ErrNothingSent} }

// Attach adds a voucher to an order exactly once (api.Client.AttachVoucher)
// with the journal around it: the attempt is on disk before anything is
// sent, and the outcome is on disk before Attach returns, so whoever reports
// the outcome reports something already recorded.
//
// err is the attach's own error. recordErr is set when the journal could not
// be written: if it fails before sending, nothing was sent (err is nil and
// the result empty); if it fails after, the result stands but was not
// recorded (errors.Is(recordErr, ErrNothingSent) tells the two apart).
// Either way the caller must stop attaching. A nil Journal records nothing.
func (j *Journal) Attach(ctx context.Context, c *api.Client, orderID string, req api.AddVoucherRequest, policy api.AttachPolicy) (res api.AttachResult, err, recordErr error) {
	res, line, err, recordErr := j.attach(ctx, c, orderID, req, policy, true)
	if recordErr == nil && line > 0 {
		recordErr = j.Sync()
	}
	return res, err, recordErr
}

// AttachUnsynced is Attach without waiting for the disk: both lines are
// written, in order, but the caller must Sync (or see Synced(line)) before
// it reports the outcome. A queue of scans uses it to send the next scan
// while the disk catches up, one fsync covering several outcomes. The
// attempt line is written before the send but not waited for: a crash of
// the program keeps it, a power cut may not.
func (j *Journal) AttachUnsynced(ctx context.Context, c *api.Client, orderID string, req api.AddVoucherRequest, policy api.AttachPolicy) (res api.AttachResult, line uint64, err, recordErr error) {
	return j.attach(ctx, c, orderID, req, policy, false)
}

func (j *Journal) attach(ctx context.Context, c *api.Client, orderID string, req api.AddVoucherRequest, policy api.AttachPolicy, attemptDurable bool) (res api.AttachResult, line uint64, err, recordErr error) {
	entry := Entry{
		OrderID:       orderID,
		Action:        ActionAttach,
		MaskedBarcode: api.MaskBarcode(req.Credentials.Barcode),
		VoucherType:   string(req.Type),
	}
	attempt := entry
	attempt.Outcome = OutcomeAttempt
	if _, recordErr = j.Write(attempt); recordErr == nil && attemptDurable {
		recordErr = j.Sync()
	}
	if recordErr != nil {
		return api.AttachResult{}, 0, nil, unsentError{recordErr}
	}
	res, err = c.AttachVoucher(ctx, orderID, req, policy)
	if err != nil {
		entry.SetFailure(err)
	} else {
		entry.Outcome = OutcomeAttached
		if res.Outcome == api.AttachAlreadyOnOrder {
			entry.Outcome = OutcomeAlreadyAttached
		}
		entry.VoucherID = res.Voucher.ID
		if res.AvailableRedemptions >= 0 {
			n := res.AvailableRedemptions
			entry.AvailableRedemptions = &n
		}
	}
	line, recordErr = j.Write(entry)
	return res, line, err, recordErr
}

// Detach removes a voucher from an order (api.Client.DetachVoucher) with the
// journal around it, as Attach does.
func (j *Journal) Detach(ctx context.Context, c *api.Client, orderID string, v api.OrderVoucher, policy api.AttachPolicy) (err, recordErr error) {
	entry := Entry{
		OrderID:       orderID,
		Action:        ActionRemove,
		MaskedBarcode: v.MaskedBarcode,
		VoucherType:   string(v.Type),
		VoucherID:     v.ID,
	}
	attempt := entry
	attempt.Outcome = OutcomeAttempt
	if recordErr = j.Record(attempt); recordErr != nil {
		return nil, unsentError{recordErr}
	}
	err = c.DetachVoucher(ctx, orderID, v.ID, policy)
	entry.Outcome = OutcomeRemoved
	if err != nil {
		entry.SetFailure(err)
	}
	return err, j.Record(entry)
}

// OutcomeOf names a failed call's outcome in the journal.
func OutcomeOf(err error) string {
	switch {
	case api.IsOutcomeUnknown(err):
		return OutcomeUnknown
	case api.KindOf(err) == api.KindRejected:
		return OutcomeRejected
	case api.KindOf(err) == api.KindRateLimited:
		return OutcomeBlocked
	}
	return OutcomeFailed
}
