package api_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
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
		trusted, err := api.TrustFile(m.pemPath)
		if err != nil {
			t.Fatal(err)
		}
		opts.Trust = trusted
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
	if _, err := api.TrustFile(path); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("TrustFile(%s) = %v", path, err)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	if _, err := api.TrustedRoots(missing); err == nil {
		t.Error("TrustedRoots of a missing file succeeded")
	}
	if _, err := api.TrustFile(missing); err == nil {
		t.Error("TrustFile of a missing file succeeded")
	}
}

// A block of ca_file that is not a certificate is found when the
// authorities are read, beside the first handshake: the handshake's
// refusal names it, and boxoffice proxy, which reads them at once, refuses
// to start.
func TestAnUnreadableCertificateInCAFileIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "garbled.pem")
	garbled := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not a certificate")})
	if err := os.WriteFile(path, garbled, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := api.TrustedRoots(path); err == nil || !strings.Contains(err.Error(), "could not be read") {
		t.Errorf("TrustedRoots(%s) = %v, want it to say a certificate could not be read", path, err)
	}
	trusted, err := api.TrustFile(path)
	if err != nil {
		t.Fatalf("TrustFile(%s): %v", path, err)
	}
	m := startTLSMock(t, 0)
	c, err := api.New(api.Options{BaseURL: m.run.URL, Version: "test", Timeout: 5 * time.Second, Trust: trusted})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetOrder(context.Background(), m.srv.FirstOrderID())
	if err == nil || !strings.Contains(err.Error(), "a certificate in ca_file could not be read") {
		t.Errorf("GetOrder trusting a garbled ca_file: %v", err)
	}
}

// The certificate is checked when its authorities are read, later than
// crypto/tls would check it, but as strictly: one signed by a trusted
// authority for another name is refused, saying so, before anything is
// sent.
func TestTrustFileRefusesACertificateForAnotherName(t *testing.T) {
	var seen atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen.Add(1) }))
	t.Cleanup(srv.Close)
	trusted := trustFileOf(t, srv.Certificate())
	// httptest's certificate names 127.0.0.1 and example.com, not localhost.
	for _, tc := range []struct {
		url, want string
	}{
		{srv.URL, ""},
		{strings.Replace(srv.URL, "127.0.0.1", "localhost", 1), "is for other names"},
	} {
		c, err := api.New(api.Options{BaseURL: tc.url, Version: "test", Timeout: 5 * time.Second, GetRetries: -1, Trust: trusted})
		if err != nil {
			t.Fatal(err)
		}
		before := seen.Load()
		_, err = c.GetOrder(context.Background(), "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86")
		switch {
		case tc.want == "" && api.KindOf(err) == api.KindNetwork:
			t.Errorf("%s: %v, want the server reached", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.url, err, tc.want)
		case tc.want != "" && seen.Load() != before:
			t.Errorf("%s: the server saw a request over a connection it should not have had", tc.url)
		}
	}
}

