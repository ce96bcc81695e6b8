package seating

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// testArea is an area drawn as text, one string per grid row from row 1:
// 'o' a seat, 'w' a wheelchair space, 'c' a companion seat, '(' and ')' a
// sofa for two, 'h' a house seat, 'x' a broken one, anything else no seat.
// Seats are numbered from 1 left to right, aisles skipped.
type testArea struct {
	name, category string
	rowLabels      []string
	rows           []string
}

// layoutOf builds a layout response from areas. Seat ids are
// "<area>-<row>-<column>", so that they never read like labels.
func layoutOf(areas ...testArea) *api.SeatLayoutResponse {
	r := &api.SeatLayoutResponse{SeatLayout: api.SeatLayout{ID: "test-layout"}}
	kinds := map[rune]api.SeatType{'o': api.SeatNormal, 'w': api.SeatWheelchair, 'c': api.SeatCompanion,
		'(': api.SeatSofa, ')': api.SeatSofa, 'h': api.SeatHouse, 'x': api.SeatBroken}
	for ai, ta := range areas {
		a := api.SeatArea{Number: ai + 1, AreaCategoryID: ta.category, Name: api.Text(ta.name), RowCount: len(ta.rows)}
		r.RelatedData.AreaCategories = append(r.RelatedData.AreaCategories, api.AreaCategory{ID: ta.category, Name: api.Text(ta.category + " seats")})
		for ri, line := range ta.rows {
			a.ColumnCount = max(a.ColumnCount, len(line))
			row := api.SeatRow{Label: ta.rowLabels[ri]}
			n := 0
			for ci, ch := range line {
				kind, ok := kinds[ch]
				if !ok {
					continue
				}
				n++
				s := api.LayoutSeat{ID: fmt.Sprintf("%d-%d-%d", ai+1, ri+1, ci+1), Label: fmt.Sprint(n), Type: kind,
					Position: api.SeatPosition{AreaNumber: ai + 1, RowIndex: ri + 1, ColumnIndex: ci + 1}}
				if ch == '(' || ch == ')' {
					left := ci + 1
					if ch == ')' {
						left = ci
					}
					s.SeatsInGroup = []string{fmt.Sprintf("%d-%d-%d", ai+1, ri+1, left), fmt.Sprintf("%d-%d-%d", ai+1, ri+1, left+1)}
				}
				row.Seats = append(row.Seats, s)
			}
			a.Rows = append(a.Rows, row)
		}
		r.SeatLayout.Areas = append(r.SeatLayout.Areas, a)
	}
	return r
}

// allFree says every seat of the layout is available.
func allFree(l *api.SeatLayoutResponse) *api.SeatAvailabilityResponse {
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

func mustPlan(t testing.TB, l *api.SeatLayoutResponse, avail *api.SeatAvailabilityResponse, held ...api.OrderSeat) *Plan {
	t.Helper()
	p, err := NewPlan(l, avail, held)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func seat(t testing.TB, p *Plan, name string) int {
	t.Helper()
	s, err := p.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func seats(t testing.TB, p *Plan, names ...string) []int {
	t.Helper()
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = seat(t, p, n)
	}
	return out
}

// apiSample decodes one of the client's Vista-shaped samples.
func apiSample(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "api", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
