package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/charmbracelet/x/ansi"
)

// status is the one-line announcement under the form.
type status struct {
	kind statusKind
	text string
	seq  int
}

// fail announces a problem with what is in the form and leaves it there.
func (m *Model) fail(text string) tea.Cmd {
	m.form.refused = m.form.focus == focusBarcode && m.form.barcode.Value() != ""
	cmd := m.announce(statusFailure, text)
	if m.form.refused {
		m.form.refusedSeq = m.status.seq
	}
	return cmd
}

// statusLine is the announcement under the form and what goes with it: the
// spinner while a call is under way, the timer that fades good news, and the
// destructive action waiting for its F-key a second time.
type statusLine struct {
	// status is what the line says now.
	status
	// last numbers the announcements, so a fade timer knows its own.
	last int
	// timer is set while a fade timer is pending: one at a time, so a run
	// of good news does not park a timer per scan.
	timer    bool
	spinner  spinner.Model
	spinning bool
	confirm  *confirmation
	// live, when set, words the announcement from the time now: a
	// countdown in it ticks with the header's clock, and says something
	// else once its time has passed. Any other announcement drops it.
	live func(now time.Time) string
}

func newStatusLine() *statusLine {
	return &statusLine{spinner: spinner.New(spinner.WithSpinner(spinner.Line))}
}

// set makes text the announcement. Good news fades after a while; bad news
// stays until the next action.
func (l *statusLine) set(kind statusKind, text string) tea.Cmd {
	l.last++
	l.status = status{kind: kind, text: text, seq: l.last}
	l.live = nil
	if kind != statusSuccess && kind != statusInfo || l.timer {
		// A timer that fires for an older message starts again for this one.
		return nil
	}
	l.timer = true
	return statusExpiry(l.last)
}

// Update handles the line's own messages: its fade timer and the spinner's
// ticks, which stop once nothing is busy.
func (l *statusLine) Update(msg tea.Msg, busy bool) tea.Cmd {
	switch msg := msg.(type) {
	case statusExpireMsg:
		l.timer = false
		if msg.seq == l.seq {
			l.clear()
			return nil
		}
		if l.kind == statusSuccess || l.kind == statusInfo {
			l.timer = true
			return statusExpiry(l.seq)
		}
	case spinner.TickMsg:
		if !busy {
			l.spinning = false
			return nil
		}
		var cmd tea.Cmd
		l.spinner, cmd = l.spinner.Update(msg)
		return cmd
	}
	return nil
}

// spin starts the spinner unless it is already turning; a second tick chain
// would only cost frames.
func (l *statusLine) spin() tea.Cmd {
	if l.spinning {
		return nil
	}
	l.spinning = true
	return l.spinner.Tick
}

// clear empties the line.
func (l *statusLine) clear() {
	l.status = status{}
	l.live = nil
}

// setLive makes the announcement one worded from the time: words(now) is
// what it says at now, "" once it has nothing left to say.
func (l *statusLine) setLive(kind statusKind, words func(now time.Time) string, now time.Time) tea.Cmd {
	cmd := l.set(kind, words(now))
	l.live = words
	return cmd
}

// tick words a live announcement again for now, as the clock ticks.
func (l *statusLine) tick(now time.Time, name func(string) string) {
	if l.live == nil {
		return
	}
	text := l.live(now)
	if text == "" {
		l.clear()
		return
	}
	l.text = name(text)
}

// announceLive sets the status line to an announcement worded from the
// time, as setLive does.
func (m *Model) announceLive(kind statusKind, words func(now time.Time) string) tea.Cmd {
	cmd := m.status.setLive(kind, words, m.now())
	m.status.text = m.namedShowtimes(m.status.text)
	return cmd
}

// announce sets the status line.
func (m *Model) announce(kind statusKind, text string) tea.Cmd {
	return m.status.set(kind, m.namedShowtimes(text))
}

// announceAndReload sets the status line and reads the order again, for
// outcomes that leave the screen unsure of what the order now holds.
func (m *Model) announceAndReload(kind statusKind, text string) tea.Cmd {
	cmd := m.announce(kind, text)
	follow := m.loadOrder()
	return tea.Batch(cmd, follow)
}

// busyWith says on the status line that a call is under way and starts it,
// with the spinner.
func (m *Model) busyWith(text string, call tea.Cmd) tea.Cmd {
	m.announce(statusBusy, text)
	spin := m.spin()
	return tea.Batch(call, spin)
}

// spin starts the spinner.
func (m *Model) spin() tea.Cmd { return m.status.spin() }

// statusKind says what an announcement means; each kind has its own symbol
// so the line reads the same without colour.
type statusKind int

func (k statusKind) symbol() string {
	switch k {
	case statusSuccess:
		return "✓"
	case statusFailure:
		return "✗"
	case statusWarning:
		return "!"
	case statusBusy:
		return "…"
	}
	return "·"
}

