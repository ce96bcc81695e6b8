package seatmap

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/ui/common"
)

// notOffered is the map's own mark, beyond seating's: a seat the order
// could have, in an area none of its tickets may use.
const notOffered = seating.MarkBroken + 1

func symbol(mk seating.Mark) rune {
	if mk == notOffered {
		return '-'
	}
	return mk.Rune()
}

// markOf is what the map shows for a seat: the choice first, then whether
// the tickets may sit there, then the seat's state and kind.
func (m *Map) markOf(seat int) seating.Mark {
	s := &m.plan.Seats[seat]
	if m.isChosen[seat] {
		if s.State == seating.Mine {
			return seating.MarkMine
		}
		return seating.MarkChosen
	}
	switch s.State {
	case seating.Free, seating.Mine:
		if !m.allowed[s.Area] {
			return notOffered
		}
		return m.plan.KindMark(seat)
	}
	return m.plan.MarkOf(seat)
}

// describe says what the seat is, for the line under the map.
func (m *Map) describe(seat int) string {
	s := m.plan.Seats[seat]
	var state string
	switch mk := m.markOf(seat); {
	case mk == notOffered:
		state = "free, but not for these tickets"
	case s.State == seating.Mine && !m.isChosen[seat]:
		state = "this order's, let go: sending gives it up"
	case mk == seating.MarkMine || mk == seating.MarkChosen || mk == seating.MarkTaken || mk == seating.MarkHouse || mk == seating.MarkBroken:
		state = mk.Meaning()
	default:
		state = "free"
	}
	parts := []string{s.Name() + ": " + state}
	if kind := kindWords(m.plan, seat); kind != "" && !strings.Contains(state, kind) {
		parts = append(parts, kind)
	}
	return strings.Join(append(parts, areaWords(m.plan.Areas[s.Area])), " · ")
}

// kindWords names a seat's kind when it is not a plain seat.
func kindWords(p *seating.Plan, seat int) string {
	s := p.Seats[seat]
	switch {
	case s.Kind == api.SeatWheelchair:
		return "wheelchair space"
	case s.Kind == api.SeatCompanion:
		return "companion seat"
	case len(s.Group) > 1:
		others := slices.DeleteFunc(slices.Clone(s.Group), func(g int) bool { return g == seat })
		return groupWord(s) + " with " + joinNames(p, others)
	case s.Kind == api.SeatSofa:
		return "sofa seat"
	}
	return ""
}

func groupWord(s seating.Seat) string {
	if s.Kind == api.SeatSofa {
		return "sofa"
	}
	return "group"
}

func joinNames(p *seating.Plan, seats []int) string { return strings.Join(p.Names(seats), ", ") }

func areaWords(a seating.Area) string {
	switch {
	case a.Name == "" && a.Category == "":
		return fmt.Sprintf("area %d", a.Number)
	case a.Name == "" || strings.EqualFold(a.Name, a.Category):
		return common.OrDefault(a.Name, a.Category)
	case a.Category == "":
		return a.Name
	}
	return a.Name + " (" + a.Category + ")"
}

// heading is an area's line above its rows: its name and category, and,
// while placing tickets of an area category, whether they may sit here.
func (m *Map) heading(area int) string {
	a := m.plan.Areas[area]
	s := m.draw.palette
	text := s.heading.Render(areaWords(a))
	switch {
	case !m.placing:
	case m.allowed[area]:
		n := m.need.ByCategory[a.CategoryID] + m.need.ByCategory[""]
		text += s.allowed.Render(" — for " + common.Plural(n, "ticket") + " here")
	default:
		text += s.muted.Render(" — not for these tickets (-)")
	}
	return text
}

// notAllowedWords refuses a seat in an area none of the tickets may use.
func notAllowedWords(m *Map, seat int) string {
	s := m.plan.Seats[seat]
	var areas []string
	for i, ok := range m.allowed {
		if ok {
			areas = append(areas, areaWords(m.plan.Areas[i]))
		}
	}
	where := "none of this layout's areas is for them"
	if len(areas) > 0 {
		where = "they may sit in " + strings.Join(areas, " or ")
	}
	return fmt.Sprintf("%s is in %s, where none of these tickets may sit: %s.", s.Name(), areaWords(m.plan.Areas[s.Area]), where)
}

