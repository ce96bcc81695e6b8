package api

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// AttachOutcome says how a voucher came to be on the order.
type AttachOutcome int

const (
	// AttachAdded: the server answered the add with success.
	AttachAdded AttachOutcome = iota + 1
	// AttachAlreadyOnOrder: an add whose answer was lost turned out, on
	// re-reading the order, to have been applied.
	AttachAlreadyOnOrder
)

func (o AttachOutcome) String() string {
	switch o {
	case AttachAdded:
		return "added"
	case AttachAlreadyOnOrder:
		return "already_on_order"
	}
	return "none"
}

// AttachResult describes a voucher that is now on the order.
type AttachResult struct {
	Voucher OrderVoucher
	// AvailableRedemptions is how many tickets the voucher may still pay for
	// on this order, -1 when the server did not say.
	AvailableRedemptions int
	Outcome              AttachOutcome
	// Attempts is how many times the add was sent.
	Attempts int
	// Recovered is true when an add's outcome was unknown (no answer, a
	// timeout, a 5xx) and re-reading the order settled it.
	Recovered bool
}

// AttachPolicy bounds AttachVoucher and DetachVoucher.
type AttachPolicy struct {
	// MaxAttempts caps the sends of the add (or remove); 0 means 4. It also
	// caps the re-reads of the order after each unknown outcome.
	MaxAttempts int
	// Backoff is the pause after failed attempt n (1-based); nil means the
	// client's GetRetryWait (200ms unless set) doubled on each attempt,
	// capped at 2s, jittered down by up to half.
	Backoff func(attempt int) time.Duration
	// KnownVoucherIDs are the ids of vouchers the caller already shows on the
	// order. After an unknown outcome, a voucher on the order with the same
	// masked barcode and type counts as ours only if its id is not among
	// these; without them, a voucher attached earlier with the same barcode
	// would be taken for this attach (harmless: the server refuses a second
	// copy of a barcode anyway).
	KnownVoucherIDs []string
	// OthersAdding says the caller has seen vouchers it did not add appear
	// on this order: another counter or a script is adding to it. A voucher
	// that looks like ours after a lost answer may then be theirs, so it is
	// never taken for ours, even when it is the only one.
	OthersAdding bool
}

const defaultAttachAttempts = 4

func (p AttachPolicy) withDefaults(firstWait time.Duration) AttachPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = defaultAttachAttempts
	}
	if p.Backoff == nil {
		p.Backoff = func(attempt int) time.Duration { return backoff(firstWait, attempt) }
	}
	return p
}

// backoff is the pause after failed attempt n (1-based): first doubled on
// each attempt, up to maxGetRetryWait, jittered down by up to half.
func backoff(first time.Duration, attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := maxGetRetryWait
	if attempt <= 8 {
		d = min(d, first<<(attempt-1))
	}
	// Jitter keeps several counters that lost the same server from
	// retrying in lockstep.
	return d/2 + rand.N(d/2+1)
}

