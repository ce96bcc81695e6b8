// Package notattached is the list of the customer's scans that were not
// attached (refused, blocked, never sent), newest first, each with why, so
// that nothing scanned is lost: ctrl+r puts one back in the form to try
// again. It sits under the voucher list and reads as one column with it: ↓
// past the last voucher moves into it, ↑ from its top leaves it, so no new
// key is needed and a scanner typing into the form cannot fire one.
package notattached

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// MinRows is how many scans the list always shows when it has any; it takes
// more when the voucher list leaves lines empty.
const MinRows = 2

// Item is a scan as the list shows it.
type Item struct {
	// Key is the scan's barcode, in memory only: what ctrl+r brings back.
	Key    string
	Masked string
	Type   api.VoucherType
	// Reason says why it is listed, at now (a block counts down).
	Reason func(now time.Time) string
}

// RetryMsg asks the counter to put a scan back in the form (ctrl+r).
type RetryMsg struct{ Key string }

// LeaveMsg says ↑ went past the top: the selection goes back to the list
// above.
type LeaveMsg struct{}

// List is the "Not attached" list.
type List struct {
	ctx   *common.Context
	keys  keyMap
	items []Item
	// dropped counts the scans let go to keep the list bounded, so that the
	// screen can say so: nothing scanned leaves without a word.
	dropped int
	// focused is set while ↑/↓ move its selection; selected counts from the
	// newest.
	focused  bool
	selected int
	view     viewport.Model
	// spans is where each row starts in the viewport's lines.
	spans []int
	head  []string
	// width and height are what SetSize gave, the title's lines included.
	width, height int
	// drawn is the last drawing, until the list or its scroll changes.
	drawn string
}

// New returns an empty list.
func New(ctx *common.Context) *List {
	return &List{ctx: ctx, keys: newKeyMap(), view: viewport.New(78, MinRows), width: 78, height: 1 + MinRows}
}

// SetItems replaces the scans, oldest first, and how many older ones were
// let go.
func (l *List) SetItems(items []Item, dropped int) {
	l.items, l.dropped = items, dropped
	if len(items) == 0 {
		l.focused = false
	}
	l.selected = min(l.selected, max(len(items)-1, 0))
	l.render()
}

// Len is how many scans are listed.
func (l *List) Len() int { return len(l.items) }

// Focus moves ↑/↓ into the list, on its newest scan.
func (l *List) Focus() {
	if len(l.items) == 0 {
		return
	}
	l.focused, l.selected = true, 0
	l.render()
}

// Focused reports whether ↑/↓ move its selection.
func (l *List) Focused() bool { return l.focused }

// Blur gives ↑/↓ back to the list above.
func (l *List) Blur() {
	l.focused = false
	l.render()
}

// Retry is the scan ctrl+r brings back: the one selected, else the newest.
func (l *List) Retry() (string, bool) {
	if len(l.items) == 0 {
		return "", false
	}
	if l.focused {
		return l.items[len(l.items)-1-l.selected].Key, true
	}
	return l.items[len(l.items)-1].Key, true
}

// Update moves the selection and asks for a retry.
func (l *List) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.TickMsg:
		// A block counts down in its reason.
		l.render()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, l.keys.Up):
			if l.selected == 0 {
				l.Blur()
				return common.Intent(LeaveMsg{})
			}
			l.selected--
			l.render()
		case key.Matches(msg, l.keys.Down):
			l.selected = min(l.selected+1, len(l.items)-1)
			l.render()
		case key.Matches(msg, l.keys.Retry):
			if k, ok := l.Retry(); ok {
				l.focused = false
				l.render()
				return common.Intent(RetryMsg{Key: k})
			}
		}
	}
	return nil
}

// Want is how many lines the list would like at its width, and the least it
// takes: its title and MinRows scans.
func (l *List) Want() (want, least int) {
	if len(l.items) == 0 {
		return 0, 0
	}
	least = len(l.head)
	for i := range min(MinRows, len(l.items)) {
		least += l.rowLines(i)
	}
	return len(l.head) + l.view.TotalLineCount(), least
}

func (l *List) rowLines(i int) int {
	if i+1 < len(l.spans) {
		return l.spans[i+1] - l.spans[i]
	}
	return l.view.TotalLineCount() - l.spans[i]
}

