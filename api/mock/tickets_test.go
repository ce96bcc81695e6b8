package mock_test

import (
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

// ticketIDs are the ids a refusal of TestSetTicketsRefusalWords may send:
// vouchers on the first order, and a ticket id another showtime has.
type ticketIDs struct{ adt1, adt2, chd, deal, taken string }

// prepareTicketRefusals puts on the first order the vouchers the refusals
// use, has the two-use one pay for two tickets of the first showtime, and
// gives another showtime a ticket whose id is then taken.
func prepareTicketRefusals(t *testing.T, e *env) ticketIDs {
	var v ticketIDs
	for _, add := range []struct {
		id                     *string
		typ, showtime, barcode string
		pin                    any
	}{
		{&v.adt1, "Ticket", "0001-2681", "ADTMM0000111", "1234"},
		{&v.adt2, "Ticket", "0001-2681", "ADTMM0000222", "4321"},
		{&v.chd, "Ticket", "0001-2681", "CHDMM0000111", "1111"},
		{&v.deal, "Deal", "", "9300000000017", nil},
	} {
		*add.id = e.addVoucher(firstOrder, add.typ, add.showtime, add.barcode, add.pin)
	}
	adt1 := tk{TicketTypeID: "0001-0077", VoucherID: v.adt1}
	e.setTickets(firstOrder, "0001-2681", adt1, adt1).expect(t, 200, "")
	var o orderResp
	e.setTickets(firstOrder, "0001-2690", tk{TicketTypeID: "0001-0050"}).decodeOK(t, &o)
	v.taken = o.Order.Showtimes[1].Tickets[0].ID
	return v
}

// Setting a showtime's tickets with several things wrong refuses with the
// first of them, in the order the checks are made: the order, the showtime,
// the body, the site, each ticket in turn (its type, its id, its voucher),
// then what the vouchers can pay for, and the seats last.
func TestSetTicketsRefusalWords(t *testing.T) {
	const unknownVoucher = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name     string
		order    string
		showtime string
		body     func(v ticketIDs) any
		status   int
		code     string
		message  string
	}{
		{"the order before the showtime", "ffffffffffffffffffffffffffffffff", "0001-0000",
			func(ticketIDs) any { return `{"tickets": {}}` }, 404, "OrderNotFound",
			"Order ffffffffffffffffffffffffffffffff does not exist or has expired; start a new order."},
		{"the showtime before the body", "", "0001-0000",
			func(ticketIDs) any { return `{"tickets": {}}` }, 404, "ShowtimeNotFound",
			"Showtime 0001-0000 does not exist."},
		{"the body before the site", "", "0002-3101",
			func(ticketIDs) any { return `{"tickets": {}}` }, 400, "InvalidRequest",
			"Field tickets has the wrong type: want a list, got object."},
		{"the site before the tickets", "", "0002-3101",
			func(ticketIDs) any { return tickets(tk{TicketTypeID: "nope"}) }, 400, "ShowtimeNotAtSite",
			"Showtime 0002-3101 is at site 0002, not at this order's site 0001."},
		{"the tickets in turn", "", "0001-2681",
			func(ticketIDs) any {
				return tickets(tk{TicketTypeID: "0001-0050"}, tk{TicketTypeID: "nope"}, tk{TicketTypeID: "0001-0077"})
			}, 400, "TicketTypeNotAvailable",
			"tickets[1]: ticket type nope is not sold for showtime 0001-2681."},
		{"a ticket's type before its id", "", "0001-2681",
			func(ticketIDs) any {
				return tickets(tk{ID: "a", TicketTypeID: "0001-0050"}, tk{ID: "a", TicketTypeID: "nope"})
			},
			400, "TicketTypeNotAvailable", "tickets[1]: ticket type nope is not sold for showtime 0001-2681."},
		{"a ticket's id before its voucher", "", "0001-2681",
			func(ticketIDs) any {
				return tickets(tk{ID: "a", TicketTypeID: "0001-0050"}, tk{ID: "a", TicketTypeID: "0001-0077", VoucherID: unknownVoucher})
			}, 400, "DuplicateTicketId", "tickets[1]: ticket id a is used twice on this order."},
		{"an id another showtime's ticket has", "", "0001-2681",
			func(v ticketIDs) any { return tickets(tk{ID: v.taken, TicketTypeID: "0001-0050"}) },
			400, "DuplicateTicketId", "tickets[0]: ticket id TAKEN is used twice on this order."},
		{"a voucher not on the order", "", "0001-2681",
			func(ticketIDs) any { return tickets(tk{TicketTypeID: "0001-0050", VoucherID: unknownVoucher}) },
			400, "VoucherNotOnOrder", "tickets[0]: no voucher with id " + unknownVoucher + " is on this order; add it first."},
		{"a deal voucher before the type's vouchers", "", "0001-2681",
			func(v ticketIDs) any { return tickets(tk{TicketTypeID: "0001-0050", VoucherID: v.deal}) },
			400, "VoucherTypeMismatch", "tickets[0]: voucher 93.......0017 is a Deal voucher and cannot pay for tickets."},
		{"a voucher the type does not take", "", "0001-2681",
			func(v ticketIDs) any { return tickets(tk{TicketTypeID: "0001-0077", VoucherID: v.chd}) },
			400, "VoucherTypeMismatch", "tickets[0]: ticket type 0001-0077 (Adult Movie Money) does not take CHDMM vouchers."},
		{"a type paid only with a voucher", "", "0001-2681",
			func(ticketIDs) any { return tickets(tk{TicketTypeID: "0001-0050"}, tk{TicketTypeID: "0001-0077"}) },
			400, "VoucherRequired", "tickets[1]: ticket type 0001-0077 (Adult Movie Money) must be paid with a ADTMM voucher; give its voucherId."},
		{"every ticket before what vouchers pay for", "", "0001-2681",
			func(v ticketIDs) any {
				return tickets(tk{TicketTypeID: "0001-0077", VoucherID: v.adt2}, tk{TicketTypeID: "0001-0077", VoucherID: v.adt2}, tk{TicketTypeID: "nope"})
			}, 400, "TicketTypeNotAvailable", "tickets[2]: ticket type nope is not sold for showtime 0001-2681."},
		{"vouchers in the order they were added", "", "0001-2681",
			func(v ticketIDs) any {
				adt1, adt2 := tk{TicketTypeID: "0001-0077", VoucherID: v.adt1}, tk{TicketTypeID: "0001-0077", VoucherID: v.adt2}
				return tickets(adt2, adt2, adt1, adt1, adt1)
			}, 400, "VoucherRedemptionsExceeded", "Voucher AD......0111 can pay for 2 ticket(s), not 3."},
		{"a voucher's uses on the other showtimes", "", "0001-2678",
			func(v ticketIDs) any { return tickets(tk{TicketTypeID: "0001-0077", VoucherID: v.adt1}) },
			400, "VoucherRedemptionsExceeded", "Voucher AD......0111 can pay for 2 ticket(s), not 3."},
		{"what vouchers pay for before the seats", "", "0001-2681",
			func(v ticketIDs) any {
				adt2 := tk{TicketTypeID: "0001-0077", VoucherID: v.adt2}
				return map[string]any{"tickets": []tk{adt2, adt2}, "seats": []string{"A1"}}
			}, 400, "VoucherRedemptionsExceeded", "Voucher AD......0222 can pay for 1 ticket(s), not 2."},
		{"the seats", "", "0001-2681",
			func(ticketIDs) any {
				return map[string]any{"tickets": []tk{{TicketTypeID: "0001-0050"}}, "seats": []string{"A1"}}
			},
			400, "ShowtimeNotAllocated", "Showtime 0001-2681 has no allocated seating: its tickets are sold without seats."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, mock.Options{})
			v := prepareTicketRefusals(t, e)
			orderID := tc.order
			if orderID == "" {
				orderID = firstOrder
			}
			got := e.do("PUT", "/ocapi/v1/orders/"+orderID+"/showtimes/"+tc.showtime, tc.body(v)).expect(t, tc.status, tc.code)
			want := strings.ReplaceAll(tc.message, "TAKEN", v.taken)
			if got.Message != want {
				t.Errorf("message = %q\nwant      %q", got.Message, want)
			}
		})
	}
}

func tickets(t ...tk) map[string]any { return map[string]any{"tickets": t, "seats": nil} }
