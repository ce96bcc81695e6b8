package picker

import (
	"errors"
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

// The site is in New Zealand, as the demo's: its business day is not UTC's.
var site = time.FixedZone("NZDT", 13*3600)

func day(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, site) }

func at(d, hour, minute int) api.Timestamp {
	return api.Timestamp{Time: time.Date(2026, 11, d, hour, minute, 0, 0, site)}
}

// showtimes is a day's showtimes, out of order as a server may send them.
func showtimes(d int) *api.ShowtimesResponse {
	return &api.ShowtimesResponse{
		Showtimes: []api.Showtime{
			{ID: "st-1930", FilmID: "f1", ScreenID: "s1", Schedule: api.Schedule{StartsAt: at(d, 19, 30)}},
			{ID: "st-1030", FilmID: "f2", ScreenID: "s2", Schedule: api.Schedule{StartsAt: at(d, 10, 30)}},
			{ID: "st-2010", FilmID: "f3", ScreenID: "s1", Schedule: api.Schedule{StartsAt: at(d, 20, 10)}},
			{ID: "st-1800", FilmID: "f4", ScreenID: "s3", Schedule: api.Schedule{StartsAt: at(d, 18, 0)}},
		},
		RelatedData: api.ShowtimeRelatedData{
			Films: []api.Film{{ID: "f1", Title: "The Long Night"}, {ID: "f2", Title: "Pip and the Paper Kite"},
				{ID: "f3", Title: "Paper Moons"}, {ID: "f4", Title: "The Lighthouse Keeper's Daughter"}},
			Screens: []api.Screen{{ID: "s1", Name: "Screen 1"}, {ID: "s2", Name: "Screen 2"}, {ID: "s3", Name: "Gold Lounge"}},
		},
	}
}

// newPicker opens a picker on the 28th at 19:00 at the site.
func newPicker(t *testing.T, known []time.Time, want string) (*Picker, *commontest.Harness) {
	t.Helper()
	h := commontest.New()
	h.Clock.Set(time.Date(2026, 11, 28, 19, 0, 0, 0, site))
	p := New(h.Ctx, "0001", "Riverside Cinema", day(28), known, want)
	p.SetSize(78, 10)
	return p, h
}

// load asks for the day's showtimes and returns the request.
func load(t *testing.T, cmd tea.Cmd) ListMsg {
	t.Helper()
	msg, ok := commontest.Find[ListMsg](cmd)
	if !ok {
		t.Fatal("no request for the showtimes")
	}
	return msg
}

func press(p *Picker, k tea.KeyType) tea.Cmd { return p.Update(tea.KeyMsg{Type: k}) }

func selected(t *testing.T, p *Picker) string {
	t.Helper()
	for _, line := range strings.Split(p.View(), "\n") {
		if strings.HasPrefix(line, "> ") {
			return line
		}
	}
	t.Fatalf("nothing selected:\n%s", p.View())
	return ""
}

