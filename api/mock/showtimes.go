package mock

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

func (s *Server) handleShowtime(w http.ResponseWriter, r *http.Request) {
	info := s.showtimes[r.PathValue("showtimeId")]
	if info == nil {
		s.fail(w, s.errShowtimeNotFound(r.PathValue("showtimeId")))
		return
	}
	writeBody(w, http.StatusOK, info.showtimeBody)
}

func (s *Server) handleShowtimeView(w http.ResponseWriter, r *http.Request) {
	view := r.PathValue("view")
	if view != "ticket-prices" && view != "seat-layout" && view != "seat-availability" {
		s.fail(w, &apiError{status: http.StatusNotFound, code: "NotFound", msg: "There is no such endpoint."})
		return
	}
	info := s.showtimes[r.PathValue("showtimeId")]
	if info == nil {
		s.fail(w, s.errShowtimeNotFound(r.PathValue("showtimeId")))
		return
	}
	switch view {
	case "seat-layout":
		s.handleSeatLayout(w, info)
	case "seat-availability":
		s.handleSeatAvailability(w, info)
	default:
		writeBody(w, http.StatusOK, info.prices)
	}
}

func (s *Server) errShowtimeNotFound(id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "ShowtimeNotFound", msg: "Showtime " + s.safe(id) + " does not exist."}
}

// handleShowtimesByDate lists a business date's showtimes, optionally only at
// some sites or of some films. Lists may be comma-separated, repeated, or both.
func (s *Server) handleShowtimesByDate(w http.ResponseWriter, r *http.Request) {
	date := r.PathValue("date")
	q := r.URL.Query()
	sites, films := idSet(q["siteIds"]), idSet(q["filmIds"])
	if date == "first" && s.profile.FirstBusinessDate {
		date = s.firstBusinessDate(sites, films)
	} else if _, err := time.Parse(time.DateOnly, date); err != nil {
		s.fail(w, badRequest("InvalidBusinessDate", "Business date %q is not a date in the form yyyy-mm-dd.", s.safe(date)))
		return
	}
	resp := showtimesResponse{
		Showtimes:   []showtimeJSON{},
		RelatedData: showtimeRelated{Films: []filmJSON{}, Screens: []namedJSON{}, Sites: []namedJSON{}},
	}
	for _, info := range s.showtimeOrder {
		if info.businessDate != date || (sites != nil && !sites[info.siteID]) || (films != nil && !films[info.filmID]) {
			continue
		}
		resp.Showtimes = append(resp.Showtimes, info.wire)
		rd := &resp.RelatedData
		if !slices.ContainsFunc(rd.Films, func(f filmJSON) bool { return f.ID == info.related.Films[0].ID }) {
			rd.Films = append(rd.Films, info.related.Films[0])
		}
		if !slices.ContainsFunc(rd.Screens, func(n namedJSON) bool { return n.ID == info.related.Screens[0].ID }) {
			rd.Screens = append(rd.Screens, info.related.Screens[0])
		}
		if !slices.ContainsFunc(rd.Sites, func(n namedJSON) bool { return n.ID == info.related.Sites[0].ID }) {
			rd.Sites = append(rd.Sites, info.related.Sites[0])
		}
	}
	s.writeJSON(w, http.StatusOK, resp)
}

// firstBusinessDate is what a live tenant takes "first" for: the business
// date of the first showtime (at the sites, of the films) that has not ended.
func (s *Server) firstBusinessDate(sites, films map[string]bool) string {
	now := s.now()
	for _, info := range s.showtimeOrder {
		if (sites == nil || sites[info.siteID]) && (films == nil || films[info.filmID]) && now.Before(info.endsAt) {
			return info.businessDate
		}
	}
	return ""
}

// idSet returns nil when no filter was given.
func idSet(values []string) map[string]bool {
	var set map[string]bool
	for _, v := range values {
		for id := range strings.SplitSeq(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				if set == nil {
					set = map[string]bool{}
				}
				set[id] = true
			}
		}
	}
	return set
}
