package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
)

// minFailedRows is how many rows of the "Not attached" list are always
// shown; the list takes more when the voucher list leaves lines empty.
const minFailedRows = 2

// notAttachedList is the selection in the "Not attached" list, under the
// voucher list. ↓ past the last voucher moves into it and ↑ from its top
// leaves it: the two lists read as one column, so no new key is needed and
// a scanner typing into the form cannot fire one. Its rows count from the
// newest, which is what ctrl+r retries while nothing is selected here.
type notAttachedList struct {
	focused bool
	listCursor
}

// listKey is ↑/↓ under the voucher list: they move the voucher selection,
// and step over into and out of the "Not attached" list.
func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	n := len(m.scans.failed)
	l := &m.notAttached
	down := key.Matches(msg, m.keys.Down)
	switch {
	case l.focused && (n == 0 || !down && l.selected == 0):
		l.focused = false
		return nil
	case l.focused:
		l.navigate(msg, n)
		l.visible(m.failedRows(m.innerWidth()), n)
		return nil
	case down && n > 0 && m.vouchers.selected >= m.vouchers.len()-1:
		l.focused, l.selected, l.offset = true, 0, 0
		return nil
	}
	return m.vouchers.Update(msg)
}

// failedToRetry is the scan ctrl+r puts back in the form: the one selected
// in the "Not attached" list, else the newest.
func (m *Model) failedToRetry() failedScan {
	n := len(m.scans.failed)
	if l := &m.notAttached; l.focused && l.selected < n {
		l.focused = false
		return m.scans.failed[n-1-l.selected]
	}
	return m.scans.failed[n-1]
}

// notAttachedHead is the list's title, wrapped to the width: it says how
// many scans it holds, how many it cannot show and how to reach them.
func (m Model) notAttachedHead(w, rows int) []string {
	n := len(m.scans.failed)
	count := fmt.Sprintf("%d", n)
	if hidden := n - rows; hidden > 0 {
		count += fmt.Sprintf(", %d not shown", hidden)
	}
	if m.scans.dropped > 0 {
		// Nothing scanned leaves the list without a word.
		count += fmt.Sprintf(", %d older no longer kept", m.scans.dropped)
	}
	hint := "ctrl+r: newest · ↓ past the vouchers: pick"
	if m.notAttached.focused {
		hint = "ctrl+r retries the one marked >"
	}
	return strings.Split(ansi.Wrap(fmt.Sprintf("Not attached (%s) · %s", count, hint), w, ""), "\n")
}

// failedRows is how many scans of the "Not attached" list the screen has
// room for: at least minFailedRows, and as many more as fit in the lines
// the voucher list leaves empty. Update scrolls the list with it; View
// draws with it.
func (m Model) failedRows(w int) int {
	n := len(m.scans.failed)
	rows := min(n, minFailedRows)
	if rows == n || m.panel != panelNone || m.height <= 0 {
		return rows
	}
	lines := 0
	for i := range rows {
		lines += len(m.failedRowLines(w, i))
	}
	top := 2 + len(m.orderLines(w)) + 1
	bottom := 1 + len(m.notAttachedHead(w, rows)) + len(m.formLines(w)) + len(m.statusLines(w)) + len(m.helpLines(w))
	if m.scans.inFlight != nil || len(m.scans.queue) > 0 {
		bottom++
	}
	// The voucher list needs its title, its column names and its rows.
	need := 2 + max(m.vouchers.len(), 1)
	spare := m.height - top - bottom - need - lines
	for rows < n {
		if spare -= len(m.failedRowLines(w, rows)); spare < 0 {
			break
		}
		rows++
	}
	return rows
}

// failedRowLines draws row i of the list (0 is the newest), wrapped to the
// width: the reason is what the operator acts on, so it is never cut.
func (m Model) failedRowLines(w, i int) []string {
	n := len(m.scans.failed)
	f := m.scans.failed[n-1-i]
	selected := m.notAttached.focused && i == m.notAttached.selected
	mark := "  "
	if selected {
		mark = "> "
	}
	text := fmt.Sprintf("✗ %s %s: %s", api.MaskBarcode(f.barcode), f.vtype, m.namedShowtimes(f.describe(m.now())))
	lines := strings.Split(ansi.Wrap(text, max(w-len(mark), 10), ""), "\n")
	for j := range lines {
		if j == 0 {
			lines[j] = mark + lines[j]
		} else {
			lines[j] = "    " + lines[j]
		}
		if selected {
			lines[j] = m.styles.Selected.Render(lines[j])
		}
	}
	return lines
}

// notAttachedLines draws the list, newest first, scrolled to its selection.
func (m Model) notAttachedLines(w int) []string {
	n := len(m.scans.failed)
	if n == 0 {
		return nil
	}
	rows := m.failedRows(w)
	lines := m.notAttachedHead(w, rows)
	for i, l := range lines {
		lines[i] = m.styles.Warning.Render(l)
	}
	from, to := m.notAttached.shown(rows, n)
	for i := from; i < to; i++ {
		lines = append(lines, m.failedRowLines(w, i)...)
	}
	return lines
}

// namedShowtimes names the showtimes a text gives by id ("showtime
// 0001-2690", as a server's reason may) the way the form does, "showtime
// 20:10 Paper Moons", wherever the screen knows the name.
func (m *Model) namedShowtimes(text string) string {
	if !strings.Contains(text, "showtime ") {
		return text
	}
	for id := range m.showtimes {
		if name := m.showtimeChoiceFor(id); name != id {
			text = strings.ReplaceAll(text, "showtime "+id, "showtime "+name)
		}
	}
	return text
}
