package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/common"
)

// restartReport is what the last run left unfinished: the scans the journal
// held no outcome for when the counter started, by order, until each
// order's are settled as it is read.
type restartReport struct {
	byOrder map[string][]journal.Line
	read    bool
	// told is set once the operator has heard of them.
	told bool
}

// take keeps the lines read at the run's first order read.
func (r *restartReport) take(lines []journal.Line) {
	if r.read {
		return
	}
	r.read = true
	r.byOrder = map[string][]journal.Line{}
	for _, l := range lines {
		r.byOrder[l.OrderID] = append(r.byOrder[l.OrderID], l)
	}
}

// settle reads the scans the last run left without an outcome on the order
// just loaded against what the order holds, journals each one's outcome,
// and tells the operator. journalled are the ids the journal already has on
// the order: a voucher among them is another scan's, not the unfinished
// one's.
//
// A scan that was only queued was never sent (its attempt line comes before
// the request), so it is not on the order whatever the order holds. One
// that was sent is on the order when exactly one voucher like it is there
// that no journal line accounts for; when none is, it did not go through;
// when several are, or the order does not list its vouchers, it is unknown.
func (r *restartReport) settle(c *customer, journalled map[string]bool) tea.Cmd {
	lines := r.byOrder[c.orderID]
	others := 0
	for id, l := range r.byOrder {
		if id != c.orderID {
			others += len(l)
		}
	}
	if len(lines) == 0 || c.order == nil {
		if others > 0 && !r.told {
			r.told = true
			return c.announce(common.Warning, fmt.Sprintf("The last run stopped with %s unfinished on other orders: boxoffice journal list shows them; opening an order settles its own.", common.Plural(others, "scan")))
		}
		return nil
	}
	delete(r.byOrder, c.orderID)
	r.told = true
	entries, attached, notSent, unknown := settleLines(c.order, c.orderID, lines, journalled)
	var parts []string
	if len(attached) > 0 {
		parts = append(parts, fmt.Sprintf("%d attached", len(attached)))
	}
	if len(notSent) > 0 {
		parts = append(parts, fmt.Sprintf("%d not attached (%s): scan them again", len(notSent), someOf(notSent, 2)))
	}
	if len(unknown) > 0 {
		parts = append(parts, fmt.Sprintf("%d unknown: check the list (F5)", len(unknown)))
	}
	text := fmt.Sprintf("The last run stopped with %s unfinished: %s.", common.Plural(len(lines), "scan"), strings.Join(parts, "; "))
	if others > 0 {
		text += fmt.Sprintf(" %d more on other orders: boxoffice journal list.", others)
	}
	// The screen says what the journal says: a line that cannot be written
	// stops attaching at the next scan, as any other.
	return tea.Batch(c.run.backend.Note(entries...), c.outcome(common.Warning, text))
}

// settleLines decides each unfinished scan's outcome against the order.
func settleLines(o *api.Order, orderID string, lines []journal.Line, journalled map[string]bool) (entries []journal.Entry, attached, notSent, unknown []string) {
	claimed := map[string]bool{}
	for _, l := range lines {
		e := journal.Entry{OrderID: orderID, Action: journal.ActionAttach, MaskedBarcode: l.MaskedBarcode, VoucherType: l.VoucherType}
		switch {
		case l.Check == journal.CheckNotSent:
			e.Outcome, e.Message = journal.OutcomeAbandoned, "not sent: the counter stopped while it waited its turn"
			notSent = append(notSent, l.MaskedBarcode)
		case !o.VouchersListed:
			e.Outcome, e.Message = journal.OutcomeUnknown, "the counter stopped while it was sent, and the server does not list the order's vouchers"
			unknown = append(unknown, l.MaskedBarcode)
		default:
			var found []api.OrderVoucher
			for _, v := range o.Vouchers {
				if v.MaskedBarcode == l.MaskedBarcode && (v.Type == "" || string(v.Type) == l.VoucherType) && !journalled[v.ID] && !claimed[v.ID] {
					found = append(found, v)
				}
			}
			switch len(found) {
			case 0:
				e.Outcome, e.Message = journal.OutcomeAbandoned, "the counter stopped while it was sent, and it is not on the order"
				notSent = append(notSent, l.MaskedBarcode)
			case 1:
				claimed[found[0].ID] = true
				e.Outcome, e.VoucherID, e.Message = journal.OutcomeAttached, found[0].ID, "found on the order when the counter started again"
				attached = append(attached, l.MaskedBarcode)
			default:
				e.Outcome, e.Message = journal.OutcomeUnknown, "the counter stopped while it was sent, and the order holds more than one voucher like it"
				unknown = append(unknown, l.MaskedBarcode)
			}
		}
		entries = append(entries, e)
	}
	return entries, attached, notSent, unknown
}

// someOf lists up to shown masked barcodes, and says how many more there are.
func someOf(masked []string, shown int) string {
	if len(masked) <= shown {
		return strings.Join(masked, ", ")
	}
	return strings.Join(masked[:shown], ", ") + fmt.Sprintf(" and %d more", len(masked)-shown)
}
