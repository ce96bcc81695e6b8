package ui

// The status line, the form and the footer speak of the order and the state
// on screen now: countdowns tick with the header's clock, and what an
// announcement said of something no longer there goes with it.

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// numberedIDs makes the mock's ids the same in every run, for goldens.
func numberedIDs(o *mock.Options) {
	n := 0
	o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
}

// screenLines are the lines of a drawn screen, each without its margin.
func screenLines(view string) []string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// statusText is what the status line says: the lines between the form's
// second line and the help bar.
func statusText(t *testing.T, view string) string {
	t.Helper()
	lines := screenLines(view)
	for i, l := range lines {
		if strings.HasPrefix(l, "Type ") && i+1 < len(lines)-1 {
			return strings.Join(lines[i+1:len(lines)-1], " ")
		}
	}
	t.Fatalf("no form on the screen:\n%s", view)
	return ""
}

func tick(m Model) Model {
	next, _ := m.Update(clockTickMsg(m.now()))
	return next.(Model)
}

func TestRefusedTextsAnnouncementGoesWithIt(t *testing.T) {
	clock := saturdayEvening()
	m := loadedModel(PinNever, clock.Now)
	m = sendKeys(m, "ADT\x1dMM0001\r")
	if !strings.Contains(statusText(t, m.View()), "Press Esc to clear it") {
		t.Fatalf("the tainted scan was not refused:\n%s", m.View())
	}
	// A good scan replaces the refused text: the line no longer speaks of it.
	m = sendKeys(m, "ADTMM0001001")
	view := m.View()
	if strings.Contains(statusText(t, view), "Press Esc to clear it") {
		t.Fatalf("the status line still speaks of the text that was replaced:\n%s", view)
	}
	if !strings.Contains(view, "refused before sending") {
		t.Fatalf("the refused text is not listed for ctrl+r:\n%s", view)
	}
}

func TestExpiryNoticeCountsDownWithTheHeader(t *testing.T) {
	clock := saturdayEvening()
	m := loadedModel(PinAsk, clock.Now)
	m.order.ExpiresAt = api.Timestamp{Time: clock.Now().Add(2*time.Minute + 30*time.Second)}
	clock.Advance(31 * time.Second)
	m = tick(m)
	if got := statusText(t, m.View()); !strings.Contains(got, "expires in 01:59") {
		t.Fatalf("no expiry notice: %q", got)
	}
	clock.Advance(38 * time.Second)
	m = tick(m)
	view := m.View()
	if !strings.Contains(view, "! expires in 01:21") || !strings.Contains(statusText(t, view), "expires in 01:21: finish it now") {
		t.Fatalf("the notice does not tick with the header:\n%s", view)
	}
	clock.Advance(2 * time.Minute)
	m = tick(m)
	view = m.View()
	if !strings.Contains(view, "✗ expired") || strings.Contains(statusText(t, view), "expires in") {
		t.Fatalf("the notice outlived the order's time:\n%s", view)
	}
}

