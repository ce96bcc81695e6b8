package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

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

// focus is which field takes typed text.
type focus int

const (
	focusBarcode focus = iota
	focusPin
	focusOrderID
)

// status is the one-line announcement under the form.
type status struct {
	kind statusKind
	text string
	seq  int
}

// failedScan is a scan the app could not attach. It stays listed so the
// operator can retry it; its PIN is not kept.
type failedScan struct {
	barcode    string
	vtype      api.VoucherType
	showtimeID string
	reason     string
	// blockedUntil is when a too-many-attempts block ends; the list counts
	// down to it.
	blockedUntil time.Time
}

// describe says why the scan is listed, counting down a block.
func (f failedScan) describe(now time.Time) string {
	if f.blockedUntil.IsZero() {
		return f.reason
	}
	if now.Before(f.blockedUntil) {
		return "blocked until " + f.blockedUntil.Local().Format("15:04:05") + " (" + untilText(f.blockedUntil, now) + ")"
	}
	return "block ended, ctrl+r to retry"
}

// Model is the counter screen: the order, its vouchers, the scan form, the
// queue of scans waiting to be sent and the status line.
type Model struct {
	opts    Options
	client  *api.Client
	journal *journal.Journal
	// keys, styles and help sit behind pointers: the model is copied on
	// every message, and these are most of its size while never changing
	// per message (help's width and full view change only on resize and F1).
	keys   *keyMap
	styles *styles
	help   *help.Model
	// helpCache is the last help bar drawn; shared by every copy of the
	// model, as the help it draws from is.
	helpCache *helpCacheEntry
	// frame is what the last View measured, for keys that scroll: shared
	// by every copy of the model.
	frame *frameInfo
	// pacer holds back drawings that no frame would show; shared too.
	pacer   *framePacer
	spinner spinner.Model
	now     func() time.Time

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
	// scans is the scan pipeline: every scan from the form to its outcome.
	scans *scanQueue

	// The text fields sit behind pointers too: they are most of the
	// model's size, and a scanner's burst sends hundreds of messages.
	barcode       *textinput.Model
	pin           *textinput.Model
	orderInput    *textinput.Model
	focus         focus
	burst         burst
	voucherType   api.VoucherType
	showtimeIndex int
	// tainted is set when a scan carried a control character the text field
	// silently drops: sending what is left would send the wrong barcode.
	tainted bool
	// idleArmed is set while an idle-gap timer is on its way. There is one
	// at a time, not one per burst: a scanner's Enter makes most of them
	// needless, and each would still be a message and a drawing.
	idleArmed bool
	// idleClosedAt is when a burst was last closed by the idle gap, so a
	// slow scanner's terminator that follows is not taken as a second submit.
	idleClosedAt time.Time
	// refused is set while the barcode field holds text the counter would
	// not send; the next scan replaces it instead of joining it.
	refused bool
	// spinning is set while a spinner tick chain runs; statusTimer while a
	// status expiry timer is pending.
	spinning    bool
	statusTimer bool
	// journalRead holds the orders whose journal records have been read.
	journalRead map[string]bool
	// restored is set while the form holds a failed scan brought back for
	// retry: a new scan replaces it rather than sending it on without a PIN.
	restored bool
	// lastKeyWasEnter lets the LF of a CR LF terminator be swallowed.
	lastKeyWasEnter bool

	// confirm is the destructive action waiting for its F-key a second time.
	confirm  *confirmation
	removing *api.OrderVoucher
	// working names the order-level call under way (tickets, cancel,
	// complete); there is one at a time.
	working string
	// unsureCompletion is the order whose completion answer was lost.
	unsureCompletion string

	panel   panelKind
	tickets *ticketsPanel
	picker  *showtimePicker

	status    status
	statusSeq int
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
	if opts.ScanIdleGap <= 0 {
		opts.ScanIdleGap = 100 * time.Millisecond
	}
	st := newStyles()
	keys := newKeyMap()
	helpModel := help.New()

	barcode := textinput.New()
	barcode.Prompt = ""
	barcode.Placeholder = "scan or type"
	barcode.Focus()

	pin := textinput.New()
	pin.Prompt = ""
	pin.Placeholder = "none"
	pin.EchoMode = textinput.EchoPassword
	pin.EchoCharacter = '•'

	orderInput := textinput.New()
	orderInput.Prompt = ""
	orderInput.Placeholder = "order id"

	sp := spinner.New(spinner.WithSpinner(spinner.Line))

	m := Model{
		opts:        opts,
		client:      opts.Client,
		journal:     opts.Journal,
		keys:        &keys,
		styles:      &st,
		help:        &helpModel,
		helpCache:   &helpCacheEntry{},
		frame:       &frameInfo{},
		pacer:       newFramePacer(opts.RedrawInterval),
		spinner:     sp,
		now:         opts.Now,
		width:       80,
		height:      24,
		orderID:     opts.OrderID,
		showtimes:   map[string]*api.ShowtimeResponse{},
		prices:      map[string]*api.TicketPricesResponse{},
		pricesErr:   map[string]error{},
		siteNames:   map[string]string{},
		scans:       newScanQueue(),
		journalRead: map[string]bool{},
		barcode:     &barcode,
		pin:         &pin,
		orderInput:  &orderInput,
		voucherType: opts.VoucherType,
	}
	m.vouchers.redemptions = map[string]int{}
	if m.orderID != "" {
		m.rememberOrder(m.orderID)
		// Init runs on a copy of the model, so the first load is marked
		// here, where it sticks.
		m.orderLoading = true
		m.loadSeq = m.nextOrderSeq()
		m.spinning = true
	}
	if m.orderID == "" {
		m.focus = focusOrderID
		m.barcode.Blur()
		m.orderInput.Focus()
	}
	m.layout()
	return m
}

