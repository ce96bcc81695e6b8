package seatmap

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/seating/seatingtest"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

// A seat taken by another sale between choosing and sending: the server
// refuses, and the map drawn from fresh availability shows the seat taken,
// keeps the seat that is still free, puts the cursor on the one refused and
// says what happened, whichever the counter tells it first.
func TestFreshPlanAfterRefusal(t *testing.T) {
	for _, refusedFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("refused first %v", refusedFirst), func(t *testing.T) {
			d := demoWith(t, repeat(2, adult))
			m := d.open(80, 24)
			for _, name := range []string{"F12", "F13"} {
				typeKeys(m, name)
				press(m, tea.KeyEnter)
			}
			typeKeys(m, "A1")
			other := newOrder(t, d.client)
			if err := d.tickets(other, []string{adult}, "F13"); err != nil {
				t.Fatal(err)
			}
			sent, ok := commontest.Find[SendMsg](press(m, tea.KeyF7))
			if !ok {
				t.Fatalf("not sent:\n%s", m.View())
			}
			_, err := d.client.SetShowtime(context.Background(), d.orderID, demoShowtime,
				[]api.TicketRequest{{TicketTypeID: adult}, {TicketTypeID: adult}}, api.ChooseSeats(sent.IDs...))
			if err == nil {
				t.Fatal("the server took a seat sold to another order")
			}
			fresh := d.plan(d.orderID)
			refused := seatOf(t, fresh, "F13")
			if refusedFirst {
				m.Refused("F13 was sold to another customer meanwhile: choose another seat.", refused)
				m.SetPlan(fresh)
			} else {
				m.SetPlan(fresh)
				m.Refused("F13 was sold to another customer meanwhile: choose another seat.", refused)
			}
			if got := rowOf(t, m, "F"); !strings.Contains(got, "x o[x]* o") {
				t.Errorf("row F: %q", got)
			}
			if got := header(m); got != "Seats · 2 seats for 2 Standard tickets: 1 chosen (F12)" {
				t.Errorf("header %q", got)
			}
			want := "✗ F13 was sold to another customer meanwhile: choose another seat. F13 is no longer free: it is not chosen any more."
			if got := said(m); !strings.Contains(got, want) || m.Sending() {
				t.Errorf("want %q:\n%s", want, m.View())
			}
			press(m, tea.KeyF7)
			if got := said(m); !strings.Contains(got, "✗ 2 seats for 2 Standard tickets: 1 chosen. Take 1 seat more") {
				t.Errorf("F7 after the refusal:\n%s", m.View())
			}
		})
	}
}

// In a room smaller than the auditorium the map scrolls, and the cursor is
// always in view, from the front row to the back and back again; the
// screen's bar shows again at the front.
func TestScrollKeepsTheCursorInView(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(80, 12)
	walk := append(slicesOf(tea.KeyUp, 12), slicesOf(tea.KeyDown, 20)...)
	walk = append(walk, slicesOf(tea.KeyUp, 20)...)
	for i, k := range walk {
		press(m, k)
		row, _ := cursor(m)
		if row == "" || !strings.HasPrefix(status(m), row) {
			t.Fatalf("step %d: the cursor is on row %q, the status says %q:\n%s", i, row, status(m), m.View())
		}
		if n := len(lines(m)); n != 12 {
			t.Fatalf("step %d: %d lines", i, n)
		}
	}
	if view := m.View(); !strings.Contains(view, "SCREEN") || !strings.Contains(view, "↓") {
		t.Errorf("at the front:\n%s", view)
	}
	press(m, slicesOf(tea.KeyDown, 20)...)
	if view := m.View(); strings.Contains(view, "SCREEN") || !strings.Contains(view, "↑") || !strings.Contains(view, " R ") {
		t.Errorf("at the back:\n%s", view)
	}
}

