package common_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func TestWords(t *testing.T) {
	now := commontest.Start
	tests := []struct{ got, want string }{
		{common.ShortID("3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"), "3f9c2a7b…4a86"},
		{common.ShortID("ORD-12"), "ORD-12"},
		{common.UntilText(now.Add(42*time.Second), now), "in 42s"},
		{common.UntilText(now.Add(125*time.Second), now), "in 2m05s"},
		{common.UntilText(now.Add(400*time.Millisecond), now), "now"},
		{common.Countdown(29*time.Minute + 59*time.Second), "29:59"},
		{common.Countdown(3*time.Hour + 2*time.Minute + time.Second), "3:02:01"},
		{common.Countdown(-time.Second), "00:00"},
		{common.Money(12), "12.00"},
		{common.Plural(1, "ticket"), "1 ticket"},
		{common.Plural(2, "ticket"), "2 tickets"},
		{common.UpperFirst("voucher"), "Voucher"},
		{common.OrDefault("", "none"), "none"},
		{common.Fit("Adult Movie Money", 10), "Adult Mov…"},
		{common.Fit("Adult", 10), "Adult"},
		{common.Fit("◂ 12 ▸ · ", 5), "◂ 12…"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: %q, want %q", i, tt.got, tt.want)
		}
	}
	if !common.Passed(now.Add(400*time.Millisecond), now) || common.Passed(now.Add(600*time.Millisecond), now) {
		t.Error("Passed does not count at the second shown")
	}
	if got := common.Wrap("one two three four", 9); strings.Join(got, "|") != "one two|three|four" {
		t.Errorf("Wrap: %q", got)
	}
	if got := common.Pad([]string{"a", "b", "c"}, 2); len(got) != 2 {
		t.Errorf("Pad cuts to %d", len(got))
	}
	if got := common.Pad([]string{"a"}, 3); strings.Join(got, "|") != "a||" {
		t.Errorf("Pad adds %q", got)
	}
}

func TestKinds(t *testing.T) {
	symbols := map[common.Kind]string{common.Info: "·", common.Success: "✓", common.Failure: "✗", common.Warning: "!", common.Busy: "…"}
	for k, s := range symbols {
		if k.Symbol() != s {
			t.Errorf("kind %d: %q, want %q", k, k.Symbol(), s)
		}
		if k.IsOutcome() != (k == common.Success || k == common.Failure || k == common.Warning) {
			t.Errorf("kind %d: IsOutcome %v", k, k.IsOutcome())
		}
	}
}

type item string

func (i item) FilterValue() string { return string(i) }

// A selection list draws a line a row with the part's own function, and
// says which rows it shows when not all fit.
func TestListHelpers(t *testing.T) {
	l := common.NewList(func(w io.Writer, _ int, it list.Item, selected bool) {
		fmt.Fprint(w, common.Marker(selected)+string(it.(item)))
	})
	var items []list.Item
	for i := range 10 {
		items = append(items, item(fmt.Sprintf("row %d", i)))
	}
	l.SetItems(items)
	l.SetSize(20, 4)
	if got := common.Showing(l); got != "showing 1–4 of 10" {
		t.Fatalf("Showing: %q", got)
	}
	l.Select(9)
	if got := common.Showing(l); got != "showing 9–10 of 10" {
		t.Fatalf("Showing at the end: %q", got)
	}
	if view := l.View(); !strings.Contains(view, "> row 9") || !strings.Contains(view, "  row 8") || strings.Contains(view, "row 7") {
		t.Fatalf("the list:\n%s", view)
	}
	l.SetSize(20, 10)
	if got := common.Showing(l); got != "" {
		t.Fatalf("all shown, yet %q", got)
	}
}

// The spinner turns one chain of ticks at a time, through the context's
// timers, and stops when nothing is busy.
func TestSpinner(t *testing.T) {
	h := commontest.New()
	sp := h.Ctx.Spinner
	first := sp.Frame()
	if sp.Start(h.Ctx) == nil || sp.Start(h.Ctx) != nil {
		t.Fatal("Start armed no tick, or a second chain")
	}
	if sp.Tick(h.Ctx, true) == nil || sp.Frame() == first {
		t.Fatal("a busy tick did not turn the spinner")
	}
	if sp.Tick(h.Ctx, false) != nil || sp.Start(h.Ctx) == nil {
		t.Fatal("an idle tick did not stop the chain")
	}
	if n := len(h.Timers.All()); n != 3 {
		t.Fatalf("%d timers", n)
	}
	tick := h.Ctx.ClockTick()
	if msgs := commontest.Messages(tick); len(msgs) != 1 || !common.IsClockDue(msgs[0]) {
		t.Fatalf("the clock's tick: %v", msgs)
	}
	if due := h.Timers.All()[3]; due.Due.Sub(due.Armed) != time.Second {
		t.Fatalf("the clock ticks every %s", due.Due.Sub(due.Armed))
	}
	if a, ok := commontest.Find[common.AnnounceMsg](common.Announce(common.Failure, "No.")); !ok || a.Kind != common.Failure || a.Text != "No." {
		t.Fatalf("Announce: %+v", a)
	}
}
