package mock

import (
	"slices"
	"strings"
	"time"
)

// The catalogue is what the data sells: sites, ticket types and showtimes.
// It is fixed between resets, so each showtime's answers are encoded once,
// when it is built.

type siteInfo struct {
	id, name string
}

type ticketTypeInfo struct {
	id, description string
	price           money
	codes           []string
	restricted      []RestrictedPrice
	areaCategoryID  string
}

func (t *ticketTypeInfo) accepts(code string) bool {
	return slices.Contains(t.codes, code)
}

type showtimeInfo struct {
	id, siteID           string
	businessDate         string
	startsAt, endsAt     time.Time
	filmID               string
	types                map[string]*ticketTypeInfo
	accepts              map[string]bool // voucher type codes any ticket type takes
	adultPrice           money           // what a voucher-paid ticket replaces
	wire                 showtimeJSON
	showtimeBody, prices []byte
	related              showtimeRelated
	seats                *showtimeSeats // nil without a seat layout (seats.go)
}

// catalogueNames are the names a showtime's related data gives its film and
// screen.
type catalogueNames struct {
	films   map[string]Film
	screens map[string]Screen
}

// buildCatalogue fills the world's sites and showtimes from d. A showtime
// whose times do not parse or whose site is unknown is left out (ParseData
// refuses both; hand-built data is trusted less), as is a ticket type it
// names that d lacks.
func (s *Server) buildCatalogue(d *Data) {
	names := catalogueNames{films: map[string]Film{}, screens: map[string]Screen{}}
	for _, f := range d.Films {
		names.films[f.ID] = f
	}
	for _, sc := range d.Screens {
		names.screens[sc.ID] = sc
	}
	for _, st := range d.Sites {
		s.sites[st.ID] = &siteInfo{id: st.ID, name: st.Name}
		s.siteIDs = append(s.siteIDs, st.ID)
	}
	types := map[string]*ticketTypeInfo{}
	for _, tt := range d.TicketTypes {
		types[tt.ID] = newTicketTypeInfo(tt)
	}
	layouts, layoutOfScreen := buildLayouts(d)
	for _, st := range d.Showtimes {
		info := s.newShowtimeInfo(st, names)
		if info == nil {
			continue
		}
		prices := info.sell(st.TicketTypeIDs, types)
		seatShowtime(info, st, layouts, layoutOfScreen)
		info.showtimeBody = mustJSON(showtimeResponse{Showtime: info.wire, RelatedData: info.related})
		info.prices = mustJSON(prices)
		s.showtimes[st.ID] = info
		s.showtimeOrder = append(s.showtimeOrder, info)
	}
	slices.SortStableFunc(s.showtimeOrder, func(a, b *showtimeInfo) int {
		if c := a.startsAt.Compare(b.startsAt); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
}

func newTicketTypeInfo(tt TicketType) *ticketTypeInfo {
	return &ticketTypeInfo{
		id:             tt.ID,
		description:    tt.Description,
		price:          newMoney(tt.Price, tt.Tax),
		codes:          slices.Clone(tt.VoucherTypeCodes),
		restricted:     slices.Clone(tt.RestrictedPrices),
		areaCategoryID: tt.AreaCategoryID,
	}
}

// newShowtimeInfo is st as the showtime's answer gives it, with the names
// of its film, screen and site; nil when its times do not parse or its site
// is unknown.
func (s *Server) newShowtimeInfo(st Showtime, names catalogueNames) *showtimeInfo {
	starts, err1 := time.Parse(time.RFC3339, st.StartsAt)
	ends, err2 := time.Parse(time.RFC3339, st.EndsAt)
	if err1 != nil || err2 != nil || s.sites[st.SiteID] == nil {
		return nil
	}
	info := &showtimeInfo{
		id:           st.ID,
		siteID:       st.SiteID,
		filmID:       st.FilmID,
		startsAt:     starts,
		endsAt:       ends,
		businessDate: starts.Format(time.DateOnly),
		types:        map[string]*ticketTypeInfo{},
		accepts:      map[string]bool{},
	}
	info.wire = showtimeJSON{
		ID: st.ID, FilmID: st.FilmID, SiteID: st.SiteID, ScreenID: st.ScreenID,
		Schedule: scheduleJSON{
			BusinessDate: info.businessDate,
			StartsAt:     starts.Format(time.RFC3339),
			EndsAt:       ends.Format(time.RFC3339),
			// The demo has no pre-show: the film fills the showtime.
			FilmStartsAt: starts.Format(time.RFC3339),
			FilmEndsAt:   ends.Format(time.RFC3339),
		},
	}
	info.related = showtimeRelated{
		Films:   []filmJSON{{ID: st.FilmID, Title: text(names.films[st.FilmID].Title)}},
		Screens: []namedJSON{{ID: st.ScreenID, Name: text(names.screens[st.ScreenID].Name)}},
		Sites:   []namedJSON{{ID: st.SiteID, Name: text(s.sites[st.SiteID].name)}},
	}
	return info
}

// sell puts the ticket types the showtime sells (ids, in the data's order)
// on info, with the voucher type codes they take and the adult price a
// voucher replaces, and returns the showtime's ticket prices.
func (info *showtimeInfo) sell(ids []string, types map[string]*ticketTypeInfo) ticketPricesResponse {
	var prices ticketPricesResponse
	prices.TicketPrices = []ticketPriceJSON{}
	prices.RelatedData.TicketTypes = []ticketTypeJSON{}
	for _, id := range ids {
		tt := types[id]
		if tt == nil {
			continue
		}
		info.types[id] = tt
		p := ticketPriceJSON{TicketTypeID: id, Price: tt.price, Restrictions: []string{}, VoucherTypeCodes: []string{}}
		if len(tt.codes) > 0 {
			p.Restrictions = []string{"Voucher"}
			p.VoucherTypeCodes = slices.Clone(tt.codes)
			for _, c := range tt.codes {
				info.accepts[c] = true
			}
		} else if tt.price.ValueIncludingTax > info.adultPrice.ValueIncludingTax {
			info.adultPrice = tt.price
		}
		prices.TicketPrices = append(prices.TicketPrices, p)
		prices.RelatedData.TicketTypes = append(prices.RelatedData.TicketTypes, ticketTypeJSON{ID: id, Description: text(tt.description), AreaCategoryID: optional(tt.areaCategoryID)})
	}
	// Restricted prices come after, the ticket type listed again, the
	// way Vista lists a type's member or discount price.
	for _, id := range ids {
		if tt := types[id]; tt != nil {
			for _, rp := range tt.restricted {
				prices.TicketPrices = append(prices.TicketPrices, ticketPriceJSON{TicketTypeID: id,
					Price: newMoney(rp.Price, rp.Tax), Restrictions: slices.Clone(rp.Restrictions), VoucherTypeCodes: []string{}})
			}
		}
	}
	return prices
}
