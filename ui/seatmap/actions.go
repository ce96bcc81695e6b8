package seatmap

import (
	"errors"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/ui/common"
)

// maxTyped bounds a typed name: the longest is an area's name, a colon and
// a seat's name; a paste of anything longer is not a seat.
const maxTyped = 40

// prepare reads what the map needs of its plan and need: the areas the
// tickets may use, and the drawing's lines.
func (m *Map) prepare() {
	p := m.plan
	m.allowed = make([]bool, len(p.Areas))
	m.restricted = false
	cats := m.need.ByCategory
	m.placing = hasCategory(cats)
	anywhere := cats[""] > 0 || !m.placing
	for i, a := range p.Areas {
		m.allowed[i] = anywhere || cats[a.CategoryID] > 0
		m.restricted = m.restricted || !m.allowed[i]
	}
	if len(m.isChosen) != len(p.Seats) {
		m.isChosen = make([]bool, len(p.Seats))
	}
	m.draw.build(m)
	if m.cursor >= len(p.Seats) {
		m.cursor = 0
	}
}

// hasCategory reports whether some ticket is of an area category.
func hasCategory(cats map[string]int) bool {
	for cat, n := range cats {
		if n > 0 && cat != "" {
			return true
		}
	}
	return false
}

// setChosen replaces the choice.
func (m *Map) setChosen(seats []int) {
	for _, s := range m.chosen {
		m.isChosen[s] = false
		m.draw.seatChanged(m, s)
	}
	m.chosen = seats
	for _, s := range m.chosen {
		m.isChosen[s] = true
		m.draw.seatChanged(m, s)
	}
}

// stillTakeable keeps the chosen seats the plan lets the order have, whole
// sofas or groups, and says which it let go.
func (m *Map) stillTakeable(chosen []int) []int {
	p := m.plan
	var kept, lost []int
	for _, s := range chosen {
		if slices.Contains(kept, s) || slices.Contains(lost, s) {
			continue
		}
		group := p.Seats[s].Group
		if group == nil {
			group = []int{s}
		}
		ok := true
		for _, g := range group {
			ok = ok && p.Seats[g].State.Takeable()
		}
		if ok {
			kept = append(kept, s)
			continue
		}
		for _, g := range group {
			if slices.Contains(chosen, g) && !slices.Contains(lost, g) {
				lost = append(lost, g)
			}
		}
	}
	if len(lost) > 0 {
		m.dropped = lostWords(p, sortedSeats(lost))
	}
	return kept
}

// startSeat is where the cursor opens: the order's first seat, else the
// free seat nearest the middle of the first area the tickets may use, about
// two thirds of the way back from the screen, where a customer would sit.
func (m *Map) startSeat() int {
	if held := m.plan.Held(); len(held) > 0 {
		return held[0]
	}
	area := max(slices.Index(m.allowed, true), 0)
	a := m.plan.Areas[area]
	row := a.Rows * 2 / 3
	if m.plan.Front == seating.Bottom {
		row = a.Rows / 3
	}
	// A normal free seat first, then any the order may have, then any.
	best, bestTier, bestScore := -1, 0, 0
	for s, seat := range m.plan.Seats {
		if seat.Area != area {
			continue
		}
		dr, dc := seat.GridRow-row, 2*seat.GridCol-(a.Columns-1)
		score, tier := 4*dr*dr+dc*dc, 2
		switch {
		case m.plan.MarkOf(s) == seating.MarkFree:
			tier = 0
		case seat.State.Takeable():
			tier = 1
		}
		if best < 0 || tier < bestTier || tier == bestTier && score < bestScore {
			best, bestTier, bestScore = s, tier, score
		}
	}
	return max(best, 0)
}

func (m *Map) setCursor(seat int) {
	if seat == m.cursor {
		return
	}
	m.draw.seatChanged(m, m.cursor)
	m.cursor = seat
	m.draw.seatChanged(m, seat)
}

func (m *Map) move(d seating.Direction) {
	m.typed = ""
	if next, ok := m.plan.Step(m.cursor, d); ok {
		m.setCursor(next)
	}
}

// take takes or frees the seat under the cursor, or the seat whose name is
// typed.
func (m *Map) take() {
	if m.sending {
		m.note = note{common.Busy, "The seats are being sent: wait for the answer."}
		return
	}
	if m.typed != "" {
		seat, err := m.plan.Lookup(m.typed)
		if err != nil {
			m.note = note{common.Failure, common.UpperFirst(err.Error()) + ". Backspace edits, esc clears."}
			return
		}
		m.typed = ""
		m.setCursor(seat)
	}
	m.toggle(m.cursor)
}

