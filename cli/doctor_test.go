package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	stdlog "log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
)

// doctorJSON runs doctor --json and decodes what it printed.
func doctorJSON(t *testing.T, inv *invocation, args ...string) (doctorReport, int) {
	t.Helper()
	code := inv.run(append([]string{"doctor", "--json"}, args...)...)
	var r doctorReport
	if err := json.Unmarshal([]byte(inv.stdout.String()), &r); err != nil {
		t.Fatalf("doctor --json printed what does not decode: %v\n%s\nstderr: %s", err, inv.stdout, inv.stderr)
	}
	return r, code
}

func (r doctorReport) check(t *testing.T, name string) check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %q check in %+v", name, r.Checks)
	return check{}
}

// serveMock serves a mock on a test server, its request log in log.
func serveMock(t *testing.T, d *mock.Data, opts mock.Options) (*httptest.Server, *syncBuffer) {
	t.Helper()
	if d == nil {
		d = mock.DefaultData()
	}
	log := &syncBuffer{}
	opts.Log = log
	srv := httptest.NewServer(mock.New(d, opts))
	t.Cleanup(srv.Close)
	return srv, log
}

var demoOrder = mock.New(mock.DefaultData(), mock.Options{}).FirstOrderID()

func TestDoctorPassesAgainstTheDemoServer(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("doctor"); code != ExitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, inv.stdout, inv.stderr)
	}
	out := inv.stdout.String()
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		word := strings.Fields(line)[0]
		if word != "ok" && word != "skip" && !strings.HasPrefix(line, "not checked") {
			t.Errorf("not a passing line: %s", line)
		}
	}
	assertContains(t, "stdout", out,
		"ok          server         the built-in demo server at http://127.0.0.1:",
		"ok          sign-in", "ok          order          order "+demoOrder,
		"ok          ticket-prices  showtime 0001-2681", "ok          clock", "ok          tls",
		"ok          licence Vista.Ocapi allowed",
		"ok          licence Vista.Ocapi.TicketPricesForShowtime allowed",
		"not checked licence Vista.Ocapi.EmbeddedPayment no read-only call proves it, only a real completion")

	inv = newInvocation(t)
	r, code := doctorJSON(t, inv)
	if code != ExitOK || !r.Passed || !r.Demo || !strings.HasPrefix(r.Server, "http://127.0.0.1:") {
		t.Errorf("exit %d, report %+v", code, r)
	}
	for _, c := range r.Checks {
		if c.Status == checkFail || c.Status == checkWarn {
			t.Errorf("check %s: %s %s", c.Name, c.Status, c.Found)
		}
		if c.Status == checkOK && c.Todo != "" {
			t.Errorf("check %s is ok but says to do %q", c.Name, c.Todo)
		}
	}
	if c := r.check(t, "licence "+api.LicenceEmbeddedPayment); c.Status != checkNotChecked {
		t.Errorf("the completion licence is %s; nothing read-only proves it", c.Status)
	}
}

