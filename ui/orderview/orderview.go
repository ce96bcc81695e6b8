// Package orderview is the order block at the top of the counter screen: the
// order's id and status, where, how long until it expires, its showtimes
// with their tickets, and its total. It folds as the screen needs room: the
// ticket lines go first (the tickets panel, when open, shows them anyway),
// then the showtimes, never the head or the total.
package orderview

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// ExpiryWarning is when the order's countdown starts to warn.
const ExpiryWarning = 2 * time.Minute

// maxBodyLines keeps a big order from pushing the rest of the screen off.
const maxBodyLines = 8

// State says what the block knows of the order.
type State int

const (
	// Loading: the order is being read for the first time.
	Loading State = iota
	// Loaded: the order is on screen.
	Loaded
	// NotLoaded: reading it failed; F5 tries again.
	NotLoaded
	// Ended: it was cancelled, has expired or no longer exists.
	Ended
	// Unknown: the server has no such order (a mistyped id).
	Unknown
)

// Showtime is one of the order's showtimes as the block shows it.
type Showtime struct {
	// Title is "The Long Night · Screen 1 · Sun 6 Dec 19:30".
	Title string
	// Tickets are its ticket lines, "2 × Adult   39.00  paid by …".
	Tickets []string
}

// Data is what the block is drawn from.
type Data struct {
	State     State
	ID        string
	Status    string
	Site      string
	ExpiresAt time.Time
	// Cancelled is set for an order this counter cancelled: a state, not a
	// failure.
	Cancelled bool
	Showtimes []Showtime
	Total     float64
	Tax       float64
	// Txn is the completion's transaction number.
	Txn string
	// Position is where the order sits among the run's orders, "order 2 of
	// 3 · F6 next"; "" with one order.
	Position string
	// Hint is the keys offered once the order has ended.
	Hint string
	// Chosen names the showtime picked for an order that has none yet,
	// "10:30 Pip and the Paper Kite": Ticket vouchers are scanned for it
	// before its tickets join the order.
	Chosen string
}

// Mode is how much of the order the block shows.
type Mode int

const (
	// Full shows every ticket line.
	Full Mode = iota
	// Folded shows the showtimes and the total.
	Folded
	// Compact shows the head and the total.
	Compact
)

// View is the order block.
type View struct {
	ctx   *common.Context
	data  Data
	mode  Mode
	width int
	// drawn is the last drawing, for the second of the clock it was drawn
	// at: the countdown is the only thing that changes between frames.
	drawn   string
	drawnAt int64
	stale   bool
}

// New returns the block of an order being read.
func New(ctx *common.Context, id string) *View {
	return &View{ctx: ctx, data: Data{State: Loading, ID: id}, width: 78}
}

// SetData redraws the block from fresh data.
func (v *View) SetData(d Data) { v.data, v.stale = d, true }

// Update does nothing: the block is drawn from what the counter knows, and
// its countdown from the clock at each frame.
func (v *View) Update(tea.Msg) tea.Cmd { return nil }

// SetSize sets the width; the height comes with SetMode.
func (v *View) SetSize(width, _ int) {
	if width != v.width {
		v.width, v.stale = width, true
	}
}

// SetMode sets how much the block shows.
func (v *View) SetMode(m Mode) {
	if m != v.mode {
		v.mode, v.stale = m, true
	}
}

// Height is how many lines the block takes in mode m, counted from its data
// rather than drawn.
func (v *View) Height(m Mode) int {
	switch v.data.State {
	case Loading:
		return 1
	case NotLoaded, Unknown:
		return 2
	case Ended:
		return 3
	}
	if m == Compact {
		return 2
	}
	body := max(len(v.data.Showtimes), 1)
	if m == Full {
		for _, st := range v.data.Showtimes {
			body += len(st.Tickets)
		}
	}
	return 2 + min(body, maxBodyLines)
}

// View draws the block, again only when its data, its size or the second
// of its countdown changed.
func (v *View) View() string {
	// The countdown changes when the seconds left, rounded as the header
	// shows them, change.
	second := v.data.ExpiresAt.Sub(v.ctx.Now()).Round(time.Second).Milliseconds() / 1000
	if !v.stale && second == v.drawnAt {
		return v.drawn
	}
	lines := v.lines(v.mode)
	for i := range lines {
		lines[i] = common.Fit(lines[i], v.width)
	}
	v.drawn, v.drawnAt, v.stale = strings.Join(lines, "\n"), second, false
	return v.drawn
}

