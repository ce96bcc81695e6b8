package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// focus is which field takes typed text.
type focus int

const (
	focusBarcode focus = iota
	focusPin
	focusOrderID
)

// scanForm is the scan form: the barcode, PIN and order-id fields, which of
// them has focus, the voucher type of the next scan, and the timing of what
// is typed into them, which tells a scanner's burst from a person. It only
// holds and edits text; what a finished field means (a scan to send, an
// order to open) is the root's to act on (terminate, submit).
type scanForm struct {
	// The fields sit behind pointers: a scanner's burst sends hundreds of
	// messages, and the model holding the form is copied for each.
	barcode    *textinput.Model
	pin        *textinput.Model
	orderInput *textinput.Model
	focus      focus
	burst      burst
	// types decides the voucher type of the scan in the form.
	types typeChoice
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
	// refusedSeq is the announcement that said why.
	refused    bool
	refusedSeq int
	// restored is set while the form holds a failed scan brought back for
	// retry: a new scan replaces it rather than sending it on without a PIN.
	restored bool
	// lastKeyWasEnter lets the LF of a CR LF terminator be swallowed.
	lastKeyWasEnter bool
}

func newScanForm(vtype api.VoucherType, prefixes map[string]api.VoucherType) *scanForm {
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
	return &scanForm{barcode: &barcode, pin: &pin, orderInput: &orderInput, types: newTypeChoice(vtype, prefixes)}
}

// voucherType is the type the barcode in the form would be sent as.
func (f *scanForm) voucherType() api.VoucherType {
	t, _ := f.types.of(f.barcode.Value())
	return t
}

// Update edits the field with focus.
func (f *scanForm) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch f.focus {
	case focusBarcode:
		if k, ok := msg.(tea.KeyMsg); ok && k.Type != tea.KeyRunes {
			// The operator is editing the refused or restored text to fix
			// it: what is typed next joins it.
			f.refused = false
			f.restored = false
		}
		*f.barcode, cmd = f.barcode.Update(msg)
		if f.barcode.Value() == "" {
			f.tainted = false
		}
	case focusPin:
		*f.pin, cmd = f.pin.Update(msg)
	}
	return cmd
}

// SetSize fits the fields to the screen's inner width.
func (f *scanForm) SetSize(innerWidth int) {
	f.barcode.Width = max(min(innerWidth/2-14, 40), 8)
	f.pin.Width = 8
	f.orderInput.Width = max(min(innerWidth-20, 40), 10)
}

func (f *scanForm) setFocus(to focus) {
	f.focus = to
	f.barcode.Blur()
	f.pin.Blur()
	f.orderInput.Blur()
	switch to {
	case focusBarcode:
		f.barcode.Focus()
	case focusPin:
		f.pin.Focus()
	case focusOrderID:
		f.orderInput.Focus()
	}
	f.burst.reset()
}

// value is the text of the field with focus.
func (f *scanForm) value() string {
	switch f.focus {
	case focusPin:
		return f.pin.Value()
	case focusOrderID:
		return f.orderInput.Value()
	}
	return f.barcode.Value()
}

// reset empties the form for the next scan. A voucher type chosen for the
// scan goes with it; a pinned one stays.
func (f *scanForm) reset() {
	f.types.taken()
	f.refused = false
	f.restored = false
	f.barcode.SetValue("")
	f.pin.SetValue("")
	f.tainted = false
	f.burst.reset()
	f.setFocus(focusBarcode)
}

// armIdle starts the idle-gap timer, to fire after wait, unless one is
// already on its way: that one looks again when it fires.
func (f *scanForm) armIdle(wait time.Duration) tea.Cmd {
	if f.idleArmed {
		return nil
	}
	f.idleArmed = true
	return tea.Tick(wait, func(time.Time) tea.Msg { return scanIdleMsg{} })
}

// recentlyIdleClosed reports whether the idle gap closed a burst so lately
// that a terminator now is the slow scanner's own, not a second submit.
func (f *scanForm) recentlyIdleClosed(now time.Time, gap time.Duration) bool {
	return !f.idleClosedAt.IsZero() && now.Sub(f.idleClosedAt) <= max(lateTerminatorWindow, 2*gap)
}

