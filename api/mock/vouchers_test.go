package mock_test

import (
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

func TestAddVoucherRules(t *testing.T) {
	const unknownOrder = "00000000000000000000000000000000"
	tests := []struct {
		name    string
		setup   func(e *env)
		order   string // default: the seed's first order; "new": one created after setup
		body    any
		headers []string
		status  int
		code    string
	}{
		// Rule 1.
		{name: "1 unknown order", order: unknownOrder, body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"), status: 404, code: "OrderNotFound"},
		{name: "1 before 2: unknown order with a bad body", order: unknownOrder, body: `{"type":`, status: 404, code: "OrderNotFound"},
		{name: "1 expired order", setup: func(e *env) { e.clock.Advance(1800 * time.Second) }, body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"), status: 404, code: "OrderNotFound"},
		// Rule 2.
		{name: "2 body not JSON", body: `{"type":`, status: 400, code: "InvalidRequest"},
		{name: "2 empty body", body: ``, status: 400, code: "InvalidRequest"},
		{name: "2 body a list", body: `[]`, status: 400, code: "InvalidRequest"},
		{name: "2 pin not a string", body: `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":1234}}`, status: 400, code: "InvalidRequest"},
		{name: "2 unknown type", body: voucherBody("Coupon", "0001-2681", "ADTMM0000111", "1234"), status: 400, code: "InvalidVoucherType"},
		{name: "2 missing type", body: `{"showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`, status: 400, code: "InvalidVoucherType"},
		{name: "2 empty barcode", body: voucherBody("Ticket", "0001-2681", "", "1234"), status: 400, code: "InvalidRequest"},
		{name: "2 no credentials", body: `{"type":"Ticket","showtimeId":"0001-2681"}`, status: 400, code: "InvalidRequest"},
		// Rule 3.
		{name: "3 unknown barcode", body: voucherBody("Ticket", "0001-2681", "ADTMM7777777", "1234"), status: 400, code: "VoucherNotFound"},
		{name: "3 type differs", body: voucherBody("Ticket", "0001-2681", "9300000000017", nil), status: 400, code: "VoucherTypeMismatch"},
		{name: "3 before 4: type differs with a wrong PIN", body: voucherBody("Deal", "", "ADTMM0000111", "0000"), status: 400, code: "VoucherTypeMismatch"},
		// Rule 4.
		{name: "4 missing PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", nil), status: 400, code: "InvalidPin"},
		{name: "4 empty PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", ""), status: 400, code: "InvalidPin"},
		{name: "4 wrong PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", "4321"), status: 400, code: "InvalidPin"},
		{name: "4 before 5: used-up voucher with a wrong PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0000999", "1111"), status: 400, code: "InvalidPin"},
		// Rule 5.
		{name: "5 used up", body: voucherBody("Ticket", "0001-2681", "ADTMM0000999", "9999"), status: 400, code: "VoucherUsedUp"},
		{name: "5 used up without PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0000888", nil), status: 400, code: "VoucherUsedUp"},
		{name: "5 expired", body: voucherBody("Ticket", "0001-2681", "ADTMM0000555", "5555"), status: 400, code: "VoucherExpired"},
		{name: "5 expired by the clock", setup: func(e *env) { e.clock.Advance(400 * 24 * time.Hour) }, order: "new", body: voucherBody("Deal", "", "9300000000031", "3131"), status: 400, code: "VoucherExpired"},
		{name: "5 before 6: expired with a showtime not on the order", body: voucherBody("Ticket", "0001-2690", "ADTMM0000555", "5555"), status: 400, code: "VoucherExpired"},
		// Rule 6.
		{name: "6 ticket without showtime", body: voucherBody("Ticket", "", "ADTMM0000111", "1234"), status: 400, code: "InvalidRequest"},
		{name: "6 a showtime of the site not yet on the order", body: voucherBody("Ticket", "0001-2675", "ADTMM0000111", "1234"), status: 200},
		{name: "6 a showtime of another site", body: voucherBody("Ticket", "0002-3101", "ADTMM0000111", "1234"), status: 400, code: "ShowtimeNotAtSite"},
		{name: "6 unknown showtime", body: voucherBody("Ticket", "0009-0001", "ADTMM0000111", "1234"), status: 400, code: "ShowtimeNotAtSite"},
		{name: "6 a showtime not on the order that takes no such voucher", body: voucherBody("Ticket", "0001-2690", "ADTMM0000111", "1234"), status: 400, code: "VoucherNotValidForShowtime"},
		{
			name: "6 showtime takes no such voucher",
			setup: func(e *env) {
				e.setTickets(firstOrder, "0001-2690", tk{TicketTypeID: "0001-0050"}).expect(e.t, 200, "")
			},
			body:   voucherBody("Ticket", "0001-2690", "ADTMM0000111", "1234"),
			status: 400, code: "VoucherNotValidForShowtime",
		},
		// Rule 7.
		{
			name:   "7 already on the order",
			setup:  func(e *env) { e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234") },
			body:   voucherBody("ticket", "0001-2681", "ADTMM0000111", "1234"),
			status: 400, code: "VoucherAlreadyOnOrder",
		},
		{
			name:   "7 deal already on the order",
			setup:  func(e *env) { e.addVoucher(firstOrder, "Deal", "", "9300000000017", nil) },
			body:   voucherBody("Deal", "", "9300000000017", nil),
			status: 400, code: "VoucherAlreadyOnOrder",
		},
		// Rule 8.
		{name: "8 ticket voucher", body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"), status: 200},
		{
			name:    "8 the shape of Vista's curl example",
			body:    `{"type":"ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`,
			headers: []string{"Connect-Region-Code", "NZ"},
			status:  200,
		},
		{name: "8 deal without showtime, any case", body: voucherBody("DEAL", "", "9300000000017", nil), status: 200},
		{name: "8 deal ignores a showtime", body: voucherBody("Deal", "0001-2690", "9300000000024", nil), status: 200},
		{name: "8 subscription", body: voucherBody("Subscription", "", "SUBS00042424", "2424"), status: 200},
		{name: "8 PIN-less voucher, null PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0001001", nil), status: 200},
		{name: "8 PIN-less voucher, no pin key", body: `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0001040"}}`, status: 200},
		{name: "8 PIN-less voucher ignores a PIN", body: voucherBody("Ticket", "0001-2681", "ADTMM0001002", "0000"), status: 200},
		{name: "8 the same voucher on another order", setup: func(e *env) {
			e.addVoucher("c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b", "Ticket", "0001-2681", "ADTMM0000111", "1234")
		}, body: voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"), status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, mock.Options{})
			if tc.setup != nil {
				tc.setup(e)
			}
			orderID := tc.order
			switch orderID {
			case "":
				orderID = firstOrder
			case "new":
				orderID = e.createOrder("0001")
			}
			r := e.do("POST", "/ocapi/v1/orders/"+orderID+"/vouchers", tc.body, tc.headers...)
			eb := r.expect(t, tc.status, tc.code)
			for _, pin := range []string{"1234", "4321", "9999", "5555", "2424", "3131"} {
				if strings.Contains(eb.Message, pin) {
					t.Errorf("message shows a PIN: %q", eb.Message)
				}
			}
			if tc.status == 200 {
				var a addResp
				r.decode(t, &a)
				if !hexID.MatchString(a.Voucher.ID) || a.AvailableRedemptions == nil {
					t.Errorf("answer %s", r.body)
				}
			}
		})
	}
}

