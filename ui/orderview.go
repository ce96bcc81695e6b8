package ui

import (
	"fmt"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/charmbracelet/lipgloss"
)

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
	if m.form.focus == focusOrderID {
		lines := []string{s.Title.Render("Open an order")}
		lines = append(lines, s.Label.Render("Order id ")+"["+m.form.orderInput.View()+"]")
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
		case m.orderGone && m.current() == nil:
			// Never read in this run: nothing of it was released here.
			return []string{s.Failure.Render("✗ There is no order " + shortID(m.orderID) + " on the server."),
				s.Muted.Render("ctrl+o opens another · ctrl+n starts a new order")}
		case m.orderGone:
			head := s.Failure.Render("✗ Order " + shortID(m.orderID) + " has expired or no longer exists.")
			if e := m.current(); e != nil && e.ended == "cancelled" {
				// Cancelled as asked: a state, not a failure.
				head = s.Title.Render("Order "+shortID(m.orderID)) + "  Cancelled"
			}
			hint := "ctrl+n starts a new order · ctrl+o opens another"
			if m.keys.nextOpen.Enabled() {
				hint += " · F6 next open order"
			}
			return []string{head, "  Its tickets and vouchers were released; the vouchers can be used again.",
				s.Muted.Render(hint)}
		case m.orderLoading:
			return []string{m.status.spinner.View() + " Loading order " + shortID(m.orderID) + "…"}
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
		if m.help.ShowAll {
			// Every key takes the room of the ticket lines (the total
			// stays), so the voucher list keeps rows to read.
			continue
		}
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
	lines := []string{s.Label.Render("Opened in this run (↑/↓ and Enter open one, F6 the next):")}
	from := max(len(m.opened)-maxOpenedShown, 0)
	for i, e := range m.opened[from:] {
		cursor := "  "
		switch {
		case from+i == m.openedPick:
			cursor = "> "
		case e.id == m.orderID:
			cursor = "• "
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
