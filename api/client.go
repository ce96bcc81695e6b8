package api

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-resty/resty/v2"
)

// TokenSource hands out bearer tokens. Invalidate drops a token a server
// refused with 401 so that the next Token call fetches a fresh one; a token
// that is no longer the cached one is ignored, because another caller has
// already replaced it.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
	Invalidate(token string)
}

// Options configure a Client. Only BaseURL is required.
type Options struct {
	// BaseURL is the tenant root, e.g. http://127.0.0.1:8080; a trailing
	// slash is optional and a path prefix is kept.
	BaseURL string
	// Token is a pre-issued bearer token; "" sends no Authorization header
	// unless TokenSource is set.
	Token string
	// TokenSource, when set, wins over Token and lets the client recover from
	// an expired token (see Client.do).
	TokenSource TokenSource
	// RegionCode is sent as Connect-Region-Code when set.
	RegionCode string
	// Version goes into the User-Agent as boxoffice/<Version>; "" means "dev".
	Version string
	// Timeout bounds each HTTP attempt; 0 means 10s.
	Timeout time.Duration
	// Logger receives one Debug record per exchange and resty's own messages.
	// nil discards everything: inside a full-screen terminal app nothing may
	// reach stderr.
	Logger *slog.Logger
	// GetRetries is how many times a GET is repeated after a network error,
	// a timeout or a 502/503/504. 0 means the default (2); a negative value
	// turns retries off. Calls that change state are never repeated here.
	GetRetries int
	// GetRetryWait is the pause before the first GET retry, and before the
	// first resend of an add or remove whose outcome was lost; it doubles on
	// each retry, with jitter, up to 2s. 0 means 200ms.
	GetRetryWait time.Duration
	// HTTPClient, when set, is copied (never modified) and used for transport.
	HTTPClient *http.Client
	// RootCAs, when set, are the authorities a server's certificate must be
	// signed by instead of the system's (TrustedRoots adds a file to them).
	RootCAs *x509.CertPool
}

const (
	defaultTimeout      = 10 * time.Second
	defaultGetRetries   = 2
	defaultGetRetryWait = 200 * time.Millisecond
	maxGetRetryWait     = 2 * time.Second
	// maxResponseBytes stops a confused server from filling memory; the
	// largest real answer (a day of showtimes) is far below it.
	maxResponseBytes = 8 << 20
	// maxMessageRunes keeps a server's error text to something a status line
	// can show.
	maxMessageRunes = 300
)

// Client speaks OCAPI. It is safe for concurrent use.
type Client struct {
	rc      *resty.Client
	baseURL string
	token   string
	source  TokenSource
	log     *slog.Logger
	// retryWait is the first pause of AttachVoucher's and DetachVoucher's
	// resends (Options.GetRetryWait).
	retryWait time.Duration
	// lastCall is when the last call finished, in Unix nanoseconds.
	lastCall atomic.Int64
	// repeatsRefused is set once the server refused an add because the
	// voucher was already on the order, or said it is boxoffice's mock
	// (which refuses a second add of a barcode): it does not take a
	// barcode twice.
	repeatsRefused atomic.Bool
	// mockData is the demo data the server named in its mock header,
	// once it has answered with one.
	mockData atomic.Pointer[string]
	// answered is set once the server answered anything.
	answered atomic.Bool
}

// New validates the options and builds a client. It does not contact the server.
func New(opts Options) (*Client, error) {
	const op = OpConfigure
	base, err := normaliseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, &Error{Op: op, Kind: KindInvalidInput, Err: err}
	}
	for name, v := range map[string]string{"token": opts.Token, "region code": opts.RegionCode, "version": opts.Version} {
		if strings.ContainsFunc(v, isControl) {
			// Go's transport would refuse the header on every call; say so once, here.
			return nil, &Error{Op: op, Kind: KindInvalidInput, Err: fmt.Errorf("%s contains control characters", name)}
		}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	retries := opts.GetRetries
	switch {
	case retries == 0:
		retries = defaultGetRetries
	case retries < 0:
		retries = 0
	}
	wait := opts.GetRetryWait
	if wait <= 0 {
		wait = defaultGetRetryWait
	}

	hc := &http.Client{}
	if opts.HTTPClient != nil {
		copied := *opts.HTTPClient
		hc = &copied
	}
	if opts.RootCAs != nil {
		if err := withRoots(hc, opts.RootCAs); err != nil {
			return nil, &Error{Op: op, Kind: KindInvalidInput, Err: err}
		}
	}
	c := &Client{baseURL: base, token: opts.Token, source: opts.TokenSource, log: log, retryWait: wait}
	rc := resty.NewWithClient(hc).
		SetLogger(restyLogger{log}).
		// The only warning resty has is about Basic auth over http, which we
		// never use; the embedded mock is plain http on loopback by design.
		SetDisableWarn(true).
		SetTimeout(timeout).
		SetBaseURL(base).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "boxoffice/"+version).
		SetResponseBodyLimit(maxResponseBytes).
		SetRetryCount(retries).
		SetRetryWaitTime(wait).
		SetRetryMaxWaitTime(maxGetRetryWait).
		SetRetryAfter(retryAfter).
		// resty retries every method alike, and with a condition list its
		// built-in retry-on-error is replaced by what the conditions say. This
		// one condition therefore decides alone, and says no to anything but GET.
		AddRetryCondition(retryableGET).
		AddRetryHook(c.logRetry).
		// A redirect is answered, never followed: a 307 resends the body,
		// and a voucher add carries the PIN, to wherever Location says.
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}))
	if opts.RegionCode != "" {
		rc.SetHeader("Connect-Region-Code", opts.RegionCode)
	}
	c.rc = rc
	return c, nil
}

