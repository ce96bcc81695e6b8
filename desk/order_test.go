package desk

import (
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// A completion is journalled as completed only when the server says so.
func TestCompletionEntry(t *testing.T) {
	tests := []struct {
		name          string
		resp          *api.CompletionResponse
		err           error
		outcome, text string
	}{
		{"completed", &api.CompletionResponse{Status: api.CompletionCompleted, TransactionNumber: "100042"}, nil, journal.OutcomeCompleted, "transaction 100042"},
		{"completed without a number", &api.CompletionResponse{Status: api.CompletionCompleted}, nil, journal.OutcomeCompleted, ""},
		{"pending", &api.CompletionResponse{Status: api.CompletionPending}, nil, journal.OutcomeUnknown, "completion pending"},
		{"failed", &api.CompletionResponse{Status: api.CompletionFailed}, nil, journal.OutcomeFailed, "completion failed"},
		{"undocumented", &api.CompletionResponse{Status: "Queued"}, nil, journal.OutcomeFailed, "completion queued"},
		{"none made", nil, &api.Error{Kind: api.KindNotFound, Err: api.ErrNoCompletion}, journal.OutcomeFailed, "no completion was made"},
		{"lost", nil, &api.Error{Kind: api.KindTimeout, OutcomeUnknown: true}, journal.OutcomeUnknown, ""},
		{"refused", nil, &api.Error{Kind: api.KindRejected}, journal.OutcomeRejected, ""},
	}
	for _, tt := range tests {
		e := CompletionEntry("O-1", tt.resp, tt.err)
		if e.Action != journal.ActionComplete || e.OrderID != "O-1" || e.Outcome != tt.outcome || e.Message != tt.text {
			t.Errorf("%s: %+v, want outcome %q message %q", tt.name, e, tt.outcome, tt.text)
		}
	}
}