// Init loads the order and starts the clock.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{textinput.Blink, clockTick()}
	if m.orderID != "" {
		// New marked the spinner as turning, as this tick starts it.
		cmds = append(cmds, m.orderLoadCmd(m.loadSeq), m.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

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
	load := loadOrderCmd(m.client, m.journal, m.orderID, !m.journalRead[m.orderID])
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

// busy reports whether a call is under way, for the spinner.
func (m *Model) busy() bool {
	return m.scans.inFlight != nil || len(m.scans.unsynced) > 0 || m.removing != nil || m.orderLoading || m.working != "" ||
		(m.picker != nil && m.picker.loading)
}

// Update handles keys, window sizes and the answers of calls.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	nm := next.(Model)
	// Keep the list scrolled to the selection here, where it sticks: View
	// works on a copy, so scrolling there would start afresh every frame.
	nm.vouchers.window(nm.frame.voucherRows)
	return nm, nm.pacer.afterUpdate(msg, cmd, nm.scans.sending())
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case clockTickMsg:
		follow := m.checkExpiry()
		if text := m.expiryNotice(); text != "" {
			next, cmd := m.announce(statusWarning, text)
			return next, tea.Batch(clockTick(), follow, cmd)
		}
		return m, tea.Batch(clockTick(), follow)
	case spinner.TickMsg:
		if !m.busy() {
			m.spinning = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case scanIdleMsg:
		return m.handleIdle()
	case statusExpireMsg:
		m.statusTimer = false
		if msg.seq == m.status.seq {
			m.status = status{}
			return m, nil
		}
		if m.status.kind == statusSuccess || m.status.kind == statusInfo {
			m.statusTimer = true
			return m, statusExpiry(m.status.seq)
		}
		return m, nil
	case orderLoadedMsg:
		return m.handleOrderLoaded(msg)
	case orderCreatedMsg:
		return m.handleOrderCreated(msg)
	case showtimeLoadedMsg:
		if msg.err == nil && msg.resp != nil {
			m.rememberShowtime(msg.resp.Showtime, msg.resp.RelatedData)
		}
		return m, nil
	case ticketPricesLoadedMsg:
		return m.handlePricesLoaded(msg)
	case showtimesListedMsg:
		return m.handleShowtimesListed(msg)
	case attachDoneMsg, journalSyncedMsg:
		return m.handleScanMsg(msg)
	case removeDoneMsg:
		return m.handleRemoveDone(msg)
	case ticketsSetMsg:
		return m.handleTicketsSet(msg)
	case orderCancelledMsg:
		return m.handleOrderCancelled(msg)
	case orderCompletedMsg:
		return m.handleOrderCompleted(msg)
	}
	return m, nil
}

// rememberShowtime keeps a showtime's names for titles and its site's name
// for the header.
func (m *Model) rememberShowtime(st api.Showtime, related api.ShowtimeRelatedData) {
	m.showtimes[st.ID] = &api.ShowtimeResponse{Showtime: st, RelatedData: related}
	if name := related.SiteName(st.SiteID); name != "" {
		m.siteNames[st.SiteID] = name
	}
}

func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, m.keys.Quit) {
		return m, tea.Quit
	}
	m.disarmOn(msg)
	if m.focus == focusOrderID {
		return m.handleOrderPromptKey(msg)
	}

	wasEnter := m.lastKeyWasEnter
	m.lastKeyWasEnter = msg.Type == tea.KeyEnter

	switch {
	case msg.Type == tea.KeyCtrlJ:
		// The LF of a CR LF terminator, or a terminator with nothing before
		// it: either way the scan it ends was already taken.
		if wasEnter || m.focusedValue() == "" {
			return m, nil
		}
		return m.terminate()
	case key.Matches(msg, m.keys.Next):
		if m.recentlyIdleClosed() && m.focusedValue() == "" {
			// A slow scanner's own terminator after the idle gap closed its
			// scan: the scan is already taken.
			m.idleClosedAt = time.Time{}
			return m, nil
		}
		return m.terminate()
	case key.Matches(msg, m.keys.Back):
		m.setFocus(focusBarcode)
		return m, nil
	case key.Matches(msg, m.keys.CycleType):
		m.voucherType = nextVoucherType(m.voucherType)
		return m, nil
	case key.Matches(msg, m.keys.CycleShowtime):
		return m.cycleShowtime()
	case key.Matches(msg, m.keys.Tickets):
		return m.toggleTickets()
	case key.Matches(msg, m.keys.NextOrder):
		return m.nextOrder()
	case key.Matches(msg, m.keys.Apply):
		return m.applyKey()
	case key.Matches(msg, m.keys.Up):
		return m.moveKey(-1)
	case key.Matches(msg, m.keys.Down):
		return m.moveKey(1)
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
		m.setFocus(focusOrderID)
		return m, nil
	case key.Matches(msg, m.keys.NewOrder):
		return m.newOrder()
	case key.Matches(msg, m.keys.Help):
		m.toggleHelp()
		return m, nil
	}

	if msg.Type == tea.KeyRunes {
		return m.handleRunes(msg)
	}
	if isControlKey(msg.Type) && m.burst.runes > 0 && m.now().Sub(m.burst.last) <= scannerKeyGap {
		// A control key in the middle of a scanner burst is part of the
		// barcode (a GS1 separator, say) that a text field cannot hold.
		m.tainted = true
	}
	return m.updateFocused(msg)
}

