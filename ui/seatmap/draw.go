package seatmap

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
	"github.com/boxoffice/boxoffice/ui/common"
)

// The map is drawn as lines: the screen's bar, each area's heading and
// each row of its grid. A grid cell takes two columns, a space and the
// seat's symbol, so the cursor's brackets sit in the spaces beside it.
// Each line is drawn once and kept until something on it changes: a key
// that moves the cursor draws two lines again, not the map.

type lineKind uint8

const (
	screenLine lineKind = iota
	headingLine
	rowLine
)

type mapLine struct {
	kind      lineKind
	area, row int
}

// drawing is the map's lines, what of them the room shows, and the lines
// already drawn.
type drawing struct {
	palette palette
	lines   []mapLine
	// areaStart is the line of each area's first grid row.
	areaStart  []int
	labelWidth int
	// stripWidth is the columns of the widest area's grid, two a cell and
	// one for the bracket after the last; view is how many of them the
	// width shows, from x0.
	stripWidth, view int
	screen           []rune
	// y0 is the first map line shown, room how many are.
	x0, y0, room int
	cache        []string
	fresh        []bool

	header                   string
	legend, status           []string
	headerShown              bool
	legendShown, statusShown int
}

// The palette's styles: a seat's colour says its state, so marks of one
// state share a style and a row's run of them one style call.
const (
	plainStyle = iota
	freeStyle
	mutedStyle
	mineStyle
	chosenStyle
	cursorStyle
	styleCount
)

type palette struct {
	styles                          [styleCount]lipgloss.Style
	heading, allowed, muted, screen lipgloss.Style
	// open and close are what each style writes before and after a run
	// in the terminal's colour profile, so that a row is written without
	// a style call per run.
	open, close [styleCount]string
}

// codes reads each style's codes in the colour profile drawn in now.
func (p *palette) codes() {
	for i, st := range p.styles {
		p.open[i], p.close[i] = "", ""
		if i == plainStyle {
			continue
		}
		drawn := st.Render("x")
		if at := strings.Index(drawn, "x"); at >= 0 {
			p.open[i], p.close[i] = drawn[:at], drawn[at+1:]
		}
	}
}

// styleOf is the style of each mark.
var styleOf = [...]int{
	seating.MarkNone: plainStyle, seating.MarkFree: freeStyle, seating.MarkTaken: mutedStyle,
	seating.MarkMine: mineStyle, seating.MarkChosen: chosenStyle, seating.MarkWheelchair: freeStyle,
	seating.MarkCompanion: freeStyle, seating.MarkSofa: freeStyle, seating.MarkHouse: mutedStyle,
	seating.MarkBroken: mutedStyle, notOffered: mutedStyle,
}

// newPalette draws the marks from the counter's palette: the state of a
// seat by colour (free green, the order's in the accent, chosen amber,
// what cannot be had muted), its kind by symbol alone.
func newPalette(s *common.Styles) palette {
	free := s.Success.UnsetBold()
	p := palette{heading: s.Title, allowed: free, muted: s.Muted, screen: s.Muted}
	p.styles[freeStyle], p.styles[mutedStyle] = free, s.Muted
	p.styles[mineStyle], p.styles[chosenStyle] = s.Selected, s.Warning
	p.styles[cursorStyle] = s.Selected.Reverse(true)
	return p
}

// maxLabelWidth bounds the row labels' columns: cinemas label rows with a
// letter or two, and a longer label from a server must not push the seats
// out of the room.
const maxLabelWidth = 4

// build lays out the plan's lines.
func (d *drawing) build(m *Map) {
	p := m.plan
	d.lines, d.areaStart = d.lines[:0], make([]int, len(p.Areas))
	d.labelWidth, d.stripWidth = 1, 1
	if p.Front == seating.Top {
		d.lines = append(d.lines, mapLine{kind: screenLine})
	}
	for ai, a := range p.Areas {
		d.lines = append(d.lines, mapLine{kind: headingLine, area: ai})
		d.areaStart[ai] = len(d.lines)
		for r, label := range a.RowLabels {
			d.lines = append(d.lines, mapLine{kind: rowLine, area: ai, row: r})
			d.labelWidth = min(max(d.labelWidth, ansi.StringWidth(label)), maxLabelWidth)
		}
		d.stripWidth = max(d.stripWidth, 2*a.Columns+1)
	}
	if p.Front == seating.Bottom {
		d.lines = append(d.lines, mapLine{kind: screenLine})
	}
	d.screen = []rune(screenBar(d.stripWidth))
	d.cache, d.fresh = make([]string, len(d.lines)), make([]bool, len(d.lines))
	d.sized(m)
}

// screenBar is the screen's bar across the seats' columns.
func screenBar(width int) string {
	const word = " SCREEN "
	bar := width - 2
	if bar < len(word) {
		return strings.Repeat(" ", max(width, 0))
	}
	left := (bar - len(word)) / 2
	return " " + strings.Repeat("═", left) + word + strings.Repeat("═", bar-left-len(word)) + " "
}

