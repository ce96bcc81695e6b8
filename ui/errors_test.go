package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// Each documented failure of each call reads as what happened, what it
// means at the counter and what to do. The model is driven directly with
// the answers a failing server gives.
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
		wantKind statusKind
	}{
		{"create order: unknown site",
			orderCreatedMsg{siteID: "0009", err: rejected("create order", "SiteNotFound", `Site "0009" does not exist; check the site id setting.`)},
			[]string{"No order was created", `site "0009" does not exist`, "--site, now 0009"}, false, false, statusFailure},
		{"create order: no network",
			orderCreatedMsg{siteID: "0001", err: &api.Error{Op: "create order", Kind: api.KindNetwork}},
			[]string{"Creating an order: cannot reach the server, so nothing was done. Check the network"}, false, false, statusFailure},
		{"set tickets: too many for a voucher",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: rejected("set tickets", "VoucherRedemptionsExceeded", "Voucher AD......0111 can pay for 2 ticket(s), not 3.")},
			[]string{"Tickets not changed: voucher AD......0111 can pay for 2 ticket(s), not 3.", "The draft is still here"}, false, true, statusFailure},
		{"set tickets: order or showtime gone",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: notFound("set tickets")},
			[]string{"Tickets not changed: the server no longer knows this order or the showtime", "Reading the order again"}, false, true, statusFailure},
		{"set tickets: answer lost",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: lost("set tickets")},
			[]string{"may or may not have changed", "check the tickets"}, false, true, statusWarning},
		{"set tickets: not allowed",
			ticketsSetMsg{orderID: seedOrderID, showtimeID: "0001-2681", err: &api.Error{Op: "set tickets", Kind: api.KindForbidden, Status: 403}},
			[]string{"not allowed for this account (HTTP 403), so nothing was done", "the Vista.Ocapi licence"}, false, false, statusFailure},
		{"ticket prices: licence missing",
			ticketPricesLoadedMsg{showtimeID: "0001-2681", err: &api.Error{Op: api.OpGetTicketPrices, Kind: api.KindForbidden, Status: 403}},
			[]string{"not allowed for this account", "Vista.Ocapi.TicketPricesForShowtime licence"}, false, false, statusFailure},
		{"complete: licence missing",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: &api.Error{Op: api.OpCompleteOrder, Kind: api.KindForbidden, Status: 403}},
			[]string{"not allowed for this account", "Vista.Ocapi.EmbeddedPayment licence"}, false, false, statusFailure},
		{"cancel: already gone",
			orderCancelledMsg{orderID: seedOrderID, sent: true, err: notFound("cancel order")},
			[]string{"had already expired or been released, so there was nothing to cancel", "ctrl+n"}, true, false, statusFailure},
		{"cancel: completed",
			orderCancelledMsg{orderID: seedOrderID, sent: true, err: rejected("cancel order", "OrderCompleted", "The order is already completed and can no longer be changed; start a new order.")},
			[]string{"was not cancelled: the order is already completed", "The order is as it was"}, false, true, statusFailure},
		{"cancel: answer lost",
			orderCancelledMsg{orderID: seedOrderID, sent: true, err: lost("cancel order")},
			[]string{"No answer to the cancel", "Reading the order again"}, false, true, statusWarning},
		{"add: a look-alike that may be another counter's",
			attachDoneMsg{item: scanItem{seq: 1, barcode: "ADTMM0000111", vtype: api.VoucherTicket, showtimeID: "0001-2681"},
				err: &api.Error{Op: api.OpAddVoucher, Kind: api.KindServer, Status: 503, OutcomeUnknown: true, Err: api.ErrLookAlike}},
			[]string{"may be another counter's, so it is not counted as attached", "Press F5"}, false, true, statusFailure},
		{"complete: something to pay",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: rejected("complete order", "OrderNotPaid", "The order still has 19.50 to pay; only an order paid in full by vouchers can be completed here.")},
			[]string{"was not completed: the order still has 19.50 to pay", "Nothing was redeemed"}, false, true, statusFailure},
		{"complete: voucher used elsewhere meanwhile",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: rejected("complete order", "VoucherRedemptionsExceeded", "Voucher AD......0111 can now pay for 0 ticket(s), not 1; it was used on another order.")},
			[]string{"it was used on another order", "Remove that voucher (F8) and take payment"}, false, true, statusFailure},
		// A 404 may be an order another counter completed: the completion
		// is asked about, and the order is never taken for expired yet.
		{"complete: order no longer in progress",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: notFound("complete order")},
			[]string{"no longer in progress, so it may have gone through", "Asking the server", "do not complete it twice"}, false, false, statusBusy},
		{"complete: answer lost",
			orderCompletedMsg{orderID: seedOrderID, sent: true, err: lost("complete order")},
			[]string{"No answer to the completion, so it may have gone through", "do not complete it twice"}, false, false, statusBusy},
		{"complete: the server has no completion",
			orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, err: &api.Error{Op: api.OpGetOrderCompletion, Kind: api.KindNotFound, Status: 404, Err: api.ErrNoCompletion}},
			[]string{"was not completed and nothing was redeemed", "Reading the order again"}, false, true, statusFailure},
		{"complete: the check could not be made",
			orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, err: &api.Error{Op: api.OpGetOrderCompletion, Kind: api.KindNetwork}},
			[]string{"Could not find out whether order", "Do not complete it again"}, false, true, statusWarning},
		{"complete: pending",
			orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionPending}},
			[]string{"is being completed: the server says Pending", "do not complete it twice"}, false, false, statusBusy},
		{"complete: still pending after the checks",
			orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionPending}},
			[]string{"still being completed (Pending)", "do not complete it again"}, false, true, statusWarning},
		{"complete: failed",
			orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionFailed}},
			[]string{"was not completed: the server says the completion failed, and nothing was redeemed"}, false, true, statusFailure},
		{"complete: a status nobody documented",
			orderCompletedMsg{orderID: seedOrderID, sent: true, resp: &api.CompletionResponse{OrderID: seedOrderID, Status: "Queued"}},
			[]string{`with "Queued"`, "may not be done"}, false, true, statusWarning},
		{"remove: its tickets could not be set without it",
			removeDoneMsg{voucher: api.OrderVoucher{ID: "v1", MaskedBarcode: "AD......0111"}, release: []showtimeRelease{{showtimeID: "0001-2681"}},
				releaseErr: rejected("set tickets", "InvalidRequest", "tickets[0]: ticket type 0001-0050 is not sold for showtime 0001-2681.")},
			[]string{"Cannot remove AD......0111: setting its tickets without it failed: tickets[0]", "as they were"}, false, true, statusFailure},
		{"remove: still paying for tickets",
			removeDoneMsg{voucher: api.OrderVoucher{ID: "v1", MaskedBarcode: "AD......0111"}, detachSent: true,
				err: rejected("remove voucher", "VoucherInUse", "Voucher AD......0111 still pays for 1 ticket(s) on this order; set the showtime's tickets without it first.")},
			[]string{"Cannot remove AD......0111: voucher AD......0111 still pays for 1 ticket(s)"}, false, true, statusFailure},
		{"ticket prices: showtime gone",
			ticketPricesLoadedMsg{showtimeID: "0001-2681", err: notFound("get ticket prices")},
			[]string{"the showtime no longer exists"}, false, false, statusFailure},
		{"showtimes of a day: server trouble",
			showtimesListedMsg{siteID: "0001", date: "2026-11-29", err: &api.Error{Op: "list showtimes", Kind: api.KindServer, Status: 503}},
			[]string{"the server had a problem (HTTP 503), so nothing was done", "F5 tries again"}, false, false, statusFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := loadedModel(PinAsk, time.Now)
			m.working = "Something"
			m.tickets = &ticketsPanel{showtimeID: "0001-2681"}
			m.panel = panelTickets
			if sl, ok := tt.msg.(showtimesListedMsg); ok {
				m.closePanel()
				m.picker = &showtimePicker{siteID: sl.siteID, seq: 7}
				m.panel = panelPicker
				sl.seq = 7
				tt.msg = sl
			}
			next, cmd := m.Update(tt.msg)
			m = next.(Model)
			for _, want := range tt.want {
				if !strings.Contains(m.status.text, want) {
					t.Errorf("status %q\nlacks %q", m.status.text, want)
				}
			}
			if m.status.kind != tt.wantKind {
				t.Errorf("status kind %v, want %v", m.status.kind, tt.wantKind)
			}
			if m.orderGone != tt.gone {
				t.Errorf("order gone = %v, want %v", m.orderGone, tt.gone)
			}
			if tt.reloads != m.orderLoading {
				t.Errorf("reads the order again = %v, want %v", m.orderLoading, tt.reloads)
			}
			if cmd == nil && tt.reloads {
				t.Error("no command to read the order")
			}
		})
	}
}

