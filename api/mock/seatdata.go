package mock

import (
	"fmt"
	"slices"
	"strings"
)

// AreaCategory is a kind of seating area (Standard, Premium, ...): a ticket
// type of a category may only take seats in areas of that category.
type AreaCategory struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SeatLayout is an auditorium's seats, for the showtimes of its screen.
type SeatLayout struct {
	ID       string     `json:"id"`
	ScreenID string     `json:"screenId"`
	Areas    []SeatArea `json:"areas"`
}

// SeatArea is a block of seats of one area category, drawn as rows. Its
// number is its place among the layout's areas, from 1.
type SeatArea struct {
	Name           string    `json:"name"`
	AreaCategoryID string    `json:"areaCategoryId"`
	Rows           []SeatRow `json:"rows"`
}

// SeatRow is one grid row of an area, from the top of the drawing. Seats
// has one character per grid column (see seatKinds); a row with no seats is
// a gap and needs no label. Seats are numbered from FirstNumber (default 1)
// counting only seats, from the left, or from the right when Numbering is
// "rtl", so labels follow seats, not columns.
type SeatRow struct {
	Label       string `json:"label"`
	Seats       string `json:"seats"`
	Numbering   string `json:"numbering,omitempty"`
	FirstNumber int    `json:"firstNumber,omitempty"`
}

// seatKinds maps the characters of SeatRow.Seats to the kind of seat the
// layout calls it. '(' starts a sofa, '=' continues it and ')' ends it; a
// space or '.' is no seat (an aisle or space).
var seatKinds = map[rune]string{
	'o': "Normal", 'w': "Wheelchair", 'c': "Companion", 'h': "House", 'x': "Broken",
	'(': "Sofa", '=': "Sofa", ')': "Sofa",
}

// Allocation modes of a showtime (Showtime.Seating).
const (
	seatingNone      = "none"
	seatingAuto      = "auto"
	seatingAutoFails = "autoFails"
	seatingManual    = "manual"
)

// seatingMode reads Showtime.Seating in any letter case; "" is none, and an
// unknown mode is "".
func seatingMode(s string) string {
	if s == "" {
		return seatingNone
	}
	for _, m := range [...]string{seatingNone, seatingAuto, seatingAutoFails, seatingManual} {
		if strings.EqualFold(s, m) {
			return m
		}
	}
	return ""
}

// parsedSeat is one seat of a row as its pattern draws it.
type parsedSeat struct {
	column int // from 1
	kind   string
	label  string
	// sofa is the column of the sofa's first seat, 0 for a seat alone.
	sofa int
}

// parseRow reads a row's pattern. The problem it returns says what is wrong
// in words for a person editing the file.
func parseRow(r SeatRow) ([]parsedSeat, string) {
	var seats []parsedSeat
	sofaStart := 0
	for i, ch := range []rune(r.Seats) {
		col := i + 1
		if ch == ' ' || ch == '.' {
			if sofaStart != 0 {
				return nil, fmt.Sprintf("the sofa at column %d has no ')' before the gap at column %d", sofaStart, col)
			}
			continue
		}
		kind, ok := seatKinds[ch]
		if !ok {
			return nil, fmt.Sprintf("column %d: %q is not a seat (want o w c h x ( = ) or a space or '.')", col, ch)
		}
		switch ch {
		case '(':
			if sofaStart != 0 {
				return nil, fmt.Sprintf("column %d: a sofa starts inside the sofa of column %d", col, sofaStart)
			}
			sofaStart = col
		case '=', ')':
			if sofaStart == 0 {
				return nil, fmt.Sprintf("column %d: %q outside a sofa (a sofa is '(' then any '=' then ')')", col, ch)
			}
		default:
			if sofaStart != 0 {
				return nil, fmt.Sprintf("the sofa at column %d has no ')' before column %d", sofaStart, col)
			}
		}
		seats = append(seats, parsedSeat{column: col, kind: kind, sofa: sofaStart})
		if ch == ')' {
			sofaStart = 0
		}
	}
	if sofaStart != 0 {
		return nil, fmt.Sprintf("the sofa at column %d has no ')'", sofaStart)
	}
	first := r.FirstNumber
	if first == 0 {
		first = 1
	}
	for i := range seats {
		n := i
		if strings.EqualFold(r.Numbering, "rtl") {
			n = len(seats) - 1 - i
		}
		seats[i].label = fmt.Sprint(first + n)
	}
	return seats, ""
}

