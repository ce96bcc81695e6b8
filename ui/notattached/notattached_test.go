package notattached

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

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

func because(reason string) func(time.Time) string { return func(time.Time) string { return reason } }

// scans is n refused scans, ADTMM0000900 the oldest.
func scans(n int) []Item {
	out := make([]Item, n)
	for i := range out {
		barcode := fmt.Sprintf("ADTMM0000%03d", 900+i)
		out[i] = Item{Key: barcode, Masked: api.MaskBarcode(barcode), Type: api.VoucherTicket, Reason: because("it has been used up")}
	}
	return out
}

func newList(t *testing.T, items []Item, dropped, width, height int) (*List, *commontest.Harness) {
	t.Helper()
	h := commontest.New()
	l := New(h.Ctx)
	l.SetItems(items, dropped)
	l.SetSize(width, height)
	return l, h
}

func press(l *List, k tea.KeyType) tea.Cmd { return l.Update(tea.KeyMsg{Type: k}) }

// trimmed is the list's lines without the padding after them.
func trimmed(l *List) []string {
	lines := strings.Split(l.View(), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// words is the list's text with its lines joined, as one reads it.
func words(l *List) string { return strings.Join(strings.Fields(l.View()), " ") }

// fits checks the list draws no more lines than it was given, none wider.
func fits(t *testing.T, l *List, width, height int) {
	t.Helper()
	lines := strings.Split(l.View(), "\n")
	if len(lines) > height {
		t.Fatalf("%d lines in %d:\n%s", len(lines), height, l.View())
	}
	for _, line := range lines {
		if w := lipgloss.Width(line); w > width {
			t.Fatalf("a line of %d columns in %d: %q", w, width, line)
		}
	}
}

// Newest first, each with why; the title says how many and what to do.
func TestNewestFirst(t *testing.T) {
	l, _ := newList(t, scans(3), 0, 78, 10)
	want := strings.Join([]string{
		"Not attached (3) · ctrl+r: newest · ↓ past the vouchers: pick",
		"  ✗ AD......0902 Ticket: it has been used up",
		"  ✗ AD......0901 Ticket: it has been used up",
		"  ✗ AD......0900 Ticket: it has been used up",
	}, "\n")
	if got := strings.Join(trimmed(l), "\n"); got != want {
		t.Fatalf("the list:\n%s\nwant:\n%s", got, want)
	}
	empty, _ := newList(t, nil, 0, 78, 10)
	if want, least := empty.Want(); empty.View() != "" || want != 0 || least != 0 {
		t.Fatalf("empty: %q, want %d least %d", empty.View(), want, least)
	}
}

// A reason is what the operator acts on: wrapped, never cut, the lines
// after the first indented under the scan.
func TestReasonsWrappedNeverCut(t *testing.T) {
	reason := "it cannot pay for any ticket of showtime 20:10 Paper Moons, whose ticket types take no voucher; 2 attempt(s) left before it is blocked"
	items := []Item{{Key: "ADTMM0000111", Masked: "AD......0111", Type: api.VoucherTicket, Reason: because(reason)}}
	for _, w := range []int{38, 50, 78, 120} {
		l, _ := newList(t, items, 0, w, 20)
		fits(t, l, w, 20)
		lines := trimmed(l)
		for len(lines) > 0 && !strings.Contains(lines[0], "✗") {
			lines = lines[1:] // the title
		}
		for _, line := range lines[1:] {
			if !strings.HasPrefix(line, "    ") {
				t.Errorf("width %d: a continuation not indented: %q", w, line)
			}
		}
		said := strings.Join(strings.Fields(strings.Join(lines, " ")), " ")
		if !strings.HasSuffix(said, reason) || strings.Contains(said, "…") {
			t.Errorf("width %d: the reason reads %q", w, said)
		}
		if want, least := l.Want(); want != len(trimmed(l)) || least != want {
			t.Errorf("width %d: Want %d least %d for %d lines", w, want, least, len(trimmed(l)))
		}
	}
}

// The title says how many scans are not shown and how many were let go;
// the list always has room for MinRows of them.
func TestTitleSaysWhatIsNotShown(t *testing.T) {
	l, _ := newList(t, scans(30), 5, 120, 4)
	fits(t, l, 120, 4)
	if got := trimmed(l)[0]; got != "Not attached (30, 27 not shown, 5 older no longer kept) · ctrl+r: newest · ↓ past the vouchers: pick" {
		t.Fatalf("the title: %q", got)
	}
	want, least := l.Want()
	if want != 31 || least != 1+MinRows {
		t.Fatalf("Want %d least %d", want, least)
	}
	// Narrower, the title wraps, never cut, and takes its lines from the
	// rows'.
	l.SetSize(60, 4)
	fits(t, l, 60, 4)
	if !strings.HasPrefix(words(l), "Not attached (30, 28 not shown, 5 older no longer kept) · ctrl+r: newest · ↓ past the vouchers: pick ✗") {
		t.Fatalf("at 60 columns:\n%s", l.View())
	}
	if _, least := l.Want(); least != 2+MinRows {
		t.Fatalf("least %d with a title of two lines", least)
	}
	want, _ = l.Want()
	l.SetSize(60, want)
	if strings.Contains(l.View(), "not shown") || !strings.Contains(l.View(), "AD......0900") {
		t.Fatalf("with all the room it wants:\n%s", l.View())
	}
}

// At every width and height the list draws no more than it was given.
func TestFitsItsSize(t *testing.T) {
	for _, w := range []int{38, 45, 60, 78} {
		for h := 1; h <= 8; h++ {
			l, _ := newList(t, scans(12), 3, w, h)
			fits(t, l, w, h)
			l.Focus()
			press(l, tea.KeyDown)
			fits(t, l, w, h)
		}
	}
}

// ↓ past the vouchers focuses the list on its newest scan; ↓ scrolls to
// the scans not shown, ↑ at the top leaves, and ctrl+r retries the one
// marked, else the newest.
func TestSelectionAndRetry(t *testing.T) {
	l, _ := newList(t, scans(30), 0, 78, 4)
	if _, ok := commontest.Find[RetryMsg](press(l, tea.KeyCtrlR)); !ok {
		t.Fatal("ctrl+r unfocused asks for nothing")
	}
	if msg, _ := commontest.Find[RetryMsg](press(l, tea.KeyCtrlR)); msg.Key != "ADTMM0000929" {
		t.Fatalf("ctrl+r unfocused retries %q, want the newest", msg.Key)
	}
	l.Focus()
	if !l.Focused() || !strings.Contains(l.View(), "> ✗ AD......0929") || !strings.Contains(l.View(), "ctrl+r retries the one marked >") {
		t.Fatalf("focused:\n%s", l.View())
	}
	for range 40 {
		press(l, tea.KeyDown)
	}
	if !strings.Contains(l.View(), "> ✗ AD......0900") {
		t.Fatalf("↓ did not reach the oldest:\n%s", l.View())
	}
	msg, _ := commontest.Find[RetryMsg](press(l, tea.KeyCtrlR))
	if msg.Key != "ADTMM0000900" || l.Focused() || strings.Contains(l.View(), ">") {
		t.Fatalf("ctrl+r on the oldest retries %q, focused %v", msg.Key, l.Focused())
	}

	l.Focus()
	press(l, tea.KeyDown)
	press(l, tea.KeyUp)
	if _, ok := commontest.Find[LeaveMsg](press(l, tea.KeyUp)); !ok || l.Focused() {
		t.Fatal("↑ at the top does not leave")
	}
	if strings.Contains(l.View(), ">") {
		t.Fatalf("a scan is marked after leaving:\n%s", l.View())
	}
	l.Focus()
	l.Blur()
	if msg, _ := commontest.Find[RetryMsg](press(l, tea.KeyCtrlR)); msg.Key != "ADTMM0000929" {
		t.Fatalf("after Blur ctrl+r retries %q", msg.Key)
	}

	// Fewer scans than the selection: it stays on the list.
	l.Focus()
	for range 10 {
		press(l, tea.KeyDown)
	}
	l.SetItems(scans(3), 0)
	if msg, _ := commontest.Find[RetryMsg](press(l, tea.KeyCtrlR)); msg.Key != "ADTMM0000900" {
		t.Fatalf("after the list shrank ctrl+r retries %q", msg.Key)
	}
	l.SetItems(nil, 0)
	l.Focus()
	if l.Focused() || press(l, tea.KeyCtrlR) != nil {
		t.Fatal("an empty list takes the focus or retries")
	}
}

// A block counts down in its reason, worded again at each tick.
func TestBlockCountsDown(t *testing.T) {
	h := commontest.New()
	until := h.Clock.Now().Add(2 * time.Minute)
	item := Item{Key: "ADTMM0000111", Masked: "AD......0111", Type: api.VoucherTicket, Reason: func(now time.Time) string {
		return "blocked after too many attempts; it can be tried again " + common.UntilText(until, now)
	}}
	l := New(h.Ctx)
	l.SetItems([]Item{item}, 0)
	l.SetSize(78, 3)
	if !strings.Contains(words(l), "tried again in 2m00s") {
		t.Fatalf("the block:\n%s", l.View())
	}
	h.Clock.Advance(75 * time.Second)
	l.Update(common.TickMsg(h.Clock.Now()))
	if !strings.Contains(words(l), "tried again in 45s") {
		t.Fatalf("after 75s:\n%s", l.View())
	}
}

func TestNotAttachedGolden(t *testing.T) {
	items := scans(4)
	items[1].Reason = because("not sent: the next scan came before its PIN")
	items[2].Reason = because("it cannot pay for any ticket of showtime 20:10 Paper Moons, whose ticket types take no voucher")
	l, _ := newList(t, items, 2, 78, 5)
	l.Focus()
	press(l, tea.KeyDown)
	golden.RequireEqual(t, []byte(l.View()))
}

func TestNotAttachedKeys(t *testing.T) {
	l, _ := newList(t, scans(1), 0, 78, 3)
	var keys []string
	for _, b := range l.ShortHelp() {
		keys = append(keys, b.Keys()...)
	}
	if strings.Join(keys, " ") != "down ctrl+r up" || l.FullHelp()[0][0].Keys()[0] != "ctrl+r" {
		t.Fatalf("keys: %v", keys)
	}
	// Typed text (a scanner's, going to the form) changes nothing here.
	l.Focus()
	view := l.View()
	for _, r := range "jkq/ 1" {
		if l.Update(commontest.Runes(string(r))) != nil || l.View() != view {
			t.Fatalf("typing %q acted on the list", r)
		}
	}
}
