package mock

import (
	"crypto/subtle"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func errOrderNotFound(id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "OrderNotFound",
		msg: fmt.Sprintf("Order %s does not exist or has expired; start a new order.", id)}
}

var errOrderCompleted = &apiError{status: http.StatusBadRequest, code: "OrderCompleted",
	msg: "The order is already completed and can no longer be changed; start a new order."}

func badRequest(code, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, msg: fmt.Sprintf(format, args...)}
}

// liveOrder finds an order, releasing it if it has expired. Completed orders
// do not expire: they are no longer holding anything.
// The caller holds s.mu.
func (s *Server) liveOrder(id string, now time.Time) *order {
	o := s.orders[id]
	if o == nil {
		return nil
	}
	if o.status == statusInProgress && !now.Before(o.expiresAt) {
		delete(s.orders, id)
		return nil
	}
	return o
}

// changeableOrder is liveOrder for calls that modify the order.
// The caller holds s.mu.
func (s *Server) changeableOrder(id string, now time.Time) (*order, *apiError) {
	o := s.liveOrder(id, now)
	if o == nil {
		return nil, errOrderNotFound(s.safe(id))
	}
	if o.status == statusCompleted {
		return nil, errOrderCompleted
	}
	return o, nil
}

// sweep releases expired orders nobody asks about any more, so a long demo
// does not grow without bound. The caller holds s.mu.
func (s *Server) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < 30*time.Second {
		return
	}
	s.lastSweep = now
	for id, o := range s.orders {
		if o.status == statusInProgress && !now.Before(o.expiresAt) {
			delete(s.orders, id)
		}
	}
}

// uses counts, per voucher, the tickets of the order it pays for.
func (o *order) uses() map[*orderVoucher]int {
	n := map[*orderVoucher]int{}
	for _, ost := range o.showtimes {
		for _, t := range ost.tickets {
			if t.voucher != nil {
				n[t.voucher]++
			}
		}
	}
	return n
}

func (o *order) total() money {
	var incl, tax float64
	for _, ost := range o.showtimes {
		for _, t := range ost.tickets {
			incl += t.tt.price.ValueIncludingTax
			tax += t.tt.price.Tax
		}
	}
	return newMoney(incl, tax)
}

func (o *order) showtime(id string) *orderShowtime {
	for _, ost := range o.showtimes {
		if ost.info.id == id {
			return ost
		}
	}
	return nil
}

func (ov *orderVoucher) wire(available *int) orderVoucherJSON {
	return orderVoucherJSON{
		ID:                     ov.id,
		Type:                   ov.v.typ,
		MaskedBarcode:          ov.v.masked,
		VoucherTypeCode:        ov.v.code,
		VoucherTypeDescription: text(ov.v.desc),
		AvailableRedemptions:   available,
	}
}

// amountSaved is what a voucher-paid ticket took off the adult price.
func amountSaved(adult, paid money) money {
	return newMoney(math.Max(0, adult.ValueIncludingTax-paid.ValueIncludingTax), math.Max(0, adult.Tax-paid.Tax))
}

// render copies the order into its wire shape. The caller holds s.mu; the
// result shares nothing mutable with the state, so it is encoded unlocked.
func (s *Server) render(o *order) orderResponse {
	uses := o.uses()
	showtimes := make([]orderShowtimeJSON, 0, len(o.showtimes))
	for _, ost := range o.showtimes {
		tickets := make([]ticketJSON, 0, len(ost.tickets))
		for _, t := range ost.tickets {
			tj := ticketJSON{ID: t.id, Type: "Normal", TicketTypeID: t.tt.id, Price: t.tt.price}
			if t.voucher != nil {
				id := t.voucher.id
				tj.VoucherID = &id
				tj.AmountSaved = amountSaved(ost.info.adultPrice, t.tt.price)
			}
			tickets = append(tickets, tj)
		}
		showtimes = append(showtimes, orderShowtimeJSON{ShowtimeID: ost.info.id, Tickets: tickets, Seats: renderSeats(ost.seats)})
	}
	vouchers := make([]orderVoucherJSON, 0, len(o.vouchers))
	for _, ov := range o.vouchers {
		available := max(0, ov.v.redemptions-uses[ov])
		vouchers = append(vouchers, ov.wire(&available))
	}
	return orderResponse{Order: orderJSON{
		ID:         o.id,
		Type:       "Standard",
		Status:     o.status,
		SiteID:     o.siteID,
		ExpiresAt:  vistaTime(o.expiresAt),
		TotalPrice: o.total(),
		Booking:    bookingJSON{Mode: o.mode, TotalBookingFee: money{}},
		Showtimes:  showtimes,
		Vouchers:   vouchers,
	}}
}

