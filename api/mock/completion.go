package mock

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

func (s *Server) handleComplete(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	behaviour := s.dice.completion()
	s.mu.Lock()
	resp, e := s.complete(r.PathValue("orderId"), behaviour, now)
	s.mu.Unlock()
	if e != nil {
		s.fail(w, e)
		return
	}
	s.writeJSON(w, http.StatusOK, resp)
}

// serveCompletion reads an order's completion again. A Pending one counts
// the read and settles once enough reads have been made.
func (s *Server) serveCompletion(w http.ResponseWriter, id string) {
	now := s.now()
	s.mu.Lock()
	o := s.liveOrder(id, now)
	if o == nil || o.completion == nil {
		s.mu.Unlock()
		s.fail(w, &apiError{status: http.StatusNotFound, code: "OrderCompletionNotFound",
			msg: fmt.Sprintf("Order %s has no completion.", s.safe(id))})
		return
	}
	if c := o.completion; c.status == statusPending {
		c.pendingReads--
		if c.pendingReads <= 0 {
			s.settle(o)
		}
	}
	resp := o.completion.wire(o.id)
	s.mu.Unlock()
	s.writeJSON(w, http.StatusOK, resp)
}

func (c *completionState) wire(orderID string) *completionResponse {
	resp := &completionResponse{OrderID: orderID, OrderType: "Standard", Status: c.status}
	if c.status == statusCompleted {
		txn := c.txn
		resp.TransactionNumber = &txn
	}
	return resp
}

// complete finishes an order paid in full by vouchers and takes the
// redemptions it used off the vouchers for every later order. A Deal voucher
// pays for no ticket, so being on the order is its one use. The caller holds s.mu.
func (s *Server) complete(orderID, behaviour string, now time.Time) (*completionResponse, *apiError) {
	o := s.liveOrder(orderID, now)
	if o != nil && o.completion != nil && o.completion.status == statusPending {
		// Asked again while it settles: the same completion, not a second one.
		return o.completion.wire(o.id), nil
	}
	o, e := s.changeableOrder(orderID, now)
	if e != nil {
		return nil, e
	}
	if total := o.total(); total.ValueIncludingTax != 0 && o.mode == "Paid" {
		return nil, badRequest("OrderNotPaid", "The order still has %s to pay; a Paid order is completed here only once vouchers pay for all of it.", strconv.FormatFloat(total.ValueIncludingTax, 'f', 2, 64))
	}
	if e := o.seatsReady(); e != nil {
		return nil, e
	}
	// Other orders may have completed with the same voucher since it was added.
	for ov, n := range o.redemptions() {
		if n > ov.v.redemptions {
			return nil, badRequest("VoucherRedemptionsExceeded", "Voucher %s can now pay for %d ticket(s), not %d; it was used on another order.", ov.v.masked, ov.v.redemptions, n)
		}
		if !ov.v.expiresAt.IsZero() && !now.Before(ov.v.expiresAt) {
			return nil, badRequest("VoucherExpired", "Voucher %s expired on %s.", ov.v.masked, ov.v.expiresAt.UTC().Format(time.DateOnly))
		}
	}
	switch behaviour {
	case CompletionFailed:
		// Nothing is redeemed and the order stays in progress, so the
		// operator can take another payment or cancel it.
		o.completion = &completionState{status: statusFailed}
		return o.completion.wire(o.id), nil
	case CompletionPending:
		o.completion = &completionState{status: statusPending, pendingReads: PendingReads}
		return o.completion.wire(o.id), nil
	}
	s.settle(o)
	return o.completion.wire(o.id), nil
}

// redemptions counts what completing o takes off each voucher: a ticket
// each, and one for a Deal voucher, whose use is being on the order.
func (o *order) redemptions() map[*orderVoucher]int {
	uses := o.uses()
	for _, ov := range o.vouchers {
		if ov.v.typ == typeDeal {
			uses[ov] = 1
		}
	}
	return uses
}

// settle completes o: its redemptions are taken and it gets a transaction
// number. The caller holds s.mu.
func (s *Server) settle(o *order) {
	for ov, n := range o.redemptions() {
		ov.v.redemptions -= n
	}
	o.seatsSold()
	o.status = statusCompleted
	s.txn++
	if o.completion == nil {
		o.completion = &completionState{}
	}
	o.completion.status = statusCompleted
	o.completion.txn = 100000 + s.txn
}
