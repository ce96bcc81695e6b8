// Package common is what every part of the counter screen shares for the
// whole run, as gh-dash's ProgramContext and soft-serve's common package
// are: the styles, the clock and its timers, the kinds of announcement and
// the small words every part uses for money, time and order ids. It holds no
// state of a customer and imports none of the screen's parts.
package common

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// Context is handed to every part of the screen when it is made. Its fields
// never change after the start (the spinner only turns), so the parts may
// keep the pointer.
type Context struct {
	Styles *Styles
	// Now is the clock.
	Now func() time.Time
	// After sends msg once d has passed. Every timer of the screen goes
	// through it, so that a test can stop time (see NoTimers).
	After func(d time.Duration, msg tea.Msg) tea.Cmd
	// Spinner turns while any call is under way.
	Spinner *Spinner
}

// NewContext is the context of a real run: the system's clock and Bubble
// Tea's timers, unless now is given.
func NewContext(now func() time.Time) *Context {
	if now == nil {
		now = time.Now
	}
	st := NewStyles()
	return &Context{Styles: &st, Now: now, Spinner: NewSpinner(), After: func(d time.Duration, msg tea.Msg) tea.Cmd {
		return tea.Tick(d, func(time.Time) tea.Msg { return msg })
	}}
}

// Component is a part of the screen that owns its state and draws itself
// (soft-serve's common.Component): it takes the messages meant for it,
// draws what it holds, is told its size, and lists its own keys for the
// help bar. It asks for work by returning commands or intent messages,
// never by calling the screen that holds it.
type Component interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	help.KeyMap
}

// Intent wraps a message a part sends to the screen that holds it, as a
// command.
func Intent(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// TickMsg is the screen's clock: once a second, for the header's countdown
// and every announcement worded from the time.
type TickMsg time.Time

// ClockTick arms the next tick.
func (c *Context) ClockTick() tea.Cmd {
	return c.After(time.Second, clockDue{})
}

// clockDue is a tick's timer; the screen reads the time when it arrives.
type clockDue struct{}

// IsClockDue reports whether msg is the clock's timer.
func IsClockDue(msg tea.Msg) bool {
	_, ok := msg.(clockDue)
	return ok
}

// AnnounceMsg asks the screen to put text on the status line.
type AnnounceMsg struct {
	Kind Kind
	Text string
}

// Announce is an AnnounceMsg as a command.
func Announce(kind Kind, text string) tea.Cmd { return Intent(AnnounceMsg{Kind: kind, Text: text}) }
