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

// View draws the whole screen. Every line is cut to the width, and the
// voucher list gets the rows the rest leaves, so nothing wraps or scrolls
// the terminal at 80x24 or after a resize.
func (m Model) View() string {
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
	bottom = append(bottom, m.statusLine(w))
	bottom = append(bottom, m.helpLines(w)...)

	listHeight := max(m.height-len(top)-len(bottom)-1, 1)
	middle := m.voucherLines(w, listHeight)

	lines := make([]string, 0, m.height)
	lines = append(lines, top...)
	lines = append(lines, middle...)
	lines = append(lines, bottom...)
	for i, l := range lines {
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
		if m.opts.SiteID != "" {
			hint += " · ctrl+n creates a new order for site " + m.opts.SiteID
		}
		if m.orderID != "" {
			hint += " · esc goes back"
		}
		return append(lines, s.Muted.Render(hint))
	}
	if m.order == nil {
		switch {
		case m.orderGone:
			return []string{s.Failure.Render("✗ Order " + shortID(m.orderID) + " has expired or no longer exists."),
				s.Muted.Render("ctrl+n starts a new order · ctrl+o opens another")}
		case m.orderLoading:
			return []string{m.spinner.View() + " Loading order " + shortID(m.orderID) + "…"}
		}
		return []string{s.Muted.Render("Order " + shortID(m.orderID) + " is not loaded. F5 tries again.")}
	}
	o := m.order
	head := s.Title.Render("Order "+shortID(o.ID)) + "  " + statusWord(o.Status)
	site := m.siteName
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
	return append(lines, total)
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
		lines = append(lines, s.Muted.Render("None yet. Scan a voucher below."))
		return padLines(lines, height+1)
	}
	list := m.vouchers
	from, to := list.window(height)
	descWidth := max(w-44, 8)
	for i := from; i < to; i++ {
		v := list.items[i]
		cursor := "  "
		if i == list.selected {
			cursor = "> "
		}
		remaining := "? remaining"
		if r := list.remaining(v.ID); r >= 0 {
			remaining = remainingText(r)
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
	if m.inFlight != nil || len(m.queue) > 0 {
		line := ""
		if m.inFlight != nil {
			line = m.spinner.View() + " Sending " + api.MaskBarcode(m.inFlight.barcode)
		}
		if len(m.queue) > 0 {
			waiting := make([]string, 0, min(len(m.queue), 6))
			for i, q := range m.queue {
				if i == 6 {
					break
				}
				waiting = append(waiting, api.MaskBarcode(q.barcode))
			}
			more := ""
			if len(m.queue) > 6 {
				more = fmt.Sprintf(" +%d", len(m.queue)-6)
			}
			line += s.Pending.Render(fmt.Sprintf("  %d waiting: %s%s", len(m.queue), strings.Join(waiting, " "), more))
		}
		lines = append(lines, strings.TrimLeft(line, " "))
	}
	if len(m.failed) > 0 {
		shown := m.failed
		if len(shown) > maxQueueLines-1 {
			shown = shown[len(shown)-(maxQueueLines-1):]
		}
		head := fmt.Sprintf("Not attached (%d) · ctrl+r retries the newest:", len(m.failed))
		lines = append(lines, s.Warning.Render(head))
		for i := len(shown) - 1; i >= 0; i-- {
			f := shown[i]
			lines = append(lines, fmt.Sprintf("  ✗ %s %s: %s", api.MaskBarcode(f.barcode), f.vtype, f.reason))
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
		line2 += s.Label.Render("   Showtime ") + m.showtimeChoice() + s.Muted.Render(" (F3)")
	}
	if m.opts.PinPrompt == PinNever {
		line2 += s.Muted.Render("   no PIN step")
	}
	return []string{line1, line2}
}

func (m Model) showtimeChoice() string {
	id := m.currentShowtimeID()
	if id == "" {
		return "none on this order"
	}
	resp, ok := m.showtimes[id]
	if !ok {
		return id
	}
	title := resp.RelatedData.FilmTitle(resp.Showtime.FilmID)
	start := ""
	if !resp.Showtime.Schedule.StartsAt.IsZero() {
		start = resp.Showtime.Schedule.StartsAt.Format("15:04") + " "
	}
	return start + title
}

func (m Model) statusLine(w int) string {
	s := m.styles
	if m.status.text == "" {
		if m.busy() && m.inFlight == nil {
			return m.spinner.View() + " Working…"
		}
		return s.Muted.Render(m.idleHint())
	}
	text := m.status.kind.symbol() + " " + m.status.text
	switch m.status.kind {
	case statusSuccess:
		return s.Success.Render(text)
	case statusFailure:
		return s.Failure.Render(text)
	case statusWarning:
		return s.Warning.Render(text)
	case statusBusy:
		return m.spinner.View() + " " + m.status.text
	}
	return text
}

func (m Model) idleHint() string {
	switch m.focus {
	case focusPin:
		return "Type the PIN and press Enter (Enter alone if the voucher has none)."
	case focusOrderID:
		return "Open an order to start."
	}
	return "Ready: scan a voucher or type its barcode and press Enter."
}

func (m Model) helpLines(w int) []string {
	return strings.Split(m.help.View(m.keys), "\n")
}

// shortID keeps the ends of a 32-character order id, enough to read it
// back to a customer.
func shortID(id string) string {
	if len(id) <= 14 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}
