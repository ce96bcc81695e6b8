package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/pricing"
)

// maxOpenedShown bounds the list of this run's orders on the open-order page.
const maxOpenedShown = 5

// openedOrder is an order opened or created in this run: what F6 cycles
// through, with what the counter last knew of it.
type openedOrder struct {
	id     string
	siteID string
	status string
	total  float64
	// ended says why an order is gone: "cancelled" by this counter, or
	// "expired" when the server no longer knows it.
	ended string
	// txn is the completion's transaction number.
	txn string
	// attached is the order's barcodes attached in this run (full barcodes,
	// in memory only), kept while another order is on screen.
	attached map[string]string
}

func (m *Model) openedIndex(id string) int {
	for i := range m.opened {
		if m.opened[i].id == id {
			return i
		}
	}
	return -1
}

// rememberOrder adds an order to this run's list, once.
func (m *Model) rememberOrder(id string) *openedOrder {
	if i := m.openedIndex(id); i >= 0 {
		return &m.opened[i]
	}
	m.opened = append(m.opened, openedOrder{id: id})
	return &m.opened[len(m.opened)-1]
}

// noteOrder keeps what the list shows about an order.
func (m *Model) noteOrder(o api.Order) {
	e := m.rememberOrder(o.ID)
	e.siteID = o.SiteID
	e.status = o.Status
	e.total = o.TotalPrice.ValueIncludingTax
	e.ended = ""
}

func (m *Model) current() *openedOrder {
	if i := m.openedIndex(m.orderID); i >= 0 {
		return &m.opened[i]
	}
	return nil
}

// cannotLeave says why the screen must stay on this order for now, or "".
// A scan waiting to be sent belongs to this order, and the answer of an
// order call must land on the order it was made for.
func (m *Model) cannotLeave() string {
	switch {
	case m.scans.sending():
		return "Wait: scans are still being sent to this order. Switch orders once they are done."
	case m.working != "":
		return "Wait: " + strings.ToLower(m.working) + " is still under way on this order."
	case m.removing != nil:
		return "Wait: " + m.removing.MaskedBarcode + " is still being removed from this order."
	case m.tickets != nil && m.tickets.dirty():
		return "The ticket changes are not applied yet: F7 applies them, esc discards them."
	}
	return ""
}

// nextOrder is F6: the next order opened in this run.
func (m *Model) nextOrder() tea.Cmd {
	if why := m.cannotLeave(); why != "" {
		return m.fail(why)
	}
	// Orders that ended or were completed are passed over: they are listed
	// on the ctrl+o page.
	i, at := -1, m.openedIndex(m.orderID)
	for step := 1; step <= len(m.opened); step++ {
		j := (at + step + len(m.opened)) % len(m.opened)
		if e := m.opened[j]; e.id != m.orderID && e.ended == "" && e.status != api.OrderCompleted {
			i = j
			break
		}
	}
	if i < 0 {
		return m.announce(statusInfo, "No other order opened in this run is still open. ctrl+n starts another; ctrl+o opens one by id.")
	}
	id := m.opened[i].id
	m.switchOrder(id)
	return m.announceAndReload(statusInfo, fmt.Sprintf("Order %s (%d of %d opened in this run). F6 goes on to the next.", shortID(id), i+1, len(m.opened)))
}

// switchOrder puts another order on screen. What the counter knows about
// the one it leaves stays in this run's list.
func (m *Model) switchOrder(id string) {
	if cur := m.current(); cur != nil {
		cur.attached = m.scans.attached
	}
	m.orderID = id
	m.order = nil
	m.orderGone = false
	m.orderLoading = false
	// Answers about the order left behind are told apart by its id; this
	// one's answers start afresh.
	m.appliedSeq = 0
	m.vouchers = voucherList{redemptions: map[string]int{}}
	m.scans.attached = map[string]string{}
	m.scans.lastScan = map[string]time.Time{}
	e := m.rememberOrder(id)
	if e.attached != nil {
		m.scans.attached = e.attached
	}
	m.showtimeIndex = 0
	m.status.confirm = nil
	// The status line speaks of the order on screen: what it said of the
	// last one is not about this one.
	m.status.clear()
	m.expiryChecked = ""
	m.closePanel()
	// The form belongs to the order it was filled for: a PIN never outlives
	// its order. A refused scan in it stays listed for ctrl+r.
	if m.form.refused && !m.form.restored && m.form.barcode.Value() != "" {
		m.addFailed(failedScan{barcode: m.form.barcode.Value(), vtype: m.form.voucherType(), reason: "refused before sending", tainted: m.form.tainted})
	}
	m.form.reset()
	m.layout()
}

