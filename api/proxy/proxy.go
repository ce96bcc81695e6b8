// Package proxy stands between a client (the counter, a script) and a
// tenant's OCAPI server. It forwards every request unchanged and streams
// every answer back, checks each exchange against the contract
// (api/contract/openapi.json), decides the contract's [unverified] facts
// from what the tenant answers, and keeps a report of it, rewritten as
// traffic passes. `boxoffice proxy` runs it; docs/proxy.md is its guide.
//
// Nothing it writes (the report, its log, a recording) holds a PIN, a
// token or a password, and barcodes appear only masked.
package proxy

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Proxy.
type Options struct {
	// Upstream is the tenant's base URL, path prefix included
	// (https://host/WSVistaWebClient). The caller has checked it.
	Upstream *url.URL
	// RootCAs are the authorities trusted for the upstream's certificate;
	// nil means this machine's.
	RootCAs *x509.CertPool
	// Transport, when set, carries the requests instead of a transport
	// made from RootCAs (tests).
	Transport http.RoundTripper
	// Report is the file the report is kept in, rewritten as traffic
	// passes; "" keeps none (Report still gives it).
	Report string
	// JSON writes the report as JSON instead of Markdown.
	JSON bool
	// RecordDir, when set, keeps every exchange there, masked, as files
	// `boxoffice mock --replay` answers from.
	RecordDir string
	// Log gets one line per exchange: time, method, path, status,
	// duration and what the exchange broke. Never a body, a query, a
	// token or a PIN.
	Log io.Writer
	// ReportEvery is the shortest time between two rewrites of the report
	// file; 0 means DefaultReportEvery.
	ReportEvery time.Duration
}

// DefaultReportEvery is how often, at most, the report file is rewritten
// while traffic passes: often enough to watch, cheap under load.
const DefaultReportEvery = 500 * time.Millisecond

// maxBody is how much of a body the proxy reads to check it. Bodies are
// always forwarded whole; past this the exchange is forwarded unchecked.
const maxBody = 4 << 20

// Proxy is an http.Handler that forwards to the upstream. Close it to
// finish the analysis and write the report's last state.
type Proxy struct {
	upstream *url.URL
	forward  *httputil.ReverseProxy
	an       *analyzer
	seq      atomic.Uint64

	// inFlight counts the exchanges not yet queued for analysis: a client
	// may have read a whole answer before its exchange is queued.
	mu       sync.Mutex
	inFlight int
	idle     *sync.Cond
}

// New makes a proxy and starts its analysis.
func New(opts Options) (*Proxy, error) {
	if opts.Upstream == nil || opts.Upstream.Host == "" {
		return nil, errors.New("the upstream URL has no host")
	}
	an, err := newAnalyzer(opts)
	if err != nil {
		return nil, err
	}
	p := &Proxy{upstream: opts.Upstream, an: an}
	p.idle = sync.NewCond(&p.mu)
	transport := opts.Transport
	if transport == nil {
		transport = upstreamTransport(opts.RootCAs)
	}
	target := *opts.Upstream
	p.forward = &httputil.ReverseProxy{
		// The client's headers go as they are: the transport does not
		// compress (DisableCompression), so it adds no Accept-Encoding.
		Rewrite:        func(pr *httputil.ProxyRequest) { pr.SetURL(&target) },
		Transport:      transport,
		FlushInterval:  -1,
		ModifyResponse: p.capture,
		ErrorHandler:   p.upstreamFailed,
		// Its own complaints would quote URLs; what went wrong is in the
		// report and the log, in words that quote nothing.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	an.start()
	return p, nil
}

// upstreamTransport is net/http's default transport trusting roots, with
// HTTP/2 when the tenant offers it and enough idle connections kept for
// the counters behind the proxy.
func upstreamTransport(roots *x509.CertPool) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: roots}
	t.ForceAttemptHTTP2 = true
	t.MaxIdleConnsPerHost = 64
	t.DisableCompression = true
	return t
}

type exchangeKey struct{}

// ServeHTTP forwards r and queues the exchange for analysis.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{seq: p.seq.Add(1), start: time.Now(), method: r.Method, url: *r.URL, header: r.Header.Clone()}
	x.url.User = nil
	p.mu.Lock()
	p.inFlight++
	p.mu.Unlock()
	defer func() { p.finish(r.Context(), x) }()
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		switch {
		case err != nil:
			x.note = "the client's request body could not be read: " + brief(err)
			http.Error(w, "boxoffice proxy: the request body could not be read", http.StatusBadRequest)
			return
		case len(body) > maxBody:
			x.reqUnchecked = true
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		default:
			x.reqBody = body
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
	}
	p.forward.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
}

