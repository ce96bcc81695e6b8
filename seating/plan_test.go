package seating

import (
	"slices"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// The client's sample layout: seats go where their positions say, with row
// indices running from the back and labels that do not follow columns, and
// each seat's state comes from the availability and the order.
func TestPlanOfTheSampleLayout(t *testing.T) {
	var layout api.SeatLayoutResponse
	var avail api.SeatAvailabilityResponse
	var order api.OrderResponse
	apiSample(t, "seat_layout.json", &layout)
	apiSample(t, "seat_availability.json", &avail)
	apiSample(t, "order_with_seats.json", &order)
	held := order.Order.Showtimes[0].Seats // A16 and A15; A15 reads Sold
	p := mustPlan(t, &layout, &avail, held...)

	stalls := p.Areas[0]
	if stalls.Rows != 5 || stalls.Columns != 20 || stalls.Name != "Stalls" || stalls.Category != "Standard" {
		t.Errorf("stalls = %+v", stalls)
	}
	a16 := p.Seats[seat(t, p, "A16")]
	if a16.GridRow != 4 || a16.GridCol != 17 || a16.Row != "A" || a16.Label != "16" {
		t.Errorf("A16 = %+v, want grid row 4 (index 5 from the back), column 17", a16)
	}
	if got, ok := stalls.SeatAt(4, 17); !ok || p.Seats[got].Name() != "A16" {
		t.Errorf("cell (4,17) holds %v", got)
	}
	if _, ok := stalls.SeatAt(4, 15); ok {
		t.Error("an aisle cell holds a seat")
	}
	if stalls.RowLabels[4] != "A" || stalls.RowLabels[0] != "E" || stalls.RowLabels[2] != "" {
		t.Errorf("row labels = %q", stalls.RowLabels)
	}
	if p.Front != Bottom {
		t.Error("row A is at the bottom of the grid, so the screen is")
	}
	states := map[string]State{}
	for _, name := range []string{"A1", "A15", "A16", "B1", "B2", "B3", "E1", "GA1", "GA2", "GA3"} {
		states[name] = p.Seats[seat(t, p, name)].State
	}
	want := map[string]State{"A1": Free, "A15": Mine, "A16": Mine, "B1": Taken, "B2": Taken, "B3": Taken,
		"E1": Free, "GA1": OutOfUse, "GA2": OutOfUse, "GA3": OutOfUse}
	for name, w := range want {
		if states[name] != w {
			t.Errorf("%s is %v, want %v", name, states[name], w)
		}
	}
	e1 := p.Seats[seat(t, p, "E1")]
	if !slices.Equal(p.Names(e1.Group), []string{"E1", "E2"}) {
		t.Errorf("sofa of E1 = %v", p.Names(e1.Group))
	}
	if !slices.Equal(p.Names(p.Held()), []string{"A15", "A16"}) {
		t.Errorf("held = %v", p.Names(p.Held()))
	}
	if i, ok := p.ByID("0000000002-1-2"); !ok || p.Seats[i].Name() != "GA2" {
		t.Errorf("by id: %d %v", i, ok)
	}
}

// Names are found however an operator types them; a name two areas share
// needs its area.
func TestLookup(t *testing.T) {
	p := mustPlan(t, layoutOf(
		testArea{"Stalls", "std", []string{"A", "B"}, []string{"oo.oo", "oooo"}},
		testArea{"Circle", "gold", []string{"A"}, []string{"oo"}},
	), nil)
	for _, name := range []string{"B3", "b3", " B 3 ", "b-3", "B.3"} {
		if s, err := p.Lookup(name); err != nil || p.Seats[s].ID != "1-2-3" {
			t.Errorf("%q: %v %v", name, s, err)
		}
	}
	_, err := p.Lookup("A1")
	if err == nil || !strings.Contains(err.Error(), "Stalls:A1 or Circle:A1") {
		t.Errorf("an ambiguous name: %v", err)
	}
	for name, id := range map[string]string{"circle:a1": "2-1-1", "1:A1": "1-1-1", "Stalls: A 4": "1-1-5"} {
		if s, err := p.Lookup(name); err != nil || p.Seats[s].ID != id {
			t.Errorf("%q: %v %v, want %s", name, s, err, id)
		}
	}
	for _, name := range []string{"", "Z9", "3:A1"} {
		if _, err := p.Lookup(name); err == nil {
			t.Errorf("%q found", name)
		}
	}
	for name, want := range map[string]bool{"b": true, "B3": true, "a": true, "circle:": true, "Circ": true, "2:a": true,
		"Z": false, "B9": false, "D": false, "": false, "Stalls:A9": false} {
		if got := p.Partial(name); got != want {
			t.Errorf("Partial(%q) = %v, want %v", name, got, want)
		}
	}
}

// A layout that leaves positions out places seats in the order it lists
// them; one without seats is refused; a seat id twice is refused.
func TestPlanOfIncompleteLayouts(t *testing.T) {
	l := layoutOf(testArea{"Stalls", "std", []string{"A", "B"}, []string{"oo", "ooo"}})
	for ri := range l.SeatLayout.Areas[0].Rows {
		for si := range l.SeatLayout.Areas[0].Rows[ri].Seats {
			l.SeatLayout.Areas[0].Rows[ri].Seats[si].Position = api.SeatPosition{}
		}
	}
	l.SeatLayout.Areas[0].RowCount, l.SeatLayout.Areas[0].ColumnCount = 0, 0
	p := mustPlan(t, l, nil)
	if a := p.Areas[0]; a.Rows != 2 || a.Columns != 3 {
		t.Errorf("grid %dx%d", a.Rows, a.Columns)
	}
	if b3 := p.Seats[seat(t, p, "B3")]; b3.GridRow != 1 || b3.GridCol != 2 || b3.State != Taken {
		t.Errorf("B3 = %+v (no availability: not free)", b3)
	}
	if _, err := NewPlan(&api.SeatLayoutResponse{}, nil, nil); err != ErrNoSeats {
		t.Errorf("empty layout: %v", err)
	}
	dup := layoutOf(testArea{"Stalls", "std", []string{"A"}, []string{"oo"}})
	dup.SeatLayout.Areas[0].Rows[0].Seats[1].ID = dup.SeatLayout.Areas[0].Rows[0].Seats[0].ID
	if _, err := NewPlan(dup, nil, nil); err == nil {
		t.Error("a seat id twice was taken")
	}
}

// Fresh availability redraws the states without a new plan.
func TestSetAvailability(t *testing.T) {
	l := layoutOf(testArea{"Stalls", "std", []string{"A"}, []string{"ooh"}})
	p := mustPlan(t, l, allFree(l))
	avail := allFree(l)
	avail.SeatAvailabilities[0].Status = api.SeatSold
	p.SetAvailability(avail, []api.OrderSeat{{SeatID: "1-1-2"}})
	got := []State{p.Seats[0].State, p.Seats[1].State, p.Seats[2].State}
	if !slices.Equal(got, []State{Taken, Mine, OutOfUse}) {
		t.Errorf("states = %v", got)
	}
}

// Every mark has its own symbol, and a seat's mark says first what the
// order can do with it, then its kind.
func TestMarks(t *testing.T) {
	seen := map[rune]Mark{}
	for _, m := range append([]Mark{MarkNone}, Legend...) {
		if prev, dup := seen[m.Rune()]; dup {
			t.Errorf("%v and %v share %q", prev, m, m.Rune())
		}
		seen[m.Rune()] = m
		if m.Meaning() == "" {
			t.Errorf("%v has no meaning", m)
		}
	}
	l := layoutOf(testArea{"Stalls", "std", []string{"A"}, []string{"owc().hxoo"}})
	avail := allFree(l)
	avail.SeatAvailabilities[7].Status = "Reserved" // a status the client does not know
	p := mustPlan(t, l, avail, api.OrderSeat{SeatID: "1-1-10"})
	var got []Mark
	for c := range p.Areas[0].Columns {
		got = append(got, p.MarkAt(0, 0, c))
	}
	want := []Mark{MarkFree, MarkWheelchair, MarkCompanion, MarkSofa, MarkSofa, MarkNone, MarkHouse, MarkBroken, MarkTaken, MarkMine}
	if !slices.Equal(got, want) {
		t.Errorf("marks = %v, want %v", got, want)
	}
	// The order's own seats, of any kind, say their kind once let go of.
	p.SetAvailability(avail, []api.OrderSeat{{SeatID: "1-1-1"}, {SeatID: "1-1-2"}, {SeatID: "1-1-3"}, {SeatID: "1-1-4"}, {SeatID: "1-1-5"}})
	got = got[:0]
	for s := range 5 {
		if p.MarkOf(s) != MarkMine {
			t.Errorf("seat %d held is %v", s, p.MarkOf(s))
		}
		got = append(got, p.KindMark(s))
	}
	if want := []Mark{MarkFree, MarkWheelchair, MarkCompanion, MarkSofa, MarkSofa}; !slices.Equal(got, want) {
		t.Errorf("kind marks = %v, want %v", got, want)
	}
}

// Arrows skip aisles, keep the column as near as they can, and cross from
// one area into the next.
func TestStep(t *testing.T) {
	p := mustPlan(t, layoutOf(
		testArea{"Stalls", "std", []string{"A", "B", "C"}, []string{"oo..oo", "", "...o"}},
		testArea{"Circle", "gold", []string{"D"}, []string{"..oo"}},
	), nil)
	steps := []struct {
		from string
		d    Direction
		to   string
	}{
		{"A2", Right, "A3"}, {"A3", Left, "A2"}, {"A1", Left, "A1"}, {"A4", Right, "A4"},
		{"A2", Down, "C1"}, {"C1", Up, "A3"}, {"C1", Down, "Circle:D2"}, {"Circle:D1", Up, "C1"},
		{"Circle:D1", Down, "Circle:D1"}, {"A1", Up, "A1"},
	}
	for _, s := range steps {
		got, moved := p.Step(seat(t, p, s.from), s.d)
		if p.Seats[got].ID != p.Seats[seat(t, p, s.to)].ID || moved != (s.from != s.to) {
			t.Errorf("%s %v: %s (%v), want %s", s.from, s.d, p.Seats[got].Name(), moved, s.to)
		}
	}
}

// A position far outside any auditorium is refused, not drawn.
func TestPlanRefusesAGridTooLarge(t *testing.T) {
	l := layoutOf(testArea{"Stalls", "std", []string{"A"}, []string{"oo"}})
	l.SeatLayout.Areas[0].Rows[0].Seats[1].Position.ColumnIndex = 2_000_000_000
	if _, err := NewPlan(l, nil, nil); err == nil || !strings.Contains(err.Error(), "more than a seat map can hold") {
		t.Errorf("err = %v", err)
	}
}
