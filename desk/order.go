package desk

import (
	"context"
	"errors"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// Cancel releases an order (api.Client.CancelOrder) with the journal around
// it, as Attach does: the attempt is on disk before the request is sent and
// the outcome before Cancel returns. err and recordErr are as for Attach.
func (c *Clerk) Cancel(ctx context.Context, orderID string) (err, recordErr error) {
	if recordErr = c.journal.Record(journal.Entry{OrderID: orderID, Action: journal.ActionCancel, Outcome: journal.OutcomeAttempt}); recordErr != nil {
		return nil, unsentError{recordErr}
	}
	err = c.client.CancelOrder(ctx, orderID)
	entry := journal.Entry{OrderID: orderID, Action: journal.ActionCancel, Outcome: journal.OutcomeCancelled}
	if err != nil {
		setFailure(&entry, err)
	} else {
		c.sends.ended(orderID)
	}
	return err, c.journal.Record(entry)
}

// Complete asks for an order's completion once (api.Client.CompleteOrder)
// with the journal around it. The answer is recorded as it stands: completed
// only when the server says Completed. A Pending answer or a lost one is
// followed up with FollowCompletion, which only reads.
func (c *Clerk) Complete(ctx context.Context, orderID string) (resp *api.CompletionResponse, err, recordErr error) {
	if recordErr = c.journal.Record(journal.Entry{OrderID: orderID, Action: journal.ActionComplete, Outcome: journal.OutcomeAttempt}); recordErr != nil {
		return nil, nil, unsentError{recordErr}
	}
	resp, err = c.client.CompleteOrder(ctx, orderID)
	entry := CompletionEntry(orderID, resp, err)
	if entry.Outcome == journal.OutcomeCompleted {
		c.sends.ended(orderID)
	}
	return resp, err, c.journal.Record(entry)
}

// FollowCompletion reads what became of a completion that answered Pending
// or whose answer was lost (api.Client.FollowCompletion). A settled answer is
// recorded; a check that could not be made adds nothing to what the journal
// already says.
func (c *Clerk) FollowCompletion(ctx context.Context, orderID string, policy api.CompletionPolicy) (resp *api.CompletionResponse, err, recordErr error) {
	resp, err = c.client.FollowCompletion(ctx, orderID, policy)
	if err == nil || errors.Is(err, api.ErrNoCompletion) {
		recordErr = c.journal.Record(CompletionEntry(orderID, resp, err))
	}
	return resp, err, recordErr
}

// CompletionEntry is the journal line for a completion's answer.
func CompletionEntry(orderID string, resp *api.CompletionResponse, err error) journal.Entry {
	entry := journal.Entry{OrderID: orderID, Action: journal.ActionComplete, Outcome: journal.OutcomeCompleted}
	switch {
	case errors.Is(err, api.ErrNoCompletion):
		entry.Outcome = journal.OutcomeFailed
		entry.Message = "no completion was made"
	case err != nil:
		setFailure(&entry, err)
	case resp.Status == api.CompletionPending:
		entry.Outcome = journal.OutcomeUnknown
		entry.Message = "completion pending"
	case resp.Status != api.CompletionCompleted:
		entry.Outcome = journal.OutcomeFailed
		entry.Message = "completion " + strings.ToLower(string(resp.Status))
	case resp.TransactionNumber != "":
		entry.Message = "transaction " + resp.TransactionNumber
	}
	return entry
}
