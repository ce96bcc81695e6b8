package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

const (
	// successStatusLife is how long a good outcome stays on the status line;
	// failures stay until the next action so they are never missed.
	successStatusLife = 8 * time.Second
	// expiryWarning is when the order's countdown starts to warn.
	expiryWarning = 2 * time.Minute
)

// Model is the counter screen: the order, its vouchers, the scan form, the
// queue of scans waiting to be sent and the status line.
type Model struct {
	opts Options
	// keys, styles and help sit behind pointers: the model is copied on
	// every message, and these are most of its size while never changing
	// per message (help's width and full view change only on resize and F1).
	keys   *keyMap
	styles *styles
	help   *help.Model
	// helpCache is the last help bar drawn; shared by every copy of the
	// model, as the help it draws from is.
	helpCache *helpCacheEntry
	// helpEnabled is which of the help bar's entries work now (keyMap.sync).
	helpEnabled uint8
	// pacer holds back drawings that no frame would show; shared too.
	pacer *framePacer
	now   func() time.Time

	width, height int

	orderID      string
	order        *api.Order
	orderLoading bool
	// creating is set while a new order is on its way.
	creating  bool
	orderGone bool
	showtimes map[string]*api.ShowtimeResponse
	prices    map[string]*api.TicketPricesResponse
	pricesErr map[string]error
	siteNames map[string]string
	// opened lists the orders opened or created in this run, for F6.
	opened []openedOrder
	// orderSeq numbers every call that answers with the order, so that an
	// older answer arriving late never replaces a newer one on screen.
	orderSeq   int
	loadSeq    int
	appliedSeq int
	// expiryChecked is the order whose countdown reaching zero already made
	// the screen read it again, so that happens once.
	expiryChecked string
	// expiryWarned is the order whose last two minutes were announced.
	expiryWarned string

	vouchers voucherList
	// calls starts the calls to the server and the journal.
	calls *calls
	// scans is the scan pipeline: every scan from the form to its outcome.
	scans *scanQueue

	// form is the scan form: its fields, focus and typing.
	form          *scanForm
	showtimeIndex int
	// voucherShowtimes is the showtime each Ticket voucher attached in this
	// run was added for, by voucher id, over all the run's orders.
	voucherShowtimes map[string]string
	// journalRead holds the orders whose journal records have been read.
	journalRead map[string]bool
	// unfinished holds, per order, the scans the last run left without an
	// outcome, until the order is read and they are settled; it is filled
	// from the first order read (unfinishedRead).
	unfinished     map[string][]journal.Line
	unfinishedRead bool
	// unfinishedTold is set once the operator has heard of them.
	unfinishedTold bool
	// openedPick is the order picked with ↑/↓ on the open-order page, an
	// index into opened; -1 when none is.
	openedPick int
	removing   *api.OrderVoucher
	// working names the order-level call under way (tickets, cancel,
	// complete); there is one at a time.
	working string
	// unsureCompletion is the order whose completion answer was lost.
	unsureCompletion string

	// notAttached is the selection in the "Not attached" list.
	notAttached notAttachedList

	panel   panelKind
	tickets *ticketsPanel
	picker  *showtimePicker

	// status is the status line, with the spinner and the confirmations.
	status *statusLine
	// history lists the last outcomes under the voucher list.
	history *outcomeHistory
	// signal is the bell or clipboard text the next frame sends.
	signal terminalSignal
}

// New builds the counter screen.
func New(opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.VoucherType == "" {
		opts.VoucherType = api.VoucherTicket
	}
	if opts.PinPrompt == "" {
		opts.PinPrompt = PinAsk
	}
	if opts.Bell == "" {
		opts.Bell = BellRefusals
	}
	if opts.ScanIdleGap <= 0 {
		opts.ScanIdleGap = 100 * time.Millisecond
	}
	st := newStyles()
	keys := newKeyMap()
	helpModel := help.New()

	m := Model{
		opts:             opts,
		keys:             &keys,
		styles:           &st,
		help:             &helpModel,
		helpCache:        &helpCacheEntry{},
		pacer:            newFramePacer(opts.RedrawInterval),
		status:           newStatusLine(),
		history:          &outcomeHistory{},
		now:              opts.Now,
		width:            80,
		height:           24,
		orderID:          opts.OrderID,
		showtimes:        map[string]*api.ShowtimeResponse{},
		prices:           map[string]*api.TicketPricesResponse{},
		pricesErr:        map[string]error{},
		siteNames:        map[string]string{},
		scans:            newScanQueue(),
		calls:            newCalls(opts.Context, opts.Client, opts.Journal).keepingAlive(opts.KeepAlive).settling(opts.Unfinished),
		journalRead:      map[string]bool{},
		voucherShowtimes: map[string]string{},
		form:             newScanForm(opts.VoucherType, opts.VoucherPrefixes),
	}
	m.vouchers.redemptions = map[string]int{}
	m.openedPick = -1
	if m.orderID != "" {
		m.rememberOrder(m.orderID)
		// Init runs on a copy of the model, so the first load is marked
		// here, where it sticks.
		m.orderLoading = true
		m.loadSeq = m.nextOrderSeq()
		m.status.spinning = true
	}
	if m.orderID == "" {
		m.form.setFocus(focusOrderID)
	}
	m.layout()
	return m
}

