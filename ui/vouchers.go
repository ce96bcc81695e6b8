package ui

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// voucherList is the order's attached vouchers with a selection. It keeps an
// index by id so that adding one voucher, or moving the selection, costs the
// same with ten vouchers as with ten thousand.
type voucherList struct {
	items    []api.OrderVoucher
	position map[string]int
	// idList holds the ids in list order. It only ever grows in place, and
	// is made anew when a voucher leaves, so a slice of it handed to a
	// running command never changes under that command.
	idList []string
	// redemptions is what each voucher could pay for when it was added, from
	// the add answer or the journal: no ticket of the order used it then.
	redemptions map[string]int
	// available is what the server said, on the last order read, each
	// voucher can still pay for: the tickets already using it are taken off.
	available map[string]int
	// used counts the tickets each voucher pays for.
	used map[string]int
	// read is set once an order read has filled the list: vouchers that
	// appear after it, and that this counter did not add, are someone
	// else's.
	read bool
	// othersAdding says another counter or a script has added vouchers to
	// the order while it was on screen here.
	othersAdding bool
	listCursor
}

// listCursor is the selection of a scrolling list, how far it is scrolled,
// and how many rows of it the screen shows (set in Update through SetSize).
// The lists that embed it pass their length in.
type listCursor struct {
	selected int
	offset   int
	rows     int
}

// listUp and listDown move the selection of whichever list is in the middle
// of the screen (the vouchers, the tickets panel's rows, the showtimes).
var (
	listUp   = key.NewBinding(key.WithKeys("up"))
	listDown = key.NewBinding(key.WithKeys("down"))
)

// navigate moves the selection for the list keys among n rows.
func (c *listCursor) navigate(msg tea.Msg, n int) {
	k, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
	case key.Matches(k, listUp):
		c.step(-1, n)
	case key.Matches(k, listDown):
		c.step(1, n)
	}
}

// shown is the range of n rows the screen draws. It works on a copy, so that
// drawing never changes the scroll Update keeps.
func (c listCursor) shown(height, n int) (from, to int) { return c.visible(height, n) }

// step moves the selection by delta, staying on one of n rows.
func (c *listCursor) step(delta, n int) {
	if n == 0 {
		return
	}
	c.selected = min(max(c.selected+delta, 0), n-1)
}

// visible returns the range of n rows to draw in height lines, scrolling only
// as far as needed to keep the selection in view.
func (c *listCursor) visible(height, n int) (from, to int) {
	if height <= 0 || n == 0 {
		return 0, 0
	}
	if c.selected < c.offset {
		c.offset = c.selected
	}
	if c.selected >= c.offset+height {
		c.offset = c.selected - height + 1
	}
	c.offset = max(min(c.offset, n-height), 0)
	return c.offset, min(c.offset+height, n)
}

func (l *voucherList) len() int { return len(l.items) }

func (l *voucherList) has(id string) bool {
	_, ok := l.position[id]
	return ok
}

// ids returns the listed voucher ids without copying them: every attach
// needs them, and copying ten thousand ids per scan would make a long order
// slow to scan into.
func (l *voucherList) ids() []string {
	n := len(l.idList)
	return l.idList[:n:n]
}

// upsert adds a voucher, or refreshes it when it is already listed.
func (l *voucherList) upsert(v api.OrderVoucher) {
	if l.position == nil {
		l.position = map[string]int{}
	}
	if i, ok := l.position[v.ID]; ok {
		l.items[i] = v
		return
	}
	l.position[v.ID] = len(l.items)
	l.items = append(l.items, v)
	l.idList = append(l.idList, v.ID)
	// Follow the newest voucher, as the operator just scanned it.
	l.selected = len(l.items) - 1
}

func (l *voucherList) remove(id string) {
	i, ok := l.position[id]
	if !ok {
		return
	}
	l.items = append(l.items[:i], l.items[i+1:]...)
	l.reindex()
	if l.selected >= len(l.items) {
		l.selected = len(l.items) - 1
	}
	if l.selected < 0 {
		l.selected = 0
	}
}

func (l *voucherList) reindex() {
	l.position = make(map[string]int, len(l.items))
	l.idList = make([]string, len(l.items))
	for i, v := range l.items {
		l.position[v.ID] = i
		l.idList[i] = v.ID
	}
}

// setFromOrder makes the list match the order read from the server,
// keeping the selection on the same voucher. ours are the ids of vouchers
// this counter added that the list may not show yet.
func (l *voucherList) setFromOrder(o api.Order, ours []string) {
	var selectedID string
	if v, ok := l.selectedVoucher(); ok {
		selectedID = v.ID
	}
	if l.redemptions == nil {
		l.redemptions = map[string]int{}
	}
	if o.VouchersListed {
		if l.read && !l.othersAdding {
			l.othersAdding = appearedFromElsewhere(o.Vouchers, l.position, ours)
		}
		l.read = true
		l.items = append(l.items[:0], o.Vouchers...)
		l.reindex()
		l.available = map[string]int{}
		for _, v := range o.Vouchers {
			if v.AvailableRedemptions != nil {
				l.available[v.ID] = *v.AvailableRedemptions
			}
		}
	}
	// An order that does not list its vouchers says nothing about them:
	// absent is not empty, so the list keeps what this counter attached.
	l.used = pricing.VoucherUses(o)
	l.selected = 0
	if i, ok := l.position[selectedID]; ok {
		l.selected = i
	} else if len(l.items) > 0 {
		l.selected = len(l.items) - 1
	}
}

