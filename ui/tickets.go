package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
)

// maxTicketsPerRow keeps a held arrow key from building an absurd order.
const maxTicketsPerRow = 50

// panelKind is what fills the middle of the screen: the voucher list, the
// tickets panel, or the showtime picker.
type panelKind int

const (
	panelNone panelKind = iota
	panelTickets
	panelPicker
)

// rowKey names a row of the tickets panel: a ticket type, paid at its own
// price (voucherID "") or by one attached voucher.
type rowKey struct {
	typeID    string
	voucherID string
}

type ticketRow struct {
	rowKey
	name  string
	price api.MonetaryValue
	// codes are the voucher type codes a voucher-only type takes.
	codes []string
	// voucherOnly marks a type only vouchers pay for when no attached
	// voucher can: it cannot be counted until one is scanned.
	voucherOnly bool
}

// ticketsPanel is the operator's draft of one showtime's tickets. Nothing
// changes on the server until F7 sends the whole showtime at once.
type ticketsPanel struct {
	showtimeID string
	// onOrder is false for a showtime just picked for an order that has none:
	// it joins the order when its tickets are applied.
	onOrder bool
	rows    []ticketRow
	listCursor
	// base is what the order has, counts the draft.
	base   map[rowKey]int
	counts map[rowKey]int
	// ids are the order's ticket ids per row, sent again for tickets that
	// stay so that they keep their identity.
	ids map[rowKey][]string
	// prices of the rows, and of tickets the price list no longer has.
	orderPrices map[rowKey]api.MonetaryValue
}

func (p *ticketsPanel) dirty() bool {
	if p == nil {
		return false
	}
	for k, n := range p.counts {
		if p.base[k] != n {
			return true
		}
	}
	for k, n := range p.base {
		if p.counts[k] != n {
			return true
		}
	}
	return false
}

// Update moves the selection among the rows; what ←/→ do to a row's count
// is the root's (ticketCount), since it weighs the vouchers' limits.
func (p *ticketsPanel) Update(msg tea.Msg) tea.Cmd {
	p.navigate(msg, len(p.rows))
	return nil
}

// SetSize gives the panel its rows on screen; scroll keeps the selection
// in view in them.
func (p *ticketsPanel) SetSize(rows int) {
	p.listCursor.rows = rows
	p.scroll()
}

func (p *ticketsPanel) scroll() { p.visible(p.listCursor.rows, len(p.rows)) }

func (p *ticketsPanel) price(k rowKey) api.MonetaryValue {
	for _, r := range p.rows {
		if r.rowKey == k {
			return r.price
		}
	}
	return p.orderPrices[k]
}

// total is what the draft's tickets cost.
func (p *ticketsPanel) total() float64 {
	var sum float64
	for k, n := range p.counts {
		sum += float64(n) * p.price(k).ValueIncludingTax
	}
	return sum
}

func (p *ticketsPanel) ticketCount() int {
	n := 0
	for _, c := range p.counts {
		n += c
	}
	return n
}

// voucherCount is how many of the draft's tickets a voucher pays for.
func (p *ticketsPanel) voucherCount(voucherID string) int {
	n := 0
	for k, c := range p.counts {
		if k.voucherID == voucherID {
			n += c
		}
	}
	return n
}

// request is every ticket of the draft, as the PUT replaces them all.
func (p *ticketsPanel) request() []api.TicketRequest {
	var out []api.TicketRequest
	for _, r := range p.rows {
		ids := p.ids[r.rowKey]
		for i := range p.counts[r.rowKey] {
			t := api.TicketRequest{TicketTypeID: r.typeID, VoucherID: r.voucherID}
			if i < len(ids) {
				t.ID = ids[i]
			}
			out = append(out, t)
		}
	}
	return out
}

func (m *Model) orderShowtime(id string) *api.OrderShowtime {
	if m.order == nil {
		return nil
	}
	for i := range m.order.Showtimes {
		if m.order.Showtimes[i].ShowtimeID == id {
			return &m.order.Showtimes[i]
		}
	}
	return nil
}

// scanShowtimeID is the showtime a Ticket voucher is scanned for: the
// order's current one, else the one just picked for an order without any.
// Vista adds a ticket voucher before the tickets it pays for, so the picked
// showtime takes vouchers before its tickets join the order at F7.
func (m *Model) scanShowtimeID() string {
	if id := m.currentShowtimeID(); id != "" {
		return id
	}
	if m.panel == panelTickets && m.tickets != nil && !m.tickets.onOrder {
		return m.tickets.showtimeID
	}
	return ""
}

