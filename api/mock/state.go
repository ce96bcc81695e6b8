package mock

import (
	"slices"
	"time"
)

// State is the whole of the mock's state as the admin API shows it.
// Barcodes are masked as the profile masks them; PINs never appear.
type State struct {
	// Now is the mock's clock; ClockOffset how far it was moved on.
	Now         time.Time `json:"now"`
	ClockOffset string    `json:"clockOffset"`
	Profile     string    `json:"profile"`
	// Orders are the orders held, in progress and completed, oldest first
	// (with ?orders=n, the newest n).
	Orders []OrderState `json:"orders"`
	// Vouchers are the vouchers the mock knows, in the data's order; with
	// ?vouchers=active only those on an order, used, blocked or given a
	// wrong PIN; with ?vouchers=none none.
	Vouchers    []VoucherView     `json:"vouchers"`
	Blocks      []Block           `json:"blocks"`
	Completions []CompletionState `json:"completions"`
	Counts      StateCounts       `json:"counts"`
}

// StateCounts are totals, whatever the filter left out.
type StateCounts struct {
	Orders   int `json:"orders"`
	Vouchers int `json:"vouchers"`
	Journal  int `json:"journal"`
}

// OrderState is one order.
type OrderState struct {
	ID          string    `json:"id"`
	Status      string    `json:"status"`
	SiteID      string    `json:"siteId"`
	BookingMode string    `json:"bookingMode"`
	ExpiresAt   time.Time `json:"expiresAt"`
	// ExpiresInSeconds is negative once the time has passed.
	ExpiresInSeconds int   `json:"expiresInSeconds"`
	TotalPrice       money `json:"totalPrice"`
	// Showtimes are as the order's own JSON carries them: tickets (and
	// what paid for each) and seats.
	Showtimes []orderShowtimeJSON `json:"showtimes"`
	// Vouchers are the order's vouchers, the newest last; VoucherCount
	// counts them all, whatever ?orderVouchers= left out.
	Vouchers     []OrderVoucherState `json:"vouchers"`
	VoucherCount int                 `json:"voucherCount"`
	Completion   *CompletionState    `json:"completion,omitempty"`
}

// OrderVoucherState is a voucher on an order.
type OrderVoucherState struct {
	ID            string `json:"id"`
	MaskedBarcode string `json:"maskedBarcode"`
	Type          string `json:"type"`
	Code          string `json:"voucherTypeCode"`
	Description   string `json:"description"`
	// PaysFor is how many tickets of the order name it.
	PaysFor int `json:"paysFor"`
	// RedemptionsLeft is what the voucher has left before this order
	// completes.
	RedemptionsLeft int `json:"redemptionsLeft"`
}

// VoucherView is one voucher the mock knows.
type VoucherView struct {
	MaskedBarcode   string     `json:"maskedBarcode"`
	Type            string     `json:"type"`
	Code            string     `json:"voucherTypeCode"`
	Description     string     `json:"description"`
	HasPin          bool       `json:"hasPin"`
	Redemptions     int        `json:"redemptions"`
	RedemptionsLeft int        `json:"redemptionsLeft"`
	ExpiresAt       *time.Time `json:"expiresAt,omitempty"`
	Expired         bool       `json:"expired"`
	// WrongPins counts the wrong PINs within the block window.
	WrongPins    int        `json:"wrongPins"`
	BlockedUntil *time.Time `json:"blockedUntil,omitempty"`
	OnOrders     []string   `json:"onOrders"`
}

// Block is a voucher blocked after too many wrong PINs.
type Block struct {
	MaskedBarcode string    `json:"maskedBarcode"`
	BlockedUntil  time.Time `json:"blockedUntil"`
	SecondsLeft   int       `json:"secondsLeft"`
}

// CompletionState is an order's completion.
type CompletionState struct {
	OrderID           string `json:"orderId"`
	Status            string `json:"status"`
	TransactionNumber *int   `json:"transactionNumber"`
	// PendingReads is how many more reads a Pending completion answers
	// Pending.
	PendingReads int `json:"pendingReads,omitempty"`
}

// StateQuery trims the state for a reader that shows only part of it, such
// as the page on a mock many counters use.
type StateQuery struct {
	// Vouchers is "all" (or ""), "active" (on an order, used, blocked or
	// given a wrong PIN) or "none".
	Vouchers string
	// Orders keeps only the newest n orders; 0 keeps all.
	Orders int
	// OrderVouchers keeps only each order's newest n vouchers; 0 keeps all.
	OrderVouchers int
}

