package status

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func newLine(t *testing.T) (*Line, *commontest.Harness) {
	t.Helper()
	h := commontest.New()
	return New(h.Ctx), h
}

// fire delivers a recorded timer once its time has come.
func fire(l *Line, h *commontest.Harness, tm commontest.Timer) tea.Cmd {
	if d := tm.Due.Sub(h.Clock.Now()); d > 0 {
		h.Clock.Advance(d)
	}
	return l.Update(tm.Msg)
}

func onlyTimer(t *testing.T, h *commontest.Harness) commontest.Timer {
	t.Helper()
	timers := h.Timers.Take()
	if len(timers) != 1 {
		t.Fatalf("%d timers armed, want 1", len(timers))
	}
	return timers[0]
}

// Good news leaves after its life; bad news stays until something else is
// said.
func TestGoodNewsFadesBadNewsStays(t *testing.T) {
	l, h := newLine(t)
	l.SetHint("Scan a voucher.", false)
	cmd := l.Announce(common.Success, "Attached AD......0111.")
	fade := onlyTimer(t, h)
	if fade.Due.Sub(fade.Armed) != 8*time.Second || len(commontest.Messages(cmd)) != 1 {
		t.Fatalf("the fade timer: %+v", fade)
	}
	if got := l.View(); got != "✓ Attached AD......0111." {
		t.Fatalf("the line says %q", got)
	}
	fire(l, h, fade)
	if got := l.View(); got != "Scan a voucher." || l.Text() != "" {
		t.Fatalf("after its life the line says %q", got)
	}

	// Bad news arms no timer, and an earlier timer does not take it off.
	l.Announce(common.Success, "Attached AD......0222.")
	fade = onlyTimer(t, h)
	l.Announce(common.Failure, "Voucher AD......0888 has been used up.")
	if len(h.Timers.Take()) != 0 {
		t.Fatal("bad news armed a timer")
	}
	fire(l, h, fade)
	h.Clock.Advance(time.Hour)
	if got := l.View(); got != "✗ Voucher AD......0888 has been used up." || len(h.Timers.Take()) != 0 {
		t.Fatalf("bad news left or a timer came back: %q", got)
	}
	l.Announce(common.Warning, "Voucher AD......0444 was scanned twice; it is sent once.")
	if len(h.Timers.Take()) != 0 || !strings.HasPrefix(l.View(), "! Voucher") {
		t.Fatalf("a warning: %q", l.View())
	}
}

// A run of good news keeps one fade timer on its way, not one per
// announcement; when it fires for an older one it starts again for the one
// on the line, which gets its whole life.
func TestOneFadeTimerAtATime(t *testing.T) {
	l, h := newLine(t)
	l.Announce(common.Success, "Attached AD......0111.")
	first := onlyTimer(t, h)
	for i := range 5 {
		h.Clock.Advance(time.Second)
		l.Announce(common.Success, fmt.Sprintf("Attached AD......%04d.", 200+i))
	}
	if n := len(h.Timers.Take()); n != 0 {
		t.Fatalf("%d more timers for a run of good news", n)
	}
	fire(l, h, first)
	if got := l.View(); got != "✓ Attached AD......0204." {
		t.Fatalf("the newest faded early: %q", got)
	}
	again := onlyTimer(t, h)
	if again.Due.Sub(again.Armed) != 8*time.Second {
		t.Fatalf("the timer armed again: %+v", again)
	}
	fire(l, h, again)
	if l.Text() != "" || len(h.Timers.Take()) != 0 {
		t.Fatalf("after the second timer: %q", l.View())
	}
}

