package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/ui/common"
)

// signalLife is how long a bell or a clipboard text stays in the frame: long
// enough that the renderer, which paints only the newest frame at each of
// its ticks, paints one that holds it even on a slow machine.
const signalLife = time.Second

// terminalSignal is what the screen sends the terminal besides text: the
// bell (BEL) and text for its clipboard (OSC 52). Bubble Tea v1 has no
// command for either, and writing to the terminal behind its renderer would
// tear a frame, so they ride at the start of the frame's first line. The
// renderer writes a line only when it changed: the signal is sent once when
// it joins the frame, not again while it stays, and leaves the frame after
// signalLife so that a later repaint of that line does not send it again.
type terminalSignal struct {
	seq       int
	bell      bool
	clipboard string
}

// signalDoneMsg takes a signal out of the frame once it has been painted.
type signalDoneMsg struct{ seq int }

// ring rings the terminal bell once.
func (s *terminalSignal) ring(ctx *common.Context) tea.Cmd {
	*s = terminalSignal{seq: s.seq + 1, bell: true}
	return ctx.After(signalLife, signalDoneMsg{seq: s.seq})
}

// copy puts text on the terminal's clipboard. A new signal replaces the one
// before rather than joining it: joined, the line written for the new one
// would send the old one a second time.
func (s *terminalSignal) copy(ctx *common.Context, text string) tea.Cmd {
	*s = terminalSignal{seq: s.seq + 1, clipboard: text}
	return ctx.After(signalLife, signalDoneMsg{seq: s.seq})
}

// done clears the signal when its life is over; a newer one keeps its own.
func (s *terminalSignal) done(msg signalDoneMsg) {
	if msg.seq == s.seq {
		*s = terminalSignal{seq: s.seq}
	}
}

// sequence is what goes in front of the frame while a signal is pending.
func (s terminalSignal) sequence() string {
	if !s.bell && s.clipboard == "" {
		return ""
	}
	var b strings.Builder
	if s.seq%2 == 0 {
		// Every other signal is spelled with a style reset in front, which
		// shows nothing: a second bell within signalLife changes the line,
		// so the renderer writes it, and the bell rings again.
		b.WriteString(ansi.ResetStyle)
	}
	if s.bell {
		b.WriteByte(ansi.BEL)
	}
	if s.clipboard != "" {
		b.WriteString(ansi.SetSystemClipboard(s.clipboard))
	}
	return b.String()
}
