package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/journal"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

const seedOrderID = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

func TestAttachVoucherWithPin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
	c.waitStatus("2 remaining")
	o := c.waitUntil("one voucher", func(o api.Order) bool { return voucherCount(o, "AD......0111") == 1 })
	if len(o.Vouchers) != 1 {
		t.Fatalf("order has %d vouchers, want 1", len(o.Vouchers))
	}
	m := c.final()
	if m.form.barcode.Value() != "" || m.form.focus != focusBarcode {
		t.Fatalf("form not ready for the next scan: barcode %q focus %v", m.form.barcode.Value(), m.form.focus)
	}
	if got := m.vouchers.remaining(o.Vouchers[0].ID); got != 2 {
		t.Fatalf("remaining = %d, want 2", got)
	}
}

func TestWrongPinShowsReasonAndKeepsScan(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("9999")
	c.key(tea.KeyEnter)
	c.waitStatus("rejected")
	c.waitFor("Not attached (1)")
	m := c.final()
	if m.form.barcode.Value() != "ADTMM0000111" {
		t.Fatalf("the refused scan was not kept in the form: %q", m.form.barcode.Value())
	}
	if m.form.focus != focusPin || m.form.pin.Value() != "" {
		t.Fatalf("form should wait for a new PIN: focus %v", m.form.focus)
	}
	if m.status.kind != statusFailure || !strings.Contains(m.status.text, "AD......0111") {
		t.Fatalf("status = %+v", m.status)
	}
	if strings.Contains(m.View(), "9999") {
		t.Fatal("the PIN is on the screen")
	}
}

func TestWrongPinThenRightPinAttaches(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1111")
	c.key(tea.KeyEnter)
	c.waitStatus("rejected")
	// The scan is back in the form with the PIN field focused.
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
	c.waitUntil("one voucher", func(o api.Order) bool { return voucherCount(o, "AD......0111") == 1 })
	m := c.final()
	if len(m.scans.failed) != 0 {
		t.Fatalf("the retried scan is still listed as failed: %+v", m.scans.failed)
	}
}

func TestRemoveVoucherAfterConfirmation(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
	c.waitUntil("voucher attached", func(o api.Order) bool { return len(o.Vouchers) == 1 })
	c.key(tea.KeyF8)
	c.waitStatus("Press F8 again")
	c.key(tea.KeyF8)
	c.waitStatus("Removed AD......0111")
	c.waitUntil("no voucher", func(o api.Order) bool { return len(o.Vouchers) == 0 })
}

func TestRemoveCanBeCancelled(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
	c.key(tea.KeyF8)
	c.waitStatus("Press F8 again")
	c.key(tea.KeyEsc)
	c.waitStatus("Kept the voucher")
	m := c.final()
	if m.vouchers.len() != 1 {
		t.Fatalf("voucher list has %d, want 1", m.vouchers.len())
	}
}

func TestScanTerminators(t *testing.T) {
	terminators := map[string][]tea.KeyType{
		"enter": {tea.KeyEnter},
		"tab":   {tea.KeyTab},
		"crlf":  {tea.KeyEnter, tea.KeyCtrlJ},
		"lf":    {tea.KeyCtrlJ},
	}
	for name, keys := range terminators {
		t.Run(name, func(t *testing.T) {
			c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
			for _, barcode := range []string{"ADTMM0001001", "ADTMM0001002"} {
				c.scan(barcode)
				for _, k := range keys {
					c.key(k)
				}
			}
			c.waitUntil("two vouchers", func(o api.Order) bool { return len(o.Vouchers) == 2 })
			c.waitStatus("Attached AD......1002")
			m := c.final()
			if m.status.kind == statusFailure {
				t.Fatalf("a terminator was taken as a second submit: %q", m.status.text)
			}
			if len(m.scans.failed) != 0 {
				t.Fatalf("failed scans: %+v", m.scans.failed)
			}
		})
	}
}

func TestCRLFAfterBarcodeDoesNotSkipThePin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.key(tea.KeyCtrlJ)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
}

func TestScanOneRunePerMessage(t *testing.T) {
	c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.tm.Type("ADTMM0001003")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......1003")
	c.waitUntil("one voucher", func(o api.Order) bool { return len(o.Vouchers) == 1 })
}

