package ui

// Seats at the counter through the fake backend: the map opening by
// itself, tickets that need other seats held back until they are chosen,
// and every seat refusal said in the operator's words with the map drawn
// again from fresh availability.

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
)

// seatingDriver is the counter on an order whose two adults on the
// manual-seating showtime hold the seats named, or none.
func seatingDriver(t *testing.T, seats ...string) *driver {
	t.Helper()
	d := newDriver(t, func(o *Options) { o.PinPrompt = PinNever })
	d.backend.answer = demoBackend(t, func(string) *api.OrderResponse { return seatedOrder(t, seats...) })
	d.send(orderLoadedMsg{orderID: seedOrderID, seq: d.lastCall("load").seq, resp: seatedOrder(t, seats...)})
	return d
}

func TestTheMapOpensForTicketsWithoutSeats(t *testing.T) {
	d := seatingDriver(t)
	d.mustShow("Seats · 2 seats for 2 Standard tickets: 0 chosen", "have no seat: the server allocated none")
	d.key(tea.KeyEsc)
	d.mustShow("2 tickets of 22:40 The Long Night still without a seat: ctrl+s chooses them", "no seats yet", "2 seats to choose: ctrl+s")
	// Closed on these tickets, it does not open again by itself.
	d.send(orderLoadedMsg{orderID: seedOrderID, seq: 1 << 20, resp: seatedOrder(t)})
	d.mustNotShow("Seats · ")
	d.key(tea.KeyCtrlS)
	d.mustShow("Seats · 2 seats for 2")
}

func TestSeatsHeldOpenNoMap(t *testing.T) {
	d := seatingDriver(t, "F12", "F13")
	d.mustNotShow("Seats · ")
	d.mustShow("seats F12 F13")
}

// Each refusal the server may give for seats is said as what it means at
// the counter, and the map, still open, is drawn again from a fresh
// reading of the seats.
func TestSeatRefusalsAreSaidAndTheMapRedrawn(t *testing.T) {
	for _, p := range []api.SeatProblem{api.SeatTaken, api.SeatAreaNotAllowed, api.SeatAllocationFailed, api.SeatingNotAllocated, api.SeatCountMismatch, api.SeatUnknown} {
		t.Run(string(p), func(t *testing.T) {
			d := seatingDriver(t)
			d.typed("F12")
			d.key(tea.KeyEnter)
			d.typed("F13")
			d.key(tea.KeyEnter)
			d.key(tea.KeyF7)
			sent := d.lastCall("seats")
			if len(sent.seatIDs) != 2 || len(sent.tickets) != 2 {
				t.Fatalf("sent %+v, want two tickets on two seats", sent)
			}
			reads := len(d.backend.made("seatmap"))
			d.send(ticketsSetMsg{orderID: seedOrderID, showtimeID: manualSeatingShowtime, seq: sent.seq, seats: []string{"F12", "F13"}, tickets: sent.tickets,
				err: &api.Error{Op: api.OpSetTickets, Kind: api.KindRejected, Status: 400, Seat: p, Message: "Seat F13 is not available."}})
			d.mustShow("Seats not taken: "+p.Explain(), "Seats · ")
			if got := len(d.backend.made("seatmap")); got != reads+1 {
				t.Fatalf("the seats were read %d times after the refusal, want once", got-reads)
			}
		})
	}
}

// A ticket change that needs more seats than the order holds is not sent
// alone (the server would refuse it): the map opens, and the tickets go
// with the seats chosen for them.
func TestTicketsThatNeedMoreSeatsGoWithThem(t *testing.T) {
	d := seatingDriver(t, "F12", "F13")
	d.key(tea.KeyF4)
	d.key(tea.KeyRight) // a third adult
	d.key(tea.KeyF7)
	if n := len(d.backend.made("tickets")); n != 0 {
		t.Fatalf("%d ticket changes sent without their seats", n)
	}
	d.mustShow("These tickets need 3 seats and the order holds 2", "Seats · 3 seats for 3 Standard tickets: 2 chosen")
	d.typed("F14")
	d.key(tea.KeyEnter)
	d.key(tea.KeyF7)
	sent := d.lastCall("seats")
	if len(sent.tickets) != 3 || len(sent.seatIDs) != 3 {
		t.Fatalf("sent %d tickets on %d seats, want 3 on 3", len(sent.tickets), len(sent.seatIDs))
	}
}