// handleRunes routes typed or scanned text into the focused field, watching
// its timing to tell a scanner from a person.
func (m *Model) handleRunes(msg tea.KeyMsg) tea.Cmd {
	m.form.idleClosedAt = time.Time{}
	if !msg.Paste {
		for _, r := range msg.Runes {
			if r < 0x20 || r == 0x7f {
				m.form.tainted = true
			}
		}
	}
	if msg.Paste {
		// A paste is a person's deliberate act: it never auto-submits.
		m.form.burst.reset()
		if strings.ContainsFunc(string(msg.Runes), isUnsendable) {
			m.form.tainted = true
		}
		return m.form.Update(msg)
	}
	if m.form.restored && m.form.focus == focusBarcode {
		// A failed scan came back into the form by itself, and the next
		// scan is typed over it: the new scan takes the field whole. The
		// failed one is still listed under "Not attached" for ctrl+r.
		m.form.reset()
	}
	if m.form.refused && m.form.focus == focusBarcode {
		// What is in the field was refused; the new scan replaces it, and
		// the refused text stays listed for ctrl+r rather than being lost.
		m.addFailed(failedScan{barcode: m.form.barcode.Value(), vtype: m.form.voucherType(), reason: "refused before sending", tainted: m.form.tainted})
		m.form.barcode.SetValue("")
		m.form.tainted = false
		m.form.refused = false
		if m.status.seq == m.form.refusedSeq {
			// What it said of the text is no longer in the form.
			m.status.clear()
		}
	}
	now := m.now()
	m.form.burst.add(now, len(msg.Runes), len([]rune(m.form.value())))

	if m.form.focus == focusPin && m.form.burst.scannerLike() && !couldBePin(m.form.pin.Value()+string(msg.Runes)) {
		return m.scanIntoPin(msg)
	}
	cmd := m.form.Update(msg)
	if m.form.focus == focusBarcode && m.form.burst.scannerLike() && m.form.burst.wholeField() {
		cmd = tea.Batch(cmd, m.form.armIdle(m.opts.ScanIdleGap))
	}
	return cmd
}

// maxBurstPin is the longest fast burst into the PIN field still taken for a
// PIN: a person or a keypad can send a six-digit PIN in one go, and voucher
// PINs are short, while a barcode scanned there is longer or has letters.
const maxBurstPin = 8

