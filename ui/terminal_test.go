package ui

// What a real terminal meets: the keep-alive of an idle counter, an
// untrusted server, every message at 80 columns, a window too small.

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// keepAlive runs the counter with a keep-alive of every.
func keepAlive(every time.Duration) func(*Options) {
	return func(o *Options) {
		o.KeepAlive = every
		o.Backend.(*Live).keepAliveEvery = every
	}
}

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
		opts: func(o *Options) {
			keepAlive(20 * time.Millisecond)(o)
			o.PinPrompt = PinNever
		},
		server: hangUps,
	})
	if !eventually(func() bool { return c.calls.count(http.MethodHead, "/") >= 3 }) {
		t.Fatalf("%d keep-alive touches, want 3 or more", c.calls.count(http.MethodHead, "/"))
	}
	for _, s := range c.screens.since(0) {
		if strings.Contains(s, "cannot reach") || strings.Contains(s, "failed") {
			t.Fatalf("a failed keep-alive reached the screen:\n%s", s)
		}
	}
	c.scan("ADTMM0001001")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......1001")
}

// With the keep-alive off, an idle counter sends nothing.
func TestKeepAliveOff(t *testing.T) {
	off := startCounter(t, counterSetup{})
	// Long enough for many keep-alive intervals; the counters' own calls
	// are what is waited for, not a fixed time.
	more := startCounter(t, counterSetup{opts: keepAlive(10 * time.Millisecond)})
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

// documentedMessages is every message docs/messages.md lists: the quoted
// texts of its tables' first column.
func documentedMessages(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile("../docs/messages.md")
	if err != nil {
		t.Fatal(err)
	}
	out := tableMessages(string(doc))
	if len(out) < 100 {
		t.Fatalf("found %d messages in docs/messages.md; the table format changed?", len(out))
	}
	return out
}

// Every documented message, said on the status line of an 80x24 screen,
// wraps onto lines of 80 columns and loses no word.
func TestEveryMessageFitsAt80Columns(t *testing.T) {
	d := loaded(t, nil)
	for _, msg := range documentedMessages(t) {
		d.send(common.AnnounceMsg{Kind: common.Failure, Text: msg})
		lines := strings.Split(d.screen(), "\n")
		start := -1
		for i, l := range lines {
			if strings.HasPrefix(l, " ✗ ") {
				start = i
			}
		}
		if start < 0 {
			t.Errorf("%q is not on the screen:\n%s", msg, d.screen())
			continue
		}
		said := []string{strings.TrimPrefix(lines[start], " ✗ ")}
		for _, l := range lines[start+1:] {
			if !strings.HasPrefix(l, "   ") {
				break
			}
			said = append(said, l)
		}
		for _, l := range said {
			if w := len([]rune(l)); w > 80 {
				t.Errorf("a line of %q is %d columns wide: %q", msg, w, l)
			}
		}
		if got, want := strings.Join(strings.Fields(strings.Join(said, " ")), " "), strings.Join(strings.Fields(msg), " "); got != want {
			t.Errorf("at 80 columns the screen says\n  %q\nof\n  %q", got, want)
		}
	}
}

// A window too small for the counter says so in full, wrapped to its width.
func TestTooSmallWindowSaysItInFull(t *testing.T) {
	d := loaded(t, nil)
	d.send(tea.WindowSizeMsg{Width: 30, Height: 10})
	view := d.screen()
	for _, l := range strings.Split(view, "\n") {
		if len([]rune(l)) > 30 {
			t.Errorf("line %q is wider than the window", l)
		}
	}
	if got := strings.Join(strings.Fields(view), " "); got != "boxoffice needs at least 40x12 (this window is 30x10)." {
		t.Fatalf("the window says %q", got)
	}
}

// Every screen fits its window, whatever is open and however long the
// announcement.
func TestScreensFitTheirWindow(t *testing.T) {
	long := strings.Repeat("A long announcement that says what happened and what to do. ", 6)
	for _, size := range [][2]int{{80, 24}, {60, 20}, {40, 12}, {120, 40}} {
		for _, open := range []string{"", "tickets", "picker"} {
			for _, help := range []bool{false, true} {
				orderID := twoShowtimesOrderID
				if open == "picker" {
					// The picker opens on an order with no showtime yet.
					orderID = emptyOrderID
				}
				d := loaded(t, func(o *Options) { o.OrderID = orderID })
				d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				if open != "" {
					d.key(tea.KeyF4)
				}
				if help {
					d.key(tea.KeyF1)
				}
				d.send(common.AnnounceMsg{Kind: common.Failure, Text: long})
				lines := strings.Split(d.screen(), "\n")
				if len(lines) > size[1] {
					t.Errorf("%dx%d %s help %v: %d lines", size[0], size[1], open, help, len(lines))
				}
				for _, l := range lines {
					if w := len([]rune(l)); w > size[0] {
						t.Errorf("%dx%d: line of %d columns: %q", size[0], size[1], w, l)
					}
				}
			}
		}
	}
}