// Sorted by start, each with its film and screen; those that started say
// so; the list opens on the next to start, not on the day's first.
func TestOpensOnTheNextToStart(t *testing.T) {
	p, h := newPicker(t, nil, "")
	cmd := p.Load()
	req := load(t, cmd)
	if req.SiteID != "0001" || req.Date != "2026-11-28" || !p.Loading() {
		t.Fatalf("request %+v", req)
	}
	if _, ok := commontest.Find[common.SpinMsg](cmd); !ok {
		t.Fatal("loading does not turn the spinner")
	}
	if got := strings.Split(p.View(), "\n")[1]; got != h.Ctx.Spinner.Frame()+" Loading showtimes…" {
		t.Fatalf("loading: %q", got)
	}
	p.SetList(req.Seq, showtimes(28), nil)
	lines := strings.Split(p.View(), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	for i, want := range []string{"10:30  Pip and the Paper Kite", "18:00  The Lighthouse Keeper's Daughter", "19:30  The Long Night", "20:10  Paper Moons"} {
		if !strings.Contains(lines[1+i], want) {
			t.Fatalf("row %d is %q, want %q:\n%s", i, lines[1+i], want, p.View())
		}
	}
	if !strings.HasSuffix(lines[1], "Screen 2 (started)") || !strings.HasSuffix(lines[2], "Gold Lounge (started)") || strings.Contains(lines[3], "started") {
		t.Fatalf("started marks:\n%s", p.View())
	}
	if got := selected(t, p); !strings.Contains(got, "19:30  The Long Night") {
		t.Fatalf("opens on %q, want the next to start", got)
	}
	msg, ok := commontest.Find[TakeMsg](press(p, tea.KeyF7))
	if !ok || msg.Showtime.ID != "st-1930" || msg.Related.FilmTitle("f1") != "The Long Night" {
		t.Fatalf("F7 takes %+v", msg)
	}
	press(p, tea.KeyDown)
	if msg, _ := commontest.Find[TakeMsg](press(p, tea.KeyF7)); msg.Showtime.ID != "st-2010" {
		t.Fatalf("↓ then F7 takes %s", msg.Showtime.ID)
	}
}

// The showtime chosen before is selected again, even one that started.
func TestOpensOnTheWantedShowtime(t *testing.T) {
	p, _ := newPicker(t, nil, "st-1030")
	p.SetList(load(t, p.Load()).Seq, showtimes(28), nil)
	if got := selected(t, p); !strings.Contains(got, "10:30") {
		t.Fatalf("opens on %q, want the one chosen before", got)
	}
}

// ←/→ ask for the day before or after; an answer to an older request is
// let be.
func TestArrowsChangeTheDay(t *testing.T) {
	p, _ := newPicker(t, nil, "")
	first := load(t, p.Load())
	next := load(t, press(p, tea.KeyRight))
	if next.Date != "2026-11-29" || next.Seq == first.Seq || !p.Loading() {
		t.Fatalf("→ asks for %+v", next)
	}
	if p.SetList(first.Seq, showtimes(28), nil); !p.Loading() {
		t.Fatal("an older answer was taken")
	}
	p.SetList(next.Seq, showtimes(29), nil)
	if !strings.HasPrefix(p.View(), "Pick a showtime · Sun 29 Nov 2026 · Riverside Cinema  ←/→ day") {
		t.Fatalf("the title:\n%s", p.View())
	}
	if got := selected(t, p); !strings.Contains(got, "10:30") || strings.Contains(p.View(), "started") {
		t.Fatalf("tomorrow opens on %q:\n%s", got, p.View())
	}
	back := load(t, press(p, tea.KeyLeft))
	if back.Date != "2026-11-28" {
		t.Fatalf("← asks for %s", back.Date)
	}
	if press(p, tea.KeyF7) != nil {
		t.Fatal("F7 while loading takes something")
	}
}

// A day without showtimes falls back once to the nearest day with
// showtimes seen at the site, and says so.
func TestFallsBackToTheNearestKnownDay(t *testing.T) {
	p, _ := newPicker(t, []time.Time{day(20), day(28), day(30), day(27)}, "")
	first := load(t, p.Load())
	again := load(t, p.SetList(first.Seq, &api.ShowtimesResponse{}, nil))
	if again.Date != "2026-11-27" {
		t.Fatalf("falls back to %s, want the 27th", again.Date)
	}
	p.SetList(again.Seq, showtimes(27), nil)
	p.SetSize(78, 10)
	view := p.View()
	said := strings.Join(strings.Fields(view), " ")
	if !strings.Contains(view, "Fri 27 Nov 2026") || !strings.Contains(said, "No showtimes on Sat 28 Nov; showing Fri 27 Nov, the nearest day with showtimes seen at this site.") {
		t.Fatalf("after the fallback:\n%s", view)
	}
	if n := len(strings.Split(view, "\n")); n != 10 {
		t.Fatalf("%d lines in 10 with the note:\n%s", n, view)
	}
	// Asked by the operator, an empty day stays and says so.
	req := load(t, press(p, tea.KeyLeft))
	if p.SetList(req.Seq, &api.ShowtimesResponse{}, nil) != nil {
		t.Fatal("an empty day the operator chose fell back")
	}
	if !strings.Contains(p.View(), "No showtimes at Riverside Cinema on Thu 26 Nov. ←/→ changes the day.") || strings.Contains(p.View(), "nearest") {
		t.Fatalf("an empty day:\n%s", p.View())
	}
	announced, text := commontest.Announced(press(p, tea.KeyF7))
	if announced != common.Failure || text != "There is no showtime to take on Thu 26 Nov. ←/→ changes the day." {
		t.Fatalf("F7 on an empty day: %q", text)
	}
}

func TestFailedRead(t *testing.T) {
	p, _ := newPicker(t, nil, "")
	p.SetList(load(t, p.Load()).Seq, nil, errors.New("timeout"))
	if !p.Failed() || p.Loading() || !strings.Contains(p.View(), "✗ The showtimes could not be read. F5 tries again.") {
		t.Fatalf("a failed read:\n%s", p.View())
	}
	p.SetList(load(t, p.Load()).Seq, showtimes(28), nil)
	if p.Failed() {
		t.Fatal("still failed after a good read")
	}
}

// The picker keeps to its width, and asks for a line a showtime.
func TestPickerSize(t *testing.T) {
	p, _ := newPicker(t, nil, "")
	p.SetList(load(t, p.Load()).Seq, showtimes(28), nil)
	if p.Want() != 1+1+4 {
		t.Fatalf("Want %d", p.Want())
	}
	for _, w := range []int{38, 50, 78} {
		p.SetSize(w, 10)
		for _, line := range strings.Split(p.View(), "\n") {
			if lipgloss.Width(line) > w {
				t.Errorf("width %d: a line of %d columns: %q", w, lipgloss.Width(line), line)
			}
		}
	}
	p.SetSize(90, 4)
	if !strings.HasSuffix(strings.Split(p.View(), "\n")[0], "showing 3–4 of 4") {
		t.Fatalf("two rows of four:\n%s", p.View())
	}
	// Typed text (a scanner's, going to the form) changes nothing here.
	view := p.View()
	for _, r := range "jkhlgGq/ 1" {
		if p.Update(commontest.Runes(string(r))) != nil || p.View() != view {
			t.Fatalf("typing %q acted on the picker", r)
		}
	}
}

func TestPickerGolden(t *testing.T) {
	p, _ := newPicker(t, nil, "")
	p.SetList(load(t, p.Load()).Seq, showtimes(28), nil)
	golden.RequireEqual(t, []byte(p.View()))
}
