package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
)

// waitFor is how long a test waits for a state before it fails: generous,
// for a loaded machine.
const waitFor = 30 * time.Second

// running is a proxy served on a real port, as boxoffice proxy serves it.
type running struct {
	*Proxy
	url string
	srv *mock.Running
	log *testkit.Buffer
}

func startProxy(t *testing.T, upstream string, opts Options) *running {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	log := &testkit.Buffer{}
	opts.Upstream, opts.Log = u, log
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.Start("127.0.0.1:0", p)
	if err != nil {
		t.Fatal(err)
	}
	r := &running{Proxy: p, url: srv.URL, srv: srv, log: log}
	t.Cleanup(func() { r.stop() })
	return r
}

// stop stops serving and finishes the report.
func (r *running) stop() {
	r.srv.Close(context.Background())
	r.Proxy.Close()
}

// seen is what an upstream handler was sent.
type seen struct {
	mu    sync.Mutex
	reqs  []*http.Request
	body  [][]byte
	proto []string
}

func (s *seen) note(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
	s.body = append(s.body, body)
	s.proto = append(s.proto, r.Proto)
}

func (s *seen) last() (*http.Request, []byte, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.reqs) - 1
	return s.reqs[n], s.body[n], s.proto[n]
}

const (
	secretToken = "s3cr3t-token-abcdef123456"
	secretPIN   = "4711"
	fullBarcode = "ADTMM0000111"
)

func TestForwardsUnchangedAndKeepsNoSecret(t *testing.T) {
	var up seen
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up.note(r)
		w.Header().Set("X-Tenant", "yes")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, `{"message":"Voucher `+fullBarcode+` is short and stout."}`)
	}))
	defer upstream.Close()
	dir := t.TempDir()
	report := filepath.Join(dir, "report.md")
	p := startProxy(t, upstream.URL+"/WSVistaWebClient", Options{Report: report, RecordDir: filepath.Join(dir, "rec")})

	body := `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"` + fullBarcode + `","pin":"` + secretPIN + `"}}`
	req, _ := http.NewRequest("POST", p.url+vouchersURL+"?siteIds=0001&siteIds=0002", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+secretToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Connect-Region-Code", "NZ")
	req.Header.Set("X-Custom", "kept")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	got, gotBody, _ := up.last()
	checks := map[string][2]string{
		"method":        {got.Method, "POST"},
		"path":          {got.URL.Path, "/WSVistaWebClient" + vouchersURL},
		"query":         {got.URL.RawQuery, "siteIds=0001&siteIds=0002"},
		"Authorization": {got.Header.Get("Authorization"), "Bearer " + secretToken},
		"region":        {got.Header.Get("Connect-Region-Code"), "NZ"},
		"custom header": {got.Header.Get("X-Custom"), "kept"},
		"body":          {string(gotBody), body},
		"Host":          {got.Host, strings.TrimPrefix(upstream.URL, "http://")},
		"forwarded for": {got.Header.Get("X-Forwarded-For"), ""},
		"status":        {resp.Status, "418 I'm a teapot"},
		"answer header": {resp.Header.Get("X-Tenant"), "yes"},
		"answer":        {string(answer), `{"message":"Voucher ` + fullBarcode + ` is short and stout."}`},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: %q, want %q", what, c[0], c[1])
		}
	}
	p.stop()
	written := p.log.String()
	raw, _ := os.ReadFile(report)
	written += string(raw)
	recorded, _ := filepath.Glob(filepath.Join(dir, "rec", "*.json"))
	for _, f := range recorded {
		raw, _ := os.ReadFile(f)
		written += string(raw)
	}
	if len(recorded) != 1 {
		t.Errorf("%d exchanges recorded, want 1", len(recorded))
	}
	for _, secret := range []string{secretToken, `"` + secretPIN + `"`, fullBarcode} {
		if strings.Contains(written, secret) {
			t.Errorf("the log, the report or the recording holds %q", secret)
		}
	}
}