// sized fits the drawing to the map's width: the row labels stay at both
// sides and the grid scrolls between them.
func (d *drawing) sized(m *Map) {
	d.view = min(max(m.width-1-2*d.labelWidth-4, 0), d.stripWidth)
	d.x0 = min(d.x0, d.stripWidth-d.view)
	d.palette.codes()
	d.invalidate()
	d.legend = m.legendLines()
}

func (d *drawing) invalidate() { clear(d.fresh) }

// seatChanged marks the line of a seat's row to be drawn again.
func (d *drawing) seatChanged(m *Map, seat int) {
	if d.areaStart == nil {
		return
	}
	s := m.plan.Seats[seat]
	d.fresh[d.areaStart[s.Area]+s.GridRow] = false
}

// reflow shares the height between the parts, after every change: one
// status line and a little of the map first, then the header, the legend,
// the rest of a long outcome, and the rest of the map. Then it scrolls the
// cursor into view.
func (m *Map) reflow() {
	d := &m.draw
	d.header = common.Fit(m.header(), m.width)
	d.status = m.statusLines()
	avail := m.height
	status := min(1, avail)
	avail -= status
	least := min(3, len(d.lines), avail)
	avail -= least
	d.headerShown = avail > 0
	if d.headerShown {
		avail--
	}
	d.legendShown = min(len(d.legend), avail)
	avail -= d.legendShown
	d.statusShown = status + min(len(d.status)-status, avail)
	avail -= d.statusShown - status
	d.room = least + min(len(d.lines)-least, avail)
	m.follow()
}

// follow scrolls so that the cursor is in view, with a line of the map
// around it where there is room, and the grid's columns recentred on it
// when it leaves them, so that scrolling sideways is seldom.
func (m *Map) follow() {
	d := &m.draw
	s := m.plan.Seats[m.cursor]
	line := d.areaStart[s.Area] + s.GridRow
	margin := min((d.room-1)/2, 1)
	d.y0 = min(d.y0, line-margin)
	d.y0 = max(d.y0, line+margin-d.room+1)
	d.y0 = max(min(d.y0, len(d.lines)-d.room), 0)
	// The screen's bar and the first heading are shown rather than hidden
	// for a line or two, when the cursor allows.
	if d.y0 <= d.areaStart[0] && line+margin < d.room {
		d.y0 = 0
	}
	if last := len(d.lines) - d.room; d.y0 >= last-1 && line-margin >= last {
		d.y0 = last
	}

	from, to := 2*s.GridCol, 2*s.GridCol+3
	if from < d.x0 || to > d.x0+d.view {
		x0 := max(min(from+1-d.view/2, d.stripWidth-d.view), 0)
		if x0 != d.x0 {
			d.x0 = x0
			d.invalidate()
		}
	}
}

// statusLines is the status as lines: the seat under the cursor on one
// line, cut if it must be; an outcome whole, wrapped to three lines at most.
func (m *Map) statusLines() []string {
	kind, text := m.status()
	style := m.ctx.Styles.Kind(kind)
	if kind == common.Info {
		return []string{common.Fit(text, m.width)}
	}
	lines := common.Wrap(kind.Symbol()+" "+text, m.width)
	if len(lines) > 3 {
		lines = lines[:3]
		lines[2] = common.Fit(lines[2]+" …", m.width)
	}
	for i := range lines {
		lines[i] = style.Render(common.Fit(lines[i], m.width))
	}
	return lines
}

// View draws the map into its room.
func (m *Map) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	d := &m.draw
	out := make([]string, 0, m.height)
	if d.headerShown {
		out = append(out, d.header)
	}
	for i := range d.room {
		li := d.y0 + i
		margin := " "
		switch {
		case i == 0 && d.y0 > 0:
			margin = "↑"
		case i == d.room-1 && li < len(d.lines)-1:
			margin = "↓"
		}
		out = append(out, margin+m.line(li))
	}
	out = append(out, d.legend[:d.legendShown]...)
	out = append(out, d.status[:d.statusShown]...)
	return strings.Join(out, "\n")
}

// line is a map line, drawn if it has changed.
func (m *Map) line(li int) string {
	d := &m.draw
	if d.fresh[li] {
		return d.cache[li]
	}
	var text string
	switch l := d.lines[li]; l.kind {
	case screenLine:
		text = strings.Repeat(" ", d.labelWidth+1) + d.moreLeft() + d.palette.screen.Render(string(d.screen[d.x0:d.x0+d.view])) + d.moreRight()
	case headingLine:
		text = m.heading(l.area)
	default:
		text = m.row(l.area, l.row)
	}
	// A row and the screen's bar are as wide as the width allows when
	// there is room for their labels; measuring them is for when there is
	// not, or for a heading.
	if l := d.lines[li]; l.kind == headingLine || 2*d.labelWidth+4+d.view > m.width-1 {
		text = common.Fit(text, m.width-1)
	}
	d.cache[li], d.fresh[li] = text, true
	return text
}

