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
	}
	return "unknown"
}

// Error is the one error type every client call returns on failure.
type Error struct {
	// Op names the call, e.g. "add voucher".
	Op string
	// Status is the HTTP status, 0 when no answer arrived.
	Status int
	Kind   ErrorKind
	// Code and Message come from a JSON error body when it carries them
	// (errorCode / message and the usual variants); both may be "".
	Code    string
	Message string
	// BlockedUntil is when a 429 block ends, zero when unknown.
	BlockedUntil time.Time
	// OutcomeUnknown is true when a call that changes state may or may not have
	// been applied: no answer, a timeout, or a 5xx. The caller must re-read
	// before trying again.
	OutcomeUnknown bool
	// Err is the underlying transport error, if any.
	Err error
}

func (e *Error) Error() string {
	msg := e.Op + ": " + e.Kind.String()
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