// BaseURL is the server root the client talks to, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

func normaliseBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("base URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("base URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("base URL %q has no host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must not carry a query or fragment", raw)
	}
	if u.User != nil {
		// Credentials in the URL would end up in logs and error texts.
		return "", fmt.Errorf("base URL must not carry a user name or password")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// retryableGET allows a retry only for a GET that failed in a way a second
// try may fix. A nil response means resty refused the request before sending
// it; nothing to retry then.
func retryableGET(resp *resty.Response, err error) bool {
	if resp == nil || resp.Request == nil || resp.Request.Method != http.MethodGet {
		return false
	}
	if err != nil {
		if errors.Is(err, resty.ErrResponseBodyTooLarge) || isCertificateProblem(err) {
			return false
		}
		// The caller gave up: another try would fail the same way.
		return resp.Request.Context().Err() == nil
	}
	switch resp.StatusCode() {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter honours a Retry-After on a 503; resty clamps the answer to the
// configured wait range, so a server asking for minutes cannot stall a GET.
func retryAfter(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	if resp == nil || resp.RawResponse == nil {
		return 0, nil
	}
	if t, ok := parseRetryAfter(resp.Header().Get("Retry-After"), time.Now()); ok {
		// resty would turn a negative wait (a date already past) into the
		// longest one; 0 asks for its usual backoff instead.
		if d := time.Until(t); d > 0 {
			return d, nil
		}
	}
	return 0, nil
}

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

// Field names, in order of preference, that carry human text or a machine
// code in the error bodies of OCAPI, our mock, OAuth and ASP.NET problem details.
var (
	messageFields = []string{"message", "errorMessage", "error_description", "detail", "title"}
	codeFields    = []string{"errorCode", "code", "error"}
)

// errorText pulls a code and a message out of an error body, or returns ""s.
// The text is cleaned for a terminal (no control characters, bounded length)
// and any secret the request carried is masked.
func errorText(body []byte, secrets []secret) (code, message string) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return "", ""
	}
	code, message = pickString(m, codeFields), pickString(m, messageFields)
	if nested, ok := lookup(m, "error").(map[string]any); ok {
		if code == "" {
			code = pickString(nested, codeFields)
		}
		if message == "" {
			message = pickString(nested, messageFields)
		}
	}
	return cleanText(code, secrets), cleanText(message, secrets)
}

func pickString(m map[string]any, keys []string) string {
	for _, k := range keys {
		switch v := lookup(m, k).(type) {
		case string:
			if strings.TrimSpace(v) != "" {
				return v
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// lookup finds key exactly, else case-insensitively (Message, ErrorCode).
func lookup(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func cleanText(s string, secrets []secret) string {
	for _, sec := range secrets {
		switch {
		case sec.value == "":
		case sec.word:
			s = replaceWord(s, sec.value, sec.mask)
		default:
			s = strings.ReplaceAll(s, sec.value, sec.mask)
		}
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return isControl(r) || r == ' ' }), " ")
	if r := []rune(s); len(r) > maxMessageRunes {
		s = string(r[:maxMessageRunes-1]) + "…"
	}
	return s
}

// replaceWord replaces the occurrences of word in s that no letter or digit
// touches on either side.
func replaceWord(s, word, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, word)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, after := s[:i], s[i+len(word):]
		alone := !endsAlnum(before) && !startsAlnum(after)
		b.WriteString(before)
		if alone {
			b.WriteString(with)
		} else {
			b.WriteString(word)
		}
		s = after
	}
}

func endsAlnum(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func startsAlnum(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
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

// restyLogger routes resty's own messages into the app's logger. resty's
// default writes to stderr, which would tear a full-screen terminal UI.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) {
	r.l.Error("resty: " + fmt.Sprintf(format, v...))
}

func (r restyLogger) Warnf(format string, v ...any) {
	r.l.Warn("resty: " + fmt.Sprintf(format, v...))
}

func (r restyLogger) Debugf(format string, v ...any) {
	r.l.Debug("resty: " + fmt.Sprintf(format, v...))
}