// markOrderGone shows that the order is no longer on the server. why is
// "cancelled" when this counter cancelled it, "" when it expired or vanished.
func (m *Model) markOrderGone(why string) {
	m.orderGone = true
	m.order = nil
	// Its vouchers were released with it: none is on an order any more.
	m.vouchers = voucherList{redemptions: map[string]int{}}
	m.closePanel()
	m.status.confirm = nil
	if e := m.current(); e != nil {
		switch {
		case why != "":
			e.ended = why
		case e.ended == "":
			e.ended = "expired"
		}
	}
	// Scans waiting for this order can never go through; keep them for
	// retry on the next order.
	m.scans.stopAll("order expired")
	m.layout()
}

// goneSentence says plainly what became of an order that is gone.
func (m *Model) goneSentence() string {
	if e := m.current(); e != nil && e.ended == "cancelled" {
		return "Order " + shortID(m.orderID) + " was cancelled"
	}
	return "This order has expired or no longer exists"
}

// checkExpiry reads the order again once its countdown reaches zero, so the
// screen says it has gone without waiting for the next action to fail.
func (m *Model) checkExpiry() tea.Cmd {
	o := m.order
	if o == nil || o.Status != api.OrderInProgress || o.ExpiresAt.IsZero() || m.orderLoading ||
		m.expiryChecked == o.ID || m.now().Before(o.ExpiresAt.Time) {
		return nil
	}
	m.expiryChecked = o.ID
	return m.loadOrder()
}

// expiryNotice is said once per order as its countdown enters the last two
// minutes, beside the header's warning, so the operator hears it while busy
// with a scan. A question or a failure on the status line is not hidden.
func (m *Model) expiryNotice() string {
	o := m.order
	if o == nil || o.Status != api.OrderInProgress || o.ExpiresAt.IsZero() || m.expiryWarned == o.ID {
		return ""
	}
	left := o.ExpiresAt.Sub(m.now())
	if left > expiryWarning || left <= 0 {
		return ""
	}
	m.expiryWarned = o.ID
	if m.status.confirm != nil || m.working != "" || m.status.text != "" && m.status.kind == statusFailure {
		return ""
	}
	return fmt.Sprintf("Order %s expires in %s: finish it now, or its tickets and vouchers are released.", shortID(o.ID), countdown(left))
}