// Init loads the order and starts the clock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{textinput.Blink, clockTick(), m.calls.keepAliveTick()}
	if m.orderID != "" {
		// New marked the spinner as turning, as this tick starts it.
		cmds = append(cmds, m.orderLoadCmd(m.loadSeq), m.status.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

// busy reports whether a call is under way, for the spinner.
func (m *Model) busy() bool {
	return m.scans.inFlight != nil || len(m.scans.unsynced) > 0 || m.removing != nil || m.orderLoading || m.working != "" ||
		(m.picker != nil && m.picker.loading)
}

// Update handles keys, window sizes and the answers of calls.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	before := m.middleState()
	cmd := m.update(msg)
	// Whatever took scans off the queue unsent, the journal says so.
	if len(m.scans.unsent) > 0 {
		m.journalUnsent()
	}
	// The list in the middle scrolls here, where it sticks: View draws from
	// copies. Its room is measured again only when the list or the screen
	// around it changed; a move of the selection scrolls within the room
	// last measured. While scans are on their way the voucher list grows by
	// one an outcome and the room around it hardly changes: it is measured
	// once they are done.
	after := m.middleState()
	_, resized := msg.(tea.WindowSizeMsg)
	switch {
	case resized || after.panel != before.panel || after.helpAll != before.helpAll || after.outcomes != before.outcomes ||
		after.length != before.length && !m.scans.sending():
		m.sizeMiddle()
	case after != before:
		m.scrollMiddle()
	}
	m.helpEnabled = m.keys.sync(&m)
	return m, m.pacer.afterUpdate(msg, cmd, m.scans.sending())
}

// middleState is what of the middle of the screen decides its scrolling.
type middleState struct {
	panel            panelKind
	length, selected int
	helpAll          bool
	// outcomes is how many outcomes are listed below the middle.
	outcomes int
}

func (m *Model) middleState() middleState {
	st := middleState{panel: m.panel, helpAll: m.help.ShowAll,
		outcomes: len(m.history.forOrder(m.orderID, outcomeRowsLong))}
	if !m.history.long {
		st.outcomes = min(st.outcomes, outcomeRowsShort)
	}
	switch {
	case m.panel == panelTickets && m.tickets != nil:
		st.length, st.selected = len(m.tickets.rows), m.tickets.selected
	case m.panel == panelPicker && m.picker != nil:
		st.length, st.selected = len(m.picker.list), m.picker.selected
	default:
		st.length, st.selected = m.vouchers.len(), m.vouchers.selected
	}
	return st
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case clockTickMsg:
		m.status.tick(m.now(), m.namedShowtimes)
		follow := m.checkExpiry()
		if text := m.expiryNotice(); text != "" {
			// It counts down with the header until the order's time is up.
			cmd := m.announceLive(statusWarning, expiryWords(m.order.ID, m.order.ExpiresAt.Time))
			return tea.Batch(clockTick(), follow, cmd)
		}
		return tea.Batch(clockTick(), follow)
	case spinner.TickMsg, statusExpireMsg:
		return m.status.Update(msg, m.busy())
	case signalDoneMsg:
		m.signal.Update(msg)
		return nil
	case scanIdleMsg:
		return m.handleIdle()
	case keepAliveMsg:
		return m.calls.keepAlive(m.orderID != "")
	case orderLoadedMsg:
		return m.handleOrderLoaded(msg)
	case orderCreatedMsg:
		return m.handleOrderCreated(msg)
	case showtimeLoadedMsg:
		if msg.err == nil && msg.resp != nil {
			m.rememberShowtime(msg.resp.Showtime, msg.resp.RelatedData)
		}
		return nil
	case ticketPricesLoadedMsg:
		return m.handlePricesLoaded(msg)
	case showtimesListedMsg:
		return m.handleShowtimesListed(msg)
	case attachDoneMsg, journalSyncedMsg:
		return m.handleScanMsg(msg)
	}
	// The answers to order-level calls: what they announce is an outcome to
	// list. A scan's outcomes are listed where they are reported, as one
	// message may settle several.
	announced := m.status.last
	switch msg := msg.(type) {
	case removeDoneMsg:
		return m.recordOutcome(announced, m.handleRemoveDone(msg))
	case ticketsSetMsg:
		return m.recordOutcome(announced, m.handleTicketsSet(msg))
	case orderCancelledMsg:
		return m.recordOutcome(announced, m.handleOrderCancelled(msg))
	case orderCompletedMsg:
		return m.recordOutcome(announced, m.handleOrderCompleted(msg))
	}
	return nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	m.disarmOn(msg)
	if key.Matches(msg, m.keys.Quit) {
		return m.quitKey()
	}
	if m.form.focus == focusOrderID {
		return m.handleOrderPromptKey(msg)
	}

	wasEnter := m.form.lastKeyWasEnter
	m.form.lastKeyWasEnter = msg.Type == tea.KeyEnter

	switch {
	case msg.Type == tea.KeyCtrlJ:
		// The LF of a CR LF terminator, or a terminator with nothing before
		// it: either way the scan it ends was already taken.
		if wasEnter || m.form.value() == "" {
			return nil
		}
		return m.terminate()
	case key.Matches(msg, m.keys.Next):
		if m.form.recentlyIdleClosed(m.now(), m.opts.ScanIdleGap) && m.form.value() == "" {
			// A slow scanner's own terminator after the idle gap closed its
			// scan: the scan is already taken.
			m.form.idleClosedAt = time.Time{}
			return nil
		}
		return m.terminate()
	case key.Matches(msg, m.keys.Back):
		m.form.setFocus(focusBarcode)
		return nil
	case key.Matches(msg, m.keys.CycleType):
		m.form.types.cycle()
		return nil
	case key.Matches(msg, m.keys.CycleShowtime):
		return m.cycleShowtime()
	case key.Matches(msg, m.keys.Tickets):
		return m.toggleTickets()
	case key.Matches(msg, m.keys.NextOrder):
		return m.nextOrder()
	case key.Matches(msg, m.keys.Apply):
		return m.applyKey()
	case key.Matches(msg, m.keys.Up, m.keys.Down) && m.panel == panelNone:
		return m.listKey(msg)
	case key.Matches(msg, m.keys.Up, m.keys.Down):
		return m.middleList().Update(msg)
	case m.panel != panelNone && key.Matches(msg, m.keys.Left):
		return m.sideKey(-1)
	case m.panel != panelNone && key.Matches(msg, m.keys.Right):
		return m.sideKey(1)
	case key.Matches(msg, m.keys.Remove):
		return m.handleRemoveKey()
	case key.Matches(msg, m.keys.CancelOrder):
		return m.cancelOrderKey()
	case key.Matches(msg, m.keys.Complete):
		return m.completeKey()
	case key.Matches(msg, m.keys.Retry):
		return m.retryFailed()
	case key.Matches(msg, m.keys.Clear):
		return m.clear()
	case key.Matches(msg, m.keys.Refresh):
		return m.refresh()
	case key.Matches(msg, m.keys.OpenOrder):
		if why := m.cannotLeave(); why != "" {
			return m.fail(why)
		}
		m.form.setFocus(focusOrderID)
		m.openedPick = -1
		return nil
	case key.Matches(msg, m.keys.NewOrder):
		return m.newOrder()
	case key.Matches(msg, m.keys.Help):
		m.toggleHelp()
		return nil
	case key.Matches(msg, m.keys.Outcomes):
		m.toggleOutcomes()
		return nil
	case key.Matches(msg, m.keys.CopyTxn):
		return m.copyTransaction()
	}

	if msg.Type == tea.KeyRunes {
		return m.handleRunes(msg)
	}
	if isControlKey(msg.Type) && m.form.burst.runes > 0 && m.now().Sub(m.form.burst.last) <= scannerKeyGap {
		// A control key in the middle of a scanner burst is part of the
		// barcode (a GS1 separator, say) that a text field cannot hold.
		m.form.tainted = true
	}
	return m.form.Update(msg)
}