// state copies the state as q asks. The caller holds worldMu for reading.
func (s *Server) state(q StateQuery) State {
	now := s.now()
	st := State{Now: now.UTC(), ClockOffset: time.Duration(s.clockOffset.Load()).String(), Profile: s.profile.Name,
		Orders: []OrderState{}, Vouchers: []VoucherView{}, Blocks: []Block{}, Completions: []CompletionState{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	orders := make([]*order, 0, len(s.orders))
	for _, o := range s.orders {
		orders = append(orders, o)
	}
	slices.SortFunc(orders, func(a, b *order) int { return a.seq - b.seq })
	var onOrders map[*voucherState][]string
	if q.Vouchers != "none" {
		onOrders = map[*voucherState][]string{}
		for _, o := range orders {
			for _, ov := range o.vouchers {
				onOrders[ov.v] = append(onOrders[ov.v], o.id)
			}
		}
	}
	if q.Orders > 0 && len(orders) > q.Orders {
		orders = orders[len(orders)-q.Orders:]
	}
	for _, o := range orders {
		os := s.orderState(o, now, q.OrderVouchers)
		st.Orders = append(st.Orders, os)
		if os.Completion != nil {
			st.Completions = append(st.Completions, *os.Completion)
		}
	}
	for _, v := range s.voucherList {
		blocked := now.Before(v.blockedUntil)
		if blocked {
			st.Blocks = append(st.Blocks, Block{MaskedBarcode: v.masked, BlockedUntil: v.blockedUntil.UTC(),
				SecondsLeft: int(v.blockedUntil.Sub(now).Seconds() + 0.999)})
		}
		if q.Vouchers == "none" {
			continue
		}
		wrong := v.wrongPins(now, seconds(s.limits.BlockSeconds))
		if q.Vouchers == "active" && !blocked && wrong == 0 && onOrders[v] == nil && v.redemptions == v.initial {
			continue
		}
		st.Vouchers = append(st.Vouchers, s.voucherView(v, now, wrong, blocked, onOrders[v]))
	}
	st.Counts = StateCounts{Orders: len(s.orders), Vouchers: len(s.voucherList)}
	return st
}

// wrongPins counts the failures still inside the window.
func (v *voucherState) wrongPins(now time.Time, window time.Duration) int {
	n := 0
	for _, t := range v.failures {
		if now.Sub(t) < window {
			n++
		}
	}
	return n
}

func (s *Server) voucherView(v *voucherState, now time.Time, wrong int, blocked bool, onOrders []string) VoucherView {
	vv := VoucherView{MaskedBarcode: v.masked, Type: v.typ, Code: v.code, Description: v.desc, HasPin: v.pin != nil,
		Redemptions: v.initial, RedemptionsLeft: v.redemptions, WrongPins: wrong, OnOrders: onOrders}
	if vv.OnOrders == nil {
		vv.OnOrders = []string{}
	}
	if !v.expiresAt.IsZero() {
		t := v.expiresAt.UTC()
		vv.ExpiresAt, vv.Expired = &t, !now.Before(v.expiresAt)
	}
	if blocked {
		t := v.blockedUntil.UTC()
		vv.BlockedUntil = &t
	}
	return vv
}

// orderState copies one order, with its newest lastVouchers vouchers (0:
// all). The caller holds s.mu.
func (s *Server) orderState(o *order, now time.Time, lastVouchers int) OrderState {
	wire := s.render(o).Order
	os := OrderState{ID: o.id, Status: o.status, SiteID: o.siteID, BookingMode: o.mode, ExpiresAt: o.expiresAt.UTC(),
		ExpiresInSeconds: int(o.expiresAt.Sub(now).Seconds()), TotalPrice: wire.TotalPrice,
		Showtimes: wire.Showtimes, Vouchers: []OrderVoucherState{}}
	if o.status == statusInProgress && !now.Before(o.expiresAt) {
		os.Status = "Expired"
	}
	uses := o.uses()
	os.VoucherCount = len(o.vouchers)
	vouchers := o.vouchers
	if lastVouchers > 0 && len(vouchers) > lastVouchers {
		vouchers = vouchers[len(vouchers)-lastVouchers:]
	}
	for _, ov := range vouchers {
		os.Vouchers = append(os.Vouchers, OrderVoucherState{ID: ov.id, MaskedBarcode: ov.v.masked, Type: ov.v.typ,
			Code: ov.v.code, Description: ov.v.desc, PaysFor: uses[ov], RedemptionsLeft: ov.v.redemptions})
	}
	if c := o.completion; c != nil {
		cs := CompletionState{OrderID: o.id, Status: c.status, TransactionNumber: c.wire(o.id).TransactionNumber}
		if c.status == statusPending {
			cs.PendingReads = c.pendingReads
		}
		os.Completion = &cs
	}
	return os
}