func (m *Model) handleOrderLoaded(msg orderLoadedMsg) tea.Cmd {
	if msg.orderID != m.orderID {
		return nil
	}
	if msg.seq == m.loadSeq {
		m.orderLoading = false
	}
	if msg.seq < m.appliedSeq {
		// A newer answer about the order is already on screen.
		return nil
	}
	if msg.err != nil {
		if api.KindOf(msg.err) == api.KindNotFound {
			if e := m.current(); e != nil && e.status == "" && e.ended == "" {
				// Never read in this run: a mistyped id, most likely, and
				// nothing of it was released here. It leaves this run's list.
				id := m.orderID
				m.markOrderGone("")
				if i := m.openedIndex(id); i >= 0 {
					m.opened = append(m.opened[:i], m.opened[i+1:]...)
				}
				return m.announce(statusFailure, "There is no order "+shortID(id)+" on the server (or it expired before it was read): check the id. ctrl+o opens another; ctrl+n starts a new order.")
			}
			m.markOrderGone("")
			if e := m.current(); e != nil && e.ended == "cancelled" {
				return m.announce(statusInfo, m.goneSentence()+". ctrl+n starts a new order.")
			}
			return m.announce(statusFailure, describeError("Order", msg.err, m.now()))
		}
		return m.announce(statusFailure, describeError("Loading the order", msg.err, m.now()))
	}
	if msg.restored != nil {
		m.journalRead[msg.orderID] = true
	}
	if msg.unfinishedRead && !m.unfinishedRead {
		m.unfinishedRead = true
		for _, l := range msg.unfinished {
			if m.unfinished == nil {
				m.unfinished = map[string][]journal.Line{}
			}
			m.unfinished[l.OrderID] = append(m.unfinished[l.OrderID], l)
		}
	}
	for id, n := range msg.restored {
		if _, known := m.vouchers.redemptions[id]; !known {
			m.vouchers.redemptions[id] = n
		}
	}
	if m.applyOrder(msg.resp.Order, msg.seq) {
		for _, v := range msg.recorded {
			if _, shown := m.vouchers.position[v.ID]; !shown {
				m.vouchers.upsert(v)
			}
		}
	}
	cmds := []tea.Cmd{m.fetchShowtimeData(), m.startNext()}
	if text := m.settleUnfinished(msg.orderID, msg.journalled); text != "" {
		cmds = append(cmds, m.announce(statusWarning, text))
	}
	if m.unsureCompletion == m.orderID && m.order != nil {
		m.unsureCompletion = ""
		if m.order.Status == api.OrderCompleted {
			cmd := m.announce(statusWarning, "Order "+shortID(m.orderID)+" is completed, but its transaction number was lost with the answer: look it up in Vista before the customer leaves. ctrl+n starts a new order.")
			return tea.Batch(append(cmds, cmd)...)
		}
		cmd := m.announce(statusFailure, "Order "+shortID(m.orderID)+" was not completed: the order is still in progress. Press F10 to try again.")
		return tea.Batch(append(cmds, cmd)...)
	}
	return tea.Batch(cmds...)
}

// applyOrder shows an order the server sent, unless a newer answer about it
// is already on screen. It reports whether the order was taken.
func (m *Model) applyOrder(o api.Order, seq int) bool {
	if o.ID != m.orderID || seq < m.appliedSeq {
		return false
	}
	m.appliedSeq = seq
	m.order = &o
	m.orderGone = false
	m.vouchers.setFromOrder(o, m.unlistedOwnVoucherIDs())
	m.noteOrder(o)
	if m.showtimeIndex >= len(o.Showtimes) {
		m.showtimeIndex = 0
	}
	if o.Status == api.OrderCompleted {
		m.closePanel()
	}
	m.syncTickets(false)
	return true
}

// fetchShowtimeData asks for the names and prices of the order's showtimes
// that the screen does not have yet.
func (m *Model) fetchShowtimeData() tea.Cmd {
	if m.order == nil {
		return nil
	}
	var cmds []tea.Cmd
	for _, st := range m.order.Showtimes {
		if _, ok := m.showtimes[st.ShowtimeID]; !ok {
			cmds = append(cmds, m.calls.loadShowtime(st.ShowtimeID))
		}
		if _, ok := m.prices[st.ShowtimeID]; !ok {
			cmds = append(cmds, m.calls.loadTicketPrices(st.ShowtimeID))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleOrderCreated(msg orderCreatedMsg) tea.Cmd {
	m.creating = false
	if msg.seq == m.loadSeq {
		m.orderLoading = false
	}
	if msg.err != nil {
		text := describeError("Creating an order", msg.err, m.now())
		if api.KindOf(msg.err) == api.KindRejected {
			text = "No order was created: " + orDefault(serverReason(api.AsError(msg.err)), "the server refused it") +
				". Check the site setting (--site, now " + msg.siteID + ") and restart if it is wrong."
		}
		return m.announce(statusFailure, text)
	}
	id := msg.resp.Order.ID
	m.switchOrder(id)
	m.loadSeq = msg.seq
	cmd := m.handleOrderLoaded(orderLoadedMsg{orderID: id, seq: msg.seq, resp: msg.resp})
	site := m.siteNames[msg.siteID]
	if site == "" {
		site = "site " + msg.siteID
	}
	cmd2 := m.announce(statusSuccess, "New order "+shortID(id)+" at "+site+". F4 picks its showtime and tickets.")
	return tea.Batch(cmd, cmd2)
}

func (m *Model) handleOrderPromptKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Clear):
		if m.orderID != "" {
			m.form.setFocus(focusBarcode)
		}
		m.form.orderInput.SetValue("")
		return nil
	case key.Matches(msg, m.keys.NewOrder):
		return m.newOrder()
	case key.Matches(msg, m.keys.NextOrder):
		if m.orderID == "" && len(m.opened) > 0 {
			m.switchOrder(m.opened[0].id)
			follow := m.loadOrder()
			return follow
		}
		return m.nextOrder()
	case key.Matches(msg, m.keys.Help):
		m.toggleHelp()
		return nil
	case msg.Type == tea.KeyUp || msg.Type == tea.KeyDown:
		m.moveOpenedPick(msg.Type == tea.KeyUp)
		return nil
	case msg.Type == tea.KeyEnter || msg.Type == tea.KeyTab:
		id := strings.TrimSpace(m.form.orderInput.Value())
		if id == "" && m.openedPick >= 0 && m.openedPick < len(m.opened) {
			id = m.opened[m.openedPick].id
		}
		m.openedPick = -1
		if id == "" {
			if len(m.opened) > 0 {
				return m.fail("Type an order id and press Enter, pick one of this run's orders with ↑/↓ and Enter, or press ctrl+n to create a new order.")
			}
			return m.fail("Type an order id and press Enter, or press ctrl+n to create a new order.")
		}
		m.form.orderInput.SetValue("")
		m.switchOrder(id)
		follow := m.loadOrder()
		return follow
	case msg.Type == tea.KeyCtrlJ:
		return nil
	}
	var cmd tea.Cmd
	*m.form.orderInput, cmd = m.form.orderInput.Update(msg)
	if msg.Type == tea.KeyRunes {
		// A typed id is what Enter opens.
		m.openedPick = -1
	}
	return cmd
}

