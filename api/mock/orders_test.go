package mock_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

func TestCreateOrder(t *testing.T) {
	tests := []struct {
		name     string
		body     any
		status   int
		code     string
		wantMode string
	}{
		{name: "paid", body: map[string]string{"siteId": "0001", "bookingMode": "Paid"}, status: 200, wantMode: "Paid"},
		{name: "mode in any case", body: map[string]string{"siteId": "0002", "bookingMode": "unpaidconfirmed"}, status: 200, wantMode: "UnpaidConfirmed"},
		{name: "site order location", body: map[string]string{"siteId": "0001", "bookingMode": "Unpaid", "siteOrderLocationId": "KIOSK1"}, status: 200, wantMode: "Unpaid"},
		{name: "unknown site", body: map[string]string{"siteId": "0009", "bookingMode": "Paid"}, status: 400, code: "SiteNotFound"},
		{name: "no site", body: map[string]string{"bookingMode": "Paid"}, status: 400, code: "InvalidRequest"},
		{name: "unknown mode", body: map[string]string{"siteId": "0001", "bookingMode": "Free"}, status: 400, code: "InvalidBookingMode"},
		{name: "no mode", body: map[string]string{"siteId": "0001"}, status: 400, code: "InvalidBookingMode"},
		{name: "not JSON", body: "siteId=0001", status: 400, code: "InvalidRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, mock.Options{})
			r := e.do("POST", "/ocapi/v1/orders/standard/booking", tc.body)
			r.expect(t, tc.status, tc.code)
			if tc.status != 200 {
				return
			}
			var o orderResp
			r.decode(t, &o)
			got := o.Order
			if !hexID.MatchString(got.ID) || got.Type != "Standard" || got.Status != "InProgress" ||
				got.Booking.Mode != tc.wantMode || got.TotalPrice != (money{}) || got.Booking.TotalBookingFee != (money{}) {
				t.Errorf("order = %+v", got)
			}
			if string(o.RelatedData) != "{}" {
				t.Errorf("relatedData = %s", o.RelatedData)
			}
			for _, want := range []string{`"showtimes":[]`, `"vouchers":[]`} {
				if !strings.Contains(string(r.body), want) {
					t.Errorf("body lacks %s: %s", want, r.body)
				}
			}
			wantExpiry := e.clock.Now().Add(1200*time.Second).UTC().Format("2006-01-02T15:04:05") + ".0000000+00:00"
			if got.ExpiresAt != wantExpiry {
				t.Errorf("expiresAt = %q, want %q", got.ExpiresAt, wantExpiry)
			}
			if again := e.order(got.ID); again.ID != got.ID {
				t.Errorf("created order cannot be read back: %+v", again)
			}
		})
	}
}

func TestSeedOrder(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	if got := e.srv.FirstOrderID(); got != firstOrder {
		t.Errorf("FirstOrderID = %q", got)
	}
	if got := sprint(e.srv.SiteIDs()); got != "[0001 0002]" {
		t.Errorf("SiteIDs = %s", got)
	}
	o := e.order(firstOrder)
	if o.SiteID != "0001" || o.Booking.Mode != "Paid" || len(o.Showtimes) != 1 || o.Showtimes[0].ShowtimeID != "0001-2681" {
		t.Fatalf("order = %+v", o)
	}
	tickets := o.Showtimes[0].Tickets
	if len(tickets) != 3 {
		t.Fatalf("tickets = %+v", tickets)
	}
	ids := map[string]bool{}
	for _, tk := range tickets {
		ids[tk.ID] = true
		if !hexID.MatchString(tk.ID) || tk.Type != "Normal" || tk.VoucherID != nil || tk.AmountSaved == nil {
			t.Errorf("ticket = %+v", tk)
		}
	}
	if len(ids) != 3 {
		t.Errorf("ticket ids are not distinct: %v", ids)
	}
	want := money{ValueIncludingTax: 51, ValueExcludingTax: 42.91, Tax: 8.09}
	if o.TotalPrice != want {
		t.Errorf("totalPrice = %+v, want %+v", o.TotalPrice, want)
	}
	var raw map[string]map[string]any
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).decode(t, &raw)
	tk0 := raw["order"]["showtimes"].([]any)[0].(map[string]any)["tickets"].([]any)[0].(map[string]any)
	for _, k := range []string{"voucherId", "discountId", "dealId", "rewardId", "ticketRedemptionCardId"} {
		if v, ok := tk0[k]; !ok || v != nil {
			t.Errorf("ticket %s = %v (present %v), want null", k, v, ok)
		}
	}
	// Seed orders expire counting from the server's start.
	wantExpiry := e.clock.Now().Add(1800*time.Second).UTC().Format("2006-01-02T15:04:05") + ".0000000+00:00"
	if o.ExpiresAt != wantExpiry {
		t.Errorf("expiresAt = %q, want %q", o.ExpiresAt, wantExpiry)
	}
}

