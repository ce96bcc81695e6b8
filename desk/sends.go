package desk

import (
	"errors"
	"sync"

	"github.com/boxoffice/boxoffice/api"
)

// BarcodeState is what this process knows of a barcode on an order.
type BarcodeState int

const (
	// BarcodeFree: not on its way, and not known attached by this process.
	BarcodeFree BarcodeState = iota
	// BarcodeInFlight: an add of it is on its way.
	BarcodeInFlight
	// BarcodeAttached: this process attached it, and has not removed it.
	BarcodeAttached
)

// ErrRepeat is in the chain of an attach that was not sent because the
// barcode is already attached to the order by this process, or an add of
// it is on its way: a repeat scan. It is journalled as a repeat, one
// attempt, not a refusal.
var ErrRepeat = errors.New("repeat: this barcode is already attached to the order, or on its way to it")

// RepeatError says why a repeat was not sent.
type RepeatError struct {
	OrderID       string
	MaskedBarcode string
	// InFlight is true when an add of the barcode is still on its way;
	// otherwise it is attached, as VoucherID.
	InFlight  bool
	VoucherID string
}

func (e *RepeatError) Error() string {
	if e.InFlight {
		return "voucher " + e.MaskedBarcode + " is already on its way to order " + e.OrderID + ": the repeat was not sent"
	}
	return "voucher " + e.MaskedBarcode + " is already attached to order " + e.OrderID + " (voucher id " + e.VoucherID + "): the repeat was not sent"
}

func (e *RepeatError) Is(target error) bool { return target == ErrRepeat }

// sends is what this process knows of each order's barcodes: those on
// their way and those it attached. It holds full barcodes, in memory only:
// they are never written anywhere, and go with the process.
type sends struct {
	mu     sync.Mutex
	orders map[string]map[string]*sent
}

type sent struct {
	inFlight  bool
	voucherID string
	// unknown: the last add of it went unanswered; it may be sent again.
	unknown bool
}

// claim marks barcode as on its way to order, unless it already is or is
// attached: then it returns that, and nothing is marked. earlierUnknown
// says the last add of it went unanswered.
func (s *sends) claim(orderID, barcode string) (state BarcodeState, voucherID string, earlierUnknown bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, voucherID := s.stateLocked(orderID, barcode); st != BarcodeFree {
		return st, voucherID, false
	}
	if s.orders == nil {
		s.orders = map[string]map[string]*sent{}
	}
	if s.orders[orderID] == nil {
		s.orders[orderID] = map[string]*sent{}
	}
	earlierUnknown = s.orders[orderID][barcode] != nil && s.orders[orderID][barcode].unknown
	s.orders[orderID][barcode] = &sent{inFlight: true}
	return BarcodeFree, "", earlierUnknown
}

// settle ends a claim: attached as voucherID; else free to be sent again
// (a refusal, a failure, an outcome not known: the operator decides what
// comes next), remembering when its outcome was not known.
func (s *sends) settle(orderID, barcode, voucherID string, unknown bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case voucherID != "":
		s.orders[orderID][barcode] = &sent{voucherID: voucherID}
	case unknown:
		s.orders[orderID][barcode] = &sent{unknown: true}
	default:
		delete(s.orders[orderID], barcode)
	}
}

func (s *sends) state(orderID, barcode string) (BarcodeState, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stateLocked(orderID, barcode)
}

func (s *sends) stateLocked(orderID, barcode string) (BarcodeState, string) {
	st := s.orders[orderID][barcode]
	switch {
	case st == nil, st.unknown:
		return BarcodeFree, ""
	case st.inFlight:
		return BarcodeInFlight, ""
	}
	return BarcodeAttached, st.voucherID
}

// removed forgets the barcode attached as voucherID: it may go on again.
func (s *sends) removed(orderID, voucherID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for barcode, st := range s.orders[orderID] {
		if !st.inFlight && st.voucherID == voucherID && voucherID != "" {
			delete(s.orders[orderID], barcode)
		}
	}
}

// ended forgets an order cancelled or completed, except what is still on
// its way.
func (s *sends) ended(orderID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for barcode, st := range s.orders[orderID] {
		if !st.inFlight {
			delete(s.orders[orderID], barcode)
		}
	}
	if len(s.orders[orderID]) == 0 {
		delete(s.orders, orderID)
	}
}

// BarcodeState says whether barcode is on its way to the order or attached
// to it by this Clerk, and as which voucher: a screen asks it when a scan
// is typed, and Attach asks it again when the scan is sent.
func (c *Clerk) BarcodeState(orderID, barcode string) (state BarcodeState, voucherID string) {
	if b, err := api.ValidateBarcode(barcode); err == nil {
		barcode = b
	}
	return c.sends.state(orderID, barcode)
}
