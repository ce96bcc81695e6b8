package seatmap

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/seating/seatingtest"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

// fuzzPlan is a 400-seat auditorium where every k-th seat is sold and the
// order holds two seats of the stalls.
func fuzzPlan(t testing.TB, layout *api.SeatLayoutResponse, k int) *seating.Plan {
	avail := seatingtest.AllFree(layout)
	for i := range avail.SeatAvailabilities {
		if k > 1 && i%k == 0 {
			avail.SeatAvailabilities[i].Status = api.SeatSold
		}
	}
	held := []api.OrderSeat{{SeatID: "1-5-3"}, {SeatID: "1-5-4"}}
	p, err := seating.NewPlan(layout, avail, held)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzKeys drives the map with any sequence of keys, sizes, refusals and
// fresh plans: it never panics and never draws outside its room.
func FuzzKeys(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{11, 3, 2, 9, 5, 10, 2, 4, 6, 12, 200, 13, 3, 6})
	f.Add([]byte{11, 0, 0, 1, 1, 11, 255, 255, 14, 4, 14, 14, 14, 8, 8, 7, 7})
	f.Add([]byte{11, 40, 9, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 6, 13, 2, 15, 9, 1, 10, 1, 4})
	f.Add([]byte("\x09\x11\x0a\x01\x04\x09\x1a\x0a\x63\x08\x08\x04\x06\x0c\x01\x0d\x07\x06"))
	layout := seatingtest.Auditorium(400)
	f.Fuzz(func(t *testing.T, script []byte) {
		m := New(commontest.New().Ctx, fuzzPlan(t, layout, 7), seating.Need{Total: 2, ByCategory: map[string]int{"std": 2}})
		w, h := 80, 16
		m.SetSize(w, h)
		next := func(i *int) byte {
			*i++
			if *i < len(script) {
				return script[*i]
			}
			return 0
		}
		for i := 0; i < len(script); i++ {
			switch op := script[i] % 16; op {
			case 11:
				w, h = int(next(&i))%140, int(next(&i))%50
				m.SetSize(w, h)
			case 12:
				m.Refused(strings.Repeat("refused ", int(next(&i))%30), int(next(&i))-20)
			case 13:
				m.SetPlan(fuzzPlan(t, layout, int(next(&i))%9))
			default:
				m.Update(fuzzKey(op, next(&i)))
			}
			checkRoom(t, fmt.Sprintf("after %d steps at %dx%d", i+1, w, h), m, w, h)
		}
	})
}

func fuzzKey(op, arg byte) tea.KeyMsg {
	switch op {
	case 9:
		return commontest.Runes(string(rune('A' + arg%26)))
	case 10:
		return commontest.Runes(fmt.Sprint(arg % 30))
	case 14:
		return commontest.Runes("K1" + string(rune('0'+arg%10)))
	case 15:
		return commontest.Runes(":")
	}
	keys := []tea.KeyType{tea.KeyUp, tea.KeyDown, tea.KeyLeft, tea.KeyRight, tea.KeyEnter, tea.KeySpace, tea.KeyF7, tea.KeyEsc, tea.KeyBackspace}
	return tea.KeyMsg{Type: keys[int(op)%len(keys)]}
}
