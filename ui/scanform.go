package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// focus is which field takes typed text.
type focus int

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

const (
	focusBarcode focus = iota
	focusPin
	focusOrderID
)