func TestDoctorJSONFieldNames(t *testing.T) {
	inv := newInvocation(t)
	inv.run("doctor", "--json")
	var raw struct {
		Server *string          `json:"server"`
		Demo   *bool            `json:"demo"`
		Passed *bool            `json:"passed"`
		Checks []map[string]any `json:"checks"`
	}
	if err := json.Unmarshal([]byte(inv.stdout.String()), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Server == nil || raw.Demo == nil || raw.Passed == nil || len(raw.Checks) == 0 {
		t.Fatalf("missing top-level fields: %s", inv.stdout)
	}
	for _, c := range raw.Checks {
		for _, key := range []string{"name", "status", "found", "todo"} {
			if _, ok := c[key]; !ok {
				t.Errorf("check %v has no %q", c, key)
			}
		}
		switch c["status"] {
		case "ok", "warn", "fail", "skip", "not_checked":
		default:
			t.Errorf("status %v is not one scripts know", c["status"])
		}
	}
}

func TestDoctorNamesMissingLicences(t *testing.T) {
	tests := []struct {
		name     string
		missing  []string
		wantCode int
		// want is the status each named check must have.
		want map[string]checkStatus
		// says is what the failing lines must say.
		says []string
	}{
		{
			name: "ticket prices", missing: []string{api.LicenceTicketPricesForShowtime}, wantCode: ExitCheckFailed,
			want: map[string]checkStatus{
				"order": checkOK, "ticket-prices": checkFail,
				"licence " + api.LicenceOcapi:                   checkOK,
				"licence " + api.LicenceTicketPricesForShowtime: checkFail,
				"licence " + api.LicenceEmbeddedPayment:         checkNotChecked,
			},
			says: []string{"FAIL        licence Vista.Ocapi.TicketPricesForShowtime reading the ticket prices of showtime 0001-2681 answered 403 (not allowed): the account lacks Vista.Ocapi.TicketPricesForShowtime; without it no showtime's ticket prices can be read",
				"ask whoever manages the OCAPI tenant to give this account Vista.Ocapi.TicketPricesForShowtime"},
		},
		{
			name: "everything", missing: []string{api.LicenceOcapi}, wantCode: ExitCheckFailed,
			want: map[string]checkStatus{
				"order": checkFail, "licence " + api.LicenceOcapi: checkFail,
				"licence " + api.LicenceTicketPricesForShowtime: checkNotChecked,
			},
			says: []string{"FAIL        licence Vista.Ocapi reading order " + demoOrder + " answered 403 (not allowed)", "without it no OCAPI call works"},
		},
		{
			// Nothing read-only needs it, so the doctor cannot see it missing,
			// and must not claim it is there either.
			name: "completion", missing: []string{api.LicenceEmbeddedPayment}, wantCode: ExitOK,
			want: map[string]checkStatus{"licence " + api.LicenceEmbeddedPayment: checkNotChecked},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serveMock(t, nil, mock.Options{MissingLicences: tt.missing})
			inv := newInvocation(t)
			code := inv.run("doctor", "--api-url", srv.URL, "--order", demoOrder)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s", code, tt.wantCode, inv.stdout)
			}
			assertContains(t, "stdout", inv.stdout.String(), tt.says...)
			if tt.wantCode != ExitOK {
				assertContains(t, "stderr", inv.stderr.String(), "checks failed", "licence ")
			}

			r, _ := doctorJSON(t, newInvocation(t), "--api-url", srv.URL, "--order", demoOrder)
			for name, want := range tt.want {
				if got := r.check(t, name); got.Status != want {
					t.Errorf("%s: %s (%s), want %s", name, got.Status, got.Found, want)
				}
			}
		})
	}
}

// skewed serves h with a Date header off by offset, the way a server with
// a wrong clock would.
func skewed(h http.Handler, offset time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(offset).UTC().Format(http.TimeFormat))
		h.ServeHTTP(w, r)
	})
}

func TestDoctorComparesClocks(t *testing.T) {
	tests := []struct {
		offset   time.Duration
		want     checkStatus
		wantCode int
		says     string
	}{
		{0, checkOK, ExitOK, "agrees with this machine's"},
		{20 * time.Second, checkWarn, ExitOK, "about 20s ahead of this machine's"},
		{10 * time.Minute, checkFail, ExitCheckFailed, "about 10m0s ahead of this machine's"},
		{-10 * time.Minute, checkFail, ExitCheckFailed, "about 10m0s behind this machine's"},
	}
	for _, tt := range tests {
		t.Run(tt.offset.String(), func(t *testing.T) {
			srv := httptest.NewServer(skewed(mock.New(mock.DefaultData(), mock.Options{}), tt.offset))
			t.Cleanup(srv.Close)
			r, code := doctorJSON(t, newInvocation(t), "--api-url", srv.URL, "--order", demoOrder)
			c := r.check(t, "clock")
			if c.Status != tt.want || code != tt.wantCode || !strings.Contains(c.Found, tt.says) {
				t.Errorf("exit %d, clock %s %q; want exit %d, %s saying %q", code, c.Status, c.Found, tt.wantCode, tt.want, tt.says)
			}
			if tt.want != checkOK && !strings.Contains(c.Todo, "NTP") {
				t.Errorf("todo %q does not say to synchronise the clock", c.Todo)
			}
		})
	}
}

