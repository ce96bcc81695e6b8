package api

import (
	"net/http"
	"strings"
)

// Reason is why the server refused a voucher, from a closed set, so that a
// journal and a supervisor's report can count refusals by what went wrong.
// Vista answers every refusal of an add with one 400 and documents no error
// body, so a reason is read from the body's code or words when a server
// gives recognisable ones, and is ReasonOther when it does not.
type Reason string

// The reasons a refusal can have.
const (
	ReasonWrongPIN       Reason = "wrong_pin"
	ReasonBlocked        Reason = "blocked"
	ReasonUsedUp         Reason = "used_up"
	ReasonExpired        Reason = "expired"
	ReasonUnknownBarcode Reason = "unknown_barcode"
	ReasonWrongType      Reason = "wrong_type"
	ReasonNotForShowtime Reason = "not_for_showtime"
	ReasonAlreadyOnOrder Reason = "already_on_order"
	ReasonOther          Reason = "other"
)

// Reasons lists every reason, in the order a report shows them.
var Reasons = []Reason{ReasonWrongPIN, ReasonBlocked, ReasonUsedUp, ReasonExpired, ReasonUnknownBarcode,
	ReasonWrongType, ReasonNotForShowtime, ReasonAlreadyOnOrder, ReasonOther}

// Words says a reason for people: "wrong PIN", "used up".
func (r Reason) Words() string {
	switch r {
	case ReasonWrongPIN:
		return "wrong PIN"
	case ReasonBlocked:
		return "blocked"
	case ReasonUsedUp:
		return "used up"
	case ReasonExpired:
		return "expired"
	case ReasonUnknownBarcode:
		return "unknown barcode"
	case ReasonWrongType:
		return "wrong type"
	case ReasonNotForShowtime:
		return "not for this showtime"
	case ReasonAlreadyOnOrder:
		return "already on the order"
	case ReasonOther:
		return "other"
	}
	return string(r)
}

// reasonCodes are error codes servers send, lower-cased, and the reason
// each names: our mock's and the usual variants of them.
var reasonCodes = map[string]Reason{
	"invalidpin": ReasonWrongPIN, "wrongpin": ReasonWrongPIN, "incorrectpin": ReasonWrongPIN, "pininvalid": ReasonWrongPIN,
	"pinrequired":     ReasonWrongPIN,
	"toomanyattempts": ReasonBlocked, "voucherblocked": ReasonBlocked, "blocked": ReasonBlocked,
	"voucherusedup": ReasonUsedUp, "voucherredeemed": ReasonUsedUp, "voucherfullyredeemed": ReasonUsedUp,
	"voucherredemptionsexceeded": ReasonUsedUp, "noredemptionsleft": ReasonUsedUp,
	"voucherexpired": ReasonExpired, "expired": ReasonExpired,
	"vouchernotfound": ReasonUnknownBarcode, "unknownvoucher": ReasonUnknownBarcode, "invalidbarcode": ReasonUnknownBarcode,
	"unknownbarcode":      ReasonUnknownBarcode,
	"vouchertypemismatch": ReasonWrongType, "invalidvouchertype": ReasonWrongType, "wrongvouchertype": ReasonWrongType,
	"vouchernotvalidforshowtime": ReasonNotForShowtime, "showtimenotatsite": ReasonNotForShowtime,
	"vouchernotvalidforsession": ReasonNotForShowtime,
	"voucheralreadyonorder":     ReasonAlreadyOnOrder, "alreadyonorder": ReasonAlreadyOnOrder, "duplicatevoucher": ReasonAlreadyOnOrder,
	"voucheralreadyadded": ReasonAlreadyOnOrder,
}

// reasonWords are phrases of a refusal's message and the reason each
// names, tried in order: the first that the message holds wins. A PIN's
// words come first, as a wrong PIN's message may go on to say that the
// voucher is now blocked; "type" and "showtime" come last, as other
// messages may name the voucher's type or showtime in passing.
var reasonWords = []struct {
	all    []string
	reason Reason
}{
	{[]string{"pin", "wrong"}, ReasonWrongPIN},
	{[]string{"pin", "invalid"}, ReasonWrongPIN},
	{[]string{"pin", "incorrect"}, ReasonWrongPIN},
	{[]string{"pin", "needs"}, ReasonWrongPIN},
	{[]string{"pin", "required"}, ReasonWrongPIN},
	{[]string{"pin", "missing"}, ReasonWrongPIN},
	{[]string{"too many"}, ReasonBlocked},
	{[]string{"blocked"}, ReasonBlocked},
	{[]string{"already on"}, ReasonAlreadyOnOrder},
	{[]string{"already added"}, ReasonAlreadyOnOrder},
	{[]string{"already attached"}, ReasonAlreadyOnOrder},
	{[]string{"duplicate"}, ReasonAlreadyOnOrder},
	{[]string{"used up"}, ReasonUsedUp},
	{[]string{"redeemed"}, ReasonUsedUp},
	{[]string{"no redemptions"}, ReasonUsedUp},
	{[]string{"no remaining"}, ReasonUsedUp},
	{[]string{"expired"}, ReasonExpired},
	{[]string{"not known"}, ReasonUnknownBarcode},
	{[]string{"unknown"}, ReasonUnknownBarcode},
	{[]string{"not found"}, ReasonUnknownBarcode},
	{[]string{"does not exist"}, ReasonUnknownBarcode},
	{[]string{"invalid barcode"}, ReasonUnknownBarcode},
	{[]string{"not recognised"}, ReasonUnknownBarcode},
	{[]string{"not recognized"}, ReasonUnknownBarcode},
	{[]string{"showtime"}, ReasonNotForShowtime},
	{[]string{"session"}, ReasonNotForShowtime},
	{[]string{"type"}, ReasonWrongType},
}

// ReasonOf is why a refusal of a voucher was refused: "" when err is not a
// refusal (no answer, a server failure, an order that is gone), else one
// of the Reasons, ReasonOther when the server's words say nothing known.
// A 429 is ReasonBlocked; a refusal that starts a block (the last wrong
// PIN allowed) keeps the reason it gives, its block being in BlockedUntil.
func ReasonOf(err error) Reason {
	e := AsError(err)
	if e == nil || e.OutcomeUnknown {
		return ""
	}
	switch {
	case e.Kind == KindRateLimited || e.Status == http.StatusTooManyRequests:
		return ReasonBlocked
	case e.Kind != KindRejected:
		return ""
	}
	if r, ok := reasonCodes[strings.ToLower(strings.TrimSpace(e.Code))]; ok {
		return r
	}
	msg := strings.ToLower(e.Message)
	for _, w := range reasonWords {
		if containsAll(msg, w.all) {
			return w.reason
		}
	}
	return ReasonOther
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return len(words) > 0
}