// AttachVoucher adds a voucher to an order exactly once, even over a network
// that loses answers. A voucher add must never be resent blindly: when an
// add's outcome is unknown the order is re-read, and only when the voucher is
// not on it is the add sent again, after a pause, up to MaxAttempts sends.
// An add with a PIN is never sent again by itself: its outcome stays unknown
// and goes back to the caller, since a resend could cost a PIN attempt.
//
// Definite refusals (400, 404, 429, 401, 403) are returned at once as the
// add's *Error. When the order cannot be re-read, or the voucher is still
// missing after the last send, the last add's error is returned, with
// OutcomeUnknown set: the caller must not assume either way.
func (c *Client) AttachVoucher(ctx context.Context, orderID string, req AddVoucherRequest, policy AttachPolicy) (AttachResult, error) {
	const op = OpAddVoucher
	p := policy.withDefaults(c.retryWait)
	req, err := prepareAddVoucher(op, orderID, req)
	if err != nil {
		return AttachResult{}, err
	}
	// The set of known ids is needed only after an unknown outcome, which
	// is rare; building it up front would cost every add O(vouchers).
	var known map[string]bool
	knownIDs := func() map[string]bool {
		if known == nil {
			known = make(map[string]bool, len(p.KnownVoucherIDs))
			for _, id := range p.KnownVoucherIDs {
				known[id] = true
			}
		}
		return known
	}
	res := AttachResult{AvailableRedemptions: -1}
	othersAdding := p.OthersAdding
	var unknown *Error // the last add whose outcome was unknown
	for attempt := 1; ; attempt++ {
		res.Attempts = attempt
		added, err := c.AddVoucher(ctx, orderID, req)
		if err == nil {
			res.Voucher = added.Voucher
			res.AvailableRedemptions = added.AvailableRedemptions
			res.Outcome = AttachAdded
			res.Recovered = unknown != nil
			return res, nil
		}
		e := AsError(err)
		if e == nil {
			return res, err
		}
		if !e.OutcomeUnknown {
			// A refusal of a resend may be the server seeing our earlier,
			// unanswered add ("already on this order"). Vista documents no
			// error schema, so the order is asked rather than the message.
			if unknown != nil && e.Kind == KindRejected {
				order, rerr := c.rereadOrder(ctx, orderID, p)
				switch {
				case KindOf(rerr) == KindNotFound:
					return res, rerr
				case rerr != nil:
					// Unconfirmed, the refusal proves nothing: the earlier
					// add may be what the server is refusing to repeat.
					return res, unknown
				}
				switch v, f := findAttached(order, req, knownIDs(), othersAdding); f {
				case attachFound:
					return recovered(res, v), nil
				case attachAmbiguous:
					return res, lookAlike(unknown)
				}
				if !order.VouchersListed {
					return res, unknown
				}
			}
			return res, err
		}
		unknown = e
		order, rerr := c.rereadOrder(ctx, orderID, p)
		if rerr != nil {
			if KindOf(rerr) == KindNotFound {
				return res, rerr // the order is gone: nothing to attach to
			}
			return res, unknown
		}
		switch v, f := findAttached(order, req, knownIDs(), othersAdding || saidNotProcessed(e)); f {
		case attachFound:
			return recovered(res, v), nil
		case attachAmbiguous:
			return res, lookAlike(unknown)
		}
		// None of the order's vouchers is ours: they are what the order held
		// before the next send, against which its outcome is read. Any of
		// them new to us was added by someone else, who may add a look-alike
		// of ours next.
		for _, v := range order.Vouchers {
			othersAdding = othersAdding || !known[v.ID]
			known[v.ID] = true
		}
		// A success answer that could not be read was an add all the same, and
		// an order that does not list its vouchers cannot show that ours is
		// missing: either way another send could attach it twice. An add
		// with a PIN is not sent again either: if the lost answer was a
		// refusal, a resend with the same PIN would cost the customer a PIN
		// attempt nobody made; the operator decides.
		if e.Applied || !order.VouchersListed || req.Credentials.Pin != nil {
			return res, unknown
		}
		if attempt >= p.MaxAttempts || !pause(ctx, p.Backoff(attempt)) {
			return res, unknown
		}
	}
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

// DetachVoucher removes a voucher from an order, tolerating lost answers the
// same way AttachVoucher does: after an unknown outcome the order is re-read;
// a voucher no longer on it counts as removed, one still on it is removed
// again. A refusal of a resend (400, or 404 for the voucher) is also checked
// against the order, since it may be the server not finding a voucher our
// unanswered remove already took off.
func (c *Client) DetachVoucher(ctx context.Context, orderID, voucherID string, policy AttachPolicy) error {
	const op = OpRemoveVoucher
	p := policy.withDefaults(c.retryWait)
	if err := checkID(op, "order id", orderID); err != nil {
		return err
	}
	if err := checkID(op, "voucher id", voucherID); err != nil {
		return err
	}
	var unknown *Error
	for attempt := 1; ; attempt++ {
		err := c.RemoveVoucher(ctx, orderID, voucherID)
		if err == nil {
			return nil
		}
		e := AsError(err)
		if e == nil {
			return err
		}
		if !e.OutcomeUnknown {
			if unknown != nil && (e.Kind == KindRejected || e.Kind == KindNotFound) {
				order, rerr := c.rereadOrder(ctx, orderID, p)
				switch {
				case KindOf(rerr) == KindNotFound:
					return rerr
				case rerr != nil, !order.VouchersListed:
					return unknown
				case !hasVoucher(order, voucherID):
					return nil
				}
			}
			return err
		}
		unknown = e
		order, rerr := c.rereadOrder(ctx, orderID, p)
		if rerr != nil {
			if KindOf(rerr) == KindNotFound {
				return rerr
			}
			return unknown
		}
		if !order.VouchersListed {
			// Absent is not empty: the order cannot show the voucher gone.
			return unknown
		}
		if !hasVoucher(order, voucherID) {
			return nil
		}
		if attempt >= p.MaxAttempts || !pause(ctx, p.Backoff(attempt)) {
			return unknown
		}
	}
}

// rereadOrder reads the order, trying again after failures that a later try
// may not meet (network, timeout, 5xx), up to MaxAttempts reads. GetOrder
// has its own quick retries underneath; these outlast a longer outage.
func (c *Client) rereadOrder(ctx context.Context, orderID string, p AttachPolicy) (*Order, error) {
	for attempt := 1; ; attempt++ {
		resp, err := c.GetOrder(ctx, orderID)
		if err == nil {
			return &resp.Order, nil
		}
		switch KindOf(err) {
		case KindNetwork, KindTimeout, KindServer:
		default:
			return nil, err
		}
		if attempt >= p.MaxAttempts || !pause(ctx, p.Backoff(attempt)) {
			return nil, err
		}
	}
}

// attachFinding is what a re-read order says of an add whose answer was lost.
type attachFinding int

const (
	attachMissing attachFinding = iota
	attachFound
	attachAmbiguous
)

// ErrLookAlike is in the chain of an unknown outcome when the order holds a
// voucher that looks like ours (same type and masked barcode) but that may
// not be ours: more than one does, or vouchers nobody here added appeared
// with it, so another counter is adding to the order too.
var ErrLookAlike = errors.New("the order holds a voucher that looks like this one, but it may be another counter's")

func lookAlike(unknown *Error) *Error {
	e := *unknown
	e.Err = ErrLookAlike
	e.Message = ""
	return &e
}

// findAttached looks for the voucher req would have added among the order's
// vouchers the caller did not know: same type and a masked barcode that fits
// the barcode. It is found only when it is the one such voucher and nothing
// else appeared; otherwise it may be another writer's, and the finding is
// ambiguous, as it is whenever othersAdding says another writer is at work
// on the order. An outcome is never reported attached on a guess.
func findAttached(order *Order, req AddVoucherRequest, known map[string]bool, othersAdding bool) (OrderVoucher, attachFinding) {
	var match OrderVoucher
	matches, others := 0, 0
	for _, v := range order.Vouchers {
		if known[v.ID] {
			continue
		}
		typeFits := v.Type == "" || strings.EqualFold(string(v.Type), string(req.Type))
		if typeFits && maskedMatches(v.MaskedBarcode, req.Credentials.Barcode) {
			match = v
			matches++
			continue
		}
		others++
	}
	switch {
	case matches == 0:
		return OrderVoucher{}, attachMissing
	case matches == 1 && others == 0 && !othersAdding:
		return match, attachFound
	}
	return OrderVoucher{}, attachAmbiguous
}

// maskedMatches compares a server-masked barcode with the one we sent. Our
// own masking is checked first; then, in case a server masks differently
// (another mask character such as '*' or 'X', fewer characters shown), each
// position must either show the barcode's character or hold a mask
// character, and at least one must show.
func maskedMatches(masked, barcode string) bool {
	if masked == "" {
		return false
	}
	if masked == MaskBarcode(barcode) {
		return true
	}
	m, b := []rune(masked), []rune(barcode)
	if len(m) != len(b) {
		return false
	}
	shown := 0
	for i := range m {
		switch {
		case isAlnum(m[i]) && unicode.ToUpper(m[i]) == unicode.ToUpper(b[i]):
			shown++
		case !isAlnum(m[i]) || m[i] == 'X' || m[i] == 'x':
			// a mask character
		default:
			return false
		}
	}
	return shown > 0
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func hasVoucher(order *Order, voucherID string) bool {
	for _, v := range order.Vouchers {
		if v.ID == voucherID {
			return true
		}
	}
	return false
}

// pause waits d, or less if ctx ends first; it reports whether to go on.
func pause(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
