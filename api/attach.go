package api

import (
	"context"
	"math/rand/v2"
	"time"
	"unicode"
)

// AttachOutcome says how a voucher came to be on the order.
type AttachOutcome int

const (
	// AttachAdded: the server answered the add with success.
	AttachAdded AttachOutcome = iota + 1
	// AttachAlreadyOnOrder: an add whose answer was lost turned out, on
	// re-reading the order, to have been applied: the server said yes, or
	// said that the barcode is on the order, and exactly one voucher like
	// it appeared there.
	AttachAlreadyOnOrder
	// AttachMatchedByMask: an add whose answer was lost, after which the
	// order holds a voucher that matches by its masked barcode and type,
	// and nothing could tell whether it is ours or another writer's. It
	// comes with an error (ErrLookAlike, OutcomeUnknown): it is not
	// attached for certain, and must be checked.
	AttachMatchedByMask
)

func (o AttachOutcome) String() string {
	switch o {
	case AttachAdded:
		return "added"
	case AttachAlreadyOnOrder:
		return "already_on_order"
	case AttachMatchedByMask:
		return "matched_by_mask"
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
	// LookAlikes are the vouchers on the order that match the barcode sent
	// by their masked barcode and type, when Outcome is
	// AttachMatchedByMask: one of them may be ours, or none.
	LookAlikes []OrderVoucher
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
	// order: the snapshot an unknown outcome is read against. After one, a
	// voucher on the order with the same masked barcode and type may be
	// ours only if its id is not among these.
	KnownVoucherIDs []string
	// OthersAdding says the caller has seen vouchers it did not add appear
	// on this order: another counter or a script is adding to it. A
	// look-alike after a lost answer is never taken for ours on its looks
	// alone, so this changes nothing AttachVoucher decides; it is kept for
	// callers that say it.
	OthersAdding bool
	// RepeatsRefused says the server refuses a barcode already on the
	// order (as "already on this order"). After a lost answer, a voucher
	// without a PIN that looks like ours on the order may then be decided
	// by sending the add again. The client also learns it from the
	// server's own refusals.
	RepeatsRefused bool
	// EarlierAddUnknown says an earlier add of this barcode to this order
	// went unanswered (the caller's last outcome for it was unknown): a
	// refusal of this one is then read against the order, as a refusal of
	// a resend is, since the server may be refusing the earlier add again.
	EarlierAddUnknown bool
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
		case isMaskRune(m[i]):
			// a mask character
		default:
			return false
		}
	}
	return shown > 0
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isMaskRune reports whether a masked barcode's character hides one.
func isMaskRune(r rune) bool { return !isAlnum(r) || r == 'X' || r == 'x' }

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