func TestDoctorOnlyReads(t *testing.T) {
	d := mock.DefaultData()
	d.Auth = &mock.Auth{Tokens: []string{"inspector-token"}, Users: []mock.User{{Username: "till-1", Password: "pass-word-9"}}}
	srv, log := serveMock(t, d, mock.Options{})
	read := func(path string) string {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer inspector-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(resp.StatusCode, " ", string(body))
	}
	state := func() string {
		return read("/ocapi/v1/orders/"+demoOrder) + read("/ocapi/v1/showtimes/0001-2681/ticket-prices")
	}

	for _, tt := range []struct {
		args []string
		// reads is how many GETs at least: the order or the day's
		// showtimes (today has none in the demo world), then ticket prices.
		reads int
	}{
		{[]string{"doctor"}, 2},
		{[]string{"doctor", "--json"}, 2},
		{[]string{"doctor", "--order", ""}, 1},
	} {
		args := tt.args
		before := state()
		logStart := len(log.String())
		inv := newInvocation(t)
		inv.env["BOXOFFICE_AUTH_URL"] = srv.URL
		inv.env["BOXOFFICE_USERNAME"] = "till-1"
		inv.env["BOXOFFICE_PASSWORD"] = "pass-word-9"
		full := append(args, "--api-url", srv.URL)
		if args[len(args)-1] != "" {
			full = append(full, "--order", demoOrder)
		}
		inv.run(full...)
		if strings.Contains(inv.stdout.String()+inv.stderr.String(), "pass-word-9") {
			t.Errorf("%v printed the password", args)
		}

		requests := strings.Split(strings.TrimSpace(log.String()[logStart:]), "\n")
		tokens, gets := 0, 0
		for _, line := range requests {
			f := strings.Fields(line) // time method path status duration
			if len(f) < 4 {
				t.Fatalf("request log line %q", line)
			}
			switch {
			case f[1] == "POST" && f[2] == "/connect/token":
				tokens++
			case f[1] == "GET":
				gets++
			default:
				t.Errorf("%v sent %s %s", args, f[1], f[2])
			}
		}
		if tokens != 1 {
			t.Errorf("%v signed in %d times:\n%s", args, tokens, strings.Join(requests, "\n"))
		}
		if gets < tt.reads {
			t.Errorf("%v made %d reads, want at least %d:\n%s", args, gets, tt.reads, strings.Join(requests, "\n"))
		}
		if after := state(); after != before {
			t.Errorf("%v changed the server:\nbefore %s\nafter  %s", args, before, after)
		}
	}
}

func TestDoctorSignInFailures(t *testing.T) {
	refusedRead := "skip        order          reading order " + demoOrder + " was refused the credentials (401): see the sign-in check"
	tests := []struct {
		name string
		env  map[string]string
		says []string
	}{
		{"a bad token", map[string]string{"BOXOFFICE_TOKEN": "wrong-token-4711"},
			[]string{"FAIL        sign-in        the server refused the pre-issued token (401): it is wrong or has expired — get a new token and set BOXOFFICE_TOKEN", refusedRead}},
		{"no token at all", map[string]string{},
			[]string{"FAIL        sign-in        the server wants a token (401), and none is set — set BOXOFFICE_TOKEN", refusedRead}},
		{"a wrong password", map[string]string{"BOXOFFICE_AUTH_URL": "", "BOXOFFICE_USERNAME": "till-1", "BOXOFFICE_PASSWORD": "wrong-pass-4711"},
			[]string{"FAIL        sign-in        the auth server refused user till-1 at ", "check username and BOXOFFICE_PASSWORD",
				"skip        order          order " + demoOrder + " not tried: the sign-in failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mock.DefaultData()
			d.Auth = &mock.Auth{Tokens: []string{"good-token"}, Users: []mock.User{{Username: "till-1", Password: "right"}}}
			srv, _ := serveMock(t, d, mock.Options{})
			inv := newInvocation(t)
			for k, v := range tt.env {
				if k == "BOXOFFICE_AUTH_URL" {
					v = srv.URL
				}
				inv.env[k] = v
			}
			code := inv.run("doctor", "--api-url", srv.URL, "--order", demoOrder)
			if code != ExitCheckFailed {
				t.Errorf("exit %d, want %d", code, ExitCheckFailed)
			}
			out := inv.stdout.String()
			assertContains(t, "stdout", out, tt.says...)
			// What depends on signing in is not claimed either way.
			assertContains(t, "stdout", out, "not checked licence Vista.Ocapi ")
			if strings.Contains(out+inv.stderr.String(), "4711") {
				t.Errorf("a secret was printed:\n%s%s", out, inv.stderr)
			}
		})
	}
}

