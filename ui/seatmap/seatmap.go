// Package seatmap is the counter's seat map: a showtime's areas, rows and
// seats placed as the layout places them, with the screen's side marked, on
// which the operator chooses the order's seats with the keyboard alone.
//
// Every seat is told apart by its symbol as well as its colour, so that a
// terminal without colour (NO_COLOR) loses nothing: o free, x taken, # this
// order's, * chosen and not yet sent, w wheelchair space, c companion seat,
// s sofa seat, h house seat, ! out of use, - a free seat that none of the
// tickets may use; the cursor is drawn in brackets, [o].
//
// Keys: the arrows move; enter or space takes or frees the seat under the
// cursor (a sofa or group whole); typing a seat's name (F12, f12) goes to it
// as it is typed, and enter then takes it; backspace edits what is typed;
// F7 sends the choice once it is as many seats as the tickets need; esc
// clears what is typed, else closes the map without sending.
//
// The map decides nothing with the server: it says what the operator chose
// with SendMsg and CloseMsg, and is told the outcome with SetPlan (fresh
// availability) and Refused (the server's words).
package seatmap

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/ui/common"
)

// SendMsg says the operator sent a choice of seats (F7) that the map has
// checked against the tickets (seating.Plan.Check): the counter sets the
// showtime's tickets on these seats. Seats are indices into the plan's
// Seats, in layout order; IDs are their seat ids, for SetShowtime. Until
// the counter answers with SetPlan or Refused, the map takes no other
// choice.
type SendMsg struct {
	Seats []int
	IDs   []string
}

// CloseMsg says the operator closed the map without sending (esc): the
// order keeps the seats it holds. Changed is whether the operator had
// changed the choice, which is let go.
type CloseMsg struct{ Changed bool }

// Map is the seat map of one showtime for one order.
type Map struct {
	ctx   *common.Context
	keys  keyMap
	plan  *seating.Plan
	need  seating.Need
	title string

	// chosen are the seats the operator has chosen, in the order taken;
	// isChosen indexes them by seat.
	chosen   []int
	isChosen []bool
	// allowed says, per area, whether any of the tickets may sit there;
	// restricted is whether some area is not allowed, and placing whether
	// some ticket is of an area category, so that areas are marked.
	allowed             []bool
	restricted, placing bool

	cursor int
	// typed is a seat's name being typed.
	typed string
	// note is the last outcome (a refusal, a send under way) until the
	// next key; dropped says which chosen seats fresh availability took
	// away.
	note    note
	dropped string
	// sending is whether the seats sent are waiting for the answer.
	sending bool
	sent    []int

	width, height int
	draw          drawing
}

type note struct {
	kind common.Kind
	text string
}

// New opens the map on a plan for tickets that need need. The seats the
// order holds start chosen, and the cursor on the first of them, else on the
// best free seat near the middle of the first area the tickets may use.
func New(ctx *common.Context, plan *seating.Plan, need seating.Need) *Map {
	m := &Map{ctx: ctx, keys: newKeyMap(), need: need, width: 80, height: 16}
	m.draw.palette = newPalette(ctx.Styles)
	m.SetPlan(plan)
	return m
}

// SetTitle names the showtime at the end of the map's first line ("Paper
// Moons 19:30, Screen 4").
func (m *Map) SetTitle(title string) {
	m.title = title
	m.reflow()
}

// SetNeed changes how many seats the tickets need, and so the areas they
// may use, when the order's tickets change while the map is open.
func (m *Map) SetNeed(need seating.Need) {
	m.need = need
	m.prepare()
	m.reflow()
}

// SetPlan redraws the map from a fresh plan of the same layout (after a
// refusal, or a send): the cursor stays, and the chosen seats stay as far
// as they can still be taken; those that cannot are let go, whole sofas at
// a time, and the map says which. A plan of another layout starts afresh,
// as New does. A send under way is over.
func (m *Map) SetPlan(plan *seating.Plan) {
	same := m.plan != nil && plan.LayoutID == m.plan.LayoutID && len(plan.Seats) == len(m.plan.Seats)
	before := m.chosen
	m.plan, m.sending, m.dropped = plan, false, ""
	m.prepare()
	if same {
		m.setChosen(m.stillTakeable(before))
	} else {
		m.chosen = nil
		clear(m.isChosen)
		m.setChosen(plan.Held())
		m.cursor = m.startSeat()
	}
	m.reflow()
}

// Refused shows the server's refusal of a choice in the operator's words,
// and puts the cursor on the seat it names (-1 for none). A send under way
// is over.
func (m *Map) Refused(words string, seat int) {
	m.sending = false
	m.note = note{common.Failure, words}
	if seat >= 0 && seat < len(m.plan.Seats) {
		m.setCursor(seat)
	}
	m.reflow()
}

// Plan is the plan the map draws.
func (m *Map) Plan() *seating.Plan { return m.plan }

// Chosen is the seats chosen, in layout order.
func (m *Map) Chosen() []int { return sortedSeats(m.chosen) }

// Sending reports whether a SendMsg is waiting for its answer.
func (m *Map) Sending() bool { return m.sending }

// SetSize gives the map its room; View never draws more.
func (m *Map) SetSize(width, height int) {
	m.width, m.height = max(width, 0), max(height, 0)
	m.draw.sized(m)
	m.reflow()
}

// Want is how many lines the map would like at its width: all of it with
// no scrolling.
func (m *Map) Want() int {
	return 1 + len(m.draw.lines) + len(m.draw.legend) + max(len(m.draw.status), 1)
}

// Update takes the map's keys; it answers with a SendMsg or CloseMsg
// intent, or nothing.
func (m *Map) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	cmd := m.key(k)
	m.reflow()
	return cmd
}

func (m *Map) key(k tea.KeyMsg) tea.Cmd {
	m.note, m.dropped = note{}, ""
	switch {
	case key.Matches(k, m.keys.Up):
		m.move(seating.Up)
	case key.Matches(k, m.keys.Down):
		m.move(seating.Down)
	case key.Matches(k, m.keys.Left):
		m.move(seating.Left)
	case key.Matches(k, m.keys.Right):
		m.move(seating.Right)
	case key.Matches(k, m.keys.Take):
		m.take()
	case key.Matches(k, m.keys.Send):
		return m.send()
	case key.Matches(k, m.keys.Close):
		return m.close()
	case key.Matches(k, m.keys.Edit):
		m.backspace()
	case k.Type == tea.KeyRunes:
		m.typeRunes(k.Runes)
	}
	return nil
}

type keyMap struct{ Up, Down, Left, Right, Take, Send, Close, Edit key.Binding }

func newKeyMap() keyMap {
	return keyMap{
		Up:    key.NewBinding(key.WithKeys("up"), key.WithHelp("←↑↓→", "move")),
		Down:  key.NewBinding(key.WithKeys("down")),
		Left:  key.NewBinding(key.WithKeys("left")),
		Right: key.NewBinding(key.WithKeys("right")),
		Take:  key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter/space", "take or free")),
		Send:  key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "send seats")),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		// Typing a seat's name has no key of its own: the help names it
		// beside backspace, which edits what is typed.
		Edit: key.NewBinding(key.WithKeys("backspace"), key.WithHelp("a-z 0-9 ⌫", "type a seat's name")),
	}
}

// ShortHelp is the help bar while the map is open.
func (m *Map) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Up, m.keys.Take, m.keys.Edit, m.keys.Send, m.keys.Close}
}

// FullHelp lists the map's keys.
func (m *Map) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
