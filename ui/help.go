package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/boxoffice/boxoffice/api"
)

func (m Model) helpLines(w int) []string {
	// The help bar changes only with the width, the mode and F1, yet drawing
	// it is a fifth of a frame: keep the last one.
	key := helpCacheKey{width: m.help.Width, mode: m.helpMode(), all: m.help.ShowAll, enabled: m.helpEnabled}
	if c := m.helpCache; c.lines != nil && c.key == key {
		return c.lines
	}
	lines := strings.Split(m.help.View(modeHelp{keys: m.keys, mode: key.mode}), "\n")
	*m.helpCache = helpCacheEntry{key: key, lines: lines}
	return lines
}

type helpCacheKey struct {
	width   int
	mode    helpMode
	all     bool
	enabled uint8
}

type helpCacheEntry struct {
	key   helpCacheKey
	lines []string
}

func (m Model) helpMode() helpMode {
	switch {
	case m.form.focus == focusOrderID:
		return helpOrderPrompt
	case m.order == nil && m.orderGone, m.order != nil && m.order.Status == api.OrderCompleted:
		// Nothing on the order can change: what is left is the next one.
		return helpNoOrder
	case m.panel == panelTickets:
		return helpTickets
	case m.panel == panelPicker:
		return helpPicker
	case m.notAttached.focused && len(m.scans.failed) > 0:
		return helpNotAttached
	}
	return helpForm
}

// helpMode picks the short help line for what the screen is doing.
type helpMode int

// modeHelp is the help bar for one mode; the full help is the same in all.
type modeHelp struct {
	keys *keyMap
	mode helpMode
}

func (h modeHelp) ShortHelp() []key.Binding {
	k := h.keys
	switch h.mode {
	case helpTickets:
		return []key.Binding{k.rows, k.counts, k.apply, k.showtime, k.drop, k.Help}
	case helpPicker:
		return []key.Binding{k.rows, k.dates, k.takeIt, k.discard, k.Help}
	case helpOrderPrompt:
		return []key.Binding{k.openID, k.NewOrder, k.nextOpen, k.discard, k.Help}
	case helpNoOrder:
		return []key.Binding{k.NewOrder, k.OpenOrder, k.nextOpen, k.copyTxn, k.Help}
	case helpNotAttached:
		return []key.Binding{k.scans, k.retryIt, k.toVouchers, k.Help}
	}
	return k.ShortHelp()
}

func (h modeHelp) FullHelp() [][]key.Binding { return h.keys.FullHelp() }

// toggleHelp switches between the short help bar and every key (F1).
func (m *Model) toggleHelp() {
	m.help.ShowAll = !m.help.ShowAll
	if m.help.ShowAll {
		m.keys.Help.SetHelp("f1", "fewer keys")
	} else {
		m.keys.Help.SetHelp("f1", "all keys")
	}
	m.layout()
}

const (
	helpForm helpMode = iota
	helpTickets
	helpPicker
	helpOrderPrompt
	helpNoOrder
	helpNotAttached
)
