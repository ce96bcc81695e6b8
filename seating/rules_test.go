package seating

import (
	"errors"
	"slices"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

func ptr[T any](v T) *T { return &v }

// Tickets need seats only on an allocated showtime, by their types' area
// categories, and not those of a category the showtime does not allocate.
func TestSeatsNeeded(t *testing.T) {
	areas := TicketAreas{"adult": "std", "gold": "gold", "standing": "floor"}
	st := api.Showtime{IsAllocatedSeating: true, AreaCategories: []api.ShowtimeAreaCategory{
		{AreaCategoryID: "floor", IsAllocatedSeating: ptr(false)}, {AreaCategoryID: "std", IsAllocatedSeating: nil}}}
	need := SeatsNeeded(st, []string{"adult", "adult", "gold", "standing", "child"}, areas)
	if need.Total != 4 || need.ByCategory["std"] != 2 || need.ByCategory["gold"] != 1 || need.ByCategory[""] != 1 || need.ByCategory["floor"] != 0 {
		t.Errorf("need = %+v", need)
	}
	if n := SeatsNeeded(api.Showtime{}, []string{"adult"}, areas); n.Total != 0 {
		t.Errorf("unallocated showtime needs %+v", n)
	}
	ost := api.OrderShowtime{Tickets: []api.Ticket{{TicketTypeID: "gold"}, {TicketTypeID: "adult"}}}
	if n := SeatsNeededFor(st, ost, areas); n.Total != 2 || n.ByCategory["gold"] != 1 {
		t.Errorf("need of the order = %+v", n)
	}
	prices := &api.TicketPricesResponse{}
	prices.RelatedData.TicketTypes = []api.TicketType{{ID: "a", AreaCategoryID: "std"}, {ID: "b"}}
	if got := TicketAreasOf(prices); len(got) != 1 || got["a"] != "std" {
		t.Errorf("areas = %v", got)
	}
	if got := TicketAreasOf(nil); len(got) != 0 {
		t.Errorf("areas of nothing = %v", got)
	}
}

func twoAreas(t *testing.T, held ...api.OrderSeat) *Plan {
	l := layoutOf(
		testArea{"Stalls", "std", []string{"A", "B"}, []string{"oooo.()", "oox"}},
		testArea{"Gold", "gold", []string{"G"}, []string{"oo"}},
	)
	avail := allFree(l)
	avail.SeatAvailabilities[1].Status = api.SeatSold // A2
	return mustPlan(t, l, avail, held...)
}

func TestFitsAndAreasFor(t *testing.T) {
	p := twoAreas(t)
	if !p.Fits(seat(t, p, "A1"), "std") || p.Fits(seat(t, p, "G1"), "std") || !p.Fits(seat(t, p, "G1"), "") {
		t.Error("fits")
	}
	if !slices.Equal(p.AreasFor("gold"), []int{1}) || !slices.Equal(p.AreasFor(""), []int{0, 1}) || p.AreasFor("none") != nil {
		t.Error("areas for")
	}
}

// Each rule of a choice, with the seat it names.
func TestCheck(t *testing.T) {
	p := twoAreas(t, api.OrderSeat{SeatID: "1-1-2"}) // A2 is sold, but the order's own
	twoStd := Need{Total: 2, ByCategory: map[string]int{"std": 2}}
	stdAndAny := Need{Total: 2, ByCategory: map[string]int{"std": 1, "": 1}}
	tests := []struct {
		name   string
		chosen []string
		need   Need
		kind   ProblemKind
		about  string
	}{
		{"free and own", []string{"A1", "A2"}, twoStd, 0, ""},
		{"sofa whole", []string{"A5", "A6"}, twoStd, 0, ""},
		{"broken", []string{"A1", "B3"}, twoStd, NotTakeable, "B3"},
		{"twice", []string{"A1", "A1"}, twoStd, NotTakeable, "A1"},
		{"half a sofa", []string{"A1", "A5"}, twoStd, GroupSplit, "A5"},
		{"too few", []string{"A1"}, twoStd, CountMismatch, ""},
		{"too many", []string{"A1", "A3", "A4"}, twoStd, CountMismatch, ""},
		{"gold for standard tickets", []string{"A1", "G1"}, twoStd, AreaNotAllowed, "G1"},
		{"gold for a ticket that may sit anywhere", []string{"G1", "A1"}, stdAndAny, 0, ""},
		{"two golds for one anywhere", []string{"G1", "G2"}, stdAndAny, AreaNotAllowed, "G2"},
	}
	for _, tt := range tests {
		err := p.Check(seats(t, p, tt.chosen...), tt.need)
		var pr *Problem
		switch {
		case tt.kind == 0 && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.kind == 0:
		case !errors.As(err, &pr) || pr.Kind != tt.kind:
			t.Errorf("%s: %v, want kind %v", tt.name, err, tt.kind)
		case tt.about != "" && p.Seats[pr.Seat].Name() != tt.about:
			t.Errorf("%s: about %d (%v), want %s", tt.name, pr.Seat, err, tt.about)
		case pr.Error() == "":
			t.Errorf("%s: no words", tt.name)
		}
	}
	var pr *Problem
	if err := p.Check([]int{99}, twoStd); !errors.As(err, &pr) || pr.Kind != NoSuchSeat {
		t.Errorf("a seat outside the plan: %v", err)
	}
	if err := p.Check(nil, Need{}); err != nil {
		t.Errorf("nothing for nothing: %v", err)
	}
}

// Toggle takes and frees a sofa whole and refuses what cannot be had.
func TestToggle(t *testing.T) {
	l := layoutOf(testArea{"Stalls", "std", []string{"A"}, []string{"oo()()h"}})
	avail := allFree(l)
	avail.SeatAvailabilities[1].Status = api.SeatSold // A2
	avail.SeatAvailabilities[5].Status = api.SeatSold // A6, half of the second sofa
	p := mustPlan(t, l, avail)
	chosen, err := p.Toggle(nil, seat(t, p, "A4"))
	if err != nil || !slices.Equal(p.Names(chosen), []string{"A3", "A4"}) {
		t.Fatalf("taking half a sofa: %v %v", p.Names(chosen), err)
	}
	before := slices.Clone(chosen)
	chosen, err = p.Toggle(chosen, seat(t, p, "A1"))
	if err != nil || len(chosen) != 3 || !slices.Equal(before, []int{chosen[0], chosen[1]}) {
		t.Fatalf("then A1: %v %v", p.Names(chosen), err)
	}
	freed, err := p.Toggle(chosen, seat(t, p, "A3"))
	if err != nil || !slices.Equal(p.Names(freed), []string{"A1"}) || len(chosen) != 3 {
		t.Errorf("freeing the sofa: %v %v (given %v)", p.Names(freed), err, p.Names(chosen))
	}
	for name, kind := range map[string]ProblemKind{"A2": NotTakeable, "A5": GroupSplit, "A7": NotTakeable} {
		var pr *Problem
		got, err := p.Toggle(chosen, seat(t, p, name))
		if !errors.As(err, &pr) || pr.Kind != kind || len(got) != 3 {
			t.Errorf("%s: %v %v", name, p.Names(got), err)
		}
	}
	if _, err := p.Toggle(nil, -1); err == nil {
		t.Error("a seat outside the plan was taken")
	}
}