// A completion whose answer was lost is settled by asking the server, which
// only reads: a completion found Completed is done (its transaction number
// lost or not), and one the server never made leaves the order open.
func TestLostCompletionAnswerIsSettledByTheServer(t *testing.T) {
	tests := []struct {
		name string
		resp *api.CompletionResponse
		err  error
		want string
	}{
		{"completed", &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionCompleted, TransactionNumber: "100042"},
			nil, "completed, transaction 100042"},
		{"completed, found as a completed order", &api.CompletionResponse{OrderID: seedOrderID, Status: api.CompletionCompleted},
			nil, "is completed, but its transaction number was lost with the answer: look it up in Vista"},
		{"never made", nil, &api.Error{Op: api.OpGetOrderCompletion, Kind: api.KindNotFound, Err: api.ErrNoCompletion},
			"was not completed and nothing was redeemed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := loadedModel(PinAsk, time.Now)
			next, cmd := m.Update(orderCompletedMsg{orderID: seedOrderID, sent: true,
				err: &api.Error{Op: api.OpCompleteOrder, Kind: api.KindTimeout, OutcomeUnknown: true}})
			m = next.(Model)
			if cmd == nil || !strings.Contains(m.status.text, "Asking the server") {
				t.Fatalf("after a lost answer: status %q, command %v", m.status.text, cmd != nil)
			}
			next, _ = m.Update(orderCompletedMsg{orderID: seedOrderID, sent: true, followed: true, resp: tt.resp, err: tt.err})
			m = next.(Model)
			if !strings.Contains(m.status.text, tt.want) {
				t.Fatalf("status %q\nlacks %q", m.status.text, tt.want)
			}
		})
	}
}

