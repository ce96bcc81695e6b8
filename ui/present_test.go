package ui

// The status line, the form and the footer speak of the order and the state
// on screen now: countdowns tick with the header's clock, and what an
// announcement said of something no longer there goes with it.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/common"
)

// numberedIDs makes the mock's ids the same in every run, for goldens.
func numberedIDs(o *mock.Options) {
	n := 0
	o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
}

// tick is the clock's second, as the screen hears it.
func TestRefusedTextsAnnouncementGoesWithIt(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scan("ADT")
	d.key(tea.KeyCtrlCloseBracket)
	d.scan("MM0001")
	d.key(tea.KeyEnter)
	if !strings.Contains(d.status(), "Press Esc to clear it") {
		t.Fatalf("the tainted scan was not refused:\n%s", d.screen())
	}
	// A good scan replaces the refused text: the line no longer speaks of it.
	d.scan("ADTMM0001001")
	if strings.Contains(d.status(), "Press Esc to clear it") {
		t.Fatalf("the status line still speaks of the text that was replaced:\n%s", d.screen())
	}
	d.mustShow("refused before sending")
}

func TestExpiryNoticeCountsDownWithTheHeader(t *testing.T) {
	d := newDriver(t, nil)
	d.backend.answer = demoBackend(t, nil)
	o := seedOrder(t)
	o.Order.ExpiresAt = api.Timestamp{Time: d.clock.Now().Add(2*time.Minute + 30*time.Second)}
	d.send(orderLoadedMsg{orderID: seedOrderID, seq: d.lastCall("load").seq, resp: o})
	d.clock.Advance(31 * time.Second)
	d.send(d.tickDue())
	if !strings.Contains(d.status(), "expires in 01:59") {
		t.Fatalf("no expiry notice: %q", d.status())
	}
	d.clock.Advance(38 * time.Second)
	d.send(d.tickDue())
	d.mustShow("! expires in 01:21", "expires in 01:21: finish it now")
	d.backend.answer = nil
	d.clock.Advance(2 * time.Minute)
	d.send(d.tickDue())
	d.mustShow("✗ expired")
	if strings.Contains(d.status(), "expires in") {
		t.Fatalf("the notice outlived the order's time: %q", d.status())
	}
	if len(d.backend.made("load")) < 2 {
		t.Fatal("the countdown reaching zero did not read the order again")
	}
}

// tickDue is the clock's timer, as it arrives once a second.
func (d *driver) tickDue() tea.Msg {
	for i, tm := range d.timers {
		if common.IsClockDue(tm.msg) {
			d.timers = append(d.timers[:i], d.timers[i+1:]...)
			return tm.msg
		}
	}
	d.t.Fatal("the clock is not ticking")
	return nil
}

// waitPinAgain waits until a refused scan is back in the form for its PIN.
func (c *counterTest) waitPinAgain(barcode string) {
	c.t.Helper()
	c.waitScreen("the scan back at its PIN", func(s string) bool {
		return strings.Contains(s, "Barcode ["+barcode) && strings.Contains(s, "▸ PIN [none") && !strings.Contains(s, "Sending")
	})
}

// blockedCounter gives ADTMM0000222 three wrong PINs: the third blocks it.
func blockedCounter(t *testing.T, clock *testkit.Clock) *counterTest {
	// No bell: it stays in the frame for a second of real time, which a
	// golden screen cannot hold.
	c := startCounter(t, counterSetup{now: clock.Now, mockOpts: numberedIDs, opts: func(o *Options) { o.Bell = BellNever }})
	c.waitFor("Screen 1")
	c.scan("ADTMM0000222")
	c.key(tea.KeyEnter)
	for i := range 3 {
		if i > 0 {
			// A wrong PIN brings the scan back for the PIN.
			c.waitPinAgain("ADTMM0000222")
		}
		c.typed(fmt.Sprintf("000%d", i))
		c.key(tea.KeyEnter)
		c.waitJournal(i + 1)
	}
	c.waitFor("it is now blocked")
	return c
}

