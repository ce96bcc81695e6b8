package seating

import (
	"fmt"
	"slices"
	"strings"

	"github.com/boxoffice/boxoffice/api"
)

// TicketAreas maps ticket type ids to the area category whose seats their
// tickets may take; a type it does not name, or names with "", may sit in
// any area (the server still has the last word).
type TicketAreas map[string]string

// TicketAreasOf reads the ticket types' area categories from a showtime's
// ticket prices.
func TicketAreasOf(prices *api.TicketPricesResponse) TicketAreas {
	areas := TicketAreas{}
	if prices == nil {
		return areas
	}
	for _, t := range prices.RelatedData.TicketTypes {
		if t.AreaCategoryID != "" {
			areas[t.ID] = t.AreaCategoryID
		}
	}
	return areas
}

// Need is how many seats tickets need: in all, and per area category, with
// "" counting the tickets that may sit in any area.
type Need struct {
	Total      int
	ByCategory map[string]int
}

// SeatsNeeded is how many seats tickets of these types need on a showtime.
// None on a showtime without allocated seating, and none for a ticket whose
// area category the showtime does not allocate.
func SeatsNeeded(st api.Showtime, ticketTypeIDs []string, areas TicketAreas) Need {
	need := Need{ByCategory: map[string]int{}}
	if !st.IsAllocatedSeating {
		return need
	}
	for _, typeID := range ticketTypeIDs {
		cat := areas[typeID]
		if !categoryAllocated(st, cat) {
			continue
		}
		need.Total++
		need.ByCategory[cat]++
	}
	return need
}

// SeatsNeededFor is SeatsNeeded for the tickets an order holds on the showtime.
func SeatsNeededFor(st api.Showtime, ost api.OrderShowtime, areas TicketAreas) Need {
	ids := make([]string, len(ost.Tickets))
	for i, t := range ost.Tickets {
		ids[i] = t.TicketTypeID
	}
	return SeatsNeeded(st, ids, areas)
}

func categoryAllocated(st api.Showtime, cat string) bool {
	for _, c := range st.AreaCategories {
		if c.AreaCategoryID == cat && cat != "" && c.IsAllocatedSeating != nil {
			return *c.IsAllocatedSeating
		}
	}
	return true
}

// Fits reports whether a ticket of area category cat may take the seat: a
// ticket of no known category may sit anywhere.
func (p *Plan) Fits(seat int, cat string) bool {
	return cat == "" || p.Areas[p.Seats[seat].Area].CategoryID == cat
}

// AreasFor lists the areas a ticket of area category cat may use.
func (p *Plan) AreasFor(cat string) []int {
	var out []int
	for i, a := range p.Areas {
		if cat == "" || a.CategoryID == cat {
			out = append(out, i)
		}
	}
	return out
}

// ProblemKind is which rule a choice of seats breaks.
type ProblemKind int

const (
	// NotTakeable: a seat is taken, out of use, or not the order's.
	NotTakeable ProblemKind = iota + 1
	// GroupSplit: part of a sofa or group is chosen without the rest.
	GroupSplit
	// CountMismatch: the seats are not as many as the tickets need.
	CountMismatch
	// AreaNotAllowed: a seat is in an area no remaining ticket may use.
	AreaNotAllowed
	// NoSuchSeat: a seat index that is not in the plan.
	NoSuchSeat
)

// Problem is why a choice of seats cannot be sent, in words for the
// operator (Error). Seat is the seat it is about, -1 when none.
type Problem struct {
	Kind      ProblemKind
	Seat      int
	Want, Got int
	text      string
}

func (p *Problem) Error() string { return p.text }

func (p *Plan) problem(kind ProblemKind, seat int, format string, args ...any) *Problem {
	return &Problem{Kind: kind, Seat: seat, text: fmt.Sprintf(format, args...)}
}

