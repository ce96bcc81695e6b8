package seating

// Direction is a step on the map: up and down as the grid is drawn (row 0
// at the top), whatever edge the screen is on.
type Direction int

const (
	Up Direction = iota
	Down
	Left
	Right
)

// Step is the seat a cursor on seat moves to: left and right, the next seat
// of its grid row, skipping aisles; up and down, the nearest seat by column
// in the next grid row that has one, going on into the area above or below
// (in layout order) at its edge. ok is false at the edge of the plan.
func (p *Plan) Step(seat int, d Direction) (next int, ok bool) {
	s := p.Seats[seat]
	a := &p.Areas[s.Area]
	switch d {
	case Left, Right:
		step := 1
		if d == Left {
			step = -1
		}
		for c := s.GridCol + step; c >= 0 && c < a.Columns; c += step {
			if n, ok := a.SeatAt(s.GridRow, c); ok {
				return n, true
			}
		}
		return seat, false
	}
	step := 1
	if d == Up {
		step = -1
	}
	col := s.GridCol
	for ai, r := s.Area, s.GridRow+step; ai >= 0 && ai < len(p.Areas); ai += step {
		area := &p.Areas[ai]
		if ai != s.Area {
			// Into the next area: from its edge nearest the last, at the
			// same column as far as the grids line up.
			r = 0
			if step < 0 {
				r = area.Rows - 1
			}
		}
		for ; r >= 0 && r < area.Rows; r += step {
			if n, ok := area.nearestInRow(r, col); ok {
				return n, true
			}
		}
	}
	return seat, false
}

// nearestInRow is the seat of grid row r nearest column col, the left one
// of two as near.
func (a *Area) nearestInRow(r, col int) (int, bool) {
	col = min(max(col, 0), a.Columns-1)
	for d := 0; d < a.Columns; d++ {
		if n, ok := a.SeatAt(r, col-d); ok {
			return n, true
		}
		if n, ok := a.SeatAt(r, col+d); ok {
			return n, true
		}
	}
	return -1, false
}
