package ui

import (
	"fmt"
	"sort"
	"time"

	"github.com/boxoffice/boxoffice/api"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// showtimePicker lists a site's showtimes for one business date, for an
// order that has none yet.
type showtimePicker struct {
	siteID string
	// day is the business date, at midnight in the site's offset.
	day     time.Time
	seq     int
	loading bool
	err     error
	list    []api.Showtime
	related api.ShowtimeRelatedData
	// note explains a day the screen chose for the operator.
	note          string
	triedFallback bool
	listCursor
}

func (p *showtimePicker) date() string { return p.day.Format(time.DateOnly) }

// Update moves the selection among the showtimes; ←/→ change the day, which
// is a new list to read (pickerDay).
func (p *showtimePicker) Update(msg tea.Msg) tea.Cmd {
	p.navigate(msg, len(p.list))
	return nil
}

// SetSize gives the picker its rows on screen; scroll keeps the selection
// in view in them.
func (p *showtimePicker) SetSize(rows int) {
	p.rows = rows
	p.scroll()
}

func (p *showtimePicker) scroll() { p.visible(p.rows, len(p.list)) }

// headLines is how many of the picker's lines come before its list.
func (p *showtimePicker) headLines() int {
	if p.note != "" {
		return 2
	}
	return 1
}

// siteZone is the site's UTC offset as its showtimes carry it; the counter's
// own zone until one has been seen.
func (m *Model) siteZone(siteID string) *time.Location {
	for _, st := range m.showtimes {
		if st.Showtime.SiteID == siteID && !st.Showtime.Schedule.StartsAt.IsZero() {
			return st.Showtime.Schedule.StartsAt.Location()
		}
	}
	return time.Local
}

func (m *Model) openPicker() tea.Cmd {
	site := m.order.SiteID
	now := m.now().In(m.siteZone(site))
	m.panel = panelPicker
	m.tickets = nil
	m.picker = &showtimePicker{siteID: site, day: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())}
	follow := m.listShowtimes()
	return follow
}

func (m *Model) listShowtimes() tea.Cmd {
	p := m.picker
	p.loading = true
	p.err = nil
	p.seq = m.nextOrderSeq()
	return tea.Batch(m.calls.listShowtimes(p.siteID, p.date(), p.seq), m.spin())
}

func (m *Model) pickerDay(delta int) tea.Cmd {
	p := m.picker
	p.day = p.day.AddDate(0, 0, delta)
	p.note = ""
	p.triedFallback = true
	p.list = nil
	p.selected, p.offset = 0, 0
	follow := m.listShowtimes()
	return follow
}

func (m *Model) handleShowtimesListed(msg showtimesListedMsg) tea.Cmd {
	p := m.picker
	if p == nil || msg.seq != p.seq {
		return nil
	}
	p.loading = false
	if msg.err != nil {
		p.err = msg.err
		return m.announce(statusFailure, describeError("Listing the showtimes of "+msg.date, msg.err, m.now())+" F5 tries again.")
	}
	list := append([]api.Showtime(nil), msg.resp.Showtimes...)
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].Schedule.StartsAt.Before(list[j].Schedule.StartsAt.Time)
	})
	if len(list) == 0 && !p.triedFallback {
		// The demo's showtimes are on fixed dates: go to the nearest date
		// with showtimes this screen has seen at the site.
		p.triedFallback = true
		if day, ok := m.nearestKnownDay(p.siteID, p.day); ok {
			p.note = "No showtimes on " + p.day.Format("Mon 2 Jan") + "; showing " + day.Format("Mon 2 Jan") + ", the nearest day with showtimes seen at this site."
			p.day = day
			follow := m.listShowtimes()
			return follow
		}
	}
	p.list = list
	p.related = msg.resp.RelatedData
	p.selected, p.offset = 0, 0
	return nil
}

// nearestKnownDay is the business date closest to day of the showtimes at
// a site that this screen has already seen.
func (m *Model) nearestKnownDay(siteID string, day time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	for _, st := range m.showtimes {
		s := st.Showtime
		if s.SiteID != siteID || s.Schedule.StartsAt.IsZero() {
			continue
		}
		start := s.Schedule.StartsAt.Time
		d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
		if bd, err := time.ParseInLocation(time.DateOnly, s.Schedule.BusinessDate, start.Location()); err == nil {
			d = bd
		}
		if d.Equal(day) {
			continue
		}
		if !found || absDuration(d.Sub(day)) < absDuration(best.Sub(day)) {
			best, found = d, true
		}
	}
	return best, found
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// takeShowtime is F7 in the picker: the tickets panel opens on the chosen
// showtime, which joins the order when its tickets are applied.
func (m *Model) takeShowtime() tea.Cmd {
	p := m.picker
	if p.loading {
		return nil
	}
	if len(p.list) == 0 {
		return m.fail("There is no showtime to take on " + p.day.Format("Mon 2 Jan") + ". ←/→ changes the day.")
	}
	st := p.list[p.selected]
	m.rememberShowtime(st, p.related)
	cmd := m.openTickets(st.ID)
	cmd2 := m.announce(statusInfo, "Set the tickets for "+m.showtimeChoiceFor(st.ID)+" with ↑/↓ and ←/→, then F7 adds them to the order.")
	return tea.Batch(cmd, cmd2)
}

// pickerLines draws the showtime picker in n lines.
func (m Model) pickerLines(w, n int) []string {
	s := m.styles
	p := m.picker
	site := m.siteNames[p.siteID]
	if site == "" {
		site = "site " + p.siteID
	}
	lines := []string{s.Title.Render("Pick a showtime · "+p.day.Format("Mon 2 Jan 2006")+" · "+site) + s.Muted.Render("  ←/→ day")}
	if p.note != "" {
		lines = append(lines, s.Muted.Render(p.note))
	}
	switch {
	case p.loading:
		lines = append(lines, m.status.spinner.View()+" Loading showtimes…")
		return padLines(lines, n)
	case p.err != nil:
		lines = append(lines, s.Failure.Render("✗ The showtimes could not be read. F5 tries again."))
		return padLines(lines, n)
	case len(p.list) == 0:
		lines = append(lines, s.Muted.Render("No showtimes at "+site+" on "+p.day.Format("Mon 2 Jan")+". ←/→ changes the day."))
		return padLines(lines, n)
	}
	from, to := p.shown(max(n-len(lines)-1, 1), len(p.list))
	if to-from < len(p.list) {
		lines[0] += s.Muted.Render(fmt.Sprintf("  %d–%d of %d", from+1, to, len(p.list)))
	}
	titleWidth := max(w-32, 12)
	for i := from; i < to; i++ {
		st := p.list[i]
		cursor := "  "
		if i == p.selected {
			cursor = "> "
		}
		title := p.related.FilmTitle(st.FilmID)
		if title == "" {
			title = "Film " + st.FilmID
		}
		row := fmt.Sprintf("%s%s  %-*s %s", cursor, st.Schedule.StartsAt.Format("15:04"), titleWidth,
			ansi.Truncate(title, titleWidth, "…"), p.related.ScreenName(st.ScreenID))
		if st.Schedule.StartsAt.Before(m.now()) {
			row += " (started)"
		}
		if i == p.selected {
			row = s.Selected.Render(row)
		}
		lines = append(lines, row)
	}
	lines = padLines(lines, n-1)
	return append(lines, s.Muted.Render("F7 takes the selected showtime · esc closes"))
}