// appearedFromElsewhere reports whether the order holds a voucher that is
// neither listed nor one of ours: someone else added it.
func appearedFromElsewhere(vouchers []api.OrderVoucher, listed map[string]int, ours []string) bool {
	for _, v := range vouchers {
		if _, ok := listed[v.ID]; !ok && !slices.Contains(ours, v.ID) {
			return true
		}
	}
	return false
}

// capacity is how many tickets a voucher may pay for on this order in all,
// or -1 when no one has said. The server's figure wins: it knows about uses
// on other orders since the voucher was added.
func (l *voucherList) capacity(id string) int {
	available, added := -1, -1
	if n, ok := l.available[id]; ok {
		available = n
	}
	if n, ok := l.redemptions[id]; ok {
		added = n
	}
	return pricing.Capacity(available, added, l.used[id])
}

// remaining is what a voucher can still pay for on this order, or -1 when
// no one has said how many redemptions it has.
func (l *voucherList) remaining(id string) int {
	return pricing.Remaining(l.capacity(id), l.used[id])
}

// Update moves the selection.
func (l *voucherList) Update(msg tea.Msg) tea.Cmd {
	l.navigate(msg, len(l.items))
	return nil
}

func (l *voucherList) selectedVoucher() (api.OrderVoucher, bool) {
	if l.selected < 0 || l.selected >= len(l.items) {
		return api.OrderVoucher{}, false
	}
	return l.items[l.selected], true
}

// SetSize gives the list its rows on screen, and scrolls it as little as
// keeps the selection in view.
func (l *voucherList) SetSize(rows int) {
	l.rows = rows
	l.scroll()
}

// scroll keeps the selection in view in the rows last given.
func (l *voucherList) scroll() { l.visible(l.rows, len(l.items)) }

func voucherLabel(v api.OrderVoucher) string {
	if v.VoucherTypeDescription != "" {
		return v.VoucherTypeDescription
	}
	if v.VoucherTypeCode != "" {
		return v.VoucherTypeCode
	}
	return string(v.Type)
}

func itoa(n int) string { return strconv.Itoa(n) }

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
	list := &m.vouchers
	from, to := list.shown(rowsHeight, len(list.items))
	descWidth := max(w-48, 8)
	// On an order with two showtimes a "For" column says which each
	// voucher is for; the barcode column gives up the room masked barcodes
	// do not use.
	barcodeWidth, forColumn := 16, m.showsVoucherShowtimes()
	forHead := ""
	if forColumn {
		barcodeWidth = 14
		descWidth = max(descWidth-showtimeColumnWidth+1, 8)
		forHead = fmt.Sprintf("%-*s ", showtimeColumnWidth, "For")
	}
	lines = append(lines, s.Muted.Render(fmt.Sprintf("  %-*s %-12s %s%-*s %s", barcodeWidth, "Barcode", "Type", forHead, descWidth, "Description", "Left")))
	for i := from; i < to; i++ {
		v := list.items[i]
		// While ↑/↓ are in the Not attached list no voucher is selected.
		selected := i == list.selected && !m.notAttached.focused
		cursor := "  "
		if selected {
			cursor = "> "
		}
		remaining := "? left"
		if r := list.remaining(v.ID); r >= 0 {
			remaining = fmt.Sprintf("%d left", r)
		}
		if list.used[v.ID] > 0 {
			remaining += fmt.Sprintf(", pays %d", list.used[v.ID])
		}
		showtime := ""
		if forColumn {
			showtime = fmt.Sprintf("%-*s ", showtimeColumnWidth, m.voucherShowtimeText(v))
		}
		row := fmt.Sprintf("%s%-*s %-12s %s%-*s %s", cursor, barcodeWidth, v.MaskedBarcode, v.Type, showtime,
			descWidth, ansi.Truncate(voucherLabel(v), descWidth, "…"), remaining)
		if selected {
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

func (m *Model) maskedVoucher(id string) string {
	if i, ok := m.vouchers.position[id]; ok {
		return m.vouchers.items[i].MaskedBarcode
	}
	return "a voucher"
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
// type it stood in for (pricing.NormalTicketFor: a Child voucher's ticket
// goes back to Child). A showtime with no such type loses those tickets.
// The other tickets stay as they are.
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
func (m *Model) handleRemoveKey() tea.Cmd {
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
	case m.notAttached.focused:
		return m.fail("F8 removes a voucher, and the selection is in the Not attached list: ↑ back to the vouchers first.")
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
	m.status.confirm = nil
	m.removing = &v
	seq := 0
	if len(plan) > 0 {
		seq = m.nextOrderSeq()
	}
	return m.busyWith("Removing "+v.MaskedBarcode+"…", m.calls.remove(m.orderID, v, plan, seq))
}

func (m *Model) handleRemoveDone(msg removeDoneMsg) tea.Cmd {
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
		cmd := m.announce(statusFailure, text)
		if m.orderGone {
			return cmd
		}
		return tea.Batch(cmd, m.loadOrder())
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
	cmd := m.announce(statusSuccess, text)
	if msg.journalErr != nil {
		cmd = m.announce(statusFailure, "Removed "+v.MaskedBarcode+", but the journal cannot be written ("+msg.journalErr.Error()+"). Attaching is stopped.")
	}
	return tea.Batch(cmd, m.loadOrder())
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
