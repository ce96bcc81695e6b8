package mock_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

// The demo's showtimes with allocated seating, by mode.
const (
	manualShowtime    = "0001-2740" // Screen 4, 412 seats
	autoFailsShowtime = "0001-2741" // Screen 5
	autoShowtime      = "0001-2742" // Gold Lounge
	adultType         = "0001-0050"
	premiumType       = "0001-0060"
	adultMMType       = "0001-0077"
	goldType          = "0001-0081"
)

// Wire shapes of the seat calls as a client reads them.
type layoutSeat struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Type     string `json:"type"`
	Position struct {
		AreaNumber, RowIndex, ColumnIndex int
	} `json:"position"`
	SeatsInGroup []string `json:"seatsInGroup"`
}

type seatLayout struct {
	SeatLayout struct {
		ID    string `json:"id"`
		Areas []struct {
			Number         int    `json:"number"`
			AreaCategoryID string `json:"areaCategoryId"`
			Name           text   `json:"name"`
			RowCount       int    `json:"rowCount"`
			ColumnCount    int    `json:"columnCount"`
			Rows           []struct {
				Label string       `json:"label"`
				Seats []layoutSeat `json:"seats"`
			} `json:"rows"`
		} `json:"areas"`
	} `json:"seatLayout"`
	RelatedData struct {
		AreaCategories []struct {
			ID   string `json:"id"`
			Name text   `json:"name"`
		} `json:"areaCategories"`
	} `json:"relatedData"`
}

// seats maps each seat's name ("F12") to it.
func (l seatLayout) seats() map[string]layoutSeat {
	out := map[string]layoutSeat{}
	for _, a := range l.SeatLayout.Areas {
		for _, r := range a.Rows {
			for _, s := range r.Seats {
				out[r.Label+s.Label] = s
			}
		}
	}
	return out
}

type availability struct {
	SeatAvailabilities []struct {
		SeatID string `json:"seatId"`
		Status string `json:"status"`
	} `json:"seatAvailabilities"`
	IsSoldOut bool `json:"isSoldOut"`
}

func (e *env) layout(showtime string) seatLayout {
	e.t.Helper()
	var l seatLayout
	e.do("GET", "/ocapi/v1/showtimes/"+showtime+"/seat-layout", nil).decodeOK(e.t, &l)
	return l
}

// ids are the seat ids of seats named as on a ticket.
func (e *env) ids(showtime string, names ...string) []string {
	e.t.Helper()
	seats := e.layout(showtime).seats()
	out := make([]string, len(names))
	for i, n := range names {
		s, ok := seats[n]
		if !ok {
			e.t.Fatalf("showtime %s has no seat %s", showtime, n)
		}
		out[i] = s.ID
	}
	return out
}

// statuses reads a showtime's availability by seat name, as everyone sees
// it (orderID "") or as an order does.
func (e *env) statuses(showtime, orderID string, names ...string) []string {
	e.t.Helper()
	path := "/ocapi/v1/showtimes/" + showtime + "/seat-availability"
	if orderID != "" {
		path = "/ocapi/v1/orders/" + orderID + "/showtimes/" + showtime + "/seat-availability"
	}
	var a availability
	e.do("GET", path, nil).decodeOK(e.t, &a)
	byID := map[string]string{}
	for _, s := range a.SeatAvailabilities {
		byID[s.SeatID] = s.Status
	}
	ids := e.ids(showtime, names...)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
	}
	return out
}

// setShowtime sends tickets and seats (nil: null).
func (e *env) setShowtime(orderID, showtime string, seats []string, tickets ...tk) *result {
	e.t.Helper()
	if tickets == nil {
		tickets = []tk{}
	}
	body := map[string]any{"tickets": tickets, "seats": nil}
	if seats != nil {
		body["seats"] = seats
	}
	return e.do("PUT", "/ocapi/v1/orders/"+orderID+"/showtimes/"+showtime, body)
}