func (v *View) lines(m Mode) []string {
	s := v.ctx.Styles
	d := v.data
	id := common.ShortID(d.ID)
	switch d.State {
	case Loading:
		return []string{v.ctx.Spinner.Frame() + " Loading order " + id + "…"}
	case NotLoaded:
		return []string{s.Failure.Render("✗ Order " + id + " could not be read."), s.Muted.Render("F5 tries again · ctrl+o opens another · ctrl+n starts a new order")}
	case Unknown:
		return []string{s.Failure.Render("✗ There is no order " + id + " on the server."), s.Muted.Render("ctrl+o opens another · ctrl+n starts a new order")}
	case Ended:
		head := s.Failure.Render("✗ Order " + id + " has expired or no longer exists.")
		if d.Cancelled {
			head = s.Title.Render("Order "+id) + "  Cancelled"
		}
		return []string{head, "  Its tickets and vouchers were released; the vouchers can be used again.", s.Muted.Render(d.Hint)}
	}
	lines := []string{v.head()}
	if m != Compact {
		var body []string
		for _, st := range d.Showtimes {
			body = append(body, st.Title)
			if m == Full {
				for _, t := range st.Tickets {
					body = append(body, "   "+t)
				}
			}
		}
		switch {
		case len(d.Showtimes) == 0 && d.Chosen != "":
			body = append(body, d.Chosen+s.Muted.Render(" · chosen, not on the order yet: F4, then F7 adds its tickets"))
		case len(d.Showtimes) == 0:
			body = append(body, s.Muted.Render("No showtime or tickets yet."))
		}
		if len(body) > maxBodyLines {
			hidden := len(body) - maxBodyLines + 1
			body = append(body[:maxBodyLines-1], s.Muted.Render(fmt.Sprintf("   … %d more lines", hidden)))
		}
		lines = append(lines, body...)
	}
	return append(lines, v.total())
}

func (v *View) head() string {
	s := v.ctx.Styles
	d := v.data
	head := s.Title.Render("Order "+common.ShortID(d.ID)) + "  " + StatusWord(d.Status)
	if !d.ExpiresAt.IsZero() && d.Status != api.OrderCompleted {
		now := v.ctx.Now()
		left := d.ExpiresAt.Sub(now)
		switch {
		case common.Passed(d.ExpiresAt, now):
			// At the second the countdown would show 00:00, as the status
			// line's expiry notice counts it.
			head += "  " + s.Failure.Render("✗ expired")
		case left <= ExpiryWarning:
			head += "  " + s.Warning.Render("! expires in "+common.Countdown(left))
		default:
			head += s.Muted.Render("  expires in ") + common.Countdown(left)
		}
	}
	// The site's name comes last: on a narrow screen it gives way, never
	// the time the order has left.
	if room := v.width - lipgloss.Width(head) - 2; room >= 8 && d.Site != "" {
		head += s.Muted.Render("  " + ansi.Truncate(d.Site, room, "…"))
	}
	return head
}

func (v *View) total() string {
	s := v.ctx.Styles
	d := v.data
	total := s.Label.Render("Total ") + s.Title.Render(common.Money(d.Total))
	if d.Tax != 0 {
		total += s.Muted.Render(" incl. tax " + common.Money(d.Tax))
	}
	if d.Status == api.OrderCompleted {
		done := "✓ Completed"
		if d.Txn != "" {
			done += ", transaction " + d.Txn
		}
		total += "   " + s.Success.Render(done) + s.Muted.Render(" · ctrl+n new order")
	}
	if d.Position != "" {
		pos := s.Muted.Render(d.Position)
		if gap := v.width - lipgloss.Width(total) - lipgloss.Width(pos); gap >= 2 {
			total += strings.Repeat(" ", gap) + pos
		}
	}
	return total
}

// StatusWord says an order's status in words.
func StatusWord(status string) string {
	switch status {
	case api.OrderInProgress:
		return "In progress"
	case api.OrderCompleted:
		return "Completed"
	}
	return status
}

// ShortHelp is empty: the block has no keys.
func (v *View) ShortHelp() []key.Binding { return nil }

// FullHelp is empty.
func (v *View) FullHelp() [][]key.Binding { return nil }