// moveOpenedPick moves the pick among the orders the open-order page lists
// (the newest maxOpenedShown): ↑ from no pick takes the newest, ↓ the oldest.
func (m *Model) moveOpenedPick(up bool) {
	from := max(len(m.opened)-maxOpenedShown, 0)
	last := len(m.opened) - 1
	if last < 0 {
		return
	}
	switch {
	case m.openedPick < from && up:
		m.openedPick = last
	case m.openedPick < from:
		m.openedPick = from
	case up:
		m.openedPick = max(m.openedPick-1, from)
	default:
		m.openedPick = min(m.openedPick+1, last)
	}
}

// siteForNewOrder is the configured site, else the site of the order on
// screen, so a counter without the setting still starts orders where it works.
func (m *Model) siteForNewOrder() string {
	if m.opts.SiteID != "" {
		return m.opts.SiteID
	}
	if m.order != nil {
		return m.order.SiteID
	}
	if e := m.current(); e != nil {
		return e.siteID
	}
	return ""
}

func (m *Model) newOrder() tea.Cmd {
	site := m.siteForNewOrder()
	if site == "" {
		return m.fail("No site is configured for new orders. Set --site (or BOXOFFICE_SITE) and restart.")
	}
	if m.creating {
		// One press, one order: a second ctrl+n while the first is on its
		// way is not a second customer.
		return nil
	}
	if why := m.cannotLeave(); why != "" {
		return m.fail(why)
	}
	m.creating = true
	m.orderLoading = true
	m.loadSeq = m.nextOrderSeq()
	return m.busyWith("Creating a new order for site "+site+"…", m.calls.createOrder(site, m.loadSeq))
}

// orderActionBlocked says why an order-level action cannot start now, or "".
func (m *Model) orderActionBlocked(action string) string {
	switch {
	case m.order == nil && m.orderGone:
		return m.goneSentence() + ", so there is nothing to " + action + ". Press ctrl+n for a new order."
	case m.order == nil:
		return "The order is not loaded yet. Press F5 to reload it."
	case m.working != "":
		return "Wait: " + strings.ToLower(m.working) + " is still under way."
	case m.removing != nil:
		return "Wait: " + m.removing.MaskedBarcode + " is still being removed."
	case m.scans.inFlight != nil || len(m.scans.queue) > 0:
		return "Wait: scans are still being sent to this order."
	}
	return ""
}

