package e2e

// Sales on the demo's showtimes with allocated seating, one per allocation
// mode, at the counter in a real terminal; what the order holds is read
// back from the mock's state.

import (
	"slices"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
)

// Seed orders of the seating tests, each on one of the demo's allocated
// showtimes.
const (
	manualOrder    = "5ea700000000400080000000000000a1"
	autoFailsOrder = "5ea700000000400080000000000000a2"
	autoOrder      = "5ea700000000400080000000000000a3"
	adultTicket    = "0001-0050"
	keyCtrlS       = "\x13"
)

// seatingData is the demo world with an order on the manual-seating
// showtime and one on the showtime whose allocation fails, each with two
// adults and no seats, and an empty order on the auto-allocating one.
func seatingData() *mock.Data {
	d := mock.DefaultData()
	two := []mock.OrderTicket{{TicketTypeID: adultTicket}, {TicketTypeID: adultTicket}}
	d.Orders = append(d.Orders,
		mock.Order{ID: manualOrder, SiteID: "0001", BookingMode: "Paid", ExpiresInSeconds: 1800,
			Showtimes: []mock.OrderShowtime{{ShowtimeID: "0001-2740", Tickets: two}}},
		mock.Order{ID: autoFailsOrder, SiteID: "0001", BookingMode: "Paid", ExpiresInSeconds: 1800,
			Showtimes: []mock.OrderShowtime{{ShowtimeID: "0001-2741", Tickets: two}}},
		mock.Order{ID: autoOrder, SiteID: "0001", BookingMode: "Paid", ExpiresInSeconds: 1800,
			Showtimes: []mock.OrderShowtime{{ShowtimeID: "0001-2742"}}})
	return d
}

// heldSeats are the names of the seats an order holds, as the mock has them.
func heldSeats(b *bench, orderID string) []string {
	var names []string
	for _, o := range b.state().Orders {
		if o.ID != orderID {
			continue
		}
		for _, st := range o.Showtimes {
			for _, s := range st.Seats {
				names = append(names, s.RowLabel+s.SeatLabel)
			}
		}
	}
	slices.Sort(names)
	return names
}

func orderState(b *bench, orderID string) mock.OrderState {
	for _, o := range b.state().Orders {
		if o.ID == orderID {
			return o
		}
	}
	b.t.Fatalf("order %s is not on the mock", orderID)
	return mock.OrderState{}
}

// takeSeats types each seat's name on the open map and takes it.
func takeSeats(term *Terminal, names ...string) {
	for _, name := range names {
		term.WriteString(name)
		term.WaitFor("the cursor on "+name, WaitTimeout, func(s string) bool { return strings.Contains(s, name) })
		before := term.Screen()
		term.WriteString("\r")
		term.WaitFor(name+" taken or freed", WaitTimeout, func(s string) bool { return s != before })
	}
}

// The sale the seating guide describes on a showtime with manual seating:
// the order's two tickets have no seats, so the map opens by itself; two
// seats are chosen and sent; a voucher then pays for one ticket and the
// seats stay where they were; ctrl+s moves one of them; another voucher
// pays for the other ticket; the order completes with its seats.
func TestASaleWithManualSeating(t *testing.T) {
	t.Parallel()
	b := startBench(t, seatingData(), mock.Options{})
	term := Start(t, Options{Args: []string{"--api-url", b.url, "--order", manualOrder, "--pin-prompt", "ask"}})
	term.WaitFor("the seat map, open by itself", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "Seats · 2 seats for 2") && strings.Contains(squeezed(s), "have no seat: the server allocated none")
	})
	takeSeats(term, "F12", "F13")
	term.WriteString(keyF7)
	b.waitState("F12 and F13 held", func(mock.State) bool { return slices.Equal(heldSeats(b, manualOrder), []string{"F12", "F13"}) })
	term.WaitFor("the seats said and listed", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "held for") && strings.Contains(s, "seats F12 F13") || strings.Contains(s, "seats F13 F12")
	})

	term.WriteString("ADTMM0000111\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("1234\r")
	term.WaitForText("Attached AD......0111", WaitTimeout)
	payWithVoucher(t, b, term, "AD......0111", func(mock.State) bool {
		v, ok := orderVoucher(orderState(b, manualOrder), "AD......0111")
		return ok && v.PaysFor == 1
	})
	if got := heldSeats(b, manualOrder); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Fatalf("after a voucher paid for a ticket the order holds %v, want F12 and F13 where they were", got)
	}

	term.WriteString(keyCtrlS)
	term.WaitFor("the map, on a key", WaitTimeout, func(s string) bool { return strings.Contains(s, "Seats · 2 seats for 2") })
	takeSeats(term, "F13", "F14")
	term.WriteString(keyF7)
	b.waitState("F12 and F14 held", func(mock.State) bool { return slices.Equal(heldSeats(b, manualOrder), []string{"F12", "F14"}) })
	if v, _ := orderVoucher(orderState(b, manualOrder), "AD......0111"); v.PaysFor != 1 {
		t.Fatalf("moving a seat changed what the voucher pays for: %+v", v)
	}

	// The other ticket paid by another voucher: the order costs nothing.
	term.WriteString("ADTMM0000444\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("\r")
	term.WaitForText("Attached AD......0444", WaitTimeout)
	payWithVoucher(t, b, term, "AD......0444", func(mock.State) bool {
		return orderState(b, manualOrder).TotalPrice.ValueIncludingTax == 0
	})
	if got := heldSeats(b, manualOrder); !slices.Equal(got, []string{"F12", "F14"}) {
		t.Fatalf("after the second voucher the order holds %v, want F12 and F14", got)
	}
	pressTwice(term, keyF10, "F10 again", func() bool {
		o := orderState(b, manualOrder)
		return o.Completion != nil && o.Completion.Status == "Completed"
	})
	term.WaitForText("Completed, transaction", WaitTimeout)
	term.Close()
}

