package mock

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// layoutInfo is a seat layout ready to serve. It is fixed at New.
type layoutInfo struct {
	id     string
	areas  []*areaInfo
	seats  []*seatInfo
	byID   map[string]*seatInfo
	byName map[string]*seatInfo
	body   []byte // the seat-layout answer
}

type areaInfo struct {
	number                     int
	name, categoryID, category string
}

type seatInfo struct {
	id, rowLabel, label, kind string
	area                      *areaInfo
	row, col                  int // on the area's grid, from 1
	// group is the seat's sofa, itself included; nil for a seat alone.
	group []*seatInfo
}

func (si *seatInfo) name() string { return si.rowLabel + si.label }

// showtimeSeats is a showtime's seating. mode and layout are fixed at New;
// sold and held change under s.mu.
type showtimeSeats struct {
	mode   string
	layout *layoutInfo
	sold   map[*seatInfo]bool
	// held maps a seat to the order holding it. An order that was
	// cancelled or has expired is no longer in s.orders (or is past its
	// expiry): its seats are free again, whoever looks first clears them.
	held map[*seatInfo]*order
}

func (ss *showtimeSeats) allocated() bool { return ss != nil && ss.mode != seatingNone }

// buildLayouts makes every layout of d, and says which is each screen's first.
func buildLayouts(d *Data) (byID, byScreen map[string]*layoutInfo) {
	categories := map[string]string{}
	for _, c := range d.AreaCategories {
		categories[c.ID] = c.Name
	}
	byID, byScreen = map[string]*layoutInfo{}, map[string]*layoutInfo{}
	for _, l := range d.SeatLayouts {
		li := buildLayout(l, categories)
		byID[l.ID] = li
		if byScreen[l.ScreenID] == nil {
			byScreen[l.ScreenID] = li
		}
	}
	return byID, byScreen
}

func buildLayout(l SeatLayout, categories map[string]string) *layoutInfo {
	li := &layoutInfo{id: l.ID, byID: map[string]*seatInfo{}, byName: map[string]*seatInfo{}}
	var resp seatLayoutResponse
	resp.SeatLayout.ID = l.ID
	resp.RelatedData.AreaCategories = []areaCategoryJSON{}
	for ai, a := range l.Areas {
		area := &areaInfo{number: ai + 1, name: a.Name, categoryID: a.AreaCategoryID, category: categories[a.AreaCategoryID]}
		li.areas = append(li.areas, area)
		wire := seatAreaJSON{Number: area.number, AreaCategoryID: a.AreaCategoryID, Name: text(a.Name), RowCount: len(a.Rows), Rows: []seatRowJSON{}}
		for ri, r := range a.Rows {
			parsed, _ := parseRow(r) // ParseData has checked every row
			wire.ColumnCount = max(wire.ColumnCount, len([]rune(r.Seats)))
			sofas := map[int][]*seatInfo{}
			var row []*seatInfo
			for _, ps := range parsed {
				si := &seatInfo{id: fmt.Sprintf("%s.%d.%d.%d", l.ID, area.number, ri+1, ps.column), rowLabel: r.Label, label: ps.label,
					kind: ps.kind, area: area, row: ri + 1, col: ps.column}
				li.seats = append(li.seats, si)
				li.byID[si.id] = si
				li.byName[si.name()] = si
				row = append(row, si)
				if ps.sofa != 0 {
					sofas[ps.sofa] = append(sofas[ps.sofa], si)
				}
			}
			for _, group := range sofas {
				for _, si := range group {
					si.group = group
				}
			}
			if len(row) > 0 {
				wire.Rows = append(wire.Rows, layoutRow(r.Label, row))
			}
		}
		resp.SeatLayout.Areas = append(resp.SeatLayout.Areas, wire)
		if !slices.ContainsFunc(resp.RelatedData.AreaCategories, func(c areaCategoryJSON) bool { return c.ID == a.AreaCategoryID }) {
			resp.RelatedData.AreaCategories = append(resp.RelatedData.AreaCategories,
				areaCategoryJSON{ID: a.AreaCategoryID, Name: text(area.category), IsAllocatedSeating: true})
		}
	}
	li.body = mustJSON(resp)
	return li
}

// layoutRow is the wire form of a row's seats.
func layoutRow(label string, seats []*seatInfo) seatRowJSON {
	out := seatRowJSON{Label: label, Seats: make([]layoutSeatJSON, 0, len(seats))}
	for _, si := range seats {
		ls := layoutSeatJSON{ID: si.id, Label: si.label, Type: si.kind,
			Position: seatPositionJSON{AreaNumber: si.area.number, RowIndex: si.row, ColumnIndex: si.col}}
		for _, g := range si.group {
			ls.SeatsInGroup = append(ls.SeatsInGroup, g.id)
		}
		out.Seats = append(out.Seats, ls)
	}
	return out
}

// seatShowtime gives a showtime its seating and puts it on the showtime's
// wire: isAllocatedSeating, seatLayoutId and the area categories.
func seatShowtime(info *showtimeInfo, st Showtime, layouts, byScreen map[string]*layoutInfo) {
	layout := byScreen[st.ScreenID]
	if st.SeatLayoutID != "" {
		layout = layouts[st.SeatLayoutID]
	}
	mode := seatingMode(st.Seating)
	if layout == nil {
		return
	}
	ss := &showtimeSeats{mode: mode, layout: layout, sold: map[*seatInfo]bool{}, held: map[*seatInfo]*order{}}
	for _, name := range st.SoldSeats {
		if si := layout.byName[name]; si != nil {
			ss.sold[si] = true
		}
	}
	info.seats = ss
	id := layout.id
	info.wire.SeatLayoutID = &id
	info.wire.IsAllocatedSeating = ss.allocated()
	for _, a := range layout.areas {
		if !slices.ContainsFunc(info.wire.AreaCategories, func(c showtimeAreaCategoryJSON) bool { return c.AreaCategoryID == a.categoryID }) {
			info.wire.AreaCategories = append(info.wire.AreaCategories, showtimeAreaCategoryJSON{AreaCategoryID: a.categoryID, IsAllocatedSeating: ss.allocated()})
		}
	}
}