// cancelOrderKey is F9: the first press asks, the second cancels.
func (m *Model) cancelOrderKey() tea.Cmd {
	if why := m.orderActionBlocked("cancel"); why != "" {
		return m.fail(why)
	}
	o := m.order
	if o.Status == api.OrderCompleted {
		return m.fail("Order " + shortID(o.ID) + " is completed, so it cannot be cancelled here. A refund is done in Vista.")
	}
	if !m.armed(confirmCancelOrder, "") {
		tickets, vouchers := ticketCount(o), len(o.Vouchers)
		text := fmt.Sprintf("Cancel order %s? It has nothing on it yet.", shortID(o.ID))
		if tickets+vouchers > 0 {
			text = fmt.Sprintf("Cancel order %s? Its %s and %s are released; the vouchers can be used again.",
				shortID(o.ID), plural(tickets, "ticket"), plural(vouchers, "voucher"))
		}
		text += " Press F9 again to cancel it, Esc to keep it."
		return m.ask(confirmCancelOrder, api.OrderVoucher{}, text)
	}
	m.status.confirm = nil
	m.working = "Cancelling the order"
	return m.busyWith("Cancelling order "+shortID(o.ID)+"…", m.calls.cancelOrder(o.ID))
}

func (m *Model) handleOrderCancelled(msg orderCancelledMsg) tea.Cmd {
	m.working = ""
	if msg.journalErr != nil {
		m.scans.journalBroken = msg.journalErr
	}
	if msg.orderID != m.orderID {
		return nil
	}
	if !msg.sent {
		return m.announce(statusFailure, "Order "+shortID(m.orderID)+" was not cancelled: the journal cannot be written ("+msg.journalErr.Error()+"). Fix it and restart.")
	}
	if msg.err != nil {
		switch {
		case api.KindOf(msg.err) == api.KindNotFound:
			m.markOrderGone("")
			return m.announce(statusFailure, "Order "+shortID(m.orderID)+" had already expired or been released, so there was nothing to cancel. Press ctrl+n for a new order.")
		case api.IsOutcomeUnknown(msg.err):
			return m.announceAndReload(statusWarning, "No answer to the cancel, so it may or may not have gone through. Reading the order again to find out…")
		case api.KindOf(msg.err) == api.KindRejected:
			return m.announceAndReload(statusFailure, "Order "+shortID(m.orderID)+" was not cancelled: "+
				orDefault(serverReason(api.AsError(msg.err)), "the server refused")+". The order is as it was.")
		}
		return m.announce(statusFailure, describeError("Cancelling the order", msg.err, m.now()))
	}
	m.markOrderGone("cancelled")
	text := "Order " + shortID(m.orderID) + " cancelled: its tickets and vouchers are released. ctrl+n starts a new order."
	if msg.journalErr != nil {
		return m.announce(statusFailure, text+" The journal cannot be written ("+msg.journalErr.Error()+"): attaching is stopped.")
	}
	return m.announce(statusSuccess, text)
}

// completeKey is F10: the first press checks and asks, the second completes.
func (m *Model) completeKey() tea.Cmd {
	if why := m.orderActionBlocked("complete"); why != "" {
		return m.fail(why)
	}
	o := m.order
	if o.Status == api.OrderCompleted {
		return m.fail("Order " + shortID(o.ID) + " is already completed" + m.txnSuffix() + ". ctrl+n starts a new order.")
	}
	if m.tickets != nil && m.tickets.dirty() {
		return m.fail("The ticket changes are not applied yet: F7 applies them, esc discards them. Then complete.")
	}
	if m.scans.journalBroken != nil {
		return m.fail("Completing is stopped: the journal cannot be written (" + m.scans.journalBroken.Error() + "). Fix it and restart; nothing was sent.")
	}
	if due := o.TotalPrice.ValueIncludingTax; due != 0 {
		return m.fail(fmt.Sprintf("Still to pay: %s (%s). This screen completes only orders paid in full by vouchers: F4 lets vouchers pay for more tickets; otherwise take payment at the till.",
			money(due), m.unpaidSummary()))
	}
	tickets := ticketCount(o)
	// The list, not the order's answer: a tenant may not list the vouchers.
	if tickets == 0 && len(m.vouchers.items) == 0 {
		return m.fail("There is nothing on this order to complete. F4 adds tickets.")
	}
	if !m.armed(confirmComplete, "") {
		paid := 0
		for _, n := range m.vouchers.used {
			paid += n
		}
		text := fmt.Sprintf("Complete order %s: %s, %d paid by vouchers, total %s? Press F10 again to complete, Esc to go back.",
			shortID(o.ID), plural(tickets, "ticket"), paid, money(0))
		return m.ask(confirmComplete, api.OrderVoucher{}, text)
	}
	m.status.confirm = nil
	m.working = "Completing the order"
	return m.busyWith("Completing order "+shortID(o.ID)+"…", m.calls.completeOrder(o.ID))
}

