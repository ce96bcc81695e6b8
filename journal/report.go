package journal

import (
	"cmp"
	"slices"
	"time"
)

// Summary is a shift's journal as a supervisor reads it: what needs
// checking, what happened to the vouchers, and the orders completed.
type Summary struct {
	// ToCheck are the lines that need checking, in the order they were
	// written; those a later line settled are kept, with SettledBy set.
	ToCheck []Line
	// Vouchers counts the outcomes of voucher actions by voucher type.
	// Attempts are not counted, except those with no outcome after them
	// (Outcome CheckNoOutcome); nor are queued scans, except those never
	// sent (Outcome CheckNotSent).
	Vouchers []Count
	// Completed are the orders completed, with their transaction numbers
	// ("" when the number was lost), in the order they were completed.
	Completed []Completion
	// Refusals counts the vouchers refused or blocked by the reason the
	// server gave and by voucher type.
	Refusals []Count
	// Cancelled is how many orders were cancelled; Orders how many orders
	// have lines at all. An order is its server's: two servers may use one
	// id.
	Cancelled, Orders int
	Unreadable        []Unreadable
}

// Count is how many voucher actions ended one way for one voucher type;
// for Refusals, Outcome is the refusal's reason.
type Count struct {
	Action, Outcome, VoucherType string
	N                            int
}

// Completion is an order completed.
type Completion struct {
	Time              time.Time
	Server            string
	OrderID           string
	TransactionNumber string
}

// NeedsChecking is how many things a supervisor must look at: the checks
// nothing settled, and the lines that could not be read.
func (s Summary) NeedsChecking() int {
	n := len(s.Unreadable)
	for _, l := range s.ToCheck {
		if l.Open() {
			n++
		}
	}
	return n
}

// Summarize sums up lines (from Read, perhaps fewer) and the unreadable
// lines among them.
func Summarize(lines []Line, unreadable []Unreadable) Summary {
	s := Summary{Unreadable: unreadable}
	counts, refusals := map[countKey]int{}, map[countKey]int{}
	orders := map[string]bool{}
	cancelled := map[string]bool{}
	completed := map[Completion]bool{}
	for _, l := range lines {
		order := l.Server + "\x00" + l.OrderID
		orders[order] = true
		if l.Check != "" {
			s.ToCheck = append(s.ToCheck, l)
		}
		switch l.Action {
		case ActionAttach, ActionRemove:
			outcome := l.Outcome
			if outcome == OutcomeAttempt || outcome == OutcomeQueued {
				// Counted only when nothing followed them.
				if l.Check != CheckNoOutcome && l.Check != CheckNotSent {
					continue
				}
				outcome = l.Check
			}
			counts[countKey{l.Action, outcome, l.VoucherType}]++
			if outcome == OutcomeRejected || outcome == OutcomeBlocked {
				reason := l.Reason
				if reason == "" {
					reason = "other"
				}
				refusals[countKey{l.Action, reason, l.VoucherType}]++
			}
		case ActionCancel:
			if l.Outcome == OutcomeCancelled {
				cancelled[order] = true
			}
		case ActionComplete:
			if l.Outcome != OutcomeCompleted {
				continue
			}
			number, _ := Transaction(l.Entry)
			c := Completion{Server: l.Server, OrderID: l.OrderID, TransactionNumber: number}
			if completed[c] {
				continue // the same completion read back twice
			}
			completed[c] = true
			c.Time = l.Time
			s.Completed = append(s.Completed, c)
		}
	}
	s.Vouchers = sortedCounts(counts, outcomeOrder)
	s.Refusals = sortedCounts(refusals, reasonOrder)
	s.Cancelled, s.Orders = len(cancelled), len(orders)
	return s
}

// sortedCounts lists counts by action, then outcome (or reason) in the
// order given, then voucher type.
func sortedCounts(counts map[countKey]int, order []string) []Count {
	out := make([]Count, 0, len(counts))
	for k, n := range counts {
		out = append(out, Count{Action: k.action, Outcome: k.outcome, VoucherType: k.vtype, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(rank(actionOrder, a.Action), rank(actionOrder, b.Action)),
			cmp.Compare(a.Action, b.Action),
			cmp.Compare(rank(order, a.Outcome), rank(order, b.Outcome)),
			cmp.Compare(a.Outcome, b.Outcome),
			cmp.Compare(rank(voucherTypes, a.VoucherType), rank(voucherTypes, b.VoucherType)),
			cmp.Compare(a.VoucherType, b.VoucherType))
	})
	return out
}

type countKey struct{ action, outcome, vtype string }

var (
	actionOrder = []string{ActionAttach, ActionRemove}
	// Done first, then repeats, then refused, then what needs checking.
	outcomeOrder = []string{OutcomeAttached, OutcomeAlreadyAttached, OutcomeRemoved, OutcomeRepeat, OutcomeRejected, OutcomeBlocked,
		OutcomeFailed, OutcomeUnknown, OutcomeMatchedByMask, OutcomeAbandoned, CheckNotSent, CheckNoOutcome}
	// reasonOrder is the closed set of a refusal's reasons.
	reasonOrder = []string{"wrong_pin", "blocked", "used_up", "expired", "unknown_barcode", "wrong_type",
		"not_for_showtime", "already_on_order", "other"}
)

// rank is where s comes in order, after every listed value when it is not one.
func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}
