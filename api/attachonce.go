package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// AttachVoucher adds a voucher to an order exactly once, even over a network
// that loses answers. A voucher add must never be resent blindly: when an
// add's outcome is unknown the order is re-read, and only when the voucher is
// not on it is the add sent again, after a pause and a second read, up to
// MaxAttempts sends. An add with a PIN is never sent again by itself: its
// outcome stays unknown and goes back to the caller, since a resend could
// cost a PIN attempt.
//
// A voucher is reported on the order after a lost answer only when that is
// certain: the server said yes (an answer it could not read), or it refused
// a resend because the barcode is on the order, and exactly one voucher
// that looks like it (same type, a masked barcode that fits) appeared. A
// look-alike that appeared while the answer was lost may be another
// writer's: a gateway's 502 or 504 and a timeout do not say whether the add
// reached the server at all. For a voucher without a PIN the add is then
// sent again, and the answer decides (a new voucher: ours was not there; a
// refusal as already on the order: the look-alike is ours). When nothing
// decides, the result's Outcome is AttachMatchedByMask with the look-alikes,
// and the error is an unknown outcome wrapping ErrLookAlike.
//
// Definite refusals (400, 404, 429, 401, 403) are returned at once as the
// add's *Error. When the order cannot be re-read, or the voucher is still
// missing after the last send, the last add's error is returned, with
// OutcomeUnknown set: the caller must not assume either way.
func (c *Client) AttachVoucher(ctx context.Context, orderID string, req AddVoucherRequest, policy AttachPolicy) (AttachResult, error) {
	p := policy.withDefaults(c.retryWait)
	req, err := prepareAddVoucher(OpAddVoucher, orderID, req)
	if err != nil {
		return AttachResult{}, err
	}
	a := &attachment{c: c, ctx: ctx, orderID: orderID, req: req, p: p,
		res: AttachResult{AvailableRedemptions: -1}}
	if p.EarlierAddUnknown {
		a.unknown = &Error{Op: OpAddVoucher, Kind: KindNetwork, OutcomeUnknown: true,
			Message: "an earlier add of this voucher went unanswered"}
		a.mayHaveLanded = true
	}
	return a.run()
}

// attachment is one AttachVoucher under way.
type attachment struct {
	c       *Client
	ctx     context.Context
	orderID string
	req     AddVoucherRequest
	p       AttachPolicy
	res     AttachResult

	// known are the ids of vouchers that are not ours: those the caller
	// knew, and those that appeared while an add was lost and were shown
	// to be someone else's. Built only after an unknown outcome, which is
	// rare: building it up front would cost every add O(vouchers).
	known map[string]bool
	// unknown is the last add whose outcome was unknown; applied is set
	// once any add was answered with success (an answer that could not be
	// read), so ours is on the order.
	unknown *Error
	applied bool
	// mayHaveLanded is set once a send whose outcome was unknown may have
	// been applied: any but a 503, which says it was not processed.
	mayHaveLanded bool
	// deciding are the look-alikes a resend is to decide about: an answer
	// naming one of them says it was ours.
	deciding []OrderVoucher
}

// verdict is what a re-read order says of an add whose answer was lost.
type verdict int

const (
	// missing: nothing like ours is new on the order.
	missing verdict = iota
	// found: ours is on the order for certain.
	found
	// undecided: a look-alike is there that may be another writer's, and
	// only a resend could tell.
	undecided
	// matched: a look-alike is there, and nothing more can tell.
	matched
	// stop: nothing more can be learned; the outcome stays unknown.
	stop
)

func (a *attachment) run() (AttachResult, error) {
	for attempt := 1; ; attempt++ {
		a.res.Attempts = attempt
		added, err := a.c.AddVoucher(a.ctx, a.orderID, a.req)
		if err == nil {
			return a.answered(added), nil
		}
		e := AsError(err)
		if e == nil {
			return a.res, err
		}
		if !e.OutcomeUnknown {
			if e.Kind == KindRejected && ReasonOf(e) == ReasonAlreadyOnOrder {
				a.c.repeatsRefused.Store(true)
			}
			if a.unknown != nil && e.Kind == KindRejected {
				return a.refusedResend(e)
			}
			return a.res, err
		}
		a.unknown = e
		a.mayHaveLanded = a.mayHaveLanded || !saidNotProcessed(e)
		if errors.Is(e, ErrOtherVoucher) {
			// The server said yes to something, about another voucher: no
			// read of the order can say which add it was.
			return a.res, e
		}
		a.applied = a.applied || e.Applied
		v, lookAlikes, order, err := a.reread()
		if err != nil {
			return a.res, err
		}
		if res, err, done := a.settled(v, lookAlikes); done {
			return res, err
		}
		if !a.mayResend(order) || attempt >= a.p.MaxAttempts || !pause(a.ctx, a.p.Backoff(attempt)) {
			return a.gaveUp(v, lookAlikes)
		}
		// A second read before the resend: an add that a gateway gave up on
		// may land late, and must not be sent twice.
		if v, lookAlikes, order, err = a.reread(); err != nil {
			return a.res, err
		}
		if res, err, done := a.settled(v, lookAlikes); done {
			return res, err
		}
		if !a.mayResend(order) {
			return a.gaveUp(v, lookAlikes)
		}
		a.deciding = lookAlikes
	}
}

