package ui

// The harness the screen's tests share: a counter running in teatest against
// a fresh mock, what it drew, and its state observed after every message.

import (
	"bytes"
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

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	// Golden screens and screen assertions must not depend on the
	// terminal the tests run in.
	lipgloss.SetColorProfile(termenv.Ascii)
	// Nor on its time zone: the outcome list shows the time of day.
	time.Local = time.UTC
	os.Exit(m.Run())
}

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
	// clientOpts changes the counter's client options.
	clientOpts func(*api.Options)
	// before runs once the server and the journal exist, before the screen.
	before func(*api.Client, *journal.Journal)
	// ready is the text the screen shows once it has started; "" is the
	// order's total.
	ready string
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
	co := api.Options{BaseURL: srv.URL, Version: "test"}
	if setup.clientOpts != nil {
		setup.clientOpts(&co)
	}
	client, err := api.New(co)
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
	ready := setup.ready
	if ready == "" {
		ready = "Total"
	}
	ct.waitFor(ready)
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
		got = strings.Count(string(b), `"action":"attach"`) - strings.Count(string(b), `"outcome":"attempt"`) -
			strings.Count(string(b), `"outcome":"queued"`)
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
	// loading is set while the order is being read.
	loading bool
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

func (o observed) View() string { return o.inner.View() }

func (o observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := o.inner.Update(msg)
	o.inner = next.(Model)
	m := &o.inner
	s := modelState{
		focus: m.form.focus, barcode: m.form.barcode.Value(), pinLen: len(m.form.pin.Value()), status: m.status.status,
		failed: len(m.scans.failed), queued: len(m.scans.queue), busy: m.scans.inFlight != nil, loading: m.orderLoading,
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

// statusText is what the status line says now.
func (o *observedState) statusText() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.s.status.text
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

// waitLong is generous: these machines are shared and may be slow.
const waitLong = 20 * time.Second