type orderSeat struct {
	SeatID         string `json:"seatId"`
	SeatLabel      string `json:"seatLabel"`
	RowLabel       string `json:"rowLabel"`
	AreaName       text   `json:"areaName"`
	AreaCategoryID string `json:"areaCategoryId"`
}

// heldSeats are the names of the seats the order holds for the showtime.
func (e *env) heldSeats(orderID, showtime string) []string {
	e.t.Helper()
	var o struct {
		Order struct {
			Showtimes []struct {
				ShowtimeID string      `json:"showtimeId"`
				Seats      []orderSeat `json:"seats"`
			} `json:"showtimes"`
		} `json:"order"`
	}
	e.do("GET", "/ocapi/v1/orders/"+orderID, nil).decodeOK(e.t, &o)
	var names []string
	for _, st := range o.Order.Showtimes {
		if st.ShowtimeID == showtime {
			for _, s := range st.Seats {
				names = append(names, s.RowLabel+s.SeatLabel)
			}
		}
	}
	return names
}

func adults(n int) []tk {
	out := make([]tk, n)
	for i := range out {
		out[i] = tk{TicketTypeID: adultType}
	}
	return out
}

// The demo's big auditorium: two areas of two categories, every kind of
// special seat, labels counted from the right so that they do not follow
// columns, and its showtime saying it is allocated.
func TestDemoSeatLayout(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	l := e.layout(manualShowtime)
	seats := l.seats()
	if len(seats) < 400 || len(l.SeatLayout.Areas) != 2 || l.SeatLayout.ID != "0001-04-A" {
		t.Fatalf("%d seats in %d areas", len(seats), len(l.SeatLayout.Areas))
	}
	stalls, premium := l.SeatLayout.Areas[0], l.SeatLayout.Areas[1]
	if stalls.AreaCategoryID != "0000000001" || premium.AreaCategoryID != "0000000002" || premium.Name.Text != "Premium" || stalls.ColumnCount != 26 {
		t.Errorf("areas = %+v / %+v", stalls.Name, premium.Name)
	}
	kinds := map[string]int{}
	for _, s := range seats {
		kinds[s.Type]++
	}
	for _, k := range []string{"Normal", "Wheelchair", "Companion", "Sofa", "House", "Broken"} {
		if kinds[k] == 0 {
			t.Errorf("no %s seat in %v", k, kinds)
		}
	}
	f12 := seats["F12"]
	if f12.Position.RowIndex != 6 || f12.Position.ColumnIndex != 14 || f12.Position.AreaNumber != 1 {
		t.Errorf("F12 at %+v: numbered from the right, past an aisle, it is in column 14", f12.Position)
	}
	r1 := seats["R1"]
	if r1.Type != "Sofa" || len(r1.SeatsInGroup) != 2 || !slices.Contains(r1.SeatsInGroup, seats["R2"].ID) {
		t.Errorf("sofa R1 = %+v", r1)
	}
	var st struct {
		Showtime struct {
			IsAllocatedSeating bool    `json:"isAllocatedSeating"`
			SeatLayoutID       *string `json:"seatLayoutId"`
		} `json:"showtime"`
	}
	e.do("GET", "/ocapi/v1/showtimes/"+manualShowtime, nil).decodeOK(t, &st)
	if !st.Showtime.IsAllocatedSeating || st.Showtime.SeatLayoutID == nil || *st.Showtime.SeatLayoutID != "0001-04-A" {
		t.Errorf("showtime = %+v", st.Showtime)
	}
	e.do("GET", "/ocapi/v1/showtimes/0001-2681", nil).decodeOK(t, &st)
	if st.Showtime.IsAllocatedSeating || st.Showtime.SeatLayoutID != nil {
		t.Errorf("an unallocated showtime without a layout: %+v", st.Showtime)
	}
	e.do("GET", "/ocapi/v1/showtimes/0001-2681/seat-layout", nil).expect(t, http.StatusNotFound, "SeatLayoutNotFound")
	var prices struct {
		RelatedData struct {
			TicketTypes []struct {
				ID             string  `json:"id"`
				AreaCategoryID *string `json:"areaCategoryId"`
			} `json:"ticketTypes"`
		} `json:"relatedData"`
	}
	e.do("GET", "/ocapi/v1/showtimes/"+manualShowtime+"/ticket-prices", nil).decodeOK(t, &prices)
	cats := map[string]string{}
	for _, tt := range prices.RelatedData.TicketTypes {
		if tt.AreaCategoryID != nil {
			cats[tt.ID] = *tt.AreaCategoryID
		}
	}
	if cats[premiumType] != "0000000002" || cats[adultType] != "0000000001" {
		t.Errorf("area categories of ticket types = %v", cats)
	}
}