func TestThirdWrongPinCountsDownAtOnce(t *testing.T) {
	clock := saturdayEvening()
	c := blockedCounter(t, clock)
	until := clock.Now().Add(time.Minute).Local().Format("15:04:05")
	c.waitFor("Try again at " + until + " (in 1m00s)")
	c.waitFor("AD......0222 Ticket: wrong PIN; blocked until " + until + " (in 1m00s)")
	clock.Advance(25 * time.Second)
	c.waitFor("Try again at " + until + " (in 35s)")
	c.waitFor("blocked until " + until + " (in 35s)")
	// Scanned again during the block, it is refused at once: no PIN is
	// asked, and no call is made.
	mark := c.screens.mark()
	c.scan("ADTMM0000222")
	c.key(tea.KeyEnter)
	c.waitForSince(mark, "is blocked after too many attempts")
	if strings.Contains(c.screens.now(), "▸ PIN") {
		t.Fatalf("a PIN is asked for a blocked voucher:\n%s", c.screens.now())
	}
	clock.Advance(36 * time.Second)
	c.waitFor("AD......0222 is no longer blocked: you can try it again now")
	c.waitFor("block ended, ctrl+r to retry")
	if s := c.waitIdle(); strings.Contains(s, "(in ") {
		t.Fatalf("a countdown outlived its time:\n%s", s)
	}
	attempts := 0
	for _, e := range readJournal(t, c.journal) {
		if e.Outcome == journal.OutcomeAttempt {
			attempts++
		}
	}
	if attempts != 3 {
		t.Fatalf("journal shows %d attempts, want 3", attempts)
	}
}

// Three wrong PINs are three outcomes: the blocking answer is listed once.
func TestThreeWrongPinsAreThreeOutcomes(t *testing.T) {
	c := blockedCounter(t, saturdayEvening())
	s := c.waitScreen("the third outcome", func(s string) bool { return strings.Contains(s, "it is…") || strings.Contains(s, "and it is") })
	rows := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "18:00:00 ✗") {
			rows++
		}
	}
	if rows != 3 {
		t.Fatalf("%d outcome rows for three wrong PINs, want 3:\n%s", rows, s)
	}
}

func TestGoldenBlockedScreen(t *testing.T) {
	c := blockedCounter(t, saturdayEvening())
	c.waitFor("(in 1m00s)")
	teatest.RequireEqualOutput(t, []byte(c.waitIdle()))
}

func TestTooManyAttemptsAnswerEndsWithTheBlock(t *testing.T) {
	clock := saturdayEvening()
	until := clock.Now().Add(time.Minute)
	c := startCounter(t, counterSetup{now: clock.Now, server: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/vouchers") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprintf(w, `{"blockedUntilUtc":%q}`, until.UTC().Format(time.RFC3339Nano))
				return
			}
			next.ServeHTTP(w, r)
		})
	}})
	c.attach("ADTMM0000111", "1234")
	c.waitFor("too many attempts. Try again at " + until.Local().Format("15:04:05") + " (in 1m00s)")
	clock.Advance(59 * time.Second)
	c.waitFor("(in 1s)")
	clock.Advance(time.Second)
	c.waitFor("AD......0111 is no longer blocked: you can try it again now")
	if s := c.waitIdle(); strings.Contains(s, "(in ") {
		t.Fatalf("a countdown outlived its time:\n%s", s)
	}
}

// formFocus says which field of the drawn form has focus.
func formFocus(t *testing.T, screen string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "Barcode [") {
			switch {
			case strings.Contains(l, "▸ Barcode"):
				return "barcode"
			case strings.Contains(l, "▸ PIN"):
				return "pin"
			}
		}
	}
	t.Fatalf("no form on the screen:\n%s", screen)
	return ""
}