func TestDoctorRegion(t *testing.T) {
	d := mock.DefaultData()
	d.Regions = []string{"NZ"}
	srv, _ := serveMock(t, d, mock.Options{})
	tests := []struct {
		region   string
		want     checkStatus
		wantCode int
		says     string
	}{
		{"NZ", checkOK, ExitOK, "Connect-Region-Code NZ was sent on every call"},
		{"AU", checkFail, ExitCheckFailed, "with Connect-Region-Code AU: most likely the server does not know that region"},
		{"", checkSkip, ExitOK, "no region is set"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			r, code := doctorJSON(t, newInvocation(t), "--api-url", srv.URL, "--order", demoOrder, "--region", tt.region)
			c := r.check(t, "region")
			if c.Status != tt.want || code != tt.wantCode || !strings.Contains(c.Found, tt.says) {
				t.Errorf("exit %d, region %s %q; want exit %d, %s saying %q", code, c.Status, c.Found, tt.wantCode, tt.want, tt.says)
			}
		})
	}
}

func TestDoctorRefusesAnUntrustedCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(mock.New(mock.DefaultData(), mock.Options{}))
	// The refused handshakes are the point; they need not be logged.
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	r, code := doctorJSON(t, newInvocation(t), "--api-url", srv.URL, "--order", demoOrder)
	c := r.check(t, "tls")
	if code != ExitCheckFailed || c.Status != checkFail || !strings.Contains(c.Found, "is not trusted") || c.Todo == "" {
		t.Errorf("exit %d, tls %+v", code, c)
	}
}

func TestDoctorListsShowtimesWithoutAnOrder(t *testing.T) {
	srv, _ := serveMock(t, nil, mock.Options{})
	client, err := api.New(api.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		day        time.Time
		showtimes  checkStatus
		prices     checkStatus
		pricesSays string
	}{
		// The demo world's business day.
		{time.Date(2026, 11, 28, 12, 0, 0, 0, time.Local), checkOK, checkOK, "showtime 0001-2675: "},
		{time.Date(2030, 1, 1, 12, 0, 0, 0, time.Local), checkWarn, checkSkip, "no showtime"},
	}
	for _, tt := range tests {
		t.Run(tt.day.Format(time.DateOnly), func(t *testing.T) {
			d := &doctor{cfg: &config.Config{Site: "0001"}, client: client, url: srv.URL, now: func() time.Time { return tt.day }}
			r := d.run(context.Background())
			if c := r.check(t, "showtimes"); c.Status != tt.showtimes {
				t.Errorf("showtimes %s: %s", c.Status, c.Found)
			}
			if c := r.check(t, "ticket-prices"); c.Status != tt.prices || !strings.Contains(c.Found, tt.pricesSays) {
				t.Errorf("ticket-prices %s: %s", c.Status, c.Found)
			}
			for _, c := range r.Checks {
				if c.Name == "order" {
					t.Errorf("an order check without an order: %+v", c)
				}
			}
		})
	}
}

func TestClockSkew(t *testing.T) {
	base := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name                string
		date, sent, receive time.Time
		estimate, least     time.Duration
	}{
		{"in step", base, base.Add(100 * time.Millisecond), base.Add(300 * time.Millisecond), 300 * time.Millisecond, 0},
		{"ahead", base.Add(10 * time.Minute), base, base.Add(time.Second), 10*time.Minute + 0, 10*time.Minute - time.Second},
		{"behind", base, base.Add(10 * time.Minute), base.Add(10*time.Minute + time.Second), -10 * time.Minute, 10*time.Minute - time.Second},
		// A slow answer widens what the Date header allows, never raising
		// the alarm on its own.
		{"a slow answer", base.Add(5 * time.Second), base, base.Add(10 * time.Second), 500 * time.Millisecond, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			estimate, least := clockSkew(tt.date, tt.sent, tt.receive)
			if estimate != tt.estimate || least != tt.least {
				t.Errorf("clockSkew = %v, %v; want %v, %v", estimate, least, tt.estimate, tt.least)
			}
		})
	}
}