func (m *Model) handleOrderCompleted(msg orderCompletedMsg) tea.Cmd {
	m.working = ""
	if msg.orderID != m.orderID {
		return nil
	}
	if !msg.sent {
		// The attempt could not be journalled, so nothing was sent.
		m.scans.journalBroken = msg.journalErr
		return m.announce(statusFailure, "Order "+shortID(m.orderID)+" was not completed: the journal cannot be written ("+msg.journalErr.Error()+"). Fix it and restart.")
	}
	if msg.journalErr != nil {
		m.scans.journalBroken = msg.journalErr
	}
	id := shortID(m.orderID)
	if msg.err != nil {
		e := api.AsError(msg.err)
		switch {
		case errors.Is(msg.err, api.ErrNoCompletion):
			// Neither a completion nor a completed order exists: nothing
			// was redeemed. Whether the order is still open, the read says.
			return m.announceAndReload(statusFailure, "Order "+id+" was not completed and nothing was redeemed. Reading the order again; F10 tries once more if it is still open.")
		case !msg.followed && (api.KindOf(msg.err) == api.KindNotFound || api.IsOutcomeUnknown(msg.err)):
			// A lost answer, or an order no longer in progress, may be a
			// completion that went through: ask the completion, never guess.
			what := "No answer to the completion"
			if !api.IsOutcomeUnknown(msg.err) {
				what = "The order is no longer in progress"
			}
			m.working = "Checking the completion"
			return m.busyWith(what+", so it may have gone through. Asking the server; do not complete it twice…",
				m.calls.followCompletion(m.orderID))
		case msg.followed:
			m.unsureCompletion = m.orderID
			return m.announceAndReload(statusWarning, "Could not find out whether order "+id+" was completed: the server did not answer the check. Do not complete it again before checking: F5 reads the order again.")
		case e != nil && e.Kind == api.KindRejected:
			text := "Order " + id + " was not completed: " + orDefault(serverReason(e), "the server refused") + "."
			switch e.Code {
			case api.CodeOrderCompleted:
				text = "Order " + id + " was already completed. Reading it again…"
			case api.CodeVoucherRedemptionsExceeded, api.CodeVoucherExpired:
				text += " Remove that voucher (F8) and take payment for its tickets, or F9 cancels the order."
			default:
				text += " Nothing was redeemed; F5 reads the order again."
			}
			return m.announceAndReload(statusFailure, text)
		}
		return m.announce(statusFailure, describeError("Completing the order", msg.err, m.now()))
	}
	switch msg.resp.Status {
	case api.CompletionCompleted:
	case api.CompletionPending:
		if !msg.followed {
			m.working = "Waiting for the completion"
			return m.busyWith("Order "+id+" is being completed: the server says Pending. Checking again; do not complete it twice…",
				m.calls.followCompletion(m.orderID))
		}
		m.unsureCompletion = m.orderID
		return m.announceAndReload(statusWarning, "Order "+id+" is still being completed (Pending) after several checks. It may yet go through: do not complete it again; F5 checks the order.")
	case api.CompletionFailed:
		return m.announceAndReload(statusFailure, "Order "+id+" was not completed: the server says the completion failed, and nothing was redeemed. F10 tries again; F9 cancels the order.")
	default:
		m.unsureCompletion = m.orderID
		return m.announceAndReload(statusWarning, "The server answered the completion of order "+id+" with "+strconv.Quote(string(msg.resp.Status))+", which this screen does not know, so it may not be done. F5 reads the order; do not complete it again before checking.")
	}
	if e := m.current(); e != nil {
		e.txn = msg.resp.TransactionNumber
		e.status = api.OrderCompleted
	}
	if m.order != nil {
		o := *m.order
		o.Status = api.OrderCompleted
		m.order = &o
	}
	m.closePanel()
	text := "Order " + id + " completed" + m.txnSuffix() + ". ctrl+n starts a new order."
	if msg.followed && msg.resp.TransactionNumber == "" {
		text = "Order " + id + " is completed, but its transaction number was lost with the answer: look it up in Vista before the customer leaves. ctrl+n starts a new order."
	}
	if msg.journalErr != nil {
		text += " The journal cannot be written (" + msg.journalErr.Error() + "): attaching is stopped."
	}
	return m.announceAndReload(statusSuccess, text)
}

