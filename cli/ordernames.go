package cli

import (
	"context"

	"github.com/boxoffice/boxoffice/api"
)

// orderNames are the names of an order's showtimes and ticket types, which
// the order itself gives only as ids: read from each showtime and its
// prices. A name that could not be read is shown as its id.
type orderNames struct {
	showtimes map[string]*api.ShowtimeResponse
	prices    map[string]*api.TicketPricesResponse
}

// orderNames reads the names of the order's showtimes and ticket types.
// They only name things, so a read that fails leaves the id in its place.
func (s *session) orderNames(ctx context.Context, o api.Order) orderNames {
	n := orderNames{showtimes: map[string]*api.ShowtimeResponse{}, prices: map[string]*api.TicketPricesResponse{}}
	for _, st := range o.Showtimes {
		if _, done := n.showtimes[st.ShowtimeID]; done {
			continue
		}
		showtime, err := s.client.GetShowtime(ctx, st.ShowtimeID)
		if err == nil {
			n.showtimes[st.ShowtimeID] = showtime
		}
		prices, err := s.client.GetTicketPrices(ctx, st.ShowtimeID)
		if err == nil {
			n.prices[st.ShowtimeID] = prices
		}
	}
	return n
}

// showtime names a showtime: "Dune: Part Two, Fri 14 Mar 19:30, Screen 1
// (0001-2681)", or its id alone when it could not be read.
func (n orderNames) showtime(id string) string {
	r := n.showtimes[id]
	if r == nil {
		return id
	}
	name := orNone(r.RelatedData.FilmTitle(r.Showtime.FilmID))
	if at := r.Showtime.Schedule.StartsAt.Time; !at.IsZero() {
		name += ", " + at.Format("Mon 2 Jan 15:04")
	}
	if screen := r.RelatedData.ScreenName(r.Showtime.ScreenID); screen != "" {
		name += ", " + screen
	}
	return name + " (" + id + ")"
}

// ticketType names a ticket type of a showtime, or gives its id.
func (n orderNames) ticketType(showtimeID, typeID string) string {
	if p := n.prices[showtimeID]; p != nil {
		return p.TicketTypeDescription(typeID)
	}
	return typeID
}

// nameOf is ticketType as pricing.Unpaid asks it.
func (n orderNames) nameOf(showtimeID, typeID string) (string, bool) {
	if n.prices[showtimeID] == nil {
		return typeID, false
	}
	return n.ticketType(showtimeID, typeID), true
}