// SetSize gives the list its lines, title included.
func (l *List) SetSize(width, height int) {
	if width != l.width {
		l.width = width
		l.render()
	}
	if l.view.Width != width || l.height != height {
		l.view.Width = width
		l.height = height
		l.drawn = ""
		// The title says how many scans are not shown, so how many lines
		// it wraps to depends on the rows' room, and theirs on its lines:
		// a second pass settles it.
		for range 2 {
			l.view.Height = max(height-len(l.head), 0)
			l.scroll()
		}
	}
}

// shown is how many scans are wholly in view.
func (l *List) shown() int {
	n := 0
	for i := range l.spans {
		if l.spans[i] >= l.view.YOffset && l.spans[i]+l.rowLines(i) <= l.view.YOffset+l.view.Height {
			n++
		}
	}
	return n
}

// render lays the rows out at the width; the title says what is not shown.
func (l *List) render() {
	now := l.ctx.Now()
	var lines []string
	l.spans = l.spans[:0]
	for i := range l.items {
		l.spans = append(l.spans, len(lines))
		lines = append(lines, l.row(i, now)...)
	}
	l.view.SetContent(strings.Join(lines, "\n"))
	l.scroll()
}

// scroll keeps the selection in view, and words the title for what is.
func (l *List) scroll() {
	if len(l.spans) > 0 && l.view.Height > 0 {
		i := l.selected
		top, bottom := l.spans[i], l.spans[i]+l.rowLines(i)
		switch {
		case top < l.view.YOffset:
			l.view.SetYOffset(top)
		case bottom > l.view.YOffset+l.view.Height:
			l.view.SetYOffset(bottom - l.view.Height)
		}
	}
	l.head = l.title()
	l.drawn = ""
}

func (l *List) title() []string {
	n := len(l.items)
	if n == 0 {
		return nil
	}
	count := fmt.Sprintf("%d", n)
	if hidden := n - l.shown(); hidden > 0 && l.view.Height > 0 {
		count += fmt.Sprintf(", %d not shown", hidden)
	}
	if l.dropped > 0 {
		count += fmt.Sprintf(", %d older no longer kept", l.dropped)
	}
	hint := "ctrl+r: newest · ↓ past the vouchers: pick"
	if l.focused {
		hint = "ctrl+r retries the one marked >"
	}
	head := common.Wrap(fmt.Sprintf("Not attached (%s) · %s", count, hint), l.width)
	for i := range head {
		head[i] = l.ctx.Styles.Warning.Render(head[i])
	}
	return head
}

// row draws scan i (0 is the newest), wrapped to the width: the reason is
// what the operator acts on, so it is never cut.
func (l *List) row(i int, now time.Time) []string {
	it := l.items[len(l.items)-1-i]
	selected := l.focused && i == l.selected
	mark := common.Marker(selected)
	text := fmt.Sprintf("✗ %s %s: %s", it.Masked, it.Type, it.Reason(now))
	// Wrapped for the continuation's indent, the wider of the two: the
	// viewport cuts what is wider than the list.
	lines := common.Wrap(text, max(l.width-4, 10))
	for j := range lines {
		if j == 0 {
			lines[j] = mark + lines[j]
		} else {
			lines[j] = "    " + lines[j]
		}
		if selected {
			lines[j] = l.ctx.Styles.Selected.Render(lines[j])
		}
	}
	return lines
}

// View draws the title and the scans in view, in the lines it was given.
func (l *List) View() string {
	if len(l.items) == 0 || l.view.Height == 0 && len(l.head) == 0 {
		return ""
	}
	if l.drawn == "" {
		lines := l.head
		if l.view.Height > 0 {
			lines = append(lines[:len(lines):len(lines)], strings.Split(l.view.View(), "\n")...)
		}
		l.drawn = strings.Join(lines[:min(len(lines), max(l.height, 0))], "\n")
	}
	return l.drawn
}

type keyMap struct{ Up, Down, Retry key.Binding }

func newKeyMap() keyMap {
	return keyMap{
		Up:    key.NewBinding(key.WithKeys("up"), key.WithHelp("↑ at the top", "vouchers")),
		Down:  key.NewBinding(key.WithKeys("down"), key.WithHelp("↑/↓", "pick a failed scan")),
		Retry: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "retry it")),
	}
}

// ShortHelp is the bar while ↑/↓ are in the list.
func (l *List) ShortHelp() []key.Binding { return []key.Binding{l.keys.Down, l.keys.Retry, l.keys.Up} }

// FullHelp lists ctrl+r.
func (l *List) FullHelp() [][]key.Binding {
	return [][]key.Binding{{key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "retry failed"))}}
}
