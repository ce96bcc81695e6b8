package journal

import (
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// A completion is journalled as completed only when the server says so.
func TestCompletionEntry(t *testing.T) {
	tests := []struct {
		name          string
		resp          *api.CompletionResponse
		err           error
		outcome, text string
	}{
		{"completed", &api.CompletionResponse{Status: api.CompletionCompleted, TransactionNumber: "100042"}, nil, OutcomeCompleted, "transaction 100042"},
		{"completed without a number", &api.CompletionResponse{Status: api.CompletionCompleted}, nil, OutcomeCompleted, ""},
		{"pending", &api.CompletionResponse{Status: api.CompletionPending}, nil, OutcomeUnknown, "completion pending"},
		{"failed", &api.CompletionResponse{Status: api.CompletionFailed}, nil, OutcomeFailed, "completion failed"},
		{"undocumented", &api.CompletionResponse{Status: "Queued"}, nil, OutcomeFailed, "completion queued"},
		{"none made", nil, &api.Error{Kind: api.KindNotFound, Err: api.ErrNoCompletion}, OutcomeFailed, "no completion was made"},
		{"lost", nil, &api.Error{Kind: api.KindTimeout, OutcomeUnknown: true}, OutcomeUnknown, ""},
		{"refused", nil, &api.Error{Kind: api.KindRejected}, OutcomeRejected, ""},
	}
	for _, tt := range tests {
		e := CompletionEntry("O-1", tt.resp, tt.err)
		if e.Action != ActionComplete || e.OrderID != "O-1" || e.Outcome != tt.outcome || e.Message != tt.text {
			t.Errorf("%s: %+v, want outcome %q message %q", tt.name, e, tt.outcome, tt.text)
		}
	}
}
