package seatmap

import (
	"context"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/seating/seatingtest"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// The demo's showtime with manual seating (Screen 4: Stalls of Standard,
// Premium rows whose last is sofas), and its ticket types.
const (
	demoShowtime = "0001-2740"
	adult        = "0001-0050"
	premiumAdult = "0001-0060"
)

// demo is an order on the demo mock's manual-seating showtime.
type demo struct {
	t       *testing.T
	client  *api.Client
	orderID string
}

func newDemo(t *testing.T) *demo {
	t.Helper()
	srv := httptest.NewServer(mock.New(mock.DefaultData(), mock.Options{}))
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL, GetRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return &demo{t: t, client: c, orderID: newOrder(t, c)}
}

// demoWith is a demo order holding tickets of these types, on these seats
// or on none.
func demoWith(t *testing.T, types []string, seats ...string) *demo {
	t.Helper()
	d := newDemo(t)
	if err := d.tickets(d.orderID, types, seats...); err != nil {
		t.Fatal(err)
	}
	return d
}

func newOrder(t *testing.T, c *api.Client) string {
	t.Helper()
	o, err := c.CreateOrder(context.Background(), "0001", api.BookingPaid)
	if err != nil {
		t.Fatal(err)
	}
	return o.Order.ID
}

// tickets sets the order's tickets of these types, on these seats (names,
// as many as the tickets) or on none.
func (d *demo) tickets(orderID string, types []string, seats ...string) error {
	d.t.Helper()
	req := make([]api.TicketRequest, len(types))
	for i, tt := range types {
		req[i] = api.TicketRequest{TicketTypeID: tt}
	}
	choice := api.KeepSeats()
	if len(seats) > 0 {
		p := d.plan(orderID)
		ids := make([]string, len(seats))
		for i, name := range seats {
			ids[i] = p.Seats[seatOf(d.t, p, name)].ID
		}
		choice = api.ChooseSeats(ids...)
	}
	_, err := d.client.SetShowtime(context.Background(), orderID, demoShowtime, req, choice)
	return err
}

// plan reads the showtime's seats for an order, as the counter does.
func (d *demo) plan(orderID string) *seating.Plan {
	d.t.Helper()
	ctx := context.Background()
	layout, err := d.client.GetSeatLayout(ctx, demoShowtime)
	if err != nil {
		d.t.Fatal(err)
	}
	avail, err := d.client.GetOrderSeatAvailability(ctx, orderID, demoShowtime)
	if err != nil {
		d.t.Fatal(err)
	}
	o, err := d.client.GetOrder(ctx, orderID)
	if err != nil {
		d.t.Fatal(err)
	}
	var held []api.OrderSeat
	for _, st := range o.Order.Showtimes {
		if st.ShowtimeID == demoShowtime {
			held = st.Seats
		}
	}
	p, err := seating.NewPlan(layout, avail, held)
	if err != nil {
		d.t.Fatal(err)
	}
	return p
}

// need is what the order's tickets need, read from the server as the
// counter reads it.
func (d *demo) need(orderID string) seating.Need {
	d.t.Helper()
	ctx := context.Background()
	st, err := d.client.GetShowtime(ctx, demoShowtime)
	if err != nil {
		d.t.Fatal(err)
	}
	prices, err := d.client.GetTicketPrices(ctx, demoShowtime)
	if err != nil {
		d.t.Fatal(err)
	}
	o, err := d.client.GetOrder(ctx, orderID)
	if err != nil {
		d.t.Fatal(err)
	}
	for _, ost := range o.Order.Showtimes {
		if ost.ShowtimeID == demoShowtime {
			return seating.SeatsNeededFor(st.Showtime, ost, seating.TicketAreasOf(prices))
		}
	}
	return seating.Need{}
}

// open opens the map for the order at width x height.
func (d *demo) open(width, height int) *Map {
	d.t.Helper()
	m := New(commontest.New().Ctx, d.plan(d.orderID), d.need(d.orderID))
	m.SetSize(width, height)
	return m
}

func seatOf(t testing.TB, p *seating.Plan, name string) int {
	t.Helper()
	s, err := p.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func repeat(n int, tt string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = tt
	}
	return out
}

// synthetic is a map of seatingtest's auditorium of about n seats, all
// free, for tickets of any area.
func synthetic(t testing.TB, n int, need seating.Need) *Map {
	t.Helper()
	l := seatingtest.Auditorium(n)
	p, err := seating.NewPlan(l, seatingtest.AllFree(l), nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(commontest.New().Ctx, p, need)
}

func press(m *Map, keys ...tea.KeyType) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		cmd = m.Update(tea.KeyMsg{Type: k})
	}
	return cmd
}

// typeKeys types text one key at a time, as a person does.
func typeKeys(m *Map, text string) {
	for _, r := range text {
		m.Update(commontest.Runes(string(r)))
	}
}

func lines(m *Map) []string { return strings.Split(m.View(), "\n") }

// status is the map's last line: what is typed, the last outcome, or the
// seat under the cursor.
func status(m *Map) string {
	ls := lines(m)
	return ls[len(ls)-1]
}

// said is the whole of the map's drawing as one line of words, for
// outcomes that wrap.
func said(m *Map) string { return strings.Join(strings.Fields(m.View()), " ") }

var cursorCell = regexp.MustCompile(`\[(\S)\]`)

// cursor is where the operator sees the cursor: the label of the row it is
// on and the symbol between its brackets; "" when it is not in view.
func cursor(m *Map) (row, symbol string) {
	for _, line := range lines(m) {
		if c := cursorCell.FindStringSubmatch(line); c != nil {
			return strings.Fields(strings.TrimLeft(line, "↑↓ "))[0], c[1]
		}
	}
	return "", ""
}

// rowLine is the map's line of a row (its label at both ends).
func rowOf(t *testing.T, m *Map, label string) string {
	t.Helper()
	for _, line := range lines(m) {
		f := strings.Fields(strings.TrimLeft(line, "↑↓ "))
		if len(f) > 1 && f[0] == label && f[len(f)-1] == label {
			return line
		}
	}
	t.Fatalf("no row %s in view:\n%s", label, m.View())
	return ""
}

func header(m *Map) string { return lines(m)[0] }

// plus is need with n more tickets of area category cat.
func plus(need seating.Need, cat string, n int) seating.Need {
	out := seating.Need{Total: need.Total + n, ByCategory: map[string]int{cat: n}}
	for c, k := range need.ByCategory {
		out.ByCategory[c] += k
	}
	return out
}
