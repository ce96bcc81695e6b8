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
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

func TestAttachVoucherWithPin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attach("ADTMM0000111", "1234")
	c.waitFor("Attached AD......0111 (Adult Movie Money): 2 remaining")
	o := c.waitUntil("one voucher", func(o api.Order) bool { return voucherCount(o, "AD......0111") == 1 })
	if len(o.Vouchers) != 1 {
		t.Fatalf("order has %d vouchers, want 1", len(o.Vouchers))
	}
	screen := c.waitScreen("the voucher listed with 2 left", func(s string) bool {
		return strings.Contains(rowOf(s, "AD......0111"), "2 left")
	})
	if !strings.Contains(screen, "▸ Barcode [scan or type") {
		t.Fatalf("the form is not ready for the next scan:\n%s", screen)
	}
}

func TestWrongPinKeepsTheScanAtThePin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attach("ADTMM0000111", "9999")
	screen := c.waitScreen("the refusal", func(s string) bool { return strings.Contains(s, "Not attached (1)") && strings.Contains(s, "rejected") })
	if !strings.Contains(screen, "Barcode [ADTMM0000111") || !strings.Contains(screen, "▸ PIN") {
		t.Fatalf("the refused scan is not back in the form at its PIN:\n%s", screen)
	}
	if strings.Contains(screen, "9999") {
		t.Fatal("the PIN is on the screen")
	}
	c.key(tea.KeyCtrlC)
	c.waitFor("Press ctrl+c again")
}

func TestWrongPinThenRightPinAttaches(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attach("ADTMM0000111", "1111")
	c.waitFor("rejected")
	// The scan is back in the form with the PIN field focused.
	c.waitScreen("the scan back at its PIN", func(s string) bool { return strings.Contains(s, "▸ PIN") })
	c.typed("1234")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......0111")
	c.waitUntil("one voucher", func(o api.Order) bool { return voucherCount(o, "AD......0111") == 1 })
	s := c.waitIdle()
	if strings.Contains(s, "Not attached") {
		t.Fatalf("the retried scan is still listed as failed:\n%s", s)
	}
}

func TestRemoveVoucherAfterConfirmation(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attachAndWait("ADTMM0000111", "1234")
	c.key(tea.KeyF8)
	c.waitFor("Press F8 again")
	c.key(tea.KeyF8)
	c.waitFor("Removed AD......0111")
	c.waitUntil("no voucher", func(o api.Order) bool { return len(o.Vouchers) == 0 })
	c.waitScreen("the list empty", func(s string) bool { return strings.Contains(s, "Vouchers on this order (0)") })
}

func TestRemoveCanBeCancelled(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attachAndWait("ADTMM0000111", "1234")
	c.key(tea.KeyF8)
	c.waitFor("Press F8 again")
	c.key(tea.KeyEsc)
	c.waitFor("Kept the voucher")
	if s := c.screens.now(); !strings.Contains(s, "Vouchers on this order (1)") {
		t.Fatalf("the voucher left the list:\n%s", s)
	}
	if n := c.calls.count("DELETE", "/vouchers/"); n != 0 {
		t.Fatalf("%d removals after esc", n)
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
			c.waitFor("Attached AD......1002")
			s := c.waitIdle()
			if strings.Contains(s, "No barcode") || strings.Contains(s, "Not attached") {
				t.Fatalf("a terminator was taken as a second submit:\n%s", s)
			}
		})
	}
}

func TestCRLFAfterBarcodeDoesNotSkipThePin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.key(tea.KeyCtrlJ)
	c.typed("1234")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......0111")
}

func TestScanOneRunePerMessage(t *testing.T) {
	c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.typed("ADTMM0001003")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......1003")
	c.waitUntil("one voucher", func(o api.Order) bool { return len(o.Vouchers) == 1 })
}

