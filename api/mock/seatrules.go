package mock

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"
)

// seatsFor decides the seats a showtime of o holds once its tickets are
// tickets, as SetShowtime's seats (raw) ask, or refuses; it changes
// nothing. Vista's rules: seats for a showtime without allocated seating are
// a 400; seats sent are reserved if they can be, else SeatsUnavailable;
// seats not sent (null) are allocated automatically where the showtime does
// that, and otherwise the tickets are booked without seats. The mock adds a
// 400 for a seat not in the layout, for a seat in an area no ticket may
// use, and for seats not as many as the tickets (seats without tickets are
// Vista's seat-first ordering, and are kept). The caller holds s.mu.
func (s *Server) seatsFor(o *order, info *showtimeInfo, tickets []ticket, raw json.RawMessage, now time.Time) ([]*seatInfo, *apiError) {
	var ids []string
	sent := len(raw) > 0 && string(raw) != "null"
	if sent && json.Unmarshal(raw, &ids) != nil {
		return nil, badRequest("InvalidRequest", "seats must be a list of seat ids, or null.")
	}
	ss := info.seats
	if !ss.allocated() {
		if len(ids) > 0 {
			return nil, errNotAllocated(info)
		}
		return nil, nil
	}
	if !sent {
		if ss.mode == seatingAuto {
			return s.autoAllocate(ss, o, tickets, now), nil
		}
		return nil, nil
	}
	seats := make([]*seatInfo, 0, len(ids))
	for _, id := range ids {
		si := ss.layout.byID[id]
		if si == nil {
			return nil, badRequest("SeatNotFound", "Seat %s is not in the seat layout of showtime %s.", s.safe(id), info.id)
		}
		if slices.Contains(seats, si) {
			return nil, badRequest("InvalidRequest", "Seat %s is sent twice.", si.name())
		}
		if status := s.seatStatus(ss, si, o, now); status != "Available" {
			return nil, badRequest("SeatsUnavailable", "Seat %s is not available: %s.", si.name(), unavailableWhy(status, ss.sold[si]))
		}
		seats = append(seats, si)
	}
	for _, si := range seats {
		for _, g := range si.group {
			if !slices.Contains(seats, g) {
				return nil, badRequest("SeatsUnavailable", "Seat %s is part of a sofa with %s: a sofa is sold whole.", si.name(), names(si.group))
			}
		}
	}
	if len(tickets) > 0 && len(seats) != len(tickets) {
		return nil, badRequest("SeatCountMismatch", "%d ticket(s) need seats on showtime %s, but %d seat(s) were sent.", len(tickets), info.id, len(seats))
	}
	if e := areasFit(seats, tickets); e != nil {
		return nil, e
	}
	return seats, nil
}

// unavailableWhy says why a seat of that status is not free.
func unavailableWhy(status string, sold bool) string {
	switch {
	case status == "Broken":
		return "it is out of use"
	case status == "House":
		return "it is a house seat"
	case sold:
		return "it is sold"
	}
	return "another order has taken it meanwhile"
}

func names(seats []*seatInfo) string {
	out := make([]string, len(seats))
	for i, si := range seats {
		out[i] = si.name()
	}
	return strings.Join(out, ", ")
}

// areasFit matches seats to tickets: a seat goes to a ticket of its area's
// category first, else to a ticket of no category; a seat no ticket may
// take is refused, named with the tickets' types.
func areasFit(seats []*seatInfo, tickets []ticket) *apiError {
	left := map[string]int{}
	for _, t := range tickets {
		left[t.tt.areaCategoryID]++
	}
	for _, si := range seats {
		cat := si.area.categoryID
		switch {
		case len(tickets) == 0:
		case left[cat] > 0:
			left[cat]--
		case left[""] > 0:
			left[""]--
		default:
			var types []string
			for _, t := range tickets {
				if d := t.tt.description; !slices.Contains(types, d) {
					types = append(types, d)
				}
			}
			return badRequest("SeatAreaNotAllowed", "Seat %s is in %s (%s), which the tickets' types (%s) may not use.",
				si.name(), si.area.name, si.area.category, strings.Join(types, ", "))
		}
	}
	return nil
}