// couldBePin reports whether text typed fast into the PIN field may be its
// PIN rather than the next voucher's barcode. A PIN must never be taken for a
// barcode: it would be shown, sent and journalled as one.
func couldBePin(text string) bool {
	if len(text) > maxBurstPin {
		return false
	}
	for _, r := range text {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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
// new scan becomes the next voucher, so a scan is never taken for a PIN. The
// barcode that waited for its PIN is not sent: without its PIN a voucher
// that has one would lose one of its few PIN attempts, which nobody chose to
// spend. It is listed under "Not attached" for ctrl+r, and Enter alone at
// the PIN is how a voucher without one is sent.
func (m *Model) scanIntoPin(msg tea.KeyMsg) tea.Cmd {
	pinText := []rune(m.form.pin.Value())
	start := min(m.form.burst.startLen, len(pinText))
	scanned := string(pinText[start:]) + string(msg.Runes)
	m.form.pin.SetValue("")
	var cmds []tea.Cmd
	if m.form.restored {
		// The form holds a failed scan brought back for its PIN; it stays
		// listed under "Not attached" and is not resent without one.
		m.form.reset()
	} else if barcode, err := validateBarcode(m.form.barcode.Value()); err == nil {
		vtype, _ := m.form.types.of(barcode)
		m.addFailed(failedScan{barcode: barcode, vtype: vtype, showtimeID: m.scanShowtimeID(),
			reason: "not sent: the next scan came before its PIN"})
		m.form.reset()
		cmd := m.outcome(statusWarning, api.MaskBarcode(barcode)+" was not sent: the next scan came before its PIN (sent without one, it could lose a PIN attempt). ctrl+r brings it back; at the PIN, Enter alone sends a voucher that has none.")
		cmds = append(cmds, cmd)
	}
	m.form.barcode.SetValue(scanned)
	m.form.barcode.CursorEnd()
	m.form.setFocus(focusBarcode)
	m.form.burst = burst{startLen: 0, runes: len([]rune(scanned)), last: m.now()}
	cmds = append(cmds, m.form.armIdle(m.opts.ScanIdleGap))
	return tea.Batch(cmds...)
}

// handleIdle closes a scanner burst that ended without a terminator.
func (m *Model) handleIdle() tea.Cmd {
	m.form.idleArmed = false
	if m.form.focus != focusBarcode || !m.form.burst.scannerLike() || !m.form.burst.wholeField() {
		return nil
	}
	if quiet := m.now().Sub(m.form.burst.last); quiet < m.opts.ScanIdleGap {
		// More characters came after this timer was set: wait out the
		// rest of the gap from the last of them.
		return m.form.armIdle(m.opts.ScanIdleGap - quiet)
	}
	cmd := m.terminate()
	m.form.idleClosedAt = m.now()
	return cmd
}

// terminate ends the field with focus: Enter, Tab, LF or the idle gap.
func (m *Model) terminate() tea.Cmd {
	m.form.burst.reset()
	switch m.form.focus {
	case focusBarcode:
		if m.form.tainted {
			return m.refuseScan("The scan had a character that cannot be sent (a scanner setting?). Press Esc to clear it and scan again.")
		}
		barcode, err := validateBarcode(m.form.barcode.Value())
		if err != nil {
			if strings.TrimSpace(m.form.barcode.Value()) == "" {
				// Enter on an empty field is no scan to list.
				return m.fail(err.Error())
			}
			return m.refuseScan(err.Error())
		}
		if cmd, ended := m.refuseOnEndedOrder(barcode); ended {
			// No PIN is asked for a scan that cannot go on this order.
			return cmd
		}
		if m.opts.PinPrompt == PinNever {
			return m.submit(nil)
		}
		m.form.setFocus(focusPin)
		return nil
	case focusPin:
		pin := m.form.pin.Value()
		if err := validatePin(pin); err != nil {
			return m.fail(err.Error())
		}
		var p *string
		if pin != "" {
			p = &pin
		}
		return m.submit(p)
	}
	return nil
}

// submit queues the barcode in the form with pin, after checking it is
// worth sending. The form is cleared for the next scan only when the scan
// was taken or is listed for retry.
func (m *Model) submit(pin *string) tea.Cmd {
	raw := m.form.barcode.Value()
	barcode, err := validateBarcode(raw)
	if err != nil {
		return m.fail(err.Error())
	}
	if m.scans.journalBroken != nil {
		return m.refuseScan("Attaching is stopped: the journal cannot be written (" + m.scans.journalBroken.Error() + "). Fix it and restart; nothing was sent.")
	}
	masked := api.MaskBarcode(barcode)
	vtype, prefix := m.form.types.of(barcode)
	if cmd, ended := m.refuseOnEndedOrder(barcode); ended {
		return cmd
	}
	now := m.now()
	if id, ok := m.scans.attached[barcode]; ok && m.vouchers.has(id) {
		m.form.reset()
		return m.outcome(statusWarning, "Voucher "+masked+" is already attached to this order; it was not sent again.")
	}
	if last, ok := m.scans.lastScan[barcode]; ok && now.Sub(last) < duplicateScanWindow {
		m.form.reset()
		return m.outcome(statusWarning, "Voucher "+masked+" was scanned twice; it is sent once.")
	}
	if until, ok := m.scans.blocked[barcode]; ok && !passed(until, now) {
		m.addFailed(failedScan{barcode: barcode, vtype: vtype, showtimeID: m.scanShowtimeID(),
			blockedUntil: until})
		m.form.reset()
		words := blockedWords(masked, "Voucher "+masked+" is blocked after too many attempts.", until)
		return tea.Batch(m.announceLive(statusFailure, words), m.record(statusFailure, words(now)))
	}
	showtimeID := m.scanShowtimeID()
	if m.order != nil && vtype == api.VoucherTicket && showtimeID == "" {
		return m.refuseScan("A Ticket voucher pays for a showtime, and this order has none yet. Press F4 and pick one, then scan again; or F2 for a Deal or Subscription voucher.")
	}
	item := m.scans.take(scanItem{orderID: m.orderID, barcode: barcode, pin: pin, vtype: vtype, prefix: prefix, showtimeID: showtimeID}, now)
	m.removeFailed(barcode)
	m.form.reset()
	if m.order == nil {
		// The order is still on its way (or its load failed): the scan
		// waits in the queue, on screen, and goes once the order is here.
		m.journalWaiting(item, journal.OutcomeQueued, "")
		var cmds []tea.Cmd
		if !m.orderLoading && m.orderID != "" {
			cmds = append(cmds, m.loadOrder())
		}
		cmd := m.announce(statusInfo, masked+" waits until order "+shortID(m.orderID)+" has loaded.")
		return tea.Batch(append(cmds, cmd)...)
	}
	follow := m.startNext()
	if m.scans.waitingLast(item.seq) {
		m.journalWaiting(item, journal.OutcomeQueued, "")
	}
	return follow
}

// refuseOnEndedOrder refuses a scan on an order that can take no voucher
// (completed, cancelled, expired), and keeps it for ctrl+r on the next
// order, as scans queued when an order ends are kept.
func (m *Model) refuseOnEndedOrder(barcode string) (tea.Cmd, bool) {
	masked := api.MaskBarcode(barcode)
	var text, reason string
	switch {
	case m.order == nil && m.orderGone:
		reason = "order ended"
		text = m.goneSentence() + ", so " + masked + " was not sent. Press ctrl+n for a new order or ctrl+o to open another; ctrl+r then brings the scan back."
	case m.order != nil && m.order.Status == api.OrderCompleted:
		reason = "order completed"
		text = "Order " + shortID(m.orderID) + " is completed, so no voucher can be added to it and " + masked + " was not sent. Press ctrl+n to start the next order; ctrl+r then brings the scan back."
	default:
		return nil, false
	}
	vtype, _ := m.form.types.of(barcode)
	m.form.reset()
	if couldBePin(barcode) {
		// Digits typed just after a scan was refused are most likely its
		// PIN, out of habit: never kept, never sent as a barcode.
		return m.outcome(statusFailure, "Nothing can be added to order "+shortID(m.orderID)+", and nothing was kept. Press ctrl+n to start the next order."), true
	}
	m.addFailed(failedScan{barcode: barcode, vtype: vtype, reason: reason})
	return m.outcome(statusFailure, text), true
}

// retryFailed puts the newest failed scan back in the form.
func (m *Model) retryFailed() tea.Cmd {
	if len(m.scans.failed) == 0 {
		return m.fail("There is no failed scan to retry.")
	}
	if ended := m.order == nil && m.orderGone || m.order != nil && m.order.Status == api.OrderCompleted; ended {
		// Brought back here it could only be refused.
		return m.fail("This order can take no more vouchers. Press ctrl+n to start the next order (or ctrl+o to open another), then ctrl+r brings the scan back.")
	}
	f := m.failedToRetry()
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
		m.form.barcode.SetValue(f.barcode)
		m.form.refused = false
		m.form.restored = true
		m.form.barcode.CursorEnd()
		// It goes again as the type it went as, whatever the form's choice.
		m.form.types.once = f.vtype
		// A scan refused for a character the field could not hold is still
		// that scan: brought back without it, it would send another barcode.
		m.form.tainted = f.tainted
		if m.opts.PinPrompt == PinNever {
			m.form.setFocus(focusBarcode)
		} else {
			m.form.setFocus(focusPin)
		}
		// It stays listed as failed until it is queued again, so clearing
		// the form cannot lose it.
		return
	}
}

func (m Model) formLines(w int) []string {
	s := m.styles
	label := func(text string, focused bool) string {
		if focused {
			return s.FieldFocus.Render("▸ " + text)
		}
		return s.FieldBlur.Render("  " + text)
	}
	line1 := label("Barcode", m.form.focus == focusBarcode) + " [" + m.form.barcode.View() + "]"
	if m.opts.PinPrompt == PinAsk {
		line1 += "  " + label("PIN", m.form.focus == focusPin) + " [" + m.form.pin.View() + "]"
	}
	vtype := m.form.voucherType()
	typeText, how, _ := strings.Cut(m.form.types.label(m.form.barcode.Value()), " ")
	line2 := s.Label.Render("  Type ") + typeText + s.Muted.Render(" "+how)
	noPin := ""
	if m.opts.PinPrompt == PinNever {
		noPin = s.Muted.Render("   no PIN step")
	}
	if vtype != api.VoucherTicket || m.order == nil {
		return []string{line1, line2 + noPin}
	}
	choice, hint := "none yet", " (F4 picks one)"
	switch {
	case m.scanShowtimeID() == "":
	case m.currentShowtimeID() == "":
		choice, hint = m.showtimeChoice(), " (F7 adds it)"
	default:
		choice, hint = m.showtimeChoice(), " (F3)"
	}
	shared := "   Showtime "
	room := w - lipgloss.Width(line2) - len(shared) - len(hint) - lipgloss.Width(noPin)
	if fitted, ok := fitShowtimeChoice(choice, room); ok {
		return []string{line1, line2 + s.Label.Render(shared) + fitted + s.Muted.Render(hint) + noPin}
	}
	// Too narrow to share the line: the showtime gets one of its own.
	own := "  Showtime "
	fitted, _ := fitShowtimeChoice(choice, w-len(own)-len(hint))
	return []string{line1, line2 + noPin, s.Label.Render(own) + fitted + s.Muted.Render(hint)}
}

// fitShowtimeChoice fits "19:30 The Long Night" into room columns: the film's
// title gives way, never the time. It reports false when not even the time
// and a little of the title fit.
func fitShowtimeChoice(choice string, room int) (string, bool) {
	if ansi.StringWidth(choice) <= room {
		return choice, true
	}
	start, title := "", choice
	if len(choice) > 6 && choice[2] == ':' && choice[5] == ' ' {
		start, title = choice[:6], choice[6:]
	}
	const minTitle = 8
	if room-len(start) < minTitle {
		return ansi.Truncate(choice, max(room, len(start)+minTitle), "…"), false
	}
	return start + ansi.Truncate(title, room-len(start), "…"), true
}

func (m Model) showtimeChoice() string {
	return m.showtimeChoiceFor(m.scanShowtimeID())
}