// Availability: sold seats from the demo data, house and broken seats as
// such, the rest free; a showtime without allocated seating answers 400
// (its order-scoped reading an empty list).
func TestSeatAvailability(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	got := e.statuses(manualShowtime, "", "G8", "F12", "H12", "J12", "A1")
	want := []string{"Sold", "Available", "House", "Broken", "Available"}
	if !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	e.do("GET", "/ocapi/v1/showtimes/0001-2681/seat-availability", nil).expect(t, http.StatusBadRequest, "ShowtimeNotAllocated")
	e.do("GET", "/ocapi/v1/showtimes/9999-9999/seat-availability", nil).expect(t, http.StatusNotFound, "ShowtimeNotFound")
	var a availability
	e.do("GET", "/ocapi/v1/orders/"+firstOrder+"/showtimes/0001-2681/seat-availability", nil).decodeOK(t, &a)
	if len(a.SeatAvailabilities) != 0 {
		t.Errorf("an unallocated showtime's seats for an order: %+v", a)
	}
	e.do("GET", "/ocapi/v1/orders/nope/showtimes/"+manualShowtime+"/seat-availability", nil).expect(t, http.StatusNotFound, "OrderNotFound")
}

// Every seat refusal of SetShowtime is a 400 that names the seat, and
// leaves the order as it was.
func TestSetShowtimeSeatRefusals(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	other := e.createOrder("0001")
	e.setShowtime(other, manualShowtime, e.ids(manualShowtime, "F10"), adults(1)...).expect(t, 200, "")
	o := e.createOrder("0001")
	e.setShowtime(o, manualShowtime, e.ids(manualShowtime, "F12", "F13"), adults(2)...).expect(t, 200, "")
	tests := []struct {
		name    string
		seats   []string
		tickets []tk
		code    string
		names   string
	}{
		{"unknown seat", []string{"no-such-seat"}, adults(1), "SeatNotFound", "no-such-seat"},
		{"sold seat", e.ids(manualShowtime, "G8"), adults(1), "SeatsUnavailable", "G8"},
		{"taken meanwhile", e.ids(manualShowtime, "F10"), adults(1), "SeatsUnavailable", "another order"},
		{"house seat", e.ids(manualShowtime, "H12"), adults(1), "SeatsUnavailable", "house seat"},
		{"broken seat", e.ids(manualShowtime, "J12"), adults(1), "SeatsUnavailable", "out of use"},
		{"half a sofa", e.ids(manualShowtime, "R1"), []tk{{TicketTypeID: premiumType}}, "SeatsUnavailable", "R1"},
		{"area", e.ids(manualShowtime, "F14"), []tk{{TicketTypeID: premiumType}}, "SeatAreaNotAllowed", "Premium Adult"},
		{"premium seat for a standard ticket", e.ids(manualShowtime, "P1"), adults(1), "SeatAreaNotAllowed", "P1"},
		{"too few seats", e.ids(manualShowtime, "F14"), adults(2), "SeatCountMismatch", "2 ticket"},
		{"too many seats", e.ids(manualShowtime, "F14", "F16", "F17"), adults(2), "SeatCountMismatch", "3 seat"},
		{"twice", e.ids(manualShowtime, "F14", "F14"), adults(2), "InvalidRequest", "F14"},
	}
	for _, tt := range tests {
		eb := e.setShowtime(o, manualShowtime, tt.seats, tt.tickets...).expect(t, http.StatusBadRequest, tt.code)
		if !strings.Contains(eb.Message, tt.names) {
			t.Errorf("%s: %q does not name %q", tt.name, eb.Message, tt.names)
		}
	}
	e.do("PUT", "/ocapi/v1/orders/"+o+"/showtimes/"+manualShowtime, `{"tickets": [], "seats": "F12"}`).expect(t, http.StatusBadRequest, "InvalidRequest")
	e.setShowtime(o, "0001-2681", e.ids(manualShowtime, "F14"), adults(1)...).expect(t, http.StatusBadRequest, "ShowtimeNotAllocated")
	if got := e.heldSeats(o, manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Errorf("after the refusals the order holds %v", got)
	}
	// A sofa whole, on premium tickets, is fine.
	e.setShowtime(o, manualShowtime, e.ids(manualShowtime, "R1", "R2"), tk{TicketTypeID: premiumType}, tk{TicketTypeID: premiumType}).expect(t, 200, "")
}

