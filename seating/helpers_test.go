package seating

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating/seatingtest"
)

// testArea is an area drawn as text (see seatingtest.Area), short to write
// in a table.
type testArea struct {
	name, category string
	rowLabels      []string
	rows           []string
}

func layoutOf(areas ...testArea) *api.SeatLayoutResponse {
	out := make([]seatingtest.Area, len(areas))
	for i, a := range areas {
		out[i] = seatingtest.Area{Name: a.name, Category: a.category, RowLabels: a.rowLabels, Rows: a.rows}
	}
	return seatingtest.Layout(out...)
}

var allFree = seatingtest.AllFree

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
