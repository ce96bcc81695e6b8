// Package commontest is what the tests of the screen's parts share: a
// context whose clock stands still until the test moves it, and whose
// timers are recorded instead of run, so that a test sees every timer a
// part arms and fires it when it chooses.
package commontest

import (
	"reflect"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/ui/common"
)

// Start is the time every test context starts at: Saturday evening at the
// counter, in UTC so that drawings do not depend on the machine's zone.
var Start = time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)

// Timer is one call of the context's After.
type Timer struct {
	// Armed is when it was armed, Due when it fires.
	Armed, Due time.Time
	Msg        tea.Msg
}

// Timers records the timers a part arms.
type Timers struct {
	mu    sync.Mutex
	clock *testkit.Clock
	all   []Timer
	taken int
}

// After is the context's After: it records the timer, and its command
// returns msg at once when run, as the timer would once it fires.
func (r *Timers) After(d time.Duration, msg tea.Msg) tea.Cmd {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	r.all = append(r.all, Timer{Armed: now, Due: now.Add(d), Msg: msg})
	return func() tea.Msg { return msg }
}

// All is every timer armed so far.
func (r *Timers) All() []Timer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Timer(nil), r.all...)
}

// Take is the timers armed since the last Take.
func (r *Timers) Take() []Timer {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]Timer(nil), r.all[r.taken:]...)
	r.taken = len(r.all)
	return out
}

// Harness is a test's context with its clock and timers.
type Harness struct {
	Ctx    *common.Context
	Clock  *testkit.Clock
	Timers *Timers
}

// New is a context at Start, from common.NewContext with the clock fixed
// and its timers recorded.
func New() *Harness {
	clock := testkit.NewClock(Start)
	ctx := common.NewContext(clock.Now)
	timers := &Timers{clock: clock}
	ctx.After = timers.After
	return &Harness{Ctx: ctx, Clock: clock, Timers: timers}
}

// Messages runs cmd and every command it batches, and returns the messages
// they produce, in order. Only for commands that return at once: a part's
// intents and the recorded timers.
func Messages(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, Messages(c)...)
		}
		return out
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		// tea.Sequence's message, whose type is Bubble Tea's own.
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, Messages(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// Find is the first message of type T among cmd's messages.
func Find[T any](cmd tea.Cmd) (T, bool) {
	for _, m := range Messages(cmd) {
		if t, ok := m.(T); ok {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// Announced is the text of the first announcement among cmd's messages, ""
// when there is none.
func Announced(cmd tea.Cmd) (common.Kind, string) {
	a, _ := Find[common.AnnounceMsg](cmd)
	return a.Kind, a.Text
}

// Key is a key as Bubble Tea reads it.
func Key(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }

// Runes is text arriving in one read, as a scanner's burst or a keypad's
// write does.
func Runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
