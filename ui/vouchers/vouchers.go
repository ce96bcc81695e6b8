// Package vouchers is the list of the vouchers on the customer's order: each
// voucher's masked barcode, type, what it is, and what it can still pay for,
// with a selection for removing one. The counter works out each row; the
// list draws them, scrolls to its selection and asks for a removal.
//
// It scrolls row by row rather than by pages, as bubbles' list does: the
// voucher just scanned is selected, and the ones scanned before it must stay
// in view above it, not be left on the page before with the newest alone on
// a page of its own. bubbles' table scrolls so, but draws every row in
// reach of the selection through lipgloss on each key (a hundredfold the
// cost of a key here at 10,000 vouchers) and marks the selection by style
// only, which NO_COLOR loses.
package vouchers

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// Row is one voucher as the list shows it.
type Row struct {
	ID     string
	Masked string
	Type   api.VoucherType
	// Description is the voucher type's name.
	Description string
	// For says which showtime it is for, on an order with more than one.
	For string
	// Left is what it can still pay for, "2 left, pays 1" or "? left".
	Left string
}

// RemoveMsg asks the counter to remove a voucher (F8).
type RemoveMsg struct{ ID string }

// LeaveMsg says ↓ went past the last voucher: the selection moves on to the
// list below it.
type LeaveMsg struct{}

// List is the voucher list.
type List struct {
	ctx  *common.Context
	keys keyMap
	rows []Row
	// index finds a row by voucher id.
	index map[string]int
	// selected is the selected row; offset the first row in view, of
	// height rows in view.
	selected, offset, height int
	// forColumn is set on an order with more than one showtime.
	forColumn bool
	// empty is what the list says when it has no voucher.
	empty string
	// active is set while ↑/↓ move its selection; the list below may take
	// them.
	active bool
	// widths of the Barcode, Description and For columns at the width set,
	// and the longest For text.
	barcodeWidth, descWidth, forWidth, longestFor int
	width                                         int
	// drawn is the last drawing, kept until something on it changes: a
	// frame is drawn far more often than the list changes.
	drawn string
	stale bool
}

// New returns an empty list saying empty.
func New(ctx *common.Context, empty string) *List {
	l := &List{ctx: ctx, keys: newKeyMap(), empty: empty, active: true, index: map[string]int{}}
	l.SetSize(78, 5)
	return l
}

// SetRows replaces the rows, keeping the selection on the same voucher;
// a voucher new to the list is selected, as the operator just scanned it.
func (l *List) SetRows(rows []Row, forColumn bool) {
	l.stale = true
	selected, _ := l.Selected()
	known := l.index
	l.rows = rows
	l.index = make(map[string]int, len(rows))
	l.longestFor = 0
	pick := -1
	for i, r := range rows {
		l.index[r.ID] = i
		l.longestFor = max(l.longestFor, ansi.StringWidth(r.For))
		if r.ID == selected.ID && pick < 0 {
			pick = i
		}
		if _, ok := known[r.ID]; !ok && len(known) > 0 {
			pick = i
		}
	}
	if pick < 0 {
		pick = len(rows) - 1
	}
	l.selected = max(pick, 0)
	l.scroll()
	l.forColumn = forColumn
	l.columns()
}

// Append adds a voucher at the end and selects it, as the operator just
// scanned it. Unlike SetRows it costs the same with ten vouchers as with
// ten thousand.
func (l *List) Append(r Row) {
	l.stale = true
	l.index[r.ID] = len(l.rows)
	l.rows = append(l.rows, r)
	l.selected = len(l.rows) - 1
	l.scroll()
	if w := ansi.StringWidth(r.For); w > l.longestFor {
		l.longestFor = w
		l.columns()
	}
}

// SetEmpty is what the list says when it has no voucher.
func (l *List) SetEmpty(text string) {
	l.stale = true
	l.empty = text
}

// SetRow redraws one voucher's row, as its figures changed; a voucher not
// listed is appended.
func (l *List) SetRow(r Row) {
	i, ok := l.index[r.ID]
	if !ok {
		l.Append(r)
		return
	}
	l.stale = true
	l.rows[i] = r
	if w := ansi.StringWidth(r.For); w > l.longestFor {
		l.longestFor = w
		l.columns()
	}
}

// Len is how many vouchers are listed.
func (l *List) Len() int { return len(l.rows) }

// Select brings the voucher into view and selects it.
func (l *List) Select(id string) {
	l.stale = true
	if i, ok := l.index[id]; ok {
		l.selected = i
		l.active = true
		l.scroll()
	}
}

// Selected is the selected voucher.
func (l *List) Selected() (Row, bool) {
	if l.selected < 0 || l.selected >= len(l.rows) {
		return Row{}, false
	}
	return l.rows[l.selected], true
}

