package api_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/contract/contracttest"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/seating"
)

// The demo's showtime with manual seating, and its ticket types.
const (
	manualShowtime = "0001-2740"
	adultTT        = "0001-0050"
	adultMMTT      = "0001-0077"
)

// seatsClient is a client of the demo mock whose every exchange is held to
// the contract.
func seatsClient(t *testing.T) *api.Client {
	t.Helper()
	srv := httptest.NewServer(contracttest.Load(t).Exchanges(t, mock.New(mock.DefaultData(), mock.Options{})))
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL, GetRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newOrderWithPlan starts an order on the demo and reads the seat plan of
// its manual-seating showtime.
func newOrderWithPlan(t *testing.T) (*api.Client, string, *seating.Plan) {
	t.Helper()
	c := seatsClient(t)
	created, err := c.CreateOrder(context.Background(), "0001", api.BookingPaid)
	if err != nil {
		t.Fatal(err)
	}
	return c, created.Order.ID, planOf(t, c, created.Order.ID, manualShowtime)
}

// planOf reads a showtime's seats for an order, as a seat map does.
func planOf(t *testing.T, c *api.Client, orderID, showtimeID string) *seating.Plan {
	t.Helper()
	ctx := context.Background()
	layout, err := c.GetSeatLayout(ctx, showtimeID)
	if err != nil {
		t.Fatal(err)
	}
	avail, err := c.GetOrderSeatAvailability(ctx, orderID, showtimeID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.GetOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	var held []api.OrderSeat
	for _, st := range o.Order.Showtimes {
		if st.ShowtimeID == showtimeID {
			held = st.Seats
		}
	}
	p, err := seating.NewPlan(layout, avail, held)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// addAdultMovieMoney adds the demo's two-ticket Adult Movie Money voucher.
func addAdultMovieMoney(t *testing.T, c *api.Client, orderID string) *api.AddVoucherResponse {
	t.Helper()
	pin := "1234"
	added, err := c.AddVoucher(context.Background(), orderID, api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: manualShowtime,
		Credentials: api.VoucherCredentials{Barcode: "ADTMM0000111", Pin: &pin}})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func seatNames(o *api.OrderResponse, showtimeID string) []string {
	var names []string
	for _, st := range o.Order.Showtimes {
		if st.ShowtimeID == showtimeID {
			for _, s := range st.Seats {
				names = append(names, s.Name())
			}
		}
	}
	return names
}

// A voucher paying for one of two tickets on chosen seats: the tickets are
// set again through the call the counter makes, and the seats are where the
// customer chose them, read back from the server. Sent as the counter sent
// them before (seats null), the same change gives the seats up.
func TestVoucherPayingForATicketKeepsChosenSeats(t *testing.T) {
	ctx := context.Background()
	c, orderID, p := newOrderWithPlan(t)
	chosen := []int{}
	for _, name := range []string{"F12", "F13"} {
		s, err := p.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if chosen, err = p.Toggle(chosen, s); err != nil {
			t.Fatal(err)
		}
	}
	o, err := c.SetShowtime(ctx, orderID, manualShowtime, []api.TicketRequest{{TicketTypeID: adultTT}, {TicketTypeID: adultTT}}, api.ChooseSeats(p.IDs(chosen)...))
	if err != nil {
		t.Fatal(err)
	}
	if got := seatNames(o, manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Fatalf("chosen seats on the order: %v", got)
	}
	added := addAdultMovieMoney(t, c, orderID)
	tickets := o.Order.Showtimes[0].Tickets
	paid := []api.TicketRequest{{ID: tickets[0].ID, TicketTypeID: adultTT}, {ID: tickets[1].ID, TicketTypeID: adultMMTT, VoucherID: added.Voucher.ID}}
	if _, err := c.SetShowtimeTickets(ctx, orderID, manualShowtime, paid); err != nil {
		t.Fatal(err)
	}
	read, err := c.GetOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	if got := seatNames(read, manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Errorf("after the voucher paid for a ticket the order holds %v, want F12 and F13", got)
	}
	if ts := read.Order.Showtimes[0].Tickets; len(ts) != 2 || ts[1].VoucherID != added.Voucher.ID {
		t.Errorf("tickets = %+v", ts)
	}
	after := planOf(t, c, orderID, manualShowtime)
	if got := after.Names(after.Held()); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"F12", "F13"}) {
		t.Errorf("the seat map shows the order's seats at %v", got)
	}

	// What sending seats null does on this showtime: they are gone.
	gone, err := c.SetShowtime(ctx, orderID, manualShowtime, paid, api.AllocateSeats())
	if err != nil {
		t.Fatal(err)
	}
	if got := seatNames(gone, manualShowtime); got != nil {
		t.Errorf("seats null kept %v", got)
	}
}

// A seat refusal of the mock reaches the caller typed, with words that name
// the seat.
func TestSeatRefusalsFromTheMock(t *testing.T) {
	ctx := context.Background()
	c, orderID, p := newOrderWithPlan(t)
	id := func(name string) string {
		s, err := p.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return p.Seats[s].ID
	}
	adult := []api.TicketRequest{{TicketTypeID: adultTT}}
	tests := []struct {
		showtime string
		tickets  []api.TicketRequest
		seats    []string
		want     api.SeatProblem
	}{
		{manualShowtime, adult, []string{"nowhere"}, api.SeatUnknown},
		{manualShowtime, adult, []string{id("G8")}, api.SeatTaken},
		{manualShowtime, adult, []string{id("P3")}, api.SeatAreaNotAllowed},
		{manualShowtime, adult, []string{id("F12"), id("F13")}, api.SeatCountMismatch},
		{"0001-2681", adult, []string{id("F12")}, api.SeatingNotAllocated},
	}
	for _, tt := range tests {
		_, err := c.SetShowtime(ctx, orderID, tt.showtime, tt.tickets, api.ChooseSeats(tt.seats...))
		if got := api.SeatProblemOf(err); got != tt.want {
			t.Errorf("seats %v: %q (%v), want %q", tt.seats, got, err, tt.want)
		}
	}
	if _, err := c.GetSeatAvailability(ctx, "0001-2681"); api.SeatProblemOf(err) != api.SeatingNotAllocated {
		t.Errorf("availability of an unallocated showtime: %v", err)
	}
	added := addAdultMovieMoney(t, c, orderID)
	if _, err := c.SetShowtimeTickets(ctx, orderID, manualShowtime, []api.TicketRequest{{TicketTypeID: adultMMTT, VoucherID: added.Voucher.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteOrder(ctx, orderID); api.SeatProblemOf(err) != api.SeatAllocationFailed {
		t.Errorf("completing tickets without seats: %v", err)
	}
}
