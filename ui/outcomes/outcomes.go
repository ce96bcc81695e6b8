// Package outcomes is the list of the customer's last outcomes, under the
// voucher list: a scan attached or not, a removal, a ticket change, a
// completion, a cancel, the end of the order. The status line says only the
// newest; this list keeps a refusal in view when the next scan's news
// replaces it.
package outcomes

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/boxoffice/boxoffice/ui/common"
)

const (
	// maxKept bounds the outcomes remembered: far more than a screen shows.
	maxKept = 200
	// ShortRows is how many outcomes the list shows, newest last; ctrl+l
	// shows up to LongRows. Three is a scan, the one before and the one
	// before that: enough to see a refusal that a later attach pushed off
	// the status line, while the voucher list keeps its rows.
	ShortRows = 3
	LongRows  = 12
)

type entry struct {
	at   time.Time
	kind common.Kind
	text string
}

// List is the outcome list.
type List struct {
	ctx  *common.Context
	keys keyMap
	kept []entry
	// long is set by ctrl+l: more outcomes, fewer voucher rows.
	long bool
	// rows is how many outcomes the screen has room for.
	rows  int
	width int
	// drawn is the last drawing, until something changes.
	drawn string
	stale bool
}

// New returns an empty list; long says whether it starts showing more.
func New(ctx *common.Context, long bool) *List {
	return &List{ctx: ctx, keys: newKeyMap(), long: long, rows: ShortRows, width: 78}
}

// Add lists an outcome, timed now.
func (l *List) Add(kind common.Kind, text string) {
	l.stale = true
	l.kept = append(l.kept, entry{at: l.ctx.Now(), kind: kind, text: text})
	if over := len(l.kept) - maxKept; over > 0 {
		l.kept = append(l.kept[:0], l.kept[over:]...)
	}
}

// Len is how many outcomes are kept.
func (l *List) Len() int { return len(l.kept) }

// Texts are the outcomes kept, oldest first, in the words they were listed
// with.
func (l *List) Texts() []string {
	out := make([]string, len(l.kept))
	for i, o := range l.kept {
		out[i] = o.text
	}
	return out
}

// Long reports whether ctrl+l asked for more.
func (l *List) Long() bool { return l.long }

// Update takes ctrl+l.
func (l *List) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, l.keys.More) {
		l.long, l.stale = !l.long, true
	}
	return nil
}

// Want is how many rows the list would like: its rule and the outcomes.
func (l *List) Want() int {
	n := ShortRows
	if l.long {
		n = LongRows
	}
	if len(l.kept) == 0 {
		return 1
	}
	return 1 + min(n, len(l.kept))
}

// SetSize gives the list its lines, the rule included.
func (l *List) SetSize(width, height int) {
	if width != l.width || max(height-1, 0) != l.rows {
		l.width, l.rows, l.stale = width, max(height-1, 0), true
	}
}

// View draws the rule that names the list and its newest outcomes, oldest
// first; the plain rule while there is nothing to list.
func (l *List) View() string {
	if l.stale || l.drawn == "" {
		l.drawn, l.stale = l.draw(), false
	}
	return l.drawn
}

func (l *List) draw() string {
	s := l.ctx.Styles
	n := min(l.rows, len(l.kept))
	if n == 0 {
		return s.Rule.Render(strings.Repeat("─", l.width))
	}
	label := " Last outcomes · ctrl+l more "
	if l.long {
		label = " Last outcomes · ctrl+l fewer "
	}
	head := s.Rule.Render("──") + s.Muted.Render(label)
	head += s.Rule.Render(strings.Repeat("─", max(l.width-lipgloss.Width(head), 0)))
	lines := []string{head}
	for _, o := range l.kept[len(l.kept)-n:] {
		// One line each: the status line has the whole sentence of the
		// newest.
		text, _, _ := strings.Cut(o.text, "\n")
		line := s.Muted.Render(o.at.Local().Format("15:04:05")+" ") + s.Kind(o.kind).Render(o.kind.Symbol()+" "+text)
		lines = append(lines, common.Fit(line, l.width))
	}
	return strings.Join(lines, "\n")
}

type keyMap struct{ More key.Binding }

func newKeyMap() keyMap {
	return keyMap{More: key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "more/fewer outcomes"))}
}

// ShortHelp is empty: ctrl+l is named in the list's rule.
func (l *List) ShortHelp() []key.Binding { return nil }

// FullHelp lists ctrl+l.
func (l *List) FullHelp() [][]key.Binding { return [][]key.Binding{{l.keys.More}} }
