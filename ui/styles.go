package ui

import "github.com/charmbracelet/lipgloss"

// styles is built once so every component draws from one palette. Adaptive
// colours keep the screen readable on light and dark terminals; every state
// is also spelled out in words or symbols, so nothing depends on colour.
type styles struct {
	App        lipgloss.Style
	Header     lipgloss.Style
	DemoBadge  lipgloss.Style
	Muted      lipgloss.Style
	Title      lipgloss.Style
	Label      lipgloss.Style
	Value      lipgloss.Style
	Rule       lipgloss.Style
	Selected   lipgloss.Style
	Success    lipgloss.Style
	Failure    lipgloss.Style
	Warning    lipgloss.Style
	Pending    lipgloss.Style
	FieldFocus lipgloss.Style
	FieldBlur  lipgloss.Style
}

func newStyles() styles {
	accent := lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B7A5FF"}
	muted := lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#9A9A9A"}
	green := lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#5FD787"}
	red := lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF7A70"}
	amber := lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#FFC555"}
	return styles{
		App:        lipgloss.NewStyle().Padding(0, 1),
		Header:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		DemoBadge:  lipgloss.NewStyle().Bold(true).Reverse(true),
		Muted:      lipgloss.NewStyle().Foreground(muted),
		Title:      lipgloss.NewStyle().Bold(true),
		Label:      lipgloss.NewStyle().Foreground(muted),
		Value:      lipgloss.NewStyle(),
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