// scroll moves the view as little as keeps the selection in it.
func (l *List) scroll() {
	h := max(l.height, 1)
	if l.selected < l.offset {
		l.offset = l.selected
	}
	if l.selected >= l.offset+h {
		l.offset = l.selected - h + 1
	}
	l.offset = max(min(l.offset, len(l.rows)-h), 0)
}

// SetActive says whether ↑/↓ move this list's selection: while the list
// below has them, no voucher is marked.
func (l *List) SetActive(on bool) {
	l.stale = true
	l.active = on
}

// Update moves the selection with ↑/↓ and asks for removal with F8.
func (l *List) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, l.keys.Up):
		l.stale = true
		l.selected = max(l.selected-1, 0)
		l.scroll()
	case key.Matches(k, l.keys.Down):
		if l.selected >= len(l.rows)-1 {
			return common.Intent(LeaveMsg{})
		}
		l.selected++
		l.stale = true
		l.scroll()
	case key.Matches(k, l.keys.Remove):
		if r, ok := l.Selected(); ok {
			return common.Intent(RemoveMsg{ID: r.ID})
		}
	}
	return nil
}

// Want is how many lines the list would like: its title, its column names
// and a line a voucher.
func (l *List) Want() int {
	if l.Len() == 0 {
		return 2
	}
	return 2 + l.Len()
}

// SetSize gives the list its lines, title and column names included.
func (l *List) SetSize(width, height int) {
	l.stale = true
	l.width = width
	l.height = max(height-2, 1)
	l.scroll()
	l.columns()
}

// minDescWidth keeps enough of a voucher type's name to tell two apart.
const minDescWidth = 14

// columns shares the width: the barcode, type and left columns are fixed;
// For takes what its longest showtime name needs, as far as Description
// keeps minDescWidth, and Description the rest.
func (l *List) columns() {
	l.barcodeWidth = 16
	if l.forColumn {
		// Masked barcodes are 12 or 13 characters: the column gives up
		// the room they do not use.
		l.barcodeWidth = 14
	}
	rest := max(l.width-2-l.barcodeWidth-1-12-1-1-14, minDescWidth)
	l.descWidth, l.forWidth = rest, 0
	if l.forColumn {
		l.forWidth = max(min(l.longestFor, rest-1-minDescWidth), len("whole order"))
		l.descWidth = max(rest-l.forWidth-1, 8)
	}
}

// View draws the title, the column names and the rows in view.
func (l *List) View() string {
	if l.stale || l.drawn == "" {
		l.drawn, l.stale = l.draw(), false
	}
	return l.drawn
}

func (l *List) draw() string {
	s := l.ctx.Styles
	n := l.Len()
	title := s.Title.Render(fmt.Sprintf("Vouchers on this order (%d)", n))
	if n == 0 {
		return title + "\n" + s.Muted.Render(l.empty)
	}
	to := min(l.offset+l.height, n)
	if to-l.offset < n {
		title += s.Muted.Render(fmt.Sprintf("  showing %d–%d of %d", l.offset+1, to, n))
	}
	forHead := ""
	if l.forColumn {
		forHead = fmt.Sprintf("%-*s ", l.forWidth, "For")
	}
	head := s.Muted.Render(fmt.Sprintf("  %-*s %-12s %s%-*s %s", l.barcodeWidth, "Barcode", "Type", forHead, l.descWidth, "Description", "Left"))
	var b strings.Builder
	b.WriteString(title + "\n" + head)
	for i := l.offset; i < to; i++ {
		b.WriteByte('\n')
		l.drawRow(&b, l.rows[i], i == l.selected)
	}
	return b.String()
}

func (l *List) drawRow(b *strings.Builder, r Row, selected bool) {
	selected = selected && l.active
	forCell := ""
	if l.forColumn {
		forCell = fmt.Sprintf("%-*s ", l.forWidth, ansi.Truncate(r.For, l.forWidth, "…"))
	}
	row := fmt.Sprintf("%s%-*s %-12s %s%-*s %s", common.Marker(selected), l.barcodeWidth, r.Masked, r.Type, forCell,
		l.descWidth, ansi.Truncate(r.Description, l.descWidth, "…"), r.Left)
	row = common.Fit(strings.TrimRight(row, " "), l.width)
	if selected {
		row = l.ctx.Styles.Selected.Render(row)
	}
	b.WriteString(row)
}

type keyMap struct{ Up, Down, Remove key.Binding }

func newKeyMap() keyMap {
	return keyMap{
		Up:     key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "select")),
		Down:   key.NewBinding(key.WithKeys("down")),
		Remove: key.NewBinding(key.WithKeys("f8"), key.WithHelp("f8", "remove voucher")),
	}
}

// ShortHelp offers F8 while there is a voucher to remove.
func (l *List) ShortHelp() []key.Binding {
	if l.Len() == 0 {
		return nil
	}
	return []key.Binding{l.keys.Remove}
}

// FullHelp lists the list's keys.
func (l *List) FullHelp() [][]key.Binding { return [][]key.Binding{{l.keys.Up, l.keys.Remove}} }