func TestAddVoucherAnswerAndOrder(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	r := e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"))
	var a addResp
	r.decodeOK(t, &a)
	want := orderVoucher{ID: a.Voucher.ID, Type: "Ticket", MaskedBarcode: "AD......0111", VoucherTypeCode: "ADTMM", VoucherTypeDescription: text{"Adult Movie Money"}}
	if a.Voucher != want || !hexID.MatchString(a.Voucher.ID) {
		t.Errorf("voucher = %+v, want %+v", a.Voucher, want)
	}
	if intOr(a.AvailableRedemptions, -1) != 2 {
		t.Errorf("availableRedemptions = %v, want 2", intOr(a.AvailableRedemptions, -1))
	}
	if strings.Contains(string(r.body), "ADTMM0000111") || strings.Contains(string(r.body), "1234") {
		t.Errorf("answer shows the barcode or PIN: %s", r.body)
	}

	o := e.order(firstOrder)
	if len(o.Vouchers) != 1 {
		t.Fatalf("order vouchers = %+v", o.Vouchers)
	}
	got := o.Vouchers[0]
	if intOr(got.AvailableRedemptions, -1) != 2 {
		t.Errorf("order voucher availableRedemptions = %v, want 2", intOr(got.AvailableRedemptions, -1))
	}
	got.AvailableRedemptions = nil
	if got != want {
		t.Errorf("order voucher = %+v, want %+v", got, want)
	}
}

