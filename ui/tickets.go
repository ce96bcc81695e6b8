package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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

func (p *ticketsPanel) move(delta int) { p.step(delta, len(p.rows)) }

func (p *ticketsPanel) window(height int) (from, to int) {
	return p.visible(height, len(p.rows))
}

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

// openTickets opens the tickets panel on a showtime.
func (m *Model) openTickets(showtimeID string) tea.Cmd {
	m.picker = nil
	m.panel = panelTickets
	m.tickets = &ticketsPanel{showtimeID: showtimeID}
	m.syncTickets(true)
	if m.prices[showtimeID] == nil {
		delete(m.pricesErr, showtimeID)
		return loadTicketPricesCmd(m.client, showtimeID)
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

// normalRow is the ticket a voucher ticket stands in for: the showtime's
// highest-priced type that no voucher is needed for, as Vista's saving is
// counted against it.
func (p *ticketsPanel) normalRow() (ticketRow, bool) {
	var best ticketRow
	found := false
	for _, r := range p.rows {
		if r.voucherID != "" || r.voucherOnly {
			continue
		}
		if !found || r.price.ValueIncludingTax > best.price.ValueIncludingTax {
			best, found = r, true
		}
	}
	return best, found
}

func (m Model) toggleTickets() (tea.Model, tea.Cmd) {
	switch m.panel {
	case panelTickets:
		if m.tickets.dirty() {
			return m.fail("The ticket changes are not applied yet: F7 applies them, esc discards them.")
		}
		m.closePanel()
		return m, nil
	case panelPicker:
		m.closePanel()
		return m, nil
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
	return m, cmd
}

// cycleShowtime is F3: the next showtime of the order, for scans and for
// the tickets panel.
func (m Model) cycleShowtime() (tea.Model, tea.Cmd) {
	if m.order == nil || len(m.order.Showtimes) == 0 {
		return m, nil
	}
	if m.tickets.dirty() {
		return m.fail("The ticket changes are not applied yet: F7 applies them, esc discards them. Then F3 moves on.")
	}
	m.showtimeIndex = (m.showtimeIndex + 1) % len(m.order.Showtimes)
	if m.panel == panelTickets {
		follow := m.openTickets(m.currentShowtimeID())
		return m, follow
	}
	return m, nil
}

func (m Model) handlePricesLoaded(msg ticketPricesLoadedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.pricesErr[msg.showtimeID] = msg.err
		if m.tickets != nil && m.tickets.showtimeID == msg.showtimeID {
			return m.announce(statusFailure, describeError("Reading the ticket prices", msg.err, m.now()))
		}
		return m, nil
	}
	if msg.resp != nil {
		m.prices[msg.showtimeID] = msg.resp
		delete(m.pricesErr, msg.showtimeID)
		if m.tickets != nil && m.tickets.showtimeID == msg.showtimeID {
			m.syncTickets(false)
		}
	}
	return m, nil
}

// ticketCount is ←/→ on a row of the tickets panel.
func (m Model) ticketCount(delta int) (tea.Model, tea.Cmd) {
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
			return m, nil
		}
		if n > maxTicketsPerRow {
			return m.fail(fmt.Sprintf("At most %d %s tickets can be set at once here.", maxTicketsPerRow, r.name))
		}
		p.counts[r.rowKey] = n
		return m, nil
	}
	masked := m.maskedVoucher(r.voucherID)
	normal, hasNormal := p.normalRow()
	if delta > 0 {
		if why := m.voucherLimitProblem(r.voucherID, p.showtimeID, p.voucherCount(r.voucherID)+1); why != "" {
			return m.fail(why)
		}
		p.counts[r.rowKey]++
		if hasNormal && p.counts[normal.rowKey] > 0 {
			p.counts[normal.rowKey]--
			return m.announce(statusInfo, fmt.Sprintf("One %s ticket (%s) is now paid by %s. F7 applies.", normal.name, money(normal.price.ValueIncludingTax), masked))
		}
		return m.announce(statusInfo, fmt.Sprintf("Added a %s ticket paid by %s. F7 applies.", r.name, masked))
	}
	if p.counts[r.rowKey] == 0 {
		return m, nil
	}
	p.counts[r.rowKey]--
	if hasNormal {
		p.counts[normal.rowKey]++
		return m.announce(statusInfo, fmt.Sprintf("That ticket goes back to %s at %s; ← on %s takes it off. F7 applies.", normal.name, money(normal.price.ValueIncludingTax), normal.name))
	}
	return m.announce(statusInfo, fmt.Sprintf("Took off one %s ticket. F7 applies.", r.name))
}

