// Package seating holds the rules about a showtime's seats that are not about
// drawing, for the counter's seat map and the scripting commands alike: a
// Plan joins a seat layout with the seats' availability and the seats the
// order holds, places every seat on its area's grid (by the layout's
// positions, never by its labels), finds seats by position and by label
// ("F12"), says which areas a ticket type may use, how many seats an order's
// tickets need, and whether a choice of seats can be sent.
//
// Vista's seating guide is the source of the rules: each area belongs to an
// area category that decides which tickets may take its seats; a showtime
// without allocated seating needs no seats; seats of a sofa or group are
// taken and freed together (the last is this package's reading: the guide's
// table of seat types was not readable past its first row).
//
// A Plan is built once per layout and availability reading; every lookup it
// offers is a map or slice index, so a seat map can call them on each key.
package seating

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/boxoffice/boxoffice/api"
)

// Plan is one showtime's seats: the layout's areas and seats, and the state
// of each seat for one order.
type Plan struct {
	LayoutID string
	Areas    []Area
	// Seats are every seat of the layout, in the layout's order; a seat is
	// named everywhere else by its index here.
	Seats []Seat
	// Front is the edge of the grids nearest the screen: see guessFront.
	Front Edge

	byID    map[string]int
	byLabel map[string]int // normalised name -> seat, ambiguous when -1
	labels  []string       // byLabel's keys, sorted, for Partial
}

// Area is one area of the layout as a grid of Rows x Columns cells, each
// empty (an aisle or space) or holding one seat.
type Area struct {
	Number int
	Name   string
	// CategoryID and Category are the area category (id and name) that
	// decides which ticket types may sit here.
	CategoryID, Category string
	Rows, Columns        int
	// RowLabels holds the label of each grid row ("" for a row of the grid
	// with no seat), so a map can print it beside the row.
	RowLabels []string

	cells []int32 // Rows*Columns; -1 where there is no seat
}

// Seat is one seat of the plan.
type Seat struct {
	ID string
	// Row and Label are the row's label and the seat's own ("F", "12").
	Row, Label string
	// Area is the index of the seat's area in Plan.Areas; GridRow and
	// GridCol its cell there, from 0.
	Area             int
	GridRow, GridCol int
	Kind             api.SeatType
	State            State
	// Group lists the seats of the seat's sofa or group, itself included,
	// in layout order; nil for a seat that stands alone.
	Group []int
}

// Name is how the seat is spoken of: "F12".
func (s Seat) Name() string { return s.Row + s.Label }

// State is whether a seat may be taken by the order.
type State int

const (
	// Taken: sold, held by another order, or of a status the client does
	// not know (which is never offered as free), or left out of the
	// availability answer.
	Taken State = iota
	// Free: available to take.
	Free
	// Mine: held by this order.
	Mine
	// OutOfUse: broken or a house seat; never sold at the counter.
	OutOfUse
)

// Takeable reports whether the order may have the seat: free, or already its own.
func (s State) Takeable() bool { return s == Free || s == Mine }

// Edge is a side of the area grids.
type Edge int

const (
	Top Edge = iota
	Bottom
)

// SeatAt returns the seat in a cell of the area's grid (rows and columns
// from 0); ok is false for an empty cell or one outside the grid.
func (a *Area) SeatAt(row, col int) (seat int, ok bool) {
	if row < 0 || col < 0 || row >= a.Rows || col >= a.Columns {
		return -1, false
	}
	s := a.cells[row*a.Columns+col]
	return int(s), s >= 0
}

// maxGridSide bounds an area's rows and columns: the largest auditoriums
// have well under a hundred of either, and a position far beyond that is a
// server's mistake that must not cost the counter its memory or its frames.
const maxGridSide = 300

// ErrNoSeats is returned for a layout that has no seat.
var ErrNoSeats = errors.New("the seat layout has no seats")

// NewPlan builds the plan of a layout. avail is the seats' availability (nil
// when not read: then no seat is free but the order's own), held the seats
// the order holds for the showtime, which are its own whatever avail says:
// the order is the authority, availability lags behind it.
func NewPlan(layout *api.SeatLayoutResponse, avail *api.SeatAvailabilityResponse, held []api.OrderSeat) (*Plan, error) {
	p := &Plan{LayoutID: layout.SeatLayout.ID, byID: map[string]int{}, byLabel: map[string]int{}}
	for _, la := range layout.SeatLayout.Areas {
		if err := p.addArea(layout, la); err != nil {
			return nil, err
		}
	}
	if len(p.Seats) == 0 {
		return nil, ErrNoSeats
	}
	p.linkGroups(layout)
	p.index()
	p.Front = p.guessFront()
	p.SetAvailability(avail, held)
	return p, nil
}

