package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
)

const (
	minWidth  = 40
	minHeight = 12
	// maxOrderLines keeps a big order from pushing the scan form off screen.
	maxOrderLines = 8
	// maxQueueLines is how many waiting or failed scans are listed.
	maxQueueLines = 3
)

// layout sizes the fields to the window.
func (m *Model) layout() {
	w := m.innerWidth()
	m.help.Width = w
	m.barcode.Width = max(min(w/2-14, 40), 8)
	m.pin.Width = 8
	m.orderInput.Width = max(min(w-20, 40), 10)
}

func (m *Model) innerWidth() int { return max(m.width-2, minWidth-2) }

// View is the screen, drawn at most once per redraw interval.
func (m Model) View() string {
	return m.pacer.view(m.draw, m.scans.sending())
}

// draw draws the whole screen. Every line is cut to the width, and the
// voucher list gets the rows the rest leaves, so nothing wraps or scrolls
// the terminal at 80x24 or after a resize.
func (m Model) draw() string {
	if m.width > 0 && (m.width < minWidth || m.height < minHeight) {
		return fmt.Sprintf("boxoffice needs at least %dx%d (this window is %dx%d).", minWidth, minHeight, m.width, m.height)
	}
	w := m.innerWidth()
	rule := m.styles.Rule.Render(strings.Repeat("─", w))

	top := []string{m.headerLine(w), rule}
	top = append(top, m.orderLines(w)...)
	top = append(top, rule)

	bottom := []string{rule}
	bottom = append(bottom, m.queueLines(w)...)
	bottom = append(bottom, m.formLines(w)...)
	bottom = append(bottom, m.statusLines(w)...)
	bottom = append(bottom, m.helpLines(w)...)

	listHeight := max(m.height-len(top)-len(bottom)-1, 1)
	var middle []string
	switch m.panel {
	case panelTickets:
		middle = m.ticketsLines(w, listHeight+1)
	case panelPicker:
		middle = m.pickerLines(w, listHeight+1)
	default:
		middle = m.voucherLines(w, listHeight)
	}

	if extra := len(top) + len(middle) + len(bottom) - m.height; m.height > 0 && extra > 0 {
		// A small window with a long announcement: the middle gives way
		// first, keeping its title line, then the order's lines.
		middle = middle[:len(middle)-min(extra, len(middle)-1)]
		if extra = len(top) + len(middle) + len(bottom) - m.height; extra > 0 {
			top = append(top[:max(len(top)-1-extra, 2)], top[len(top)-1])
		}
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, top...)
	lines = append(lines, middle...)
	lines = append(lines, bottom...)
	if m.height > 0 && len(lines) > m.height {
		lines = lines[len(lines)-m.height:]
	}
	for i, l := range lines {
		if len(l) <= w {
			// No character is wider than its UTF-8 bytes, so a line with no
			// more bytes than columns fits: measuring it is most of a frame.
			lines[i] = " " + l
			continue
		}
		lines[i] = " " + ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

func (m Model) headerLine(w int) string {
	left := m.styles.Header.Render("boxoffice")
	if m.opts.Demo {
		left += " " + m.styles.DemoBadge.Render(" DEMO SERVER ") + m.styles.Muted.Render(" embedded mock, no real vouchers")
	} else if m.opts.ServerURL != "" {
		left += m.styles.Muted.Render(" " + m.opts.ServerURL)
	}
	right := ""
	if m.opts.Version != "" {
		right = m.styles.Muted.Render(m.opts.Version)
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m Model) orderLines(w int) []string {
	s := m.styles
	if m.focus == focusOrderID {
		lines := []string{s.Title.Render("Open an order")}
		lines = append(lines, s.Label.Render("Order id ")+"["+m.orderInput.View()+"]")
		hint := "Enter opens it"
		if site := m.siteForNewOrder(); site != "" {
			hint += " · ctrl+n creates a new order for site " + site
		}
		if m.orderID != "" {
			hint += " · esc goes back"
		}
		lines = append(lines, s.Muted.Render(hint))
		return append(lines, m.openedLines()...)
	}
	if m.order == nil {
		switch {
		case m.orderGone:
			head := "✗ Order " + shortID(m.orderID) + " has expired or no longer exists."
			if e := m.current(); e != nil && e.ended == "cancelled" {
				head = "✗ Order " + shortID(m.orderID) + " was cancelled."
			}
			hint := "ctrl+n starts a new order · ctrl+o opens another"
			if len(m.opened) > 1 {
				hint += " · F6 next open order"
			}
			return []string{s.Failure.Render(head), "  Its tickets and vouchers were released; the vouchers can be used again.",
				s.Muted.Render(hint)}
		case m.orderLoading:
			return []string{m.spinner.View() + " Loading order " + shortID(m.orderID) + "…"}
		}
		return []string{s.Muted.Render("Order " + shortID(m.orderID) + " is not loaded. F5 tries again.")}
	}
	o := m.order
	head := s.Title.Render("Order "+shortID(o.ID)) + "  " + statusWord(o.Status)
	site := m.siteNames[o.SiteID]
	if site == "" {
		site = "site " + o.SiteID
	}
	head += s.Muted.Render("  " + site)
	if !o.ExpiresAt.IsZero() && o.Status != api.OrderCompleted {
		left := o.ExpiresAt.Sub(m.now())
		switch {
		case left <= 0:
			head += "  " + s.Failure.Render("✗ expired")
		case left <= expiryWarning:
			head += "  " + s.Warning.Render("! expires in "+countdown(left))
		default:
			head += s.Muted.Render("  expires in ") + countdown(left)
		}
	}
	lines := []string{head}
	var body []string
	for _, st := range o.Showtimes {
		body = append(body, m.showtimeTitle(st.ShowtimeID))
		for _, t := range m.ticketLines(st) {
			body = append(body, "   "+t)
		}
	}
	if len(o.Showtimes) == 0 {
		body = append(body, s.Muted.Render("No showtime or tickets yet."))
	}
	if len(body) > maxOrderLines {
		hidden := len(body) - maxOrderLines + 1
		body = append(body[:maxOrderLines-1], s.Muted.Render(fmt.Sprintf("   … %d more lines", hidden)))
	}
	lines = append(lines, body...)
	total := s.Label.Render("Total ") + s.Title.Render(money(o.TotalPrice.ValueIncludingTax))
	if o.TotalPrice.Tax != 0 {
		total += s.Muted.Render(" incl. tax " + money(o.TotalPrice.Tax))
	}
	if o.Status == api.OrderCompleted {
		done := "✓ Completed"
		if e := m.current(); e != nil && e.txn != "" {
			done += ", transaction " + e.txn
		}
		total += "   " + s.Success.Render(done) + s.Muted.Render(" · ctrl+n new order")
	}
	if n := len(m.opened); n > 1 {
		// Where this order sits among the run's orders, at the right.
		pos := s.Muted.Render(fmt.Sprintf("order %d of %d · F6 next", m.openedIndex(o.ID)+1, n))
		if gap := w - lipgloss.Width(total) - lipgloss.Width(pos); gap >= 2 {
			total += strings.Repeat(" ", gap) + pos
		}
	}
	return append(lines, total)
}

// openedLines lists this run's orders on the open-order page.
func (m Model) openedLines() []string {
	if len(m.opened) == 0 {
		return nil
	}
	s := m.styles
	lines := []string{s.Label.Render("Opened in this run (F6 goes to the next):")}
	from := max(len(m.opened)-maxOpenedShown, 0)
	for _, e := range m.opened[from:] {
		cursor := "  "
		if e.id == m.orderID {
			cursor = "> "
		}
		state := statusWord(e.status)
		switch {
		case e.ended == "cancelled":
			state = "Cancelled"
		case e.ended != "":
			state = "Expired"
		case e.txn != "":
			state += ", transaction " + e.txn
		case state == "":
			state = "not read yet"
		}
		line := fmt.Sprintf("%s%s  %-28s", cursor, shortID(e.id), state)
		if e.ended == "" && e.status != "" {
			line += " total " + money(e.total)
		}
		lines = append(lines, line)
	}
	return lines
}

func statusWord(status string) string {
	switch status {
	case api.OrderInProgress:
		return "In progress"
	case api.OrderCompleted:
		return "Completed"
	}
	return status
}

func (m Model) showtimeTitle(id string) string {
	resp, ok := m.showtimes[id]
	if !ok {
		return "Showtime " + id
	}
	st := resp.Showtime
	title := resp.RelatedData.FilmTitle(st.FilmID)
	if title == "" {
		title = "Film " + st.FilmID
	}
	parts := []string{m.styles.Title.Render(title)}
	if screen := resp.RelatedData.ScreenName(st.ScreenID); screen != "" {
		parts = append(parts, screen)
	}
	if !st.Schedule.StartsAt.IsZero() {
		// Shown in the site's own time, as the ticket says.
		parts = append(parts, st.Schedule.StartsAt.Format("Mon 2 Jan 15:04"))
	}
	return strings.Join(parts, " · ")
}

// ticketLines groups a showtime's tickets by type and by what paid for them.
func (m Model) ticketLines(st api.OrderShowtime) []string {
	type group struct {
		typeID, voucherID string
		count             int
		total             float64
	}
	var order []string
	groups := map[string]*group{}
	for _, t := range st.Tickets {
		k := t.TicketTypeID + "\x00" + t.VoucherID
		g, ok := groups[k]
		if !ok {
			g = &group{typeID: t.TicketTypeID, voucherID: t.VoucherID}
			groups[k] = g
			order = append(order, k)
		}
		g.count++
		g.total += t.Price.ValueIncludingTax
	}
	names := m.prices[st.ShowtimeID]
	lines := make([]string, 0, len(order))
	for _, k := range order {
		g := groups[k]
		name := g.typeID
		if names != nil {
			name = names.TicketTypeDescription(g.typeID)
		}
		line := fmt.Sprintf("%d × %-22s %8s", g.count, name, money(g.total))
		if g.voucherID != "" {
			paidBy := "voucher"
			if i, ok := m.vouchers.position[g.voucherID]; ok {
				paidBy = m.vouchers.items[i].MaskedBarcode
			}
			line += m.styles.Muted.Render("  paid by " + paidBy)
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = append(lines, m.styles.Muted.Render("no tickets"))
	}
	return lines
}

func (m Model) voucherLines(w, height int) []string {
	s := m.styles
	n := m.vouchers.len()
	title := s.Title.Render(fmt.Sprintf("Vouchers on this order (%d)", n))
	lines := []string{title}
	if n == 0 {
		switch {
		case m.orderGone:
			lines[0] = s.Title.Render("Vouchers")
			lines = append(lines, s.Muted.Render("No order is open: scans are kept for ctrl+r on the next order."))
		case m.order != nil && m.order.Status == api.OrderCompleted:
			lines = append(lines, s.Muted.Render("None: the order is completed."))
		default:
			lines = append(lines, s.Muted.Render("None yet. Scan a voucher below."))
		}
		return padLines(lines, height+1)
	}
	// One row goes to the column names, so the list reads without knowing
	// the screen.
	rowsHeight := max(height-1, 1)
	m.frame.voucherRows = rowsHeight
	list := m.vouchers
	from, to := list.window(rowsHeight)
	descWidth := max(w-48, 8)
	lines = append(lines, s.Muted.Render(fmt.Sprintf("  %-16s %-12s %-*s %s", "Barcode", "Type", descWidth, "Description", "Left")))
	for i := from; i < to; i++ {
		v := list.items[i]
		cursor := "  "
		if i == list.selected {
			cursor = "> "
		}
		remaining := "? left"
		if r := list.remaining(v.ID); r >= 0 {
			remaining = fmt.Sprintf("%d left", r)
		}
		if list.used[v.ID] > 0 {
			remaining += fmt.Sprintf(", pays %d", list.used[v.ID])
		}
		row := fmt.Sprintf("%s%-16s %-12s %-*s %s", cursor, v.MaskedBarcode, v.Type,
			descWidth, ansi.Truncate(voucherLabel(v), descWidth, "…"), remaining)
		if i == list.selected {
			row = s.Selected.Render(row)
		}
		lines = append(lines, row)
	}
	if to-from < n {
		lines[0] += s.Muted.Render(fmt.Sprintf("  showing %d–%d", from+1, to))
	}
	return padLines(lines, height+1)
}

func padLines(lines []string, n int) []string {
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines[:n]
}

func (m Model) queueLines(w int) []string {
	s := m.styles
	var lines []string
	if m.scans.inFlight != nil || len(m.scans.queue) > 0 {
		line := ""
		if m.scans.inFlight != nil {
			line = m.spinner.View() + " Sending " + api.MaskBarcode(m.scans.inFlight.barcode)
		}
		if len(m.scans.queue) > 0 {
			waiting := make([]string, 0, min(len(m.scans.queue), 6))
			for i, q := range m.scans.queue {
				if i == 6 {
					break
				}
				waiting = append(waiting, api.MaskBarcode(q.barcode))
			}
			more := ""
			if len(m.scans.queue) > 6 {
				more = fmt.Sprintf(" +%d", len(m.scans.queue)-6)
			}
			line += s.Pending.Render(fmt.Sprintf("  %d waiting: %s%s", len(m.scans.queue), strings.Join(waiting, " "), more))
		}
		lines = append(lines, strings.TrimLeft(line, " "))
	}
	if len(m.scans.failed) > 0 {
		shown := m.scans.failed
		if len(shown) > maxQueueLines-1 {
			shown = shown[len(shown)-(maxQueueLines-1):]
		}
		head := fmt.Sprintf("Not attached (%d) · ctrl+r retries the newest:", len(m.scans.failed))
		lines = append(lines, s.Warning.Render(head))
		for i := len(shown) - 1; i >= 0; i-- {
			f := shown[i]
			lines = append(lines, fmt.Sprintf("  ✗ %s %s: %s", api.MaskBarcode(f.barcode), f.vtype, f.describe(m.now())))
		}
	}
	return lines
}

func (m Model) formLines(w int) []string {
	s := m.styles
	label := func(text string, focused bool) string {
		if focused {
			return s.FieldFocus.Render("▸ " + text)
		}
		return s.FieldBlur.Render("  " + text)
	}
	line1 := label("Barcode", m.focus == focusBarcode) + " [" + m.barcode.View() + "]"
	if m.opts.PinPrompt == PinAsk {
		line1 += "  " + label("PIN", m.focus == focusPin) + " [" + m.pin.View() + "]"
	}
	line2 := s.Label.Render("  Type ") + string(m.voucherType) + s.Muted.Render(" (F2)")
	if m.voucherType == api.VoucherTicket {
		switch {
		case m.order == nil:
		case m.currentShowtimeID() == "":
			line2 += s.Label.Render("   Showtime ") + "none yet" + s.Muted.Render(" (F4 picks one)")
		default:
			line2 += s.Label.Render("   Showtime ") + m.showtimeChoice() + s.Muted.Render(" (F3)")
		}
	}
	if m.opts.PinPrompt == PinNever {
		line2 += s.Muted.Render("   no PIN step")
	}
	return []string{line1, line2}
}

func (m Model) showtimeChoice() string {
	return m.showtimeChoiceFor(m.currentShowtimeID())
}

// maxStatusLines is how far an announcement may wrap: it says what happened,
// what it means and what to do, and the last part must not be cut off.
const maxStatusLines = 3

// statusLines is the announcement, wrapped to the width.
func (m Model) statusLines(w int) []string {
	s := m.styles
	if m.status.text == "" {
		if m.busy() && m.scans.inFlight == nil {
			return []string{m.spinner.View() + " Working…"}
		}
		return []string{s.Muted.Render(m.idleHint())}
	}
	symbol := m.status.kind.symbol()
	if m.status.kind == statusBusy {
		symbol = m.spinner.View()
	}
	// Continuation lines are indented under the text, not the symbol.
	wrapped := strings.Split(ansi.Wrap(m.status.text, max(w-2, 10), ""), "\n")
	if len(wrapped) > maxStatusLines {
		wrapped = wrapped[:maxStatusLines]
		wrapped[maxStatusLines-1] += "…"
	}
	style := lipgloss.NewStyle()
	switch m.status.kind {
	case statusSuccess:
		style = s.Success
	case statusFailure:
		style = s.Failure
	case statusWarning:
		style = s.Warning
	}
	lines := make([]string, len(wrapped))
	for i, l := range wrapped {
		prefix := "  "
		if i == 0 {
			prefix = symbol + " "
		}
		if m.status.kind == statusBusy && i == 0 {
			lines[i] = prefix + l
			continue
		}
		lines[i] = style.Render(prefix + l)
	}
	return lines
}

func (m Model) idleHint() string {
	switch m.focus {
	case focusPin:
		return "Type the PIN and press Enter (Enter alone if the voucher has none)."
	case focusOrderID:
		return "Open an order to start."
	}
	switch m.panel {
	case panelTickets:
		return "↑/↓ picks a row, ←/→ sets how many, F7 applies. Scans still attach."
	case panelPicker:
		return "↑/↓ picks the showtime, ←/→ changes the day, F7 takes it."
	}
	return "Ready: scan a voucher or type its barcode and press Enter."
}

func (m Model) helpLines(w int) []string {
	// The help bar changes only with the width, the mode and F1, yet drawing
	// it is a fifth of a frame: keep the last one.
	key := helpCacheKey{width: m.help.Width, mode: m.helpMode(), all: m.help.ShowAll}
	if c := m.helpCache; c.lines != nil && c.key == key {
		return c.lines
	}
	lines := strings.Split(m.help.View(modeHelp{keys: m.keys, mode: key.mode}), "\n")
	*m.helpCache = helpCacheEntry{key: key, lines: lines}
	return lines
}

// frameInfo is what a View measured that Update needs.
type frameInfo struct {
	voucherRows int
}

type helpCacheKey struct {
	width int
	mode  helpMode
	all   bool
}

type helpCacheEntry struct {
	key   helpCacheKey
	lines []string
}

func (m Model) helpMode() helpMode {
	switch {
	case m.focus == focusOrderID:
		return helpOrderPrompt
	case m.order == nil && m.orderGone:
		return helpNoOrder
	case m.panel == panelTickets:
		return helpTickets
	case m.panel == panelPicker:
		return helpPicker
	}
	return helpForm
}

// shortID keeps the ends of a 32-character order id, enough to read it
// back to a customer.
func shortID(id string) string {
	if len(id) <= 14 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}

// ticketsLines draws the tickets panel in n lines: a title, one row per
// ticket type (per voucher for types vouchers pay for), and a footer with
// what the draft would cost.
func (m Model) ticketsLines(w, n int) []string {
	s := m.styles
	p := m.tickets
	title := "Tickets · " + m.showtimeChoiceFor(p.showtimeID)
	if resp, ok := m.showtimes[p.showtimeID]; ok && !resp.Showtime.Schedule.StartsAt.IsZero() {
		title += " · " + resp.Showtime.Schedule.StartsAt.Format("Mon 2 Jan")
	}
	if !p.onOrder {
		title += " · not on the order yet"
	}
	lines := []string{s.Title.Render(title)}
	switch {
	case m.prices[p.showtimeID] == nil && m.pricesErr[p.showtimeID] != nil:
		lines = append(lines, s.Failure.Render("✗ The ticket prices could not be read. F5 tries again."))
		return padLines(lines, n)
	case m.prices[p.showtimeID] == nil:
		lines = append(lines, m.spinner.View()+" Loading ticket prices…")
		return padLines(lines, n)
	case len(p.rows) == 0:
		lines = append(lines, s.Muted.Render("No tickets are on sale for this showtime."))
		return padLines(lines, n)
	}
	if n < 3 {
		// Too small for rows and a footer: the title says where the panel is.
		return padLines(lines, n)
	}
	from, to := p.window(n - 2)
	if to-from < len(p.rows) {
		lines[0] += s.Muted.Render(fmt.Sprintf("  rows %d–%d of %d", from+1, to, len(p.rows)))
	}
	const noteWidth = 14
	nameWidth := max(w-2-1-6-1-7-1-noteWidth, 16)
	for i := from; i < to; i++ {
		lines = append(lines, m.ticketRowLine(p, i, nameWidth))
	}
	lines = padLines(lines, n-1)
	return append(lines, m.ticketsFooter())
}

func (m Model) ticketRowLine(p *ticketsPanel, i, nameWidth int) string {
	s := m.styles
	r := p.rows[i]
	selected := i == p.selected
	cursor := "  "
	if selected {
		cursor = "> "
	}
	// The voucher is named in full and the type name gives way, so two
	// rows for two vouchers never read the same.
	suffix := ""
	switch {
	case r.voucherID != "":
		suffix = " — paid by " + m.maskedVoucher(r.voucherID)
	case r.voucherOnly:
		suffix = " — " + strings.Join(r.codes, "/") + " vouchers only"
	}
	name := ansi.Truncate(r.name, max(nameWidth-len([]rune(suffix)), 4), "…") + suffix
	count := p.counts[r.rowKey]
	cell := fmt.Sprintf("  %2d   ", count)
	switch {
	case r.voucherOnly:
		cell = "   –   "
	case selected:
		cell = fmt.Sprintf("◂ %2d ▸ ", count)
	}
	note := ""
	if r.voucherID != "" {
		if c := m.vouchers.capacity(r.voucherID); c >= 0 {
			left := c - p.voucherCount(r.voucherID)
			var showtimes []api.OrderShowtime
			if m.order != nil {
				showtimes = m.order.Showtimes
			}
			for _, st := range showtimes {
				if st.ShowtimeID == p.showtimeID {
					continue
				}
				for _, t := range st.Tickets {
					if t.VoucherID == r.voucherID {
						left--
					}
				}
			}
			note = fmt.Sprintf("%d left", max(left, 0))
		}
	}
	if was := p.base[r.rowKey]; was != count {
		if note != "" {
			note += ", "
		}
		note += fmt.Sprintf("was %d", was)
	}
	row := strings.TrimRight(fmt.Sprintf("%s%-*s %6s %s %s", cursor, nameWidth, name, money(r.price.ValueIncludingTax), cell, note), " ")
	switch {
	case selected:
		return s.Selected.Render(row)
	case r.voucherOnly:
		return s.Muted.Render(row)
	}
	return row
}

// ticketsFooter says what the order would cost with the draft applied.
func (m Model) ticketsFooter() string {
	s := m.styles
	p := m.tickets
	if m.order == nil {
		return ""
	}
	now := m.order.TotalPrice.ValueIncludingTax
	var showtimeNow float64
	if st := m.orderShowtime(p.showtimeID); st != nil {
		for _, t := range st.Tickets {
			showtimeNow += t.Price.ValueIncludingTax
		}
	}
	after := now - showtimeNow + p.total()
	if !p.dirty() {
		return s.Muted.Render(fmt.Sprintf("%s here, order total %s · ←/→ sets how many · F7 applies",
			plural(p.ticketCount(), "ticket"), money(now)))
	}
	return s.Warning.Render(fmt.Sprintf("Not applied: total %s → %s, %s here", money(now), money(after), plural(p.ticketCount(), "ticket"))) +
		s.Muted.Render(" · F7 applies · esc discards")
}

// pickerLines draws the showtime picker in n lines.
func (m Model) pickerLines(w, n int) []string {
	s := m.styles
	p := m.picker
	site := m.siteNames[p.siteID]
	if site == "" {
		site = "site " + p.siteID
	}
	lines := []string{s.Title.Render("Pick a showtime · "+p.day.Format("Mon 2 Jan 2006")+" · "+site) + s.Muted.Render("  ←/→ day")}
	if p.note != "" {
		lines = append(lines, s.Muted.Render(p.note))
	}
	switch {
	case p.loading:
		lines = append(lines, m.spinner.View()+" Loading showtimes…")
		return padLines(lines, n)
	case p.err != nil:
		lines = append(lines, s.Failure.Render("✗ The showtimes could not be read. F5 tries again."))
		return padLines(lines, n)
	case len(p.list) == 0:
		lines = append(lines, s.Muted.Render("No showtimes at "+site+" on "+p.day.Format("Mon 2 Jan")+". ←/→ changes the day."))
		return padLines(lines, n)
	}
	from, to := p.window(max(n-len(lines)-1, 1))
	if to-from < len(p.list) {
		lines[0] += s.Muted.Render(fmt.Sprintf("  %d–%d of %d", from+1, to, len(p.list)))
	}
	titleWidth := max(w-32, 12)
	for i := from; i < to; i++ {
		st := p.list[i]
		cursor := "  "
		if i == p.selected {
			cursor = "> "
		}
		title := p.related.FilmTitle(st.FilmID)
		if title == "" {
			title = "Film " + st.FilmID
		}
		row := fmt.Sprintf("%s%s  %-*s %s", cursor, st.Schedule.StartsAt.Format("15:04"), titleWidth,
			ansi.Truncate(title, titleWidth, "…"), p.related.ScreenName(st.ScreenID))
		if st.Schedule.StartsAt.Before(m.now()) {
			row += " (started)"
		}
		if i == p.selected {
			row = s.Selected.Render(row)
		}
		lines = append(lines, row)
	}
	lines = padLines(lines, n-1)
	return append(lines, s.Muted.Render("F7 takes the selected showtime · esc closes"))
}