// moveKey moves the selection of whatever list is in the middle of the screen.
func (m Model) moveKey(delta int) (tea.Model, tea.Cmd) {
	switch m.panel {
	case panelTickets:
		m.tickets.move(delta)
	case panelPicker:
		m.picker.move(delta)
	default:
		m.vouchers.move(delta)
	}
	return m, nil
}

// sideKey is ←/→: a ticket count in the tickets panel, the day in the
// showtime picker.
func (m Model) sideKey(delta int) (tea.Model, tea.Cmd) {
	if m.panel == panelPicker {
		return m.pickerDay(delta)
	}
	return m.ticketCount(delta)
}

func (m Model) refresh() (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	if m.panel == panelTickets && m.prices[m.tickets.showtimeID] == nil {
		delete(m.pricesErr, m.tickets.showtimeID)
		cmds = append(cmds, loadTicketPricesCmd(m.client, m.tickets.showtimeID))
	}
	if m.panel == panelPicker && m.picker.err != nil {
		cmds = append(cmds, m.listShowtimes())
	}
	if m.orderID != "" && !m.orderLoading {
		cmds = append(cmds, m.loadOrder())
	}
	return m, tea.Batch(cmds...)
}

// handleRunes routes typed or scanned text into the focused field, watching
// its timing to tell a scanner from a person.
func (m Model) handleRunes(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	m.idleClosedAt = time.Time{}
	if !msg.Paste {
		for _, r := range msg.Runes {
			if r < 0x20 || r == 0x7f {
				m.tainted = true
			}
		}
	}
	if msg.Paste {
		// A paste is a person's deliberate act: it never auto-submits.
		m.burst.reset()
		if strings.ContainsFunc(string(msg.Runes), isUnsendable) {
			m.tainted = true
		}
		return m.updateFocused(msg)
	}
	if m.refused && m.focus == focusBarcode {
		// What is in the field was refused; the new scan replaces it, and
		// the refused text stays listed for ctrl+r rather than being lost.
		m.addFailed(failedScan{barcode: m.barcode.Value(), vtype: m.voucherType, reason: "refused before sending"})
		m.barcode.SetValue("")
		m.tainted = false
		m.refused = false
	}
	now := m.now()
	m.burst.add(now, len(msg.Runes), len([]rune(m.focusedValue())))

	if m.focus == focusPin && m.burst.scannerLike() {
		return m.scanIntoPin(msg)
	}
	next, cmd := m.updateFocused(msg)
	m = next.(Model)
	if m.focus == focusBarcode && m.burst.scannerLike() && m.burst.wholeField() {
		cmd = tea.Batch(cmd, m.armIdle(m.opts.ScanIdleGap))
	}
	return m, cmd
}