// settled turns a verdict that ends the attach into its result.
func (a *attachment) settled(v verdict, lookAlikes []OrderVoucher) (AttachResult, error, bool) {
	switch v {
	case found:
		return recovered(a.res, lookAlikes[0]), nil, true
	case matched:
		res, err := a.matchedByMask(lookAlikes)
		return res, err, true
	case stop:
		return a.res, a.unknown, true
	}
	return AttachResult{}, nil, false
}

// gaveUp ends an attach that may not be sent again.
func (a *attachment) gaveUp(v verdict, lookAlikes []OrderVoucher) (AttachResult, error) {
	if v == undecided {
		return a.matchedByMask(lookAlikes)
	}
	return a.res, a.unknown
}

// answered is the result of an add the server answered with success. When
// a resend was to decide between ours and a look-alike, an answer naming
// the look-alike says it was ours all along.
func (a *attachment) answered(added *AddVoucherResponse) AttachResult {
	res := a.res
	res.Voucher = added.Voucher
	res.AvailableRedemptions = added.AvailableRedemptions
	res.Outcome = AttachAdded
	res.Recovered = a.unknown != nil
	if a.unknown == nil {
		return res
	}
	for _, v := range a.deciding {
		if v.ID == added.Voucher.ID {
			res.Outcome = AttachAlreadyOnOrder
		}
	}
	if a.known[added.Voucher.ID] {
		res.Outcome = AttachAlreadyOnOrder
	}
	return res
}

// mayResend says whether a send whose answer was lost may go again: not
// when the server said yes (what it added would be added twice), not when
// the order does not list its vouchers (absent is not empty), and not with
// a PIN (if the lost answer was a refusal, a resend with the same PIN would
// cost the customer a PIN attempt nobody made; the operator decides).
func (a *attachment) mayResend(order *Order) bool {
	return !a.applied && order.VouchersListed && a.req.Credentials.Pin == nil
}

// reread reads the order after an add whose outcome was unknown and
// judges it. An order that is gone ends the attach with its 404; one that
// cannot be read leaves the outcome unknown.
func (a *attachment) reread() (verdict, []OrderVoucher, *Order, error) {
	order, err := a.c.rereadOrder(a.ctx, a.orderID, a.p)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return stop, nil, nil, err
		}
		return stop, nil, nil, a.unknown
	}
	v, lookAlikes := a.judge(order)
	return v, lookAlikes, order, nil
}

// judge reads what an order holds after an add whose outcome was unknown.
func (a *attachment) judge(order *Order) (verdict, []OrderVoucher) {
	lookAlikes, others := a.newOnOrder(order)
	// Vouchers nobody here added appeared: another writer's, never ours.
	for _, v := range others {
		a.known[v.ID] = true
	}
	switch {
	case !order.VouchersListed:
		return stop, nil
	case len(lookAlikes) == 0:
		return missing, nil
	case a.applied && len(lookAlikes) == 1:
		// The server said yes, and one voucher like ours is new: ours.
		return found, lookAlikes
	case a.applied:
		return matched, lookAlikes
	case !a.mayHaveLanded:
		// The server said it did not process the add, nor any before it:
		// the look-alikes are another writer's.
		for _, v := range lookAlikes {
			a.known[v.ID] = true
		}
		return missing, nil
	case a.req.Credentials.Pin == nil && a.resendDecides():
		return undecided, lookAlikes
	}
	return matched, lookAlikes
}

// resendDecides reports whether a resend's answer can tell ours from a
// look-alike: only on a server that refuses a barcode already on the order
// (the caller says so, or this server has said so). Elsewhere a resend
// after an add that did arrive would put the voucher on the order twice.
func (a *attachment) resendDecides() bool {
	return a.p.RepeatsRefused || a.c.repeatsRefused.Load()
}