func TestRefusedScanFocusesWhereTheNextKeystrokeGoes(t *testing.T) {
	alreadyOn := func(cl *api.Client, _ *journal.Journal) {
		pin := "3333"
		if _, err := cl.AddVoucher(t.Context(), seedOrderID, api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
			Credentials: api.VoucherCredentials{Barcode: "ADTMM0000333", Pin: &pin}}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, barcode, pin, want string
		before                   func(*api.Client, *journal.Journal)
		// status is the outcome, when it is not a refusal listed under
		// Not attached.
		status string
	}{
		{name: "wrong PIN", barcode: "ADTMM0000111", pin: "0000", want: "pin"},
		{name: "missing PIN", barcode: "ADTMM0000111", want: "pin"},
		{name: "used up", barcode: "ADTMM0000999", pin: "9999", want: "barcode"},
		{name: "expired", barcode: "ADTMM0000555", pin: "5555", want: "barcode"},
		{name: "wrong type", barcode: "9300000000017", want: "barcode"},
		{name: "unknown", barcode: "ZZZZ00000000", want: "barcode"},
		{name: "already on the order", barcode: "ADTMM0000333", pin: "3333", want: "barcode", before: alreadyOn,
			status: "is already on this order (selected above)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startCounter(t, counterSetup{before: tt.before})
			c.attach(tt.barcode, tt.pin)
			status, failed := "rejected", "Not attached (1)"
			if tt.status != "" {
				status, failed = tt.status, ""
			}
			c.waitFor(status)
			s := c.waitScreen("the outcome settled", func(s string) bool {
				return !strings.Contains(s, "Sending") && (failed == "" && !strings.Contains(s, "Not attached") || failed != "" && strings.Contains(s, failed))
			})
			if got := formFocus(t, s); got != tt.want {
				t.Fatalf("focus is on the %s field, want the %s field:\n%s", got, tt.want, s)
			}
			if tt.want == "barcode" && !strings.Contains(s, "▸ Barcode [scan or type") {
				t.Fatalf("the barcode field is not ready for the next scan:\n%s", s)
			}
		})
	}
}

func TestScanAtThePinCostsNoAttempt(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0000222")
	c.key(tea.KeyEnter)
	// The next voucher is scanned while the PIN field waits for 222's PIN.
	c.scan("ADTMM0000444")
	c.waitFor("AD......0222 was not sent: the next scan came before its PIN")
	c.key(tea.KeyEnter)
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......0444")
	c.waitFor("AD......0222 Ticket: not sent: the next scan came before its PIN")
	if n := c.calls.count(http.MethodPost, "/vouchers"); n != 1 {
		t.Fatalf("%d adds were sent, want only 444's", n)
	}
	// ctrl+r brings it back for its PIN, and every attempt is still there.
	c.key(tea.KeyCtrlR)
	c.waitPinAgain("ADTMM0000222")
	c.typed("4321")
	c.key(tea.KeyEnter)
	c.waitFor("Attached AD......0222")
}

// endedCounter attaches a PIN-less voucher to an order and ends the order
// with key, answering its question.
func endedCounter(t *testing.T, orderID string, key tea.KeyType, question, done string) *counterTest {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = orderID; o.Bell = BellNever }, mockOpts: numberedIDs})
	c.waitFor("Screen 1")
	c.attachAndWait("ADTMM0000444", "")
	c.key(key)
	c.waitFor(question)
	c.key(key)
	c.waitFor(done)
	c.waitIdle()
	return c
}

// completedCounter completes the order without tickets, paid by one voucher.
func completedCounter(t *testing.T) *counterTest {
	c := endedCounter(t, emptyOrderID, tea.KeyF10, "Press F10 again", "completed, transaction")
	c.waitScreen("the completed order read again", func(s string) bool { return strings.Contains(s, "Completed") && strings.Contains(s, "f1 all keys") })
	return c
}