func TestSeedTicketIDsAreFreshPerServer(t *testing.T) {
	a := newEnv(t, nil, mock.Options{}).order(firstOrder)
	b := newEnv(t, nil, mock.Options{}).order(firstOrder)
	if a.Showtimes[0].Tickets[0].ID == b.Showtimes[0].Tickets[0].ID {
		t.Error("two servers gave the seed ticket the same id")
	}
}

func TestIDSource(t *testing.T) {
	n := 0
	e := newEnv(t, nil, mock.Options{IDSource: func() string { n++; return fmt.Sprintf("feed%028x", n) }})
	id := e.createOrder("0001")
	v := e.addVoucher(id, "Deal", "", "9300000000017", nil)
	if !strings.HasPrefix(id, "feed") || !strings.HasPrefix(v, "feed") || id == v {
		t.Errorf("order id %q and voucher id %q do not come from IDSource", id, v)
	}
}

func TestCancelOrder(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	r := e.do("DELETE", "/ocapi/v1/orders/"+firstOrder, nil)
	r.expect(t, 204, "")
	if len(r.body) != 0 {
		t.Errorf("204 with a body: %s", r.body)
	}
	for _, call := range [][2]string{
		{"GET", ""}, {"DELETE", ""}, {"POST", "/completion"}, {"PUT", "/showtimes/0001-2681"}, {"POST", "/vouchers"},
	} {
		e.do(call[0], "/ocapi/v1/orders/"+firstOrder+call[1], `{}`).expect(t, 404, "OrderNotFound")
	}
	// The voucher was released with the order.
	e.addVoucher("c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b", "Ticket", "0001-2681", "ADTMM0000111", "1234")
}

