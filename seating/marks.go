package seating

import "github.com/boxoffice/boxoffice/api"

// Mark is what a cell of the map shows, told apart by symbol so that a
// terminal without colour loses nothing. A map may draw its own runes; these
// are the defaults the scripting commands print.
type Mark int

const (
	// MarkNone: no seat (an aisle or space).
	MarkNone Mark = iota
	MarkFree
	MarkTaken
	MarkMine
	// MarkChosen: a seat picked on the map, not yet sent.
	MarkChosen
	MarkWheelchair
	MarkCompanion
	MarkSofa
	MarkHouse
	MarkBroken
)

var markRunes = [...]rune{' ', 'o', 'x', '#', '*', 'w', 'c', 's', 'h', '!'}

var markMeanings = [...]string{
	"no seat",
	"free",
	"taken",
	"this order's seat",
	"chosen, not yet sent",
	"wheelchair space, free",
	"companion seat, free",
	"sofa seat, free (taken with its sofa)",
	"house seat, not for sale",
	"out of use",
}

// Rune is the mark's symbol.
func (m Mark) Rune() rune { return markRunes[m] }

// Meaning is what the mark means, for a legend.
func (m Mark) Meaning() string { return markMeanings[m] }

// Legend lists the marks a map shows, in the order a legend gives them.
var Legend = []Mark{MarkFree, MarkTaken, MarkMine, MarkChosen, MarkWheelchair, MarkCompanion, MarkSofa, MarkHouse, MarkBroken}

// MarkOf is the mark of a seat: what the order can do with it first (its
// own, taken, out of use), then, for a free seat, its kind.
func (p *Plan) MarkOf(seat int) Mark {
	s := p.Seats[seat]
	switch s.State {
	case Mine:
		return MarkMine
	case Taken:
		return MarkTaken
	case OutOfUse:
		if s.Kind == api.SeatHouse {
			return MarkHouse
		}
		return MarkBroken
	}
	return p.KindMark(seat)
}

// KindMark is the mark a seat has when free, which says its kind: a map
// shows it for a seat of the order that the operator has let go of, which
// is the order's until the change is sent but no longer what it will hold.
func (p *Plan) KindMark(seat int) Mark {
	s := p.Seats[seat]
	switch s.Kind {
	case api.SeatWheelchair:
		return MarkWheelchair
	case api.SeatCompanion:
		return MarkCompanion
	case api.SeatSofa:
		return MarkSofa
	}
	if len(s.Group) > 1 {
		return MarkSofa
	}
	return MarkFree
}

// MarkAt is the mark of a cell of an area's grid.
func (p *Plan) MarkAt(area, row, col int) Mark {
	s, ok := p.Areas[area].SeatAt(row, col)
	if !ok {
		return MarkNone
	}
	return p.MarkOf(s)
}
