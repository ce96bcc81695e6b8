package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// tokenServer issues "token-1", "token-2", ... with the given lifetime.
func tokenServer(t *testing.T, expiresIn int) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, fmt.Appendf(nil, `{"access_token":"token-%d","expires_in":%d,"token_type":"Bearer","scope":"x"}`, n+1, expiresIn))
	})
}

func newTestGrant(url string) (*PasswordGrant, *testkit.Clock) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	g := NewPasswordGrant(url, "boxoffice counter", "till1", "s3cret pass&word", nil)
	g.now = clock.Now
	return g, clock
}

func TestPasswordGrantRequest(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, readTestdata(t, "token.json"))
	})
	g, _ := newTestGrant(rec.URL + "/")
	tok, err := g.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok != "eyJhbGciOiJSUzI1NiJ9.payload.signature" {
		t.Errorf("token = %q", tok)
	}
	h := rec.hit(t, 0)
	if h.Method != "POST" || h.RequestURI != "/connect/token" {
		t.Errorf("sent %s %s", h.Method, h.RequestURI)
	}
	if ct := h.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		t.Errorf("Content-Type = %q", ct)
	}
	form, err := url.ParseQuery(string(h.Body))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"grant_type": {"password"}, "client_id": {"boxoffice counter"}, "username": {"till1"}, "password": {"s3cret pass&word"}}
	if form.Encode() != want.Encode() {
		t.Errorf("form = %v, want %v", form, want)
	}
	if h.Header.Get("Authorization") != "" {
		t.Error("sign-in sent an Authorization header")
	}
}

func TestPasswordGrantCachingAndRefresh(t *testing.T) {
	tests := []struct {
		name      string
		expiresIn int
		stillGood time.Duration // still cached this long after issue
		refetchAt time.Duration // refetched from here on
	}{
		{"12 hours: refresh a minute early", 43200, 43200*time.Second - 61*time.Second, 43200*time.Second - 60*time.Second},
		{"30 seconds: refresh at 90% of life", 30, 26 * time.Second, 27 * time.Second},
		{"no lifetime: keep until refused", 0, 1000 * time.Hour, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tokenServer(t, tt.expiresIn)
			g, clock := newTestGrant(rec.URL)
			ctx := context.Background()
			first, err := g.Token(ctx)
			if err != nil || first != "token-1" {
				t.Fatalf("Token = %q, %v", first, err)
			}
			clock.Advance(tt.stillGood)
			if tok, _ := g.Token(ctx); tok != "token-1" || rec.count() != 1 {
				t.Fatalf("after %v: token %q, %d fetches; want the cached one", tt.stillGood, tok, rec.count())
			}
			if tt.refetchAt < 0 {
				return
			}
			clock.Advance(tt.refetchAt - tt.stillGood)
			if tok, _ := g.Token(ctx); tok != "token-2" || rec.count() != 2 {
				t.Fatalf("after %v: token %q, %d fetches; want a fresh one", tt.refetchAt, tok, rec.count())
			}
		})
	}
}

func TestPasswordGrantInvalidate(t *testing.T) {
	rec := tokenServer(t, 3600)
	g, _ := newTestGrant(rec.URL)
	ctx := context.Background()
	tok, _ := g.Token(ctx)
	g.Invalidate("someone-elses-old-token")
	if again, _ := g.Token(ctx); again != tok || rec.count() != 1 {
		t.Fatalf("invalidating another token dropped ours: %q, %d fetches", again, rec.count())
	}
	g.Invalidate(tok)
	if again, _ := g.Token(ctx); again != "token-2" || rec.count() != 2 {
		t.Fatalf("after Invalidate: %q, %d fetches", again, rec.count())
	}
}

func TestPasswordGrantErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   ErrorKind
		code   string
	}{
		{"invalid grant", 400, string(readTestdata(t, "error_oauth.json")), KindUnauthorized, "invalid_grant"},
		{"invalid client", 400, `{"error":"invalid_client"}`, KindUnauthorized, "invalid_client"},
		{"401", 401, ``, KindUnauthorized, ""},
		{"unsupported grant", 400, `{"error":"unsupported_grant_type"}`, KindRejected, "unsupported_grant_type"},
		{"server error", 500, `oops`, KindServer, ""},
		{"no access token", 200, `{"token_type":"Bearer","expires_in":60}`, KindServer, ""},
		{"not a bearer token", 200, `{"access_token":"x","token_type":"mac"}`, KindServer, ""},
		{"not json", 200, `<html/>`, KindUnreadable, ""},
		{"password echoed", 400, `{"error":"invalid_grant","error_description":"bad password s3cret pass&word"}`, KindUnauthorized, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				serveJSON(w, tt.status, []byte(tt.body))
			})
			g, _ := newTestGrant(rec.URL)
			tok, err := g.Token(context.Background())
			e := AsError(err)
			if e == nil || tok != "" {
				t.Fatalf("Token = %q, %v; want an *Error", tok, err)
			}
			if e.Kind != tt.kind || e.Code != tt.code || e.OutcomeUnknown {
				t.Errorf("kind %v code %q unknown %v; want %v %q", e.Kind, e.Code, e.OutcomeUnknown, tt.kind, tt.code)
			}
			if strings.Contains(e.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", e)
			}
		})
	}

	t.Run("bad auth URL", func(t *testing.T) {
		g := NewPasswordGrant("not a url", "c", "u", "p", nil)
		if _, err := g.Token(context.Background()); KindOf(err) != KindInvalidInput {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		rec := tokenServer(t, 60)
		rec.Close()
		g, _ := newTestGrant(rec.URL)
		if _, err := g.Token(context.Background()); KindOf(err) != KindNetwork {
			t.Errorf("err = %v", err)
		}
	})
}

// Many callers at once share one fetch.
func TestPasswordGrantConcurrent(t *testing.T) {
	rec := tokenServer(t, 3600)
	g, _ := newTestGrant(rec.URL)
	var wg sync.WaitGroup
	tokens := make([]string, 20)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tokens[i], _ = g.Token(context.Background())
		}()
	}
	wg.Wait()
	for i, tok := range tokens {
		if tok != "token-1" {
			t.Errorf("caller %d got %q", i, tok)
		}
	}
	if rec.count() != 1 {
		t.Errorf("%d fetches for concurrent callers, want 1", rec.count())
	}
}

// A caller waiting behind a slow fetch can give up.
func TestPasswordGrantWaiterHonoursContext(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		close(started)
		<-release
		serveJSON(w, 200, []byte(`{"access_token":"slow","expires_in":60}`))
	})
	g, _ := newTestGrant(rec.URL)
	done := make(chan string)
	go func() {
		tok, _ := g.Token(context.Background())
		done <- tok
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Token(ctx); KindOf(err) != KindNetwork {
		t.Errorf("waiter err = %v", err)
	}
	close(release)
	if tok := <-done; tok != "slow" {
		t.Errorf("fetcher got %q", tok)
	}
}

// End to end: the client drops a token the OCAPI server refuses, signs in
// again once and repeats the call.
func TestClientWithPasswordGrant(t *testing.T) {
	auth := tokenServer(t, 43200)
	ocapi := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Header.Get("Authorization") != "Bearer token-2" {
			serveJSON(w, 401, nil)
			return
		}
		serveJSON(w, 200, readTestdata(t, "add_voucher.json"))
	})
	g, _ := newTestGrant(auth.URL)
	c, logs := testClient(t, ocapi.URL, func(o *Options) { o.TokenSource = g })
	res, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherTicket,
		Credentials: VoucherCredentials{Barcode: "ADTMM0000111"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Voucher.ID == "" || auth.count() != 2 || ocapi.count() != 2 {
		t.Errorf("voucher %q, %d sign-ins, %d OCAPI requests; want 2 and 2", res.Voucher.ID, auth.count(), ocapi.count())
	}
	if strings.Contains(logs.String(), "token-") || strings.Contains(logs.String(), "s3cret") {
		t.Errorf("log shows a credential:\n%s", logs)
	}
}