// holder is the live order holding a seat, nil when none. A hold of an
// order that was cancelled or has expired is cleared. The caller holds s.mu.
func (s *Server) holder(ss *showtimeSeats, si *seatInfo, now time.Time) *order {
	o := ss.held[si]
	if o == nil {
		return nil
	}
	if s.orders[o.id] != o || (o.status == statusInProgress && !now.Before(o.expiresAt)) {
		delete(ss.held, si)
		return nil
	}
	return o
}

// seatStatus is a seat's availability as one order sees it (forOrder nil:
// the showtime's, for everyone). A seat an order holds reads Sold to
// everyone else and Available to that order, which may keep it; a house
// seat reads House, a status clients must not offer. The caller holds s.mu.
func (s *Server) seatStatus(ss *showtimeSeats, si *seatInfo, forOrder *order, now time.Time) string {
	switch {
	case si.kind == "Broken":
		return "Broken"
	case si.kind == "House":
		return "House"
	case ss.sold[si]:
		return "Sold"
	}
	if h := s.holder(ss, si, now); h != nil && h != forOrder {
		return "Sold"
	}
	return "Available"
}

func (s *Server) availability(ss *showtimeSeats, forOrder *order, now time.Time) seatAvailabilityResponse {
	resp := seatAvailabilityResponse{SeatAvailabilities: make([]seatAvailabilityJSON, 0, len(ss.layout.seats)), IsSoldOut: true}
	summaries := map[string]*areaSummaryJSON{}
	for _, si := range ss.layout.seats {
		status := s.seatStatus(ss, si, forOrder, now)
		resp.SeatAvailabilities = append(resp.SeatAvailabilities, seatAvailabilityJSON{SeatID: si.id, Status: status})
		sum := summaries[si.area.categoryID]
		if sum == nil {
			resp.AreaCategorySummaries = append(resp.AreaCategorySummaries, areaSummaryJSON{AreaCategoryID: si.area.categoryID})
			sum = &resp.AreaCategorySummaries[len(resp.AreaCategorySummaries)-1]
			summaries[si.area.categoryID] = sum
		}
		sum.TotalCount++
		if status == "Available" {
			sum.AvailableCount++
			resp.IsSoldOut = false
		}
	}
	if forOrder == nil {
		// Vista's page shows the summaries on the order's reading only.
		resp.AreaCategorySummaries = nil
	}
	return resp
}

func (s *Server) handleSeatLayout(w http.ResponseWriter, info *showtimeInfo) {
	if info.seats == nil {
		s.fail(w, &apiError{status: http.StatusNotFound, code: "SeatLayoutNotFound",
			msg: fmt.Sprintf("Showtime %s has no seat layout.", info.id)})
		return
	}
	writeBody(w, http.StatusOK, info.seats.layout.body)
}

func errNotAllocated(info *showtimeInfo) *apiError {
	return badRequest("ShowtimeNotAllocated", "Showtime %s has no allocated seating: its tickets are sold without seats.", info.id)
}

func (s *Server) handleSeatAvailability(w http.ResponseWriter, info *showtimeInfo) {
	if !info.seats.allocated() {
		s.fail(w, errNotAllocated(info))
		return
	}
	now := s.now()
	s.mu.Lock()
	resp := s.availability(info.seats, nil, now)
	s.mu.Unlock()
	s.writeJSON(w, http.StatusOK, resp)
}

// handleOrderSeatAvailability is the order's reading: its own seats read
// Available to it. An unallocated showtime answers an empty list, as
// Vista's page says.
func (s *Server) handleOrderSeatAvailability(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.mu.Lock()
	o := s.liveOrder(r.PathValue("orderId"), now)
	info := s.showtimes[r.PathValue("showtimeId")]
	var resp seatAvailabilityResponse
	var e *apiError
	switch {
	case o == nil || o.status != statusInProgress:
		e = errOrderNotFound(s.safe(r.PathValue("orderId")))
	case info == nil:
		e = s.errShowtimeNotFound(r.PathValue("showtimeId"))
	case !info.seats.allocated():
		resp = seatAvailabilityResponse{SeatAvailabilities: []seatAvailabilityJSON{}}
	default:
		resp = s.availability(info.seats, o, now)
	}
	s.mu.Unlock()
	if e != nil {
		s.fail(w, e)
		return
	}
	s.writeJSON(w, http.StatusOK, resp)
}

// renderSeats is the wire form of the seats an order showtime holds.
func renderSeats(seats []*seatInfo) []orderSeatJSON {
	out := make([]orderSeatJSON, 0, len(seats))
	for _, si := range seats {
		out = append(out, orderSeatJSON{SeatID: si.id, SeatLabel: si.label, RowLabel: si.rowLabel, AreaName: text(si.area.name),
			AreaCategoryID: si.area.categoryID, Position: orderSeatPositionJSON{AreaNumber: si.area.number, ColumnNumber: si.col, RowNumber: si.row}})
	}
	return out
}