// On a showtime whose automatic allocation fails, the tickets are set
// without seats: the map opens by itself; F10 is refused with the reason
// until they are chosen; a voucher then pays for both tickets, the seats
// staying, and the order completes.
func TestAFailedAllocationOpensTheMap(t *testing.T) {
	t.Parallel()
	b := startBench(t, seatingData(), mock.Options{})
	term := Start(t, Options{Args: []string{"--api-url", b.url, "--order", autoFailsOrder}})
	term.WaitFor("the seat map, open by itself", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "Seats · 2 seats for 2") && strings.Contains(squeezed(s), "the server allocated none")
	})
	term.WriteString("\x1b")
	term.WaitFor("the map closed, the tickets still unseated", WaitTimeout, func(s string) bool {
		return strings.Contains(squeezed(s), "still without a seat: ctrl+s chooses them")
	})
	term.WriteString(keyF10)
	term.WaitFor("completion refused", WaitTimeout, func(s string) bool {
		return strings.Contains(squeezed(s), "Some tickets have no seat yet: ctrl+s chooses them")
	})
	term.WriteString(keyCtrlS)
	term.WaitFor("the map, on a key", WaitTimeout, func(s string) bool { return strings.Contains(s, "Seats · 2 seats for 2") })
	takeSeats(term, "H5", "H6")
	term.WriteString(keyF7)
	b.waitState("H5 and H6 held", func(mock.State) bool { return slices.Equal(heldSeats(b, autoFailsOrder), []string{"H5", "H6"}) })
	term.WaitForText("held for", WaitTimeout)

	// A voucher pays for both tickets, one after the other; the seats stay.
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("1234\r")
	term.WaitForText("Attached AD......0111", WaitTimeout)
	for n := 1; n <= 2; n++ {
		payWithVoucher(t, b, term, "AD......0111", func(mock.State) bool {
			v, _ := orderVoucher(orderState(b, autoFailsOrder), "AD......0111")
			return v.PaysFor == n
		})
	}
	if got := heldSeats(b, autoFailsOrder); !slices.Equal(got, []string{"H5", "H6"}) {
		t.Fatalf("after the voucher paid, the order holds %v, want H5 and H6", got)
	}
	pressTwice(term, keyF10, "F10 again", func() bool {
		o := orderState(b, autoFailsOrder)
		return o.Completion != nil && o.Completion.Status == "Completed"
	})
	term.WaitForText("Completed, transaction", WaitTimeout)
	term.Close()
}

// On a showtime that allocates seats itself, a ticket set at the counter
// (here the Gold Lounge Pass a subscription pays for) gets its seat from the
// server, no map opens, and the order completes.
func TestAutomaticAllocationSeatsTheTickets(t *testing.T) {
	t.Parallel()
	b := startBench(t, seatingData(), mock.Options{})
	term := Start(t, Options{Args: []string{"--api-url", b.url, "--order", autoOrder, "--voucher-type", "Subscription", "--pin-prompt", "never"}})
	term.WaitFor("the order", WaitTimeout, func(s string) bool { return strings.Contains(s, "Gold Lounge") && strings.Contains(s, ready) })
	pass := api.MaskBarcode("SUBS00070707")
	term.WriteString("SUBS00070707\r")
	term.WaitForText("Attached "+pass, WaitTimeout)
	payWithVoucher(t, b, term, pass, func(mock.State) bool {
		v, _ := orderVoucher(orderState(b, autoOrder), pass)
		return v.PaysFor == 1
	})
	b.waitState("a seat allocated", func(mock.State) bool { return len(heldSeats(b, autoOrder)) == 1 })
	s := term.WaitFor("the seat listed", WaitTimeout, func(s string) bool { return strings.Contains(s, "seats ") })
	if strings.Contains(s, "Seats · ") {
		t.Fatalf("the map opened for a ticket the server seated:\n%s", frame(s))
	}
	pressTwice(term, keyF10, "F10 again", func() bool {
		o := orderState(b, autoOrder)
		return o.Completion != nil && o.Completion.Status == "Completed"
	})
	term.WaitForText("Completed, transaction", WaitTimeout)
	term.Close()
}