func TestSameBarcodeTwiceIsSentOnce(t *testing.T) {
	c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.scan("ADTMM0001006")
	c.key(tea.KeyEnter)
	c.scan("ADTMM0001006")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......1006")
	c.waitJournal(1)
	o := c.waitUntil("one voucher", func(o api.Order) bool { return len(o.Vouchers) >= 1 })
	if n := voucherCount(o, "AD......1006"); n != 1 {
		t.Fatalf("voucher attached %d times", n)
	}
	attempts := 0
	for _, e := range readJournal(t, c.journal) {
		if e.Outcome == "attempt" {
			attempts++
		}
	}
	if attempts != 1 {
		t.Fatalf("journal shows %d attempts, want 1", attempts)
	}
	if s := c.waitIdle(); strings.Contains(s, "Not attached") {
		t.Fatalf("the second scan was kept as work to do:\n%s", s)
	}
}

func TestAlreadyAttachedIsNotSentAgain(t *testing.T) {
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, opts: func(o *Options) { o.PinPrompt = PinNever }})
	c.scan("ADTMM0001007")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......1007")
	c.waitIdle()
	clock.Advance(time.Minute)
	c.scan("ADTMM0001007")
	c.key(tea.KeyEnter)
	c.waitFor("already attached")
	if n := c.calls.count("POST", "/vouchers"); n != 1 {
		t.Fatalf("%d adds, want 1", n)
	}
}

func TestBadInputIsRefusedBeforeAnyRequest(t *testing.T) {
	tests := []struct {
		name string
		send func(d *driver)
		want string
	}{
		{"empty barcode", func(d *driver) { d.key(tea.KeyEnter) }, "No barcode"},
		{"barcode too long", func(d *driver) { d.scan(strings.Repeat("A", 129)); d.key(tea.KeyEnter) }, "129 characters"},
		{"control character in scan", func(d *driver) {
			d.scan("ADTMM")
			d.key(tea.KeyCtrlCloseBracket)
			d.scan("0001008")
			d.key(tea.KeyEnter)
		}, "cannot be sent"},
		{"letters in PIN", func(d *driver) {
			d.scan("ADTMM0000111")
			d.key(tea.KeyEnter)
			d.typed("12a")
			d.key(tea.KeyEnter)
		}, "digits only"},
		{"PIN too long", func(d *driver) {
			d.scan("ADTMM0000111")
			d.key(tea.KeyEnter)
			d.typed(strings.Repeat("1", 17))
			d.key(tea.KeyEnter)
		}, "at most 16 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := loaded(t, nil)
			tt.send(d)
			if !strings.Contains(d.status(), tt.want) {
				t.Fatalf("status %q, want %q", d.status(), tt.want)
			}
			if n := len(d.backend.made("attach")); n != 0 {
				t.Fatalf("bad input was sent %d times", n)
			}
		})
	}
}

func TestHugePasteNeitherFreezesNorSends(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("X", 10000)), Paste: true})
	c.key(tea.KeyEnter)
	c.waitFor("10000 characters")
	c.key(tea.KeyEsc)
	c.attach("ADTMM0000111", "1234")
	c.waitFor("Attached AD......0111")
}

func TestIdleGapClosesScannerBurstButNotSlowTyping(t *testing.T) {
	t.Run("scanner burst without terminator", func(t *testing.T) {
		c := startCounter(t, counterSetup{opts: func(o *Options) { o.PinPrompt = PinNever }})
		c.scan("ADTMM0001009")
		c.waitFor("Attached AD......1009")
	})
	t.Run("person typing slowly", func(t *testing.T) {
		d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
		d.typed("ADTMM0001010")
		d.advance(time.Second)
		d.mustShow("Barcode [ADTMM0001010")
		if n := len(d.backend.made("attach")); n != 0 {
			t.Fatalf("slow typing was cut off and sent")
		}
	})
}

func TestExpiredOrderIsExplained(t *testing.T) {
	clock := testkit.NewClock(time.Now())
	c := startCounter(t, counterSetup{now: clock.Now})
	clock.Advance(2 * time.Hour)
	c.attach("ADTMM0000111", "1234")
	c.waitFor("expired or no longer exists")
	c.waitScreen("the scan kept for the next order", func(s string) bool {
		return strings.Contains(s, "Not attached (1)") && strings.Contains(s, "AD......0111")
	})
}

