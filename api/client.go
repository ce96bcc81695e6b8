package api

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

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
	// signed by instead of this machine's (the demo server's own).
	RootCAs *x509.CertPool
	// Trust, when RootCAs is not set, is what an https server's certificate
	// is checked against; nil means SystemTrust. TrustFile adds ca_file.
	Trust *Trust
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
	// trust checks the server's certificate when crypto/tls does not
	// (Options.Trust); nil otherwise.
	trust *Trust
	// connecting is closed once the Warm under way has a connection (or
	// has given up); nil when none is opening one.
	connecting atomic.Pointer[chan struct{}]
}

// trustFor gives hc a transport that checks the server's certificate as
// opts say, and returns the Trust that checks it, if one does. When they ask for nothing but this machine's authorities, a
// transport of the caller's own that settles trust itself is kept as it is.
func trustFor(hc *http.Client, opts Options, base string) (*Trust, error) {
	switch {
	case opts.RootCAs != nil:
		return nil, withTransport(hc, func(t *http.Transport) *http.Transport { return trusting(t, opts.RootCAs) })
	case !strings.HasPrefix(base, "https://"):
		return nil, nil
	}
	trust := opts.Trust
	if trust == nil {
		if ownTLS(hc.Transport) {
			return nil, nil
		}
		trust = SystemTrust()
	}
	return trust, withTransport(hc, func(t *http.Transport) *http.Transport { return trust.onto(t, base) })
}

// ownTLS reports whether rt settles TLS trust itself: a round tripper that
// is not an *http.Transport, or one with its own authorities or TLS dialer.
func ownTLS(rt http.RoundTripper) bool {
	if rt == nil {
		return false
	}
	t, ok := rt.(*http.Transport)
	if !ok {
		return true
	}
	c := t.TLSClientConfig
	return t.DialTLSContext != nil || (c != nil && (c.RootCAs != nil || c.InsecureSkipVerify || c.VerifyConnection != nil))
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
	trust, err := trustFor(hc, opts, base)
	if err != nil {
		return nil, &Error{Op: op, Kind: KindInvalidInput, Err: err}
	}
	c := &Client{baseURL: base, token: opts.Token, source: opts.TokenSource, log: log, retryWait: wait, trust: trust}
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