// openTickets opens the tickets panel on a showtime.
func (m *Model) openTickets(showtimeID string) tea.Cmd {
	m.picker = nil
	m.panel = panelTickets
	m.tickets = &ticketsPanel{showtimeID: showtimeID}
	m.syncTickets(true)
	if m.prices[showtimeID] == nil {
		delete(m.pricesErr, showtimeID)
		return m.calls.loadTicketPrices(showtimeID)
	}
	return nil
}

func (m *Model) closePanel() {
	m.panel = panelNone
	m.tickets = nil
	m.picker = nil
}

// syncTickets rebuilds the panel's rows from the order, the showtime's
// prices and the attached vouchers. The operator's draft survives a reload
// unless reset is set.
func (m *Model) syncTickets(reset bool) {
	p := m.tickets
	if p == nil {
		return
	}
	base := map[rowKey]int{}
	ids := map[rowKey][]string{}
	orderPrices := map[rowKey]api.MonetaryValue{}
	var onOrderKeys []rowKey
	st := m.orderShowtime(p.showtimeID)
	p.onOrder = st != nil
	if st != nil {
		for _, t := range st.Tickets {
			k := rowKey{t.TicketTypeID, t.VoucherID}
			if _, seen := base[k]; !seen {
				onOrderKeys = append(onOrderKeys, k)
			}
			base[k]++
			ids[k] = append(ids[k], t.ID)
			orderPrices[k] = t.Price
		}
	}
	wasDirty := p.dirty()
	p.base, p.ids, p.orderPrices = base, ids, orderPrices
	if reset || !wasDirty || p.counts == nil {
		p.counts = make(map[rowKey]int, len(base))
		for k, n := range base {
			p.counts[k] = n
		}
	}

	var rows []ticketRow
	seen := map[rowKey]bool{}
	add := func(r ticketRow) {
		if !seen[r.rowKey] {
			seen[r.rowKey] = true
			rows = append(rows, r)
		}
	}
	if prices := m.prices[p.showtimeID]; prices != nil {
		for _, tp := range prices.TicketPrices {
			name := prices.TicketTypeDescription(tp.TicketTypeID)
			if !tp.NeedsVoucher() {
				add(ticketRow{rowKey: rowKey{tp.TicketTypeID, ""}, name: name, price: tp.Price})
				continue
			}
			payable := 0
			for _, v := range m.vouchers.items {
				if v.Type == api.VoucherDeal || !tp.AcceptsVoucherCode(v.VoucherTypeCode) {
					continue
				}
				add(ticketRow{rowKey: rowKey{tp.TicketTypeID, v.ID}, name: name, price: tp.Price})
				payable++
			}
			if payable == 0 {
				add(ticketRow{rowKey: rowKey{tp.TicketTypeID, ""}, name: name, price: tp.Price,
					codes: tp.VoucherTypeCodes, voucherOnly: true})
			}
		}
	}
	// Tickets the price list does not explain still belong to the showtime
	// and are sent back unchanged unless the operator takes them off.
	for _, k := range onOrderKeys {
		add(ticketRow{rowKey: k, name: m.ticketTypeName(p.showtimeID, k.typeID), price: orderPrices[k]})
	}
	for k := range p.counts {
		if !seen[k] {
			// A voucher that left the order takes its draft tickets with it.
			delete(p.counts, k)
		}
	}
	p.rows = rows
	p.selected = min(p.selected, max(len(rows)-1, 0))
}

// standInRow is the row of the ordinary ticket type a ticket of voucher row
// r stands in for (pricing.NormalTicketFor): → on r takes one of its
// tickets, ← on r gives one back to it.
func (m *Model) standInRow(r ticketRow) (ticketRow, bool) {
	p := m.tickets
	prices := m.prices[p.showtimeID]
	if prices == nil {
		return ticketRow{}, false
	}
	typeID, ok := pricing.NormalTicketFor(prices, api.Ticket{TicketTypeID: r.typeID, Price: r.price})
	if !ok {
		return ticketRow{}, false
	}
	for _, row := range p.rows {
		if row.rowKey == (rowKey{typeID: typeID}) && !row.voucherOnly {
			return row, true
		}
	}
	return ticketRow{}, false
}

