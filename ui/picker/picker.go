// Package picker is the showtime picker: a site's showtimes of one business
// date, for an order that has none yet. ←/→ change the day; F7 takes the
// selected showtime, which opens the tickets panel on it.
package picker

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// ListMsg asks the counter to read the site's showtimes of a date; its
// answer goes to SetList.
type ListMsg struct {
	SiteID, Date string
	Seq          int
}

// TakeMsg says the operator took a showtime (F7).
type TakeMsg struct {
	Showtime api.Showtime
	Related  api.ShowtimeRelatedData
}

type item struct{ api.Showtime }

func (i item) FilterValue() string { return i.ID }

// Picker is the showtime picker.
type Picker struct {
	ctx    *common.Context
	keys   keyMap
	siteID string
	site   string
	// day is the business date, at midnight in the site's offset.
	day     time.Time
	seq     int
	loading bool
	err     error
	related api.ShowtimeRelatedData
	list    list.Model
	// note explains a day the picker chose for the operator.
	note string
	// knownDays are days with showtimes the counter has seen at the site,
	// for a day without any; triedFallback is set once one was tried.
	knownDays     []time.Time
	triedFallback bool
	// want is the showtime to select once the list is read: the one chosen
	// before, else the next to start.
	want  string
	width int
}

// New opens a picker on a day at a site (siteName names it); want is the
// showtime chosen before, "" for none.
func New(ctx *common.Context, siteID, siteName string, day time.Time, knownDays []time.Time, want string) *Picker {
	p := &Picker{ctx: ctx, keys: newKeyMap(), siteID: siteID, site: siteName, day: day, knownDays: knownDays, want: want}
	p.list = common.NewList(p.drawRow)
	p.SetSize(78, 10)
	return p
}

// Load asks for the day's showtimes.
func (p *Picker) Load() tea.Cmd {
	p.loading, p.err = true, nil
	p.seq++
	return tea.Batch(common.Intent(ListMsg{SiteID: p.siteID, Date: p.day.Format(time.DateOnly), Seq: p.seq}), p.ctx.Spinner.Start(p.ctx))
}

// Loading reports whether the list is being read.
func (p *Picker) Loading() bool { return p.loading }

// Failed reports whether the last read failed, so that F5 tries again.
func (p *Picker) Failed() bool { return p.err != nil }

// SetList takes the answer to the ListMsg numbered seq.
func (p *Picker) SetList(seq int, resp *api.ShowtimesResponse, err error) tea.Cmd {
	if seq != p.seq {
		return nil
	}
	p.loading = false
	if err != nil {
		p.err = err
		return nil
	}
	shows := append([]api.Showtime(nil), resp.Showtimes...)
	sort.SliceStable(shows, func(i, j int) bool { return shows[i].Schedule.StartsAt.Before(shows[j].Schedule.StartsAt.Time) })
	if len(shows) == 0 && !p.triedFallback {
		p.triedFallback = true
		if day, ok := p.nearestKnownDay(); ok {
			p.note = "No showtimes on " + p.day.Format("Mon 2 Jan") + "; showing " + day.Format("Mon 2 Jan") + ", the nearest day with showtimes seen at this site."
			p.day = day
			return p.Load()
		}
	}
	p.related = resp.RelatedData
	items := make([]list.Item, len(shows))
	pick, now := -1, p.ctx.Now()
	for i, st := range shows {
		items[i] = item{st}
		if st.ID == p.want {
			pick = i
		}
	}
	if pick < 0 {
		// The next showtime to start, not the day's first, which may have
		// started hours ago.
		for i, st := range shows {
			if !st.Schedule.StartsAt.Before(now) {
				pick = i
				break
			}
		}
	}
	p.list.SetItems(items)
	p.list.Select(max(pick, 0))
	return nil
}