func (m *Model) maskedVoucher(id string) string {
	if i, ok := m.vouchers.position[id]; ok {
		return m.vouchers.items[i].MaskedBarcode
	}
	return "a voucher"
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
func (m Model) applyKey() (tea.Model, tea.Cmd) {
	switch m.panel {
	case panelPicker:
		return m.takeShowtime()
	case panelTickets:
		return m.applyTickets()
	}
	return m.fail("F7 applies ticket changes: press F4 to open the tickets panel first.")
}

func (m Model) applyTickets() (tea.Model, tea.Cmd) {
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
	return m.busyWith("Setting the tickets of "+m.showtimeChoiceFor(p.showtimeID)+"…", setTicketsCmd(m.client, m.orderID, p.showtimeID, p.request(), seq, summary))
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

func (m Model) handleTicketsSet(msg ticketsSetMsg) (tea.Model, tea.Cmd) {
	m.working = ""
	if msg.orderID != m.orderID {
		return m, nil
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
		return m, nil
	}
	for i, st := range m.order.Showtimes {
		if st.ShowtimeID == msg.showtimeID {
			m.showtimeIndex = i
		}
	}
	m.syncTickets(true)
	text := fmt.Sprintf("Tickets set for %s: %s. Total now %s.", title, msg.summary, money(m.order.TotalPrice.ValueIncludingTax))
	next, cmd := m.announce(statusSuccess, text)
	nm := next.(Model)
	follow := nm.fetchShowtimeData()
	return nm, tea.Batch(cmd, follow)
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

// showtimeRelease is one showtime's tickets set again without a voucher
// that is being removed.
type showtimeRelease struct {
	showtimeID string
	tickets    []api.TicketRequest
	// back counts the tickets that went back to a normal price, by type
	// name; dropped counts those removed for want of one.
	back    map[string]int
	dropped int
}

// releasePlan sets every ticket a voucher pays for back to the normal-price
// type it stood in for: the non-voucher type whose price is the ticket's
// price plus its saving, else the showtime's highest-priced non-voucher
// type, the one Vista's saving is counted against. A showtime with no such
// type loses those tickets. The other tickets stay as they are.
func (m *Model) releasePlan(voucherID string) ([]showtimeRelease, error) {
	if m.order == nil {
		return nil, nil
	}
	var plan []showtimeRelease
	for _, st := range m.order.Showtimes {
		if !pricing.UsesVoucher(st, voucherID) {
			continue
		}
		prices := m.prices[st.ShowtimeID]
		if prices == nil {
			return nil, fmt.Errorf("the ticket prices of %s are not loaded, so the screen cannot tell what its tickets go back to. Press F5, then F8 again", m.showtimeChoiceFor(st.ShowtimeID))
		}
		r := showtimeRelease{showtimeID: st.ShowtimeID, back: map[string]int{}}
		for _, t := range st.Tickets {
			if t.VoucherID != voucherID {
				r.tickets = append(r.tickets, api.TicketRequest{ID: t.ID, TicketTypeID: t.TicketTypeID, VoucherID: t.VoucherID})
				continue
			}
			typeID, ok := pricing.NormalTicketFor(prices, t)
			if !ok {
				r.dropped++
				continue
			}
			r.back[prices.TicketTypeDescription(typeID)]++
			r.tickets = append(r.tickets, api.TicketRequest{TicketTypeID: typeID})
		}
		plan = append(plan, r)
	}
	return plan, nil
}

// releaseText says what becomes of a removed voucher's tickets.
func releaseText(plan []showtimeRelease, future bool) string {
	back := map[string]int{}
	var names []string
	dropped := 0
	for _, r := range plan {
		for name, n := range r.back {
			if _, ok := back[name]; !ok {
				names = append(names, name)
			}
			back[name] += n
		}
		dropped += r.dropped
	}
	sort.Strings(names)
	var parts []string
	for _, name := range names {
		parts = append(parts, fmt.Sprintf("%s %s back to %s at the normal price", plural(back[name], "ticket"), verb(back[name], future, "goes", "go", "went"), name))
	}
	if dropped > 0 {
		parts = append(parts, fmt.Sprintf("%s %s removed (no normal-price ticket to go back to)", plural(dropped, "ticket"), verb(dropped, future, "is", "are", "was", "were")))
	}
	return strings.Join(parts, "; ")
}

// handleRemoveKey is F8: the first press asks, the second removes. A voucher
// still paying for tickets is taken off them first, in the same step.
func (m Model) handleRemoveKey() (tea.Model, tea.Cmd) {
	if m.removing != nil || m.working != "" {
		return m.fail("Wait: the last change to this order is still under way.")
	}
	if m.order != nil && m.order.Status == api.OrderCompleted {
		return m.fail("Order " + shortID(m.orderID) + " is completed, so its vouchers stay. ctrl+n starts a new order.")
	}
	var v api.OrderVoucher
	switch {
	case m.panel == panelTickets:
		p := m.tickets
		if len(p.rows) == 0 || p.rows[p.selected].voucherID == "" {
			return m.fail("Select a row paid by the voucher to remove, or close the panel (F4) and pick it in the voucher list.")
		}
		i, ok := m.vouchers.position[p.rows[p.selected].voucherID]
		if !ok {
			return m.fail("That voucher is no longer on the order.")
		}
		v = m.vouchers.items[i]
	default:
		var ok bool
		if v, ok = m.vouchers.selectedVoucher(); !ok {
			return m.fail("No voucher is selected. Use ↑/↓ to pick one, then F8.")
		}
	}
	if m.tickets.dirty() {
		return m.fail("The ticket changes are not applied yet: F7 applies them, esc discards them. Then F8.")
	}
	used := m.vouchers.used[v.ID]
	var plan []showtimeRelease
	if used > 0 && v.Type != api.VoucherDeal {
		var err error
		if plan, err = m.releasePlan(v.ID); err != nil {
			return m.fail("Cannot remove " + v.MaskedBarcode + " yet: " + err.Error() + ".")
		}
	}
	if !m.armed(confirmRemove, v.ID) {
		text := "Remove " + v.MaskedBarcode + " (" + voucherLabel(v) + ") from the order?"
		if len(plan) > 0 {
			text += " It pays for " + plural(used, "ticket") + ": " + releaseText(plan, true) + "."
		}
		return m.ask(confirmRemove, v, text+" Press F8 again to remove, Esc to keep it.")
	}
	m.confirm = nil
	m.removing = &v
	seq := 0
	if len(plan) > 0 {
		seq = m.nextOrderSeq()
	}
	return m.busyWith("Removing "+v.MaskedBarcode+"…", removeCmd(m.client, m.journal, m.orderID, v, plan, seq))
}

func (m Model) handleRemoveDone(msg removeDoneMsg) (tea.Model, tea.Cmd) {
	m.removing = nil
	v := msg.voucher
	if msg.order != nil {
		m.applyOrder(msg.order.Order, msg.seq)
	}
	if msg.journalErr != nil {
		m.scans.journalBroken = msg.journalErr
	}
	released := ""
	if len(msg.release) > 0 && msg.releaseErr == nil {
		released = releaseText(msg.release, false)
	}
	if msg.releaseErr != nil {
		err := msg.releaseErr
		text := "Cannot remove " + v.MaskedBarcode + ": setting its tickets without it failed"
		switch {
		case api.KindOf(err) == api.KindNotFound:
			m.markOrderGone("")
			return m.announce(statusFailure, text+". "+describeError("Order", err, m.now()))
		case api.IsOutcomeUnknown(err):
			text += " with no answer, so they may or may not have changed. The order is being read again; check it, then F8 again."
		case api.KindOf(err) == api.KindRejected:
			text += ": " + orDefault(serverReason(api.AsError(err)), "the server refused") + ". The voucher and its tickets are as they were."
		default:
			text = describeError("Removing "+v.MaskedBarcode, err, m.now())
		}
		return m.announceAndReload(statusFailure, text)
	}
	if !msg.detachSent {
		text := v.MaskedBarcode + " was not removed: the journal cannot be written (" + msg.journalErr.Error() + "). Fix it and restart."
		if released != "" {
			text = "Its tickets were set without it (" + released + "), but " + text
		}
		return m.announce(statusFailure, text)
	}
	if msg.err != nil {
		if api.KindOf(msg.err) == api.KindNotFound {
			m.markOrderGone("")
		}
		text := describeError("Removing "+v.MaskedBarcode, msg.err, m.now())
		if api.KindOf(msg.err) == api.KindRejected {
			text = "Cannot remove " + v.MaskedBarcode + ": "
			if e := api.AsError(msg.err); e != nil && e.Message != "" {
				text += serverReason(e) + "."
			} else {
				text += "the server refused."
			}
			text += " A voucher still paying for tickets stays until those tickets are set without it."
		}
		if released != "" {
			text = "Its tickets were set without it (" + released + "), but the voucher is still on the order. " + text + " F8 tries again."
		}
		next, cmd := m.announce(statusFailure, text)
		if m.orderGone {
			return next, cmd
		}
		nm := next.(Model)
		follow := nm.loadOrder()
		return nm, tea.Batch(cmd, follow)
	}
	m.vouchers.remove(v.ID)
	for barcode, id := range m.scans.attached {
		if id == v.ID {
			delete(m.scans.attached, barcode)
			delete(m.scans.lastScan, barcode)
		}
	}
	m.syncTickets(false)
	text := "Removed " + v.MaskedBarcode + " (" + voucherLabel(v) + ") from the order."
	if released != "" {
		text += " " + upperFirst(released) + "."
		if m.order != nil {
			text += " Total now " + money(m.order.TotalPrice.ValueIncludingTax) + "."
		}
	}
	next, cmd := m.announce(statusSuccess, text)
	if msg.journalErr != nil {
		next, cmd = m.announce(statusFailure, "Removed "+v.MaskedBarcode+", but the journal cannot be written ("+msg.journalErr.Error()+"). Attaching is stopped.")
	}
	nm := next.(Model)
	follow := nm.loadOrder()
	return nm, tea.Batch(cmd, follow)
}

// verb picks the form of a verb for n things, now or done: ("goes", "go",
// "went") or ("is", "are", "was", "were").
func verb(n int, future bool, forms ...string) string {
	if future {
		if n == 1 {
			return forms[0]
		}
		return forms[1]
	}
	if len(forms) == 4 && n != 1 {
		return forms[3]
	}
	return forms[2]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// showtimePicker lists a site's showtimes for one business date, for an
// order that has none yet.
type showtimePicker struct {
	siteID string
	// day is the business date, at midnight in the site's offset.
	day     time.Time
	seq     int
	loading bool
	err     error
	list    []api.Showtime
	related api.ShowtimeRelatedData
	// note explains a day the screen chose for the operator.
	note          string
	triedFallback bool
	listCursor
}

func (p *showtimePicker) date() string { return p.day.Format(time.DateOnly) }

func (p *showtimePicker) move(delta int) { p.step(delta, len(p.list)) }

func (p *showtimePicker) window(height int) (from, to int) { return p.visible(height, len(p.list)) }

// siteZone is the site's UTC offset as its showtimes carry it; the counter's
// own zone until one has been seen.
func (m *Model) siteZone(siteID string) *time.Location {
	for _, st := range m.showtimes {
		if st.Showtime.SiteID == siteID && !st.Showtime.Schedule.StartsAt.IsZero() {
			return st.Showtime.Schedule.StartsAt.Location()
		}
	}
	return time.Local
}

func (m Model) openPicker() (tea.Model, tea.Cmd) {
	site := m.order.SiteID
	now := m.now().In(m.siteZone(site))
	m.panel = panelPicker
	m.tickets = nil
	m.picker = &showtimePicker{siteID: site, day: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())}
	follow := m.listShowtimes()
	return m, follow
}

func (m *Model) listShowtimes() tea.Cmd {
	p := m.picker
	p.loading = true
	p.err = nil
	p.seq = m.nextOrderSeq()
	return tea.Batch(listShowtimesCmd(m.client, p.siteID, p.date(), p.seq), m.spin())
}

func (m Model) pickerDay(delta int) (tea.Model, tea.Cmd) {
	p := m.picker
	p.day = p.day.AddDate(0, 0, delta)
	p.note = ""
	p.triedFallback = true
	p.list = nil
	p.selected, p.offset = 0, 0
	follow := m.listShowtimes()
	return m, follow
}

func (m Model) handleShowtimesListed(msg showtimesListedMsg) (tea.Model, tea.Cmd) {
	p := m.picker
	if p == nil || msg.seq != p.seq {
		return m, nil
	}
	p.loading = false
	if msg.err != nil {
		p.err = msg.err
		return m.announce(statusFailure, describeError("Listing the showtimes of "+msg.date, msg.err, m.now())+" F5 tries again.")
	}
	list := append([]api.Showtime(nil), msg.resp.Showtimes...)
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].Schedule.StartsAt.Before(list[j].Schedule.StartsAt.Time)
	})
	if len(list) == 0 && !p.triedFallback {
		// The demo's showtimes are on fixed dates: go to the nearest date
		// with showtimes this screen has seen at the site.
		p.triedFallback = true
		if day, ok := m.nearestKnownDay(p.siteID, p.day); ok {
			p.note = "No showtimes on " + p.day.Format("Mon 2 Jan") + "; showing " + day.Format("Mon 2 Jan") + ", the nearest day with showtimes seen at this site."
			p.day = day
			follow := m.listShowtimes()
			return m, follow
		}
	}
	p.list = list
	p.related = msg.resp.RelatedData
	p.selected, p.offset = 0, 0
	return m, nil
}