func (m *Model) toggleTickets() tea.Cmd {
	switch m.panel {
	case panelTickets:
		if m.tickets.dirty() {
			return m.fail("The ticket changes are not applied yet: F7 applies them, esc discards them.")
		}
		m.closePanel()
		return nil
	case panelPicker:
		m.closePanel()
		return nil
	}
	switch {
	case m.order == nil && m.orderGone:
		return m.fail(m.goneSentence() + ". Press ctrl+n for a new order.")
	case m.order == nil:
		return m.fail("The order is not loaded yet. Press F5 to reload it.")
	case m.order.Status == api.OrderCompleted:
		return m.fail("Order " + shortID(m.orderID) + " is completed, so its tickets can no longer change. ctrl+n starts a new order.")
	case len(m.order.Showtimes) == 0:
		return m.openPicker()
	}
	cmd := m.openTickets(m.currentShowtimeID())
	return cmd
}

// cycleShowtime is F3: the next showtime of the order, for scans and for
// the tickets panel.
func (m *Model) cycleShowtime() tea.Cmd {
	if m.order == nil || len(m.order.Showtimes) == 0 {
		return nil
	}
	if m.tickets.dirty() {
		return m.fail("The ticket changes are not applied yet: F7 applies them, esc discards them. Then F3 moves on.")
	}
	m.showtimeIndex = (m.showtimeIndex + 1) % len(m.order.Showtimes)
	if m.panel == panelTickets {
		follow := m.openTickets(m.currentShowtimeID())
		return follow
	}
	return nil
}

func (m *Model) handlePricesLoaded(msg ticketPricesLoadedMsg) tea.Cmd {
	if msg.err != nil {
		m.pricesErr[msg.showtimeID] = msg.err
		if m.tickets != nil && m.tickets.showtimeID == msg.showtimeID {
			return m.announce(statusFailure, describeError("Reading the ticket prices", msg.err, m.now()))
		}
		return nil
	}
	if msg.resp != nil {
		m.prices[msg.showtimeID] = msg.resp
		delete(m.pricesErr, msg.showtimeID)
		if m.tickets != nil && m.tickets.showtimeID == msg.showtimeID {
			m.syncTickets(false)
		}
	}
	return nil
}

// ticketCount is ←/→ on a row of the tickets panel.
func (m *Model) ticketCount(delta int) tea.Cmd {
	p := m.tickets
	if p == nil || len(p.rows) == 0 {
		return m.fail("The ticket types are not loaded yet. Press F5 if they do not appear.")
	}
	if m.order == nil || m.order.Status != api.OrderInProgress {
		return m.fail("This order can no longer change. ctrl+n starts a new order.")
	}
	r := p.rows[p.selected]
	switch {
	case r.voucherOnly:
		return m.fail(fmt.Sprintf("%s is paid with %s vouchers only. Scan one and it gets its own row here.", r.name, strings.Join(r.codes, " or ")))
	case r.voucherID == "":
		n := p.counts[r.rowKey] + delta
		if n < 0 {
			return nil
		}
		if n > maxTicketsPerRow {
			return m.fail(fmt.Sprintf("At most %d %s tickets can be set at once here.", maxTicketsPerRow, r.name))
		}
		p.counts[r.rowKey] = n
		return nil
	}
	masked := m.maskedVoucher(r.voucherID)
	normal, hasNormal := m.standInRow(r)
	if delta > 0 {
		if why := m.voucherLimitProblem(r.voucherID, p.showtimeID, p.voucherCount(r.voucherID)+1); why != "" {
			return m.fail(why)
		}
		p.counts[r.rowKey]++
		if hasNormal && p.counts[normal.rowKey] > 0 {
			p.counts[normal.rowKey]--
			return m.announce(statusInfo, fmt.Sprintf("One %s ticket (%s) is now paid by %s. F7 applies.", normal.name, money(normal.price.ValueIncludingTax), masked))
		}
		return m.announce(statusInfo, fmt.Sprintf("Added one %s ticket paid by %s. F7 applies.", r.name, masked))
	}
	if p.counts[r.rowKey] == 0 {
		return nil
	}
	p.counts[r.rowKey]--
	if hasNormal {
		p.counts[normal.rowKey]++
		return m.announce(statusInfo, fmt.Sprintf("That ticket goes back to %s at %s; ← on %s takes it off. F7 applies.", normal.name, money(normal.price.ValueIncludingTax), normal.name))
	}
	return m.announce(statusInfo, fmt.Sprintf("Took off one %s ticket. F7 applies.", r.name))
}