// Manual seating: tickets go on without seats, the order cannot complete
// until seats are chosen, the chosen seats stay on the order and show as
// taken to everyone else, and they are sold once the order completes.
func TestManualSeatingSale(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	o := e.createOrder("0001")
	v1 := e.addVoucher(o, "Ticket", manualShowtime, "ADTMM0000111", "1234")
	tickets := []tk{{TicketTypeID: adultMMType, VoucherID: v1}, {TicketTypeID: adultMMType, VoucherID: v1}}
	e.setShowtime(o, manualShowtime, nil, tickets...).expect(t, 200, "")
	if got := e.heldSeats(o, manualShowtime); got != nil {
		t.Fatalf("manual seating allocated %v", got)
	}
	e.do("POST", "/ocapi/v1/orders/"+o+"/completion", nil).expect(t, http.StatusBadRequest, "SeatAllocationFailed")
	e.setShowtime(o, manualShowtime, e.ids(manualShowtime, "F12", "F13"), tickets...).expect(t, 200, "")
	if got := e.heldSeats(o, manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Errorf("held = %v", got)
	}
	if got := e.statuses(manualShowtime, "", "F12", "F13", "F14"); !slices.Equal(got, []string{"Sold", "Sold", "Available"}) {
		t.Errorf("to everyone: %v", got)
	}
	if got := e.statuses(manualShowtime, o, "F12", "F13", "G8"); !slices.Equal(got, []string{"Available", "Available", "Sold"}) {
		t.Errorf("to the order: %v", got)
	}
	var c completion
	e.do("POST", "/ocapi/v1/orders/"+o+"/completion", nil).decodeOK(t, &c)
	if c.Status != "Completed" {
		t.Fatalf("completion = %v", c)
	}
	if got := e.statuses(manualShowtime, "", "F12", "F13"); !slices.Equal(got, []string{"Sold", "Sold"}) {
		t.Errorf("after the sale: %v", got)
	}
}

// Auto allocation seats tickets side by side in one row of their area;
// when they cannot sit together the tickets go on without seats. Sending
// tickets with seats null again re-allocates: the seats may move.
func TestAutoAllocation(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	o := e.createOrder("0001")
	gold := []tk{{TicketTypeID: goldType}, {TicketTypeID: goldType}}
	e.setShowtime(o, autoShowtime, nil, gold...).expect(t, 200, "")
	held := e.heldSeats(o, autoShowtime)
	if len(held) != 2 || held[0][0] != held[1][0] {
		t.Fatalf("allocated %v, want two seats in one row", held)
	}
	seats := e.layout(autoShowtime).seats()
	if a, b := seats[held[0]], seats[held[1]]; a.Type != "Normal" || b.Position.ColumnIndex-a.Position.ColumnIndex != 1 {
		t.Errorf("not side by side: %+v %+v", a, b)
	}
	if got := e.statuses(autoShowtime, "", held...); !slices.Equal(got, []string{"Sold", "Sold"}) {
		t.Errorf("allocated seats to everyone: %v", got)
	}
	five := append(gold, gold...)
	e.setShowtime(o, autoShowtime, nil, append(five, tk{TicketTypeID: goldType})...).expect(t, 200, "")
	if got := e.heldSeats(o, autoShowtime); got != nil {
		t.Errorf("five seats together do not exist, yet %v were allocated", got)
	}
	if got := e.statuses(autoShowtime, "", held...); !slices.Equal(got, []string{"Available", "Available"}) {
		t.Errorf("the seats given up: %v", got)
	}
}

