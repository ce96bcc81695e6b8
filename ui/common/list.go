package common

import (
	"fmt"
	"io"

	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
)

// NewList is a bubbles list as the counter's selection lists use it: one
// line a row drawn by draw, a page of rows at a time, and nothing of the
// list's own chrome (title, filter, status bar, pagination, help), which
// the parts draw in their own words. Its keys are never bound to printable
// text: a scanner types into the form whatever the list shows.
func NewList(draw func(w io.Writer, index int, item list.Item, selected bool)) list.Model {
	l := list.New(nil, rowDelegate{draw: draw}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowFilter(false)
	l.SetFilteringEnabled(false)
	l.SetShowStatusBar(false)
	l.SetShowPagination(false)
	l.SetShowHelp(false)
	l.DisableQuitKeybindings()
	l.Styles.NoItems = l.Styles.NoItems.UnsetForeground().UnsetPadding()
	return l
}

// rowDelegate draws a list's rows with the part's own function.
type rowDelegate struct {
	draw func(w io.Writer, index int, item list.Item, selected bool)
}

func (d rowDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	d.draw(w, index, item, index == m.Index())
}
func (rowDelegate) Height() int                         { return 1 }
func (rowDelegate) Spacing() int                        { return 0 }
func (rowDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// Showing says which rows of a list are on screen when not all are, e.g.
// "showing 11–20 of 45"; "" when all are.
func Showing(l list.Model) string {
	n := len(l.Items())
	from, to := l.Paginator.GetSliceBounds(n)
	if to-from >= n {
		return ""
	}
	return fmt.Sprintf("showing %d–%d of %d", from+1, to, n)
}

// Marker is the cursor column of a selection list: "> " on the selected row,
// so that the selection reads without colour.
func Marker(selected bool) string {
	if selected {
		return "> "
	}
	return "  "
}
