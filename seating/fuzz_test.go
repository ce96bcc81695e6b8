package seating

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// FuzzPlan feeds any seat layout a server might send through the plan and
// every rule a seat map calls: none of it may panic or hang.
func FuzzPlan(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "api", "testdata", "seat_layout.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"seatLayout":{"areas":[{"rowCount":-3,"columnCount":2000000000,"rows":[{"label":"A","seats":[{"id":"x","position":{"rowIndex":999999999,"columnIndex":1}}]}]}]}}`))
	f.Add([]byte(`{"seatLayout":{"areas":[{"rows":[{"seats":[{"id":"a","seatsInGroup":["a","b","a"]},{"id":"b","position":{"rowIndex":1,"columnIndex":1}}]}]}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var layout api.SeatLayoutResponse
		if json.Unmarshal(body, &layout) != nil {
			return
		}
		p, err := NewPlan(&layout, nil, []api.OrderSeat{{SeatID: "a"}})
		if err != nil {
			return
		}
		var chosen []int
		for s := range p.Seats {
			_, _ = p.Lookup(p.Seats[s].Name())
			_ = p.MarkOf(s)
			for _, d := range []Direction{Up, Down, Left, Right} {
				if n, _ := p.Step(s, d); n < 0 || n >= len(p.Seats) {
					t.Fatalf("step from %d went to %d", s, n)
				}
			}
			chosen, _ = p.Toggle(chosen, s)
		}
		_ = p.Check(chosen, Need{Total: len(chosen), ByCategory: map[string]int{"": len(chosen)}})
	})
}
