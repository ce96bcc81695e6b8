package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/orderview"
	"github.com/boxoffice/boxoffice/ui/seatmap"
)

const (
	minWidth  = 40
	minHeight = 12
	// minListRows is what the middle of the screen keeps for its rows
	// before anything else gives way: a voucher just scanned, the one
	// before, and the one before that.
	minListRows = 3
	// seatMapLeast is the least the seat map takes: its title, a few rows
	// of seats, the legend and its status line.
	seatMapLeast = 10
)

// layout is where each part of the screen goes. Each part says how many
// lines it needs at the width; arrange shares the height out and tells
// each part its size. Nothing is drawn to be measured.
type layout struct {
	width, height int
	// The lines each part got in the last arrangement, and what it was
	// made for: arrange runs again only when that changes.
	top, middle, outcomes, help int
	mode                        orderview.Mode
	made                        shape
}

// shape is what the arrangement depends on: the window and each part's
// height. Every figure is kept by its part, so reading them costs nothing
// like drawing.
type shape struct {
	width, height, help             int
	page                            bool
	cust                            *customer
	middle                          middle
	status, form, queue             int
	full, folded, compact           int
	list, naWant, naLeast, outcomes int
	tickets, picker                 int
	// seatMap is the seat map open (a new one needs its size), seats what
	// it wants.
	seatMap *seatmap.Map
	seats   int
}

func (m *Model) shape() shape {
	l := &m.layout
	w := l.inner()
	sh := shape{width: l.width, height: l.height, help: helpHeight(m), page: m.run.book.showing, status: m.run.status.Height(w)}
	if c := m.cust; c != nil {
		sh.cust, sh.middle = c, c.middle
		sh.form, sh.queue = c.form.Height(w), c.queueHeight()
		sh.full, sh.folded, sh.compact = c.view.Height(orderview.Full), c.view.Height(orderview.Folded), c.view.Height(orderview.Compact)
		sh.list, sh.outcomes = c.list.Len(), c.outcomes.Want()
		sh.naWant, sh.naLeast = c.notAttached.Want()
		if c.tickets != nil {
			sh.tickets = c.tickets.Want()
		}
		if c.picker != nil {
			sh.picker = c.picker.Want()
		}
		if c.seatWork != nil && c.seatWork.m != nil {
			sh.seatMap, sh.seats = c.seatWork.m, c.seatWork.m.Want()
		}
	}
	return sh
}

func (l *layout) inner() int { return max(l.width-2, minWidth-2) }

// tooSmall reports whether the window cannot hold the screen at all.
func (l *layout) tooSmall() bool {
	return l.width > 0 && (l.width < minWidth || l.height < minHeight)
}

// helpHeight is how many lines the help bar takes: one, or with F1 the
// longest column of every key.
func helpHeight(m *Model) int {
	if !m.help.ShowAll {
		return 1
	}
	n := 0
	for _, col := range m.bar.keys.FullHelp() {
		enabled := 0
		for _, b := range col {
			if b.Enabled() {
				enabled++
			}
		}
		n = max(n, enabled)
	}
	return max(n, 1)
}