// A question is armed while it is on the line: anything said after it, or
// another action key, puts it off; typed text, Enter and its own key do not.
func TestQuestionsArmedOnlyWhileOnScreen(t *testing.T) {
	l, _ := newLine(t)
	l.SetHint("Scan a voucher.", false)
	ask := func() {
		l.Ask(RemoveVoucher, "v1", "Remove AD......0111? Press F8 again to remove, Esc to keep it.")
	}
	ask()
	if !l.Armed(RemoveVoucher, "v1") || l.Armed(RemoveVoucher, "v2") || l.Armed(CancelOrder, "v1") || l.Asking() != RemoveVoucher {
		t.Fatal("the question is not armed for its voucher alone")
	}
	if !strings.HasPrefix(l.View(), "! Remove AD......0111?") {
		t.Fatalf("the question reads %q", l.View())
	}
	for _, k := range []tea.KeyMsg{commontest.Runes("ADTMM0000222"), commontest.Key(tea.KeyEnter), commontest.Key(tea.KeyTab),
		commontest.Key(tea.KeyCtrlJ), commontest.Key(tea.KeyBackspace), commontest.Key(tea.KeySpace), commontest.Key(tea.KeyF8)} {
		l.DisarmOn(k)
		if !l.Armed(RemoveVoucher, "v1") {
			t.Fatalf("%q put the question off", k.String())
		}
	}
	l.DisarmOn(commontest.Key(tea.KeyF5))
	if l.Armed(RemoveVoucher, "v1") || l.Asking() != NoQuestion || l.View() != "Scan a voucher." {
		t.Fatalf("F5 left the question: %q", l.View())
	}

	// Said over: off screen, so no longer armed; another key then leaves
	// what was said.
	ask()
	l.Announce(common.Failure, "Voucher AD......0888 has been used up.")
	if l.Armed(RemoveVoucher, "v1") || l.Asking() != NoQuestion {
		t.Fatal("a question said over is still armed")
	}
	l.DisarmOn(commontest.Key(tea.KeyF5))
	if !strings.Contains(l.View(), "used up") {
		t.Fatalf("putting off a question said over cleared the line: %q", l.View())
	}

	// Answered, it is gone.
	ask()
	l.Answered()
	if l.Armed(RemoveVoucher, "v1") {
		t.Fatal("an answered question is still armed")
	}
}

// Each question is answered by the key that asked it, never Enter.
func TestQuestionKeys(t *testing.T) {
	want := map[Question]string{RemoveVoucher: "f8", CancelOrder: "f9", CompleteOrder: "f10", Quit: "ctrl+c"}
	for q, k := range want {
		if q.Key() != k {
			t.Errorf("question %d is answered by %q, want %q", q, q.Key(), k)
		}
	}
	l, _ := newLine(t)
	l.Ask(Quit, "", "Quit? Press ctrl+c again.")
	l.DisarmOn(commontest.Key(tea.KeyCtrlC))
	l.DisarmOn(commontest.Key(tea.KeyEsc))
	if !l.Armed(Quit, "") {
		t.Fatal("ctrl+c or Esc put the quit question off")
	}
}

// A live announcement is worded again at each tick of the clock, and leaves
// once its words say nothing; anything said after it stops it.
func TestLiveAnnouncementFollowsTheClock(t *testing.T) {
	l, h := newLine(t)
	l.SetHint("Scan a voucher.", false)
	until := h.Clock.Now().Add(90 * time.Second)
	words := func(now time.Time) string {
		if common.Passed(until, now) {
			return ""
		}
		return "Voucher AD......0111 is blocked; it can be tried again " + common.UntilText(until, now) + "."
	}
	l.AnnounceLive(common.Failure, words)
	if got := l.View(); got != "✗ Voucher AD......0111 is blocked; it can be tried again in 1m30s." {
		t.Fatalf("the line says %q", got)
	}
	h.Clock.Advance(45 * time.Second)
	l.Update(common.TickMsg(h.Clock.Now()))
	if got := l.View(); !strings.Contains(got, "again in 45s.") {
		t.Fatalf("after 45s the line says %q", got)
	}
	h.Clock.Advance(45 * time.Second)
	l.Update(common.TickMsg(h.Clock.Now()))
	if got := l.View(); got != "Scan a voucher." || l.Text() != "" {
		t.Fatalf("once the words say nothing the line says %q", got)
	}

	l.AnnounceLive(common.Failure, func(now time.Time) string { return "Live at " + now.Format("15:04:05") })
	l.Announce(common.Failure, "Voucher AD......0888 has been used up.")
	h.Clock.Advance(time.Second)
	l.Update(common.TickMsg(h.Clock.Now()))
	if got := l.View(); !strings.Contains(got, "used up") {
		t.Fatalf("a tick reworded an announcement said over: %q", got)
	}
}

