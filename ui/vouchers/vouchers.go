// Package vouchers is the list of the vouchers on the customer's order: each
// voucher's masked barcode, type, what it is, and what it can still pay for,
// with a selection for removing one. The counter works out each row; the
// list draws them, scrolls to its selection and asks for a removal.
package vouchers

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
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

// FilterValue makes a Row a list item.
func (r Row) FilterValue() string { return r.Masked }

// RemoveMsg asks the counter to remove a voucher (F8).
type RemoveMsg struct{ ID string }

// LeaveMsg says ↓ went past the last voucher: the selection moves on to the
// list below it.
type LeaveMsg struct{}

// List is the voucher list.
type List struct {
	ctx  *common.Context
	keys keyMap
	list list.Model
	// forColumn is set on an order with more than one showtime.
	forColumn bool
	// empty is what the list says when it has no voucher.
	empty string
	// active is set while ↑/↓ move its selection; the list below may take
	// them.
	active bool
	// widths of the Description and For columns at the width set, and the
	// widest text of each among the rows.
	descWidth, forWidth int
	descNeed, forNeed   int
	width               int
}

// New returns an empty list saying empty.
func New(ctx *common.Context, empty string) *List {
	l := &List{ctx: ctx, keys: newKeyMap(), empty: empty, active: true}
	l.list = common.NewList(l.drawRow)
	l.SetSize(78, 5)
	return l
}

// SetRows replaces the rows, keeping the selection on the same voucher;
// a voucher new to the list is selected, as the operator just scanned it.
func (l *List) SetRows(rows []Row, forColumn bool) {
	selected, _ := l.Selected()
	known := make(map[string]bool, len(l.list.Items()))
	for _, it := range l.list.Items() {
		known[it.(Row).ID] = true
	}
	items := make([]list.Item, len(rows))
	pick := -1
	for i, r := range rows {
		items[i] = r
		if r.ID == selected.ID {
			pick = i
		}
		if !known[r.ID] && len(known) > 0 {
			pick = i
		}
	}
	l.list.SetItems(items)
	if pick < 0 && len(rows) > 0 {
		pick = len(rows) - 1
	}
	if pick >= 0 {
		l.list.Select(pick)
	}
	l.forColumn = forColumn
	l.descNeed, l.forNeed = 0, 0
	for _, r := range rows {
		l.need(r)
	}
	l.columns()
}

// need widens the Description and For columns' wants to hold r.
func (l *List) need(r Row) {
	l.descNeed = max(l.descNeed, ansi.StringWidth(r.Description))
	l.forNeed = max(l.forNeed, ansi.StringWidth(r.For))
}

// Append adds a voucher at the end and selects it, as the operator just
// scanned it. Unlike SetRows it costs the same with ten vouchers as with
// ten thousand.
func (l *List) Append(r Row) {
	l.list.InsertItem(len(l.list.Items()), r)
	l.list.Select(len(l.list.Items()) - 1)
	l.need(r)
	l.columns()
}

// SetEmpty is what the list says when it has no voucher.
func (l *List) SetEmpty(text string) { l.empty = text }

// Len is how many vouchers are listed.
func (l *List) Len() int { return len(l.list.Items()) }

// Select brings the voucher into view and selects it.
func (l *List) Select(id string) {
	for i, it := range l.list.Items() {
		if it.(Row).ID == id {
			l.list.Select(i)
			l.active = true
			return
		}
	}
}

// Selected is the selected voucher.
func (l *List) Selected() (Row, bool) {
	it := l.list.SelectedItem()
	if it == nil {
		return Row{}, false
	}
	return it.(Row), true
}

// SetActive says whether ↑/↓ move this list's selection: while the list
// below has them, no voucher is marked.
func (l *List) SetActive(on bool) { l.active = on }

// Update moves the selection with ↑/↓ and asks for removal with F8.
func (l *List) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, l.keys.Up):
		l.list.CursorUp()
	case key.Matches(k, l.keys.Down):
		if l.list.Index() >= len(l.list.Items())-1 {
			return common.Intent(LeaveMsg{})
		}
		l.list.CursorDown()
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
	l.width = width
	l.list.SetSize(width, max(height-2, 1))
	l.columns()
}

// columns shares the width: the barcode, type and left columns are fixed;
// Description and For share the rest. For takes what its showtimes' names
// need, up to its share of the rest or, when more, what Description leaves.
func (l *List) columns() {
	rest := max(l.width-2-16-1-12-1-1-14, 16)
	l.descWidth, l.forWidth = rest, 0
	if l.forColumn {
		share := min(max(rest*2/5, 12), 28)
		l.forWidth = min(max(share, rest-1-l.descNeed), max(l.forNeed, len("For")))
		l.descWidth = max(rest-l.forWidth-1, 8)
	}
}

// View draws the title, the column names and the rows in view.
func (l *List) View() string {
	s := l.ctx.Styles
	n := l.Len()
	title := s.Title.Render(fmt.Sprintf("Vouchers on this order (%d)", n))
	if n == 0 {
		return title + "\n" + s.Muted.Render(l.empty)
	}
	if showing := common.Showing(l.list); showing != "" {
		title += s.Muted.Render("  " + showing)
	}
	forHead := ""
	if l.forColumn {
		forHead = fmt.Sprintf("%-*s ", l.forWidth, "For")
	}
	head := s.Muted.Render(common.Fit(fmt.Sprintf("  %-16s %-12s %s%-*s %s", "Barcode", "Type", forHead, l.descWidth, "Description", "Left"), l.width))
	return title + "\n" + head + "\n" + l.list.View()
}

func (l *List) drawRow(w io.Writer, _ int, item list.Item, selected bool) {
	r := item.(Row)
	selected = selected && l.active
	forCell := ""
	if l.forColumn {
		forCell = fmt.Sprintf("%-*s ", l.forWidth, ansi.Truncate(r.For, l.forWidth, "…"))
	}
	row := fmt.Sprintf("%s%-16s %-12s %s%-*s %s", common.Marker(selected), r.Masked, r.Type, forCell,
		l.descWidth, ansi.Truncate(r.Description, l.descWidth, "…"), r.Left)
	row = common.Fit(strings.TrimRight(row, " "), l.width)
	if selected {
		row = l.ctx.Styles.Selected.Render(row)
	}
	io.WriteString(w, row)
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
