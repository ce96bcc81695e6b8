package ui

// The harness for whole flows: a counter running in teatest against a fresh
// mock through the real backend (desk and the client), observed only where
// an operator would look: the screen it draws, the server's state, and the
// journal it writes.

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

const seedOrderID = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

// waitLong is generous: these machines are shared and may be slow.
const waitLong = 20 * time.Second

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
	screens *screenLog
	// out is every byte the program wrote to its terminal.
	out     *outputLog
	journal string
	tm      *teatest.TestModel
	client  *api.Client
	server  *httptest.Server
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

// snapshot is every call so far.
func (l *callLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls)
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
	// unfinished is what the last run left, as the counter reads it at start.
	unfinished func() []journal.Line
	// noJournal runs the counter without a journal.
	noJournal bool
	// ready is the text the screen shows once it has started; "" is the
	// order's total.
	ready string
	// cols and rows are the window's size; 0 is 80x24.
	cols, rows int
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
	var j *journal.Journal
	if !setup.noJournal {
		if j, err = journal.Open(journalPath); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { j.Close() })
	}
	if setup.before != nil {
		setup.before(client, j)
	}
	opts := Options{
		Backend: NewLive(t.Context(), desk.New(client, j), setup.unfinished, 0),
		OrderID: seedOrderID,
		SiteID:  "0001",
		Demo:    true,
		Version: "test",
		Now:     now,
	}
	if setup.opts != nil {
		setup.opts(&opts)
	}
	cols, rows := setup.cols, setup.rows
	if cols == 0 {
		cols, rows = 80, 24
	}
	screens, said := &screenLog{}, newSaidLog()
	tm := teatest.NewTestModel(t, observed{inner: New(opts), screens: screens, said: said}, teatest.WithInitialTermSize(cols, rows))
	ct := &counterTest{t: t, journal: journalPath, screens: screens, out: &outputLog{r: tm.Output()}, tm: tm, client: client, server: srv, calls: calls}
	t.Cleanup(func() { _ = tm.Quit() })
	t.Cleanup(func() { said.checkDocumented(t) })
	ready := setup.ready
	if ready == "" {
		ready = "Total"
	}
	ct.waitFor(ready)
	return ct
}

// observed wraps the counter so tests can wait for what it draws: every
// screen it drew after a message, as plain text. The renderer skips lines
// that end up as they were, so its output alone cannot say what is on
// screen now.
type observed struct {
	inner   *Model
	screens *screenLog
	said    *saidLog
}

func (o observed) Init() tea.Cmd { return o.inner.Init() }

func (o observed) View() string { return o.inner.View() }

func (o observed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := o.inner.Update(msg)
	o.screens.add(plain(o.inner.View()))
	o.said.take(o.inner)
	return o, cmd
}

// plain is a frame as the operator reads it: no escape sequences (the bell,
// the clipboard), and no spaces at the ends of lines.
func plain(frame string) string {
	lines := strings.Split(ansi.Strip(frame), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// outputLog keeps everything the program wrote to its terminal: what only
// a terminal hears (the bell, the clipboard) is in there.
type outputLog struct {
	mu  sync.Mutex
	r   io.Reader
	buf bytes.Buffer
}

func (o *outputLog) read() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	chunk := make([]byte, 64*1024)
	for {
		n, err := o.r.Read(chunk)
		o.buf.Write(chunk[:n])
		if n == 0 || err != nil {
			break
		}
	}
	return o.buf.String()
}

// screenLog keeps every screen the counter drew.
type screenLog struct {
	mu     sync.Mutex
	frames []string
}

func (s *screenLog) add(frame string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.frames); n > 0 && s.frames[n-1] == frame {
		return
	}
	s.frames = append(s.frames, frame)
}

// now is the screen as it stands.
func (s *screenLog) now() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.frames) == 0 {
		return ""
	}
	return s.frames[len(s.frames)-1]
}

// mark is how many screens were drawn so far.
func (s *screenLog) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.frames)
}

// since are the screens drawn after mark.
func (s *screenLog) since(mark int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.frames[min(mark, len(s.frames)):])
}

// eventually polls ok with a generous deadline; it reports whether ok came
// true, so each caller can say what it last saw.
func eventually(ok func() bool) bool { return testkit.Eventually(waitLong, 5*time.Millisecond, ok) }

// waitFor waits until some screen drawn so far showed text.
func (c *counterTest) waitFor(text string) { c.t.Helper(); c.waitForSince(0, text) }