// middleList is the list in the middle of the screen, which ↑/↓ move.
func (m *Model) middleList() interface{ Update(tea.Msg) tea.Cmd } {
	switch {
	case m.panel == panelTickets && m.tickets != nil:
		return m.tickets
	case m.panel == panelPicker && m.picker != nil:
		return m.picker
	}
	return &m.vouchers
}

// sideKey is ←/→: a ticket count in the tickets panel, the day in the
// showtime picker.
func (m *Model) sideKey(delta int) tea.Cmd {
	if m.panel == panelPicker {
		return m.pickerDay(delta)
	}
	return m.ticketCount(delta)
}

func (m *Model) refresh() tea.Cmd {
	var cmds []tea.Cmd
	if m.panel == panelTickets && m.prices[m.tickets.showtimeID] == nil {
		delete(m.pricesErr, m.tickets.showtimeID)
		cmds = append(cmds, m.calls.loadTicketPrices(m.tickets.showtimeID))
	}
	if m.panel == panelPicker && m.picker.err != nil {
		cmds = append(cmds, m.listShowtimes())
	}
	if m.orderID != "" && !m.orderLoading {
		cmds = append(cmds, m.loadOrder())
	}
	return tea.Batch(cmds...)
}

const (
	minWidth  = 40
	minHeight = 12
	// maxOrderLines keeps a big order from pushing the scan form off screen.
	maxOrderLines = 8
)

