package common

import "github.com/charmbracelet/lipgloss"

// Styles is built once so every part draws from one palette. Adaptive
// colours keep the screen readable on light and dark terminals; every state
// is also spelled out in words or symbols, so nothing depends on colour.
type Styles struct {
	Header     lipgloss.Style
	DemoBadge  lipgloss.Style
	Muted      lipgloss.Style
	Title      lipgloss.Style
	Label      lipgloss.Style
	Rule       lipgloss.Style
	Selected   lipgloss.Style
	Success    lipgloss.Style
	Failure    lipgloss.Style
	Warning    lipgloss.Style
	Pending    lipgloss.Style
	FieldFocus lipgloss.Style
	FieldBlur  lipgloss.Style
}

// shade is one colour of the palette for a light or a dark background, given
// for each kind of terminal. Naming the 256- and 16-colour values spares
// lipgloss converting the hex value on every Render, which is most of a
// frame's cost on a 16-colour terminal.
func shade(light, dark [3]string) lipgloss.CompleteAdaptiveColor {
	return lipgloss.CompleteAdaptiveColor{
		Light: lipgloss.CompleteColor{TrueColor: light[0], ANSI256: light[1], ANSI: light[2]},
		Dark:  lipgloss.CompleteColor{TrueColor: dark[0], ANSI256: dark[1], ANSI: dark[2]},
	}
}

// NewStyles is the counter's palette.
func NewStyles() Styles {
	accent := shade([3]string{"#5A3FC0", "61", "12"}, [3]string{"#B7A5FF", "147", "12"})
	muted := shade([3]string{"#6B6B6B", "59", "8"}, [3]string{"#9A9A9A", "102", "8"})
	green := shade([3]string{"#1E7B34", "29", "2"}, [3]string{"#5FD787", "78", "10"})
	red := shade([3]string{"#B3261E", "124", "1"}, [3]string{"#FF7A70", "209", "9"})
	amber := shade([3]string{"#8A5A00", "94", "3"}, [3]string{"#FFC555", "221", "11"})
	return Styles{
		Header:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		DemoBadge:  lipgloss.NewStyle().Bold(true).Reverse(true),
		Muted:      lipgloss.NewStyle().Foreground(muted),
		Title:      lipgloss.NewStyle().Bold(true),
		Label:      lipgloss.NewStyle().Foreground(muted),
		Rule:       lipgloss.NewStyle().Foreground(muted),
		Selected:   lipgloss.NewStyle().Bold(true).Foreground(accent),
		Success:    lipgloss.NewStyle().Bold(true).Foreground(green),
		Failure:    lipgloss.NewStyle().Bold(true).Foreground(red),
		Warning:    lipgloss.NewStyle().Bold(true).Foreground(amber),
		Pending:    lipgloss.NewStyle().Foreground(amber),
		FieldFocus: lipgloss.NewStyle().Foreground(accent),
		FieldBlur:  lipgloss.NewStyle().Foreground(muted),
	}
}

// Kind is how an announcement of kind is drawn.
func (s *Styles) Kind(kind Kind) lipgloss.Style {
	switch kind {
	case Success:
		return s.Success
	case Failure:
		return s.Failure
	case Warning:
		return s.Warning
	}
	return lipgloss.NewStyle()
}
