package api

import (
	"net/http"
	"testing"
)

// A refusal's reason is read from the server's code or words, and is
// "other" when they say nothing known; a failure that is not a refusal has
// none.
func TestReasonOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Reason
	}{
		{"the mock's wrong PIN", &Error{Kind: KindRejected, Status: 400, Code: "InvalidPin", Message: "Voucher AD......0111 was given a wrong PIN; 2 attempt(s) left before it is blocked."}, ReasonWrongPIN},
		{"the wrong PIN that starts a block", &Error{Kind: KindRejected, Status: 400, Code: "InvalidPin", Message: "Voucher AD......0111 was given a wrong PIN; it is now blocked until 23:22:10 UTC."}, ReasonWrongPIN},
		{"a 429", &Error{Kind: KindRateLimited, Status: 429}, ReasonBlocked},
		{"used up", &Error{Kind: KindRejected, Status: 400, Code: "VoucherUsedUp"}, ReasonUsedUp},
		{"expired", &Error{Kind: KindRejected, Status: 400, Code: "VoucherExpired"}, ReasonExpired},
		{"unknown barcode", &Error{Kind: KindRejected, Status: 400, Code: "VoucherNotFound"}, ReasonUnknownBarcode},
		{"wrong type", &Error{Kind: KindRejected, Status: 400, Code: "VoucherTypeMismatch"}, ReasonWrongType},
		{"not for the showtime", &Error{Kind: KindRejected, Status: 400, Code: "VoucherNotValidForShowtime"}, ReasonNotForShowtime},
		{"already on the order", &Error{Kind: KindRejected, Status: 400, Code: "VoucherAlreadyOnOrder"}, ReasonAlreadyOnOrder},
		{"words only: a PIN", &Error{Kind: KindRejected, Status: 400, Message: "Invalid PIN for this voucher"}, ReasonWrongPIN},
		{"words only: redeemed", &Error{Kind: KindRejected, Status: 400, Message: "Voucher has already been fully redeemed"}, ReasonUsedUp},
		{"words only: expired", &Error{Kind: KindRejected, Status: 400, Message: "This voucher has expired."}, ReasonExpired},
		{"words only: unknown", &Error{Kind: KindRejected, Status: 400, Message: "Voucher not found"}, ReasonUnknownBarcode},
		{"words only: duplicate", &Error{Kind: KindRejected, Status: 400, Message: "Duplicate voucher on order"}, ReasonAlreadyOnOrder},
		{"words only: session", &Error{Kind: KindRejected, Status: 400, Message: "Voucher is not valid for this session"}, ReasonNotForShowtime},
		{"nothing said", &Error{Kind: KindRejected, Status: 400}, ReasonOther},
		{"words of nothing known", &Error{Kind: KindRejected, Status: 400, Message: "Request failed"}, ReasonOther},
		{"a lost answer", &Error{Kind: KindServer, Status: http.StatusBadGateway, OutcomeUnknown: true}, ""},
		{"an order gone", &Error{Kind: KindNotFound, Status: 404}, ""},
		{"no error", nil, ""},
	}
	for _, tt := range tests {
		if got := ReasonOf(tt.err); got != tt.want {
			t.Errorf("%s: ReasonOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}