// voucherLimitProblem says why a voucher cannot pay for want tickets of
// showtimeID (with what it pays for on the order's other showtimes), or "".
// The counter says so before any call, in words the customer can be told.
func (m *Model) voucherLimitProblem(voucherID, showtimeID string, want int) string {
	capacity := m.vouchers.capacity(voucherID)
	if capacity < 0 {
		return "" // nobody said: the server decides
	}
	elsewhere := 0
	if m.order != nil {
		for _, st := range m.order.Showtimes {
			if st.ShowtimeID == showtimeID {
				continue
			}
			for _, t := range st.Tickets {
				if t.VoucherID == voucherID {
					elsewhere++
				}
			}
		}
	}
	if elsewhere+want <= capacity {
		return ""
	}
	masked := m.maskedVoucher(voucherID)
	if capacity == 0 {
		return "Voucher " + masked + " has no redemptions left, so it cannot pay for a ticket. Take payment for it, or scan another voucher."
	}
	text := fmt.Sprintf("Voucher %s can pay for %s on this order", masked, plural(capacity, "ticket"))
	if elsewhere > 0 {
		text += fmt.Sprintf(" and already pays for %d on another showtime, so not %d here", elsewhere, want)
	} else {
		text += fmt.Sprintf(", not %d", want)
	}
	return text + ". Nothing was sent: take payment for the rest, or scan another voucher."
}

// applyKey is F7: apply the draft, or take the showtime picked.
func (m *Model) applyKey() tea.Cmd {
	switch m.panel {
	case panelPicker:
		return m.takeShowtime()
	case panelTickets:
		return m.applyTickets()
	}
	return m.fail("F7 applies ticket changes: press F4 to open the tickets panel first.")
}

func (m *Model) applyTickets() tea.Cmd {
	// Scans on their way are let be: attaching a voucher does not touch
	// tickets.
	switch {
	case m.order == nil:
		return m.fail(m.orderActionBlocked("change"))
	case m.working != "" || m.removing != nil:
		return m.fail("Wait: the last change to this order is still under way.")
	}
	if m.order.Status != api.OrderInProgress {
		return m.fail("This order can no longer change. ctrl+n starts a new order.")
	}
	p := m.tickets
	if !p.dirty() {
		return m.announce(statusInfo, "Nothing to apply: the counts are as on the order. ←/→ changes them.")
	}
	checked := map[string]bool{}
	for k := range p.counts {
		if k.voucherID == "" || checked[k.voucherID] {
			continue
		}
		checked[k.voucherID] = true
		if why := m.voucherLimitProblem(k.voucherID, p.showtimeID, p.voucherCount(k.voucherID)); why != "" {
			return m.fail(why)
		}
	}
	summary := m.draftSummary()
	m.working = "Setting the tickets"
	seq := m.nextOrderSeq()
	return m.busyWith("Setting the tickets of "+m.showtimeChoiceFor(p.showtimeID)+"…", m.calls.setTickets(m.orderID, p.showtimeID, p.request(), seq, summary))
}

