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
	s := c.openTickets()
	adults := 0
	for _, r := range s.rows {
		if strings.HasPrefix(r, adultType+"/") {
			adults++
		}
	}
	if adults != 1 {
		t.Fatalf("rows %v: want one Adult row", s.rows)
	}
	view := c.final().View()
	for _, hidden := range []string{"15.00", "16.50", "9.00"} {
		if regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(hidden) + `\s`).MatchString(view) {
			t.Errorf("the panel offers a restricted price %s:\n%s", hidden, view)
		}
	}
	if !strings.Contains(view, "19.50") || !strings.Contains(view, "12.00") {
		t.Errorf("the panel lacks the ordinary prices:\n%s", view)
	}

	c = startCounter(t, counterSetup{now: saturdayEvening().Now})
	s = c.openTickets()
	c.selectRow(s, adultType+"/")
	c.key(tea.KeyRight) // a third adult, at the price shown
	c.applyTickets()
	o := c.waitUntil("three adults", func(o api.Order) bool { return countTickets(o, adultType, false) == 3 })
	if o.TotalPrice.ValueIncludingTax != 70.5 {
		t.Fatalf("server total = %.2f, want 70.50 (3 × 19.50 + 12.00)", o.TotalPrice.ValueIncludingTax)
	}
	c.waitState("the server's total on screen", func(s modelState) bool { return s.total == 70.5 })
}

// On a tenant that does not list an order's vouchers, what this counter
// attached stays listed, and a second scan of it is not sent again.
func TestTenantWithoutVouchersListKeepsWhatWasAttached(t *testing.T) {
	c := startCounter(t, counterSetup{server: tenant{}.wrap})
	c.attach("ADTMM0000111", "1234")
	// The order is read back after the scan; its answer lists no vouchers.
	c.waitState("the order read back", func(s modelState) bool { return !s.busy && s.queued == 0 && !s.loading })
	before := c.calls.count("GET", "/orders/"+seedOrderID)
	c.key(tea.KeyF5)
	c.waitState("the order read again", func(s modelState) bool {
		return c.calls.count("GET", "/orders/"+seedOrderID) > before && !s.busy
	})
	s := c.waitState("the voucher still listed", func(s modelState) bool { return s.remaining["AD......0111"] == 2 })
	if len(s.remaining) != 1 {
		t.Fatalf("vouchers on screen: %v", s.remaining)
	}
	posts := c.calls.count("POST", "/vouchers")
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("already")
	if n := c.calls.count("POST", "/vouchers"); n != posts {
		t.Fatalf("a voucher already attached was sent again (%d adds, want %d)", n, posts)
	}
	if view := c.final().View(); !strings.Contains(view, "AD......0111") {
		t.Fatalf("the attached voucher is not on screen:\n%s", view)
	}
}

// An error body that is not JSON is not read: the screen says what the
// status means, and the refused scan stays to be tried again.
func TestErrorBodiesOfAnyShape(t *testing.T) {
	c := startCounter(t, counterSetup{server: tenant{keepVouchers: true}.wrap})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("9999")
	c.key(tea.KeyEnter)
	c.waitStatus("Voucher AD......0111 rejected: the server refused it.")
	s := c.waitState("the scan kept", func(s modelState) bool { return s.failed == 1 && !s.busy })
	if _, attached := s.remaining["AD......0111"]; attached {
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
	c.waitStatus("blocked for now after too many attempts. Try it again later.")
	c.waitState("the scan kept", func(s modelState) bool { return s.failed == 1 && !s.busy })
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
	mark := c.statusMark()
	c.scan("9300000000017")
	c.key(tea.KeyEnter)
	c.waitStatusSince(mark, "Attached 93.......0017")
	c.waitState("settled", func(s modelState) bool { return !s.busy && s.queued == 0 })
	c.key(tea.KeyF10)
	c.waitState("the question", func(s modelState) bool { return s.confirm == confirmComplete })
	c.key(tea.KeyF10)
	s := c.waitState("completed", func(s modelState) bool { return s.txn != "" && s.orderStatus == api.OrderCompleted && !s.busy })
	c.waitStatus("completed, transaction " + s.txn)
	// The order is read back after the completion, from its own path.
	if !eventually(func() bool { return c.calls.count("GET", "/orders/completed/"+emptyOrderID) > 0 }) {
		t.Fatal("the completed order was never read at its own path")
	}
	c.waitState("read back", func(s modelState) bool { return !s.busy })
	if s.orderGone {
		t.Fatal("the completed order is shown as gone")
	}
	view := c.final().View()
	if strings.Contains(view, "expired") || !strings.Contains(view, "Completed") {
		t.Fatalf("after completion the screen reads:\n%s", view)
	}
}