// A seat another order takes while the map is open: the server refuses the
// choice, the counter says so, and the map, read again, shows the seat
// taken and no longer chosen.
func TestASeatTakenMeanwhileIsSaidOnTheMap(t *testing.T) {
	const orderID = "5ea700000000400080000000000000b1"
	d := mock.DefaultData()
	two := []mock.OrderTicket{{TicketTypeID: "0001-0050"}, {TicketTypeID: "0001-0050"}}
	d.Orders = append(d.Orders, mock.Order{ID: orderID, SiteID: "0001", BookingMode: "Paid", ExpiresInSeconds: 1800,
		Showtimes: []mock.OrderShowtime{{ShowtimeID: manualSeatingShowtime, Tickets: two}}})
	c := startCounter(t, counterSetup{data: d, now: saturdayEvening().Now, ready: "Seats · 2 seats for 2",
		opts: func(o *Options) { o.OrderID = orderID }})
	for _, name := range []string{"F12", "F13"} {
		c.typed(name)
		c.key(tea.KeyEnter)
	}
	c.waitFor("2 chosen (F13, F12)")

	other, err := c.client.CreateOrder(t.Context(), "0001", api.BookingPaid)
	if err != nil {
		t.Fatal(err)
	}
	layout, err := c.client.GetSeatLayout(t.Context(), manualSeatingShowtime)
	if err != nil {
		t.Fatal(err)
	}
	f13 := ""
	for _, a := range layout.SeatLayout.Areas {
		for _, r := range a.Rows {
			for _, s := range r.Seats {
				if r.Label+s.Label == "F13" {
					f13 = s.ID
				}
			}
		}
	}
	if _, err := c.client.SetShowtime(t.Context(), other.Order.ID, manualSeatingShowtime,
		[]api.TicketRequest{{TicketTypeID: "0001-0050"}}, api.ChooseSeats(f13)); err != nil {
		t.Fatal(err)
	}

	c.key(tea.KeyF7)
	c.waitFor("Seats not taken: a seat was taken by someone else meanwhile")
	s := c.waitScreen("the map read again", func(s string) bool { return strings.Contains(squeezed(s), "F13 is no longer free") })
	if !strings.Contains(s, "1 chosen (F12)") {
		t.Fatalf("after the refusal the map does not hold F12 alone:\n%s", s)
	}
}

// A voucher scanned while the map is open goes to the scan form whole,
// and is sent; the map keeps its choice.
func TestAScanWhileTheMapIsOpenAttaches(t *testing.T) {
	d := seatingDriver(t)
	d.typed("F12")
	d.key(tea.KeyEnter)
	d.scan("ADTMM0001001")
	d.key(tea.KeyEnter)
	if s := d.lastCall("attach").scan; s.Barcode != "ADTMM0001001" {
		t.Fatalf("sent %q, want the barcode scanned whole", s.Barcode)
	}
	d.mustShow("Seats · 2 seats for 2 Standard tickets: 1 chosen (F12)")
	d.send(attached(d.lastCall("attach").scan, "v1", 0))
	// Key by key, as a slow scanner or a person types it: the letters the
	// map took for the start of a seat's name go with the rest.
	d.typed("ADTMM0001002")
	d.key(tea.KeyEnter)
	if s := d.lastCall("attach").scan; s.Barcode != "ADTMM0001002" {
		t.Fatalf("sent %q, want the barcode typed whole", s.Barcode)
	}
}
