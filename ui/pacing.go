package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// framePacer keeps View from drawing more often than a terminal can show.
// Bubble Tea v1 asks for a View after every message, but its renderer paints
// only the newest one at each frame: a scanner's burst brings hundreds of
// messages a second (keys, answers, journal syncs), and drawing each of them
// once cost more than the calls themselves. While scans are queued or in
// flight, a View asked for within interval of the last drawing returns that
// drawing, and a redrawMsg, sent when the interval is up, draws whatever
// changed meanwhile, so the last state is always shown, at most interval
// late. Once no scan is left to send, the screen is drawn at once: the
// burst is over, and its outcome should not wait.
//
// One pacer is shared by every copy of the model, like the help cache:
// Bubble Tea calls Update and View from one goroutine, one after the other.
type framePacer struct {
	interval time.Duration
	now      func() time.Time

	out     string
	drawnAt time.Time
	drawn   bool
	// dirty is set when a message arrived after out was drawn.
	dirty bool
	// pending is set while a redrawMsg is on its way.
	pending bool
}

// redrawMsg asks for the drawing a paced View put off.
type redrawMsg struct{}

func newFramePacer(interval time.Duration) *framePacer {
	return &framePacer{interval: interval, now: time.Now}
}

// afterUpdate notes that msg may have changed what is shown, and returns cmd
// with a redraw added when the View that follows will be put off. sending
// says whether scans are still queued or in flight.
func (p *framePacer) afterUpdate(msg tea.Msg, cmd tea.Cmd, sending bool) tea.Cmd {
	if p == nil || p.interval <= 0 {
		return cmd
	}
	if _, ok := msg.(redrawMsg); ok {
		// It changes nothing itself; it only lets the next View draw.
		p.pending = false
	} else {
		p.dirty = true
	}
	if !p.dirty || !sending || p.pending || !p.drawn {
		return cmd
	}
	wait := p.interval - p.now().Sub(p.drawnAt)
	if wait <= 0 {
		return cmd
	}
	p.pending = true
	redraw := tea.Tick(wait, func(time.Time) tea.Msg { return redrawMsg{} })
	if cmd == nil {
		return redraw
	}
	return tea.Batch(cmd, redraw)
}

// view returns the last drawing while scans are being sent and a redraw is
// on its way to replace it, and otherwise draws afresh.
func (p *framePacer) view(draw func() string, sending bool) string {
	if p == nil || p.interval <= 0 {
		return draw()
	}
	if p.drawn && (!p.dirty || sending && p.pending && p.now().Sub(p.drawnAt) < p.interval) {
		return p.out
	}
	p.out, p.drawnAt, p.drawn, p.dirty = draw(), p.now(), true, false
	return p.out
}
