package ui

// The driver for flows through a fake backend: the screen is driven by
// messages only, as Bubble Tea drives it, one after the other. The fake
// records what the screen asked of the server and the journal; a test
// answers with the messages it chooses, moves the clock and fires timers by
// hand, and reads what the screen draws.

import (
	"context"
	"fmt"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/common"
)

// call is one call the screen asked of the backend.
type call struct {
	op      string
	orderID string
	seq     int
	scan    sending
	entries []journal.Entry
	tickets []api.TicketRequest
	seatIDs []string
	id      string
}

// fakeBackend records every call; answer, when set, answers a call at once
// with the message it returns (nil: the test answers later, or never).
type fakeBackend struct {
	calls  []call
	answer func(call) tea.Msg
	// unsynced holds the journal lines not yet on disk.
	unsynced map[uint64]bool
}

func (f *fakeBackend) record(c call) tea.Cmd {
	f.calls = append(f.calls, c)
	if f.answer == nil {
		return nil
	}
	if msg := f.answer(c); msg != nil {
		return func() tea.Msg { return msg }
	}
	return nil
}

// made lists the calls of an op.
func (f *fakeBackend) made(op string) []call {
	var out []call
	for _, c := range f.calls {
		if c.op == op {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeBackend) LoadOrder(orderID string, seq int, _, _ bool) tea.Cmd {
	return f.record(call{op: "load", orderID: orderID, seq: seq})
}
func (f *fakeBackend) CreateOrder(siteID string, seq int) tea.Cmd {
	return f.record(call{op: "create", id: siteID, seq: seq})
}
func (f *fakeBackend) LoadShowtime(id string) tea.Cmd { return f.record(call{op: "showtime", id: id}) }
func (f *fakeBackend) LoadPrices(id string) tea.Cmd   { return f.record(call{op: "prices", id: id}) }
func (f *fakeBackend) ListShowtimes(siteID, date string, seq int) tea.Cmd {
	return f.record(call{op: "list", id: siteID + " " + date, seq: seq})
}
func (f *fakeBackend) SetTickets(orderID, showtimeID string, tickets []api.TicketRequest, seq int, _ string) tea.Cmd {
	return f.record(call{op: "tickets", orderID: orderID, id: showtimeID, tickets: tickets, seq: seq})
}
func (f *fakeBackend) SetSeats(orderID, showtimeID string, tickets []api.TicketRequest, seatIDs, names []string, seq int, _ string) tea.Cmd {
	return f.record(call{op: "seats", orderID: orderID, id: showtimeID, tickets: tickets, seatIDs: seatIDs, seq: seq})
}
func (f *fakeBackend) LoadSeats(orderID, showtimeID string, seq int) tea.Cmd {
	return f.record(call{op: "seatmap", orderID: orderID, id: showtimeID, seq: seq})
}
func (f *fakeBackend) Attach(orderID string, s sending, _ []string, _ bool) tea.Cmd {
	return f.record(call{op: "attach", orderID: orderID, scan: s})
}
func (f *fakeBackend) Synced(line uint64) bool { return !f.unsynced[line] }
func (f *fakeBackend) Sync() tea.Cmd           { return f.record(call{op: "sync"}) }
func (f *fakeBackend) Remove(orderID string, v api.OrderVoucher, _ []showtimeRelease, seq int) tea.Cmd {
	return f.record(call{op: "remove", orderID: orderID, id: v.ID, seq: seq})
}
func (f *fakeBackend) Cancel(orderID string) tea.Cmd {
	return f.record(call{op: "cancel", orderID: orderID})
}
func (f *fakeBackend) Complete(orderID string) tea.Cmd {
	return f.record(call{op: "complete", orderID: orderID})
}
func (f *fakeBackend) FollowCompletion(orderID string) tea.Cmd {
	return f.record(call{op: "follow", orderID: orderID})
}
func (f *fakeBackend) Note(entries ...journal.Entry) tea.Cmd {
	return f.record(call{op: "note", entries: entries})
}
func (f *fakeBackend) KeepAlive(bool) tea.Cmd { return nil }

// timer is a timer the screen set; it fires when the clock passes at.
type timer struct {
	at  time.Time
	msg tea.Msg
}

type driver struct {
	t       *testing.T
	m       *Model
	backend *fakeBackend
	clock   *testkit.Clock
	timers  []timer
	quit    bool
	// said is every text the screen said, checked against the reference
	// when the test ends.
	said *saidLog
}

// newDriver builds the screen on a fake backend, at 80x24, with its clock
// stopped at 18:00 on a Saturday.
func newDriver(t *testing.T, change func(*Options)) *driver {
	t.Helper()
	d := &driver{t: t, backend: &fakeBackend{unsynced: map[uint64]bool{}}, clock: testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)), said: newSaidLog()}
	t.Cleanup(func() { d.said.checkDocumented(t) })
	opts := Options{Backend: d.backend, OrderID: seedOrderID, SiteID: "0001", Demo: true, Version: "test", Now: d.clock.Now}
	if change != nil {
		change(&opts)
	}
	d.m = New(opts)
	d.m.run.ctx.After = func(wait time.Duration, msg tea.Msg) tea.Cmd {
		d.timers = append(d.timers, timer{at: d.clock.Now().Add(wait), msg: msg})
		return nil
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.run(d.m.Init())
	return d
}

// send gives the screen a message, and runs what it asks for in turn.
func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	if planted, ok := msg.(common.AnnounceMsg); ok {
		d.said.plant(planted.Text)
	}
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		_, cmd := d.m.Update(next)
		d.said.take(d.m)
		queue = append(queue, d.collect(cmd)...)
	}
}

