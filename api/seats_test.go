package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// checkSeatLayoutSample holds the client to what seat_layout.json says:
// positions as sent (row indices running from the back, labels that do not
// follow columns), names from "description" or "name", kinds of seat in any
// case, and kinds it does not know kept or read as "".
func checkSeatLayoutSample(t *testing.T, got any) {
	t.Helper()
	r := got.(*SeatLayoutResponse)
	l := r.SeatLayout
	if l.ID != "0001-0003-02" || len(l.Areas) != 2 {
		t.Fatalf("layout = %+v", l)
	}
	stalls, gold := l.Areas[0], l.Areas[1]
	if stalls.Number != 1 || stalls.AreaCategoryID != "0000000001" || stalls.Name != "Stalls" || stalls.RowCount != 5 || stalls.ColumnCount != 20 {
		t.Errorf("stalls = %+v", stalls)
	}
	if gold.Name != "Gold Circle" || gold.AreaCategoryID != "0000000002" {
		t.Errorf("gold = %+v", gold)
	}
	rowA := stalls.Rows[0]
	a16 := rowA.Seats[3]
	if rowA.Label != "A" || a16.Label != "16" || a16.Position != (SeatPosition{AreaNumber: 1, RowIndex: 5, ColumnIndex: 18}) {
		t.Errorf("A16 = %+v in row %q", a16, rowA.Label)
	}
	types := []SeatType{rowA.Seats[0].Type, rowA.Seats[1].Type, stalls.Rows[1].Seats[0].Type, stalls.Rows[1].Seats[1].Type,
		stalls.Rows[1].Seats[2].Type, gold.Rows[0].Seats[0].Type, gold.Rows[0].Seats[2].Type}
	want := []SeatType{SeatWheelchair, SeatCompanion, SeatNormal, "Recliner", "", SeatHouse, SeatBroken}
	if !slices.Equal(types, want) {
		t.Errorf("seat types = %q, want %q", types, want)
	}
	sofa := stalls.Rows[2].Seats
	pair := []string{"0000000001-1-9", "0000000001-1-10"}
	if sofa[0].Type != SeatSofa || !slices.Equal(sofa[0].SeatsInGroup, pair) || !slices.Equal(sofa[1].SeatsInGroup, pair) {
		t.Errorf("sofa = %+v", sofa)
	}
	if rowA.Seats[0].SeatsInGroup != nil {
		t.Errorf("a seat without a group has group %v", rowA.Seats[0].SeatsInGroup)
	}
	if r.CategoryName("0000000002") != "Gold" || r.CategoryName("0000000009") != "" {
		t.Errorf("category names = %+v", r.RelatedData)
	}
}

// checkSeatAvailabilitySample: only "Available", in any case, is free; a
// status the client does not know, null or a number never is.
func checkSeatAvailabilitySample(t *testing.T, got any) {
	t.Helper()
	r := got.(*SeatAvailabilityResponse)
	var free []string
	for _, a := range r.SeatAvailabilities {
		if a.Status.Free() {
			free = append(free, a.SeatID)
		}
	}
	want := []string{"0000000001-5-1", "0000000001-5-2", "0000000001-5-18", "0000000001-1-9", "0000000001-1-10"}
	if !slices.Equal(free, want) || r.IsSoldOut {
		t.Errorf("free seats = %v, want %v", free, want)
	}
	statuses := map[string]SeatStatus{}
	for _, a := range r.SeatAvailabilities {
		statuses[a.SeatID] = a.Status
	}
	if statuses["0000000001-4-3"] != "Reserved" || statuses["0000000001-4-5"] != "" || statuses["0000000002-1-2"] != SeatStatusBroken ||
		statuses["0000000002-1-4"] != "" || statuses["0000000001-5-17"] != SeatSold {
		t.Errorf("statuses = %v", statuses)
	}
}

// Setting tickets keeps the seats the order holds: the order is read and its
// seats for that showtime (and no other) go back with the tickets.
func TestSetShowtimeTicketsKeepsTheOrdersSeats(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, http.StatusOK, readTestdata(t, "order_with_seats.json"))
	})
	c, _ := testClient(t, rec.URL)
	ctx := context.Background()
	tickets := []TicketRequest{{ID: "t1", TicketTypeID: "0001-0001"}, {ID: "t2", TicketTypeID: "0001-0077", VoucherID: "a3f0c1d2e3b4a5968778695a4b3c2d1e"}}
	if _, err := c.SetShowtimeTickets(ctx, "48ac589507ac48ae9ed64eeadbe0ab6d", "0001-2681", tickets); err != nil {
		t.Fatal(err)
	}
	if rec.count() != 2 {
		t.Fatalf("server saw %d requests, want the order read and the PUT", rec.count())
	}
	if h := rec.hit(t, 0); h.Method != http.MethodGet || h.RequestURI != "/ocapi/v1/orders/48ac589507ac48ae9ed64eeadbe0ab6d" {
		t.Errorf("first request %s %s", h.Method, h.RequestURI)
	}
	jsonEqual(t, rec.hit(t, 1).Body, `{"tickets":[{"id":"t1","ticketTypeId":"0001-0001"},`+
		`{"id":"t2","ticketTypeId":"0001-0077","voucherId":"a3f0c1d2e3b4a5968778695a4b3c2d1e"}],`+
		`"seats":["0000000001-5-18","0000000001-5-17"]}`)

	// A showtime holding no seats (null on the wire) sends none: the server
	// allocates as before.
	if _, err := c.SetShowtimeTickets(ctx, "48ac589507ac48ae9ed64eeadbe0ab6d", "0001-2690", tickets[:1]); err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, rec.hit(t, 3).Body, `{"tickets":[{"id":"t1","ticketTypeId":"0001-0001"}],"seats":null}`)
}