func TestOrderExpiry(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	created := e.createOrder("0001")
	e.setTickets(created, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(t, 200, "")
	voucherID := e.addVoucher(created, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	held := mock.HeldOrders(e.srv)

	e.clock.Advance(1199 * time.Second)
	e.order(created)
	e.order(firstOrder)
	e.clock.Advance(time.Second)
	calls := []struct{ method, path string }{
		{"GET", ""},
		{"POST", "/vouchers"},
		{"DELETE", "/vouchers/" + voucherID},
		{"PUT", "/showtimes/0001-2681"},
		{"POST", "/completion"},
		{"DELETE", ""},
	}
	for _, c := range calls {
		e.do(c.method, "/ocapi/v1/orders/"+created+c.path, `{"tickets":[]}`).expect(t, 404, "OrderNotFound")
	}
	if got := mock.HeldOrders(e.srv); got != held-1 {
		t.Errorf("held orders = %d, want %d: the expired order's data was kept", got, held-1)
	}
	// The seed order has its own expiry (1800 s from start).
	e.order(firstOrder)
	e.clock.Advance(600 * time.Second)
	for _, c := range calls {
		e.do(c.method, "/ocapi/v1/orders/"+firstOrder+c.path, `{"tickets":[]}`).expect(t, 404, "OrderNotFound")
	}
}

func TestOrderExpiryLimit(t *testing.T) {
	d := mock.DefaultData()
	d.Limits = &mock.Limits{OrderExpirySeconds: 30}
	e := newEnv(t, d, mock.Options{})
	id := e.createOrder("0001")
	e.clock.Advance(29 * time.Second)
	e.order(id)
	e.clock.Advance(time.Second)
	e.do("GET", "/ocapi/v1/orders/"+id, nil).expect(t, 404, "OrderNotFound")
}

func TestSetTickets(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	v111 := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	var o orderResp
	e.setTickets(firstOrder, "0001-2681",
		tk{ID: "client-ticket-1", TicketTypeID: "0001-0077", VoucherID: v111},
		tk{ID: "client-ticket-2", TicketTypeID: "0001-0050"},
		tk{TicketTypeID: "0001-0051"},
	).decodeOK(t, &o)
	got := o.Order
	tickets := got.Showtimes[0].Tickets
	if len(got.Showtimes) != 1 || len(tickets) != 3 {
		t.Fatalf("order = %+v", got)
	}
	if tickets[0].ID != "client-ticket-1" || tickets[1].ID != "client-ticket-2" || !hexID.MatchString(tickets[2].ID) {
		t.Errorf("ticket ids = %q %q %q", tickets[0].ID, tickets[1].ID, tickets[2].ID)
	}
	if tickets[0].VoucherID == nil || *tickets[0].VoucherID != v111 || tickets[1].VoucherID != nil {
		t.Errorf("voucher ids = %v %v", tickets[0].VoucherID, tickets[1].VoucherID)
	}
	if saved := tickets[0].AmountSaved; saved == nil || *saved != (money{19.5, 16.24, 3.26}) {
		t.Errorf("amountSaved = %+v, want the adult price", saved)
	}
	if saved := tickets[1].AmountSaved; saved == nil || *saved != (money{}) {
		t.Errorf("amountSaved of a paid ticket = %+v, want zero", saved)
	}
	if want := (money{31.5, 26.67, 4.83}); got.TotalPrice != want {
		t.Errorf("totalPrice = %+v, want %+v", got.TotalPrice, want)
	}
	if n := intOr(got.Vouchers[0].AvailableRedemptions, -1); n != 1 {
		t.Errorf("availableRedemptions after one use = %d, want 1", n)
	}

	// A showtime not yet on the order is added; an empty list clears one.
	e.setTickets(firstOrder, "0001-2678", tk{TicketTypeID: "0001-0077", VoucherID: v111}).decodeOK(t, &o)
	if len(o.Order.Showtimes) != 2 || o.Order.Showtimes[1].ShowtimeID != "0001-2678" || intOr(o.Order.Vouchers[0].AvailableRedemptions, -1) != 0 {
		t.Errorf("order = %+v", o.Order)
	}
	e.setTickets(firstOrder, "0001-2681").decodeOK(t, &o)
	if len(o.Order.Showtimes[0].Tickets) != 0 || o.Order.TotalPrice != (money{}) {
		t.Errorf("after clearing: %+v", o.Order)
	}
	// A surcharge ticket paid with a voucher saves the adult price less what is still paid.
	gold := e.createOrder("0001")
	e.setTickets(gold, "0001-2685", tk{TicketTypeID: "0001-0081"}).expect(t, 200, "")
	gv := e.addVoucher(gold, "Ticket", "0001-2685", "ADTMM0000333", "3333")
	e.setTickets(gold, "0001-2685", tk{TicketTypeID: "0001-0082", VoucherID: gv}).decodeOK(t, &o)
	if saved := o.Order.Showtimes[0].Tickets[0].AmountSaved; saved == nil || *saved != (money{24, 20.87, 3.13}) {
		t.Errorf("surcharge amountSaved = %+v", saved)
	}
}

func TestSetTicketsRefusals(t *testing.T) {
	type ids struct{ adt1, adt2, chd, deal, subs string }
	tests := []struct {
		name     string
		order    string
		showtime string
		tickets  func(v ids) []tk
		body     string // instead of tickets
		status   int
		code     string
	}{
		{name: "unknown order", order: "ffffffffffffffffffffffffffffffff", showtime: "0001-2681", tickets: func(ids) []tk { return nil }, status: 404, code: "OrderNotFound"},
		{name: "unknown showtime", showtime: "0001-0000", tickets: func(ids) []tk { return nil }, status: 404, code: "ShowtimeNotFound"},
		{name: "showtime at another site", showtime: "0002-3101", tickets: func(ids) []tk { return []tk{{TicketTypeID: "0002-0050"}} }, status: 400, code: "ShowtimeNotAtSite"},
		{name: "ticket type not sold for the showtime", showtime: "0001-2681", tickets: func(ids) []tk { return []tk{{TicketTypeID: "0001-0081"}} }, status: 400, code: "TicketTypeNotAvailable"},
		{name: "unknown ticket type", showtime: "0001-2681", tickets: func(ids) []tk { return []tk{{TicketTypeID: "nope"}} }, status: 400, code: "TicketTypeNotAvailable"},
		{name: "voucher not on the order", showtime: "0001-2681", tickets: func(ids) []tk {
			return []tk{{TicketTypeID: "0001-0077", VoucherID: "0123456789abcdef0123456789abcdef"}}
		}, status: 400, code: "VoucherNotOnOrder"},
		{name: "child voucher on an adult voucher ticket", showtime: "0001-2681", tickets: func(v ids) []tk {
			return []tk{{TicketTypeID: "0001-0077", VoucherID: v.chd}}
		}, status: 400, code: "VoucherTypeMismatch"},
		{name: "voucher on a ticket type that takes none", showtime: "0001-2681", tickets: func(v ids) []tk {
			return []tk{{TicketTypeID: "0001-0050", VoucherID: v.adt1}}
		}, status: 400, code: "VoucherTypeMismatch"},
		{name: "deal voucher on a ticket", showtime: "0001-2681", tickets: func(v ids) []tk {
			return []tk{{TicketTypeID: "0001-0077", VoucherID: v.deal}}
		}, status: 400, code: "VoucherTypeMismatch"},
		{name: "voucher ticket type without a voucher", showtime: "0001-2681", tickets: func(ids) []tk { return []tk{{TicketTypeID: "0001-0077"}} }, status: 400, code: "VoucherRequired"},
		{name: "one-use voucher on two tickets", showtime: "0001-2681", tickets: func(v ids) []tk {
			return []tk{{TicketTypeID: "0001-0077", VoucherID: v.adt2}, {TicketTypeID: "0001-0077", VoucherID: v.adt2}}
		}, status: 400, code: "VoucherRedemptionsExceeded"},
		{name: "two-use voucher on three tickets across showtimes", showtime: "0001-2678", tickets: func(v ids) []tk {
			return []tk{{TicketTypeID: "0001-0077", VoucherID: v.adt1}}
		}, status: 400, code: "VoucherRedemptionsExceeded"},
		{name: "duplicate ticket id", showtime: "0001-2681", tickets: func(ids) []tk {
			return []tk{{ID: "a", TicketTypeID: "0001-0050"}, {ID: "a", TicketTypeID: "0001-0051"}}
		}, status: 400, code: "DuplicateTicketId"},
		{name: "body not JSON", showtime: "0001-2681", body: `{"tickets": [`, status: 400, code: "InvalidRequest"},
		{name: "tickets not a list", showtime: "0001-2681", body: `{"tickets": {}}`, status: 400, code: "InvalidRequest"},
		{name: "subscription within its uses", showtime: "0001-2681", tickets: func(v ids) []tk {
			return []tk{{TicketTypeID: "0001-0080", VoucherID: v.subs}, {TicketTypeID: "0001-0080", VoucherID: v.subs}}
		}, status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil, mock.Options{})
			v := ids{
				adt1: e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234"),
				adt2: e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000222", "4321"),
				chd:  e.addVoucher(firstOrder, "Ticket", "0001-2681", "CHDMM0000111", "1111"),
				deal: e.addVoucher(firstOrder, "Deal", "", "9300000000017", nil),
				subs: e.addVoucher(firstOrder, "Subscription", "", "SUBS00042424", "2424"),
			}
			// The two-use voucher already pays for two tickets of the first showtime.
			e.setTickets(firstOrder, "0001-2681", tk{TicketTypeID: "0001-0077", VoucherID: v.adt1}, tk{TicketTypeID: "0001-0077", VoucherID: v.adt1}).expect(t, 200, "")
			before := string(e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).body)
			orderID := tc.order
			if orderID == "" {
				orderID = firstOrder
			}
			var r *result
			if tc.body != "" {
				r = e.do("PUT", "/ocapi/v1/orders/"+orderID+"/showtimes/"+tc.showtime, tc.body)
			} else {
				r = e.setTickets(orderID, tc.showtime, tc.tickets(v)...)
			}
			r.expect(t, tc.status, tc.code)
			if tc.status != 200 {
				if after := string(e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).body); after != before {
					t.Errorf("a refused change altered the order:\nbefore %+v\nafter  %+v", before, after)
				}
			}
		})
	}
}