// run runs a command and what follows from it.
func (d *driver) run(cmd tea.Cmd) {
	for _, msg := range d.collect(cmd) {
		d.send(msg)
	}
}

// collect runs a command and returns the messages it gives. Every command
// of the screen is a backend call (the fake's answer, or nothing), a timer
// (the driver's, which returns nothing), an intent, or a batch of those:
// none of them waits.
func (d *driver) collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, d.collect(c)...)
		}
		return out
	case tea.QuitMsg:
		d.quit = true
		return nil
	}
	// tea.Sequence's message is unexported: a slice of commands, run in
	// order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, d.collect(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// advance moves the clock on and fires the timers that came due, in time
// order.
func (d *driver) advance(by time.Duration) {
	d.t.Helper()
	d.clock.Advance(by)
	for {
		due := -1
		for i, tm := range d.timers {
			if !tm.at.After(d.clock.Now()) && (due < 0 || tm.at.Before(d.timers[due].at)) {
				due = i
			}
		}
		if due < 0 {
			return
		}
		msg := d.timers[due].msg
		d.timers = append(d.timers[:due], d.timers[due+1:]...)
		d.send(msg)
	}
}

// key sends a key; scan sends a barcode as one burst, as a scanner does.
func (d *driver) key(t tea.KeyType) { d.send(tea.KeyMsg{Type: t}) }
func (d *driver) scan(text string)  { d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text)}) }
func (d *driver) typed(text string) {
	for _, r := range text {
		d.clock.Advance(150 * time.Millisecond)
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// screen is what the screen shows now.
func (d *driver) screen() string { return plain(d.m.View()) }

// status is what the status line says now.
func (d *driver) status() string { return squeezed(d.m.run.status.Text()) }

// mustShow fails the test unless the screen shows every text.
func (d *driver) mustShow(texts ...string) {
	d.t.Helper()
	screen := d.screen()
	for _, text := range texts {
		if !shows(screen, text) {
			d.t.Fatalf("the screen does not show %q:\n%s", text, screen)
		}
	}
}

// mustNotShow fails the test if the screen shows any text.
func (d *driver) mustNotShow(texts ...string) {
	d.t.Helper()
	screen := d.screen()
	for _, text := range texts {
		if shows(screen, text) {
			d.t.Fatalf("the screen shows %q:\n%s", text, screen)
		}
	}
}

// demo holds the demo world's answers, read once from the mock through the
// client, so that the fake answers as the server does.
var demo struct {
	once     sync.Once
	orders   map[string]*api.OrderResponse
	showtime map[string]*api.ShowtimeResponse
	prices   map[string]*api.TicketPricesResponse
	// layout and avail are the seats of the manual-seating showtime.
	layout *api.SeatLayoutResponse
	avail  *api.SeatAvailabilityResponse
}

// demoAnswers reads the seed order, and the names and prices of the demo's
// showtimes, from a fresh mock.
func demoAnswers(t *testing.T) {
	t.Helper()
	demo.once.Do(func() {
		srv := httptest.NewServer(mock.New(mock.DefaultData(), mock.Options{}))
		defer srv.Close()
		client, err := api.New(api.Options{BaseURL: srv.URL, Version: "test"})
		if err != nil {
			panic(err)
		}
		ctx := context.Background()
		demo.orders = map[string]*api.OrderResponse{}
		for _, id := range []string{seedOrderID, emptyOrderID, shortOrderID, twoShowtimesOrderID} {
			o, err := client.GetOrder(ctx, id)
			if err != nil {
				panic(err)
			}
			demo.orders[id] = o
		}
		demo.showtime, demo.prices = map[string]*api.ShowtimeResponse{}, map[string]*api.TicketPricesResponse{}
		ids := []string{"0001-2681", "0001-2690", "0001-2700", manualSeatingShowtime}
		for _, o := range demo.orders {
			for _, st := range o.Order.Showtimes {
				ids = append(ids, st.ShowtimeID)
			}
		}
		for _, id := range ids {
			if st, err := client.GetShowtime(ctx, id); err == nil {
				demo.showtime[id] = st
			}
			if p, err := client.GetTicketPrices(ctx, id); err == nil {
				demo.prices[id] = p
			}
		}
		if demo.layout, err = client.GetSeatLayout(ctx, manualSeatingShowtime); err != nil {
			panic(err)
		}
		if demo.avail, err = client.GetSeatAvailability(ctx, manualSeatingShowtime); err != nil {
			panic(err)
		}
	})
}

// manualSeatingShowtime is the demo's showtime whose seats are chosen at
// the counter.
const manualSeatingShowtime = "0001-2740"

// seatedOrder is the seed order as if it held two adults on the
// manual-seating showtime, with the seats named, or none.
func seatedOrder(t *testing.T, seats ...string) *api.OrderResponse {
	o := demoOrder(t, seedOrderID)
	st := api.OrderShowtime{ShowtimeID: manualSeatingShowtime}
	for i := range 2 {
		st.Tickets = append(st.Tickets, api.Ticket{ID: fmt.Sprintf("t%d", i), TicketTypeID: "0001-0050", Price: api.MonetaryValue{ValueIncludingTax: 19.5}})
	}
	for _, name := range seats {
		st.Seats = append(st.Seats, api.OrderSeat{SeatID: seatIDOf(t, name), RowLabel: name[:1], SeatLabel: name[1:]})
	}
	o.Order.Showtimes = []api.OrderShowtime{st}
	o.Order.TotalPrice = api.MonetaryValue{ValueIncludingTax: 39}
	return o
}

// seatIDOf is the id of a seat of the manual-seating showtime by its name.
func seatIDOf(t *testing.T, name string) string {
	for _, a := range demo.layout.SeatLayout.Areas {
		for _, r := range a.Rows {
			for _, s := range r.Seats {
				if r.Label+s.Label == name {
					return s.ID
				}
			}
		}
	}
	t.Fatalf("no seat %s in the layout", name)
	return ""
}

// seedOrder is the demo's first order: one showtime, two adults and a child.
func seedOrder(t *testing.T) *api.OrderResponse { return demoOrder(t, seedOrderID) }

// demoOrder is one of the demo's orders as the server answers it.
func demoOrder(t *testing.T, id string) *api.OrderResponse {
	t.Helper()
	demoAnswers(t)
	o, ok := demo.orders[id]
	if !ok {
		t.Fatalf("no demo order %s", id)
	}
	c := *o
	return &c
}

// demoBackend answers the reads of the demo world at once, orders as order
// gives them (nil: as the demo has them); everything else waits for the
// test.
func demoBackend(t *testing.T, order func(id string) *api.OrderResponse) func(call) tea.Msg {
	demoAnswers(t)
	if order == nil {
		order = func(id string) *api.OrderResponse { return demoOrder(t, id) }
	}
	return func(c call) tea.Msg {
		switch c.op {
		case "load":
			return orderLoadedMsg{orderID: c.orderID, seq: c.seq, resp: order(c.orderID)}
		case "showtime":
			if st, ok := demo.showtime[c.id]; ok {
				return showtimeLoadedMsg{id: c.id, resp: st}
			}
		case "prices":
			if p, ok := demo.prices[c.id]; ok {
				return pricesLoadedMsg{showtimeID: c.id, resp: p}
			}
		case "seatmap":
			return seatsLoadedMsg{orderID: c.orderID, showtimeID: c.id, seq: c.seq, layout: demo.layout, avail: demo.avail}
		}
		return nil
	}
}

// loaded is a driver on the seed order, its reads answered as the demo's
// server answers them.
func loaded(t *testing.T, change func(*Options)) *driver {
	t.Helper()
	d := newDriver(t, change)
	d.backend.answer = demoBackend(t, nil)
	id := d.m.cust.orderID
	d.send(orderLoadedMsg{orderID: id, seq: d.lastCall("load").seq, resp: demoOrder(t, id)})
	return d
}

func (d *driver) lastCall(op string) call {
	d.t.Helper()
	calls := d.backend.made(op)
	if len(calls) == 0 {
		d.t.Fatalf("the screen made no %s call; calls: %+v", op, d.backend.calls)
	}
	return calls[len(calls)-1]
}