func (s *Server) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	var req createOrderRequest
	if p := decodeBody(w, r, &req); p != "" {
		s.fail(w, badRequest("InvalidRequest", "%s", p))
		return
	}
	if strings.TrimSpace(req.SiteID) == "" {
		s.fail(w, badRequest("InvalidRequest", "siteId is required."))
		return
	}
	if s.sites[req.SiteID] == nil {
		s.fail(w, badRequest("SiteNotFound", "Site %q does not exist; check the site id setting.", s.safe(req.SiteID)))
		return
	}
	mode := bookingMode(req.BookingMode)
	if mode == "" {
		s.fail(w, badRequest("InvalidBookingMode", "bookingMode must be Paid, Unpaid or UnpaidConfirmed."))
		return
	}
	now := s.now()
	s.mu.Lock()
	s.sweep(now)
	id := s.newID()
	for tries := 0; s.orders[id] != nil; tries++ {
		if tries == 10 {
			s.mu.Unlock()
			s.fail(w, &apiError{status: http.StatusInternalServerError, code: "InternalError", msg: "The mock server could not make a fresh order id."})
			return
		}
		id = s.newID()
	}
	o := s.newOrder(id, req.SiteID, mode, now.Add(seconds(s.limits.OrderExpirySeconds)))
	s.orders[id] = o
	resp := s.render(o)
	s.mu.Unlock()
	s.writeJSON(w, http.StatusOK, resp)
}

// handleGetOrder reads an in-progress order. A completed one is no longer
// there: Vista keeps completed orders at their own path, so it is a 404 here
// as it would be on a tenant.
func (s *Server) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	s.serveOrder(w, r.PathValue("orderId"), statusInProgress)
}

// handleOrderView serves GET /ocapi/v1/orders/completed/{orderId}, a
// completed order at Vista's path for them, and
// GET /ocapi/v1/orders/{orderId}/completion, an order's completion.
func (s *Server) handleOrderView(w http.ResponseWriter, r *http.Request) {
	first, second := r.PathValue("first"), r.PathValue("second")
	switch {
	case first == "completed":
		s.serveOrder(w, second, statusCompleted)
	case second == "completion":
		s.serveCompletion(w, first)
	case second == "vouchers":
		// The one-pattern dispatch hides this path's POST route from
		// ServeMux's own 405.
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, &apiError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", msg: "GET is not allowed here; allowed: POST."})
	default:
		s.fail(w, &apiError{status: http.StatusNotFound, code: "NotFound", msg: "There is no such endpoint."})
	}
}