// Check tells whether a choice of seats can be sent for tickets that need
// need: every seat free or the order's own, a sofa or group chosen whole,
// as many seats as the tickets need, and each seat in an area one of the
// tickets may use. nil when it can.
func (p *Plan) Check(chosen []int, need Need) error {
	seen := make(map[int]bool, len(chosen))
	for _, s := range chosen {
		if s < 0 || s >= len(p.Seats) {
			return p.problem(NoSuchSeat, -1, "seat %d is not in this showtime's layout", s)
		}
		if seen[s] {
			return p.problem(NotTakeable, s, "%s is chosen twice", p.Seats[s].Name())
		}
		seen[s] = true
		if !p.Seats[s].State.Takeable() {
			return p.problem(NotTakeable, s, "%s is %s", p.Seats[s].Name(), p.stateWords(s))
		}
	}
	for _, s := range chosen {
		for _, g := range p.Seats[s].Group {
			if !seen[g] {
				return p.problem(GroupSplit, s, "%s is part of a %s with %s: they are taken together", p.Seats[s].Name(), p.groupWord(s), strings.Join(p.Names(p.Seats[s].Group), ", "))
			}
		}
	}
	if len(chosen) != need.Total {
		pr := p.problem(CountMismatch, -1, "%s chosen for %s that need seats", plural(len(chosen), "seat"), plural(need.Total, "ticket"))
		pr.Want, pr.Got = need.Total, len(chosen)
		return pr
	}
	left := make(map[string]int, len(need.ByCategory))
	for c, n := range need.ByCategory {
		left[c] = n
	}
	// A seat goes to a ticket of its own area's category first and to one
	// that may sit anywhere only after: no other order can fit where this
	// one does not.
	for _, s := range chosen {
		cat := p.Areas[p.Seats[s].Area].CategoryID
		switch {
		case left[cat] > 0 && cat != "":
			left[cat]--
		case left[""] > 0:
			left[""]--
		default:
			return p.problem(AreaNotAllowed, s, "%s is in %s, which none of the remaining tickets may use", p.Seats[s].Name(), p.areaWords(s))
		}
	}
	return nil
}

// Toggle takes a seat into a choice, or frees it if chosen, with its whole
// sofa or group. chosen is not modified. A seat that is taken or out of use,
// or whose group is not all free, is refused.
func (p *Plan) Toggle(chosen []int, seat int) ([]int, error) {
	if seat < 0 || seat >= len(p.Seats) {
		return chosen, p.problem(NoSuchSeat, -1, "seat %d is not in this showtime's layout", seat)
	}
	group := p.Seats[seat].Group
	if group == nil {
		group = []int{seat}
	}
	if slices.Contains(chosen, seat) {
		return slices.DeleteFunc(slices.Clone(chosen), func(s int) bool { return slices.Contains(group, s) }), nil
	}
	for _, g := range group {
		if !p.Seats[g].State.Takeable() {
			if g == seat {
				return chosen, p.problem(NotTakeable, seat, "%s is %s", p.Seats[seat].Name(), p.stateWords(seat))
			}
			return chosen, p.problem(GroupSplit, seat, "%s is part of a %s with %s, which is %s: they are taken together", p.Seats[seat].Name(), p.groupWord(seat), p.Seats[g].Name(), p.stateWords(g))
		}
	}
	out := slices.Clone(chosen)
	for _, g := range group {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out, nil
}

func (p *Plan) stateWords(s int) string {
	switch p.Seats[s].State {
	case Free:
		return "free"
	case Mine:
		return "this order's"
	case OutOfUse:
		if p.Seats[s].Kind == api.SeatHouse {
			return "a house seat, not for sale"
		}
		return "out of use"
	}
	return "taken"
}

func (p *Plan) groupWord(s int) string {
	if p.Seats[s].Kind == api.SeatSofa {
		return "sofa"
	}
	return "group of seats"
}

func (p *Plan) areaWords(s int) string {
	a := p.Areas[p.Seats[s].Area]
	switch {
	case a.Name != "" && a.Category != "":
		return fmt.Sprintf("%s (%s)", a.Name, a.Category)
	case a.Name != "":
		return a.Name
	}
	return "area " + fmt.Sprint(a.Number)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