// armIdle starts the idle-gap timer, to fire after wait, unless one is
// already on its way: that one looks again when it fires.
func (m *Model) armIdle(wait time.Duration) tea.Cmd {
	if m.idleArmed {
		return nil
	}
	m.idleArmed = true
	return tea.Tick(wait, func(time.Time) tea.Msg { return scanIdleMsg{} })
}

// isControlKey reports whether a key is a control character other than the
// ones a scan ends with or a person edits with.
func isControlKey(t tea.KeyType) bool {
	switch t {
	case tea.KeyTab, tea.KeyEnter, tea.KeyCtrlJ, tea.KeyEsc, tea.KeyBackspace, tea.KeyCtrlH:
		return false
	}
	return t >= 0 && t < 32
}

func isUnsendable(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}

// scanIntoPin handles a scan that lands while the PIN field has focus: the
// pending barcode goes ahead without a PIN and the new scan becomes the next
// voucher, so a scan is never taken for a PIN.
func (m Model) scanIntoPin(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	pinText := []rune(m.pin.Value())
	start := min(m.burst.startLen, len(pinText))
	scanned := string(pinText[start:]) + string(msg.Runes)
	m.pin.SetValue("")
	var cmds []tea.Cmd
	if m.restored {
		// The form holds a failed scan brought back for its PIN; it stays
		// listed under "Not attached" and is not resent without one.
		m.resetForm()
	} else {
		next, cmd := m.submit(nil)
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	m.barcode.SetValue(scanned)
	m.barcode.CursorEnd()
	m.setFocus(focusBarcode)
	m.burst = burst{startLen: 0, runes: len([]rune(scanned)), last: m.now()}
	cmds = append(cmds, m.armIdle(m.opts.ScanIdleGap))
	return m, tea.Batch(cmds...)
}

// handleIdle closes a scanner burst that ended without a terminator.
func (m Model) handleIdle() (tea.Model, tea.Cmd) {
	m.idleArmed = false
	if m.focus != focusBarcode || !m.burst.scannerLike() || !m.burst.wholeField() {
		return m, nil
	}
	if quiet := m.now().Sub(m.burst.last); quiet < m.opts.ScanIdleGap {
		// More characters came after this timer was set: wait out the
		// rest of the gap from the last of them.
		return m, m.armIdle(m.opts.ScanIdleGap - quiet)
	}
	next, cmd := m.terminate()
	nm := next.(Model)
	nm.idleClosedAt = m.now()
	return nm, cmd
}

func (m *Model) recentlyIdleClosed() bool {
	return !m.idleClosedAt.IsZero() && m.now().Sub(m.idleClosedAt) <= max(lateTerminatorWindow, 2*m.opts.ScanIdleGap)
}

// terminate ends the field with focus: Enter, Tab, LF or the idle gap.
func (m Model) terminate() (tea.Model, tea.Cmd) {
	m.burst.reset()
	switch m.focus {
	case focusBarcode:
		if m.tainted {
			return m.fail("The scan had a character that cannot be sent (a scanner setting?). Press Esc to clear it and scan again.")
		}
		if _, err := validateBarcode(m.barcode.Value()); err != nil {
			return m.fail(err.Error())
		}
		if m.opts.PinPrompt == PinNever {
			return m.submit(nil)
		}
		m.setFocus(focusPin)
		return m, nil
	case focusPin:
		pin := m.pin.Value()
		if err := validatePin(pin); err != nil {
			return m.fail(err.Error())
		}
		var p *string
		if pin != "" {
			p = &pin
		}
		return m.submit(p)
	}
	return m, nil
}

// submit queues the barcode in the form with pin, after checking it is
// worth sending. The form is cleared for the next scan only when the scan
// was taken or is listed for retry.
func (m Model) submit(pin *string) (tea.Model, tea.Cmd) {
	raw := m.barcode.Value()
	barcode, err := validateBarcode(raw)
	if err != nil {
		return m.fail(err.Error())
	}
	if m.scans.journalBroken != nil {
		return m.fail("Attaching is stopped: the journal cannot be written (" + m.scans.journalBroken.Error() + "). Fix it and restart; nothing was sent.")
	}
	masked := api.MaskBarcode(barcode)
	if m.order == nil && m.orderGone {
		// Kept for retry, as scans queued when an order ends are.
		m.addFailed(failedScan{barcode: barcode, vtype: m.voucherType, reason: "order ended"})
		m.resetForm()
		return m.announce(statusFailure, m.goneSentence()+", so "+masked+" was not sent. Press ctrl+n for a new order or ctrl+o to open another; ctrl+r then brings the scan back.")
	}
	if m.order != nil && m.order.Status == api.OrderCompleted {
		return m.fail("Order " + shortID(m.orderID) + " is completed, so no voucher can be added to it. Press ctrl+n to start a new order.")
	}
	now := m.now()
	if id, ok := m.scans.attached[barcode]; ok && m.vouchers.has(id) {
		m.resetForm()
		return m.announce(statusWarning, "Voucher "+masked+" is already attached to this order; it was not sent again.")
	}
	if last, ok := m.scans.lastScan[barcode]; ok && now.Sub(last) < duplicateScanWindow {
		m.resetForm()
		return m.announce(statusWarning, "Voucher "+masked+" was scanned twice; it is sent once.")
	}
	if until, ok := m.scans.blocked[barcode]; ok && now.Before(until) {
		m.addFailed(failedScan{barcode: barcode, vtype: m.voucherType, showtimeID: m.currentShowtimeID(),
			blockedUntil: until})
		m.resetForm()
		return m.announce(statusFailure, "Voucher "+masked+" is blocked after too many attempts. Try again at "+
			until.Local().Format("15:04:05")+" ("+untilText(until, now)+").")
	}
	showtimeID := m.currentShowtimeID()
	if m.order != nil && m.voucherType == api.VoucherTicket && showtimeID == "" {
		return m.fail("A Ticket voucher pays for a showtime, and this order has none yet. Press F4 to pick a showtime and set its tickets first, or F2 for a Deal or Subscription voucher.")
	}
	m.scans.take(scanItem{barcode: barcode, pin: pin, vtype: m.voucherType, showtimeID: showtimeID}, now)
	m.removeFailed(barcode)
	m.resetForm()
	if m.order == nil {
		// The order is still on its way (or its load failed): the scan
		// waits in the queue, on screen, and goes once the order is here.
		var cmds []tea.Cmd
		if !m.orderLoading && m.orderID != "" {
			cmds = append(cmds, m.loadOrder())
		}
		next, cmd := m.announce(statusInfo, masked+" waits until order "+shortID(m.orderID)+" has loaded.")
		return next, tea.Batch(append(cmds, cmd)...)
	}
	follow := m.startNext()
	return m, follow
}

// report puts a settled outcome on screen: the voucher listed, or the scan
// kept for retry with the reason, and the status line saying which.
func (m Model) report(msg attachDoneMsg) (tea.Model, tea.Cmd) {
	item := msg.item
	masked := api.MaskBarcode(item.barcode)
	now := m.now()
	var cmds []tea.Cmd

	if msg.journalErr != nil {
		m.scans.journalBroken = msg.journalErr
		// Keep the scan and everything behind it for after the fix.
		m.addFailed(failedScan{barcode: item.barcode, vtype: item.vtype, showtimeID: item.showtimeID, reason: "journal cannot be written"})
		m.scans.stopAll("journal cannot be written")
		if msg.err == nil && msg.result.Voucher.ID != "" {
			// On the order, though not in the journal: listed as attached,
			// not as a scan to retry.
			m.removeFailed(item.barcode)
			m.scans.attached[item.barcode] = msg.result.Voucher.ID
			m.addVoucher(msg.result.Voucher, msg.result.AvailableRedemptions)
		}
		return m.announce(statusFailure, "Attaching stopped: the journal cannot be written ("+msg.journalErr.Error()+"). Fix it and restart.")
	}

	if msg.err != nil {
		reason := describeError("Voucher "+masked, msg.err, now)
		e := api.AsError(msg.err)
		failed := failedScan{barcode: item.barcode, vtype: item.vtype, showtimeID: item.showtimeID, reason: journal.OutcomeOf(msg.err)}
		if e != nil && e.Kind == api.KindRateLimited && !e.BlockedUntil.IsZero() {
			m.scans.blocked[item.barcode] = e.BlockedUntil
			failed.blockedUntil = e.BlockedUntil
		} else if e != nil && e.Message != "" {
			failed.reason = reasonAbout(e, "voucher "+masked)
		}
		// A failed scan may be retried at once: it is not a double scan.
		delete(m.scans.lastScan, item.barcode)
		m.addFailed(failed)
		if api.KindOf(msg.err) == api.KindNotFound {
			m.markOrderGone("")
		} else if m.focus == focusBarcode && m.barcode.Value() == "" && len(m.scans.queue) == 0 {
			// Nothing else is being typed: put the scan back in the form
			// so the operator can correct the PIN and press Enter.
			m.restoreFailed(item.barcode)
		}
		next, cmd := m.announce(statusFailure, reason)
		m = next.(Model)
		cmds = append(cmds, cmd)
	} else {
		m.scans.attached[item.barcode] = msg.result.Voucher.ID
		m.addVoucher(msg.result.Voucher, msg.result.AvailableRedemptions)
		text := "Attached " + masked
		if d := msg.result.Voucher.VoucherTypeDescription; d != "" {
			text += " (" + d + ")"
		}
		if msg.result.AvailableRedemptions >= 0 {
			text += ": " + remainingText(msg.result.AvailableRedemptions)
		}
		if msg.result.Recovered {
			text += ". The first answer was lost; the order shows it once."
		}
		next, cmd := m.announce(statusSuccess, text)
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

func remainingText(n int) string {
	switch n {
	case 0:
		return "none remaining"
	case 1:
		return "1 remaining"
	}
	return itoa(n) + " remaining"
}

func (m *Model) addVoucher(v api.OrderVoucher, available int) {
	if available >= 0 {
		m.vouchers.redemptions[v.ID] = available
	}
	m.vouchers.upsert(v)
	// A new voucher may pay for tickets: give it its rows in the panel.
	m.syncTickets(false)
}

// retryFailed puts the newest failed scan back in the form.
func (m Model) retryFailed() (tea.Model, tea.Cmd) {
	if len(m.scans.failed) == 0 {
		return m.fail("There is no failed scan to retry.")
	}
	f := m.scans.failed[len(m.scans.failed)-1]
	m.restoreFailed(f.barcode)
	return m.announce(statusInfo, "Retrying "+api.MaskBarcode(f.barcode)+": type the PIN if it has one and press Enter.")
}

// restoreFailed copies a failed scan back into the form, ready for its PIN.
func (m *Model) restoreFailed(barcode string) {
	for i := len(m.scans.failed) - 1; i >= 0; i-- {
		f := m.scans.failed[i]
		if f.barcode != barcode {
			continue
		}
		m.barcode.SetValue(f.barcode)
		m.refused = false
		m.restored = true
		m.barcode.CursorEnd()
		m.voucherType = f.vtype
		m.tainted = false
		if m.opts.PinPrompt == PinNever {
			m.setFocus(focusBarcode)
		} else {
			m.setFocus(focusPin)
		}
		// It stays listed as failed until it is queued again, so clearing
		// the form cannot lose it.
		return
	}
}

// addFailed and removeFailed change the "Not attached" list, whose height
// the layout counts.
func (m *Model) addFailed(f failedScan) {
	m.scans.addFailed(f)
	m.layout()
}

func (m *Model) removeFailed(barcode string) {
	if m.scans.removeFailed(barcode) {
		m.layout()
	}
}

func (m *Model) resetForm() {
	m.refused = false
	m.restored = false
	m.barcode.SetValue("")
	m.pin.SetValue("")
	m.tainted = false
	m.burst.reset()
	m.setFocus(focusBarcode)
}

func (m *Model) setFocus(f focus) {
	m.focus = f
	m.barcode.Blur()
	m.pin.Blur()
	m.orderInput.Blur()
	switch f {
	case focusBarcode:
		m.barcode.Focus()
	case focusPin:
		m.pin.Focus()
	case focusOrderID:
		m.orderInput.Focus()
	}
	m.burst.reset()
}

func (m *Model) focusedValue() string {
	switch m.focus {
	case focusPin:
		return m.pin.Value()
	case focusOrderID:
		return m.orderInput.Value()
	}
	return m.barcode.Value()
}

func (m Model) updateFocused(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.focus {
	case focusBarcode:
		if k, ok := msg.(tea.KeyMsg); ok && k.Type != tea.KeyRunes {
			// The operator is editing the refused text to fix it.
			m.refused = false
		}
		*m.barcode, cmd = m.barcode.Update(msg)
		if m.barcode.Value() == "" {
			m.tainted = false
		}
	case focusPin:
		*m.pin, cmd = m.pin.Update(msg)
	}
	return m, cmd
}

// fail announces a problem with what is in the form and leaves it there.
func (m Model) fail(text string) (tea.Model, tea.Cmd) {
	m.refused = m.focus == focusBarcode && m.barcode.Value() != ""
	return m.announce(statusFailure, text)
}

// announce sets the status line. Good news fades after a while; bad news
// stays until the next action.
func (m Model) announce(kind statusKind, text string) (tea.Model, tea.Cmd) {
	m.statusSeq++
	m.status = status{kind: kind, text: text, seq: m.statusSeq}
	if kind != statusSuccess && kind != statusInfo {
		return m, nil
	}
	if m.statusTimer {
		// One timer at a time: when it fires for an older message it
		// starts again for this one, so a run of good news does not park
		// a timer per scan.
		return m, nil
	}
	m.statusTimer = true
	return m, statusExpiry(m.statusSeq)
}

func statusExpiry(seq int) tea.Cmd {
	return tea.Tick(successStatusLife, func(time.Time) tea.Msg { return statusExpireMsg{seq: seq} })
}

// announceAndReload sets the status line and reads the order again, for
// outcomes that leave the screen unsure of what the order now holds.
func (m Model) announceAndReload(kind statusKind, text string) (tea.Model, tea.Cmd) {
	next, cmd := m.announce(kind, text)
	nm := next.(Model)
	follow := nm.loadOrder()
	return nm, tea.Batch(cmd, follow)
}

// toggleHelp switches between the short help bar and every key (F1).
func (m *Model) toggleHelp() {
	m.help.ShowAll = !m.help.ShowAll
	m.layout()
}

// busyWith says on the status line that a call is under way and starts it,
// with the spinner.
func (m Model) busyWith(text string, call tea.Cmd) (tea.Model, tea.Cmd) {
	next, _ := m.announce(statusBusy, text)
	nm := next.(Model)
	spin := nm.spin()
	return nm, tea.Batch(call, spin)
}

// spin starts the spinner unless it is already turning; a second tick chain
// would only cost frames.
func (m *Model) spin() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.spinner.Tick
}

func (m *Model) currentShowtimeID() string {
	if m.order == nil || len(m.order.Showtimes) == 0 {
		return ""
	}
	return m.order.Showtimes[m.showtimeIndex%len(m.order.Showtimes)].ShowtimeID
}

func nextVoucherType(t api.VoucherType) api.VoucherType {
	for i, v := range api.VoucherTypes {
		if v == t {
			return api.VoucherTypes[(i+1)%len(api.VoucherTypes)]
		}
	}
	return api.VoucherTypes[0]
}