func (s *Server) serveOrder(w http.ResponseWriter, id, status string) {
	now := s.now()
	s.mu.Lock()
	o := s.liveOrder(id, now)
	if o == nil || o.status != status {
		s.mu.Unlock()
		s.fail(w, errOrderNotFound(s.safe(id)))
		return
	}
	resp := s.render(o)
	s.mu.Unlock()
	s.writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleCancelOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("orderId")
	now := s.now()
	s.mu.Lock()
	o, e := s.changeableOrder(id, now)
	if e == nil {
		delete(s.orders, o.id)
	}
	s.mu.Unlock()
	if e != nil {
		s.fail(w, e)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAddVoucher(w http.ResponseWriter, r *http.Request) {
	var req addVoucherRequest
	// Decoded before the order is looked up to keep the lock short; a bad
	// body is still reported only after rule 1.
	problem := decodeBody(w, r, &req)
	now := s.now()
	s.mu.Lock()
	resp, e := s.addVoucher(r.PathValue("orderId"), &req, problem, now)
	s.mu.Unlock()
	if e != nil {
		if !e.blockedUntil.IsZero() && e.status == http.StatusTooManyRequests {
			wait := int(math.Ceil(e.blockedUntil.Sub(now).Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(wait, 1)))
		}
		s.fail(w, e)
		return
	}
	s.writeJSON(w, http.StatusOK, resp)
}

// addVoucher applies the voucher rules of ocapi/demo-data.md in their
// numbered order. The caller holds s.mu.
func (s *Server) addVoucher(orderID string, req *addVoucherRequest, problem string, now time.Time) (*addVoucherResponse, *apiError) {
	// Rule 1.
	o, e := s.changeableOrder(orderID, now)
	if e != nil {
		return nil, e
	}
	// Rule 2.
	if problem != "" {
		return nil, badRequest("InvalidRequest", "%s", problem)
	}
	typ := voucherType(req.Type)
	if typ == "" {
		return nil, badRequest("InvalidVoucherType", "type must be Ticket, Deal or Subscription.")
	}
	barcode := req.Credentials.Barcode
	if strings.TrimSpace(barcode) == "" {
		return nil, badRequest("InvalidRequest", "credentials.barcode is required.")
	}
	// Rule 3.
	v := s.vouchers[barcode]
	if v == nil {
		return nil, badRequest("VoucherNotFound", "Voucher %s is not known; check the barcode.", maskBarcode(barcode))
	}
	if v.typ != typ {
		return nil, badRequest("VoucherTypeMismatch", "Voucher %s is a %s voucher, not a %s voucher.", v.masked, v.typ, typ)
	}
	// Rule 4.
	if v.pin != nil {
		if now.Before(v.blockedUntil) {
			return nil, &apiError{status: http.StatusTooManyRequests, code: "TooManyAttempts", blockedUntil: v.blockedUntil,
				msg: fmt.Sprintf("Too many wrong PINs for voucher %s; it is blocked until %s UTC.", v.masked, v.blockedUntil.UTC().Format(time.TimeOnly))}
		}
		pin := req.Credentials.Pin
		if pin == nil || *pin == "" {
			return nil, s.wrongPin(v, now, "needs its PIN")
		}
		if subtle.ConstantTimeCompare([]byte(*pin), []byte(*v.pin)) != 1 {
			return nil, s.wrongPin(v, now, "was given a wrong PIN")
		}
		v.failures = v.failures[:0]
	}
	// Rule 5.
	if v.redemptions <= 0 {
		return nil, badRequest("VoucherUsedUp", "Voucher %s has been used up.", v.masked)
	}
	if !v.expiresAt.IsZero() && !now.Before(v.expiresAt) {
		return nil, badRequest("VoucherExpired", "Voucher %s expired on %s.", v.masked, v.expiresAt.UTC().Format(time.DateOnly))
	}
	// Rule 6.
	if typ == typeTicket && !(req.ShowtimeID == "" && s.profile.TicketWithoutShowtime) {
		if req.ShowtimeID == "" {
			return nil, badRequest("InvalidRequest", "showtimeId is required for a Ticket voucher.")
		}
		// Vista's ticket voucher flow adds the voucher before the tickets it
		// pays for, so the showtime need not be on the order yet: any
		// showtime of the order's site will do.
		info := s.showtimes[req.ShowtimeID]
		if info == nil || info.siteID != o.siteID {
			return nil, badRequest("ShowtimeNotAtSite", "Showtime %s is not a showtime of this order's site.", s.safe(req.ShowtimeID))
		}
		if !info.accepts[v.code] {
			return nil, badRequest("VoucherNotValidForShowtime", "Voucher %s (%s) cannot pay for any ticket of showtime %s.", v.masked, v.code, info.id)
		}
	}
	// Rule 7.
	if ov := o.byBarcode[barcode]; ov != nil {
		if s.profile.RepeatAddAnswersVoucher {
			return &addVoucherResponse{Voucher: ov.wire(nil), AvailableRedemptions: v.redemptions}, nil
		}
		return nil, badRequest("VoucherAlreadyOnOrder", "Voucher %s is already on this order.", v.masked)
	}
	// Rule 8.
	ov := &orderVoucher{id: s.newID(), v: v}
	o.vouchers = append(o.vouchers, ov)
	o.byBarcode[barcode] = ov
	o.byID[ov.id] = ov
	return &addVoucherResponse{Voucher: ov.wire(nil), AvailableRedemptions: v.redemptions}, nil
}

// wrongPin counts a failed attempt within the sliding window and starts the
// block when the limit is reached. The caller holds s.mu.
func (s *Server) wrongPin(v *voucherState, now time.Time, what string) *apiError {
	window := seconds(s.limits.BlockSeconds)
	kept := v.failures[:0]
	for _, t := range v.failures {
		if now.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	v.failures = append(kept, now)
	left := s.limits.PinAttempts - len(v.failures)
	if left <= 0 {
		v.failures = v.failures[:0]
		v.blockedUntil = now.Add(window)
		e := badRequest("InvalidPin", "Voucher %s %s; it is now blocked until %s UTC.", v.masked, what, v.blockedUntil.UTC().Format(time.TimeOnly))
		// Said in the body as a 429 says it, so a client need not read
		// the time out of the words.
		e.blockedUntil = v.blockedUntil
		return e
	}
	return badRequest("InvalidPin", "Voucher %s %s; %d attempt(s) left before it is blocked.", v.masked, what, left)
}

func (s *Server) handleRemoveVoucher(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.mu.Lock()
	e := s.removeVoucher(r.PathValue("orderId"), r.PathValue("voucherId"), now)
	s.mu.Unlock()
	if e != nil {
		s.fail(w, e)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// removeVoucher: the caller holds s.mu.
func (s *Server) removeVoucher(orderID, voucherID string, now time.Time) *apiError {
	o, e := s.changeableOrder(orderID, now)
	if e != nil {
		return e
	}
	ov := o.byID[voucherID]
	if ov == nil {
		return badRequest("VoucherNotFound", "No voucher with id %s is on this order.", s.safe(voucherID))
	}
	if n := o.uses()[ov]; ov.v.typ != typeDeal && n > 0 {
		return badRequest("VoucherInUse", "Voucher %s still pays for %d ticket(s) on this order; set the showtime's tickets without it first.", ov.v.masked, n)
	}
	for i, x := range o.vouchers {
		if x == ov {
			o.vouchers = append(o.vouchers[:i], o.vouchers[i+1:]...)
			break
		}
	}
	delete(o.byID, ov.id)
	delete(o.byBarcode, ov.v.barcode)
	return nil
}
