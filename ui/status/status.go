// Package status is the status line under the scan form: what just happened,
// what it means and what to do, in one to three lines. Good news fades after
// a while; bad news stays until the next action. It also carries the
// question a destructive action asks before it acts (answered by pressing
// the same key again, never Enter, which ends every scan), and announcements
// worded from the time, whose countdown ticks with the header's clock.
package status

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/ui/common"
)

// successLife is how long a good outcome stays on the line; failures stay
// until the next action so they are never missed.
const successLife = 8 * time.Second

// maxLines is how far an announcement may wrap: it says what happened, what
// it means and what to do, and the last part must not be cut off. A
// question may wrap further on a narrow screen: its last words name the key
// that answers it.
const (
	maxLines         = 3
	maxQuestionLines = 5
)

// Question names a destructive action that waits for its key again.
type Question int

const (
	NoQuestion Question = iota
	RemoveVoucher
	CancelOrder
	CompleteOrder
	Quit
)

// Key is the key that answers yes: the same one that asked. Enter never
// confirms, because a scan ends with Enter.
func (q Question) Key() string {
	switch q {
	case RemoveVoucher:
		return "f8"
	case CancelOrder:
		return "f9"
	case Quit:
		return "ctrl+c"
	}
	return "f10"
}

// fadeMsg ends a good announcement's life.
type fadeMsg struct{ seq int }

// Line is the status line.
type Line struct {
	ctx  *common.Context
	kind common.Kind
	text string
	// seq numbers the announcements, so a fade timer knows its own.
	seq int
	// fading is set while a fade timer is pending: one at a time, so a run
	// of good news does not park a timer per scan.
	fading bool
	// live, when set, words the announcement from the time now; any other
	// announcement drops it.
	live func(now time.Time) string
	// question waits for its key; target names what it is about (a voucher
	// id, an order id), and askedAt the announcement that asks: once
	// something else is said, the question is off screen.
	question Question
	target   string
	askedAt  int
	// hint is what the line says when it has nothing to announce.
	hint string
	busy bool
	// lines is the announcement wrapped to the width, kept from Update to
	// View.
	lines []string
	width int
}

// New returns an empty status line.
func New(ctx *common.Context) *Line { return &Line{ctx: ctx, width: 78} }

// Announce makes text the announcement.
func (l *Line) Announce(kind common.Kind, text string) tea.Cmd {
	l.seq++
	l.kind, l.text, l.live = kind, text, nil
	l.wrap()
	if kind != common.Success && kind != common.Info || l.fading {
		// A timer already on its way starts again for this one.
		return nil
	}
	l.fading = true
	return l.ctx.After(successLife, fadeMsg{seq: l.seq})
}

// AnnounceLive makes the announcement one worded from the time: words(now)
// is what it says at now, "" once it has nothing left to say.
func (l *Line) AnnounceLive(kind common.Kind, words func(now time.Time) string) tea.Cmd {
	cmd := l.Announce(kind, words(l.ctx.Now()))
	l.live = words
	return cmd
}

// Busy says a call is under way, with the spinner.
func (l *Line) Busy(text string) tea.Cmd {
	l.Announce(common.Busy, text)
	return l.ctx.Spinner.Start(l.ctx)
}

// Ask puts a question on the line; Armed tells whether it is still there.
func (l *Line) Ask(q Question, target, text string) tea.Cmd {
	cmd := l.Announce(common.Warning, text)
	l.question, l.target, l.askedAt = q, target, l.seq
	l.wrap()
	return cmd
}

// Armed reports whether question q about target is still on the line, so
// that its key now means yes.
func (l *Line) Armed(q Question, target string) bool {
	return l.question == q && l.target == target && l.askedAt == l.seq
}

// Asking is the question on the line, NoQuestion when none is.
func (l *Line) Asking() Question {
	if l.askedAt != l.seq {
		return NoQuestion
	}
	return l.question
}

// Answered drops the question, its answer given.
func (l *Line) Answered() { l.question, l.target = NoQuestion, "" }