// When the order cannot be read, or holds a seat whose id cannot be read,
// nothing is sent, and the outcome is known: nothing changed.
func TestKeepSeatsSendsNothingWithoutTheOrdersSeats(t *testing.T) {
	unreadableSeat := strings.Replace(string(readTestdata(t, "order_with_seats.json")), `"seatId": "0000000001-5-18"`, `"seatId": {"x": 1}`, 1)
	for name, answer := range map[string]func(w http.ResponseWriter){
		"404":         func(w http.ResponseWriter) { serveJSON(w, 404, []byte(`{"message":"Order does not exist"}`)) },
		"503":         func(w http.ResponseWriter) { w.WriteHeader(503) },
		"bad seat id": func(w http.ResponseWriter) { serveJSON(w, 200, []byte(unreadableSeat)) },
	} {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { answer(w) })
			c, _ := testClient(t, rec.URL)
			_, err := c.SetShowtimeTickets(context.Background(), "48ac589507ac48ae9ed64eeadbe0ab6d", "0001-2681", []TicketRequest{{TicketTypeID: "0001-0001"}})
			e := AsError(err)
			if e == nil || e.Op != OpSetTickets || e.OutcomeUnknown || e.Applied {
				t.Fatalf("err = %#v", err)
			}
			if name == "bad seat id" && !strings.Contains(e.Error(), "a seat whose id could not be read") {
				t.Errorf("err = %v, want it to say the seat could not be read", e)
			}
			for i := range rec.count() {
				if m := rec.hit(t, i).Method; m != http.MethodGet {
					t.Errorf("a %s was sent", m)
				}
			}
		})
	}
}

// Seats chosen twice or empty are refused before anything is sent.
func TestChosenSeatsAreChecked(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {})
	c, _ := testClient(t, rec.URL)
	for _, ids := range [][]string{{"A1", "A1"}, {""}, {"A\x01"}} {
		_, err := c.SetShowtime(context.Background(), "o1", "s1", []TicketRequest{{TicketTypeID: "t"}}, ChooseSeats(ids...))
		if KindOf(err) != KindInvalidInput {
			t.Errorf("seats %q: err = %v, want invalid input", ids, err)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d requests sent", rec.count())
	}
}

// A seat refusal is typed: by the code a server sends, whatever its case,
// and for seat availability by the one 400 Vista documents.
func TestSeatRefusalsAreTyped(t *testing.T) {
	tests := []struct {
		code string
		op   func(c *Client) error
		want SeatProblem
	}{
		{"SeatsUnavailable", setWithSeats, SeatTaken},
		{"seatsunavailable", setWithSeats, SeatTaken},
		{"SeatAreaNotAllowed", setWithSeats, SeatAreaNotAllowed},
		{"SeatAllocationFailed", setWithSeats, SeatAllocationFailed},
		{"ShowtimeNotAllocated", setWithSeats, SeatingNotAllocated},
		{"SeatCountMismatch", setWithSeats, SeatCountMismatch},
		{"SeatNotFound", setWithSeats, SeatUnknown},
		{"SeatAllocationFailed", func(c *Client) error { _, err := c.CompleteOrder(context.Background(), "o1"); return err }, SeatAllocationFailed},
		{"VoucherRequired", setWithSeats, ""},
		{"", func(c *Client) error { _, err := c.GetSeatAvailability(context.Background(), "s1"); return err }, SeatingNotAllocated},
		{"", func(c *Client) error {
			_, err := c.GetOrderSeatAvailability(context.Background(), "o1", "s1")
			return err
		}, ""},
		{"", setWithSeats, ""},
	}
	for _, tt := range tests {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
			body := `{}`
			if tt.code != "" {
				body = `{"errorCode":"` + tt.code + `","message":"Seat F12 is not free."}`
			}
			serveJSON(w, http.StatusBadRequest, []byte(body))
		})
		c, _ := testClient(t, rec.URL)
		err := tt.op(c)
		if got := SeatProblemOf(err); got != tt.want || KindOf(err) != KindRejected {
			t.Errorf("code %q: problem %q (%v), want %q", tt.code, got, err, tt.want)
		}
		if tt.want != "" && tt.want.Explain() == "" {
			t.Errorf("%q has no explanation", tt.want)
		}
	}
	if SeatProblemOf(nil) != "" {
		t.Error("no error, yet a seat problem")
	}
}

func setWithSeats(c *Client) error {
	_, err := c.SetShowtime(context.Background(), "o1", "s1", []TicketRequest{{TicketTypeID: "t"}}, ChooseSeats("F12"))
	return err
}

// A layout answer without areas is not a layout.
func TestSeatLayoutWithoutAreasIsUnreadable(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, http.StatusOK, []byte(`{"seatLayout":{"id":"x","areas":[]}}`))
	})
	c, _ := testClient(t, rec.URL)
	if _, err := c.GetSeatLayout(context.Background(), "s1"); KindOf(err) != KindUnreadable {
		t.Errorf("err = %v", err)
	}
}