// txnSuffix is ", transaction 100001" once the order has one.
func (m *Model) txnSuffix() string {
	if txn := m.transactionNumber(); txn != "" {
		return ", transaction " + txn
	}
	return ""
}

// transactionNumber is the completed order's transaction number, "" before
// completion or when its answer was lost.
func (m *Model) transactionNumber() string {
	if e := m.current(); e != nil {
		return e.txn
	}
	return ""
}

// copyTransaction is ctrl+t: the transaction number goes to the terminal's
// clipboard, for the till or a refund form.
func (m *Model) copyTransaction() tea.Cmd {
	txn := m.transactionNumber()
	switch {
	case txn != "":
	case m.order != nil && m.order.Status == api.OrderCompleted:
		return m.fail("The transaction number of order " + shortID(m.orderID) + " was lost with the answer, so there is nothing to copy: look it up in Vista.")
	default:
		return m.fail("Nothing to copy: an order gets its transaction number when F10 completes it.")
	}
	cmd := m.signal.copy(txn)
	// The terminal does not answer OSC 52: the screen cannot know it
	// worked, and says what it did.
	info := m.announce(statusInfo, "Sent transaction "+txn+" to the clipboard, for terminals that let programs set it (OSC 52).")
	return tea.Batch(cmd, info)
}

// unpaidSummary names the tickets that still cost something, e.g.
// "2 × Adult at 19.50".
func (m *Model) unpaidSummary() string {
	if m.order == nil {
		return ""
	}
	return pricing.Unpaid(*m.order, func(showtimeID, typeID string) (string, bool) {
		return m.ticketTypeName(showtimeID, typeID), m.prices[showtimeID] != nil
	})
}

func (m *Model) ticketTypeName(showtimeID, typeID string) string {
	if p := m.prices[showtimeID]; p != nil {
		return p.TicketTypeDescription(typeID)
	}
	return typeID
}

func ticketCount(o *api.Order) int { return pricing.TicketCount(*o) }

func plural(n int, word string) string { return pricing.Plural(n, word) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

const (
	confirmRemove confirmKind = iota + 1
	confirmCancelOrder
	confirmComplete
	confirmQuit
)

func (m *Model) loadOrder() tea.Cmd {
	m.orderLoading = true
	m.loadSeq = m.nextOrderSeq()
	return tea.Batch(m.orderLoadCmd(m.loadSeq), m.spin())
}

// orderLoadCmd reads the current order; seq tells its answer from those of
// loads it replaced.
func (m *Model) orderLoadCmd(seq int) tea.Cmd {
	// Once read for the order, the journal only adds to what this screen
	// already knows, and it grows all day.
	load := m.calls.loadOrder(m.orderID, !m.journalRead[m.orderID])
	return func() tea.Msg {
		msg := load().(orderLoadedMsg)
		msg.seq = seq
		return msg
	}
}

func (m *Model) nextOrderSeq() int {
	m.orderSeq++
	return m.orderSeq
}

// rememberShowtime keeps a showtime's names for titles and its site's name
// for the header.
func (m *Model) rememberShowtime(st api.Showtime, related api.ShowtimeRelatedData) {
	m.showtimes[st.ID] = &api.ShowtimeResponse{Showtime: st, RelatedData: related}
	if name := related.SiteName(st.SiteID); name != "" {
		m.siteNames[st.SiteID] = name
	}
}

func (m *Model) currentShowtimeID() string {
	if m.order == nil || len(m.order.Showtimes) == 0 {
		return ""
	}
	return m.order.Showtimes[m.showtimeIndex%len(m.order.Showtimes)].ShowtimeID
}