// addArea places an area's seats on its grid. A seat without a position
// (row or column index below 1) takes its place in the layout's lists: its
// row's place among the area's rows, its place among the row's seats.
func (p *Plan) addArea(layout *api.SeatLayoutResponse, la api.SeatArea) error {
	a := Area{Number: la.Number, Name: string(la.Name), CategoryID: la.AreaCategoryID, Category: layout.CategoryName(la.AreaCategoryID)}
	type placed struct{ row, col int }
	var cells []placed
	first := len(p.Seats)
	rows, cols := la.RowCount, la.ColumnCount
	for ri, r := range la.Rows {
		for si, ls := range r.Seats {
			if ls.ID == "" {
				return fmt.Errorf("a seat of row %s of area %s has no id", r.Label, a.Name)
			}
			if _, dup := p.byID[ls.ID]; dup {
				return fmt.Errorf("seat id %s is in the layout twice", ls.ID)
			}
			row, col := ls.Position.RowIndex, ls.Position.ColumnIndex
			if row < 1 || col < 1 {
				row, col = ri+1, si+1
			}
			rows, cols = max(rows, row), max(cols, col)
			cells = append(cells, placed{row - 1, col - 1})
			p.byID[ls.ID] = len(p.Seats)
			p.Seats = append(p.Seats, Seat{ID: ls.ID, Row: r.Label, Label: ls.Label, Area: len(p.Areas), GridRow: row - 1, GridCol: col - 1, Kind: ls.Type})
		}
	}
	if rows > maxGridSide || cols > maxGridSide {
		return fmt.Errorf("area %s has a grid of %d rows and %d columns, more than a seat map can hold", a.Name, rows, cols)
	}
	a.Rows, a.Columns = rows, cols
	a.cells = make([]int32, rows*cols)
	for i := range a.cells {
		a.cells[i] = -1
	}
	a.RowLabels = make([]string, rows)
	for i, c := range cells {
		seat := first + i
		if k := c.row*cols + c.col; a.cells[k] < 0 {
			// Two seats in one cell: the first keeps it; the other is
			// still found by its label.
			a.cells[k] = int32(seat)
		}
		if a.RowLabels[c.row] == "" {
			a.RowLabels[c.row] = p.Seats[seat].Row
		}
	}
	p.Areas = append(p.Areas, a)
	return nil
}

// linkGroups gives each seat of a sofa or group the list of its group's
// seats. A group that names a seat the layout does not have keeps the ones
// it does.
func (p *Plan) linkGroups(layout *api.SeatLayoutResponse) {
	for _, la := range layout.SeatLayout.Areas {
		for _, r := range la.Rows {
			for _, ls := range r.Seats {
				if len(ls.SeatsInGroup) < 2 {
					continue
				}
				var group []int
				for _, id := range ls.SeatsInGroup {
					if i, ok := p.byID[id]; ok && !slices.Contains(group, i) {
						group = append(group, i)
					}
				}
				self := p.byID[ls.ID]
				if !slices.Contains(group, self) {
					group = append(group, self)
				}
				slices.Sort(group)
				if len(group) > 1 {
					p.Seats[self].Group = group
				}
			}
		}
	}
}

// index makes the label lookups: the seat's name ("F12"), and the same
// behind its area's number or name ("1:F12", "STALLS:F12") so that a name
// two areas share can still be told apart.
func (p *Plan) index() {
	add := func(key string, seat int) {
		if prev, ok := p.byLabel[key]; ok && prev != seat {
			p.byLabel[key] = -1
			return
		}
		p.byLabel[key] = seat
	}
	for i, s := range p.Seats {
		name := normalise(s.Row + s.Label)
		if name == "" {
			continue
		}
		a := p.Areas[s.Area]
		add(name, i)
		add(strconv.Itoa(a.Number)+":"+name, i)
		if a.Name != "" {
			add(normalise(a.Name)+":"+name, i)
		}
	}
	p.labels = make([]string, 0, len(p.byLabel))
	for key := range p.byLabel {
		p.labels = append(p.labels, key)
	}
	slices.Sort(p.labels)
}