// validateSeating checks area categories, seat layouts, the ticket types'
// categories and the showtimes' seating. The caller has checked the rest.
func (d *Data) validateSeating() *pathError {
	categories := map[string]bool{}
	for i, c := range d.AreaCategories {
		p := fmt.Sprintf("$.areaCategories[%d]", i)
		if err := needText(p, "id", c.ID); err != nil {
			return err
		}
		if err := needText(p, "name", c.Name); err != nil {
			return err
		}
		if categories[c.ID] {
			return perr(p+".id", "duplicate area category id %q", c.ID)
		}
		categories[c.ID] = true
	}
	for i, tt := range d.TicketTypes {
		if tt.AreaCategoryID != "" && !categories[tt.AreaCategoryID] {
			return perr(fmt.Sprintf("$.ticketTypes[%d].areaCategoryId", i), "no area category has id %q", tt.AreaCategoryID)
		}
	}
	screens := map[string]bool{}
	for _, s := range d.Screens {
		screens[s.ID] = true
	}
	layouts := map[string]SeatLayout{}
	names := map[string]map[string]string{} // layout -> seat name -> kind
	for i, l := range d.SeatLayouts {
		p := fmt.Sprintf("$.seatLayouts[%d]", i)
		seatNames, err := validateLayout(p, l, screens, categories)
		if err != nil {
			return err
		}
		if _, dup := layouts[l.ID]; dup {
			return perr(p+".id", "duplicate seat layout id %q", l.ID)
		}
		layouts[l.ID] = l
		names[l.ID] = seatNames
	}
	for i, st := range d.Showtimes {
		if err := validateShowtimeSeating(fmt.Sprintf("$.showtimes[%d]", i), st, d.SeatLayouts, names); err != nil {
			return err
		}
	}
	return nil
}

func validateLayout(p string, l SeatLayout, screens, categories map[string]bool) (map[string]string, *pathError) {
	if err := needText(p, "id", l.ID); err != nil {
		return nil, err
	}
	if !screens[l.ScreenID] {
		return nil, perr(p+".screenId", "no screen has id %q", l.ScreenID)
	}
	if len(l.Areas) == 0 {
		return nil, perr(p+".areas", "must list at least one area")
	}
	names := map[string]string{}
	for j, a := range l.Areas {
		ap := fmt.Sprintf("%s.areas[%d]", p, j)
		if err := needText(ap, "name", a.Name); err != nil {
			return nil, err
		}
		if !categories[a.AreaCategoryID] {
			return nil, perr(ap+".areaCategoryId", "no area category has id %q", a.AreaCategoryID)
		}
		if len(a.Rows) == 0 {
			return nil, perr(ap+".rows", "must list at least one row")
		}
		for k, r := range a.Rows {
			rp := fmt.Sprintf("%s.rows[%d]", ap, k)
			seats, problem := parseRow(r)
			switch {
			case problem != "":
				return nil, perr(rp+".seats", "%s", problem)
			case r.Numbering != "" && !strings.EqualFold(r.Numbering, "ltr") && !strings.EqualFold(r.Numbering, "rtl"):
				return nil, perr(rp+".numbering", "%q is not ltr or rtl", r.Numbering)
			case r.FirstNumber < 0:
				return nil, perr(rp+".firstNumber", "must not be negative")
			case len(seats) > 0 && strings.TrimSpace(r.Label) == "":
				return nil, perr(rp+".label", "must not be empty for a row with seats")
			}
			for _, s := range seats {
				name := r.Label + s.label
				if _, dup := names[name]; dup {
					return nil, perr(rp+".seats", "seat %s is in the layout twice: seat names must be unique in a layout", name)
				}
				names[name] = s.kind
			}
		}
	}
	return names, nil
}

func validateShowtimeSeating(p string, st Showtime, layouts []SeatLayout, names map[string]map[string]string) *pathError {
	mode := seatingMode(st.Seating)
	if mode == "" {
		return perr(p+".seating", "%q is not a seating mode (want none, auto, autoFails or manual)", st.Seating)
	}
	layoutID := st.SeatLayoutID
	if layoutID != "" {
		i := slices.IndexFunc(layouts, func(l SeatLayout) bool { return l.ID == layoutID })
		if i < 0 {
			return perr(p+".seatLayoutId", "no seat layout has id %q", layoutID)
		}
		if layouts[i].ScreenID != st.ScreenID {
			return perr(p+".seatLayoutId", "seat layout %q is of screen %q, not the showtime's screen %q", layoutID, layouts[i].ScreenID, st.ScreenID)
		}
	} else if i := slices.IndexFunc(layouts, func(l SeatLayout) bool { return l.ScreenID == st.ScreenID }); i >= 0 {
		layoutID = layouts[i].ID
	}
	if layoutID == "" && (mode != seatingNone || len(st.SoldSeats) > 0) {
		return perr(p+".seating", "screen %q has no seat layout, so its showtimes cannot have allocated seating or sold seats", st.ScreenID)
	}
	seen := map[string]bool{}
	for j, name := range st.SoldSeats {
		kind, ok := names[layoutID][name]
		sp := fmt.Sprintf("%s.soldSeats[%d]", p, j)
		switch {
		case !ok:
			return perr(sp, "seat layout %q has no seat %q", layoutID, name)
		case seen[name]:
			return perr(sp, "seat %s is listed twice", name)
		case kind == "House" || kind == "Broken":
			return perr(sp, "seat %s is a %s seat, which is never sold", name, strings.ToLower(kind))
		}
		seen[name] = true
	}
	return nil
}