// DisarmOn drops a waiting question when another action key is pressed, so
// that a later press of its key asks again instead of acting. Typed text
// does not count: a scan may arrive while the operator decides.
func (l *Line) DisarmOn(msg tea.KeyMsg) {
	if l.question == NoQuestion {
		return
	}
	switch msg.Type {
	case tea.KeyRunes, tea.KeyEnter, tea.KeyTab, tea.KeyCtrlJ, tea.KeyBackspace, tea.KeyEsc, tea.KeySpace:
		return
	}
	if msg.String() == l.question.Key() {
		return
	}
	if l.askedAt == l.seq {
		l.Clear()
	}
	l.Answered()
}

// Clear empties the line.
func (l *Line) Clear() {
	l.seq++
	l.kind, l.text, l.live = common.Info, "", nil
	l.wrap()
}

// Text is what the line says now, "" when nothing is announced.
func (l *Line) Text() string { return l.text }

// Kind is what the announcement means.
func (l *Line) Kind() common.Kind { return l.kind }

// Seq numbers the announcement on the line.
func (l *Line) Seq() int { return l.seq }

// SetHint is what the line says when nothing is announced, and busy whether
// calls are under way then.
func (l *Line) SetHint(hint string, busy bool) {
	if l.hint != hint || l.busy != busy {
		l.hint, l.busy = hint, busy
		if l.text == "" {
			l.wrap()
		}
	}
}

// Update takes the fade timer and the clock's ticks.
func (l *Line) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case fadeMsg:
		l.fading = false
		if msg.seq == l.seq {
			l.Clear()
			return nil
		}
		if l.kind == common.Success || l.kind == common.Info {
			l.fading = true
			return l.ctx.After(successLife, fadeMsg{seq: l.seq})
		}
	case common.SpinMsg:
		if l.kind == common.Busy || l.text == "" && l.busy {
			l.wrap()
		}
	case common.TickMsg:
		if l.live == nil {
			return nil
		}
		text := l.live(time.Time(msg))
		if text == "" {
			l.Clear()
			return nil
		}
		l.text = text
		l.wrap()
	}
	return nil
}

// SetSize sets the width the announcement wraps at.
func (l *Line) SetSize(width, _ int) {
	if width != l.width {
		l.width = width
		l.wrap()
	}
}

// Height is how many lines the announcement takes at the width set.
func (l *Line) Height(int) int { return max(len(l.lines), 1) }

func (l *Line) wrap() {
	s := l.ctx.Styles
	if l.text == "" {
		if l.busy {
			l.lines = []string{l.ctx.Spinner.Frame() + " Working…"}
			return
		}
		l.lines = []string{s.Muted.Render(l.hint)}
		return
	}
	symbol := l.kind.Symbol()
	if l.kind == common.Busy {
		symbol = l.ctx.Spinner.Frame()
	}
	// Continuation lines are indented under the text, not the symbol.
	textWidth := max(l.width-2, 10)
	wrapped := common.Wrap(l.text, textWidth)
	most := maxLines
	if l.question != NoQuestion && l.askedAt == l.seq {
		most = maxQuestionLines
	}
	if len(wrapped) > most {
		wrapped = wrapped[:most]
		// The ellipsis takes a column of the last line, not one past it.
		wrapped[most-1] = ansi.Truncate(wrapped[most-1], textWidth-1, "") + "…"
	}
	style := s.Kind(l.kind)
	l.lines = make([]string, len(wrapped))
	for i, w := range wrapped {
		prefix := "  "
		if i == 0 {
			prefix = symbol + " "
		}
		if l.kind == common.Busy && i == 0 {
			l.lines[i] = prefix + w
			continue
		}
		l.lines[i] = style.Render(prefix + w)
	}
}

// View draws the line.
func (l *Line) View() string { return strings.Join(l.lines, "\n") }

// ShortHelp is empty: the line's keys are the actions' own.
func (l *Line) ShortHelp() []key.Binding { return nil }

// FullHelp is empty too.
func (l *Line) FullHelp() [][]key.Binding { return nil }
