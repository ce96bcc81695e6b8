package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// tenant makes the mock answer only as Vista's pages guarantee, where the
// mock goes further: no vouchers list on an order, error bodies that are
// not our JSON, and a 429 with nothing but its status.
type tenant struct {
	// keepVouchers leaves order.vouchers[] in the answers.
	keepVouchers bool
	// rateLimit answers every voucher add with a bare 429.
	rateLimit bool
}

func (tn tenant) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tn.rateLimit && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/vouchers") {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		switch {
		case rec.Code >= 400:
			// Vista documents no error body: this one has nothing to read.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(rec.Code)
			_, _ = w.Write([]byte("<html><body><h1>Request refused</h1></body></html>"))
			return
		case !tn.keepVouchers:
			var doc map[string]map[string]any
			if json.Unmarshal(body, &doc) == nil && doc["order"] != nil {
				delete(doc["order"], "vouchers")
				body, _ = json.Marshal(doc)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// A price with a restriction the counter does not handle (Member,
// Discount, MemberReward) is not offered, and a ticket type listed again
// with one shows its own price: what the screen shows is what the server
// charges.
func TestRestrictedPricesAreNotOffered(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.openTickets()
	s := c.screens.now()
	panel := s[strings.Index(s, "Tickets · "):strings.Index(s, "F7 applies")]
	if n := len(regexp.MustCompile(`(?m)^\s*(> )?Adult\s+19\.50`).FindAllString(panel, -1)); n != 1 {
		t.Fatalf("want one Adult row:\n%s", panel)
	}
	for _, hidden := range []string{"15.00", "16.50", "9.00"} {
		if regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(hidden) + `\s`).MatchString(panel) {
			t.Errorf("the panel offers a restricted price %s:\n%s", hidden, panel)
		}
	}
	if !strings.Contains(panel, "19.50") || !strings.Contains(panel, "12.00") {
		t.Errorf("the panel lacks the ordinary prices:\n%s", panel)
	}
	c.selectRow("Adult ", "19.50")
	c.key(tea.KeyRight) // a third adult, at the price shown
	c.applyTickets()
	o := c.waitUntil("three adults", func(o api.Order) bool { return countTickets(o, adultType, false) == 3 })
	if o.TotalPrice.ValueIncludingTax != 70.5 {
		t.Fatalf("server total = %.2f, want 70.50 (3 × 19.50 + 12.00)", o.TotalPrice.ValueIncludingTax)
	}
	c.waitScreen("the server's total on screen", func(s string) bool { return strings.Contains(s, "Total 70.50") })
}

// On a tenant that does not list an order's vouchers, what this counter
// attached stays listed, and a second scan of it is not sent again.
func TestTenantWithoutVouchersListKeepsWhatWasAttached(t *testing.T) {
	c := startCounter(t, counterSetup{server: tenant{}.wrap})
	c.attachAndWait("ADTMM0000111", "1234")
	before := c.calls.count("GET", "/orders/"+seedOrderID)
	c.key(tea.KeyF5)
	if !eventually(func() bool { return c.calls.count("GET", "/orders/"+seedOrderID) > before }) {
		t.Fatal("F5 did not read the order")
	}
	s := c.waitScreen("the voucher still listed", func(s string) bool {
		return strings.Contains(rowOf(s, "AD......0111"), "2 left") && !strings.Contains(s, "Loading")
	})
	if !strings.Contains(s, "Vouchers on this order (1)") {
		t.Fatalf("vouchers on screen:\n%s", s)
	}
	posts := c.calls.count("POST", "/vouchers")
	c.attach("ADTMM0000111", "1234")
	c.waitFor("already")
	if n := c.calls.count("POST", "/vouchers"); n != posts {
		t.Fatalf("a voucher already attached was sent again (%d adds, want %d)", n, posts)
	}
}

// An error body that is not JSON is not read: the screen says what the
// status means, and the refused scan stays to be tried again.
func TestErrorBodiesOfAnyShape(t *testing.T) {
	c := startCounter(t, counterSetup{server: tenant{keepVouchers: true}.wrap})
	c.attach("ADTMM0000111", "9999")
	c.waitFor("Voucher AD......0111 rejected: the server refused it.")
	s := c.waitScreen("the scan kept", func(s string) bool { return strings.Contains(s, "Not attached (1)") })
	if rowOf(s, "AD......0111") != "" {
		t.Fatal("a refused voucher is listed as attached")
	}
	if strings.Contains(c.out.read(), "<html>") {
		t.Fatal("the server's HTML reached the screen")
	}
}

// A 429 with no body and no Retry-After still reads "blocked", and is not
// tried again by itself.
func TestRateLimitWithoutABody(t *testing.T) {
	c := startCounter(t, counterSetup{server: tenant{keepVouchers: true, rateLimit: true}.wrap,
		opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.key(tea.KeyF2) // Deal
	c.scan("9300000000017")
	c.key(tea.KeyEnter)
	c.waitFor("blocked for now after too many attempts. Try it again later.")
	c.waitScreen("the scan kept", func(s string) bool { return strings.Contains(s, "Not attached (1)") })
	if n := c.calls.count("POST", "/vouchers"); n != 1 {
		t.Fatalf("%d adds for one scan answered 429, want 1", n)
	}
}

// Completion on a tenant that lists no vouchers: the voucher the counter
// attached counts, the transaction number is shown, and the order, then
// read where Vista keeps completed orders, reads as completed, not expired.
func TestCompletionOnATenant(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, server: tenant{}.wrap,
		opts: func(o *Options) { o.OrderID = emptyOrderID; o.PinPrompt = PinNever }})
	c.key(tea.KeyF2) // Deal
	c.scan("9300000000017")
	c.key(tea.KeyEnter)
	c.waitFor("Attached 93.......0017")
	c.waitIdle()
	c.key(tea.KeyF10)
	c.waitFor("Press F10 again to complete")
	c.key(tea.KeyF10)
	c.waitFor("completed, transaction ")
	// The order is read back after the completion, from its own path.
	if !eventually(func() bool { return c.calls.count("GET", "/orders/completed/"+emptyOrderID) > 0 }) {
		t.Fatal("the completed order was never read at its own path")
	}
	s := c.waitIdle()
	if strings.Contains(s, "expired") || !strings.Contains(s, "Completed") {
		t.Fatalf("after completion the screen reads:\n%s", s)
	}
}