func TestPinLockout(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	add := func(order, pin string) *result {
		return e.do("POST", "/ocapi/v1/orders/"+order+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", pin))
	}
	start := e.clock.Now()

	// Wrong PINs spread wider than the window never block.
	add(firstOrder, "0000").expect(t, 400, "InvalidPin")
	add(firstOrder, "0000").expect(t, 400, "InvalidPin")
	e.clock.Advance(61 * time.Second)
	add(firstOrder, "0000").expect(t, 400, "InvalidPin")
	add(firstOrder, "0000").expect(t, 400, "InvalidPin")
	// A right PIN resets the count.
	add(firstOrder, "1234").expect(t, 200, "")
	e.do("DELETE", "/ocapi/v1/orders/"+firstOrder+"/vouchers/"+e.order(firstOrder).Vouchers[0].ID, nil).expect(t, 204, "")

	e.clock.Advance(time.Second)
	blockStart := e.clock.Now()
	add(firstOrder, "0000").expect(t, 400, "InvalidPin")
	e.clock.Advance(10 * time.Second)
	add(firstOrder, "").expect(t, 400, "InvalidPin") // a forgotten PIN counts too
	last := add(firstOrder, "9876").expect(t, 400, "InvalidPin")
	if !strings.Contains(last.Message, "blocked") {
		t.Errorf("the attempt that blocks should say so: %q", last.Message)
	}
	// And says until when in the body, as the 429s that follow do.
	if want := blockStart.Add(10*time.Second).Add(60*time.Second).UTC().Format("2006-01-02T15:04:05.0000000") + "+00:00"; last.BlockedUntilUTC != want {
		t.Errorf("the attempt that blocks has blockedUntilUtc %q, want %q", last.BlockedUntilUTC, want)
	}

	// Blocked: even the right PIN, on any order.
	for _, order := range []string{firstOrder, "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b"} {
		r := add(order, "1234")
		eb := r.expect(t, 429, "TooManyAttempts")
		wantUntil := blockStart.Add(10*time.Second).Add(60*time.Second).UTC().Format("2006-01-02T15:04:05.0000000") + "+00:00"
		if eb.BlockedUntilUTC != wantUntil {
			t.Errorf("blockedUntilUtc = %q, want %q", eb.BlockedUntilUTC, wantUntil)
		}
		if got := r.header.Get("Retry-After"); got != "60" {
			t.Errorf("Retry-After = %q, want 60", got)
		}
	}
	// Other vouchers are not affected.
	e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000333", "3333")

	e.clock.Advance(59 * time.Second)
	r := add(firstOrder, "1234")
	r.expect(t, 429, "TooManyAttempts")
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	e.clock.Advance(time.Second)
	add(firstOrder, "1234").expect(t, 200, "")
	if e.clock.Now().Sub(start) > 1800*time.Second {
		t.Fatal("test outlived the seed order")
	}
}

func TestRemoveVoucher(t *testing.T) {
	tests := []struct {
		name string
		// setup returns the order and voucher id to remove.
		setup  func(e *env) (string, string)
		status int
		code   string
	}{
		{"unused ticket voucher", func(e *env) (string, string) {
			return firstOrder, e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
		}, 204, ""},
		{"deal voucher", func(e *env) (string, string) {
			return firstOrder, e.addVoucher(firstOrder, "Deal", "", "9300000000017", nil)
		}, 204, ""},
		{"ticket voucher still paying for a ticket", func(e *env) (string, string) {
			id := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
			e.setTickets(firstOrder, "0001-2681", tk{TicketTypeID: "0001-0077", VoucherID: id}, tk{TicketTypeID: "0001-0051"}).expect(e.t, 200, "")
			return firstOrder, id
		}, 400, "VoucherInUse"},
		{"ticket voucher after its tickets are set without it", func(e *env) (string, string) {
			id := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
			e.setTickets(firstOrder, "0001-2681", tk{TicketTypeID: "0001-0077", VoucherID: id}).expect(e.t, 200, "")
			e.setTickets(firstOrder, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(e.t, 200, "")
			return firstOrder, id
		}, 204, ""},
		{"subscription voucher still paying for a ticket", func(e *env) (string, string) {
			id := e.addVoucher(firstOrder, "Subscription", "", "SUBS00042424", "2424")
			e.setTickets(firstOrder, "0001-2681", tk{TicketTypeID: "0001-0080", VoucherID: id}).expect(e.t, 200, "")
			return firstOrder, id
		}, 400, "VoucherInUse"},
		{"unknown voucher id", func(e *env) (string, string) {
			return firstOrder, "0123456789abcdef0123456789abcdef"
		}, 400, "VoucherNotFound"},
		{"voucher of another order", func(e *env) (string, string) {
			return firstOrder, e.addVoucher("c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b", "Ticket", "0001-2681", "ADTMM0000111", "1234")
		}, 400, "VoucherNotFound"},
		{"unknown order", func(e *env) (string, string) {
			return "ffffffffffffffffffffffffffffffff", e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
		}, 404, "OrderNotFound"},
		{"expired order", func(e *env) (string, string) {
			id := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
			e.clock.Advance(30 * time.Minute)
			return firstOrder, id
		}, 404, "OrderNotFound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, mock.Options{})
			orderID, voucherID := tc.setup(e)
			r := e.do("DELETE", "/ocapi/v1/orders/"+orderID+"/vouchers/"+voucherID, nil)
			r.expect(t, tc.status, tc.code)
			if tc.status != 204 {
				return
			}
			if len(r.body) != 0 {
				t.Errorf("204 with a body: %s", r.body)
			}
			for _, v := range e.order(orderID).Vouchers {
				if v.ID == voucherID {
					t.Errorf("voucher %s is still on the order", voucherID)
				}
			}
			// Gone for good: a second removal finds nothing.
			e.do("DELETE", "/ocapi/v1/orders/"+orderID+"/vouchers/"+voucherID, nil).expect(t, 400, "VoucherNotFound")
		})
	}
}