// The showtime whose auto-allocation fails: tickets go on without seats,
// and the sale goes through once they are chosen.
func TestAutoAllocationThatFails(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	o := e.createOrder("0001")
	v := e.addVoucher(o, "Ticket", autoFailsShowtime, "ADTMM0000333", "3333")
	tickets := []tk{{TicketTypeID: adultMMType, VoucherID: v}, {TicketTypeID: adultMMType, VoucherID: v}}
	e.setShowtime(o, autoFailsShowtime, nil, tickets...).expect(t, 200, "")
	if got := e.heldSeats(o, autoFailsShowtime); got != nil {
		t.Fatalf("allocated %v", got)
	}
	e.do("POST", "/ocapi/v1/orders/"+o+"/completion", nil).expect(t, http.StatusBadRequest, "SeatAllocationFailed")
	e.setShowtime(o, autoFailsShowtime, e.ids(autoFailsShowtime, "C4", "C5"), tickets...).expect(t, 200, "")
	var c completion
	e.do("POST", "/ocapi/v1/orders/"+o+"/completion", nil).decodeOK(t, &c)
	if c.Status != "Completed" {
		t.Errorf("completion = %v", c)
	}
}

// Seats come free when the order is cancelled, when it expires, and when
// it changes them; seats without tickets are held but cannot be completed.
func TestSeatsReleased(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	cancelled := e.createOrder("0001")
	e.setShowtime(cancelled, manualShowtime, e.ids(manualShowtime, "F12"), adults(1)...).expect(t, 200, "")
	e.do("DELETE", "/ocapi/v1/orders/"+cancelled, nil).expect(t, http.StatusNoContent, "")
	expiring := e.createOrder("0001")
	e.setShowtime(expiring, manualShowtime, e.ids(manualShowtime, "F13"), adults(1)...).expect(t, 200, "")
	changing := e.createOrder("0001")
	e.setShowtime(changing, manualShowtime, e.ids(manualShowtime, "F14"), adults(1)...).expect(t, 200, "")
	e.setShowtime(changing, manualShowtime, e.ids(manualShowtime, "F16"), adults(1)...).expect(t, 200, "")
	if got := e.statuses(manualShowtime, "", "F12", "F13", "F14", "F16"); !slices.Equal(got, []string{"Available", "Sold", "Available", "Sold"}) {
		t.Errorf("statuses = %v", got)
	}
	e.clock.Advance(1200 * time.Second)
	if got := e.statuses(manualShowtime, "", "F13"); got[0] != "Available" {
		t.Errorf("an expired order's seat is %v", got)
	}
	seatsOnly := e.createOrder("0001")
	e.setShowtime(seatsOnly, manualShowtime, e.ids(manualShowtime, "F17", "F18")).expect(t, 200, "")
	if got := e.heldSeats(seatsOnly, manualShowtime); !slices.Equal(got, []string{"F17", "F18"}) {
		t.Errorf("seats without tickets: %v", got)
	}
	e.do("POST", "/ocapi/v1/orders/"+seatsOnly+"/completion", nil).expect(t, http.StatusBadRequest, "SeatCountMismatch")
	e.setShowtime(seatsOnly, manualShowtime, nil).expect(t, 200, "")
	if got := e.statuses(manualShowtime, "", "F17"); got[0] != "Available" {
		t.Errorf("clearing the tickets and seats left %v", got)
	}
}
