package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

func TestMain(m *testing.M) {
	// Golden screens and screen assertions must not depend on the
	// terminal the tests run in.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// waitLong is generous: these machines are shared and may be slow.
const waitLong = 20 * time.Second

const seedOrderID = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

type counterTest struct {
	t       *testing.T
	state   *observedState
	clock   *testkit.Clock
	journal string
	tm      *teatest.TestModel
	client  *api.Client
	server  *httptest.Server
	out     *screenLog
	calls   *callLog
}

// callLog counts the requests the mock received, by method and path, so a
// test can show that a refusal happened before any call.
type callLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *callLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.calls = append(l.calls, r.Method+" "+r.URL.Path)
		l.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// count is how many calls had this method and a path ending in suffix.
func (l *callLog) count(method, suffix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, c := range l.calls {
		if strings.HasPrefix(c, method+" ") && strings.HasSuffix(c, suffix) {
			n++
		}
	}
	return n
}

type counterSetup struct {
	now      func() time.Time
	opts     func(*Options)
	mockOpts func(*mock.Options)
	data     *mock.Data
	// server wraps the mock, to make it answer as another server would.
	server func(http.Handler) http.Handler
	// before runs once the server and the journal exist, before the screen.
	before func(*api.Client, *journal.Journal)
}

// startCounter runs the counter screen against a fresh mock seeded with the
// built-in demo data.
func startCounter(t *testing.T, setup counterSetup) *counterTest {
	t.Helper()
	now := setup.now
	if now == nil {
		now = time.Now
	}
	data := setup.data
	if data == nil {
		data = mock.DefaultData()
	}
	mo := mock.Options{Now: now}
	if setup.mockOpts != nil {
		setup.mockOpts(&mo)
	}
	calls := &callLog{}
	var handler http.Handler = mock.New(data, mo)
	if setup.server != nil {
		handler = setup.server(handler)
	}
	srv := httptest.NewServer(calls.wrap(handler))
	t.Cleanup(srv.Close)
	client, err := api.New(api.Options{BaseURL: srv.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	j, err := journal.Open(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	if setup.before != nil {
		setup.before(client, j)
	}
	opts := Options{
		Client:  client,
		OrderID: seedOrderID,
		SiteID:  "0001",
		Demo:    true,
		Version: "test",
		Now:     now,
		Journal: j,
	}
	if setup.opts != nil {
		setup.opts(&opts)
	}
	state := &observedState{}
	tm := teatest.NewTestModel(t, observed{inner: New(opts), state: state}, teatest.WithInitialTermSize(80, 24))
	ct := &counterTest{t: t, journal: journalPath, state: state, tm: tm, client: client, server: srv, out: &screenLog{r: tm.Output()}, calls: calls}
	t.Cleanup(func() { _ = tm.Quit() })
	ct.waitFor("Total")
	return ct
}

// screenLog keeps everything the program has drawn so far, so several
// waits can look at the same output.
type screenLog struct {
	mu  sync.Mutex
	r   io.Reader
	buf bytes.Buffer
}

func (s *screenLog) read() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	chunk := make([]byte, 64*1024)
	for {
		n, err := s.r.Read(chunk)
		s.buf.Write(chunk[:n])
		if n == 0 || err != nil {
			break
		}
	}
	return s.buf.String()
}

// since returns what was drawn after mark.
func (s *screenLog) since(mark int) string { return s.read()[mark:] }

// waitFor polls the drawn output for text with a generous deadline.
func (c *counterTest) waitFor(text string) {
	c.t.Helper()
	c.waitForSince(0, text)
}

// eventually polls ok with a generous deadline; it reports whether ok
// came true, so each caller can say what it last saw.
func eventually(ok func() bool) bool { return testkit.Eventually(waitLong, 5*time.Millisecond, ok) }

func (c *counterTest) waitForSince(mark int, text string) {
	c.t.Helper()
	if !eventually(func() bool { return strings.Contains(c.out.since(mark), text) }) {
		c.t.Fatalf("screen never showed %q; last output:\n%s", text, tail(c.out.read(), 3000))
	}
}

// waitJournal polls the journal until n attach attempts have an outcome.
func (c *counterTest) waitJournal(n int) {
	c.t.Helper()
	got := 0
	if !eventually(func() bool {
		b, _ := os.ReadFile(c.journal)
		got = strings.Count(string(b), `"action":"attach"`) - strings.Count(string(b), `"outcome":"attempt"`)
		return got >= n
	}) {
		c.t.Fatalf("journal has %d attach outcomes, want %d", got, n)
	}
}

// waitUntil polls the server's view of the seed order.
func (c *counterTest) waitUntil(what string, cond func(api.Order) bool) api.Order {
	c.t.Helper()
	return c.waitOrder(seedOrderID, what, cond)
}

// waitOrder polls the server's view of an order.
func (c *counterTest) waitOrder(orderID, what string, cond func(api.Order) bool) api.Order {
	c.t.Helper()
	var last api.Order
	if !eventually(func() bool {
		resp, err := c.client.GetOrder(c.t.Context(), orderID)
		if err != nil {
			return false
		}
		last = resp.Order
		return cond(last)
	}) {
		c.t.Fatalf("order never reached %s; last: %+v", what, last.Vouchers)
	}
	return last
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// scan sends a barcode the way a USB scanner does: one burst of runes.
func (c *counterTest) scan(barcode string) {
	c.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(barcode)})
}

func (c *counterTest) key(t tea.KeyType) { c.tm.Send(tea.KeyMsg{Type: t}) }

// final stops the program and returns its last model.
func (c *counterTest) final() Model {
	c.t.Helper()
	if err := c.tm.Quit(); err != nil {
		c.t.Fatal(err)
	}
	return c.tm.FinalModel(c.t, teatest.WithFinalTimeout(waitLong)).(observed).inner
}

// observed wraps the counter so tests can wait for the state they need
// instead of guessing from redrawn lines, which the renderer skips when a
// line ends up as it was.
type observed struct {
	inner Model
	state *observedState
}

type modelState struct {
	focus   focus
	barcode string
	pinLen  int
	status  status
	failed  int
	queued  int
	busy    bool
	updates int

	orderID     string
	orderStatus string
	orderGone   bool
	ended       string
	txn         string
	total       float64
	tickets     int
	voucherPaid int
	// remaining is what each attached voucher can still pay for, by
	// masked barcode; -1 when unknown.
	remaining map[string]int
	opened    int
	working   string
	removing  bool
	confirm   confirmKind
	panel     panelKind
	// rows and dirty describe the tickets panel; picked is the
	// number of showtimes the picker lists.
	rows   []string
	dirty  bool
	picked int
	// priced is set once the prices of every showtime of the order are in.
	priced bool
}

type observedState struct {
	mu sync.Mutex
	s  modelState
	// statuses is every announcement made, so a test can wait for one
	// that a later one has already replaced.
	statuses []string
}

func (o observed) Init() tea.Cmd { return o.inner.Init() }
func (o observed) View() string  { return o.inner.View() }

func (o observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := o.inner.Update(msg)
	o.inner = next.(Model)
	m := &o.inner
	s := modelState{
		focus: m.form.focus, barcode: m.form.barcode.Value(), pinLen: len(m.form.pin.Value()), status: m.status.status,
		failed: len(m.scans.failed), queued: len(m.scans.queue), busy: m.scans.inFlight != nil,
		orderID: m.orderID, orderGone: m.orderGone, opened: len(m.opened), working: m.working,
		removing: m.removing != nil, panel: m.panel, remaining: map[string]int{},
	}
	if m.status.confirm != nil {
		s.confirm = m.status.confirm.kind
	}
	if e := m.current(); e != nil {
		s.ended, s.txn = e.ended, e.txn
	}
	if o := m.order; o != nil {
		s.orderStatus, s.total = o.Status, o.TotalPrice.ValueIncludingTax
		s.priced = true
		for _, st := range o.Showtimes {
			if m.prices[st.ShowtimeID] == nil {
				s.priced = false
			}
			for _, t := range st.Tickets {
				s.tickets++
				if t.VoucherID != "" {
					s.voucherPaid++
				}
			}
		}
	}
	for _, v := range m.vouchers.items {
		s.remaining[v.MaskedBarcode] = m.vouchers.remaining(v.ID)
	}
	if p := m.tickets; p != nil {
		s.dirty = p.dirty()
		for _, r := range p.rows {
			s.rows = append(s.rows, r.typeID+"/"+r.voucherID)
		}
	}
	if p := m.picker; p != nil {
		s.picked = len(p.list)
	}
	o.state.mu.Lock()
	s.updates = o.state.s.updates + 1
	if m.status.text != "" && m.status.seq != o.state.s.status.seq {
		o.state.statuses = append(o.state.statuses, m.status.text)
	}
	o.state.s = s
	o.state.mu.Unlock()
	return o, cmd
}

// waitStatus waits until some announcement so far contained text.
func (c *counterTest) waitStatus(text string) {
	c.t.Helper()
	c.waitStatusSince(0, text)
}

// statusMark is how many announcements have been made so far.
func (c *counterTest) statusMark() int {
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	return len(c.state.statuses)
}

// waitStatusSince waits for an announcement after mark containing text.
func (c *counterTest) waitStatusSince(mark int, text string) {
	c.t.Helper()
	if eventually(func() bool {
		c.state.mu.Lock()
		defer c.state.mu.Unlock()
		return slices.ContainsFunc(c.state.statuses[mark:], func(st string) bool { return strings.Contains(st, text) })
	}) {
		return
	}
	c.state.mu.Lock()
	defer c.state.mu.Unlock()
	c.t.Fatalf("no announcement after #%d contained %q; last state %+v; announcements:\n%s", mark, text, c.state.s, strings.Join(c.state.statuses, "\n"))
}

// waitState polls the counter's state with a generous deadline.
func (c *counterTest) waitState(what string, cond func(modelState) bool) modelState {
	c.t.Helper()
	var last modelState
	if !eventually(func() bool {
		c.state.mu.Lock()
		last = c.state.s
		c.state.mu.Unlock()
		return cond(last)
	}) {
		c.t.Fatalf("counter never reached %s; last state %+v", what, last)
	}
	return last
}

func voucherCount(o api.Order, masked string) int {
	n := 0
	for _, v := range o.Vouchers {
		if v.MaskedBarcode == masked {
			n++
		}
	}
	return n
}

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

func TestScanLandingInPinFieldGoesAheadWithoutPin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.scan("ADTMM0001004")
	c.key(tea.KeyEnter)
	// The next voucher is scanned while the PIN field waits.
	c.scan("ADTMM0001005")
	c.key(tea.KeyEnter)
	c.key(tea.KeyEnter)
	c.waitUntil("both vouchers", func(o api.Order) bool { return len(o.Vouchers) == 2 })
	c.waitStatus("Attached AD......1005")
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

func TestRateLimitShowsWhenTheBlockEnds(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	c := startCounter(t, counterSetup{now: clock.Now})
	c.scan("ADTMM0000111")
	c.key(tea.KeyEnter)
	for i := range 4 {
		// After each refusal the scan is back in the form, waiting for
		// its PIN: the operator only retypes the PIN.
		c.tm.Type(fmt.Sprintf("000%d", i))
		c.key(tea.KeyEnter)
		c.waitJournal(i + 1)
		c.waitState("the scan back in the form", func(s modelState) bool {
			return !s.busy && s.queued == 0 && s.focus == focusPin && s.pinLen == 0 && s.barcode == "ADTMM0000111"
		})
		clock.Advance(4 * time.Second)
	}
	// The block is a minute from the fourth try; the screen shows the
	// operator's local time.
	blockEnds := clock.Now().Add(-4 * time.Second).Add(time.Minute).Local().Format("15:04")
	c.waitStatus("too many attempts")
	c.waitStatus("Try again at " + blockEnds)
	// Trying it again during the block sends nothing.
	c.tm.Type("1234")
	c.key(tea.KeyEnter)
	c.waitStatus("is blocked after too many attempts")
	c.waitFor("blocked until " + blockEnds)
	// The list counts down, and says when the block is over.
	clock.Advance(2 * time.Minute)
	c.waitFor("block ended, ctrl+r to retry")
	b, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"outcome":"attempt"`); n != 4 {
		t.Fatalf("journal shows %d attempts, want 4", n)
	}
}

func TestGoldenAttachedScreen(t *testing.T) {
	clock := testkit.NewClock(time.Now().Truncate(time.Second))
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
			if _, err, recordErr := j.Attach(t.Context(), client, seedOrderID, req, api.AttachPolicy{}); err != nil || recordErr != nil {
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
