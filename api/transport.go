package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"
)

// certificateProblem explains a failed TLS verification of host's
// certificate, naming the setting that fixes the usual cause; "" when err
// is not one.
func certificateProblem(host string, err error) string {
	var (
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		verifyEr *tls.CertificateVerificationError
	)
	var garbled *unreadableCAFile
	switch {
	case errors.As(err, &garbled):
		return "the certificate of " + host + " is not trusted: a certificate in ca_file could not be read (" + garbled.parse.Error() +
			"); check the file ca_file names"
	case errors.As(err, &unknown):
		return "the certificate of " + host + " is not trusted: it is signed by an authority this machine does not know. " +
			"If a TLS proxy or a private authority signs it, set ca_file to that authority's certificate (PEM); otherwise the server is not who it claims"
	case errors.As(err, &hostErr):
		return "the certificate of " + host + " is for other names (" + hostErr.Error() + "); check the host in api_url"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the certificate of " + host + " has expired (or this machine's clock is wrong)"
	case errors.As(err, &verifyEr):
		return "the certificate of " + host + " is not trusted: " + verifyEr.Err.Error() + "; if a private authority signs it, set ca_file to its certificate (PEM)"
	}
	return ""
}

// isCertificateProblem reports a failed verification: the same on every try.
func isCertificateProblem(err error) bool { return certificateProblem("", err) != "" }

// hostOf is the host of a validated base URL, for messages.
func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Host
}

// warmTimeout bounds Warm: a warm-up that cannot finish soon is no use to
// the scan it is for.
const warmTimeout = 5 * time.Second

// Warm makes sure a connection to the server is open, so that the next call
// does not wait for a TCP and TLS handshake. It sends HEAD to the base URL
// without a token or a body: whatever the server answers (a 404 does), the
// connection is then open and kept alive. It changes nothing on the server
// and is not one of the calls LastCall counts. A failure is logged and
// returned, for the caller to ignore: the next real call dials again.
func (c *Client) Warm(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, warmTimeout)
	defer cancel()
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.baseURL+"/", nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", c.rc.Header.Get("User-Agent"))
	connected := c.opening()
	defer connected()
	inFlight, _ := ctx.Value(firstFlightKey{}).(func())
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		connected()
		if inFlight != nil {
			inFlight()
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
	resp, err := c.rc.GetClient().Do(req)
	if err != nil {
		if msg := certificateProblem(hostOf(c.baseURL), err); msg != "" {
			err = errors.New(msg)
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "ocapi warm-up failed", slog.Duration("duration", time.Since(start)), slog.String("error", err.Error()))
		return err
	}
	resp.Body.Close()
	c.heard(resp.Header)
	c.log.LogAttrs(ctx, slog.LevelDebug, "ocapi warm-up", slog.String("proto", resp.Proto), slog.Int("status", resp.StatusCode), slog.Duration("duration", time.Since(start)))
	return nil
}

// firstFlightKey carries, in a warm-up's context, what to call once its
// connection's first packets are on their way.
type firstFlightKey struct{}

// StartWarm runs Warm beside the caller and returns a channel that is
// closed once the warm-up's first packets are on their way: the TLS
// ClientHello written, for https; else once it has a connection (for http,
// the TCP handshake done) or has ended. Building a ClientHello takes a
// cold process about a millisecond of work; a caller with more of its own
// start to do waits for the channel, so that the work does not hold up the
// handshake's round trip, and then does it during that round trip.
func (c *Client) StartWarm(ctx context.Context) <-chan struct{} {
	out := make(chan struct{})
	inFlight := sync.OnceFunc(func() { close(out) })
	go func() {
		defer inFlight()
		_ = c.Warm(context.WithValue(ctx, firstFlightKey{}, inFlight))
	}()
	return out
}

// opening marks a connection being opened by Warm until the function it
// returns is called.
func (c *Client) opening() func() {
	ch := make(chan struct{})
	c.connecting.Store(&ch)
	return sync.OnceFunc(func() {
		c.connecting.CompareAndSwap(&ch, nil)
		close(ch)
	})
}

// awaitConnection waits for the connection a Warm is opening. A call made
// meanwhile would have net/http dial a second connection beside it: a
// second handshake, on a processor the counter's start is busy with, for a
// connection no sooner ready. Once the first is open, calls share it
// (HTTP/2) or take it when it is idle. A Warm over an open connection has
// it at once and holds no call up.
func (c *Client) awaitConnection(ctx context.Context) {
	if ch := c.connecting.Load(); ch != nil {
		select {
		case <-*ch:
		case <-ctx.Done():
		}
	}
}

// LastCall is when the last OCAPI call (not a Warm) finished; zero before
// the first.
func (c *Client) LastCall() time.Time {
	n := c.lastCall.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