// waitPinAgain waits until a refused scan is back in the form for its PIN.
func (c *counterTest) waitPinAgain(barcode string) {
	c.t.Helper()
	c.waitState("the scan back in the form", func(s modelState) bool {
		return !s.busy && s.queued == 0 && s.focus == focusPin && s.pinLen == 0 && s.barcode == barcode
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
		c.tm.Type(fmt.Sprintf("000%d", i))
		c.key(tea.KeyEnter)
		c.waitJournal(i + 1)
	}
	c.waitStatus("it is now blocked")
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
	// Scanned again during the block, it is refused without a call.
	c.scan("ADTMM0000222")
	c.key(tea.KeyEnter)
	c.tm.Type("4321")
	c.key(tea.KeyEnter)
	c.waitStatus("is blocked after too many attempts")
	clock.Advance(36 * time.Second)
	c.waitFor("AD......0222 is no longer blocked: you can try it again now")
	c.waitFor("block ended, ctrl+r to retry")
	view := c.final().View()
	if strings.Contains(view, "(in ") {
		t.Fatalf("a countdown outlived its time:\n%s", view)
	}
	b, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"outcome":"attempt"`); n != 3 {
		t.Fatalf("journal shows %d attempts, want 3", n)
	}
}

func TestGoldenBlockedScreen(t *testing.T) {
	local := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = local })
	c := blockedCounter(t, saturdayEvening())
	c.waitFor("(in 1m00s)")
	teatest.RequireEqualOutput(t, []byte(c.final().View()))
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
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitFor("too many attempts. Try again at " + until.Local().Format("15:04:05") + " (in 1m00s)")
	clock.Advance(59 * time.Second)
	c.waitFor("(in 1s)")
	clock.Advance(time.Second)
	c.waitFor("AD......0111 is no longer blocked: you can try it again now")
	if view := c.final().View(); strings.Contains(view, "(in ") {
		t.Fatalf("a countdown outlived its time:\n%s", view)
	}
}

// formFocus says which field of the drawn form has focus.
func formFocus(t *testing.T, view string) string {
	t.Helper()
	for _, l := range screenLines(view) {
		if strings.Contains(l, "Barcode [") {
			switch {
			case strings.HasPrefix(l, "▸ Barcode"):
				return "barcode"
			case strings.Contains(l, "▸ PIN"):
				return "pin"
			}
		}
	}
	t.Fatalf("no form on the screen:\n%s", view)
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
		// status and failed, when set, are the outcome other than a
		// refusal listed under Not attached.
		status string
		failed int
	}{
		{name: "wrong PIN", barcode: "ADTMM0000111", pin: "0000", want: "pin"},
		{name: "missing PIN", barcode: "ADTMM0000111", want: "pin"},
		{name: "used up", barcode: "ADTMM0000999", pin: "9999", want: "barcode"},
		{name: "expired", barcode: "ADTMM0000555", pin: "5555", want: "barcode"},
		{name: "wrong type", barcode: "9300000000017", want: "barcode"},
		{name: "unknown", barcode: "ZZZZ00000000", want: "barcode"},
		{name: "already on the order", barcode: "ADTMM0000333", pin: "3333", want: "barcode", before: alreadyOn,
			status: "is already on this order (listed above)", failed: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startCounter(t, counterSetup{before: tt.before})
			c.scan(tt.barcode)
			c.key(tea.KeyEnter)
			c.tm.Type(tt.pin)
			c.key(tea.KeyEnter)
			status, failed := "rejected", 1
			if tt.status != "" {
				status, failed = tt.status, tt.failed
			}
			c.waitStatus(status)
			c.waitState("the outcome settled", func(s modelState) bool { return !s.busy && s.failed == failed })
			view := c.final().View()
			if got := formFocus(t, view); got != tt.want {
				t.Fatalf("focus is on the %s field, want the %s field:\n%s", got, tt.want, view)
			}
			if tt.want == "barcode" && !strings.Contains(view, "▸ Barcode [scan or type") {
				t.Fatalf("the barcode field is not ready for the next scan:\n%s", view)
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
	c.waitStatus("AD......0222 was not sent: the next scan came before its PIN")
	c.key(tea.KeyEnter)
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0444")
	c.waitFor("AD......0222 Ticket: not sent: the next scan came before its PIN")
	if n := c.calls.count(http.MethodPost, "/vouchers"); n != 1 {
		t.Fatalf("%d adds were sent, want only 444's", n)
	}
	// ctrl+r brings it back for its PIN, and every attempt is still there.
	c.key(tea.KeyCtrlR)
	c.waitPinAgain("ADTMM0000222")
	c.tm.Type("4321")
	c.key(tea.KeyEnter)
	c.waitStatus("Attached AD......0222")
}

// endedCounter attaches a PIN-less voucher to an order and ends the order
// with key, answering its question.
func endedCounter(t *testing.T, orderID string, key tea.KeyType, question, done string) *counterTest {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = orderID }, mockOpts: numberedIDs})
	c.waitFor("Screen 1")
	c.attach("ADTMM0000444", "")
	c.key(key)
	c.waitStatus(question)
	c.key(key)
	c.waitStatus(done)
	return c
}

// completedCounter completes the order without tickets, paid by one voucher.
func completedCounter(t *testing.T) *counterTest {
	c := endedCounter(t, emptyOrderID, tea.KeyF10, "Press F10 again", "completed, transaction")
	c.waitState("the completed order read again", func(s modelState) bool {
		return s.orderStatus == api.OrderCompleted && s.working == "" && !s.busy
	})
	return c
}

func TestCompletedOrderOffersOnlyTheNextOrder(t *testing.T) {
	c := completedCounter(t)
	sent := c.calls.count(http.MethodPost, "/vouchers")
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	// Refused at once: no PIN is asked for a scan that cannot go on.
	c.waitStatus("is completed, so no voucher can be added to it and AD......0111 was not sent. Press ctrl+n to start the next order")
	c.key(tea.KeyF1)
	m := c.final()
	view := m.View()
	if got := formFocus(t, view); got != "barcode" {
		t.Fatalf("a PIN is asked for a scan on a completed order:\n%s", view)
	}
	for _, offered := range []string{"f3 ", "f4 ", "f7 ", "f8 ", "f9 ", "f10 "} {
		if strings.Contains(view, offered) {
			t.Errorf("the keys offer %q on a completed order:\n%s", offered, view)
		}
	}
	if !strings.Contains(view, "ctrl+n new order") {
		t.Errorf("the keys do not offer the next order:\n%s", view)
	}
	if n := c.calls.count(http.MethodPost, "/vouchers"); n != sent {
		t.Fatalf("the scan on the completed order was sent")
	}
}

func TestGoldenCompletedScreen(t *testing.T) {
	c := completedCounter(t)
	c.waitFor("f1 all keys")
	teatest.RequireEqualOutput(t, []byte(c.final().View()))
}

// cancelledCounter cancels the seed order with one voucher on it.
func cancelledCounter(t *testing.T) *counterTest {
	c := endedCounter(t, seedOrderID, tea.KeyF9, "Press F9 again", "cancelled: its tickets and vouchers are released")
	c.waitState("the order gone", func(s modelState) bool { return s.orderGone && s.working == "" })
	return c
}

func TestCancelledOrderListsNoVouchersAndReadsAsIntended(t *testing.T) {
	c := cancelledCounter(t)
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	c.waitStatus("was cancelled, so AD......0111 was not sent")
	view := c.final().View()
	lines := screenLines(view)
	if lines[2] != "Order 3f9c2a7b…4a86  Cancelled" {
		t.Errorf("the header reads %q, want the order's plain state", lines[2])
	}
	// The outcome list may say it was attached once; the voucher list,
	// between its title and that list, holds none.
	listed := view[strings.Index(view, "Vouchers"):strings.Index(view, "Last outcomes")]
	if strings.Contains(listed, "AD......0444") {
		t.Errorf("a released voucher is still listed:\n%s", view)
	}
	if got := formFocus(t, view); got != "barcode" {
		t.Errorf("a PIN is asked for a scan on a cancelled order:\n%s", view)
	}
	for _, offered := range []string{"f4 ", "f6 ", "f8 ", "f9 ", "f10 "} {
		if strings.Contains(lines[len(lines)-1], offered) {
			t.Errorf("the keys offer %q on a cancelled order: %q", offered, lines[len(lines)-1])
		}
	}
}

func TestGoldenCancelledScreen(t *testing.T) {
	c := cancelledCounter(t)
	teatest.RequireEqualOutput(t, []byte(c.final().View()))
}

func TestTicketsRowShowsNameVoucherAndSurcharge(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = "7d2e4b9c0a1f4e6d8b3c5a7e9f1d2c4b" }})
	c.waitFor("Gold Lounge")
	c.attach("ADTMM0000111", "1234")
	c.key(tea.KeyF3)
	c.waitFor("Showtime 18:00")
	c.openTickets()
	view := c.final().View()
	lines := screenLines(view)
	for i, l := range lines {
		if strings.HasPrefix(l, "Gold Lounge Movie Money (surcharge)") {
			if !strings.Contains(l, "8.00") || i+1 == len(lines) || lines[i+1] != "paid by AD......0111" {
				t.Fatalf("the row does not show its name, voucher and surcharge:\n%s", view)
			}
			return
		}
	}
	t.Fatalf("no whole Gold Lounge Movie Money row:\n%s", view)
}

func TestShowtimeInTheFormKeepsItsTime(t *testing.T) {
	m := loadedModel(PinNever, saturdayEvening().Now)
	// Names not loaded yet: the id, with its key.
	if line := screenLines(m.View())[len(screenLines(m.View()))-3]; !strings.HasSuffix(line, "Showtime 0001-2681 (F3)   no PIN step") {
		t.Fatalf("form line %q", line)
	}
	m.rememberShowtime(api.Showtime{ID: "0001-2681", FilmID: "F1", Schedule: api.Schedule{StartsAt: api.Timestamp{Time: time.Date(2026, 11, 28, 19, 30, 0, 0, time.UTC)}}},
		api.ShowtimeRelatedData{Films: []api.Film{{ID: "F1", Title: "The Extraordinarily Long and Winding Night of the Lighthouse Keeper"}}})
	lines := screenLines(m.View())
	line := lines[len(lines)-3]
	if !strings.Contains(line, "Showtime 19:30 The Extra") || !strings.HasSuffix(line, "… (F3)   no PIN step") || len([]rune(line)) > 78 {
		t.Fatalf("the showtime does not fit with its time and key: %q", line)
	}
}