func TestStreamsTheAnswerAsItComes(t *testing.T) {
	release := make(chan struct{})
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"showtimes":[`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-time.After(waitFor):
		}
		io.WriteString(w, `]}`)
	}))
	defer upstream.Close()
	p := startProxy(t, upstream.URL, Options{})
	resp, err := http.Get(p.url + "/ocapi/v1/showtimes/by-business-date/2026-07-11?siteIds=0001")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, len(`{"showtimes":[`))
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatalf("the first part of the answer did not arrive before the rest was written: %v", err)
	}
	close(release)
	rest, _ := io.ReadAll(resp.Body)
	if got := string(first) + string(rest); got != `{"showtimes":[]}` {
		t.Errorf("answer %q", got)
	}
}

func TestHTTP2UpstreamTrustedWithCAFile(t *testing.T) {
	var up seen
	upstream := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up.note(r)
		w.WriteHeader(http.StatusNoContent)
	}))
	upstream.EnableHTTP2 = true
	// The untrusting proxy's handshake fails, on purpose.
	upstream.Config.ErrorLog = log.New(io.Discard, "", 0)
	upstream.StartTLS()
	defer upstream.Close()

	untrusted := startProxy(t, upstream.URL, Options{})
	resp, err := http.Post(untrusted.url+orderPath+"/completion", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(answer), "nothing was sent") {
		t.Errorf("an untrusted tenant: %d %s, want a 502 saying nothing was sent", resp.StatusCode, answer)
	}
	r := untrusted.Report()
	if r.Counts.Unreached != 1 || len(r.Lost) != 1 || !strings.Contains(r.Lost[0].What, "could not be reached") {
		t.Errorf("the report of an untrusted tenant: %+v %+v", r.Counts, r.Lost)
	}
	if !strings.Contains(untrusted.log.String(), "--ca-file") {
		t.Errorf("the log does not say to give --ca-file:\n%s", untrusted.log.String())
	}

	roots := x509.NewCertPool()
	roots.AddCert(upstream.Certificate())
	trusted := startProxy(t, upstream.URL, Options{RootCAs: roots})
	resp, err = http.Post(trusted.url+orderPath+"/completion", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, _, proto := up.last(); resp.StatusCode != http.StatusNoContent || proto != "HTTP/2.0" {
		t.Errorf("through the trusted proxy: %d over %s, want 204 over HTTP/2.0", resp.StatusCode, proto)
	}
}

func TestKeepsConnectionsAlive(t *testing.T) {
	upstream, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close(context.Background())
	p := startProxy(t, upstream.URL, Options{})
	for range 20 {
		resp, err := http.Get(p.url + orderPath)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := upstream.ConnectionsOpened(); n != 1 {
		t.Errorf("the proxy opened %d connections to the tenant for 20 calls in a row, want 1", n)
	}
	if n := p.srv.ConnectionsOpened(); n != 1 {
		t.Errorf("the client opened %d connections to the proxy for 20 calls in a row, want 1", n)
	}
}

// hangUp closes the client's connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestALostAnswerIsLostForTheClientToo(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Method == http.MethodPost {
			hangUp(w)
			return
		}
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, `{"order":`)
		w.(http.Flusher).Flush()
		hangUp(w)
	}))
	defer upstream.Close()
	p := startProxy(t, upstream.URL, Options{})

	resp, err := http.Post(p.url+vouchersURL, "application/json", strings.NewReader(addBody(fullBarcode)))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the tenant hung up, and the client got %d: it must get no answer either", resp.StatusCode)
	}
	resp, err = http.Get(p.url + orderPath)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("the tenant hung up in the middle of its answer, and the client read it whole")
	}
	r := p.Report()
	if r.Counts.Lost != 2 || len(r.Lost) != 2 {
		t.Fatalf("counts %+v, lost %+v: want the two losses", r.Counts, r.Lost)
	}
	if r.Lost[0].Operation != opAddVoucher || !strings.Contains(r.Lost[0].What, "lost before it answered") {
		t.Errorf("first loss %+v", r.Lost[0])
	}
	if r.Lost[1].Operation != opGetOrder || !strings.Contains(r.Lost[1].What, "lost during its answer") {
		t.Errorf("second loss %+v", r.Lost[1])
	}
	if v := verdict(t, r, "order.read"); v.Verdict != VerdictNotSeen {
		t.Errorf("half an answer decided order.read: %+v", v)
	}
}

func TestAnUnreachableTenantIs502(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := startProxy(t, "http://"+addr, Options{})
	resp, err := http.Get(p.url + orderPath)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ ErrorCode, Message string }
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || body.ErrorCode != "UpstreamUnreachable" {
		t.Errorf("%d %+v, want 502 UpstreamUnreachable", resp.StatusCode, body)
	}
	if r := p.Report(); r.Counts.Unreached != 1 || r.Counts.Answered != 0 {
		t.Errorf("counts %+v", r.Counts)
	}
}

func TestACompressedAnswerIsChecked(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("the client's Accept-Encoding did not reach the tenant: %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, orderJSON("[]", ""))
		zw.Close()
	}))
	defer upstream.Close()
	p := startProxy(t, upstream.URL, Options{})
	req, _ := http.NewRequest("GET", p.url+orderPath, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatalf("the answer did not reach the client as the tenant encoded it: %v", err)
	}
	io.Copy(io.Discard, zr)
	resp.Body.Close()
	r := p.Report()
	if v := verdict(t, r, "order.read"); v.Verdict != VerdictConfirmed || len(r.Violations) != 0 {
		t.Errorf("a gzipped order: %s %+v, violations %+v", v.Verdict, v.Evidence, r.Violations)
	}
}

func TestStatusesPassThrough(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var status int
		json.Unmarshal([]byte(strings.TrimPrefix(r.URL.Path, "/s/")), &status)
		w.WriteHeader(status)
	}))
	defer upstream.Close()
	p := startProxy(t, upstream.URL, Options{})
	for _, status := range []int{200, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503} {
		resp, err := http.Get(p.url + "/s/" + statusKey(status))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("the tenant answered %d, the client got %d", status, resp.StatusCode)
		}
	}
}

func TestTheReportFileFollowsTheTraffic(t *testing.T) {
	upstream, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close(context.Background())
	for _, asJSON := range []bool{true, false} {
		report := filepath.Join(t.TempDir(), "report")
		p := startProxy(t, upstream.URL, Options{Report: report, JSON: asJSON, ReportEvery: 5 * time.Millisecond})
		read := func() *Report {
			raw, err := os.ReadFile(report)
			if err != nil {
				t.Fatalf("the report file cannot be read while traffic passes: %v", err)
			}
			r, err := ParseReport(raw)
			if err != nil {
				t.Fatalf("the report file is not whole while traffic passes: %v\n%s", err, raw)
			}
			if asJSON != bytes.HasPrefix(raw, []byte("{")) {
				t.Fatalf("JSON %v, but the file starts %.20q", asJSON, raw)
			}
			return r
		}
		if r := read(); r.Counts.Exchanges != 0 {
			t.Fatalf("a new report counts %d exchanges", r.Counts.Exchanges)
		}
		for i := 1; i <= 5; i++ {
			resp, err := http.Get(p.url + orderPath)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if !testkit.Eventually(waitFor, 5*time.Millisecond, func() bool { return read().Counts.Exchanges == i }) {
				t.Fatalf("the report file did not come to count %d exchanges", i)
			}
		}
		if v := verdict(t, read(), "order.read"); v.Verdict != VerdictConfirmed {
			t.Errorf("the file's order.read: %+v", v)
		}
		p.stop()
	}
}