// Every screen fits its window, whatever is open and however long the
// announcement.
func TestScreensFitTheirWindow(t *testing.T) {
	long := strings.Repeat("A long announcement that says what happened and what to do. ", 6)
	for _, size := range [][2]int{{80, 24}, {40, 12}, {120, 40}} {
		for _, panel := range []panelKind{panelNone, panelTickets, panelPicker} {
			for _, help := range []bool{false, true} {
				m := loadedModel(PinAsk, time.Now)
				next, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = next.(Model)
				m.prices["0001-2681"] = &api.TicketPricesResponse{TicketPrices: []api.TicketPrice{
					{TicketTypeID: "A", Price: api.MonetaryValue{ValueIncludingTax: 19.5}},
					{TicketTypeID: "M", VoucherTypeCodes: []string{"ADTMM"}},
				}}
				switch panel {
				case panelTickets:
					m.openTickets("0001-2681")
				case panelPicker:
					m.panel = panelPicker
					m.picker = &showtimePicker{siteID: "0001", day: time.Now()}
				}
				m.help.ShowAll = help
				m.status.status = status{kind: statusFailure, text: long, seq: 1}
				lines := strings.Split(m.View(), "\n")
				if len(lines) > size[1] {
					t.Errorf("%dx%d panel %d help %v: %d lines", size[0], size[1], panel, help, len(lines))
				}
				for _, l := range lines {
					if w := len([]rune(stripANSI(l))); w > size[0] {
						t.Errorf("%dx%d: line of %d columns: %q", size[0], size[1], w, l)
					}
				}
			}
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	esc := false
	for _, r := range s {
		switch {
		case r == 0x1b:
			esc = true
		case esc && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			esc = false
		case !esc:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestReasonAboutSaysTheVoucherOnce(t *testing.T) {
	tests := []struct{ message, want string }{
		{"Voucher AD......0222 was given a wrong PIN.", "it was given a wrong PIN"},
		{"Wrong PIN.", "wrong PIN"},
		{"Voucher AD......0333 is used up", "voucher AD......0333 is used up"},
		{"", ""},
	}
	for _, tt := range tests {
		got := reasonAbout(&api.Error{Kind: api.KindRejected, Message: tt.message}, "Voucher AD......0222")
		if got != tt.want {
			t.Errorf("reasonAbout(%q) = %q, want %q", tt.message, got, tt.want)
		}
	}
}
