package api_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
)

// tlsMock is the demo world served over TLS, as `boxoffice mock --tls`
// serves it, with what the tests need to see of it.
type tlsMock struct {
	srv     *mock.Server
	run     *mock.Running
	pemPath string
	mu      sync.Mutex
	protos  []string
}

func startTLSMock(t *testing.T, idle time.Duration) *tlsMock {
	t.Helper()
	cert, err := mock.NewCertificate()
	if err != nil {
		t.Fatal(err)
	}
	m := &tlsMock{srv: mock.New(mock.DefaultData(), mock.Options{})}
	if m.pemPath, err = cert.WritePEM(filepath.Join(t.TempDir(), "mock.pem")); err != nil {
		t.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.protos = append(m.protos, r.Method+" "+r.Proto)
		m.mu.Unlock()
		m.srv.ServeHTTP(w, r)
	})
	if m.run, err = mock.StartWith("127.0.0.1:0", h, mock.ServeOptions{TLS: cert, IdleTimeout: idle}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.run.Close(context.Background()) })
	return m
}

func (m *tlsMock) requests() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.protos...)
}

func (m *tlsMock) client(t *testing.T, trust bool) *api.Client {
	t.Helper()
	opts := api.Options{BaseURL: m.run.URL, Version: "test", Timeout: 5 * time.Second, GetRetryWait: time.Millisecond}
	if trust {
		roots, err := api.TrustedRoots(m.pemPath)
		if err != nil {
			t.Fatal(err)
		}
		opts.RootCAs = roots
	}
	c, err := api.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func plainTicket(barcode string) api.AddVoucherRequest {
	return api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681", Credentials: api.VoucherCredentials{Barcode: barcode}}
}

// The client trusts the mock's certificate through a PEM file added to the
// system's authorities, and speaks HTTP/2 to it over one connection.
func TestClientTrustsCAFileAndSpeaksHTTP2(t *testing.T) {
	m := startTLSMock(t, 0)
	c := m.client(t, true)
	order := m.srv.FirstOrderID()
	if _, err := c.GetOrder(context.Background(), order); err != nil {
		t.Fatalf("GetOrder over TLS: %v", err)
	}
	if _, err := c.AddVoucher(context.Background(), order, plainTicket("ADTMM0001001")); err != nil {
		t.Fatalf("AddVoucher over TLS: %v", err)
	}
	got := m.requests()
	if len(got) != 2 || got[0] != "GET HTTP/2.0" || got[1] != "POST HTTP/2.0" {
		t.Errorf("requests as the server saw them: %q, want a GET and a POST over HTTP/2.0", got)
	}
	if n := m.run.ConnectionsOpened(); n != 1 {
		t.Errorf("%d connections for two calls, want 1", n)
	}
}

// A certificate the client does not trust stops the call before anything
// is sent: the add is not reported unknown, the server never saw it, and
// the error names the host and the setting that fixes it.
func TestUntrustedCertificateIsAClearErrorAndNothingIsSent(t *testing.T) {
	m := startTLSMock(t, 0)
	c := m.client(t, false)
	order := m.srv.FirstOrderID()
	_, err := c.AddVoucher(context.Background(), order, plainTicket("ADTMM0001001"))
	if err == nil {
		t.Fatal("AddVoucher to a server with an untrusted certificate succeeded")
	}
	e := api.AsError(err)
	if e == nil || e.Kind != api.KindNetwork || e.OutcomeUnknown {
		t.Fatalf("error %#v, want a network error with a known outcome (nothing sent)", e)
	}
	host := strings.TrimPrefix(m.run.URL, "https://")
	for _, want := range []string{"certificate of " + host, "not trusted", "ca_file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if got := m.requests(); len(got) != 0 {
		t.Errorf("the server saw %q", got)
	}
	// A GET is not repeated either: the next try would meet the same certificate.
	if _, err := c.GetOrder(context.Background(), order); err == nil {
		t.Fatal("GetOrder succeeded")
	}
	if n := m.run.ConnectionsOpened(); n != 2 {
		t.Errorf("%d handshakes for an add and a GET, want 2 (no retries)", n)
	}
}

func TestTrustedRootsRefusesAFileWithoutCertificates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(path, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := api.TrustedRoots(path); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("TrustedRoots(%s) = %v", path, err)
	}
	if _, err := api.TrustedRoots(filepath.Join(t.TempDir(), "missing.pem")); err == nil {
		t.Error("TrustedRoots of a missing file succeeded")
	}
}

// After the server has closed an idle connection the client does not send
// the next call on it: the add goes out once, on a new connection, and
// succeeds at its first attempt.
func TestIdleConnectionClosedByTheServerIsNotReused(t *testing.T) {
	m := startTLSMock(t, 100*time.Millisecond)
	c := m.client(t, true)
	order := m.srv.FirstOrderID()
	if _, err := c.GetOrder(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	testkit.WaitFor(t, "the server to close the idle connection", 10*time.Second, func() bool {
		return m.run.ConnectionsOpen() == 0
	})
	if _, err := c.AddVoucher(context.Background(), order, plainTicket("ADTMM0001001")); err != nil {
		t.Fatalf("the first add after the server closed the idle connection: %v", err)
	}
	if n := m.run.ConnectionsOpened(); n != 2 {
		t.Errorf("%d connections opened, want 2: the first, and one after it was closed", n)
	}
	if got := m.requests(); len(got) != 2 || got[1] != "POST HTTP/2.0" {
		t.Errorf("requests: %q, want the GET and one POST", got)
	}
}

// Warm opens the connection the next call uses, and sends nothing a
// server acts on.
func TestWarmOpensTheConnectionTheNextCallUses(t *testing.T) {
	m := startTLSMock(t, 0)
	c := m.client(t, true)
	if err := c.Warm(context.Background()); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	if n := m.run.ConnectionsOpened(); n != 1 {
		t.Fatalf("%d connections after Warm, want 1", n)
	}
	if !c.LastCall().IsZero() {
		t.Errorf("Warm counted as a call (LastCall %v)", c.LastCall())
	}
	order := m.srv.FirstOrderID()
	if _, err := c.GetOrder(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	if n := m.run.ConnectionsOpened(); n != 1 {
		t.Errorf("%d connections after Warm and a GET, want 1", n)
	}
	if got := m.requests(); len(got) != 2 || got[0] != "HEAD HTTP/2.0" {
		t.Errorf("requests: %q, want a HEAD then the GET", got)
	}
	if c.LastCall().IsZero() {
		t.Error("the GET did not count as a call")
	}
	// Against an untrusted server Warm fails, saying why, and changes nothing.
	if err := m.client(t, false).Warm(context.Background()); err == nil || !strings.Contains(err.Error(), "ca_file") {
		t.Errorf("Warm to an untrusted server: %v", err)
	}
}