// layout sizes the fields to the window.
func (m *Model) layout() {
	w := m.innerWidth()
	m.help.Width = w
	m.form.SetSize(w)
}

func (m *Model) innerWidth() int { return max(m.width-2, minWidth-2) }

// View is the screen, drawn at most once per redraw interval.
func (m Model) View() string {
	return m.pacer.view(m.draw, m.scans.sending())
}

// draw draws the whole screen, with the bell or clipboard text that is due.
func (m Model) draw() string { return m.signal.sequence() + m.drawScreen() }

// drawScreen draws the whole screen. Every line is cut to the width, and the
// voucher list gets the rows the rest leaves, so nothing wraps or scrolls
// the terminal at 80x24 or after a resize.
func (m Model) drawScreen() string {
	if m.width > 0 && (m.width < minWidth || m.height < minHeight) {
		// Wrapped, not cut: the window is too narrow for the line.
		return ansi.Wrap(fmt.Sprintf("boxoffice needs at least %dx%d (this window is %dx%d).", minWidth, minHeight, m.width, m.height), m.width, "")
	}
	w := m.innerWidth()
	top, bottom := m.frameParts(w)
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

// frameParts are the lines above and below the middle of the screen: the
// header and the order; the queue, the form, the status line and the help.
func (m Model) frameParts(w int) (top, bottom []string) {
	rule := m.styles.Rule.Render(strings.Repeat("─", w))
	top = []string{m.headerLine(w), rule}
	top = append(top, m.orderLines(w)...)
	top = append(top, rule)

	var rest []string
	rest = append(rest, m.queueLines(w)...)
	rest = append(rest, m.formLines(w)...)
	rest = append(rest, m.statusLines(w)...)
	rest = append(rest, m.helpLines(w)...)
	// The outcomes take the room the middle can spare; their list starts
	// with the rule above the form.
	bottom = m.outcomeLines(w, m.outcomeRows(len(top), len(rest)+1))
	return top, append(bottom, rest...)
}

// sizeMiddle gives the list in the middle of the screen the rows the screen
// has for it, so that it scrolls to keep its selection in view. The budget is
// the one View draws with; measuring it costs most of a frame, so Update asks
// for it only when the list or its room may have changed.
func (m *Model) sizeMiddle() {
	if m.width > 0 && (m.width < minWidth || m.height < minHeight) {
		return
	}
	top, bottom := m.frameParts(m.innerWidth())
	listHeight := max(m.height-len(top)-len(bottom)-1, 1)
	switch {
	case m.panel == panelTickets && m.tickets != nil:
		// The panel's title and footer take two of its lines.
		m.tickets.SetSize(max(listHeight-1, 1))
	case m.panel == panelPicker && m.picker != nil:
		m.picker.SetSize(max(listHeight-m.picker.headLines(), 1))
	default:
		// One row goes to the column names.
		m.vouchers.SetSize(max(listHeight-1, 1))
	}
}

// scrollMiddle keeps the middle list's selection in view in its rows.
func (m *Model) scrollMiddle() {
	switch {
	case m.panel == panelTickets && m.tickets != nil:
		m.tickets.scroll()
	case m.panel == panelPicker && m.picker != nil:
		m.picker.scroll()
	default:
		m.vouchers.scroll()
	}
}

// maxStatusLines is how far an announcement may wrap: it says what happened,
// what it means and what to do, and the last part must not be cut off.
const maxStatusLines = 3

// shortID keeps the ends of a 32-character order id, enough to read it
// back to a customer.
func shortID(id string) string {
	if len(id) <= 14 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}
