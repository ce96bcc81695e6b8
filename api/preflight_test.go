package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// probeTokens is a TokenSource handing out "probe-tok1", "probe-tok2", ...:
// a new one after each Invalidate.
type probeTokens struct {
	mu          sync.Mutex
	n           int
	invalidated int
	fail        error
}

func (p *probeTokens) Token(context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return "", p.fail
	}
	if p.n <= p.invalidated {
		p.n++
	}
	return "probe-tok" + string(rune('0'+p.n)), nil
}

func (p *probeTokens) Invalidate(string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.invalidated++
}

func TestProbeSendsWhatEveryCallSends(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, readTestdata(t, "showtime.json"))
	})
	c, _ := testClient(t, rec.URL)
	ctx := context.Background()
	if _, err := c.GetShowtime(ctx, "0001-2681"); err != nil {
		t.Fatal(err)
	}
	res, err := c.Probe(ctx, ProbeRequest{Op: OpGetShowtime, Path: "/ocapi/v1/showtimes/{showtimeId}",
		Params: map[string]string{"showtimeId": "0001-2681"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 {
		t.Errorf("status %d", res.Status)
	}
	call, probe := rec.hit(t, 0), rec.hit(t, 1)
	if probe.Method != http.MethodGet || probe.RequestURI != call.RequestURI {
		t.Errorf("probe sent %s %s, the call %s %s", probe.Method, probe.RequestURI, call.Method, call.RequestURI)
	}
	for _, h := range []string{"Authorization", "User-Agent", "Accept", "Connect-Region-Code"} {
		if got, want := probe.Header.Get(h), call.Header.Get(h); got != want || want == "" {
			t.Errorf("%s: probe sent %q, a call sends %q", h, got, want)
		}
	}
	if len(probe.Body) != 0 || probe.Header.Get("Content-Type") != "" {
		t.Errorf("a probe carried a body: %q (%s)", probe.Body, probe.Header.Get("Content-Type"))
	}
	var out ShowtimeResponse
	if err := res.Decode(&out); err != nil || out.Showtime.ID == "" {
		t.Errorf("Decode: %v, showtime %q", err, out.Showtime.ID)
	}
}

func TestProbeReportsDateAndTimes(t *testing.T) {
	serverDate := time.Date(2026, 11, 28, 9, 30, 15, 0, time.UTC)
	tests := []struct {
		name     string
		date     string
		wantDate time.Time
	}{
		{"a Date header", serverDate.Format(http.TimeFormat), serverDate},
		{"an unreadable Date header", "yesterday-ish", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				w.Header().Set("Date", tt.date)
				serveJSON(w, 404, []byte(`{"message":"Order does not exist"}`))
			})
			c, _ := testClient(t, rec.URL)
			res, err := c.Probe(context.Background(), ProbeRequest{Op: OpGetOrder, Path: "/ocapi/v1/orders/{orderId}",
				Params: map[string]string{"orderId": "abc"}})
			if KindOf(err) != KindNotFound {
				t.Fatalf("err = %v, want not found", err)
			}
			if res == nil {
				t.Fatal("no result for an answered probe")
			}
			if res.Status != 404 || !res.Date.Equal(tt.wantDate) {
				t.Errorf("status %d, date %v; want 404, %v", res.Status, res.Date, tt.wantDate)
			}
			if res.SentAt.IsZero() || res.ReceivedAt.Before(res.SentAt) {
				t.Errorf("sent %v, received %v", res.SentAt, res.ReceivedAt)
			}
			if res.TLS != nil {
				t.Error("TLS state over plain http")
			}
			if err := res.Decode(&OrderResponse{}); err == nil {
				t.Error("decoded the body of a 404")
			}
		})
	}
}

func TestProbeReportsTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, 200, []byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	c, _ := testClient(t, srv.URL, func(o *Options) { o.HTTPClient = srv.Client() })
	res, err := c.Probe(context.Background(), ProbeRequest{Op: OpListShowtimes, Path: "/ocapi/v1/showtimes/by-business-date/{d}",
		Params: map[string]string{"d": "2026-11-28"}, Query: url.Values{"siteIds": {"0001"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.TLS == nil || res.TLS.Version == 0 || len(res.TLS.PeerCertificates) == 0 {
		t.Fatalf("TLS state = %+v", res.TLS)
	}
}

func TestProbeCannotLeaveTheTenantsOCAPI(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { serveJSON(w, 200, []byte(`{}`)) })
	c, _ := testClient(t, rec.URL)
	tests := []struct {
		name string
		req  ProbeRequest
	}{
		{"an absolute URL", ProbeRequest{Path: "https://elsewhere.example/ocapi/v1/orders"}},
		{"a scheme-relative URL", ProbeRequest{Path: "//elsewhere.example/ocapi/v1/orders"}},
		{"outside /ocapi/", ProbeRequest{Path: "/connect/token"}},
		{"a query in the path", ProbeRequest{Path: "/ocapi/v1/orders?x=1"}},
		{"a path parameter that climbs", ProbeRequest{Path: "/ocapi/v1/orders/{orderId}", Params: map[string]string{"orderId": ".."}}},
		{"a path parameter with a slash", ProbeRequest{Path: "/ocapi/v1/orders/{orderId}", Params: map[string]string{"orderId": "a/b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Probe(context.Background(), tt.req)
			if KindOf(err) != KindInvalidInput || res != nil {
				t.Errorf("got %v, %v; want an invalid-input error and no result", res, err)
			}
		})
	}
	if n := rec.count(); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

func TestProbeTokenHandling(t *testing.T) {
	tests := []struct {
		name       string
		accept     string // the token the server takes; "" takes none
		wantStatus int
		wantKind   ErrorKind
		wantHits   int
	}{
		{"a refused token is replaced once", "probe-tok2", 200, 0, 2},
		{"refused twice", "", 401, KindUnauthorized, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				auth := r.Header.Get("Authorization")
				if tt.accept == "" || auth != "Bearer "+tt.accept {
					// A careless server echoing the token it refused.
					serveJSON(w, 401, []byte(`{"message":"token `+strings.TrimPrefix(auth, "Bearer ")+` expired"}`))
					return
				}
				serveJSON(w, 200, []byte(`{}`))
			})
			c, _ := testClient(t, rec.URL, func(o *Options) { o.Token, o.TokenSource = "", &probeTokens{} })
			res, err := c.Probe(context.Background(), ProbeRequest{Op: OpGetOrder, Path: "/ocapi/v1/orders/{orderId}",
				Params: map[string]string{"orderId": "abc"}})
			if KindOf(err) != tt.wantKind || res == nil || res.Status != tt.wantStatus {
				t.Fatalf("got %+v, %v; want status %d, kind %v", res, err, tt.wantStatus, tt.wantKind)
			}
			if n := rec.count(); n != tt.wantHits {
				t.Errorf("%d requests, want %d", n, tt.wantHits)
			}
			if err != nil && strings.Contains(err.Error(), "probe-tok") {
				t.Errorf("the error shows a token: %v", err)
			}
		})
	}
}

func TestSignInAndAuthMode(t *testing.T) {
	refused := &Error{Op: OpToken, Kind: KindUnauthorized, Status: 400, Message: "The user name or password is wrong."}
	tests := []struct {
		name     string
		token    string
		source   TokenSource
		wantMode AuthMode
		wantKind ErrorKind
	}{
		{"no credentials", "", nil, AuthNone, 0},
		{"a pre-issued token", "t", nil, AuthToken, 0},
		{"a token source", "", &probeTokens{}, AuthTokenSource, 0},
		{"a token source that is refused", "", &probeTokens{fail: refused}, AuthTokenSource, KindUnauthorized},
		{"a token source that cannot be reached", "", &probeTokens{fail: &Error{Op: OpToken, Kind: KindNetwork, Err: errors.New("connection refused")}}, AuthTokenSource, KindNetwork},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{BaseURL: "http://127.0.0.1:1", Token: tt.token, TokenSource: tt.source})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.AuthMode(); got != tt.wantMode {
				t.Errorf("AuthMode = %v, want %v", got, tt.wantMode)
			}
			if err := c.SignIn(context.Background()); KindOf(err) != tt.wantKind {
				t.Errorf("SignIn = %v, want kind %v", err, tt.wantKind)
			}
		})
	}
}
