package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// Each documented failure of each call reads as what happened, what it
// means at the counter and what to do. The screen is driven with the
// answers a failing server gives.
func TestEveryCallFailureIsExplained(t *testing.T) {
	rejected := func(op api.Operation, code, msg string) error {
		return &api.Error{Op: op, Kind: api.KindRejected, Status: 400, Code: code, Message: msg}
	}
	notFound := func(op api.Operation) error { return &api.Error{Op: op, Kind: api.KindNotFound, Status: 404} }
	lost := func(op api.Operation) error {
		return &api.Error{Op: op, Kind: api.KindTimeout, OutcomeUnknown: true}
	}
	tests := []struct {
		name     string
		msg      tea.Msg
		want     []string
		gone     bool
		reloads  bool
		wantKind common.Kind
	}{
		{"create order: unknown site",
			orderCreatedMsg{siteID: "0009", err: rejected("create order", "SiteNotFound", `Site "0009" does not exist; check the site id setting.`)},
			[]string{"No order was created", `site "0009" does not exist`, "--site, now 0009"}, false, false, common.Failure},
		{"create order: no network",
			orderCreatedMsg{siteID: "0001", err: &api.Error{Op: "create order", Kind: api.KindNetwork}},
			[]string{"Creating an order: cannot reach the server, so nothing was done. Check the network"}, false, false, common.Failure},
		{"set tickets: too many for a voucher",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: rejected("set tickets", "VoucherRedemptionsExceeded", "Voucher AD......0111 can pay for 2 ticket(s), not 3.")},
			[]string{"Tickets not changed: voucher AD......0111 can pay for 2 ticket(s), not 3.", "The draft is still here"}, false, true, common.Failure},
		{"set tickets: order or showtime gone",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: notFound("set tickets")},
			[]string{"Tickets not changed: the server no longer knows this order or the showtime", "Reading the order again"}, false, true, common.Failure},
		{"set tickets: answer lost",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: lost("set tickets")},
			[]string{"may or may not have changed", "check the tickets"}, false, true, common.Warning},
		{"set tickets: not allowed",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: &api.Error{Op: "set tickets", Kind: api.KindForbidden, Status: 403}},
			[]string{"not allowed for this account (HTTP 403), so nothing was done", "the Vista.Ocapi licence"}, false, false, common.Failure},
		{"ticket prices: licence missing",
			pricesLoadedMsg{showtimeID: "0001-2681", err: &api.Error{Op: api.OpGetTicketPrices, Kind: api.KindForbidden, Status: 403}},
			[]string{"not allowed for this account", "Vista.Ocapi.TicketPricesForShowtime licence"}, false, false, common.Failure},
		{"complete: licence missing",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: &api.Error{Op: api.OpCompleteOrder, Kind: api.KindForbidden, Status: 403}},
			[]string{"not allowed for this account", "Vista.Ocapi.EmbeddedPayment licence"}, false, false, common.Failure},
		{"cancel: already gone",
			orderCancelledMsg{orderID: seedOrderID, sent: true, err: notFound("cancel order")},
			[]string{"had already expired or been released, so there was nothing to cancel", "ctrl+n"}, true, false, common.Failure},
		{"cancel: completed",
			orderCancelledMsg{orderID: seedOrderID, sent: true, err: rejected("cancel order", "OrderCompleted", "The order is already completed and can no longer be changed; start a new order.")},
			[]string{"was not cancelled: the order is already completed", "The order is as it was"}, false, true, common.Failure},
		{"cancel: answer lost",
			orderCancelledMsg{orderID: seedOrderID, sent: true, err: lost("cancel order")},
			[]string{"No answer to the cancel", "Reading the order again"}, false, true, common.Warning},
		{"complete: something to pay",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: rejected("complete order", "OrderNotPaid", "The order still has 19.50 to pay; only an order paid in full by vouchers can be completed here.")},
			[]string{"was not completed: the order still has 19.50 to pay", "Nothing was redeemed"}, false, true, common.Failure},
		{"complete: voucher used elsewhere meanwhile",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: rejected("complete order", "VoucherRedemptionsExceeded", "Voucher AD......0111 can now pay for 0 ticket(s), not 1; it was used on another order.")},
			[]string{"it was used on another order", "Remove that voucher (F8) and take payment"}, false, true, common.Failure},
		// A 404 may be an order another counter completed: the completion
		// is asked about, and the order is never taken for expired yet.
		{"complete: order no longer in progress",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: notFound("complete order")},
			[]string{"no longer in progress, so it may have gone through", "Asking the server", "do not complete it twice"}, false, false, common.Busy},
		{"complete: answer lost",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: lost("complete order")},
			[]string{"No answer to the completion, so it may have gone through", "do not complete it twice"}, false, false, common.Busy},
		{"complete: the server has no completion",
			orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, err: &api.Error{Op: api.OpGetOrderCompletion, Kind: api.KindNotFound, Status: 404, Err: api.ErrNoCompletion}},
			[]string{"was not completed and nothing was redeemed", "Reading the order again"}, false, true, common.Failure},
		{"complete: the check could not be made",
			orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, err: &api.Error{Op: api.OpGetOrderCompletion, Kind: api.KindNetwork}},
			[]string{"Could not find out whether order", "Do not complete it again"}, false, true, common.Warning},
		{"complete: pending",
			orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionPending}},
			[]string{"is being completed: the server says Pending", "do not complete it twice"}, false, false, common.Busy},
		{"complete: still pending after the checks",
			orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionPending}},
			[]string{"still being completed (Pending)", "do not complete it again"}, false, true, common.Warning},
		{"complete: failed",
			orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionFailed}},
			[]string{"was not completed: the server says the completion failed, and nothing was redeemed"}, false, true, common.Failure},
		{"complete: a status nobody documented",
			orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: "Queued"}},
			[]string{`with "Queued"`, "may not be done"}, false, true, common.Warning},
		{"remove: its tickets could not be set without it",
			removeDoneMsg{orderID: seedOrderID, voucher: api.OrderVoucher{ID: "v1", MaskedBarcode: "AD......0111"}, release: []showtimeRelease{{showtimeID: "0001-2681"}},
				releaseErr: rejected("set tickets", "InvalidRequest", "tickets[0]: ticket type 0001-0050 is not sold for showtime 0001-2681.")},
			[]string{"Cannot remove AD......0111: setting its tickets without it failed: tickets[0]", "as they were"}, false, true, common.Failure},
		{"remove: still paying for tickets",
			removeDoneMsg{orderID: seedOrderID, voucher: api.OrderVoucher{ID: "v1", MaskedBarcode: "AD......0111"}, detachSent: true,
				err: rejected("remove voucher", "VoucherInUse", "Voucher AD......0111 still pays for 1 ticket(s) on this order; set the showtime's tickets without it first.")},
			[]string{"Cannot remove AD......0111: voucher AD......0111 still pays for 1 ticket(s)"}, false, true, common.Failure},
		{"ticket prices: showtime gone",
			pricesLoadedMsg{showtimeID: "0001-2681", err: notFound("get ticket prices")},
			[]string{"the showtime no longer exists"}, false, false, common.Failure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := loaded(t, nil)
			d.key(tea.KeyF4) // the tickets panel is open on the showtime
			// From now on the server answers nothing but what the test sends.
			d.backend.answer = nil
			loads := len(d.backend.made("load"))
			d.send(tt.msg)
			status := d.status()
			for _, want := range tt.want {
				if !strings.Contains(status, want) {
					t.Errorf("status %q\nlacks %q", status, want)
				}
			}
			if kind := d.m.run.status.Kind(); kind != tt.wantKind {
				t.Errorf("status kind %v, want %v", kind, tt.wantKind)
			}
			gone := shows(d.screen(), "has expired or no longer exists")
			if gone != tt.gone {
				t.Errorf("order shown as gone = %v, want %v:\n%s", gone, tt.gone, d.screen())
			}
			if reloads := len(d.backend.made("load")) > loads; reloads != tt.reloads {
				t.Errorf("read the order again = %v, want %v", reloads, tt.reloads)
			}
		})
	}
}