func TestCompletedOrderOffersOnlyTheNextOrder(t *testing.T) {
	c := completedCounter(t)
	sent := c.calls.count(http.MethodPost, "/vouchers")
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	// Refused at once: no PIN is asked for a scan that cannot go on.
	c.waitFor("is completed, so no voucher can be added to it and AD......0111 was not sent. Press ctrl+n to start the next order")
	c.key(tea.KeyF1)
	s := c.waitScreen("every key", func(s string) bool { return strings.Contains(s, "fewer keys") })
	if got := formFocus(t, s); got != "barcode" {
		t.Fatalf("a PIN is asked for a scan on a completed order:\n%s", s)
	}
	c.key(tea.KeyF1)
	s = c.waitScreen("the short bar", func(s string) bool { return strings.Contains(s, "f1 all keys") })
	bar := strings.Split(s, "\n")[len(strings.Split(s, "\n"))-1]
	for _, offered := range []string{"f3 ", "f4 ", "f7 ", "f8 ", "f9 ", "f10 "} {
		if strings.Contains(bar, offered) {
			t.Errorf("the bar offers %q on a completed order: %q", offered, bar)
		}
	}
	if !strings.Contains(bar, "ctrl+n new order") {
		t.Errorf("the bar does not offer the next order: %q", bar)
	}
	if n := c.calls.count(http.MethodPost, "/vouchers"); n != sent {
		t.Fatalf("the scan on the completed order was sent")
	}
}

func TestGoldenCompletedScreen(t *testing.T) {
	c := completedCounter(t)
	teatest.RequireEqualOutput(t, []byte(c.waitIdle()))
}

// cancelledCounter cancels the seed order with one voucher on it.
func cancelledCounter(t *testing.T) *counterTest {
	c := endedCounter(t, seedOrderID, tea.KeyF9, "Press F9 again", "cancelled: its tickets and vouchers are released")
	c.waitScreen("the order gone", func(s string) bool { return strings.Contains(s, "Cancelled") })
	return c
}

func TestCancelledOrderListsNoVouchersAndReadsAsIntended(t *testing.T) {
	c := cancelledCounter(t)
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.waitFor("was cancelled, so AD......0111 was not sent")
	s := c.waitIdle()
	lines := strings.Split(s, "\n")
	if got := strings.TrimSpace(lines[2]); got != "Order 3f9c2a7b…4a86  Cancelled" {
		t.Errorf("the header reads %q, want the order's plain state", got)
	}
	listed := s[strings.Index(s, "Vouchers"):strings.Index(s, "Last outcomes")]
	if strings.Contains(listed, "AD......0444") {
		t.Errorf("a released voucher is still listed:\n%s", s)
	}
	if got := formFocus(t, s); got != "barcode" {
		t.Errorf("a PIN is asked for a scan on a cancelled order:\n%s", s)
	}
	for _, offered := range []string{"f4 ", "f6 ", "f8 ", "f9 ", "f10 "} {
		if strings.Contains(lines[len(lines)-1], offered) {
			t.Errorf("the keys offer %q on a cancelled order: %q", offered, lines[len(lines)-1])
		}
	}
}

func TestGoldenCancelledScreen(t *testing.T) {
	c := cancelledCounter(t)
	teatest.RequireEqualOutput(t, []byte(c.waitIdle()))
}

func TestTicketsRowShowsNameVoucherAndSurcharge(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = twoShowtimesOrderID }})
	c.waitFor("Gold Lounge")
	c.attachAndWait("ADTMM0000111", "1234")
	c.key(tea.KeyF3)
	c.waitFor("Showtime 18:00")
	c.openTickets()
	s := c.screens.now()
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "Gold Lounge Movie Money") && strings.Contains(l, "AD......0111") {
			if !strings.Contains(l, "8.00") {
				t.Fatalf("the row does not show its surcharge: %q", l)
			}
			return
		}
	}
	t.Fatalf("no Gold Lounge Movie Money row with its voucher:\n%s", s)
}