// statusLines is the announcement, wrapped to the width.
func (m Model) statusLines(w int) []string {
	s := m.styles
	text := m.status.text
	if m.status.live != nil {
		// Worded for the time the header is drawn for.
		text = m.namedShowtimes(m.status.live(m.now()))
	}
	if text == "" {
		if m.busy() && m.scans.inFlight == nil {
			return []string{m.status.spinner.View() + " Working…"}
		}
		return []string{s.Muted.Render(m.idleHint())}
	}
	symbol := m.status.kind.symbol()
	if m.status.kind == statusBusy {
		symbol = m.status.spinner.View()
	}
	// Continuation lines are indented under the text, not the symbol.
	wrapped := strings.Split(ansi.Wrap(text, max(w-2, 10), ""), "\n")
	if len(wrapped) > maxStatusLines {
		wrapped = wrapped[:maxStatusLines]
		wrapped[maxStatusLines-1] += "…"
	}
	style := kindStyle(s, m.status.kind)
	lines := make([]string, len(wrapped))
	for i, l := range wrapped {
		prefix := "  "
		if i == 0 {
			prefix = symbol + " "
		}
		if m.status.kind == statusBusy && i == 0 {
			lines[i] = prefix + l
			continue
		}
		lines[i] = style.Render(prefix + l)
	}
	return lines
}

func (m Model) idleHint() string {
	switch m.form.focus {
	case focusPin:
		return "Type the PIN and press Enter (Enter alone if the voucher has none)."
	case focusOrderID:
		return "Open an order to start."
	}
	switch m.panel {
	case panelTickets:
		return "↑/↓ picks a row, ←/→ sets how many, F7 applies. Scans still attach."
	case panelPicker:
		return "↑/↓ picks the showtime, ←/→ changes the day, F7 takes it."
	}
	return "Ready: scan a voucher or type its barcode and press Enter."
}

// confirmKind names a destructive action that waits for its key again.
type confirmKind int

// key is the F-key that confirms: the same one that asked. Enter never
// confirms, because a scan ends with Enter.
func (k confirmKind) key() string {
	switch k {
	case confirmRemove:
		return "f8"
	case confirmCancelOrder:
		return "f9"
	case confirmQuit:
		return "ctrl+c"
	}
	return "f10"
}

// confirmation is a question on the status line waiting for its key.
type confirmation struct {
	kind    confirmKind
	voucher api.OrderVoucher
	orderID string
	// seq is the status line that asks; once something else is announced
	// the question is off screen and the key asks again.
	seq int
}

func (m *Model) ask(kind confirmKind, v api.OrderVoucher, text string) tea.Cmd {
	cmd := m.announce(statusWarning, text)
	m.status.confirm = &confirmation{kind: kind, voucher: v, orderID: m.orderID, seq: m.status.seq}
	return cmd
}

// armed reports whether the question for this action is still on screen.
func (m *Model) armed(kind confirmKind, voucherID string) bool {
	c := m.status.confirm
	return c != nil && c.kind == kind && c.voucher.ID == voucherID && c.orderID == m.orderID && c.seq == m.status.seq
}

// disarmOn drops a waiting question when another action key is pressed, so
// a later press of its key asks again instead of acting. Typed text does not
// count: a scan may arrive while the operator decides.
func (m *Model) disarmOn(msg tea.KeyMsg) {
	if m.status.confirm == nil {
		return
	}
	switch msg.Type {
	case tea.KeyRunes, tea.KeyEnter, tea.KeyTab, tea.KeyCtrlJ, tea.KeyBackspace, tea.KeyEsc, tea.KeySpace:
		return
	}
	if msg.String() == m.status.confirm.kind.key() {
		return
	}
	if m.status.seq == m.status.confirm.seq {
		m.status.clear()
	}
	m.status.confirm = nil
}

// clear is Esc: it answers a question with no, then empties the form, then
// closes the panel.
func (m *Model) clear() tea.Cmd {
	if c := m.status.confirm; c != nil {
		m.status.confirm = nil
		switch c.kind {
		case confirmRemove:
			return m.announce(statusInfo, "Kept the voucher.")
		case confirmCancelOrder:
			return m.announce(statusInfo, "Kept the order.")
		case confirmQuit:
			return m.announce(statusInfo, "Not quitting; the counter carries on.")
		}
		return m.announce(statusInfo, "Not completed; the order is as it was.")
	}
	if m.form.barcode.Value() != "" || m.form.pin.Value() != "" || m.form.focus != focusBarcode {
		m.form.reset()
		m.status.clear()
		return nil
	}
	switch m.panel {
	case panelPicker:
		m.closePanel()
		m.status.clear()
		return nil
	case panelTickets:
		dirty := m.tickets.dirty()
		m.closePanel()
		if dirty {
			return m.announce(statusInfo, "Discarded the ticket changes; the order is as it was.")
		}
		m.status.clear()
		return nil
	}
	m.form.reset()
	m.status.clear()
	return nil
}

func statusExpiry(seq int) tea.Cmd {
	return tea.Tick(successStatusLife, func(time.Time) tea.Msg { return statusExpireMsg{seq: seq} })
}