func TestTLSStateCheck(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	cert := func(cn string, notAfter time.Time) *x509.Certificate {
		return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, NotAfter: notAfter}
	}
	tests := []struct {
		name  string
		chain []*x509.Certificate
		want  checkStatus
		says  string
	}{
		{"valid for months", []*x509.Certificate{cert("tenant", now.AddDate(0, 3, 0)), cert("CA", now.AddDate(5, 0, 0))},
			checkOK, "TLS 1.3; the certificate of tenant.example is trusted and valid until 2027-02-28 (92 days)"},
		{"expires in a week", []*x509.Certificate{cert("tenant", now.AddDate(0, 0, 7))},
			checkWarn, "the certificate of tenant.example expires on 2026-12-05, in 7 days"},
		{"an intermediate expires first", []*x509.Certificate{cert("tenant", now.AddDate(1, 0, 0)), cert("Issuing CA", now.AddDate(0, 0, 3))},
			checkWarn, `the certificate "Issuing CA" in the chain of tenant.example expires on 2026-12-01, in 3 days`},
		{"expired", []*x509.Certificate{cert("tenant", now.AddDate(0, 0, -1))},
			checkFail, "expired on 2026-11-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &tls.ConnectionState{Version: tls.VersionTLS13, PeerCertificates: tt.chain, VerifiedChains: [][]*x509.Certificate{tt.chain}}
			c := tlsStateCheck("tenant.example", st, now)
			if c.Status != tt.want || !strings.Contains(c.Found, tt.says) {
				t.Errorf("got %s %q, want %s saying %q", c.Status, c.Found, tt.want, tt.says)
			}
			if (c.Status == checkOK) != (c.Todo == "") {
				t.Errorf("status %s with todo %q", c.Status, c.Todo)
			}
		})
	}
}

func TestTLSErrorCheck(t *testing.T) {
	expired := &x509.Certificate{NotAfter: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name string
		err  error
		ok   bool
		says string
	}{
		{"expired", fmt.Errorf("get: %w", &tls.CertificateVerificationError{Err: x509.CertificateInvalidError{Cert: expired, Reason: x509.Expired}}),
			true, "has expired (on 2026-01-02)"},
		{"unknown authority", fmt.Errorf("get: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}),
			true, "is not trusted: it is signed by an authority this machine does not know"},
		{"another host", fmt.Errorf("get: %w", x509.HostnameError{Certificate: &x509.Certificate{DNSNames: []string{"other.example"}}, Host: "tenant.example"}),
			true, "the certificate is not for tenant.example"},
		{"plain http on a TLS port", fmt.Errorf("get: %w", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}),
			true, "did not answer in TLS"},
		{"not about TLS", fmt.Errorf("dial tcp: connection refused"), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := tlsErrorCheck("tenant.example", tt.err)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, c)
			}
			if ok && (c.Status != checkFail || !strings.Contains(c.Found, tt.says) || c.Todo == "") {
				t.Errorf("got %+v, want a failure saying %q", c, tt.says)
			}
		})
	}
}

func TestMockMissingLicenceFlag(t *testing.T) {
	inv := newInvocation(t)
	url, stop := startMock(t, inv, "--listen", "127.0.0.1:0",
		"--missing-licence", "vista.ocapi.ticketpricesforshowtime", "--missing-licence", api.LicenceEmbeddedPayment)
	doc := newInvocation(t)
	if code := doc.run("doctor", "--api-url", url, "--order", demoOrder); code != ExitCheckFailed {
		t.Errorf("doctor exit %d, want %d\n%s", code, ExitCheckFailed, doc.stdout)
	}
	assertContains(t, "doctor", doc.stdout.String(), "FAIL        licence Vista.Ocapi.TicketPricesForShowtime")
	if code := stop(); code != ExitOK {
		t.Errorf("mock exit %d", code)
	}

	bad := newInvocation(t)
	if code := bad.run("mock", "--listen", "127.0.0.1:0", "--missing-licence", "Vista.Ocapi.Everything"); code != ExitUsage {
		t.Errorf("an unknown licence: exit %d, want %d", code, ExitUsage)
	}
	assertContains(t, "stderr", bad.stderr.String(), `boxoffice: --missing-licence: unknown licence "Vista.Ocapi.Everything" (want one of Vista.Ocapi, Vista.Ocapi.EmbeddedPayment, Vista.Ocapi.TicketPricesForShowtime)`)
}

// A server that does not answer is not said ok above the line that fails
// to reach it: the server check itself fails, and is the first line.
func TestDoctorSaysAServerThatDoesNotAnswerIsNotOK(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("doctor", "--api-url", "http://127.0.0.1:1"); code != ExitCheckFailed {
		t.Fatalf("exit %d\n%s%s", code, inv.stdout, inv.stderr)
	}
	first, _, _ := strings.Cut(inv.stdout.String(), "\n")
	if !strings.HasPrefix(first, "FAIL") || !strings.Contains(first, "server") || !strings.Contains(first, "did not answer") {
		t.Errorf("first line %q, want the server's failure", first)
	}
	for _, line := range strings.Split(inv.stdout.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "ok" && f[1] == "server" {
			t.Errorf("%q above a failure to reach it", line)
		}
	}
}
