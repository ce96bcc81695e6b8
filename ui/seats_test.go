package ui

// Seats at the counter through the fake backend: the map opening by
// itself, tickets that need other seats held back until they are chosen,
// and every seat refusal said in the operator's words with the map drawn
// again from fresh availability.

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
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