// finish queues the exchange once its answer has gone (or was lost).
func (p *Proxy) finish(ctx context.Context, x *exchange) {
	x.latency = time.Since(x.start)
	if x.body != nil {
		x.respBody, x.respUnchecked, x.complete = x.body.result()
		switch {
		case x.body.err == nil || x.note != "":
		case ctx.Err() != nil:
			x.note, x.lost = "the client went away during the tenant's answer", true
		default:
			x.note = "the tenant's connection was lost during its answer (" + brief(x.body.err) + "): the client's connection was cut as well"
			x.lost = true
		}
		if x.method == http.MethodHead || x.status == http.StatusNoContent || x.status == http.StatusNotModified {
			x.complete = x.body.err == nil
		}
	}
	p.an.queue(x)
	p.mu.Lock()
	if p.inFlight--; p.inFlight == 0 {
		p.idle.Broadcast()
	}
	p.mu.Unlock()
}

// capture notes the upstream's answer and tees its body for the analysis.
func (p *Proxy) capture(res *http.Response) error {
	x, _ := res.Request.Context().Value(exchangeKey{}).(*exchange)
	if x == nil {
		return nil
	}
	x.status, x.respHeader, x.answered = res.StatusCode, res.Header.Clone(), true
	x.proto = res.Proto
	x.body = &teeBody{rc: res.Body}
	res.Body = x.body
	return nil
}

// upstreamFailed answers when the upstream gave no answer. When nothing
// reached the tenant (it could not be dialled, or its certificate is not
// trusted) the client gets a 502 saying so; when the request may have
// reached it, the client's connection is cut, as the tenant's was, so that
// the client cannot take a lost answer for a refusal.
func (p *Proxy) upstreamFailed(w http.ResponseWriter, r *http.Request, err error) {
	x, _ := r.Context().Value(exchangeKey{}).(*exchange)
	if x == nil {
		x = &exchange{}
	}
	switch {
	case r.Context().Err() != nil:
		x.note = "the client gave up before the tenant answered: whether the tenant applied it is unknown"
		x.lost = true
	case notSent(err):
		x.unreached = true
		x.note = "the tenant could not be reached, nothing was sent: " + brief(err)
		if hint := trustHint(err); hint != "" {
			x.note += "; " + hint
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, `{"errorCode":"UpstreamUnreachable","message":%q}`, "boxoffice proxy could not reach "+p.upstream.Host+" (nothing was sent): "+brief(err))
	default:
		x.lost = true
		x.note = "the tenant's connection was lost before it answered (" + brief(err) + "): the client's connection was cut as well"
		panic(http.ErrAbortHandler)
	}
}

// notSent reports an error that happened before any byte of the request
// could reach the tenant.
func notSent(err error) bool {
	var (
		op        *net.OpError
		dns       *net.DNSError
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		unknown   x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		alert     tls.AlertError
		tlsFailed = errors.As(err, &verify) || errors.As(err, &record) || errors.As(err, &unknown) ||
			errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &alert)
	)
	return tlsFailed || errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}

// trustHint names the flag that fixes an untrusted certificate.
func trustHint(err error) string {
	var (
		verify  *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
	)
	if errors.As(err, &verify) || errors.As(err, &unknown) {
		return "if a private authority or a TLS proxy signs the tenant's certificate, give it with --ca-file"
	}
	return ""
}

// brief is an error's words without the URL net/http puts in front, which
// could carry a query.
func brief(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Close waits for the exchanges forwarded so far to be analysed, writes the
// report's last state and stops the analysis. The caller stops serving
// first.
func (p *Proxy) Close() error { return p.an.close() }

// Report is the report as it stands, once no exchange is in flight and
// every one forwarded so far has been analysed.
func (p *Proxy) Report() *Report {
	p.mu.Lock()
	for p.inFlight > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
	return p.an.snapshot()
}

// teeBody is the upstream's body as the client reads it, keeping a copy of
// up to maxBody bytes for the analysis.
type teeBody struct {
	rc        io.ReadCloser
	buf       bytes.Buffer
	truncated bool
	eof       bool
	err       error
}

func (t *teeBody) Read(b []byte) (int, error) {
	n, err := t.rc.Read(b)
	if n > 0 {
		room := maxBody - t.buf.Len()
		if n > room {
			t.truncated = true
		}
		if room > 0 {
			t.buf.Write(b[:min(n, room)])
		}
	}
	switch {
	case err == io.EOF:
		t.eof = true
	case err != nil:
		t.err = err
	}
	return n, err
}

func (t *teeBody) Close() error { return t.rc.Close() }

// result is the body kept, whether it was cut short of the whole, and
// whether it was read to its end.
func (t *teeBody) result() ([]byte, bool, bool) {
	return t.buf.Bytes(), t.truncated, t.eof && t.err == nil
}