// newOnOrder splits the order's vouchers that the caller did not know into
// those that look like ours (same type, a masked barcode that fits the
// barcode) and the others.
func (a *attachment) newOnOrder(order *Order) (lookAlikes, others []OrderVoucher) {
	if a.known == nil {
		a.known = make(map[string]bool, len(a.p.KnownVoucherIDs))
		for _, id := range a.p.KnownVoucherIDs {
			a.known[id] = true
		}
	}
	for _, v := range order.Vouchers {
		switch {
		case a.known[v.ID]:
		case looksLike(v, a.req):
			lookAlikes = append(lookAlikes, v)
		default:
			others = append(others, v)
		}
	}
	return lookAlikes, others
}

// looksLike reports whether v may be the voucher req adds: the same type
// (or none said) and a masked barcode that fits the barcode.
func looksLike(v OrderVoucher, req AddVoucherRequest) bool {
	typeFits := v.Type == "" || strings.EqualFold(string(v.Type), string(req.Type))
	return typeFits && maskedMatches(v.MaskedBarcode, req.Credentials.Barcode)
}

// refusedResend reads what a refusal of a resend means. It may be the
// server seeing our earlier, unanswered add. Vista documents no error
// schema, so the order is asked too, and the refusal's words count only
// when they say the barcode is already on the order.
func (a *attachment) refusedResend(refusal *Error) (AttachResult, error) {
	order, err := a.c.rereadOrder(a.ctx, a.orderID, a.p)
	switch {
	case KindOf(err) == KindNotFound:
		return a.res, err
	case err != nil:
		// Unconfirmed, the refusal proves nothing: the earlier add may be
		// what the server is refusing to repeat.
		return a.res, a.unknown
	case !order.VouchersListed:
		return a.res, a.unknown
	}
	lookAlikes, _ := a.newOnOrder(order)
	onOrder := ReasonOf(refusal) == ReasonAlreadyOnOrder
	switch {
	case len(lookAlikes) == 0:
		// Nothing like ours is new: the refusal stands (a voucher already
		// on the order before the add is the caller's to know).
		return a.res, refusal
	case onOrder && len(lookAlikes) == 1 && !a.knownLookAlike(order):
		return recovered(a.res, lookAlikes[0]), nil
	}
	return a.matchedByMask(lookAlikes)
}

// knownLookAlike reports whether a voucher the caller knew looks like ours:
// a refusal as "already on the order" may then be about it.
func (a *attachment) knownLookAlike(order *Order) bool {
	for _, v := range order.Vouchers {
		if a.known[v.ID] && looksLike(v, a.req) {
			return true
		}
	}
	return false
}

// matchedByMask ends an attach that nothing could decide: a voucher like
// ours is on the order, and it may be another writer's.
func (a *attachment) matchedByMask(lookAlikes []OrderVoucher) (AttachResult, error) {
	res := a.res
	res.Outcome = AttachMatchedByMask
	res.LookAlikes = lookAlikes
	if len(lookAlikes) == 1 {
		res.Voucher = lookAlikes[0]
	}
	return res, lookAlike(a.unknown)
}

// saidNotProcessed reports whether the server answered that it did not
// process the request (503 Service Unavailable). A look-alike of ours found
// on the order after such an answer is then someone else's, or at best
// ours against the server's word: never taken for ours.
func saidNotProcessed(e *Error) bool { return e.Status == http.StatusServiceUnavailable }

func recovered(res AttachResult, v OrderVoucher) AttachResult {
	res.Voucher = v
	res.Outcome = AttachAlreadyOnOrder
	res.Recovered = true
	res.AvailableRedemptions = -1
	if v.AvailableRedemptions != nil {
		res.AvailableRedemptions = *v.AvailableRedemptions
	}
	return res
}

// ErrLookAlike is in the chain of an unknown outcome when the order holds a
// voucher that looks like ours (same type and masked barcode) but that may
// not be ours: its answer was lost, and nothing could tell whether the add
// reached the server or another writer added a voucher that looks the same.
// The result's Outcome is then AttachMatchedByMask.
var ErrLookAlike = errors.New("the order holds a voucher that looks like this one, but it may be another counter's")

func lookAlike(unknown *Error) *Error {
	e := *unknown
	e.Err = ErrLookAlike
	e.Message = ""
	return &e
}