// Behind an HTTP proxy (HTTPS_PROXY), net/http makes the server's TLS
// connection itself, inside the proxy's tunnel: ca_file is trusted there
// too, and the call goes through.
func TestTrustFileThroughAnHTTPProxy(t *testing.T) {
	m := startTLSMock(t, 0)
	var tunnels atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		upstream, err := net.Dial("tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		tunnels.Add(1)
		w.WriteHeader(http.StatusOK)
		client, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			upstream.Close()
			return
		}
		if n := rw.Reader.Buffered(); n > 0 {
			buffered, _ := rw.Reader.Peek(n)
			upstream.Write(buffered)
		}
		go func() { io.Copy(upstream, client); upstream.Close() }()
		io.Copy(client, upstream)
		client.Close()
	}))
	t.Cleanup(proxy.Close)
	proxyURL, _ := url.Parse(proxy.URL)
	trusted, err := api.TrustFile(m.pemPath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Options{BaseURL: m.run.URL, Version: "test", Timeout: 5 * time.Second, Trust: trusted,
		HTTPClient: &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrder(context.Background(), m.srv.FirstOrderID()); err != nil {
		t.Fatalf("GetOrder through the proxy: %v", err)
	}
	if tunnels.Load() != 1 {
		t.Errorf("%d tunnels through the proxy, want 1", tunnels.Load())
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

// holdingListener holds the first connection it accepts until release is
// closed, and counts what it accepts.
type holdingListener struct {
	net.Listener
	accepted atomic.Int32
	release  chan struct{}
}

func (l *holdingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil && l.accepted.Add(1) == 1 {
		<-l.release
	}
	return c, err
}

// A call made while Warm is opening the connection waits for it rather
// than dialling a second one: at a counter's start the order's read rides
// the warm-up's connection, one handshake instead of two.
func TestACallDuringWarmUsesItsConnection(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"order":{"id":"3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"}}`)
	}))
	held := &holdingListener{Listener: srv.Listener, release: make(chan struct{})}
	srv.Listener = held
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	trusted := trustFileOf(t, srv.Certificate())
	c, err := api.New(api.Options{BaseURL: srv.URL, Version: "test", Timeout: 10 * time.Second, Trust: trusted})
	if err != nil {
		t.Fatal(err)
	}
	warmed := make(chan error, 1)
	go func() { warmed <- c.Warm(context.Background()) }()
	testkit.WaitFor(t, "the warm-up's connection to reach the server", 10*time.Second, func() bool { return held.accepted.Load() == 1 })

	var asked atomic.Bool
	trace := &httptrace.ClientTrace{GetConn: func(string) { asked.Store(true) }}
	read := make(chan error, 1)
	go func() {
		_, err := c.GetOrder(httptrace.WithClientTrace(context.Background(), trace), "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86")
		read <- err
	}()
	// The read must not ask net/http for a connection of its own while the
	// warm-up's is being opened. Given time to do so, it does not: a
	// machine too slow to start it meanwhile only lets this pass.
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) && !asked.Load() {
		time.Sleep(time.Millisecond)
	}
	if asked.Load() {
		t.Error("the order's read asked for a connection while the warm-up's was being opened")
	}
	close(held.release)
	if err := <-warmed; err != nil {
		t.Fatalf("Warm: %v", err)
	}
	if err := <-read; err != nil {
		t.Fatalf("GetOrder: %v", err)
	}
	if n := held.accepted.Load(); n != 1 {
		t.Errorf("%d connections for a warm-up and a read, want 1", n)
	}
}

// authorityAndLeaf is a root authority and a certificate for 127.0.0.1 it
// signs, with its key: a server that sends only its own certificate, as
// most do, leaves the root for the client's store to supply.
func authorityAndLeaf(t *testing.T) (root *x509.Certificate, leaf tls.Certificate) {
	t.Helper()
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	if root, err = x509.ParseCertificate(rootDER); err != nil {
		t.Fatal(err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "tenant"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(90 * 24 * time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, root, &leafKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	return root, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}
}

// A probe's TLS state carries the verified chain up to the trusted
// authority, as crypto/tls gives it when it checks the certificate itself:
// boxoffice doctor reads every expiry date in it, the root's included.
func TestProbeCarriesTheVerifiedChain(t *testing.T) {
	root, leaf := authorityAndLeaf(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	trusted := trustFileOf(t, root)
	c, err := api.New(api.Options{BaseURL: srv.URL, Version: "test", Timeout: 5 * time.Second, Trust: trusted})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Probe(context.Background(), api.ProbeRequest{Op: api.OpGetOrder, Path: "/ocapi/v1/orders/{orderId}",
		Params: map[string]string{"orderId": "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.TLS == nil || len(res.TLS.PeerCertificates) != 1 {
		t.Fatalf("TLS state %+v, want the one certificate the server sent", res.TLS)
	}
	if len(res.TLS.VerifiedChains) == 0 {
		t.Fatal("no verified chain in the probe's TLS state")
	}
	chain := res.TLS.VerifiedChains[0]
	if len(chain) != 2 || !chain[1].Equal(root) {
		t.Errorf("verified chain of %d certificates, want the server's and the trusted root", len(chain))
	}
}

// trustFileOf trusts cert as ca_file does: written to a PEM file, read by
// TrustFile.
func trustFileOf(t *testing.T, cert *x509.Certificate) *api.Trust {
	t.Helper()
	path := filepath.Join(t.TempDir(), "authority.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	trusted, err := api.TrustFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return trusted
}