// draftSummary lists the draft's tickets, e.g. "1 × Adult, 1 × Adult Movie
// Money paid by AD......0111".
func (m *Model) draftSummary() string {
	p := m.tickets
	var parts []string
	for _, r := range p.rows {
		n := p.counts[r.rowKey]
		if n == 0 {
			continue
		}
		part := fmt.Sprintf("%d × %s", n, r.name)
		if r.voucherID != "" {
			part += " paid by " + m.maskedVoucher(r.voucherID)
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return "no tickets"
	}
	return strings.Join(parts, ", ")
}

func (m *Model) handleTicketsSet(msg ticketsSetMsg) tea.Cmd {
	m.working = ""
	if msg.orderID != m.orderID {
		return nil
	}
	title := m.showtimeChoiceFor(msg.showtimeID)
	if msg.err != nil {
		e := api.AsError(msg.err)
		switch {
		case api.IsOutcomeUnknown(msg.err):
			return m.announceAndReload(statusWarning, "No answer while setting the tickets, so they may or may not have changed. The order is being read again: check the tickets, then F7 again if needed.")
		case e != nil && e.Kind == api.KindNotFound:
			// The order or the showtime has gone; reading the order tells which.
			return m.announceAndReload(statusFailure, "Tickets not changed: the server no longer knows this order or the showtime "+title+". Reading the order again…")
		case e != nil && e.Kind == api.KindRejected:
			text := "Tickets not changed: " + orDefault(serverReason(e), "the server refused them") + "."
			switch e.Code {
			case api.CodeOrderCompleted:
				text += " ctrl+n starts a new order."
			default:
				text += " The draft is still here: change it and F7 again, or esc discards it."
			}
			return m.announceAndReload(statusFailure, text)
		}
		return m.announce(statusFailure, describeError("Setting the tickets", msg.err, m.now()))
	}
	m.applyOrder(msg.resp.Order, msg.seq)
	if m.order == nil {
		return nil
	}
	for i, st := range m.order.Showtimes {
		if st.ShowtimeID == msg.showtimeID {
			m.showtimeIndex = i
		}
	}
	m.syncTickets(true)
	text := fmt.Sprintf("Tickets set for %s: %s. Total now %s.", title, msg.summary, money(m.order.TotalPrice.ValueIncludingTax))
	cmd := m.announce(statusSuccess, text)
	follow := m.fetchShowtimeData()
	return tea.Batch(cmd, follow)
}

// showtimeChoiceFor names a showtime the way the form does: "19:30 The Long Night".
func (m *Model) showtimeChoiceFor(id string) string {
	resp, ok := m.showtimes[id]
	if !ok {
		return id
	}
	start := ""
	if !resp.Showtime.Schedule.StartsAt.IsZero() {
		start = resp.Showtime.Schedule.StartsAt.Format("15:04") + " "
	}
	title := resp.RelatedData.FilmTitle(resp.Showtime.FilmID)
	if title == "" {
		title = "film " + resp.Showtime.FilmID
	}
	return start + title
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
		lines = append(lines, m.status.spinner.View()+" Loading ticket prices…")
		return padLines(lines, n)
	case len(p.rows) == 0:
		lines = append(lines, s.Muted.Render("No tickets are on sale for this showtime."))
		return padLines(lines, n)
	}
	if n < 3 {
		// Too small for rows and a footer: the title says where the panel is.
		return padLines(lines, n)
	}
	from, to := p.shown(n-2, len(p.rows))
	const noteWidth = 14
	nameWidth := max(w-2-1-6-1-7-1-noteWidth, 16)
	rows := make([][]string, 0, to-from)
	used := 0
	for i := from; i < to; i++ {
		row := m.ticketRowLines(p, i, nameWidth)
		rows = append(rows, row)
		used += len(row)
	}
	// A row that wraps takes a line of another: those furthest from the
	// selection give way.
	for used > n-2 && len(rows) > 1 {
		if to-1 != p.selected {
			used -= len(rows[len(rows)-1])
			rows, to = rows[:len(rows)-1], to-1
			continue
		}
		used -= len(rows[0])
		rows, from = rows[1:], from+1
	}
	if to-from < len(p.rows) {
		lines[0] += s.Muted.Render(fmt.Sprintf("  rows %d–%d of %d", from+1, to, len(p.rows)))
	}
	for _, row := range rows {
		lines = append(lines, row...)
	}
	lines = padLines(lines, n-1)
	return append(lines, m.ticketsFooter())
}

// ticketRowLines draws row i of the panel: one line, or two when the ticket
// type's name and the voucher paying for it do not fit beside each other,
// so that the name, the voucher and the price all show.
func (m Model) ticketRowLines(p *ticketsPanel, i, nameWidth int) []string {
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
	name := r.name + suffix
	wrapped := ""
	if ansi.StringWidth(name) > nameWidth {
		// The voucher goes under the name rather than cut it.
		name = ansi.Truncate(r.name, nameWidth, "…")
		wrapped = "    " + strings.TrimPrefix(suffix, " — ")
	}
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
	lines := []string{row}
	if wrapped != "" {
		lines = append(lines, wrapped)
	}
	for j, l := range lines {
		switch {
		case selected:
			lines[j] = s.Selected.Render(l)
		case r.voucherOnly:
			lines[j] = s.Muted.Render(l)
		}
	}
	return lines
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