// A layout that lists its rows from the back has the screen below them,
// and the map scrolls to it at the front row.
func TestScreenBelow(t *testing.T) {
	l := seatingtest.Layout(seatingtest.Area{Name: "Lounge", Category: "gold",
		RowLabels: []string{"F", "E", "D", "C", "B", "A"}, Rows: []string{"oooo", "oooo", "oooo", "oooo", "oooo", "(). wc"}})
	p, err := seating.NewPlan(l, seatingtest.AllFree(l), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := New(commontest.New().Ctx, p, seating.Need{Total: 2, ByCategory: map[string]int{"gold": 2}})
	m.SetSize(40, 13)
	ls := lines(m)
	if !strings.HasPrefix(ls[7], " A ") || !strings.Contains(ls[8], "SCREEN") || strings.ContainsAny(m.View(), "↑↓") {
		t.Errorf("the screen is not below row A:\n%s", m.View())
	}
	m.SetSize(40, 10)
	typeKeys(m, "A1")
	if ls := lines(m); !strings.Contains(ls[4], "[s]") || !strings.Contains(ls[5], "SCREEN") || !strings.HasPrefix(ls[1], "↑") {
		t.Errorf("at the front row:\n%s", m.View())
	}
	typeKeys(m, "F1")
	if ls := lines(m); !strings.Contains(ls[2], "[o]") || strings.Contains(m.View(), "SCREEN") || !strings.HasPrefix(ls[5], "↓") {
		t.Errorf("at the back row:\n%s", m.View())
	}
}

// An auditorium wider than the room scrolls sideways between the row
// labels, which stay, and says which way there is more.
func TestScrollSideways(t *testing.T) {
	m := synthetic(t, 1500, seating.Need{Total: 2, ByCategory: map[string]int{"": 2}})
	m.SetSize(60, 14)
	typeKeys(m, "K1")
	press(m, tea.KeyEnter)
	for i := 2; i <= 50; i++ {
		press(m, tea.KeyRight)
		row, _ := cursor(m)
		if row != "K" || !strings.HasPrefix(status(m), fmt.Sprintf("K%d:", i)) {
			t.Fatalf("seat %d: cursor on row %q, status %q:\n%s", i, row, status(m), m.View())
		}
		line := rowOf(t, m, "K")
		if w := ansi.StringWidth(line); w > 60 {
			t.Fatalf("a row of %d columns", w)
		}
		if i == 2 && (!strings.Contains(line, "›") || strings.Contains(line, "‹")) {
			t.Errorf("at the left end: %q", line)
		}
		if i == 50 && (strings.Contains(line, "›") || !strings.Contains(line, "‹")) {
			t.Errorf("at the right end: %q", line)
		}
	}
	press(m, tea.KeyEsc)
	typeKeys(m, "K1")
	if got := rowOf(t, m, "K"); !strings.Contains(got, "[*]o") {
		t.Errorf("back at K1: %q", got)
	}
}

// Whatever the room, the map draws no more lines than its height and no
// line wider than its width, in colour or not, whatever it is saying.
func TestNeverLargerThanItsRoom(t *testing.T) {
	d := demoWith(t, repeat(2, adult), "F12", "F13")
	states := map[string]func(m *Map){
		"opened": func(*Map) {},
		"typing": func(m *Map) { typeKeys(m, "f1") },
		"refused": func(m *Map) {
			m.Refused(strings.Repeat("The server refused the seats for a reason it spelled out at length. ", 5), 3)
		},
		"count": func(m *Map) { press(m, tea.KeyEnter, tea.KeyF7) },
	}
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.ANSI256} {
		lipgloss.SetColorProfile(profile)
		for name, state := range states {
			for _, mk := range []func() *Map{func() *Map { return d.open(80, 24) }, func() *Map { return synthetic(t, 1500, seating.Need{Total: 1}) }} {
				m := mk()
				state(m)
				for _, w := range []int{0, 1, 2, 3, 5, 8, 12, 20, 30, 40, 59, 60, 61, 62, 79, 80, 81, 100, 120, 200} {
					for _, h := range []int{0, 1, 2, 3, 4, 5, 6, 8, 10, 14, 16, 18, 24, 40, 60} {
						m.SetSize(w, h)
						checkRoom(t, fmt.Sprintf("%s %v %dx%d", name, profile, w, h), m, w, h)
					}
				}
			}
		}
	}
	lipgloss.SetColorProfile(termenv.Ascii)
}

func checkRoom(t *testing.T, what string, m *Map, w, h int) {
	t.Helper()
	view := m.View()
	if view == "" {
		return
	}
	ls := strings.Split(view, "\n")
	if len(ls) > h {
		t.Fatalf("%s: %d lines:\n%s", what, len(ls), view)
	}
	for _, l := range ls {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s: a line of %d columns: %q", what, lw, l)
		}
	}
}

func slicesOf(k tea.KeyType, n int) []tea.KeyType {
	out := make([]tea.KeyType, n)
	for i := range out {
		out[i] = k
	}
	return out
}