// arrange shares the screen's height out among the parts and tells each its
// size. Fixed parts (header, rules, the queue, the form, the status line,
// the help bar) come first; the order block folds before the middle loses
// its rows; the outcome list takes what is left, up to what it wants.
func (l *layout) arrange(m *Model, resized bool) {
	sh := m.shape()
	if !resized && sh == l.made {
		return
	}
	l.made = sh
	w := l.inner()
	st := m.run.status
	st.SetSize(w, 0)
	m.run.book.SetSize(w, 0)
	c := m.cust
	l.help = helpHeight(m)
	fixed := 3 + st.Height(w) + l.help
	if c == nil || m.run.book.showing {
		l.top = m.run.book.Height()
		if c != nil {
			c.form.SetSize(w, 0)
			fixed += c.form.Height(w)
		}
		l.middle = max(l.height-fixed-l.top, 0)
		return
	}
	c.form.SetSize(w, 0)
	fixed += c.form.Height(w) + c.queueHeight()
	avail := l.height - fixed
	least, want := c.middleNeeds(w)
	// The order block folds as the middle needs: the tickets panel and F1
	// show its tickets' room to better use.
	modes := []orderview.Mode{orderview.Full, orderview.Folded, orderview.Compact}
	if c.middle != middleVouchers || m.help.ShowAll {
		modes = modes[1:]
	}
	l.mode = modes[len(modes)-1]
	for _, mode := range modes {
		if avail-c.view.Height(mode)-1 >= least {
			l.mode = mode
			break
		}
	}
	c.view.SetMode(l.mode)
	c.view.SetSize(w, 0)
	l.top = c.view.Height(l.mode)
	rest := max(avail-l.top, 2)
	l.outcomes = min(max(rest-want, 1), c.outcomes.Want())
	l.outcomes = max(min(l.outcomes, rest-least), 1)
	c.outcomes.SetSize(w, l.outcomes)
	l.middle = max(rest-l.outcomes, 1)
	c.sizeMiddle(w, l.middle)
}

// middleNeeds is the least and the most lines the middle of the screen
// needs at width w.
func (c *customer) middleNeeds(w int) (least, want int) {
	switch c.middle {
	case middleTickets:
		return 2 + minListRows, c.tickets.Want()
	case middlePicker:
		return 2 + minListRows, c.picker.Want()
	case middleSeats:
		if c.seatWork.m == nil {
			return 1, 1
		}
		return seatMapLeast, c.seatWork.m.Want()
	}
	naWant, naLeast := c.notAttached.Want()
	return c.listLeast() + naLeast, c.list.Want() + naWant
}

// sizeMiddle gives the middle's parts their lines: the voucher list what it
// needs, "Not attached" the room it leaves (never less than its least).
func (c *customer) sizeMiddle(w, h int) {
	switch c.middle {
	case middleTickets:
		c.tickets.SetSize(w, h)
		return
	case middlePicker:
		c.picker.SetSize(w, h)
		return
	case middleSeats:
		if c.seatWork.m != nil {
			c.seatWork.m.SetSize(w, h)
		}
		return
	}
	naWant, naLeast := c.notAttached.Want()
	na := min(naWant, max(h-c.list.Want(), naLeast))
	na = min(na, max(h-c.listLeast(), 0))
	c.naLines = na
	c.notAttached.SetSize(w, na)
	c.list.SetSize(w, h-na)
}

// listLeast is the least the voucher list takes: its title, its column
// names and minListRows vouchers; an empty list's title and what it says.
func (c *customer) listLeast() int {
	if c.list.Len() == 0 {
		return 2
	}
	return 2 + min(c.list.Len(), minListRows)
}

// queueHeight is the queue's line: one while scans wait or go, else none.
func (c *customer) queueHeight() int {
	if c.queue.inFlight != nil || len(c.queue.queue) > 0 {
		return 1
	}
	return 0
}

// queueView draws the scans on their way.
func (c *customer) queueView() string {
	q := c.queue
	line := ""
	if q.inFlight != nil {
		line = c.run.ctx.Spinner.Frame() + " Sending " + api.MaskBarcode(q.inFlight.Barcode)
	}
	if len(q.queue) > 0 {
		waiting := make([]string, 0, min(len(q.queue), 6))
		for i, s := range q.queue {
			if i == 6 {
				break
			}
			waiting = append(waiting, api.MaskBarcode(s.Barcode))
		}
		more := ""
		if len(q.queue) > 6 {
			more = fmt.Sprintf(" +%d", len(q.queue)-6)
		}
		why := "waiting"
		if c.order == nil {
			why = "waiting for the order"
		}
		line += c.run.ctx.Styles.Pending.Render(fmt.Sprintf("  %d %s: %s%s", len(q.queue), why, strings.Join(waiting, " "), more))
	}
	return strings.TrimLeft(line, " ")
}