// autoAllocate finds seats side by side in one row for each area
// category's tickets, the row nearest two thirds of the way back and the
// block nearest the row's middle; ordinary seats only. When any category's
// tickets cannot be seated together, none are: the allocation failed and
// the seats must be chosen. The caller holds s.mu.
func (s *Server) autoAllocate(ss *showtimeSeats, o *order, tickets []ticket, now time.Time) []*seatInfo {
	want := map[string]int{}
	var order []string
	for _, t := range tickets {
		c := t.tt.areaCategoryID
		if want[c] == 0 {
			order = append(order, c)
		}
		want[c]++
	}
	var out []*seatInfo
	for _, c := range order {
		block := s.bestBlock(ss, o, c, want[c], out, now)
		if block == nil {
			return nil
		}
		out = append(out, block...)
	}
	return out
}

func (s *Server) bestBlock(ss *showtimeSeats, o *order, cat string, n int, taken []*seatInfo, now time.Time) []*seatInfo {
	type rowKey struct {
		area *areaInfo
		row  int
	}
	rows := map[rowKey][]*seatInfo{}
	var keys []rowKey // in layout order, so that ties go the same way each time
	depth := map[*areaInfo]int{}
	for _, si := range ss.layout.seats {
		if cat != "" && si.area.categoryID != cat {
			continue
		}
		k := rowKey{si.area, si.row}
		if rows[k] == nil {
			keys = append(keys, k)
		}
		rows[k] = append(rows[k], si)
		depth[si.area] = max(depth[si.area], si.row)
	}
	unfree := func(si *seatInfo) bool {
		return si.kind != "Normal" || slices.Contains(taken, si) || s.seatStatus(ss, si, o, now) != "Available"
	}
	var best []*seatInfo
	bestScore := math.Inf(1)
	for _, k := range keys {
		seats := rows[k]
		ideal := float64(depth[k.area]) * 2 / 3
		middle := float64(seats[0].col+seats[len(seats)-1].col) / 2
		for i := 0; i+n <= len(seats); i++ {
			block := seats[i : i+n]
			if slices.ContainsFunc(block, unfree) || block[n-1].col-block[0].col != n-1 {
				continue
			}
			score := math.Abs(float64(k.row)-ideal)*100 + math.Abs(float64(block[0].col+block[n-1].col)/2-middle) + float64(k.area.number)*1000
			if score < bestScore {
				best, bestScore = block, score
			}
		}
	}
	return slices.Clone(best)
}

// holdSeats gives an order showtime its seats: the ones it held and no
// longer has are free again. The caller holds s.mu.
func (s *Server) holdSeats(o *order, ost *orderShowtime, seats []*seatInfo) {
	ss := ost.info.seats
	if ss == nil {
		return
	}
	for _, si := range ost.seats {
		if ss.held[si] == o {
			delete(ss.held, si)
		}
	}
	for _, si := range seats {
		ss.held[si] = o
	}
	ost.seats = seats
}

// seatsReady refuses to complete an order while a showtime with allocated
// seating has tickets without seats or seats without tickets.
func (o *order) seatsReady() *apiError {
	for _, ost := range o.showtimes {
		if !ost.info.seats.allocated() || len(ost.seats) == len(ost.tickets) {
			continue
		}
		if len(ost.seats) < len(ost.tickets) {
			return badRequest("SeatAllocationFailed", "Showtime %s has %d ticket(s) but %d seat(s): seats were not allocated; choose them before completing.",
				ost.info.id, len(ost.tickets), len(ost.seats))
		}
		return badRequest("SeatCountMismatch", "Showtime %s holds %d seat(s) for %d ticket(s): add tickets for the seats or free them before completing.",
			ost.info.id, len(ost.seats), len(ost.tickets))
	}
	return nil
}

// seatsSold marks a completed order's seats sold for good.
func (o *order) seatsSold() {
	for _, ost := range o.showtimes {
		if ss := ost.info.seats; ss != nil {
			for _, si := range ost.seats {
				ss.sold[si] = true
				delete(ss.held, si)
			}
		}
	}
}