// normalise folds a seat name for lookup: upper case, without spaces,
// dashes, dots, slashes or underscores ("f-12" and "F 12" are "F12").
func normalise(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '-', r == '.', r == '/', r == '_':
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// ByID finds a seat by its id.
func (p *Plan) ByID(id string) (seat int, ok bool) {
	seat, ok = p.byID[id]
	return seat, ok
}

// Lookup finds a seat by its name as an operator types it: "F12", "f 12",
// or, where two areas have a seat of that name, behind the area's number
// or name ("2:F12", "Circle:F12").
func (p *Plan) Lookup(name string) (seat int, err error) {
	key := normalise(name)
	if key == "" {
		return -1, errors.New("no seat given")
	}
	seat, ok := p.byLabel[key]
	switch {
	case !ok:
		return -1, fmt.Errorf("there is no seat %s in this showtime's layout", strings.TrimSpace(name))
	case seat < 0:
		return -1, fmt.Errorf("%s is the name of seats in more than one area: say which, e.g. %s", strings.TrimSpace(name), p.qualifiedExample(key))
	}
	return seat, nil
}

// Partial reports whether name, as an operator types it, is the start of
// some seat's name ("F1" of "F12", "Circle:" of "Circle:A1"), so that a map
// can wait for the rest instead of saying there is no such seat.
func (p *Plan) Partial(name string) bool {
	key := normalise(name)
	if key == "" {
		return false
	}
	i, _ := slices.BinarySearch(p.labels, key)
	return i < len(p.labels) && strings.HasPrefix(p.labels[i], key)
}

func (p *Plan) qualifiedExample(key string) string {
	var names []string
	for _, a := range p.Areas {
		if s, ok := p.byLabel[strconv.Itoa(a.Number)+":"+key]; ok && s >= 0 {
			names = append(names, cmp.Or(a.Name, strconv.Itoa(a.Number))+":"+p.Seats[s].Name())
		}
	}
	return strings.Join(names, " or ")
}

// SetAvailability sets each seat's state from a fresh availability reading
// and the seats the order holds, as NewPlan does; the layout stays.
func (p *Plan) SetAvailability(avail *api.SeatAvailabilityResponse, held []api.OrderSeat) {
	for i := range p.Seats {
		p.Seats[i].State = Taken
	}
	if avail != nil {
		for _, a := range avail.SeatAvailabilities {
			i, ok := p.byID[a.SeatID]
			if !ok {
				continue
			}
			switch {
			case a.Status.Free():
				p.Seats[i].State = Free
			case a.Status == api.SeatStatusBroken:
				p.Seats[i].State = OutOfUse
			}
		}
	}
	for i := range p.Seats {
		if k := p.Seats[i].Kind; k == api.SeatHouse || k == api.SeatBroken {
			p.Seats[i].State = OutOfUse
		}
	}
	for _, h := range held {
		if i, ok := p.byID[h.SeatID]; ok {
			p.Seats[i].State = Mine
		}
	}
}

// Held lists the seats the plan marks as the order's own, in layout order.
func (p *Plan) Held() []int {
	var out []int
	for i, s := range p.Seats {
		if s.State == Mine {
			out = append(out, i)
		}
	}
	return out
}

// IDs returns the seat ids of seats, for SetShowtime.
func (p *Plan) IDs(seats []int) []string {
	ids := make([]string, len(seats))
	for i, s := range seats {
		ids[i] = p.Seats[s].ID
	}
	return ids
}

// Names returns the names of seats ("F12"), for people.
func (p *Plan) Names(seats []int) []string {
	names := make([]string, len(seats))
	for i, s := range seats {
		names[i] = p.Seats[s].Name()
	}
	return names
}

// guessFront says which edge of the grids the screen is on. Layouts do not
// say, and their row indices may run either way (at one tenant row 1 was
// the back), so the row whose label sorts first ("A", or "1") is taken to be
// the front, as cinemas letter their rows from the screen. Top when nothing
// tells.
func (p *Plan) guessFront() Edge {
	for _, a := range p.Areas {
		first, last := -1, -1
		for r, label := range a.RowLabels {
			if label == "" {
				continue
			}
			if first < 0 || rowLabelLess(label, a.RowLabels[first]) {
				first = r
			}
			if last < 0 || rowLabelLess(a.RowLabels[last], label) {
				last = r
			}
		}
		if first >= 0 && first != last {
			if first > last {
				return Bottom
			}
			return Top
		}
	}
	return Top
}

// rowLabelLess orders row labels as they run in a cinema: shorter first
// (Z before AA), numbers by value.
func rowLabelLess(a, b string) bool {
	if x, err1 := strconv.Atoi(a); err1 == nil {
		if y, err2 := strconv.Atoi(b); err2 == nil {
			return x < y
		}
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
