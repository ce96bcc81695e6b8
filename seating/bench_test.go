package seating

import (
	"fmt"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating/seatingtest"
)

func benchPlan(b *testing.B, n int) *Plan {
	l := seatingtest.Auditorium(n)
	p := mustPlan(b, l, allFree(l))
	if got := len(p.Seats); got < n*9/10 || got > n*11/10 {
		b.Fatalf("%d seats, want about %d", got, n)
	}
	return p
}

var sizes = []int{400, 1500}

// Lookup by label: what typing "F12" on the map costs.
func BenchmarkLookup(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := benchPlan(b, n)
			names := make([]string, 0, 64)
			for i := 0; i < len(p.Seats); i += len(p.Seats) / 64 {
				names = append(names, strings.ToLower(p.Seats[i].Name()))
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := p.Lookup(names[i%len(names)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Area fit of every seat of the layout for one ticket type: what marking
// the areas a ticket type may use costs per frame.
func BenchmarkFitsEverySeat(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := benchPlan(b, n)
			b.ResetTimer()
			for range b.N {
				fit := 0
				for s := range p.Seats {
					if p.Fits(s, "premium") {
						fit++
					}
				}
				if fit == 0 {
					b.Fatal("no premium seat")
				}
			}
		})
	}
}

// Validation of a choice of ten seats (two of them a sofa) for ten tickets
// of two categories.
func BenchmarkCheck(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := benchPlan(b, n)
			var chosen []int
			for _, a := range []int{0, 1} {
				for s := range p.Seats {
					if p.Seats[s].Area == a && p.Seats[s].Kind == api.SeatNormal && len(chosen) < 4+4*a {
						chosen = append(chosen, s)
					}
				}
			}
			last := len(p.Seats) - 1
			chosen = append(chosen, p.Seats[last].Group...)
			need := Need{Total: len(chosen), ByCategory: map[string]int{"std": 4, "premium": len(chosen) - 4}}
			if err := p.Check(chosen, need); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if err := p.Check(chosen, need); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Toggle of a sofa seat into a choice of eight: what Enter on the map costs.
func BenchmarkToggle(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := benchPlan(b, n)
			chosen := []int{10, 11, 12, 13, 14, 15, 16, 17}
			sofa := len(p.Seats) - 1
			b.ResetTimer()
			for range b.N {
				if _, err := p.Toggle(chosen, sofa); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Step down through the whole house: what an arrow key costs.
func BenchmarkStep(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := benchPlan(b, n)
			b.ResetTimer()
			s := 0
			for range b.N {
				next, ok := p.Step(s, Down)
				if !ok {
					next = 0
				}
				s = next
			}
		})
	}
}

// A plan built from a layout and its availability: what each fresh reading
// of the map costs.
func BenchmarkNewPlan(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			l := seatingtest.Auditorium(n)
			avail := allFree(l)
			b.ResetTimer()
			for range b.N {
				if _, err := NewPlan(l, avail, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Fresh availability on a plan already built: what redrawing the map after
// a refusal costs.
func BenchmarkSetAvailability(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := benchPlan(b, n)
			avail := allFree(seatingtest.Auditorium(n))
			held := []api.OrderSeat{{SeatID: p.Seats[3].ID}, {SeatID: p.Seats[4].ID}}
			b.ResetTimer()
			for range b.N {
				p.SetAvailability(avail, held)
			}
		})
	}
}
