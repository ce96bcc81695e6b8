package outcomes

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	// The list shows the time of day in the machine's zone.
	time.Local = time.UTC
	os.Exit(m.Run())
}

func newList(t *testing.T, long bool) (*List, *commontest.Harness) {
	t.Helper()
	h := commontest.New()
	return New(h.Ctx, long), h
}

// addEvery lists n outcomes a minute apart, "outcome 1" the oldest.
func addEvery(l *List, h *commontest.Harness, n int) {
	for i := range n {
		h.Clock.Advance(time.Minute)
		l.Add(common.Success, fmt.Sprintf("outcome %d", i+1))
	}
}

func lines(l *List) []string { return strings.Split(l.View(), "\n") }

// The newest outcomes, oldest first under the rule, as many as the rows
// given, each with its time and symbol.
func TestNewestLastInTheRowsGiven(t *testing.T) {
	l, h := newList(t, false)
	l.SetSize(60, 4)
	if got := l.View(); got != strings.Repeat("─", 60) || l.Want() != 1 {
		t.Fatalf("empty: %q (want %d)", got, l.Want())
	}
	h.Clock.Advance(time.Minute)
	l.Add(common.Success, "Attached AD......0444 (Adult Movie Money): 2 remaining")
	h.Clock.Advance(time.Minute)
	l.Add(common.Failure, "Voucher AD......0888 has been used up.\nTake payment for the tickets.")
	h.Clock.Advance(time.Minute)
	l.Add(common.Warning, "Voucher AD......0444 was scanned twice; it is sent once.")
	h.Clock.Advance(time.Minute)
	l.Add(common.Success, "Attached AD......1001 (Adult Movie Money): 1 remaining")
	want := []string{
		"── Last outcomes · ctrl+l more ─────────────────────────────",
		"18:02:00 ✗ Voucher AD......0888 has been used up.",
		"18:03:00 ! Voucher AD......0444 was scanned twice; it is se…",
		"18:04:00 ✓ Attached AD......1001 (Adult Movie Money): 1 rem…",
	}
	if got := lines(l); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the list:\n%s\nwant:\n%s", l.View(), strings.Join(want, "\n"))
	}
	for _, line := range lines(l) {
		if w := lipgloss.Width(line); w != 60 && !strings.HasPrefix(line, "18:02") {
			t.Errorf("a line of %d columns: %q", w, line)
		}
	}
	if l.Want() != 4 {
		t.Fatalf("Want %d with 4 outcomes, want the rule and 3", l.Want())
	}
	l.SetSize(60, 2)
	if got := lines(l); len(got) != 2 || !strings.Contains(got[1], "AD......1001") {
		t.Fatalf("one row:\n%s", l.View())
	}
}

// ctrl+l lists up to twelve, and again three; the rule says which.
func TestCtrlLShowsMoreAndFewer(t *testing.T) {
	l, h := newList(t, false)
	addEvery(l, h, 20)
	if l.Want() != 1+ShortRows || l.Long() {
		t.Fatalf("short: Want %d", l.Want())
	}
	l.Update(tea.KeyMsg{Type: tea.KeyCtrlL})
	if !l.Long() || l.Want() != 1+LongRows {
		t.Fatalf("long: Want %d", l.Want())
	}
	l.SetSize(78, l.Want())
	got := lines(l)
	if !strings.Contains(got[0], "Last outcomes · ctrl+l fewer") || len(got) != 13 ||
		!strings.Contains(got[1], "outcome 9") || !strings.Contains(got[12], "outcome 20") {
		t.Fatalf("long:\n%s", l.View())
	}
	l.Update(tea.KeyMsg{Type: tea.KeyCtrlL})
	l.SetSize(78, l.Want())
	if got := lines(l); !strings.Contains(got[0], "ctrl+l more") || len(got) != 4 || !strings.Contains(got[1], "outcome 18") {
		t.Fatalf("short again:\n%s", l.View())
	}
	// Another key does nothing.
	l.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	if l.Long() {
		t.Fatal("ctrl+r toggled the list")
	}
	// Started long, as the last customer left it.
	long, _ := newList(t, true)
	if !long.Long() {
		t.Fatal("a list started long is short")
	}
}

// Two hundred outcomes are kept, the newest.
func TestKeepsTheNewest200(t *testing.T) {
	l, h := newList(t, true)
	addEvery(l, h, 250)
	if l.Len() != 200 {
		t.Fatalf("%d kept", l.Len())
	}
	l.SetSize(78, 201)
	got := lines(l)
	if len(got) != 201 || !strings.HasSuffix(got[1], "✓ outcome 51") || !strings.HasSuffix(got[200], "✓ outcome 250") {
		t.Fatalf("kept from %q to %q", got[1], got[len(got)-1])
	}
	if texts := l.Texts(); len(texts) != 200 || texts[0] != "outcome 51" || texts[199] != "outcome 250" {
		t.Fatalf("Texts gives %d, from %q", len(texts), texts[0])
	}
}

func TestOutcomesGolden(t *testing.T) {
	l, h := newList(t, false)
	l.SetSize(78, 4)
	for _, o := range []struct {
		kind common.Kind
		text string
	}{
		{common.Success, "Attached AD......0444 (Adult Movie Money): 2 remaining"},
		{common.Failure, "Voucher AD......0888 has been used up: it pays for nothing more. Take payment for the tickets."},
		{common.Warning, "Voucher AD......0444 was scanned twice; it is sent once."},
	} {
		h.Clock.Advance(37 * time.Second)
		l.Add(o.kind, o.text)
	}
	golden.RequireEqual(t, []byte(l.View()))
}

func TestOutcomeKeys(t *testing.T) {
	l, _ := newList(t, false)
	if l.ShortHelp() != nil || len(l.FullHelp()) != 1 || l.FullHelp()[0][0].Keys()[0] != "ctrl+l" {
		t.Fatalf("keys: %v", l.FullHelp())
	}
}