func TestSameBarcodeTwiceIsSentOnce(t *testing.T) {
	c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.scan("ADTMM0001006")
	c.key(tea.KeyEnter)
	c.scan("ADTMM0001006")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......1006")
	c.waitJournal(1)
	m := c.final()
	o := c.waitUntil("one voucher", func(o api.Order) bool { return len(o.Vouchers) >= 1 })
	if n := voucherCount(o, "AD......1006"); n != 1 {
		t.Fatalf("voucher attached %d times", n)
	}
	b, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"outcome":"attempt"`); n != 1 {
		t.Fatalf("journal shows %d attempts, want 1", n)
	}
	if len(m.scans.failed) != 0 || len(m.scans.queue) != 0 {
		t.Fatalf("the second scan was kept as work to do: failed %+v queue %d", m.scans.failed, len(m.scans.queue))
	}
}

func TestAlreadyAttachedIsNotSentAgain(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.scan("ADTMM0001007")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......1007")
	clock.Advance(time.Minute)
	c.scan("ADTMM0001007")
	c.key(tea.KeyEnter)
	c.waitStatus("already attached")
}

func TestBadInputIsRefusedBeforeAnyRequest(t *testing.T) {
	tests := []struct {
		name string
		send func(c *counterTest)
		want string
	}{
		{"empty barcode", func(c *counterTest) { c.key(tea.KeyEnter) }, "No barcode"},
		{"barcode too long", func(c *counterTest) { c.scan(strings.Repeat("A", 129)); c.key(tea.KeyEnter) }, "129 characters"},
		{"control character in scan", func(c *counterTest) {
			c.scan("ADTMM")
			c.key(tea.KeyCtrlCloseBracket)
			c.scan("0001008")
			c.key(tea.KeyEnter)
		}, "cannot be sent"},
		{"letters in PIN", func(c *counterTest) {
			c.scan("ADTMM0000111")
			c.key(tea.KeyEnter)
			c.tm.Type("12a")
			c.key(tea.KeyEnter)
		}, "digits only"},
		{"PIN too long", func(c *counterTest) {
			c.scan("ADTMM0000111")
			c.key(tea.KeyEnter)
			for range 17 {
				// A person types a PIN: keys well apart.
				c.clock.Advance(150 * time.Millisecond)
				c.tm.Type("1")
			}
			c.key(tea.KeyEnter)
		}, "at most 16 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A frozen clock makes every key look like part of a burst, so
			// only explicit terminators submit.
			clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
			c := startCounter(t, counterSetup{now: clock.Now})
			c.clock = clock
			tt.send(c)
			c.waitStatus(tt.want)
			m := c.final()
			if m.scans.inFlight != nil || len(m.scans.queue) != 0 {
				t.Fatal("bad input was queued for sending")
			}
			resp, err := c.client.GetOrder(t.Context(), seedOrderID)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Order.Vouchers) != 0 {
				t.Fatalf("bad input reached the server: %+v", resp.Order.Vouchers)
			}
		})
	}
}

func TestHugePasteNeitherFreezesNorSends(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("X", 10000)), Paste: true})
	c.key(tea.KeyEnter)
	c.waitStatus("10000 characters")
	c.key(tea.KeyEsc)
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
}

func TestIdleGapClosesScannerBurstButNotSlowTyping(t *testing.T) {
	t.Run("scanner burst without terminator", func(t *testing.T) {
		c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
		c.scan("ADTMM0001009")
		c.waitStatus("Attached AD......1009")
	})
	t.Run("person typing slowly", func(t *testing.T) {
		clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
		c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.PinPrompt = PinNever }})
		for _, r := range "ADTMM0001010" {
			clock.Advance(150 * time.Millisecond)
			c.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		c.waitFor("ADTMM0001010")
		m := c.final()
		if m.form.barcode.Value() != "ADTMM0001010" || m.scans.inFlight != nil || len(m.scans.queue) != 0 {
			t.Fatalf("slow typing was cut off: field %q", m.form.barcode.Value())
		}
	})
}

func TestExpiredOrderIsExplained(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	c := startCounter(t, counterSetup{now: clock.Now})
	clock.Advance(2 * time.Hour)
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("expired or no longer exists")
	m := c.final()
	if len(m.scans.failed) != 1 {
		t.Fatalf("the scan for the expired order was lost: %+v", m.scans.failed)
	}
}

func TestGoldenAttachedScreen(t *testing.T) {
	// A fixed time of day: the outcome list shows it.
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, mockOpts: func(o *mock.Options) {
		n := 0
		o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
	}})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0111")
	c.waitFor("Screen 1")
	m := c.final()
	teatest.RequireEqualOutput(t, []byte(m.View()))
}

// withoutRedemptions answers orders as Vista documents them: the vouchers
// on an order do not say how many redemptions they have.
func withoutRedemptions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/ocapi/v1/orders/") {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err == nil {
			if order, ok := body["order"].(map[string]any); ok {
				if vouchers, ok := order["vouchers"].([]any); ok {
					for _, v := range vouchers {
						delete(v.(map[string]any), "availableRedemptions")
					}
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_ = json.NewEncoder(w).Encode(body)
	})
}

func TestJournalRestoresRedemptionsTheServerDoesNotSay(t *testing.T) {
	c := startCounter(t, counterSetup{
		server: withoutRedemptions,
		before: func(client *api.Client, j *journal.Journal) {
			// Attached in an earlier run of the counter.
			pin := "1234"
			req := api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
				Credentials: api.VoucherCredentials{Barcode: "ADTMM0000111", Pin: &pin}}
			if _, err, recordErr := desk.New(client, j).Attach(t.Context(), seedOrderID, req, api.AttachPolicy{}); err != nil || recordErr != nil {
				t.Fatal(err, recordErr)
			}
		},
	})
	c.waitFor("AD......0111")
	c.waitFor("2 left")
}

func TestWithoutTheJournalRedemptionsAreUnknown(t *testing.T) {
	c := startCounter(t, counterSetup{
		server: withoutRedemptions,
		before: func(client *api.Client, _ *journal.Journal) {
			pin := "1234"
			req := api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
				Credentials: api.VoucherCredentials{Barcode: "ADTMM0000111", Pin: &pin}}
			if _, err := client.AddVoucher(t.Context(), seedOrderID, req); err != nil {
				t.Fatal(err)
			}
		},
	})
	c.waitFor("? left")
}

func TestUnwritableJournalStopsAttaching(t *testing.T) {
	c := startCounter(t, counterSetup{
		opts: func(o *Options) { o.PinPrompt = PinNever },
		// A journal that can no longer write, as on a full or failed disk.
		before: func(_ *api.Client, j *journal.Journal) { j.Close() },
	})
	c.scan("ADTMM0001001")
	c.key(tea.KeyEnter)
	c.waitStatus("Attaching stopped: the journal cannot be written")
	c.scan("ADTMM0001002")
	c.key(tea.KeyEnter)
	c.waitStatus("Attaching is stopped")
	m := c.final()
	if n := c.calls.count(http.MethodPost, "/vouchers"); n != 0 {
		t.Fatalf("%d voucher adds reached the server without a journal", n)
	}
	if len(m.scans.failed) != 1 || m.scans.failed[0].barcode != "ADTMM0001001" {
		t.Fatalf("the scan that could not be journalled is not kept for retry: %+v", m.scans.failed)
	}
	if m.form.barcode.Value() != "ADTMM0001002" {
		t.Fatalf("the second scan is not left in the form: %q", m.form.barcode.Value())
	}
}

// A PIN sent fast, as a keypad or a quick hand sends six digits in one go,
// stays the PIN: it is never taken for the next voucher's barcode, shown,
// sent or journalled as one.
func TestFastPinIsNotTakenForAScan(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000222") // its PIN is 4321; 654321 is a wrong one
	c.key(tea.KeyEnter)
	c.scan("654321") // one burst, as a scanner would send it
	s := c.waitState("the burst in the PIN field", func(s modelState) bool { return s.pinLen == 6 })
	if s.barcode != "ADTMM0000222" || s.focus != focusPin {
		t.Fatalf("the PIN burst moved the form: barcode %q, focus %v", s.barcode, s.focus)
	}
	c.key(tea.KeyEnter)
	c.waitStatus("wrong PIN")
	if n := c.calls.count("POST", "/vouchers"); n != 1 {
		t.Fatalf("%d adds, want the one with its (wrong) PIN", n)
	}
	journal, _ := os.ReadFile(c.journal)
	if strings.Contains(string(journal), "654321") || strings.Contains(string(journal), "4321\"") || strings.Contains(c.out.read(), "654321") {
		t.Fatalf("the PIN reached the screen or the journal:\n%s", journal)
	}
}

// ctrl+c with scans on their way asks first; the second press quits, and
// the scans still waiting are in the journal as abandoned, masked.
func TestQuitWithScansWaitingAsksAndJournalsWhatItAbandons(t *testing.T) {
	c := startCounter(t, counterSetup{
		mockOpts: func(o *mock.Options) { o.Faults = mock.Faults{Latency: 2 * time.Second} },
		opts:     func(o *Options) { o.PinPrompt = PinNever },
	})
	for _, b := range []string{"ADTMM0001001", "ADTMM0001002", "ADTMM0001003"} {
		c.scan(b)
		c.key(tea.KeyEnter)
	}
	c.waitState("scans on their way", func(s modelState) bool { return s.busy && s.queued == 2 })
	// The scans waiting their turn are in the journal already: a counter
	// killed now would still leave a trace of them.
	queued, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	for _, masked := range []string{"AD......1002", "AD......1003"} {
		if !strings.Contains(string(queued), `"maskedBarcode":"`+masked+`","type":"Ticket","outcome":"queued"`) {
			t.Errorf("%s waits in the queue but is not in the journal as queued:\n%s", masked, queued)
		}
	}
	c.key(tea.KeyCtrlC)
	c.waitStatus("Press ctrl+c again to quit anyway")
	c.key(tea.KeyCtrlC)
	c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	b, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	for _, masked := range []string{"AD......1002", "AD......1003"} {
		if !strings.Contains(string(b), `"maskedBarcode":"`+masked+`","type":"Ticket","outcome":"abandoned"`) {
			t.Errorf("%s is not in the journal as abandoned:\n%s", masked, b)
		}
	}
	if strings.Contains(string(b), "ADTMM000100") {
		t.Fatalf("a full barcode is in the journal:\n%s", b)
	}
}
