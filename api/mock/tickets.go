package mock

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

func (s *Server) handleSetTickets(w http.ResponseWriter, r *http.Request) {
	var req setTicketsRequest
	problem := decodeBody(w, r, &req)
	now := s.now()
	s.mu.Lock()
	resp, e := s.setTickets(r.PathValue("orderId"), r.PathValue("showtimeId"), &req, problem, now)
	s.mu.Unlock()
	if e != nil {
		s.fail(w, e)
		return
	}
	s.writeJSON(w, http.StatusOK, resp)
}

// setTickets replaces one showtime's tickets, all or nothing. The caller
// holds s.mu.
func (s *Server) setTickets(orderID, showtimeID string, req *setTicketsRequest, problem string, now time.Time) (*orderResponse, *apiError) {
	o, info, e := s.showtimeToSet(orderID, showtimeID, problem, now)
	if e != nil {
		return nil, e
	}
	existing := o.showtime(showtimeID)
	tickets, e := s.newTickets(o, info, existing, req.Tickets)
	if e != nil {
		return nil, e
	}
	if e := o.checkRedemptions(tickets, existing); e != nil {
		return nil, e
	}
	seats, e := s.seatsFor(o, info, tickets, req.Seats, now)
	if e != nil {
		return nil, e
	}
	if existing == nil {
		existing = &orderShowtime{info: info}
		o.showtimes = append(o.showtimes, existing)
	}
	existing.tickets = tickets
	s.holdSeats(o, existing, seats)
	resp := s.render(o)
	return &resp, nil
}

// showtimeToSet finds the order and the showtime a setting of tickets is
// for, and refuses one whose body could not be read or whose showtime is
// at another site than the order. The caller holds s.mu.
func (s *Server) showtimeToSet(orderID, showtimeID, problem string, now time.Time) (*order, *showtimeInfo, *apiError) {
	o, e := s.changeableOrder(orderID, now)
	if e != nil {
		return nil, nil, e
	}
	info := s.showtimes[showtimeID]
	if info == nil {
		return nil, nil, &apiError{status: http.StatusNotFound, code: "ShowtimeNotFound",
			msg: fmt.Sprintf("Showtime %s does not exist.", s.safe(showtimeID))}
	}
	if problem != "" {
		return nil, nil, badRequest("InvalidRequest", "%s", problem)
	}
	if info.siteID != o.siteID {
		return nil, nil, badRequest("ShowtimeNotAtSite", "Showtime %s is at site %s, not at this order's site %s.", info.id, info.siteID, o.siteID)
	}
	return o, info, nil
}

// newTickets reads the tickets asked for, in turn: each of a type the
// showtime sells, with an id no other ticket of the order has (a new one
// when none is given), and paid with a voucher of the order if its type
// needs one. The tickets of existing, which they replace, give up their ids.
func (s *Server) newTickets(o *order, info *showtimeInfo, existing *orderShowtime, asked []ticketRequest) ([]ticket, *apiError) {
	takenIDs := map[string]bool{}
	for _, ost := range o.showtimes {
		if ost == existing {
			continue
		}
		for _, t := range ost.tickets {
			takenIDs[t.id] = true
		}
	}
	tickets := make([]ticket, 0, len(asked))
	for i, tr := range asked {
		tt := info.types[tr.TicketTypeID]
		if tt == nil {
			return nil, badRequest("TicketTypeNotAvailable", "tickets[%d]: ticket type %s is not sold for showtime %s.", i, s.safe(tr.TicketTypeID), info.id)
		}
		id := tr.ID
		if id == "" {
			id = s.newID()
		}
		if takenIDs[id] {
			return nil, badRequest("DuplicateTicketId", "tickets[%d]: ticket id %s is used twice on this order.", i, s.safe(id))
		}
		takenIDs[id] = true
		ov, e := s.ticketVoucher(o, i, tt, tr.VoucherID)
		if e != nil {
			return nil, e
		}
		tickets = append(tickets, ticket{id: id, tt: tt, voucher: ov})
	}
	return tickets, nil
}

// ticketVoucher is the voucher of o that pays for ticket i, of type tt:
// the one voucherID names, which must be able to pay for it, or none when
// voucherID is "" and the type needs none.
func (s *Server) ticketVoucher(o *order, i int, tt *ticketTypeInfo, voucherID string) (*orderVoucher, *apiError) {
	if voucherID == "" {
		if len(tt.codes) > 0 {
			return nil, badRequest("VoucherRequired", "tickets[%d]: ticket type %s (%s) must be paid with a %s voucher; give its voucherId.", i, tt.id, tt.description, strings.Join(tt.codes, " or "))
		}
		return nil, nil
	}
	ov := o.byID[voucherID]
	if ov == nil {
		return nil, badRequest("VoucherNotOnOrder", "tickets[%d]: no voucher with id %s is on this order; add it first.", i, s.safe(voucherID))
	}
	if ov.v.typ == typeDeal {
		return nil, badRequest("VoucherTypeMismatch", "tickets[%d]: voucher %s is a Deal voucher and cannot pay for tickets.", i, ov.v.masked)
	}
	if !tt.accepts(ov.v.code) {
		return nil, badRequest("VoucherTypeMismatch", "tickets[%d]: ticket type %s (%s) does not take %s vouchers.", i, tt.id, tt.description, ov.v.code)
	}
	return ov, nil
}

// checkRedemptions refuses tickets that would have a voucher pay for more
// tickets than it can: the tickets, and those of the order's showtimes
// other than replaced, counted together.
func (o *order) checkRedemptions(tickets []ticket, replaced *orderShowtime) *apiError {
	uses := map[*orderVoucher]int{}
	countVoucherUses(uses, tickets)
	for _, ost := range o.showtimes {
		if ost != replaced {
			countVoucherUses(uses, ost.tickets)
		}
	}
	for _, ov := range o.vouchers {
		if n := uses[ov]; n > ov.v.redemptions {
			return badRequest("VoucherRedemptionsExceeded", "Voucher %s can pay for %d ticket(s), not %d.", ov.v.masked, ov.v.redemptions, n)
		}
	}
	return nil
}

// countVoucherUses adds to uses a ticket for each of tickets a voucher pays for.
func countVoucherUses(uses map[*orderVoucher]int, tickets []ticket) {
	for _, t := range tickets {
		if t.voucher != nil {
			uses[t.voucher]++
		}
	}
}