func (p *Picker) nearestKnownDay() (time.Time, bool) {
	var best time.Time
	found := false
	for _, d := range p.knownDays {
		if d.Equal(p.day) {
			continue
		}
		if !found || abs(d.Sub(p.day)) < abs(best.Sub(p.day)) {
			best, found = d, true
		}
	}
	return best, found
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// Update takes the picker's keys.
func (p *Picker) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, p.keys.Up):
		p.list.CursorUp()
	case key.Matches(k, p.keys.Down):
		p.list.CursorDown()
	case key.Matches(k, p.keys.Left):
		return p.moveDay(-1)
	case key.Matches(k, p.keys.Right):
		return p.moveDay(1)
	case key.Matches(k, p.keys.Take):
		if p.loading {
			return nil
		}
		it := p.list.SelectedItem()
		if it == nil {
			return common.Announce(common.Failure, "There is no showtime to take on "+p.day.Format("Mon 2 Jan")+". ←/→ changes the day.")
		}
		return common.Intent(TakeMsg{Showtime: it.(item).Showtime, Related: p.related})
	}
	return nil
}

func (p *Picker) moveDay(delta int) tea.Cmd {
	p.day = p.day.AddDate(0, 0, delta)
	p.note = ""
	p.triedFallback = true
	p.list.SetItems(nil)
	return p.Load()
}

// SetSize gives the picker its lines.
func (p *Picker) SetSize(width, height int) {
	p.width = width
	p.list.SetSize(width, max(height-p.headLines()-1, 1))
}

func (p *Picker) headLines() int { return 1 + len(p.noteLines()) }

// noteLines is the note wrapped to the width: it explains a day the
// operator did not choose, and is not to be cut.
func (p *Picker) noteLines() []string {
	if p.note == "" {
		return nil
	}
	return common.Wrap(p.note, p.width)
}

// Want is how many lines the picker would like.
func (p *Picker) Want() int { return p.headLines() + 1 + max(len(p.list.Items()), 1) }

// View draws the picker.
func (p *Picker) View() string {
	s := p.ctx.Styles
	head := s.Title.Render("Pick a showtime · "+p.day.Format("Mon 2 Jan 2006")+" · "+p.site) + s.Muted.Render("  ←/→ day")
	lines := []string{head}
	for _, line := range p.noteLines() {
		lines = append(lines, s.Muted.Render(line))
	}
	switch {
	case p.loading:
		lines = append(lines, p.ctx.Spinner.Frame()+" Loading showtimes…")
	case p.err != nil:
		lines = append(lines, s.Failure.Render("✗ The showtimes could not be read. F5 tries again."))
	case len(p.list.Items()) == 0:
		lines = append(lines, s.Muted.Render("No showtimes at "+p.site+" on "+p.day.Format("Mon 2 Jan")+". ←/→ changes the day."))
	default:
		if showing := common.Showing(p.list); showing != "" {
			lines[0] += s.Muted.Render("  " + showing)
		}
		lines = append(lines, p.list.View(), s.Muted.Render("F7 takes the selected showtime · esc closes"))
	}
	for i := range lines {
		if !strings.Contains(lines[i], "\n") {
			lines[i] = common.Fit(lines[i], p.width)
		}
	}
	return strings.Join(lines, "\n")
}

func (p *Picker) drawRow(w io.Writer, _ int, it list.Item, selected bool) {
	st := it.(item).Showtime
	title := p.related.FilmTitle(st.FilmID)
	if title == "" {
		title = "Film " + st.FilmID
	}
	titleWidth := max(p.width-32, 12)
	row := fmt.Sprintf("%s%s  %-*s %s", common.Marker(selected), st.Schedule.StartsAt.Format("15:04"), titleWidth,
		ansi.Truncate(title, titleWidth, "…"), p.related.ScreenName(st.ScreenID))
	if st.Schedule.StartsAt.Before(p.ctx.Now()) {
		row += " (started)"
	}
	row = common.Fit(row, p.width)
	if selected {
		row = p.ctx.Styles.Selected.Render(row)
	}
	io.WriteString(w, row)
}

type keyMap struct{ Up, Down, Left, Right, Take, Close key.Binding }

func newKeyMap() keyMap {
	return keyMap{
		Up:    key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "row")),
		Down:  key.NewBinding(key.WithKeys("down")),
		Left:  key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "date")),
		Right: key.NewBinding(key.WithKeys("right")),
		Take:  key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "take showtime")),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
	}
}

// ShortHelp is the bar while the picker is open.
func (p *Picker) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Left, p.keys.Take, p.keys.Close}
}

// FullHelp lists the picker's keys.
func (p *Picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
