// Package seatingtest builds seat layouts for tests from text, so that a
// test of the seating rules or of a seat map can draw the auditorium it
// needs in a few lines, and benchmarks can build auditoriums of any size.
package seatingtest

import (
	"fmt"

	"github.com/boxoffice/boxoffice/api"
)

// Area is an area drawn as text, one string per grid row from row 1: 'o' a
// seat, 'w' a wheelchair space, 'c' a companion seat, '(' and ')' a sofa
// for two, 'h' a house seat, 'x' a broken one, anything else no seat.
// Seats are numbered from 1 left to right, aisles skipped.
type Area struct {
	Name, Category string
	RowLabels      []string
	Rows           []string
}

var kinds = map[rune]api.SeatType{'o': api.SeatNormal, 'w': api.SeatWheelchair, 'c': api.SeatCompanion,
	'(': api.SeatSofa, ')': api.SeatSofa, 'h': api.SeatHouse, 'x': api.SeatBroken}

// Layout builds a layout response from areas, each of its own area
// category (named "<category> seats"). Seat ids are
// "<area>-<row>-<column>", so that they never read like labels.
func Layout(areas ...Area) *api.SeatLayoutResponse {
	r := &api.SeatLayoutResponse{SeatLayout: api.SeatLayout{ID: "test-layout"}}
	for ai, ta := range areas {
		a := api.SeatArea{Number: ai + 1, AreaCategoryID: ta.Category, Name: api.Text(ta.Name), RowCount: len(ta.Rows)}
		r.RelatedData.AreaCategories = append(r.RelatedData.AreaCategories, api.AreaCategory{ID: ta.Category, Name: api.Text(ta.Category + " seats")})
		for ri, line := range ta.Rows {
			a.ColumnCount = max(a.ColumnCount, len(line))
			a.Rows = append(a.Rows, layoutRow(ai+1, ri+1, ta.RowLabels[ri], line))
		}
		r.SeatLayout.Areas = append(r.SeatLayout.Areas, a)
	}
	return r
}

func layoutRow(area, row int, label, line string) api.SeatRow {
	out := api.SeatRow{Label: label}
	id := func(col int) string { return fmt.Sprintf("%d-%d-%d", area, row, col) }
	n := 0
	for ci, ch := range line {
		kind, ok := kinds[ch]
		if !ok {
			continue
		}
		n++
		s := api.LayoutSeat{ID: id(ci + 1), Label: fmt.Sprint(n), Type: kind,
			Position: api.SeatPosition{AreaNumber: area, RowIndex: row, ColumnIndex: ci + 1}}
		if ch == '(' || ch == ')' {
			left := ci + 1
			if ch == ')' {
				left = ci
			}
			s.SeatsInGroup = []string{id(left), id(left + 1)}
		}
		out.Seats = append(out.Seats, s)
	}
	return out
}

// AllFree says every seat of the layout is available.
func AllFree(l *api.SeatLayoutResponse) *api.SeatAvailabilityResponse {
	out := &api.SeatAvailabilityResponse{}
	for _, a := range l.SeatLayout.Areas {
		for _, r := range a.Rows {
			for _, s := range r.Seats {
				out.SeatAvailabilities = append(out.SeatAvailabilities, api.SeatAvailability{SeatID: s.ID, Status: api.SeatAvailable})
			}
		}
	}
	return out
}

// Auditorium is a layout of about n seats: stalls (category "std") with two
// aisles and a front row of wheelchair spaces and companion seats, and a
// back area of premium seats (category "premium") whose last row is sofas
// for two. Rows are 22 columns wide up to 800 seats, 52 beyond.
func Auditorium(n int) *api.SeatLayoutResponse {
	cols := 20
	if n > 800 {
		cols = 50
	}
	rows := n / cols
	premium := max(rows/5, 2)
	line := func(kind func(c int) byte) string {
		b := make([]byte, cols+2)
		for c, k := 0, 0; c < len(b); c++ {
			if c == cols/4 || c == cols-cols/4 {
				b[c] = '.'
				continue
			}
			b[c] = kind(k)
			k++
		}
		return string(b)
	}
	stalls := Area{Name: "Stalls", Category: "std"}
	back := Area{Name: "Premium", Category: "premium"}
	for r := range rows {
		switch {
		case r == 0:
			stalls.Rows = append(stalls.Rows, line(func(c int) byte { return "wwcc"[c%4] }))
		case r < rows-premium:
			stalls.Rows = append(stalls.Rows, line(func(int) byte { return 'o' }))
		case r < rows-1:
			back.Rows = append(back.Rows, line(func(int) byte { return 'o' }))
		default:
			back.Rows = append(back.Rows, line(func(c int) byte { return "()"[c%2] }))
		}
	}
	for i := range stalls.Rows {
		stalls.RowLabels = append(stalls.RowLabels, RowLabel(i))
	}
	for i := range back.Rows {
		back.RowLabels = append(back.RowLabels, RowLabel(len(stalls.Rows)+i))
	}
	return Layout(stalls, back)
}

// RowLabel is the label of the i-th row from the front, as cinemas letter
// them: A to Z, then AA, AB...
func RowLabel(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return string(rune('A'+i/26-1)) + string(rune('A'+i%26))
}
