package seatmap

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/seating/seatingtest"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

// The map's frames for auditoriums of 400 seats (22 columns, 20 rows) and
// 1,500 (52 columns, 30 rows, wider than 80 columns so it scrolls
// sideways), in a room of 80x18 in 256 colours, as the counter gives it.
// One frame is 16.7 ms; each figure must be well within it.

var benchSizes = []int{400, 1500}

// benchMap is a map of about n seats, every seventh sold, the order
// holding two, for two tickets of the stalls (so the back area is marked
// as not for them).
func benchMap(b *testing.B, n int) *Map {
	l := seatingtest.Auditorium(n)
	avail := seatingtest.AllFree(l)
	for i := range avail.SeatAvailabilities {
		if i%7 == 0 {
			avail.SeatAvailabilities[i].Status = "Sold"
		}
	}
	p, err := seating.NewPlan(l, avail, nil)
	if err != nil {
		b.Fatal(err)
	}
	m := New(commontest.New().Ctx, p, seating.Need{Total: 2, ByCategory: map[string]int{"std": 2}})
	m.SetSize(80, 18)
	m.View()
	return m
}

// walk is a round of arrow keys over the house: right along a row, down
// through the rows, left, and up again, so that the map scrolls both ways.
func walk(n int) []tea.KeyMsg {
	var keys []tea.KeyMsg
	for _, k := range []tea.KeyType{tea.KeyRight, tea.KeyDown, tea.KeyLeft, tea.KeyUp} {
		for range n {
			keys = append(keys, tea.KeyMsg{Type: k})
		}
	}
	return keys
}

func benchEach(b *testing.B, run func(b *testing.B, m *Map, keys []tea.KeyMsg)) {
	withProfile(b, termenv.ANSI256)
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("seats=%d", n), func(b *testing.B) {
			m := benchMap(b, n)
			b.ReportAllocs()
			run(b, m, walk(30))
		})
	}
}

var sinkView string

// BenchmarkSeatMapArrow is Update for one arrow key.
func BenchmarkSeatMapArrow(b *testing.B) {
	benchEach(b, func(b *testing.B, m *Map, keys []tea.KeyMsg) {
		i := 0
		for b.Loop() {
			m.Update(keys[i%len(keys)])
			i++
		}
	})
}

// BenchmarkSeatMapView is View after an arrow key: the frame Bubble Tea draws.
func BenchmarkSeatMapView(b *testing.B) {
	benchEach(b, func(b *testing.B, m *Map, keys []tea.KeyMsg) {
		i := 0
		for b.Loop() {
			b.StopTimer()
			m.Update(keys[i%len(keys)])
			i++
			b.StartTimer()
			sinkView = m.View()
		}
	})
}

// BenchmarkSeatMapKeyFrame is an arrow key and its frame together: what the
// operator waits for.
func BenchmarkSeatMapKeyFrame(b *testing.B) {
	benchEach(b, func(b *testing.B, m *Map, keys []tea.KeyMsg) {
		i := 0
		for b.Loop() {
			m.Update(keys[i%len(keys)])
			i++
			sinkView = m.View()
		}
	})
}

// BenchmarkSeatMapColdView is a frame drawn from nothing: the first, and the one
// after the map scrolls sideways or is resized.
func BenchmarkSeatMapColdView(b *testing.B) {
	benchEach(b, func(b *testing.B, m *Map, _ []tea.KeyMsg) {
		for b.Loop() {
			m.draw.invalidate()
			sinkView = m.View()
		}
	})
}

// BenchmarkSeatMapSetPlan is fresh availability after a refusal, and its frame.
func BenchmarkSeatMapSetPlan(b *testing.B) {
	benchEach(b, func(b *testing.B, m *Map, _ []tea.KeyMsg) {
		p := m.Plan()
		for b.Loop() {
			m.SetPlan(p)
			sinkView = m.View()
		}
	})
}
