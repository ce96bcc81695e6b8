package api

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// AuthMode is how a client proves who it is.
type AuthMode int

const (
	// AuthNone sends no Authorization header.
	AuthNone AuthMode = iota
	// AuthToken sends a pre-issued bearer token.
	AuthToken
	// AuthTokenSource gets its tokens from a TokenSource (the password grant).
	AuthTokenSource
)

// AuthMode says how the client authenticates, so that a preflight can say
// what a refusal means without seeing the token.
func (c *Client) AuthMode() AuthMode {
	switch {
	case c.source != nil:
		return AuthTokenSource
	case c.token != "":
		return AuthToken
	}
	return AuthNone
}

// SignIn fetches a token from the token source now, or confirms the cached
// one, so that a refused sign-in is told apart from a refused call. The
// token is kept by the source, so the next call does not sign in again.
// Without a token source there is nothing to do.
func (c *Client) SignIn(ctx context.Context) error {
	if c.source == nil {
		return nil
	}
	if _, err := c.source.Token(ctx); err != nil {
		return tokenError(tokenOp, err, 0)
	}
	return nil
}

// ProbeRequest names one read: a path template under the base URL that
// starts with /ocapi/, e.g. /ocapi/v1/orders/{orderId}, its path
// parameters and its query. There is no method and no body: a probe is a GET.
type ProbeRequest struct {
	// Op names the read in errors and logs, e.g. OpGetOrder; it also says
	// which licences a 403 points at (RequiredLicences).
	Op     Operation
	Path   string
	Params map[string]string
	Query  url.Values
}

// ProbeResult is what one answer says about the server beyond its body.
type ProbeResult struct {
	// Status is the HTTP status of the answer.
	Status int
	// Date is the answer's Date header, zero when it had none or an
	// unreadable one. HTTP dates have whole seconds: the server's clock was
	// somewhere in [Date, Date+1s) when it answered.
	Date time.Time
	// SentAt and ReceivedAt bracket, on this machine's clock, the attempt
	// that got the answer: the server wrote Date in between.
	SentAt, ReceivedAt time.Time
	// TLS is the state of the connection that carried the answer; nil for
	// plain http.
	TLS *tls.ConnectionState

	cl   *call
	body []byte
}

// Decode reads a 2xx answer's JSON body into out, as any other call would.
func (p *ProbeResult) Decode(out any) error {
	if p.Status < 200 || p.Status > 299 {
		return &Error{Op: p.cl.op, Kind: KindInvalidInput, Status: p.Status, Err: errors.New("only a successful answer has a body to decode")}
	}
	if e := decodeBody(p.cl, p.Status, p.body, out); e != nil {
		return e
	}
	return nil
}

// Probe sends one GET exactly the way every other call is sent: the same
// resty client (headers, region code, timeout, GET retries) and the same
// token handling (on a 401 from a token source, one fresh token and one
// more try). It returns what the answer says about the server whatever its
// status: the result is non-nil whenever an answer arrived, and the error is
// the *Error any other call would have returned, nil for a 2xx.
func (c *Client) Probe(ctx context.Context, req ProbeRequest) (*ProbeResult, error) {
	op := req.Op
	if op == "" {
		op = "probe"
	}
	if err := checkProbePath(op, req.Path); err != nil {
		return nil, err
	}
	for name, v := range req.Params {
		if err := checkID(op, name, v); err != nil {
			return nil, err
		}
	}
	cl := &call{op: op, method: http.MethodGet, path: req.Path, params: req.Params, query: req.Query}
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return nil, c.finish(ctx, cl, start, nil, contextError(op, err))
	}
	token, err := c.currentToken(ctx)
	if err != nil {
		return nil, c.finish(ctx, cl, start, nil, tokenError(op, err, 0))
	}
	// A server that echoes the bearer token in an error text must not get
	// it printed.
	cl.secrets = []secret{{value: token, mask: "(token)"}}
	// Kept in step with Client.do: a 401 from a token source's token is the
	// one case worth a second try with a fresh token.
	resp, err := c.send(ctx, cl, token, nil)
	if err == nil && resp.StatusCode() == http.StatusUnauthorized && c.source != nil {
		c.source.Invalidate(token)
		fresh, terr := c.source.Token(ctx)
		if terr != nil {
			return probeResult(cl, resp), c.finish(ctx, cl, start, resp, tokenError(op, terr, http.StatusUnauthorized))
		}
		if fresh != token {
			cl.secrets = append(cl.secrets, secret{value: fresh, mask: "(token)"})
			resp, err = c.send(ctx, cl, fresh, nil)
		}
	}
	result := probeResult(cl, resp)
	if result != nil {
		result.TLS = c.withChains(result.TLS)
	}
	if e := c.classify(cl, resp, err); e != nil {
		return result, c.finish(ctx, cl, start, resp, e)
	}
	return result, c.finish(ctx, cl, start, resp, nil)
}

// checkProbePath keeps a probe on the tenant's OCAPI: resty sends an
// absolute URL as it is, which would carry the bearer token to another host.
func checkProbePath(op Operation, path string) error {
	if !strings.HasPrefix(path, "/ocapi/") || strings.Contains(path, "://") || strings.ContainsAny(path, "?#") {
		return invalidInput(op, "a probe path must be a path under /ocapi/ without a query, e.g. /ocapi/v1/orders/{orderId}")
	}
	if strings.ContainsFunc(path, isControl) {
		return invalidInput(op, "the probe path contains control characters")
	}
	return nil
}

// probeResult is nil unless an answer, at least its status line and
// header, arrived.
func probeResult(cl *call, resp *resty.Response) *ProbeResult {
	if resp == nil || resp.RawResponse == nil {
		return nil
	}
	p := &ProbeResult{
		Status:     resp.StatusCode(),
		ReceivedAt: resp.ReceivedAt(),
		TLS:        resp.RawResponse.TLS,
		cl:         cl,
		body:       resp.Body(),
	}
	if resp.Request != nil {
		p.SentAt = resp.Request.Time
	}
	if d := resp.Header().Get("Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			p.Date = t
		}
	}
	return p
}