func (m *Map) toggle(seat int) {
	p := m.plan
	s := p.Seats[seat]
	if !m.isChosen[seat] && s.State.Takeable() && !m.allowed[s.Area] {
		m.note = note{common.Failure, notAllowedWords(m, seat)}
		return
	}
	next, err := p.Toggle(m.chosen, seat)
	if err != nil {
		m.note = note{common.Failure, common.UpperFirst(err.Error()) + "."}
		return
	}
	m.setChosen(next)
	if len(s.Group) > 1 {
		verb := "Took"
		if !m.isChosen[seat] {
			verb = "Freed"
		}
		m.note = note{common.Info, verb + " " + groupWord(s) + " " + joinNames(p, s.Group) + " whole: its seats go together."}
	}
}

// send checks the choice against the tickets and sends it, or says in
// words why it cannot go.
func (m *Map) send() tea.Cmd {
	m.typed = ""
	if m.sending {
		m.note = note{common.Busy, "The seats are being sent: wait for the answer."}
		return nil
	}
	seats := sortedSeats(m.chosen)
	if err := m.plan.Check(seats, m.need); err != nil {
		var pr *seating.Problem
		if !errors.As(err, &pr) {
			m.note = note{common.Failure, common.UpperFirst(err.Error()) + "."}
			return nil
		}
		m.note = note{common.Failure, problemWords(m, pr)}
		if pr.Seat >= 0 {
			m.setCursor(pr.Seat)
		}
		return nil
	}
	m.sending, m.sent = true, seats
	return common.Intent(SendMsg{Seats: seats, IDs: m.plan.IDs(seats)})
}

func (m *Map) close() tea.Cmd {
	if m.typed != "" {
		m.typed = ""
		return nil
	}
	return common.Intent(CloseMsg{Changed: !slices.Equal(sortedSeats(m.chosen), m.plan.Held())})
}

func (m *Map) backspace() {
	if m.typed == "" {
		return
	}
	r := []rune(m.typed)
	m.typed = string(r[:len(r)-1])
	m.goTyped()
}

func (m *Map) typeRunes(r []rune) {
	typed := m.typed + string(r)
	if len([]rune(typed)) > maxTyped {
		m.note = note{common.Failure, "No seat has a name that long. Backspace edits, esc clears."}
		return
	}
	// After a name that found its seat, a key that cannot go on with it
	// starts the next name: "A1" then "F" is on the way to F12, not a
	// mistake to backspace away.
	if m.names(m.typed) && !m.names(typed) && !m.plan.Partial(typed) && m.plan.Partial(string(r)) {
		typed = string(r)
	}
	m.typed = typed
	m.goTyped()
}

// names reports whether typed is a seat's name.
func (m *Map) names(typed string) bool {
	_, err := m.plan.Lookup(typed)
	return err == nil
}

// goTyped puts the cursor on the seat whose name is typed, as soon as it
// names one.
func (m *Map) goTyped() {
	if strings.TrimSpace(m.typed) == "" {
		return
	}
	if seat, err := m.plan.Lookup(m.typed); err == nil {
		m.setCursor(seat)
	}
}

func sortedSeats(seats []int) []int {
	out := slices.Clone(seats)
	slices.Sort(out)
	return out
}

// scanLength is how long typed text that is no seat's name may grow before
// the map hands it back: a seat's name is short, and a barcode is not.
const scanLength = 4

// TypeOrHand takes typed text as the start of a seat's name, as Update
// does, unless it cannot be one and is already as long as a short barcode:
// then the map lets go of it, with what was typed before it, and returns it
// all, so that a voucher scanned while the map is open goes to the scan
// form whole instead of being lost as a mistyped seat. A person's typing
// mistake ("z9") stays here, said to be no seat.
func (m *Map) TypeOrHand(r []rune) (handed string) {
	typed := m.typed + string(r)
	seatLike := m.plan.Partial(typed) || m.names(typed) || (m.names(m.typed) && m.plan.Partial(string(r)))
	if !seatLike && len([]rune(typed)) >= scanLength {
		m.typed, m.note = "", note{}
		m.reflow()
		return typed
	}
	m.note, m.dropped = note{}, ""
	m.typeRunes(r)
	m.reflow()
	return ""
}

// Typing reports whether a seat's name is being typed.
func (m *Map) Typing() bool { return m.typed != "" }
