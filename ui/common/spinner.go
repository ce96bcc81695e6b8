package common

import (
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// Spinner is the one spinner of the screen: it turns while any call is
// under way, and every part that shows work in progress draws its frame.
// Its ticks go through the context's timers, one chain at a time.
type Spinner struct {
	frames  []string
	every   time.Duration
	frame   int
	turning bool
}

// SpinMsg turns the spinner one frame.
type SpinMsg struct{}

// NewSpinner is the line spinner of bubbles.
func NewSpinner() *Spinner {
	return &Spinner{frames: spinner.Line.Frames, every: spinner.Line.FPS}
}

// Frame is what the spinner shows now.
func (s *Spinner) Frame() string { return s.frames[s.frame%len(s.frames)] }

// Start turns the spinner unless it is already turning: a second chain of
// ticks would only cost frames.
func (s *Spinner) Start(ctx *Context) tea.Cmd {
	if s.turning {
		return nil
	}
	s.turning = true
	return ctx.After(s.every, SpinMsg{})
}

// Tick turns one frame and asks for the next while busy; it stops once
// nothing is.
func (s *Spinner) Tick(ctx *Context, busy bool) tea.Cmd {
	if !busy {
		s.turning = false
		return nil
	}
	s.frame++
	return ctx.After(s.every, SpinMsg{})
}
