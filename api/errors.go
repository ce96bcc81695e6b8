package api

import (
	"errors"
	"fmt"
	"time"
)

// ErrorKind is what went wrong, in terms the counter screen can act on.
type ErrorKind int

const (
	// KindRejected: the server refused the request (400): a voucher that is
	// unknown, used up, expired, has the wrong PIN, or a request it found invalid.
	KindRejected ErrorKind = iota + 1
	// KindNotFound: the order (or showtime) does not exist or has expired (404).
	KindNotFound
	// KindRateLimited: too many attempts (429); Error.BlockedUntil says when it ends.
	KindRateLimited
	// KindUnauthorized: no valid access token (401).
	KindUnauthorized
	// KindForbidden: the token may not do this (403).
	KindForbidden
	// KindServer: the server failed (5xx) or answered something unreadable.
	KindServer
	// KindNetwork: no answer arrived (connection refused, reset, DNS).
	KindNetwork
	// KindTimeout: no answer arrived in time.
	KindTimeout
	// KindInvalidInput: the client refused to send the request at all.
	KindInvalidInput
	// KindUnreadable: the server answered success, but not with what the
	// client needs (an empty or unreadable body, no id). A change it answered
	// was applied; see Error.Applied.
	KindUnreadable
)

func (k ErrorKind) String() string {
	switch k {
	case KindRejected:
		return "rejected"
	case KindNotFound:
		return "not_found"
	case KindRateLimited:
		return "rate_limited"
	case KindUnauthorized:
		return "unauthorized"
	case KindForbidden:
		return "forbidden"
	case KindServer:
		return "server_error"
	case KindNetwork:
		return "network"
	case KindTimeout:
		return "timeout"
	case KindInvalidInput:
		return "invalid_input"
	case KindUnreadable:
		return "unreadable_answer"
	}
	return "unknown"
}

// Error is the one error type every client call returns on failure.
type Error struct {
	// Op names the call, e.g. OpAddVoucher.
	Op Operation
	// Status is the HTTP status, 0 when no answer arrived.
	Status int
	Kind   ErrorKind
	// Code and Message come from a JSON error body when it carries them
	// (errorCode / message and the usual variants); both may be "".
	Code    string
	Message string
	// BlockedUntil is when a block on the voucher ends, zero when unknown:
	// a 429's, or the one a refusal (400) says it has just started.
	BlockedUntil time.Time
	// OutcomeUnknown is true when a call that changes state may or may not have
	// been applied: no answer, a timeout, or a 5xx. The caller must re-read
	// before trying again.
	OutcomeUnknown bool
	// Applied is true when the server answered a change with success but the
	// answer could not be read: the change was made (OutcomeUnknown is set
	// too, because what exactly was made is not known), so it must never be
	// sent again, only looked for.
	Applied bool
	// Seat says which seat rule a refusal (400) was about, "" when it was
	// about none the client recognises: see SeatProblem.
	Seat SeatProblem
	// Err is the underlying transport error, if any.
	Err error
}

func (e *Error) Error() string {
	msg := string(e.Op) + ": " + e.Kind.String()
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf returns the kind of err, 0 when err is not an *Error.
func KindOf(err error) ErrorKind {
	if e := AsError(err); e != nil {
		return e.Kind
	}
	return 0
}

// IsOutcomeUnknown reports whether a state-changing call may have been applied.
func IsOutcomeUnknown(err error) bool {
	e := AsError(err)
	return e != nil && e.OutcomeUnknown
}

// Operation names a client call; every *Error carries the one that failed.
type Operation string

// The operations the client performs.
const (
	OpCreateOrder       Operation = "create order"
	OpGetOrder          Operation = "get order"
	OpGetCompletedOrder Operation = "get completed order"
	OpCancelOrder       Operation = "cancel order"
	OpAddVoucher        Operation = "add voucher"
	OpRemoveVoucher     Operation = "remove voucher"
	OpGetShowtime       Operation = "get showtime"
	OpListShowtimes     Operation = "list showtimes"
	OpGetTicketPrices   Operation = "get ticket prices"
	OpSetTickets        Operation = "set tickets"
	// OpGetSeatLayout, OpGetSeatAvailability and OpGetOrderSeatAvailability
	// read a showtime's seats.
	OpGetSeatLayout            Operation = "get seat layout"
	OpGetSeatAvailability      Operation = "get seat availability"
	OpGetOrderSeatAvailability Operation = "get order seat availability"
	OpCompleteOrder            Operation = "complete order"
	OpGetOrderCompletion       Operation = "get order completion"
	OpToken                    Operation = "sign in"
	OpConfigure                Operation = "configure client"
)

// Vista's licences, as its reference pages name them. A tenant whose account
// lacks one answers 403 to the operations that need it.
const (
	LicenceOcapi                   = "Vista.Ocapi"
	LicenceEmbeddedPayment         = "Vista.Ocapi.EmbeddedPayment"
	LicenceTicketPricesForShowtime = "Vista.Ocapi.TicketPricesForShowtime"
)

// RequiredLicences lists the licences Vista documents for op, so that a 403
// can say which one the account may be missing. Token requests go to the auth
// server and need none. Reading a completion again is on the completion's
// page without a licence list of its own, so only Vista.Ocapi, which every
// OCAPI call needs, is claimed for it.
func RequiredLicences(op Operation) []string {
	switch op {
	case OpToken, OpConfigure:
		return nil
	case OpCompleteOrder:
		return []string{LicenceOcapi, LicenceEmbeddedPayment}
	case OpGetTicketPrices:
		return []string{LicenceOcapi, LicenceTicketPricesForShowtime}
	}
	return []string{LicenceOcapi}
}

// MissingLicenceHint names the licence a 403 most likely points at: the most
// specific one the operation needs ("" for anything but a 403).
func (e *Error) MissingLicenceHint() string {
	if e == nil || e.Kind != KindForbidden {
		return ""
	}
	l := RequiredLicences(e.Op)
	if len(l) == 0 {
		return ""
	}
	return l[len(l)-1]
}

// Error codes the client recognises in an error body's code field
// (Error.Code). Vista documents no error body, so none of these can be
// relied on: they only sharpen what a screen says when a server (our mock,
// or a tenant that happens to send them) names the reason.
const (
	CodeOrderCompleted             = "OrderCompleted"
	CodeVoucherRedemptionsExceeded = "VoucherRedemptionsExceeded"
	CodeVoucherExpired             = "VoucherExpired"
	CodeShowtimeNotFound           = "ShowtimeNotFound"
	CodeVoucherAlreadyOnOrder      = "VoucherAlreadyOnOrder"
	CodeInvalidPin                 = "InvalidPin"
)
