package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

func TestShortHelpFitsEveryMode(t *testing.T) {
	keys := newKeyMap()
	h := help.New()
	for _, mode := range []helpMode{helpForm, helpTickets, helpPicker, helpOrderPrompt, helpNoOrder} {
		line := h.ShortHelpView(modeHelp{keys: &keys, mode: mode}.ShortHelp())
		if w := lipgloss.Width(line); w > 78 {
			t.Errorf("mode %d: short help is %d columns, more than 78: %q", mode, w, line)
		}
		if strings.Contains(line, "…") {
			t.Errorf("mode %d: short help was cut: %q", mode, line)
		}
	}
	h.Width = 78
	full := h.FullHelpView(keys.FullHelp())
	if strings.Contains(full, "…") {
		t.Errorf("full help was cut at 78 columns:\n%s", full)
	}
	for _, l := range strings.Split(full, "\n") {
		if w := lipgloss.Width(l); w > 78 {
			t.Errorf("full help line is %d columns: %q", w, l)
		}
	}
}

// A scanner types printable text into whatever has focus, so no action may
// sit on a printable key.
func TestNoActionOnPrintableKeys(t *testing.T) {
	keys := newKeyMap()
	seen := map[string]bool{}
	for _, col := range keys.FullHelp() {
		for _, b := range col {
			for _, k := range b.Keys() {
				seen[k] = true
				if len([]rune(k)) == 1 || k == "space" {
					t.Errorf("%q (%s) is a printable key", k, b.Help().Desc)
				}
			}
		}
	}
	all := []key.Binding{keys.Next, keys.Back, keys.CycleType, keys.CycleShowtime, keys.Tickets, keys.NextOrder,
		keys.Apply, keys.Up, keys.Down, keys.Left, keys.Right, keys.Remove, keys.CancelOrder, keys.Complete,
		keys.Retry, keys.Clear, keys.Refresh, keys.OpenOrder, keys.NewOrder, keys.Help, keys.Quit}
	for _, b := range all {
		for _, k := range b.Keys() {
			if len([]rune(k)) == 1 {
				t.Errorf("%q is a printable key", k)
			}
		}
	}
	// Every action is listed in the full help (Down and Right share their
	// line with Up and Left).
	for _, k := range []string{"f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "ctrl+r", "ctrl+o", "ctrl+n", "esc", "up", "left"} {
		if !seen[k] {
			t.Errorf("%s is not in the full help", k)
		}
	}
}
