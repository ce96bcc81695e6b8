package seatmap

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// The demo's Screen 4 (412 seats) for an order of three Standard tickets
// on F12, F13 and F14, where the operator has let F14 go and chosen G5:
// the order's seats, a chosen one, free, sold, wheelchair, companion,
// house and broken seats, and Premium not for these tickets. Drawn with
// and without colour; without, every distinction is still there.
func TestGolden(t *testing.T) {
	d := demoWith(t, repeat(3, adult), "F12", "F13", "F14")
	for _, tc := range []struct {
		name          string
		width, height int
		profile       termenv.Profile
	}{
		{"80x24", 80, 24, termenv.Ascii},
		{"80x24-colour", 80, 24, termenv.ANSI256},
		{"120x40", 120, 40, termenv.Ascii},
		{"120x40-colour", 120, 40, termenv.ANSI256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withProfile(t, tc.profile)
			m := d.open(tc.width, tc.height)
			for _, name := range []string{"F14", "G5"} {
				typeKeys(m, name)
				press(m, tea.KeyEnter)
			}
			view := m.View()
			if tc.profile == termenv.Ascii {
				for _, sym := range []string{" o", " x", " #", " *", " w", " c", " h", " !", " -", "[*]"} {
					if !strings.Contains(view, sym) {
						t.Errorf("no %q on the map", sym)
					}
				}
			}
			golden.RequireEqualEscape(t, []byte(view), tc.profile != termenv.Ascii)
		})
	}
}

// Two Premium tickets in a room of 16 lines: the sofa row, a sofa chosen
// whole, and the stalls not for these tickets, scrolled to the back.
func TestGoldenPremium(t *testing.T) {
	d := demoWith(t, repeat(2, premiumAdult))
	m := d.open(80, 16)
	typeKeys(m, "R1")
	press(m, tea.KeyEnter)
	golden.RequireEqual(t, []byte(m.View()))
}

// withProfile draws in colour profile p, on a dark background, until the
// test ends.
func withProfile(t testing.TB, p termenv.Profile) {
	old, dark := lipgloss.ColorProfile(), lipgloss.HasDarkBackground()
	lipgloss.SetColorProfile(p)
	lipgloss.SetHasDarkBackground(true)
	t.Cleanup(func() {
		lipgloss.SetColorProfile(old)
		lipgloss.SetHasDarkBackground(dark)
	})
}