// waitForSince waits until a screen drawn after mark showed text (in one
// line, or wrapped over several).
func (c *counterTest) waitForSince(mark int, text string) {
	c.t.Helper()
	if !eventually(func() bool {
		return slices.ContainsFunc(c.screens.since(mark), func(s string) bool { return shows(s, text) })
	}) {
		c.t.Fatalf("screen never showed %q; the screen now:\n%s", text, c.screens.now())
	}
}

// waitScreen waits until the screen as it stands meets ok, and returns it.
func (c *counterTest) waitScreen(what string, ok func(screen string) bool) string {
	c.t.Helper()
	var last string
	if !eventually(func() bool { last = c.screens.now(); return ok(last) }) {
		c.t.Fatalf("the screen never showed %s; the screen now:\n%s", what, last)
	}
	return last
}

// shows reports whether a screen shows text, in one line or wrapped over
// several.
func shows(screen, text string) bool {
	return strings.Contains(screen, text) || strings.Contains(squeezed(screen), squeezed(text))
}

var spaces = regexp.MustCompile(`\s+`)

// squeezed joins a screen's lines and runs of spaces, so that a sentence the
// status line wrapped reads whole.
func squeezed(s string) string { return spaces.ReplaceAllString(strings.TrimSpace(s), " ") }

// statusLines is the status line as it stands: the lines between the form
// and the help bar.
func statusText(screen string) string {
	lines := strings.Split(screen, "\n")
	form := -1
	for i, l := range lines {
		if strings.Contains(l, "Type ") && strings.Contains(l, "(F2)") || strings.Contains(l, "Type ") && strings.Contains(l, "· pinned") || strings.Contains(l, "Type ") && strings.Contains(l, "this scan") {
			form = i
		}
	}
	if form < 0 || form+1 >= len(lines)-1 {
		return ""
	}
	end := len(lines) - 1
	if strings.Contains(lines[end-1], " • ") || strings.Contains(lines[end-1], "ctrl+c") {
		end--
	}
	start := form + 1
	if strings.Contains(lines[start], "Showtime ") && !strings.HasPrefix(strings.TrimSpace(lines[start]), "✓") {
		start++
	}
	return squeezed(strings.Join(lines[start:end], " "))
}

// waitJournal polls the journal until n attach attempts have an outcome.
func (c *counterTest) waitJournal(n int) {
	c.t.Helper()
	got := 0
	if !eventually(func() bool {
		// Counted in the raw file: the journal's reader weighs every line,
		// and this is polled.
		b, _ := os.ReadFile(c.journal)
		got = bytes.Count(b, []byte(`"action":"attach"`)) - bytes.Count(b, []byte(`"outcome":"attempt"`)) -
			bytes.Count(b, []byte(`"outcome":"queued"`))
		return got >= n
	}) {
		c.t.Fatalf("journal has %d attach outcomes, want %d", got, n)
	}
}

func readJournal(t *testing.T, path string) []journal.Entry {
	t.Helper()
	log, err := journal.Read(path, time.Time{})
	if err != nil {
		return nil
	}
	out := make([]journal.Entry, len(log.Lines))
	for i, l := range log.Lines {
		out[i] = l.Entry
	}
	return out
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
		c.t.Fatalf("order never reached %s; last: %+v; the screen:\n%s", what, last, c.screens.now())
	}
	return last
}

// scan sends a barcode the way a USB scanner does: one burst of runes.
func (c *counterTest) scan(barcode string) {
	c.tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(barcode)})
}

func (c *counterTest) key(t tea.KeyType) { c.tm.Send(tea.KeyMsg{Type: t}) }

// typed sends text one key at a time, as a person types.
func (c *counterTest) typed(text string) { c.tm.Type(text) }

// attach scans a barcode and gives its PIN ("" for none).
func (c *counterTest) attach(barcode, pin string) {
	c.scan(barcode)
	c.key(tea.KeyEnter)
	if pin != "" {
		c.typed(pin)
	}
	c.key(tea.KeyEnter)
}

// quit stops the program.
func (c *counterTest) quit() {
	c.t.Helper()
	if err := c.tm.Quit(); err != nil {
		c.t.Fatal(err)
	}
	c.tm.WaitFinished(c.t, teatest.WithFinalTimeout(waitLong))
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

// rowOf is the voucher list's row of a masked barcode, "" when not listed.
func rowOf(screen, masked string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, masked) && strings.Contains(l, " left") {
			return l
		}
	}
	return ""
}
