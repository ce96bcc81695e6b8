package ui

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// documentedMessages is every message docs/messages.md lists: the quoted
// texts of its tables' first column.
func documentedMessages(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile("../docs/messages.md")
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile("`([^`]+)`")
	var out []string
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line[1:], " | ", 2)[0]
		for _, m := range quoted.FindAllStringSubmatch(first, -1) {
			out = append(out, m[1])
		}
	}
	if len(out) < 100 {
		t.Fatalf("found %d messages in docs/messages.md; the table format changed?", len(out))
	}
	return out
}

// Every documented message, said on the status line of an 80x24 screen,
// wraps onto lines of 80 columns and loses no word.
func TestEveryMessageFitsAt80Columns(t *testing.T) {
	base := loadedModel(PinAsk, time.Now)
	next, _ := base.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	base = next.(Model)
	for _, msg := range documentedMessages(t) {
		m := base
		m.status = newStatusLine()
		m.announce(statusFailure, msg)
		lines := strings.Split(m.View(), "\n")
		start := -1
		for i, l := range lines {
			if strings.HasPrefix(l, " ✗ ") {
				start = i
			}
		}
		if start < 0 {
			t.Errorf("%q is not on the screen:\n%s", msg, m.View())
			continue
		}
		said := []string{strings.TrimPrefix(lines[start], " ✗ ")}
		for _, l := range lines[start+1:] {
			if !strings.HasPrefix(l, "   ") {
				break
			}
			said = append(said, l)
		}
		for _, l := range said {
			if w := len([]rune(l)); w > 80 {
				t.Errorf("a line of %q is %d columns wide: %q", msg, w, l)
			}
		}
		if got, want := strings.Join(strings.Fields(strings.Join(said, " ")), " "), strings.Join(strings.Fields(msg), " "); got != want {
			t.Errorf("at 80 columns the screen says\n  %q\nof\n  %q", got, want)
		}
	}
}

// A window too small for the counter says so in full, wrapped to its width.
func TestTooSmallWindowSaysItInFull(t *testing.T) {
	next, _ := loadedModel(PinAsk, time.Now).Update(tea.WindowSizeMsg{Width: 30, Height: 10})
	view := next.(Model).View()
	for _, l := range strings.Split(view, "\n") {
		if len([]rune(l)) > 30 {
			t.Errorf("line %q is wider than the window", l)
		}
	}
	if got := strings.Join(strings.Fields(view), " "); got != "boxoffice needs at least 40x12 (this window is 30x10)." {
		t.Fatalf("the window says %q", got)
	}
}

// A failed scan's reason is never cut, and a showtime the server names by
// its id is named as the form names it.
func TestFailedReasonsAreWrappedAndNamed(t *testing.T) {
	m := withFailedScans(0)
	m.rememberShowtime(paperMoons(), paperMoonsRelated())
	m.addFailed(failedScan{barcode: "ADTMM0000222", vtype: "Ticket", reason: "it needs its PIN; 2 attempt(s) left before it is blocked"})
	m.addFailed(failedScan{barcode: "ADTMM0000111", vtype: "Ticket", reason: "it cannot pay for any ticket of showtime 0001-2690"})
	said := strings.Join(strings.Fields(m.View()), " ")
	for _, want := range []string{"2 attempt(s) left before it is blocked", "cannot pay for any ticket of showtime 20:10 Paper Moons"} {
		if !strings.Contains(said, want) {
			t.Errorf("the screen lacks %q:\n%s", want, m.View())
		}
	}
}

// paperMoons is the demo's 20:10 showtime whose ticket types take no voucher.
func paperMoons() api.Showtime {
	return api.Showtime{ID: "0001-2690", FilmID: "HO00000102", SiteID: "0001",
		Schedule: api.Schedule{StartsAt: api.Timestamp{Time: time.Date(2026, 11, 28, 20, 10, 0, 0, time.FixedZone("", 13*3600))}}}
}

func paperMoonsRelated() api.ShowtimeRelatedData {
	return api.ShowtimeRelatedData{Films: []api.Film{{ID: "HO00000102", Title: "Paper Moons"}}}
}
