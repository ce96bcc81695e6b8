package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

const (
	// maxOutcomesKept bounds the outcomes remembered, over all the run's
	// orders: far more than a screen shows, little memory.
	maxOutcomesKept = 200
	// outcomeRowsShort is how many outcomes the screen lists, newest last;
	// ctrl+l lists up to outcomeRowsLong. Three is a scan, the one before
	// and the one before that: enough to see a refusal that a later attach
	// pushed off the status line, while the voucher list keeps its rows.
	outcomeRowsShort = 3
	outcomeRowsLong  = 12
	// minMiddleLines is what the middle of the screen keeps before the
	// outcome list gives way: the list's title, its column names and three
	// rows.
	minMiddleLines = 5
)

// outcomeEntry is one result the operator may need to look back at: a scan
// attached or not, a removal, a ticket change, a completion or a cancel.
type outcomeEntry struct {
	at      time.Time
	orderID string
	kind    statusKind
	text    string
}

// outcomeHistory is the list of the last outcomes under the voucher list,
// so that a refusal is not lost when the next scan's news replaces it on
// the status line. It lists the order on screen's outcomes only: the
// status line is cleared when orders switch for the same reason.
type outcomeHistory struct {
	kept []outcomeEntry
	// long is set by ctrl+l: more outcomes, fewer voucher rows.
	long bool
}

func (h *outcomeHistory) add(o outcomeEntry) {
	h.kept = append(h.kept, o)
	if over := len(h.kept) - maxOutcomesKept; over > 0 {
		h.kept = append(h.kept[:0], h.kept[over:]...)
	}
}

// forOrder returns up to n of the order's newest outcomes, oldest first.
func (h *outcomeHistory) forOrder(orderID string, n int) []outcomeEntry {
	var out []outcomeEntry
	for i := len(h.kept) - 1; i >= 0 && len(out) < n; i-- {
		if h.kept[i].orderID == orderID {
			out = append(out, h.kept[i])
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// outcomeRows is how many outcome lines the screen has room for, given the
// lines around the middle of the screen without them.
func (m *Model) outcomeRows(top, bottom int) int {
	want := outcomeRowsShort
	if m.history.long {
		want = outcomeRowsLong
	}
	room := m.height - top - bottom - minMiddleLines
	if m.height <= 0 {
		room = want
	}
	return max(min(want, room), 0)
}

// outcomeLines are the outcome list's lines, under a rule that names it, or
// the plain rule when there is nothing to list.
func (m Model) outcomeLines(w, rows int) []string {
	s := m.styles
	shown := m.history.forOrder(m.orderID, rows)
	if len(shown) == 0 {
		return []string{s.Rule.Render(strings.Repeat("─", w))}
	}
	label := " Last outcomes · ctrl+l more "
	if m.history.long {
		label = " Last outcomes · ctrl+l fewer "
	}
	head := s.Rule.Render("──") + s.Muted.Render(label)
	head += s.Rule.Render(strings.Repeat("─", max(w-lipgloss.Width(head), 0)))
	lines := []string{head}
	for _, o := range shown {
		// One line each: the status line above has the whole sentence of
		// the newest, and draw cuts the rest to the width.
		text, _, _ := strings.Cut(o.text, "\n")
		lines = append(lines, s.Muted.Render(o.at.Local().Format("15:04:05")+" ")+
			kindStyle(s, o.kind).Render(o.kind.symbol()+" "+text))
	}
	return lines
}

// recordOutcome lists what a call's answer led the status line to say,
// when it said an outcome rather than progress or a hint.
func (m *Model) recordOutcome(announcedBefore int, cmd tea.Cmd) tea.Cmd {
	if m.status.last == announcedBefore || m.status.text == "" {
		return cmd
	}
	switch m.status.kind {
	case statusSuccess, statusFailure, statusWarning:
		return tea.Batch(cmd, m.record(m.status.kind, m.status.text))
	}
	return cmd
}

// outcome announces a scan's outcome and lists it.
func (m *Model) outcome(kind statusKind, text string) tea.Cmd {
	cmd := m.announce(kind, text)
	return tea.Batch(cmd, m.record(kind, text))
}

// refuseScan is fail for a scan the screen would not send: it stays in the
// form to be corrected, and is listed and rung for like a server's refusal.
func (m *Model) refuseScan(text string) tea.Cmd {
	cmd := m.fail(text)
	return tea.Batch(cmd, m.record(statusFailure, text))
}

// record lists an outcome and rings the bell for it when the operator
// asked for that.
func (m *Model) record(kind statusKind, text string) tea.Cmd {
	m.history.add(outcomeEntry{at: m.now(), orderID: m.orderID, kind: kind, text: text})
	switch {
	case m.opts.Bell == BellAll, m.opts.Bell == BellRefusals && kind == statusFailure:
		return m.signal.ring()
	}
	return nil
}

// toggleOutcomes is ctrl+l: more of the outcomes, or fewer.
func (m *Model) toggleOutcomes() { m.history.long = !m.history.long }

// kindStyle is how an announcement of kind is drawn.
func kindStyle(s *styles, kind statusKind) lipgloss.Style {
	switch kind {
	case statusSuccess:
		return s.Success
	case statusFailure:
		return s.Failure
	case statusWarning:
		return s.Warning
	}
	return lipgloss.NewStyle()
}
