package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// classify is the package's classify, with a failed certificate
// verification explained in words that name this client's host.
func (c *Client) classify(cl *call, resp *resty.Response, err error) *Error {
	e := classify(cl, resp, err)
	if e != nil && e.Kind == KindNetwork {
		e.Message = certificateProblem(hostOf(c.baseURL), err)
	}
	return e
}

// classify turns a transport error or a non-2xx answer into an *Error.
func classify(cl *call, resp *resty.Response, err error) *Error {
	if err != nil {
		e := &Error{Op: cl.op, Kind: KindNetwork, Err: err}
		if isTimeout(err) {
			e.Kind = KindTimeout
		}
		// A connection that was never opened cannot have carried the request.
		e.OutcomeUnknown = cl.changesState() && !neverSent(err)
		if resp != nil && resp.RawResponse != nil {
			// The answer arrived but its body did not (cut off mid-way).
			e.Status = resp.StatusCode()
		}
		return e
	}
	status := resp.StatusCode()
	if status >= 200 && status < 300 {
		return nil
	}
	return statusError(cl.op, status, resp.Body(), resp.Header(), cl.changesState(), cl.secrets)
}

// statusError maps a non-2xx answer. Vista documents no error body schema,
// so the body only contributes text when it is JSON with a familiar field.
func statusError(op Operation, status int, body []byte, header http.Header, changesState bool, secrets []secret) *Error {
	e := &Error{Op: op, Status: status}
	e.Code, e.Message = errorText(body, secrets)
	e.Seat = seatProblem(op, status, e.Code, e.Message)
	switch {
	case status == http.StatusBadRequest:
		e.Kind = KindRejected
		// A refusal may start a block (the last wrong PIN allowed): it
		// says so in its body, or in its words.
		e.BlockedUntil = blockedByRefusal(body, e.Message, time.Now())
	case status == http.StatusUnauthorized:
		e.Kind = KindUnauthorized
	case status == http.StatusForbidden:
		e.Kind = KindForbidden
	case status == http.StatusNotFound || status == http.StatusGone:
		e.Kind = KindNotFound
	case status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.BlockedUntil = blockedUntil(body, header, time.Now())
	case status >= 500:
		e.Kind = KindServer
		// The server may have applied the change before failing.
		e.OutcomeUnknown = changesState
	case status >= 400:
		e.Kind = KindRejected
	case status >= 300 && status < 400 && header.Get("Location") != "":
		// Not followed (see New). Only a 303 may stand for a change that
		// was made ("see the result there"); the others send the caller on
		// without having done anything.
		e.Kind = KindServer
		e.OutcomeUnknown = changesState && status == http.StatusSeeOther
		e.Message = fmt.Sprintf("the server redirected the request (HTTP %d) to %s, which boxoffice does not follow; if that is where the server now is, set api_url to it",
			status, cleanText(header.Get("Location"), secrets))
	default:
		// 1xx/3xx as a final answer: nothing we understand, so we cannot say
		// whether a change went through.
		e.Kind = KindServer
		e.OutcomeUnknown = changesState
		if e.Message == "" {
			e.Message = fmt.Sprintf("unexpected HTTP status %d", status)
		}
	}
	return e
}

func contextError(op Operation, err error) *Error {
	kind := KindNetwork
	if errors.Is(err, context.DeadlineExceeded) {
		kind = KindTimeout
	}
	return &Error{Op: op, Kind: kind, Err: err}
}

// tokenError reports a failure to obtain a token. Nothing was applied: the
// request either was never sent or was refused with 401.
func tokenError(op Operation, err error, status int) *Error {
	e := &Error{Op: op, Kind: KindUnauthorized, Status: status, Err: err}
	if te := AsError(err); te != nil {
		e.Kind = te.Kind
		e.Code, e.Message = te.Code, te.Message
		if status == 0 {
			e.Status = te.Status
		}
		if te.Kind == KindRejected || te.Kind == KindNotFound {
			// The auth server refused us: for the OCAPI call that is a missing token.
			e.Kind = KindUnauthorized
		}
	} else if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		e.Kind = contextError(op, err).Kind
	}
	return e
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// neverSent reports errors that happen before a connection exists (DNS,
// refused, unreachable) or before it is trusted (a certificate that fails
// verification ends the handshake), after which the server cannot have
// seen the request.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" || isCertificateProblem(err)
}

// decodeBody decodes a 2xx body. Unknown fields are ignored on purpose: the
// real API returns far more than we use.
func decodeBody(cl *call, status int, body []byte, out any) *Error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return unreadable(cl, status, errors.New("the server answered success with an empty body"))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return unreadable(cl, status, fmt.Errorf("the server's answer could not be read: %w", err))
	}
	return nil
}

// unreadable reports a success answer the client cannot use. A change it
// answered was made all the same, so for those the outcome is unknown and
// must be reconciled, never shown as a failure.
func unreadable(cl *call, status int, err error) *Error {
	applied := cl.changesState()
	return &Error{Op: cl.op, Kind: KindUnreadable, Status: status, Err: err, OutcomeUnknown: applied, Applied: applied}
}

// blockedUntil reads when a 429 block ends: the body's blockedUntilUtc
// (Vista's documented field), else a Retry-After header.
func blockedUntil(body []byte, header http.Header, now time.Time) time.Time {
	var b struct {
		BlockedUntilUtc string `json:"blockedUntilUtc"`
	}
	if json.Unmarshal(body, &b) == nil && b.BlockedUntilUtc != "" {
		if t, err := ParseTimestamp(b.BlockedUntilUtc); err == nil {
			return t
		}
	}
	if t, ok := parseRetryAfter(header.Get("Retry-After"), now); ok {
		return t
	}
	return time.Time{}
}

// blockedByRefusal reads when a block that a refusal started ends: the
// body's blockedUntilUtc, else the words "blocked until 23:22:10 UTC" (our
// mock's wrong-PIN answer; a time of day is taken as the nearest one to now).
// A refusal that says neither started no block the client can tell.
func blockedByRefusal(body []byte, message string, now time.Time) time.Time {
	var b struct {
		BlockedUntilUtc string `json:"blockedUntilUtc"`
	}
	if json.Unmarshal(body, &b) == nil && b.BlockedUntilUtc != "" {
		if t, err := ParseTimestamp(b.BlockedUntilUtc); err == nil {
			return t
		}
	}
	const marker = "blocked until "
	i := strings.Index(strings.ToLower(message), marker)
	if i < 0 {
		return time.Time{}
	}
	words := strings.Fields(message[i+len(marker):])
	if len(words) == 0 {
		return time.Time{}
	}
	when := strings.TrimRight(words[0], ".,;")
	if t, err := ParseTimestamp(when); err == nil {
		return t
	}
	if len(words) < 2 || !strings.EqualFold(strings.TrimRight(words[1], ".,;"), "UTC") {
		// A time of day in an unknown zone could be hours off.
		return time.Time{}
	}
	clock, err := time.Parse(time.TimeOnly, when)
	if err != nil {
		return time.Time{}
	}
	day := now.UTC()
	t := time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
	switch {
	case t.Sub(now) > 12*time.Hour:
		t = t.AddDate(0, 0, -1)
	case now.Sub(t) > 12*time.Hour:
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}