// An announcement wraps to the width, at most three lines, the lines after
// the first indented under its text, and an ellipsis where it was cut.
func TestWrapsToThreeLines(t *testing.T) {
	l, _ := newLine(t)
	l.SetSize(40, 0)
	l.Announce(common.Failure, "Voucher AD......0888 has been used up: it pays for nothing more. Take payment for the tickets.")
	lines := strings.Split(l.View(), "\n")
	if len(lines) != 3 || l.Height(40) != 3 || !strings.HasPrefix(lines[0], "✗ Voucher") {
		t.Fatalf("wrapped:\n%s", l.View())
	}
	for _, line := range lines[1:] {
		if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
			t.Errorf("a continuation is not indented under the text: %q", line)
		}
	}
	l.Announce(common.Failure, strings.Repeat("Nothing was sent. ", 20))
	lines = strings.Split(l.View(), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[2], "…") {
		t.Fatalf("a long text:\n%s", l.View())
	}
	// Every width: no line wider than the line's width.
	for w := 20; w <= 120; w++ {
		l.SetSize(w, 0)
		for _, text := range []string{strings.Repeat("word ", 60), strings.Repeat("abcdefghij ", 40), strings.Repeat("x", 400)} {
			l.Announce(common.Failure, text)
			for _, line := range strings.Split(l.View(), "\n") {
				if lipgloss.Width(line) > w {
					t.Fatalf("width %d: a line of %d columns: %q", w, lipgloss.Width(line), line)
				}
			}
		}
	}
}

// Every message docs/messages.md lists is said whole on a line 78 columns
// wide (an 80-column screen's), no word lost and no line too wide.
func TestEveryDocumentedMessageFitsAt80Columns(t *testing.T) {
	doc, err := os.ReadFile("../../docs/messages.md")
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile("`([^`]+)`")
	var msgs []string
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "| `") {
			first := strings.SplitN(line[1:], " | ", 2)[0]
			for _, m := range quoted.FindAllStringSubmatch(first, -1) {
				msgs = append(msgs, m[1])
			}
		}
	}
	if len(msgs) < 100 {
		t.Fatalf("found %d messages in docs/messages.md; the table format changed?", len(msgs))
	}
	l, _ := newLine(t)
	l.SetSize(78, 0)
	for _, msg := range msgs {
		l.Announce(common.Failure, msg)
		lines := strings.Split(l.View(), "\n")
		for _, line := range lines {
			if w := lipgloss.Width(line); w > 78 {
				t.Errorf("a line of %q is %d columns wide: %q", msg, w, line)
			}
		}
		said := strings.TrimPrefix(strings.Join(lines, " "), "✗ ")
		if got, want := strings.Join(strings.Fields(said), " "), strings.Join(strings.Fields(msg), " "); got != want {
			t.Errorf("at 80 columns the line says\n  %q\nof\n  %q", got, want)
		}
	}
}

// With nothing to say the line shows the hint, or that calls are under way;
// a call's own announcement turns with the spinner.
func TestHintAndWorking(t *testing.T) {
	l, h := newLine(t)
	l.SetHint("Scan a voucher, or F4 for tickets.", false)
	if got := l.View(); got != "Scan a voucher, or F4 for tickets." || l.Height(78) != 1 {
		t.Fatalf("idle: %q", got)
	}
	l.SetHint("Scan a voucher, or F4 for tickets.", true)
	frame := h.Ctx.Spinner.Frame()
	if got := l.View(); got != frame+" Working…" {
		t.Fatalf("busy: %q", got)
	}
	cmd := l.Busy("Attaching AD......0111…")
	if _, ok := commontest.Find[common.SpinMsg](cmd); !ok {
		t.Fatal("Busy does not turn the spinner")
	}
	if got := l.View(); got != frame+" Attaching AD......0111…" {
		t.Fatalf("a call under way: %q", got)
	}
	h.Ctx.Spinner.Tick(h.Ctx, true)
	l.Update(common.SpinMsg{})
	if got := l.View(); got != h.Ctx.Spinner.Frame()+" Attaching AD......0111…" || h.Ctx.Spinner.Frame() == frame {
		t.Fatalf("the spinner did not turn on the line: %q", got)
	}
	l.Clear()
	if got := l.View(); !strings.HasSuffix(got, " Working…") {
		t.Fatalf("cleared while busy: %q", got)
	}
	if l.ShortHelp() != nil || l.FullHelp() != nil {
		t.Fatal("the line has keys of its own")
	}
}