// ticketsWords is the tickets that need seats: "2 tickets", "2 Standard
// tickets", "3 tickets (2 Standard, 1 Premium)".
func (m *Map) ticketsWords() string {
	var parts []string
	for cat, n := range m.need.ByCategory {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, m.categoryWords(cat)))
		}
	}
	sort.Strings(parts)
	all := common.Plural(m.need.Total, "ticket")
	if len(parts) == 1 && m.placing {
		for cat := range m.need.ByCategory {
			if name := m.categoryName(cat); name != "" && m.need.ByCategory[cat] > 0 {
				return fmt.Sprintf("%d %s %s", m.need.Total, name, strings.TrimPrefix(all, fmt.Sprint(m.need.Total)+" "))
			}
		}
	}
	if len(parts) > 1 || len(parts) == 1 && m.placing {
		return all + " (" + strings.Join(parts, ", ") + ")"
	}
	return all
}

// categoryName is an area category's name, "" when no area of the layout
// names it.
func (m *Map) categoryName(cat string) string {
	for _, a := range m.plan.Areas {
		if a.CategoryID == cat && cat != "" && a.Category != "" {
			return a.Category
		}
	}
	return ""
}

func (m *Map) categoryWords(cat string) string {
	switch name := m.categoryName(cat); {
	case cat == "":
		return "for any area"
	case name == "":
		return "of area category " + cat
	default:
		return name
	}
}

// countWords is how the choice stands against the tickets: "2 seats for 2
// tickets: 1 chosen".
func (m *Map) countWords() string {
	if m.need.Total == 0 {
		return fmt.Sprintf("No ticket needs a seat: %d chosen", len(m.chosen))
	}
	return fmt.Sprintf("%s for %s: %d chosen", common.Plural(m.need.Total, "seat"), m.ticketsWords(), len(m.chosen))
}

// problemWords says why a choice cannot be sent, and what to do.
func problemWords(m *Map, pr *seating.Problem) string {
	if pr.Kind != seating.CountMismatch {
		return common.UpperFirst(pr.Error()) + "."
	}
	switch {
	case pr.Want > pr.Got:
		return fmt.Sprintf("%s. Take %s more, then F7 sends them.", m.countWords(), common.Plural(pr.Want-pr.Got, "seat"))
	case pr.Want == 0:
		return m.countWords() + ". Free them, then F7 sends the change."
	}
	return fmt.Sprintf("%s. Free %s, then F7 sends them.", m.countWords(), common.Plural(pr.Got-pr.Want, "seat"))
}

func sendingWords(p *seating.Plan, seats []int) string {
	if len(seats) == 0 {
		return "Sending: no seats…"
	}
	return "Sending " + joinNames(p, seats) + "…"
}

func lostWords(p *seating.Plan, seats []int) string {
	if len(seats) == 1 {
		return joinNames(p, seats) + " is no longer free: it is not chosen any more."
	}
	return joinNames(p, seats) + " are no longer free: they are not chosen any more."
}

// header is the map's first line: the showtime, and the choice against the
// tickets.
func (m *Map) header() string {
	text := m.countWords()
	if len(m.chosen) > 0 {
		text += " (" + joinNames(m.plan, sortedSeats(m.chosen)) + ")"
	}
	if m.title != "" {
		// After the choice, which matters more when the width is short.
		text += " · " + m.title
	}
	return m.ctx.Styles.Title.Render("Seats") + " · " + text
}

// status is the line under the map: the outcome of the last key or
// answer, else what is typed, else a send under way, else the seat under
// the cursor with what the keys would do.
func (m *Map) status() (common.Kind, string) {
	switch {
	case m.note.text != "" || m.dropped != "":
		kind := m.note.kind
		if m.note.text == "" {
			kind = common.Warning
		}
		return kind, strings.TrimSpace(m.note.text + " " + m.dropped)
	case m.typed != "":
		return m.typedStatus()
	case m.sending:
		return common.Busy, sendingWords(m.plan, m.sent)
	}
	return common.Info, m.describe(m.cursor) + " · " + m.hints()
}

func (m *Map) hints() string {
	var h []string
	s := m.plan.Seats[m.cursor]
	switch {
	case m.isChosen[m.cursor]:
		h = append(h, "enter frees")
	case s.State.Takeable() && m.allowed[s.Area]:
		h = append(h, "enter takes")
	}
	if len(m.chosen) == m.need.Total {
		h = append(h, "F7 sends")
	}
	return strings.Join(append(h, "esc closes"), " · ")
}

func (m *Map) typedStatus() (common.Kind, string) {
	said := "Go to: " + m.typed
	seat, err := m.plan.Lookup(m.typed)
	switch {
	case err == nil:
		verb := "enter takes it"
		if m.isChosen[seat] {
			verb = "enter frees it"
		}
		return common.Info, said + " → " + m.describe(seat) + " · " + verb
	case m.plan.Partial(m.typed):
		return common.Info, said + "… · type the rest of the seat's name, row and number (F12)"
	}
	return common.Failure, said + " · " + err.Error() + ". Backspace edits, esc clears."
}