func TestGoldenAttachedScreen(t *testing.T) {
	// A fixed time of day: the outcome list shows it.
	clock := saturdayEvening()
	c := startCounter(t, counterSetup{now: clock.Now, mockOpts: func(o *mock.Options) {
		n := 0
		o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
	}})
	c.waitFor("Screen 1")
	c.attachAndWait("ADTMM0000111", "1234")
	teatest.RequireEqualOutput(t, []byte(c.waitIdle()))
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
	c.waitScreen("the redemptions the journal remembers", func(s string) bool { return strings.Contains(rowOf(s, "AD......0111"), "2 left") })
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
	c.waitScreen("unknown redemptions", func(s string) bool { return strings.Contains(rowOf(s, "AD......0111"), "? left") })
}

func TestUnwritableJournalStopsAttaching(t *testing.T) {
	c := startCounter(t, counterSetup{
		opts: func(o *Options) { o.PinPrompt = PinNever },
		// A journal that can no longer write, as on a full or failed disk.
		before: func(_ *api.Client, j *journal.Journal) { j.Close() },
	})
	c.scan("ADTMM0001001")
	c.key(tea.KeyEnter)
	c.waitFor("Attaching is stopped, and AD......1001 was not sent: the journal cannot be written")
	c.scan("ADTMM0001002")
	c.key(tea.KeyEnter)
	c.waitFor("Attaching is stopped")
	if n := c.calls.count(http.MethodPost, "/vouchers"); n != 0 {
		t.Fatalf("%d voucher adds reached the server without a journal", n)
	}
	s := c.waitScreen("the first scan kept and the second in the form", func(s string) bool {
		return strings.Contains(s, "Not attached (1)") && strings.Contains(s, "AD......1001") && strings.Contains(s, "Barcode [ADTMM0001002")
	})
	_ = s
}

// A PIN sent fast, as a keypad or a quick hand sends six digits in one go,
// stays the PIN: it is never taken for the next voucher's barcode, shown,
// sent or journalled as one.
func TestFastPinIsNotTakenForAScan(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000222") // its PIN is 4321; 654321 is a wrong one
	c.key(tea.KeyEnter)
	c.scan("654321") // one burst, as a scanner would send it
	c.waitScreen("the burst in the PIN field", func(s string) bool {
		return strings.Contains(s, "PIN [••••••") && strings.Contains(s, "Barcode [ADTMM0000222")
	})
	c.key(tea.KeyEnter)
	c.waitFor("wrong PIN")
	if n := c.calls.count("POST", "/vouchers"); n != 1 {
		t.Fatalf("%d adds, want the one with its (wrong) PIN", n)
	}
	for _, frame := range c.screens.since(0) {
		if strings.Contains(frame, "654321") {
			t.Fatalf("the PIN reached the screen:\n%s", frame)
		}
	}
	raw, _ := os.ReadFile(c.journal)
	if strings.Contains(string(raw), "654321") || strings.Contains(string(raw), "4321\"") {
		t.Fatalf("the PIN reached the journal:\n%s", raw)
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
	c.waitScreen("scans on their way", func(s string) bool {
		return strings.Contains(s, "Sending AD......1001") && strings.Contains(s, "2 waiting")
	})
	// The scans waiting their turn are in the journal already: a counter
	// killed now would still leave a trace of them.
	if !eventually(func() bool {
		n := 0
		for _, e := range readJournal(t, c.journal) {
			if e.Outcome == "queued" && (e.MaskedBarcode == "AD......1002" || e.MaskedBarcode == "AD......1003") {
				n++
			}
		}
		return n == 2
	}) {
		t.Fatalf("the waiting scans are not in the journal as queued: %+v", readJournal(t, c.journal))
	}
	c.key(tea.KeyCtrlC)
	c.waitFor("Press ctrl+c again to quit anyway")
	c.key(tea.KeyCtrlC)
	c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	abandoned := map[string]bool{}
	for _, e := range readJournal(t, c.journal) {
		if e.Outcome == "abandoned" {
			abandoned[e.MaskedBarcode] = true
		}
	}
	if !abandoned["AD......1002"] || !abandoned["AD......1003"] {
		t.Errorf("the waiting scans are not in the journal as abandoned: %v", abandoned)
	}
	raw, _ := os.ReadFile(c.journal)
	if strings.Contains(string(raw), "ADTMM000100") {
		t.Fatalf("a full barcode is in the journal:\n%s", raw)
	}
}
