package ui

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// With an order open, an idle counter touches the server at the keep-alive
// interval so its connection stays open; a server that hangs up on those
// touches shows the operator nothing, and the next scan goes through.
func TestKeepAliveTouchesTheServerAndNeverShowsItsFailure(t *testing.T) {
	hangUps := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	c := startCounter(t, counterSetup{
		opts:   func(o *Options) { o.KeepAlive = 20 * time.Millisecond; o.PinPrompt = PinNever },
		server: hangUps,
	})
	if !eventually(func() bool { return c.calls.count(http.MethodHead, "/") >= 3 }) {
		t.Fatalf("%d keep-alive touches, want 3 or more", c.calls.count(http.MethodHead, "/"))
	}
	if screen := c.out.read(); strings.Contains(screen, "cannot reach") || strings.Contains(screen, "failed") {
		t.Errorf("a failed keep-alive reached the screen:\n%s", tail(screen, 2000))
	}
	c.scan("ADTMM0001001")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......1001")
}

// With the keep-alive off, an idle counter sends nothing.
func TestKeepAliveOff(t *testing.T) {
	off := startCounter(t, counterSetup{})
	// Long enough for many keep-alive intervals; the counters' own calls
	// are what is waited for, not a fixed time.
	more := startCounter(t, counterSetup{opts: func(o *Options) { o.KeepAlive = 10 * time.Millisecond }})
	if !eventually(func() bool { return more.calls.count(http.MethodHead, "/") >= 5 }) {
		t.Fatal("the counter with an order open did not keep its connection alive")
	}
	if n := off.calls.count(http.MethodHead, "/"); n != 0 {
		t.Errorf("%d keep-alive touches with keep-alive off", n)
	}
}

// A server whose certificate the client does not trust is not a network
// fault: the operator is told nothing was sent and which setting fixes it.
func TestUntrustedServerIsNotCalledANetworkFault(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.Cleanup(srv.Close)
	client, err := api.New(api.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.AddVoucher(context.Background(), seedOrderID, api.AddVoucherRequest{Type: api.VoucherDeal, Credentials: api.VoucherCredentials{Barcode: "ADTMM0001001"}})
	text := describeError("Voucher AD......1001", err, time.Now())
	for _, want := range []string{"nothing was sent", "is not trusted", "ca_file"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q does not say %q", text, want)
		}
	}
	if strings.Contains(text, "Check the network") || strings.Contains(text, "may or may not") {
		t.Errorf("%q blames the network or doubts the outcome", text)
	}
}