func TestCompleteOrder(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})

	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/completion", `{}`).expect(t, 400, "OrderNotPaid")

	id := e.createOrder("0001")
	e.setTickets(id, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(t, 200, "")
	v333 := e.addVoucher(id, "Ticket", "0001-2681", "ADTMM0000333", "3333")
	v222 := e.addVoucher(id, "Ticket", "0001-2681", "ADTMM0000222", "4321")
	deal := e.addVoucher(id, "Deal", "", "9300000000017", nil)
	unused := e.addVoucher(id, "Ticket", "0001-2681", "ADTMM0000444", nil)
	e.setTickets(id, "0001-2681",
		tk{TicketTypeID: "0001-0077", VoucherID: v333},
		tk{TicketTypeID: "0001-0077", VoucherID: v333},
		tk{TicketTypeID: "0001-0077", VoucherID: v222},
	).expect(t, 200, "")

	// Another order holding the one-use voucher loses the race.
	other := e.createOrder("0001")
	e.setTickets(other, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(t, 200, "")
	ov222 := e.addVoucher(other, "Ticket", "0001-2681", "ADTMM0000222", "4321")
	e.setTickets(other, "0001-2681", tk{TicketTypeID: "0001-0077", VoucherID: ov222}).expect(t, 200, "")

	var c completion
	e.do("POST", "/ocapi/v1/orders/"+id+"/completion", nil).decodeOK(t, &c)
	if c.OrderID != id || c.OrderType != "Standard" || c.Status != "Completed" || c.TransactionNumber == nil || *c.TransactionNumber <= 0 {
		t.Errorf("completion = %+v", c)
	}
	// As Vista documents: the completed order is read at its own path, no
	// longer at the in-progress one, and its completion can be read again.
	e.do("GET", "/ocapi/v1/orders/"+id, nil).expect(t, 404, "OrderNotFound")
	done := e.completedOrder(id)
	if done.Status != "Completed" {
		t.Errorf("status = %q", done.Status)
	}
	var again completion
	e.do("GET", "/ocapi/v1/orders/"+id+"/completion", nil).decodeOK(t, &again)
	if again.String() != c.String() {
		t.Errorf("completion read again = %v, want %v", again, c)
	}
	// A completed order can be read, not changed, and it does not expire.
	changes := []struct{ method, path, body string }{
		{"POST", "/vouchers", `{"type":"Deal","credentials":{"barcode":"9300000000024"}}`},
		{"DELETE", "/vouchers/" + unused, ""},
		{"DELETE", "/vouchers/" + deal, ""},
		{"PUT", "/showtimes/0001-2681", `{"tickets":[]}`},
		{"POST", "/completion", `{}`},
		{"DELETE", "", ""},
	}
	for _, ch := range changes {
		e.do(ch.method, "/ocapi/v1/orders/"+id+ch.path, ch.body).expect(t, 400, "OrderCompleted")
	}

	// Redemptions were taken off the vouchers for later orders.
	if n := intOr(e.order(other).Vouchers[0].AvailableRedemptions, -1); n != 0 {
		t.Errorf("other order's one-use voucher availableRedemptions = %d, want 0", n)
	}
	e.do("POST", "/ocapi/v1/orders/"+other+"/completion", `{}`).expect(t, 400, "VoucherRedemptionsExceeded")

	later := e.createOrder("0001")
	e.setTickets(later, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(t, 200, "")
	var a addResp
	e.do("POST", "/ocapi/v1/orders/"+later+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000333", "3333")).decodeOK(t, &a)
	if n := intOr(a.AvailableRedemptions, -1); n != 3 {
		t.Errorf("ADTMM0000333 availableRedemptions after two uses = %d, want 3", n)
	}
	e.do("POST", "/ocapi/v1/orders/"+later+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "4321")).expect(t, 400, "VoucherUsedUp")
	e.do("POST", "/ocapi/v1/orders/"+later+"/vouchers", voucherBody("Deal", "", "9300000000017", nil)).expect(t, 400, "VoucherUsedUp")
	// An unused voucher keeps its redemptions.
	e.do("POST", "/ocapi/v1/orders/"+later+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000444", nil)).decodeOK(t, &a)
	if n := intOr(a.AvailableRedemptions, -1); n != 4 {
		t.Errorf("unused voucher availableRedemptions = %d, want 4", n)
	}

	e.clock.Advance(24 * time.Hour)
	if got := e.completedOrder(id).Status; got != "Completed" {
		t.Errorf("completed order after a day: %q", got)
	}

	// An order without tickets has nothing to pay.
	empty := e.createOrder("0002")
	e.do("POST", "/ocapi/v1/orders/"+empty+"/completion", ``).expect(t, 200, "")
}

func TestOrderJSONHasVistaShape(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	r := e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil)
	var raw struct {
		Order       map[string]json.RawMessage `json:"order"`
		RelatedData map[string]any             `json:"relatedData"`
	}
	r.decode(t, &raw)
	for _, k := range []string{"id", "type", "status", "siteId", "expiresAt", "totalPrice", "booking", "showtimes", "vouchers"} {
		if _, ok := raw.Order[k]; !ok {
			t.Errorf("order lacks %q", k)
		}
	}
	if !strings.Contains(string(raw.Order["showtimes"]), `"seats":[]`) {
		t.Errorf("showtimes = %s", raw.Order["showtimes"])
	}
	if _, err := time.Parse(time.RFC3339Nano, strings.Trim(string(raw.Order["expiresAt"]), `"`)); err != nil {
		t.Errorf("expiresAt: %v", err)
	}
}