// View draws the screen. Every line is cut to the width and the parts get
// the lines arrange gave them, so nothing wraps or scrolls the terminal.
func (m *Model) View() string { return m.signal.sequence() + m.draw() }

func (m *Model) draw() string {
	l := &m.layout
	if l.tooSmall() {
		// Wrapped, not cut: the window is too narrow for the line.
		return ansi.Wrap(fmt.Sprintf("boxoffice needs at least %dx%d (this window is %dx%d).", minWidth, minHeight, l.width, l.height), l.width, "")
	}
	w := l.inner()
	s := m.run.ctx.Styles
	rule := s.Rule.Render(strings.Repeat("─", w))
	lines := make([]string, 0, l.height)
	add := func(block string, n int) {
		if n <= 0 {
			return
		}
		lines = append(lines, common.Pad(strings.Split(block, "\n"), n)...)
	}
	lines = append(lines, m.header(w), rule)
	c := m.cust
	if c == nil || m.run.book.showing {
		current := ""
		if c != nil {
			current = c.orderID
		}
		add(m.run.book.View(current), l.top)
		lines = append(lines, rule)
		add("", l.middle)
		if c != nil {
			lines = append(lines, strings.Split(c.form.View(), "\n")...)
		}
	} else {
		add(c.view.View(), l.top)
		lines = append(lines, rule)
		add(c.middleView(l.middle), l.middle)
		add(c.outcomes.View(), l.outcomes)
		if c.queueHeight() > 0 {
			lines = append(lines, c.queueView())
		}
		lines = append(lines, strings.Split(c.form.View(), "\n")...)
	}
	lines = append(lines, strings.Split(m.run.status.View(), "\n")...)
	lines = append(lines, strings.Split(m.bar.view(&m.help), "\n")...)
	if l.height > 0 && len(lines) > l.height {
		lines = lines[len(lines)-l.height:]
	}
	return m.frame.fit(lines, w)
}

// frame is the screen's last drawing, line by line: most lines of a frame
// are those of the frame before, and cutting a line to the width means
// measuring it, which with colours is most of a frame's cost.
type frame struct {
	raw, fitted []string
	width       int
}

// fit cuts each line to w columns behind the screen's margin, reusing the
// cut of a line that is as it was in the frame before.
func (f *frame) fit(lines []string, w int) string {
	if w != f.width {
		f.raw, f.fitted, f.width = nil, nil, w
	}
	fitted := make([]string, len(lines))
	for i, line := range lines {
		if i < len(f.raw) && f.raw[i] == line {
			fitted[i] = f.fitted[i]
			continue
		}
		fitted[i] = " " + common.Fit(line, w)
	}
	f.raw, f.fitted = lines, fitted
	return strings.Join(fitted, "\n")
}

// middleView draws the middle of the screen in h lines.
func (c *customer) middleView(h int) string {
	switch c.middle {
	case middleTickets:
		return c.tickets.View()
	case middlePicker:
		return c.picker.View()
	case middleSeats:
		if c.seatWork.m == nil {
			return c.run.ctx.Styles.Muted.Render(c.run.ctx.Spinner.Frame() + " Reading the seats of " + c.showtimeName(c.seatWork.showtimeID) + "…")
		}
		return c.seatWork.m.View()
	}
	list := c.list.View()
	if c.naLines == 0 {
		return list
	}
	return strings.Join(common.Pad(strings.Split(list, "\n"), h-c.naLines), "\n") + "\n" + c.notAttached.View()
}

// header is the top line: the app, where its calls go, and its version.
func (m *Model) header(w int) string {
	s := m.run.ctx.Styles
	o := m.run.opts
	left := s.Header.Render("boxoffice")
	if o.Demo {
		left += " " + s.DemoBadge.Render(" DEMO SERVER ") + s.Muted.Render(" embedded mock, no real vouchers")
	} else if o.ServerURL != "" {
		left += s.Muted.Render(" " + o.ServerURL)
	}
	right := ""
	if o.Version != "" {
		right = s.Muted.Render(o.Version)
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}
