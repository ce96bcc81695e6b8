package ui

import (
	"fmt"
	"strings"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// settleUnfinished reads the scans the last run left without an outcome on
// the order just loaded against what the order holds, writes each one's
// outcome to the journal, and returns what to tell the operator ("" when
// there is nothing to tell). journalled are the ids the journal already has
// on the order: a voucher among them is another scan's, not the unfinished
// one's.
//
// A scan that was only queued was never sent (its attempt line comes before
// the request), so it is not on the order whatever the order holds. One
// that was sent is on the order when exactly one voucher like it is there
// that no journal line accounts for; when none is, it did not go through;
// when several are, or the order does not list its vouchers, it is unknown.
func (m *Model) settleUnfinished(orderID string, journalled map[string]bool) string {
	lines := m.unfinished[orderID]
	others := 0
	for id, l := range m.unfinished {
		if id != orderID {
			others += len(l)
		}
	}
	if len(lines) == 0 || m.order == nil {
		if others > 0 && !m.unfinishedTold {
			m.unfinishedTold = true
			return fmt.Sprintf("The last run stopped with %s unfinished on other orders: boxoffice journal list shows them; opening an order settles its own.", scansText(others))
		}
		return ""
	}
	delete(m.unfinished, orderID)
	m.unfinishedTold = true
	claimed := map[string]bool{}
	var attached, notSent, unknown []string
	for _, l := range lines {
		e := journal.Entry{OrderID: orderID, Action: journal.ActionAttach, MaskedBarcode: l.MaskedBarcode, VoucherType: l.VoucherType}
		switch {
		case l.Check == journal.CheckNotSent:
			e.Outcome, e.Message = journal.OutcomeAbandoned, "not sent: the counter stopped while it waited its turn"
			notSent = append(notSent, l.MaskedBarcode)
		case !m.order.VouchersListed:
			e.Outcome, e.Message = journal.OutcomeUnknown, "the counter stopped while it was sent, and the server does not list the order's vouchers"
			unknown = append(unknown, l.MaskedBarcode)
		default:
			var found []api.OrderVoucher
			for _, v := range m.order.Vouchers {
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
		// The screen says what the journal says: a line that cannot be
		// written stops attaching at the next scan, as any other.
		_, _ = m.calls.journal.Write(e)
	}
	_ = m.calls.journal.Sync()

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
	text := fmt.Sprintf("The last run stopped with %s unfinished: %s.", scansText(len(lines)), strings.Join(parts, "; "))
	if others > 0 {
		text += fmt.Sprintf(" %d more on other orders: boxoffice journal list.", others)
	}
	return text
}

// someOf lists up to shown masked barcodes, and says how many more there are.
func someOf(masked []string, shown int) string {
	if len(masked) <= shown {
		return strings.Join(masked, ", ")
	}
	return strings.Join(masked[:shown], ", ") + fmt.Sprintf(" and %d more", len(masked)-shown)
}

func scansText(n int) string {
	if n == 1 {
		return "1 scan"
	}
	return fmt.Sprintf("%d scans", n)
}
