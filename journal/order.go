package journal

import (
	"context"
	"errors"
	"strings"

	"github.com/boxoffice/boxoffice/api"
)

// Actions on the order as a whole. Restore passes over them: they name no
// voucher.
const (
	ActionCancel   = "cancel"
	ActionComplete = "complete"
)

// Outcomes of those actions.
const (
	OutcomeCancelled = "cancelled"
	OutcomeCompleted = "completed"
)

// Cancel releases an order (api.Client.CancelOrder) with the journal around
// it, as Attach does: the attempt is on disk before the request is sent and
// the outcome before Cancel returns. err and recordErr are as for Attach.
func (j *Journal) Cancel(ctx context.Context, c *api.Client, orderID string) (err, recordErr error) {
	if recordErr = j.Record(Entry{OrderID: orderID, Action: ActionCancel, Outcome: OutcomeAttempt}); recordErr != nil {
		return nil, unsentError{recordErr}
	}
	err = c.CancelOrder(ctx, orderID)
	entry := Entry{OrderID: orderID, Action: ActionCancel, Outcome: OutcomeCancelled}
	if err != nil {
		entry.SetFailure(err)
	}
	return err, j.Record(entry)
}

// Complete asks for an order's completion once (api.Client.CompleteOrder)
// with the journal around it. The answer is recorded as it stands: completed
// only when the server says Completed. A Pending answer or a lost one is
// followed up with FollowCompletion, which only reads.
func (j *Journal) Complete(ctx context.Context, c *api.Client, orderID string) (resp *api.CompletionResponse, err, recordErr error) {
	if recordErr = j.Record(Entry{OrderID: orderID, Action: ActionComplete, Outcome: OutcomeAttempt}); recordErr != nil {
		return nil, nil, unsentError{recordErr}
	}
	resp, err = c.CompleteOrder(ctx, orderID)
	return resp, err, j.Record(CompletionEntry(orderID, resp, err))
}

// FollowCompletion reads what became of a completion that answered Pending
// or whose answer was lost (api.Client.FollowCompletion). A settled answer is
// recorded; a check that could not be made adds nothing to what the journal
// already says.
func (j *Journal) FollowCompletion(ctx context.Context, c *api.Client, orderID string, policy api.CompletionPolicy) (resp *api.CompletionResponse, err, recordErr error) {
	resp, err = c.FollowCompletion(ctx, orderID, policy)
	if err == nil || errors.Is(err, api.ErrNoCompletion) {
		recordErr = j.Record(CompletionEntry(orderID, resp, err))
	}
	return resp, err, recordErr
}

// CompletionEntry is the journal line for a completion's answer.
func CompletionEntry(orderID string, resp *api.CompletionResponse, err error) Entry {
	entry := Entry{OrderID: orderID, Action: ActionComplete, Outcome: OutcomeCompleted}
	switch {
	case errors.Is(err, api.ErrNoCompletion):
		entry.Outcome = OutcomeFailed
		entry.Message = "no completion was made"
	case err != nil:
		entry.SetFailure(err)
	case resp.Status == api.CompletionPending:
		entry.Outcome = OutcomeUnknown
		entry.Message = "completion pending"
	case resp.Status != api.CompletionCompleted:
		entry.Outcome = OutcomeFailed
		entry.Message = "completion " + strings.ToLower(string(resp.Status))
	case resp.TransactionNumber != "":
		entry.Message = "transaction " + resp.TransactionNumber
	}
	return entry
}