func (d *drawing) moreLeft() string {
	if d.x0 > 0 {
		return "‹"
	}
	return " "
}

func (d *drawing) moreRight() string {
	if d.x0+d.view < d.stripWidth {
		return "›"
	}
	return " "
}

// row draws a grid row between its labels, the columns in view only.
func (m *Map) row(area, row int) string {
	d := &m.draw
	a := &m.plan.Areas[area]
	label := ansi.Truncate(a.RowLabels[row], d.labelWidth, "")
	cursorCol := -1
	if c := m.plan.Seats[m.cursor]; c.Area == area && c.GridRow == row {
		cursorCol = c.GridCol
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", d.labelWidth-ansi.StringWidth(label)) + label + " " + d.moreLeft())
	r := runs{b: &b, pal: &d.palette}
	for x := d.x0; x < d.x0+d.view; x++ {
		col := x / 2
		switch {
		case x%2 == 0 && cursorCol >= 0 && (col == cursorCol || col == cursorCol+1):
			r.add(cursorStyle, rune("[]"[col-cursorCol]))
		case x%2 == 0:
			r.space()
		case col == cursorCol:
			r.add(cursorStyle, symbol(m.cellMark(a, area, row, col)))
		default:
			if mk := m.cellMark(a, area, row, col); mk != seating.MarkNone {
				r.add(styleOf[mk], symbol(mk))
			} else {
				r.space()
			}
		}
	}
	r.flush()
	b.WriteString(d.moreRight() + " " + label)
	return b.String()
}

func (m *Map) cellMark(a *seating.Area, area, row, col int) seating.Mark {
	if seat, ok := a.SeatAt(row, col); ok {
		return m.markOf(seat)
	}
	return seating.MarkNone
}

// runs writes symbols of one style together, so that a row costs a style
// call per change of colour, not per seat. Spaces join the run they fall in.
type runs struct {
	b   *strings.Builder
	pal *palette
	cur int
	buf []byte
}

func (r *runs) add(style int, ch rune) {
	if style != r.cur {
		r.flush()
		r.cur = style
	}
	r.buf = utf8.AppendRune(r.buf, ch)
}

func (r *runs) space() { r.buf = append(r.buf, ' ') }

func (r *runs) flush() {
	if len(r.buf) == 0 {
		return
	}
	r.b.WriteString(r.pal.open[r.cur])
	r.b.Write(r.buf)
	r.b.WriteString(r.pal.close[r.cur])
	r.buf = r.buf[:0]
}

type legendItem struct {
	style int
	sym   string
	words string
}

// legendItems are the symbols the map can show for this plan: the kinds
// of seat it has, and "-" while some area is not for these tickets.
func (m *Map) legendItems() []legendItem {
	has := map[seating.Mark]bool{}
	for s, seat := range m.plan.Seats {
		switch {
		case seat.Kind == api.SeatHouse:
			has[seating.MarkHouse] = true
		case seat.Kind == api.SeatBroken || seat.State == seating.OutOfUse:
			has[seating.MarkBroken] = true
		default:
			has[m.plan.KindMark(s)] = true
		}
	}
	has[seating.MarkFree], has[seating.MarkTaken], has[seating.MarkMine], has[seating.MarkChosen] = true, true, true, true
	// Short words, so that the legend takes two lines at 80 columns; the
	// line under the map says the whole of the seat under the cursor.
	words := map[seating.Mark]string{seating.MarkFree: "free", seating.MarkTaken: "taken", seating.MarkMine: "order's",
		seating.MarkChosen: "chosen", seating.MarkWheelchair: "wheelchair", seating.MarkCompanion: "companion",
		seating.MarkSofa: "sofa", seating.MarkHouse: "house", seating.MarkBroken: "out of use"}
	var items []legendItem
	for _, mk := range seating.Legend {
		if has[mk] {
			items = append(items, legendItem{styleOf[mk], string(mk.Rune()), words[mk]})
		}
	}
	if m.restricted {
		items = append(items, legendItem{mutedStyle, "-", "not for these tickets"})
	}
	// A seat of this layout for the example, so that it is a name the
	// operator can try.
	example := m.plan.Seats[len(m.plan.Seats)/2].Name()
	return append(items, legendItem{cursorStyle, "[ ]", "cursor"}, legendItem{plainStyle, "", "type " + example + " to go to seat " + example})
}

// legendLines wraps the legend to the width, an item never split.
func (m *Map) legendLines() []string {
	var lines []string
	line, width := "", 0
	for _, it := range m.legendItems() {
		item, w := it.words, len(it.words)
		if it.sym != "" {
			item, w = m.draw.palette.styles[it.style].Render(it.sym)+" "+it.words, w+len(it.sym)+1
		}
		if width > 0 && width+2+w > m.width {
			lines = append(lines, line)
			line, width = "", 0
		}
		if width > 0 {
			line += "  "
			width += 2
		}
		line += item
		width += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	for i := range lines {
		lines[i] = common.Fit(lines[i], m.width)
	}
	return lines
}