// nearestKnownDay is the business date closest to day of the showtimes at
// a site that this screen has already seen.
func (m *Model) nearestKnownDay(siteID string, day time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	for _, st := range m.showtimes {
		s := st.Showtime
		if s.SiteID != siteID || s.Schedule.StartsAt.IsZero() {
			continue
		}
		start := s.Schedule.StartsAt.Time
		d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
		if bd, err := time.ParseInLocation(time.DateOnly, s.Schedule.BusinessDate, start.Location()); err == nil {
			d = bd
		}
		if d.Equal(day) {
			continue
		}
		if !found || absDuration(d.Sub(day)) < absDuration(best.Sub(day)) {
			best, found = d, true
		}
	}
	return best, found
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// takeShowtime is F7 in the picker: the tickets panel opens on the chosen
// showtime, which joins the order when its tickets are applied.
func (m Model) takeShowtime() (tea.Model, tea.Cmd) {
	p := m.picker
	if p.loading {
		return m, nil
	}
	if len(p.list) == 0 {
		return m.fail("There is no showtime to take on " + p.day.Format("Mon 2 Jan") + ". ←/→ changes the day.")
	}
	st := p.list[p.selected]
	m.rememberShowtime(st, p.related)
	cmd := m.openTickets(st.ID)
	next, cmd2 := m.announce(statusInfo, "Set the tickets for "+m.showtimeChoiceFor(st.ID)+" with ↑/↓ and ←/→, then F7 adds them to the order.")
	return next, tea.Batch(cmd, cmd2)
}
