package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// call describes one OCAPI request.
type call struct {
	op     Operation
	method string
	path   string // resty template, e.g. /ocapi/v1/orders/{orderId}
	params map[string]string
	query  url.Values
	body   any
	// secrets are masked out of any server text we keep (a barcode or PIN
	// echoed in an error message).
	secrets []secret
	// attrs are extra, already safe, log attributes.
	attrs []slog.Attr
}

type secret struct {
	value, mask string
	// word masks the value only where it stands alone (between characters
	// that are not letters or digits): a short PIN such as "12" would
	// otherwise take every "12" out of a server's sentence.
	word bool
}

// changesState: POST, PUT and DELETE may have been applied when no clear
// answer arrives.
func (cl *call) changesState() bool { return cl.method != http.MethodGet }

// do sends cl and decodes a 2xx body into out (when out is not nil).
//
// On a 401, when a TokenSource is configured, the refused token is dropped,
// a new one fetched and the request sent once more. That is safe for every
// method, state-changing ones included: a server checks the bearer token
// before it looks at the request, so a 401 means nothing was applied.
func (c *Client) do(ctx context.Context, cl *call, out any) error {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		// Nothing was sent, so the outcome is known: not applied.
		return c.finish(ctx, cl, start, nil, contextError(cl.op, err))
	}
	var body []byte
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return c.finish(ctx, cl, start, nil, &Error{Op: cl.op, Kind: KindInvalidInput, Err: err})
		}
		body = b
	}
	token, err := c.currentToken(ctx)
	if err != nil {
		return c.finish(ctx, cl, start, nil, tokenError(cl.op, err, 0))
	}
	if token != "" {
		// A server that echoes the token in an error must not put it in
		// our messages or logs.
		cl.secrets = append(cl.secrets, secret{value: token, mask: "[token]"})
	}
	c.awaitConnection(ctx)
	resp, err := c.send(ctx, cl, token, body)
	if err == nil && resp.StatusCode() == http.StatusUnauthorized && c.source != nil {
		c.source.Invalidate(token)
		fresh, terr := c.source.Token(ctx)
		if terr != nil {
			return c.finish(ctx, cl, start, resp, tokenError(cl.op, terr, http.StatusUnauthorized))
		}
		if fresh != token {
			c.log.LogAttrs(ctx, slog.LevelDebug, "ocapi token refused, repeating with a new one",
				slog.String("method", cl.method), slog.String("path", cl.logPath()))
			cl.secrets = append(cl.secrets, secret{value: fresh, mask: "[token]"})
			resp, err = c.send(ctx, cl, fresh, body)
		}
	}
	if e := c.classify(cl, resp, err); e != nil {
		return c.finish(ctx, cl, start, resp, e)
	}
	if out != nil {
		if e := decodeBody(cl, resp.StatusCode(), resp.Body(), out); e != nil {
			return c.finish(ctx, cl, start, resp, e)
		}
	}
	return c.finish(ctx, cl, start, resp, nil)
}

func (c *Client) currentToken(ctx context.Context) (string, error) {
	if c.source != nil {
		return c.source.Token(ctx)
	}
	return c.token, nil
}

func (c *Client) send(ctx context.Context, cl *call, token string, body []byte) (*resty.Response, error) {
	r := c.rc.R().SetContext(ctx)
	if token != "" {
		r.SetAuthToken(token)
	}
	if len(cl.params) > 0 {
		r.SetPathParams(cl.params)
	}
	if len(cl.query) > 0 {
		r.SetQueryParamsFromValues(cl.query)
	}
	if body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	return r.Execute(cl.method, cl.path)
}

// finish logs the exchange (never a body, never a header) and returns err.
func (c *Client) finish(ctx context.Context, cl *call, start time.Time, resp *resty.Response, err *Error) error {
	attrs := make([]slog.Attr, 0, 8+len(cl.attrs))
	attrs = append(attrs,
		slog.String("op", string(cl.op)),
		slog.String("method", cl.method),
		slog.String("path", cl.logPath()),
	)
	if resp != nil {
		c.heard(resp.Header())
		attrs = append(attrs, slog.Int("status", resp.StatusCode()))
		if resp.Request != nil && resp.Request.Attempt > 1 {
			attrs = append(attrs, slog.Int("attempts", resp.Request.Attempt))
		}
	}
	c.lastCall.Store(time.Now().UnixNano())
	attrs = append(attrs, slog.Duration("duration", time.Since(start)))
	attrs = append(attrs, cl.attrs...)
	if err != nil {
		attrs = append(attrs, slog.String("kind", err.Kind.String()), slog.String("error", err.Error()))
		if err.OutcomeUnknown {
			attrs = append(attrs, slog.Bool("outcome_unknown", true))
		}
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "ocapi", attrs...)
	if err == nil {
		return nil
	}
	return err
}

// MockHeader is the header boxoffice's mock names its demo data in.
const MockHeader = "Boxoffice-Mock"

// heard takes what an answer's header says of the server: boxoffice's mock
// names itself and its data.
func (c *Client) heard(h http.Header) {
	c.answered.Store(true)
	if name := h.Get(MockHeader); name != "" && c.mockData.Load() == nil {
		name = cleanText(name, nil)
		c.mockData.Store(&name)
		c.repeatsRefused.Store(true)
	}
}

// Answered reports whether the server has answered anything yet (Warm
// too): until it has, it cannot have said it is the mock.
func (c *Client) Answered() bool { return c.answered.Load() }

// MockData reports whether the server said it is boxoffice's mock, and the
// name of its demo data: known once it has answered anything (Warm too).
func (c *Client) MockData() (name string, ok bool) {
	if p := c.mockData.Load(); p != nil {
		return *p, true
	}
	return "", false
}

func (c *Client) logRetry(resp *resty.Response, err error) {
	attrs := []slog.Attr{}
	if resp != nil && resp.Request != nil {
		attrs = append(attrs,
			slog.String("method", resp.Request.Method),
			slog.Int("attempt", resp.Request.Attempt),
			slog.Int("status", resp.StatusCode()))
		if resp.RawResponse != nil && resp.RawResponse.Request != nil {
			attrs = append(attrs, slog.String("path", resp.RawResponse.Request.URL.Path))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.log.LogAttrs(context.Background(), slog.LevelDebug, "ocapi retrying", attrs...)
}

// logPath is the request path as sent, ids escaped the way resty escapes them.
func (cl *call) logPath() string {
	p := cl.path
	for k, v := range cl.params {
		p = strings.ReplaceAll(p, "{"+k+"}", url.PathEscape(v))
	}
	if len(cl.query) > 0 {
		p += "?" + cl.query.Encode()
	}
	return p
}
