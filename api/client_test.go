package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
)

// Every call against Vista-shaped samples: what goes out (method, path,
// headers, body) and what comes back decoded.
func TestCallsAgainstVistaSamples(t *testing.T) {
	pin := "1234"
	tests := []struct {
		name      string
		call      func(context.Context, *Client) (any, error)
		method    string
		uri       string
		body      string // expected JSON request body, "" for none
		serve     string // testdata file answered with 200, "" for 204
		check     func(t *testing.T, got any)
		wantNoErr bool
	}{
		{
			name: "create order",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateOrder(ctx, "0001", BookingPaid)
			},
			method: "POST", uri: "/ocapi/v1/orders/standard/booking",
			body:  `{"siteId":"0001","bookingMode":"Paid"}`,
			serve: "order_in_progress.json",
			check: func(t *testing.T, got any) {
				o := got.(*OrderResponse).Order
				if o.ID != "5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09" || o.Status != OrderInProgress || o.SiteID != "0001" {
					t.Errorf("order = %+v", o)
				}
				want := time.Date(2024, 1, 30, 2, 46, 16, 754307200, time.UTC)
				if !o.ExpiresAt.Equal(want) {
					t.Errorf("expiresAt = %v, want %v (7 fractional digits)", o.ExpiresAt.Time, want)
				}
				if o.TotalPrice != (MonetaryValue{19.5, 16.24, 3.26}) {
					t.Errorf("totalPrice = %+v", o.TotalPrice)
				}
				tk := o.Showtimes[0].Tickets
				if tk[0].VoucherID != "a3f0c1d2e3b4a5968778695a4b3c2d1e" || tk[0].AmountSaved.ValueIncludingTax != 19.5 {
					t.Errorf("voucher ticket = %+v", tk[0])
				}
				if tk[1].VoucherID != "" || tk[1].AmountSaved != nil {
					t.Errorf("null ids must decode as empty: %+v", tk[1])
				}
				if len(o.Vouchers) != 2 || o.Vouchers[0].VoucherTypeDescription != "Adult Movie Money" ||
					o.Vouchers[1].Type != VoucherDeal || o.Vouchers[1].VoucherTypeDescription != "" || !o.VouchersListed {
					t.Errorf("vouchers = %+v", o.Vouchers)
				}
				if o.Vouchers[0].AvailableRedemptions != nil || *o.Vouchers[1].AvailableRedemptions != 2 {
					t.Errorf("availableRedemptions on vouchers = %v, %v", o.Vouchers[0].AvailableRedemptions, o.Vouchers[1].AvailableRedemptions)
				}
			},
		},
		{
			name: "get order without vouchers key",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetOrder(ctx, "e4da3b7fbbce2345d7772b0674a318d5")
			},
			method: "GET", uri: "/ocapi/v1/orders/e4da3b7fbbce2345d7772b0674a318d5",
			serve: "order_no_vouchers.json",
			check: func(t *testing.T, got any) {
				r := got.(*OrderResponse)
				if r.Order.Vouchers != nil || r.Order.VouchersListed || len(r.Order.Showtimes) != 0 {
					t.Errorf("order = %+v", r.Order)
				}
				if !r.Order.ExpiresAt.Equal(time.Date(2026, 11, 28, 6, 40, 0, 1e8, time.UTC)) {
					t.Errorf("expiresAt = %v", r.Order.ExpiresAt.Time)
				}
			},
		},
		{
			name: "get order with null lists and no offset",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetOrder(ctx, "1679091c5a880faf6fb5e6087eb1b2dc")
			},
			method: "GET", uri: "/ocapi/v1/orders/1679091c5a880faf6fb5e6087eb1b2dc",
			serve: "order_null_lists.json",
			check: func(t *testing.T, got any) {
				o := got.(*OrderResponse).Order
				if o.Status != OrderCompleted || !o.ExpiresAt.Equal(time.Date(2026, 11, 28, 6, 40, 0, 0, time.UTC)) {
					t.Errorf("order = %+v", o)
				}
				if o.TotalPrice.ValueIncludingTax < 12.33 || o.TotalPrice.ValueIncludingTax > 12.34 {
					t.Errorf("price = %v", o.TotalPrice)
				}
			},
		},
		{
			name: "ids are escaped in the path",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetOrder(ctx, "x?y#z%")
			},
			method: "GET", uri: "/ocapi/v1/orders/x%3Fy%23z%25",
			serve: "order_no_vouchers.json",
		},
		{
			name:   "cancel order",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.CancelOrder(ctx, "abc123") },
			method: "DELETE", uri: "/ocapi/v1/orders/abc123",
		},
		{
			name: "add ticket voucher",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddVoucher(ctx, "abc123", AddVoucherRequest{
					Type: "ticket", ShowtimeID: "0001-2681",
					Credentials: VoucherCredentials{Barcode: "ADTMM0000111", Pin: &pin},
				})
			},
			method: "POST", uri: "/ocapi/v1/orders/abc123/vouchers",
			body:  `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`,
			serve: "add_voucher.json",
			check: func(t *testing.T, got any) {
				r := got.(*AddVoucherResponse)
				if r.Voucher.ID != "45c48cce2e2d7fbdea1afc51c7c6ad26" || r.Voucher.MaskedBarcode != "AD......0111" ||
					r.Voucher.Type != VoucherTicket || r.AvailableRedemptions != 1 {
					t.Errorf("add = %+v", r)
				}
			},
		},
		{
			name: "add subscription voucher drops showtime and empty pin",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AddVoucher(ctx, "abc123", AddVoucherRequest{
					Type: VoucherSubscription, ShowtimeID: "0001-2681",
					Credentials: VoucherCredentials{Barcode: "SUB87654321", Pin: ptr("")},
				})
			},
			method: "POST", uri: "/ocapi/v1/orders/abc123/vouchers",
			body:  `{"type":"Subscription","credentials":{"barcode":"SUB87654321","pin":null}}`,
			serve: "add_voucher_no_redemptions.json",
			check: func(t *testing.T, got any) {
				r := got.(*AddVoucherResponse)
				if r.AvailableRedemptions != -1 || r.Voucher.Type != VoucherSubscription {
					t.Errorf("add = %+v, want AvailableRedemptions -1 when the server sends null", r)
				}
			},
		},
		{
			name: "remove voucher",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.RemoveVoucher(ctx, "abc123", "45c48cce")
			},
			method: "DELETE", uri: "/ocapi/v1/orders/abc123/vouchers/45c48cce",
		},
		{
			name:   "get showtime",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetShowtime(ctx, "0001-2681") },
			method: "GET", uri: "/ocapi/v1/showtimes/0001-2681",
			serve: "showtime.json",
			check: func(t *testing.T, got any) {
				r := got.(*ShowtimeResponse)
				s := r.Showtime
				if s.FilmID != "HO00004212" || s.Schedule.BusinessDate != "2026-11-28" {
					t.Errorf("showtime = %+v", s)
				}
				if _, off := s.Schedule.StartsAt.Zone(); off != 13*3600 || s.Schedule.StartsAt.Hour() != 19 {
					t.Errorf("startsAt = %v, want the site offset kept", s.Schedule.StartsAt.Time)
				}
				if r.RelatedData.FilmTitle("HO00004212") != "The Long Night" {
					t.Errorf("film title = %q", r.RelatedData.FilmTitle("HO00004212"))
				}
				if r.RelatedData.ScreenName("0001-03") != "" || r.RelatedData.SiteName("0001") != "" {
					t.Error("null and absent names must read as empty")
				}
			},
		},
		{
			name: "showtimes by business date",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ShowtimesByBusinessDate(ctx, "2026-11-28", "0001", "0002")
			},
			method: "GET", uri: "/ocapi/v1/showtimes/by-business-date/2026-11-28?siteIds=0001&siteIds=0002",
			serve: "showtimes_by_date.json",
			check: func(t *testing.T, got any) {
				r := got.(*ShowtimesResponse)
				if len(r.Showtimes) != 2 || r.Showtimes[1].Schedule.StartsAt.Day() != 29 {
					t.Errorf("showtimes = %+v", r.Showtimes)
				}
				if r.RelatedData.FilmTitle("HO00004300") != "" || r.RelatedData.SiteName("0002") != "" ||
					r.RelatedData.SiteName("0001") != "Courtenay Central" {
					t.Errorf("related = %+v", r.RelatedData)
				}
			},
		},
		{
			name: "showtimes by business date for every site",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ShowtimesByBusinessDate(ctx, "2026-11-28")
			},
			method: "GET", uri: "/ocapi/v1/showtimes/by-business-date/2026-11-28",
			serve: "showtimes_by_date.json",
		},
		{
			// A live tenant takes "first" for its first business date with showtimes.
			name: "showtimes of the first business date",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ShowtimesByBusinessDate(ctx, "first", "0001")
			},
			method: "GET", uri: "/ocapi/v1/showtimes/by-business-date/first?siteIds=0001",
			serve: "showtimes_by_date.json",
		},
		{
			name:   "ticket prices",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.GetTicketPrices(ctx, "0001-2681") },
			method: "GET", uri: "/ocapi/v1/showtimes/0001-2681/ticket-prices",
			serve: "ticket_prices.json",
			check: func(t *testing.T, got any) {
				r := got.(*TicketPricesResponse)
				// Prices without restrictions first, then vouchers'; the
				// Discount price and the second Adult price are hidden.
				if len(r.TicketPrices) != 3 || r.Hidden != 2 || !r.TicketPrices[2].AcceptsVoucherCode("ADTMX") || r.TicketPrices[0].AcceptsVoucherCode("ADTMM") {
					t.Errorf("prices = %+v, hidden %d", r.TicketPrices, r.Hidden)
				}
				if r.TicketPrices[0].Price.ValueIncludingTax != 19.5 || r.TicketPrices[0].NeedsVoucher() || !r.TicketPrices[2].NeedsVoucher() {
					t.Errorf("adult = %+v", r.TicketPrices[0])
				}
				if r.TicketPrices[1].Restrictions != nil {
					t.Errorf("absent restrictions = %v", r.TicketPrices[1].Restrictions)
				}
				if tt := r.RelatedData.TicketTypes; tt[0].AreaCategoryID != "0000000001" || tt[1].AreaCategoryID != "" {
					t.Errorf("area categories of ticket types = %+v", tt)
				}
				if r.TicketTypeDescription("0001-0001") != "Adult" || r.TicketTypeDescription("0001-0077") != "0001-0077" ||
					r.TicketTypeDescription("0001-0090") != "0001-0090" {
					t.Error("ticket type descriptions")
				}
			},
		},
		{
			name: "set showtime tickets, seats allocated by the server",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SetShowtime(ctx, "abc123", "0001-2681", []TicketRequest{
					{ID: "8f14e45f-ceea-467f-a8d5-0f2c3b6a9d11", TicketTypeID: "0001-0077", VoucherID: "a3f0"},
					{ID: "c9f0f895-fb98-4b91-9c2b-6f0b2a7d8e22", TicketTypeID: "0001-0001"},
				}, AllocateSeats())
			},
			method: "PUT", uri: "/ocapi/v1/orders/abc123/showtimes/0001-2681",
			body: `{"tickets":[{"id":"8f14e45f-ceea-467f-a8d5-0f2c3b6a9d11","ticketTypeId":"0001-0077","voucherId":"a3f0"},` +
				`{"id":"c9f0f895-fb98-4b91-9c2b-6f0b2a7d8e22","ticketTypeId":"0001-0001"}],"seats":null}`,
			serve: "order_in_progress.json",
			check: func(t *testing.T, got any) {
				seats := got.(*OrderResponse).Order.Showtimes[0].Seats
				if len(seats) != 1 || seats[0].SeatID != "0000000001-1-5" || seats[0].Name() != "A5" || seats[0].AreaCategoryID != "0000000001" {
					t.Errorf("seats = %+v", seats)
				}
			},
		},
		{
			name: "set showtime tickets with chosen seats",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SetShowtime(ctx, "abc123", "0001-2681", []TicketRequest{
					{ID: "8f14e45f-ceea-467f-a8d5-0f2c3b6a9d11", TicketTypeID: "0001-0001"},
					{ID: "c9f0f895-fb98-4b91-9c2b-6f0b2a7d8e22", TicketTypeID: "0001-0001"},
				}, ChooseSeats("0000000001-5-12", "0000000001-5-13"))
			},
			method: "PUT", uri: "/ocapi/v1/orders/abc123/showtimes/0001-2681",
			body: `{"tickets":[{"id":"8f14e45f-ceea-467f-a8d5-0f2c3b6a9d11","ticketTypeId":"0001-0001"},` +
				`{"id":"c9f0f895-fb98-4b91-9c2b-6f0b2a7d8e22","ticketTypeId":"0001-0001"}],"seats":["0000000001-5-12","0000000001-5-13"]}`,
			serve: "order_in_progress.json",
		},
		{
			name: "clearing a showtime sends an empty list and no seats, without reading the order",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SetShowtimeTickets(ctx, "abc123", "0001-2681", nil)
			},
			method: "PUT", uri: "/ocapi/v1/orders/abc123/showtimes/0001-2681",
			body:  `{"tickets":[],"seats":null}`,
			serve: "order_in_progress.json",
		},
		{
			name: "get seat layout",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetSeatLayout(ctx, "0001-2681")
			},
			method: "GET", uri: "/ocapi/v1/showtimes/0001-2681/seat-layout",
			serve: "seat_layout.json",
			check: checkSeatLayoutSample,
		},
		{
			name: "get seat availability",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetSeatAvailability(ctx, "0001-2681")
			},
			method: "GET", uri: "/ocapi/v1/showtimes/0001-2681/seat-availability",
			serve: "seat_availability.json",
			check: checkSeatAvailabilitySample,
		},
		{
			name: "get order seat availability",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetOrderSeatAvailability(ctx, "48ac589507ac48ae9ed64eeadbe0ab6d", "0001-2681")
			},
			method: "GET", uri: "/ocapi/v1/orders/48ac589507ac48ae9ed64eeadbe0ab6d/showtimes/0001-2681/seat-availability",
			serve: "seat_availability.json",
			check: checkSeatAvailabilitySample,
		},
		{
			name: "get allocated showtime",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetShowtime(ctx, "0001-2681")
			},
			method: "GET", uri: "/ocapi/v1/showtimes/0001-2681",
			serve: "showtime_allocated.json",
			check: func(t *testing.T, got any) {
				st := got.(*ShowtimeResponse).Showtime
				if !st.IsAllocatedSeating || st.SeatLayoutID != "0001-0003-02" || len(st.AreaCategories) != 3 {
					t.Fatalf("showtime = %+v", st)
				}
				if c := st.AreaCategories; *c[0].IsAllocatedSeating != true || *c[1].IsAllocatedSeating != false || c[2].IsAllocatedSeating != nil {
					t.Errorf("area categories = %+v", c)
				}
			},
		},
		{
			name: "get order holding seats",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetOrder(ctx, "48ac589507ac48ae9ed64eeadbe0ab6d")
			},
			method: "GET", uri: "/ocapi/v1/orders/48ac589507ac48ae9ed64eeadbe0ab6d",
			serve: "order_with_seats.json",
			check: func(t *testing.T, got any) {
				o := got.(*OrderResponse).Order
				st := o.Showtimes[0]
				want := []OrderSeat{
					{SeatID: "0000000001-5-18", RowLabel: "A", SeatLabel: "16", AreaCategoryID: "0000000001"},
					{SeatID: "0000000001-5-17", RowLabel: "A", SeatLabel: "15", AreaCategoryID: "0000000001"},
				}
				if !slices.Equal(st.Seats, want) || st.Seats[0].Name() != "A16" {
					t.Errorf("seats = %+v", st.Seats)
				}
				if !slices.Equal(st.SeatIDs(), []string{"0000000001-5-18", "0000000001-5-17"}) || o.Showtimes[1].SeatIDs() != nil {
					t.Errorf("seat ids = %v, %v", st.SeatIDs(), o.Showtimes[1].SeatIDs())
				}
			},
		},
		{
			name:   "complete order",
			call:   func(ctx context.Context, c *Client) (any, error) { return c.CompleteOrder(ctx, "abc123") },
			method: "POST", uri: "/ocapi/v1/orders/abc123/completion",
			serve: "completion.json",
			check: func(t *testing.T, got any) {
				r := got.(*CompletionResponse)
				if *r != (CompletionResponse{"5b1c2f0a9e8d4c7b8a6f5e4d3c2b1a09", CompletionCompleted, "123456"}) {
					t.Errorf("completion = %+v", r)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.serve == "" {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				serveJSON(w, http.StatusOK, readTestdata(t, tt.serve))
			})
			c, _ := testClient(t, rec.URL+"/")
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if rec.count() != 1 {
				t.Fatalf("server saw %d requests, want 1", rec.count())
			}
			h := rec.hit(t, 0)
			if h.Method != tt.method || h.RequestURI != tt.uri {
				t.Errorf("sent %s %s, want %s %s", h.Method, h.RequestURI, tt.method, tt.uri)
			}
			wantHeaders := map[string]string{
				"Accept":              "application/json",
				"User-Agent":          "boxoffice/1.2.3",
				"Authorization":       "Bearer secret-token",
				"Connect-Region-Code": "NZ",
			}
			if tt.body != "" {
				wantHeaders["Content-Type"] = "application/json"
			}
			for k, v := range wantHeaders {
				if got := h.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if tt.body == "" {
				if len(h.Body) != 0 {
					t.Errorf("unexpected body %q", h.Body)
				}
			} else {
				jsonEqual(t, h.Body, tt.body)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestTicketsWithoutIDGetFreshUUIDs(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, readTestdata(t, "order_in_progress.json"))
	})
	c, _ := testClient(t, rec.URL)
	in := []TicketRequest{{TicketTypeID: "0001-0001"}, {TicketTypeID: "0001-0001"}}
	if _, err := c.SetShowtime(context.Background(), "abc", "0001-2681", in, AllocateSeats()); err != nil {
		t.Fatal(err)
	}
	if in[0].ID != "" {
		t.Error("the caller's tickets were modified")
	}
	body := string(rec.hit(t, 0).Body)
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)
	ids := uuid.FindAllString(body, -1)
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("ticket ids in %s", body)
	}
}

func TestNoAuthorizationOrRegionWhenUnset(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, readTestdata(t, "showtime.json"))
	})
	c, _ := testClient(t, rec.URL, func(o *Options) { o.Token, o.RegionCode, o.Version = "", "", "" })
	if _, err := c.GetShowtime(context.Background(), "0001-2681"); err != nil {
		t.Fatal(err)
	}
	h := rec.hit(t, 0).Header
	if _, ok := h["Authorization"]; ok {
		t.Error("Authorization sent without a token")
	}
	if _, ok := h["Connect-Region-Code"]; ok {
		t.Error("Connect-Region-Code sent without a region")
	}
	if h.Get("User-Agent") != "boxoffice/dev" {
		t.Errorf("User-Agent = %q", h.Get("User-Agent"))
	}
}

func TestNewValidatesBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"https://tenant-digital-api.app.vista.co/", "https://tenant-digital-api.app.vista.co", true},
		{" http://host/prefix/ ", "http://host/prefix", true},
		{"", "", false},
		{"127.0.0.1:8080", "", false},
		{"ftp://host", "", false},
		{"http://", "", false},
		{"http://host?x=1", "", false},
		{"http://user:pw@host", "", false},
		{"http://host/%zz", "", false},
	}
	for _, tt := range tests {
		c, err := New(Options{BaseURL: tt.in})
		if !tt.ok {
			if KindOf(err) != KindInvalidInput {
				t.Errorf("New(%q) err = %v, want invalid input", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%q): %v", tt.in, err)
			continue
		}
		if c.BaseURL() != tt.want {
			t.Errorf("BaseURL() = %q, want %q", c.BaseURL(), tt.want)
		}
	}
	if _, err := New(Options{BaseURL: "http://h", Token: "a\r\nX-Evil: 1"}); KindOf(err) != KindInvalidInput {
		t.Errorf("token with CR LF: %v", err)
	}
}

func TestPathPrefixIsKept(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, readTestdata(t, "showtime.json"))
	})
	c, _ := testClient(t, rec.URL+"/tenant/")
	if _, err := c.GetShowtime(context.Background(), "0001-2681"); err != nil {
		t.Fatal(err)
	}
	if got := rec.hit(t, 0).RequestURI; got != "/tenant/ocapi/v1/showtimes/0001-2681" {
		t.Errorf("uri = %q", got)
	}
}

// Bad local input is refused before anything is sent.
func TestInvalidInputIsNotSent(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(500) })
	c, _ := testClient(t, rec.URL)
	ctx := context.Background()
	voucher := AddVoucherRequest{Type: VoucherTicket, Credentials: VoucherCredentials{Barcode: "ADTMM0000111"}}
	tests := []struct {
		name string
		call func() error
	}{
		{"empty order id", func() error { _, err := c.GetOrder(ctx, ""); return err }},
		{"dot-dot order id", func() error { _, err := c.GetOrder(ctx, ".."); return err }},
		{"dot order id", func() error { return c.CancelOrder(ctx, ".") }},
		{"slash in order id", func() error { _, err := c.GetOrder(ctx, "a/b"); return err }},
		{"backslash in order id", func() error { _, err := c.GetOrder(ctx, `a\b`); return err }},
		{"space in order id", func() error { _, err := c.GetOrder(ctx, "a b"); return err }},
		{"newline in showtime id", func() error { _, err := c.GetShowtime(ctx, "a\nb"); return err }},
		{"empty site", func() error { _, err := c.CreateOrder(ctx, " ", BookingPaid); return err }},
		{"empty booking mode", func() error { _, err := c.CreateOrder(ctx, "0001", ""); return err }},
		{"empty barcode", func() error {
			_, err := c.AddVoucher(ctx, "o1", AddVoucherRequest{Type: VoucherTicket})
			return err
		}},
		{"blank barcode", func() error {
			_, err := c.AddVoucher(ctx, "o1", AddVoucherRequest{Type: VoucherDeal, Credentials: VoucherCredentials{Barcode: "  "}})
			return err
		}},
		{"unknown voucher type", func() error {
			_, err := c.AddVoucher(ctx, "o1", AddVoucherRequest{Type: "Gift", Credentials: voucher.Credentials})
			return err
		}},
		{"add without order", func() error { _, err := c.AddVoucher(ctx, "", voucher); return err }},
		{"attach without order", func() error { _, err := c.AttachVoucher(ctx, "", voucher, AttachPolicy{}); return err }},
		{"attach without barcode", func() error {
			_, err := c.AttachVoucher(ctx, "o1", AddVoucherRequest{Type: VoucherTicket}, AttachPolicy{})
			return err
		}},
		{"remove without voucher", func() error { return c.RemoveVoucher(ctx, "o1", "") }},
		{"detach without voucher", func() error { return c.DetachVoucher(ctx, "o1", "", AttachPolicy{}) }},
		{"bad business date", func() error { _, err := c.ShowtimesByBusinessDate(ctx, "28/11/2026"); return err }},
		{"empty site filter", func() error { _, err := c.ShowtimesByBusinessDate(ctx, "2026-11-28", ""); return err }},
		{"ticket without type", func() error {
			_, err := c.SetShowtimeTickets(ctx, "o1", "s1", []TicketRequest{{ID: "x"}})
			return err
		}},
		{"prices without showtime", func() error { _, err := c.GetTicketPrices(ctx, ""); return err }},
		{"complete without order", func() error { _, err := c.CompleteOrder(ctx, ""); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			e := AsError(err)
			if e == nil || e.Kind != KindInvalidInput || e.OutcomeUnknown {
				t.Fatalf("err = %#v, want invalid input", err)
			}
		})
	}
	if rec.count() != 0 {
		t.Errorf("server saw %d requests for bad input", rec.count())
	}
}

// Status codes map to kinds; the body lends its text only when it is JSON
// with a familiar field; state-changing calls get OutcomeUnknown on 5xx.
func TestStatusErrors(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		header      map[string]string
		kind        ErrorKind
		code, msg   string
		unknownPost bool
	}{
		{name: "mock 400", status: 400, body: string(readTestdata(t, "error_mock.json")), kind: KindRejected,
			code: "VoucherUsedUp", msg: "This voucher has no uses left."},
		{name: "problem details", status: 400, body: string(readTestdata(t, "error_problem_details.json")), kind: KindRejected,
			msg: "One or more validation errors occurred."},
		{name: "nested error", status: 404, body: string(readTestdata(t, "error_nested.json")), kind: KindNotFound,
			code: "OrderExpired", msg: "The order has expired."},
		{name: "oauth style", status: 401, body: string(readTestdata(t, "error_oauth.json")), kind: KindUnauthorized,
			code: "invalid_grant", msg: "invalid_username_or_password"},
		{name: "PascalCase fields", status: 403, body: `{"Message":"Not for you","ErrorCode":7}`, kind: KindForbidden,
			code: "7", msg: "Not for you"},
		{name: "detail over title", status: 400, body: `{"title":"Bad Request","detail":"Voucher expired"}`, kind: KindRejected,
			msg: "Voucher expired"},
		{name: "errorMessage", status: 400, body: `{"errorMessage":"Wrong PIN"}`, kind: KindRejected, msg: "Wrong PIN"},
		{name: "html body is opaque", status: 404, body: `<html><body>Not Found</body></html>`, kind: KindNotFound},
		{name: "json without text is opaque", status: 400, body: `{"success":false,"id":3}`, kind: KindRejected},
		{name: "json array is opaque", status: 400, body: `["bad"]`, kind: KindRejected},
		{name: "empty body", status: 400, kind: KindRejected},
		{name: "control characters are cleaned", status: 400, body: `{"message":"bad\u001b[31m voucher\n\tnow"}`, kind: KindRejected,
			msg: "bad [31m voucher now"},
		{name: "gone", status: 410, kind: KindNotFound},
		{name: "conflict", status: 409, kind: KindRejected},
		{name: "rate limited", status: 429, body: string(readTestdata(t, "rate_limited.json")), kind: KindRateLimited},
		{name: "server error", status: 500, body: `{"message":"boom"}`, kind: KindServer, msg: "boom", unknownPost: true},
		{name: "bad gateway", status: 502, kind: KindServer, unknownPost: true},
		{name: "not implemented", status: 501, kind: KindServer, unknownPost: true},
		{name: "redirect not followed", status: 304, kind: KindServer, msg: "unexpected HTTP status 304", unknownPost: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				serveJSON(w, tt.status, []byte(tt.body))
			})
			c, _ := testClient(t, rec.URL, func(o *Options) { o.GetRetries = -1 })
			ctx := context.Background()
			for _, post := range []bool{false, true} {
				var err error
				if post {
					_, err = c.CompleteOrder(ctx, "o1")
				} else {
					_, err = c.GetOrder(ctx, "o1")
				}
				e := AsError(err)
				if e == nil {
					t.Fatalf("post=%v: err = %v, want *Error", post, err)
				}
				if e.Kind != tt.kind || e.Status != tt.status || e.Code != tt.code || e.Message != tt.msg {
					t.Errorf("post=%v: got kind=%v status=%d code=%q msg=%q, want %v %d %q %q",
						post, e.Kind, e.Status, e.Code, e.Message, tt.kind, tt.status, tt.code, tt.msg)
				}
				if want := post && tt.unknownPost; e.OutcomeUnknown != want {
					t.Errorf("post=%v: OutcomeUnknown = %v, want %v", post, e.OutcomeUnknown, want)
				}
				if !strings.Contains(e.Error(), string(e.Op)) {
					t.Errorf("Error() = %q lacks the op", e.Error())
				}
			}
		})
	}
}

func TestLongMessagesAreCut(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 400, []byte(`{"message":"`+strings.Repeat("x", 1000)+`"}`))
	})
	c, _ := testClient(t, rec.URL)
	_, err := c.GetOrder(context.Background(), "o1")
	if n := len([]rune(AsError(err).Message)); n != maxMessageRunes {
		t.Errorf("message has %d runes, want %d", n, maxMessageRunes)
	}
}

func TestRateLimitedBlockedUntil(t *testing.T) {
	now := time.Now()
	httpDate := now.Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name          string
		body          string
		retryAfter    string
		want          time.Time
		tolerance     time.Duration
		wantZeroBlock bool
	}{
		{name: "body wins", body: string(readTestdata(t, "rate_limited.json")), retryAfter: "5",
			want: time.Date(2024, 1, 30, 2, 51, 16, 754307200, time.UTC)},
		{name: "retry-after seconds", retryAfter: "30", want: now.Add(30 * time.Second), tolerance: 5 * time.Second},
		{name: "retry-after date", retryAfter: httpDate, want: now.Add(90 * time.Second), tolerance: 2 * time.Second},
		{name: "unreadable body date falls back", body: `{"blockedUntilUtc":"soon"}`, retryAfter: "10",
			want: now.Add(10 * time.Second), tolerance: 5 * time.Second},
		{name: "nothing said", body: `{}`, wantZeroBlock: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				serveJSON(w, 429, []byte(tt.body))
			})
			c, _ := testClient(t, rec.URL)
			_, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherTicket,
				Credentials: VoucherCredentials{Barcode: "ADTMM0000111", Pin: ptr("0000")}})
			e := AsError(err)
			if e == nil || e.Kind != KindRateLimited || e.OutcomeUnknown || e.Status != 429 {
				t.Fatalf("err = %#v", err)
			}
			if tt.wantZeroBlock {
				if !e.BlockedUntil.IsZero() {
					t.Errorf("BlockedUntil = %v, want zero", e.BlockedUntil)
				}
				return
			}
			if d := e.BlockedUntil.Sub(tt.want); d < -tt.tolerance || d > tt.tolerance {
				t.Errorf("BlockedUntil = %v, want %v ± %v", e.BlockedUntil, tt.want, tt.tolerance)
			}
			if rec.count() != 1 {
				t.Errorf("429 was retried: %d requests", rec.count())
			}
		})
	}
}

// A 2xx whose body is unusable is an unreadable answer, not a success; for a
// change it is an applied change whose outcome is unknown, never a failure.
func TestUnreadableSuccessIsUnreadable(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
	}{
		{"not json", "<html>ok</html>", 200},
		{"empty", "", 200},
		{"wrong shape", `{"order": []}`, 200},
		{"bad date", `{"order":{"id":"x","expiresAt":"tomorrow"}}`, 200},
		{"no order", `{"something":"else"}`, 200},
		{"created but empty", "", 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				serveJSON(w, tt.status, []byte(tt.body))
			})
			c, _ := testClient(t, rec.URL)
			_, err := c.GetOrder(context.Background(), "o1")
			e := AsError(err)
			if e == nil || e.Kind != KindUnreadable || e.Err == nil || e.Status != tt.status {
				t.Fatalf("err = %#v, want KindUnreadable with its status and a reason", err)
			}
			if e.OutcomeUnknown || e.Applied {
				t.Errorf("a read has no outcome to reconcile: %#v", e)
			}
		})
	}
	for _, body := range []string{`{"voucher":{}}`, `<html>ok</html>`, ``, `{"voucher":{"id":"v1","voucherTypeDescription":{"text":1}},"availableRedemptions":"many"}`} {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { serveJSON(w, 200, []byte(body)) })
		c, _ := testClient(t, rec.URL)
		_, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherDeal, Credentials: VoucherCredentials{Barcode: "B1234567"}})
		e := AsError(err)
		if e == nil || e.Kind != KindUnreadable || !e.Applied || !e.OutcomeUnknown || e.Status != 200 {
			t.Errorf("add answered 200 with %s: %#v, want an applied add of unknown outcome", body, err)
		}
		if e != nil && strings.Contains(e.Error(), "HTTP 0") {
			t.Errorf("error reads %q", e.Error())
		}
	}
}

// State-changing calls are sent exactly once whatever happens; a GET is
// repeated on 502/503/504 and network errors only.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	voucher := AddVoucherRequest{Type: VoucherTicket, ShowtimeID: "s1", Credentials: VoucherCredentials{Barcode: "ADTMM0000111"}}
	type callFn func(*Client) error
	post := map[string]callFn{
		"add voucher":  func(c *Client) error { _, err := c.AddVoucher(ctx, "o1", voucher); return err },
		"create order": func(c *Client) error { _, err := c.CreateOrder(ctx, "0001", BookingPaid); return err },
		"complete":     func(c *Client) error { _, err := c.CompleteOrder(ctx, "o1"); return err },
		"set tickets": func(c *Client) error {
			_, err := c.SetShowtime(ctx, "o1", "s1", []TicketRequest{{TicketTypeID: "t"}}, ChooseSeats("A1"))
			return err
		},
		"cancel order":   func(c *Client) error { return c.CancelOrder(ctx, "o1") },
		"remove voucher": func(c *Client) error { return c.RemoveVoucher(ctx, "o1", "v1") },
	}
	failures := map[string]struct {
		fail func(t *testing.T, w http.ResponseWriter)
		kind ErrorKind
	}{
		"503":    {func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(503) }, KindServer},
		"504":    {func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(504) }, KindServer},
		"hangup": {hangUp, KindNetwork},
	}
	for fname, f := range failures {
		for name, call := range post {
			t.Run(name+" not retried on "+fname, func(t *testing.T) {
				rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { f.fail(t, w) })
				c, _ := testClient(t, rec.URL, func(o *Options) { o.GetRetries = 5 })
				err := call(c)
				e := AsError(err)
				if e == nil || e.Kind != f.kind || !e.OutcomeUnknown {
					t.Fatalf("err = %#v, want %v with OutcomeUnknown", err, f.kind)
				}
				if rec.count() != 1 {
					t.Errorf("server saw %d requests, want exactly 1", rec.count())
				}
			})
		}
	}

	getTests := []struct {
		name     string
		retries  int
		fails    int // how many first hits fail
		failWith func(t *testing.T, w http.ResponseWriter)
		wantHits int
		wantKind ErrorKind // 0: success
	}{
		{"503 then success", 2, 1, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(503) }, 2, 0},
		{"502 twice then success", 2, 2, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(502) }, 3, 0},
		{"hangup then success", 2, 1, hangUp, 2, 0},
		{"503 beyond retries", 2, 10, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(503) }, 3, KindServer},
		{"hangups beyond retries", 1, 10, hangUp, 2, KindNetwork},
		{"default is two retries", 0, 10, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(504) }, 3, KindServer},
		{"negative turns retries off", -1, 10, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(503) }, 1, KindServer},
		{"500 is not retried", 2, 10, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(500) }, 1, KindServer},
		// The second request is the read at the completed-order path.
		{"404 is not retried", 2, 10, func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(404) }, 2, KindNotFound},
	}
	for _, tt := range getTests {
		t.Run("GET "+tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n < tt.fails {
					tt.failWith(t, w)
					return
				}
				serveJSON(w, 200, readTestdata(t, "order_no_vouchers.json"))
			})
			c, _ := testClient(t, rec.URL, func(o *Options) { o.GetRetries = tt.retries })
			_, err := c.GetOrder(ctx, "o1")
			if KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
			if IsOutcomeUnknown(err) {
				t.Error("a GET never has an unknown outcome")
			}
			if rec.count() != tt.wantHits {
				t.Errorf("server saw %d requests, want %d", rec.count(), tt.wantHits)
			}
		})
	}
}

func TestTransportErrors(t *testing.T) {
	ctx := context.Background()
	voucher := AddVoucherRequest{Type: VoucherDeal, Credentials: VoucherCredentials{Barcode: "DEAL00000222"}}

	t.Run("connection refused is known not applied", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, _ := testClient(t, "http://"+addr, func(o *Options) { o.GetRetries = -1 })
		_, err = c.AddVoucher(ctx, "o1", voucher)
		e := AsError(err)
		if e == nil || e.Kind != KindNetwork || e.OutcomeUnknown || e.Status != 0 {
			t.Fatalf("err = %#v", err)
		}
		var opErr *net.OpError
		if !errors.As(err, &opErr) {
			t.Error("the transport error is not kept in the chain")
		}
	})

	t.Run("client timeout", func(t *testing.T) {
		release := make(chan struct{})
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		defer close(release)
		c, _ := testClient(t, rec.URL, func(o *Options) { o.Timeout = 50 * time.Millisecond; o.GetRetries = -1 })
		_, err := c.AddVoucher(ctx, "o1", voucher)
		if e := AsError(err); e == nil || e.Kind != KindTimeout || !e.OutcomeUnknown {
			t.Fatalf("add: err = %#v, want timeout with unknown outcome", err)
		}
		_, err = c.GetOrder(ctx, "o1")
		if e := AsError(err); e == nil || e.Kind != KindTimeout || e.OutcomeUnknown {
			t.Fatalf("get: err = %#v, want timeout", err)
		}
	})

	t.Run("context deadline", func(t *testing.T) {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() })
		c, _ := testClient(t, rec.URL)
		dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.AddVoucher(dctx, "o1", voucher)
		if e := AsError(err); e == nil || e.Kind != KindTimeout || !e.OutcomeUnknown {
			t.Fatalf("err = %#v", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err %v does not wrap the deadline", err)
		}
	})

	t.Run("cancelled before sending", func(t *testing.T) {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(204) })
		c, _ := testClient(t, rec.URL)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err := c.CancelOrder(cctx, "o1")
		if e := AsError(err); e == nil || e.Kind != KindNetwork || e.OutcomeUnknown || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %#v", err)
		}
		if rec.count() != 0 {
			t.Error("a cancelled call was sent")
		}
	})

	t.Run("body cut off", func(t *testing.T) {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"order":`))
		})
		c, _ := testClient(t, rec.URL, func(o *Options) { o.GetRetries = -1 })
		_, err := c.CreateOrder(ctx, "0001", BookingUnpaid)
		if e := AsError(err); e == nil || e.Kind != KindNetwork || !e.OutcomeUnknown || e.Status != 200 {
			t.Fatalf("err = %#v", err)
		}
	})
}

// fakeTokens is a TokenSource handing out "tok1", "tok2", ...
type fakeTokens struct {
	n           int
	invalidated []string
	fail        error
}

func (f *fakeTokens) Token(ctx context.Context) (string, error) {
	if f.fail != nil {
		return "", f.fail
	}
	if f.n == 0 || len(f.invalidated) >= f.n {
		f.n++
	}
	return "tok" + string(rune('0'+f.n)), nil
}

func (f *fakeTokens) Invalidate(token string) { f.invalidated = append(f.invalidated, token) }

func TestUnauthorizedRefetchesTokenOnce(t *testing.T) {
	ctx := context.Background()
	voucher := AddVoucherRequest{Type: VoucherTicket, Credentials: VoucherCredentials{Barcode: "ADTMM0000111"}}
	tests := []struct {
		name     string
		accept   string // token the server accepts, "" none
		source   bool
		wantHits int
		wantErr  ErrorKind
	}{
		{"refreshed token is accepted", "tok2", true, 2, 0},
		{"refused twice", "", true, 2, KindUnauthorized},
		{"static token is not repeated", "tok2", false, 1, KindUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if tt.accept == "" || r.Header.Get("Authorization") != "Bearer "+tt.accept {
					serveJSON(w, 401, []byte(`{"message":"token expired"}`))
					return
				}
				serveJSON(w, 200, readTestdata(t, "add_voucher.json"))
			})
			src := &fakeTokens{}
			c, _ := testClient(t, rec.URL, func(o *Options) {
				o.Token = "tok1"
				if tt.source {
					o.TokenSource = src
				}
			})
			_, err := c.AddVoucher(ctx, "o1", voucher)
			if KindOf(err) != tt.wantErr {
				t.Fatalf("err = %v, want kind %v", err, tt.wantErr)
			}
			if IsOutcomeUnknown(err) {
				t.Error("a 401 leaves nothing unknown")
			}
			if rec.count() != tt.wantHits {
				t.Errorf("server saw %d requests, want %d", rec.count(), tt.wantHits)
			}
			if tt.source && (len(src.invalidated) == 0 || src.invalidated[0] != "tok1") {
				t.Errorf("invalidated = %v, want tok1 first", src.invalidated)
			}
			if rec.hit(t, 0).Header.Get("Authorization") != "Bearer tok1" {
				t.Errorf("first request Authorization = %q", rec.hit(t, 0).Header.Get("Authorization"))
			}
		})
	}

	t.Run("token source failure", func(t *testing.T) {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { w.WriteHeader(204) })
		src := &fakeTokens{fail: &Error{Op: tokenOp, Kind: KindRejected, Status: 400, Code: "invalid_grant"}}
		c, _ := testClient(t, rec.URL, func(o *Options) { o.TokenSource = src })
		err := c.CancelOrder(ctx, "o1")
		if e := AsError(err); e == nil || e.Kind != KindUnauthorized || e.OutcomeUnknown || e.Op != "cancel order" {
			t.Fatalf("err = %#v", err)
		}
		if rec.count() != 0 {
			t.Error("sent without a token")
		}
		src.fail = errors.New("auth host down")
		if err := c.CancelOrder(ctx, "o1"); KindOf(err) != KindUnauthorized {
			t.Errorf("plain token source error: %v", err)
		}
	})
}

// Logs carry method, path, status and duration, never a header, a PIN, a
// token or a full barcode; resty's own messages land in the same logger.
func TestLogging(t *testing.T) {
	const barcode, pin, token = "ADTMM0000111", "987654", "secret-token"
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodGet {
			w.WriteHeader(503)
			return
		}
		serveJSON(w, 400, []byte(`{"errorCode":"WrongPin","message":"PIN `+pin+` is wrong for `+barcode+`"}`))
	})
	c, logs := testClient(t, rec.URL, func(o *Options) { o.GetRetries = 1 })
	_, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherTicket, ShowtimeID: "s1",
		Credentials: VoucherCredentials{Barcode: barcode, Pin: ptr(pin)}})
	e := AsError(err)
	if e == nil || e.Message != "PIN ****** is wrong for AD......0111" {
		t.Fatalf("err = %#v: the message must have the PIN and barcode masked", err)
	}
	_, _ = c.GetOrder(context.Background(), "o1")
	out := logs.String()
	for _, banned := range []string{barcode, pin, token, "Bearer", "Authorization"} {
		if strings.Contains(out, banned) {
			t.Errorf("log contains %q:\n%s", banned, out)
		}
	}
	for _, want := range []string{"method=POST", "path=/ocapi/v1/orders/o1/vouchers", "status=400", "duration=",
		"barcode=AD......0111", "kind=rejected", "method=GET", "status=503", "ocapi retrying", "attempts=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// resty's own logger must not write to stderr: its messages reach ours.
func TestRestyLoggerIsAdapted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	addr := srv.URL
	srv.Close()
	c, logs := testClient(t, addr, func(o *Options) { o.GetRetries = 1 })
	_, _ = c.GetOrder(context.Background(), "o1")
	if !strings.Contains(logs.String(), "resty: ") {
		t.Errorf("resty's retry messages did not reach the logger:\n%s", logs.String())
	}
	// A nil Logger discards, without panicking.
	c2, err := New(Options{BaseURL: addr, GetRetries: 1, GetRetryWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.GetOrder(context.Background(), "o1"); KindOf(err) != KindNetwork {
		t.Errorf("err = %v", err)
	}
}

func TestHTTPClientIsNotModified(t *testing.T) {
	hc := &http.Client{}
	if _, err := New(Options{BaseURL: "http://h", HTTPClient: hc, Timeout: time.Second}); err != nil {
		t.Fatal(err)
	}
	if hc.Timeout != 0 || hc.Transport != nil {
		t.Errorf("caller's http.Client was modified: %+v", hc)
	}
}

func TestRetryAfterForGETRetries(t *testing.T) {
	tests := []struct {
		header   string
		min, max time.Duration
	}{
		{"", 0, 0},
		{"3", 2 * time.Second, 3 * time.Second},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0, 0}, // past: usual backoff
		{"soon", 0, 0},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		if tt.header != "" {
			rec.Header().Set("Retry-After", tt.header)
		}
		rec.WriteHeader(503)
		d, err := retryAfter(nil, &resty.Response{RawResponse: rec.Result()})
		if err != nil || d < tt.min || d > tt.max {
			t.Errorf("Retry-After %q: %v, %v; want within [%v, %v]", tt.header, d, err, tt.min, tt.max)
		}
	}
}

// Vista documents three booking modes; another is refused before it is sent.
func TestCreateOrderRefusesAnUndocumentedBookingMode(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { serveJSON(w, 200, nil) })
	c, _ := testClient(t, rec.URL)
	_, err := c.CreateOrder(context.Background(), "0001", "Someday")
	if KindOf(err) != KindInvalidInput || !strings.Contains(err.Error(), `"Someday" is not Paid, Unpaid or UnpaidConfirmed`) || rec.count() != 0 {
		t.Errorf("err = %v after %d requests, want it refused unsent", err, rec.count())
	}
}

// A redirect is never followed: a 307 would resend the add, PIN and all, to
// wherever Location says. The error names the Location.
func TestRedirectsAreNotFollowed(t *testing.T) {
	other := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		serveJSON(w, 200, readTestdata(t, "add_voucher.json"))
	})
	for _, status := range []int{301, 302, 303, 307, 308} {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Location", other.URL+r.URL.Path)
			w.WriteHeader(status)
		})
		c, _ := testClient(t, rec.URL)
		pin := "1234"
		_, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherDeal, Credentials: VoucherCredentials{Barcode: "9300000000017", Pin: &pin}})
		e := AsError(err)
		if e == nil || !strings.Contains(e.Error(), other.URL) || !strings.Contains(e.Error(), "does not follow") {
			t.Errorf("%d: err = %v, want one naming the Location", status, err)
		}
		if e != nil && e.OutcomeUnknown != (status == 303) {
			t.Errorf("%d: OutcomeUnknown = %v", status, e.OutcomeUnknown)
		}
	}
	if other.count() != 0 {
		t.Fatalf("the redirect was followed: the other server saw %d requests", other.count())
	}
}

// Whatever a server echoes, the token and the PIN stay out of errors and
// logs: a PIN shorter than four characters too, where it stands alone.
func TestEchoedSecretsAreMasked(t *testing.T) {
	tests := []struct {
		name, pin, body string
		status          int
		leak            []string
		keep            string
	}{
		{"a 401 that echoes the token", "", `{"message":"token secret-token has expired"}`, 401, []string{"secret-token"}, "token [token] has expired"},
		{"a short PIN", "12", `{"message":"PIN 12 is wrong; 12 attempts are allowed, 112 is not a PIN"}`, 400, []string{"PIN 12 "}, "PIN ** is wrong; ** attempts are allowed, 112 is not a PIN"},
		{"a long PIN", "98765", `{"message":"PIN 98765 is wrong"}`, 400, []string{"98765"}, "PIN ***** is wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) { serveJSON(w, tt.status, []byte(tt.body)) })
			c, logs := testClient(t, rec.URL)
			var pin *string
			if tt.pin != "" {
				pin = &tt.pin
			}
			_, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherDeal, Credentials: VoucherCredentials{Barcode: "9300000000017", Pin: pin}})
			e := AsError(err)
			if e == nil || e.Message != tt.keep {
				t.Fatalf("err = %v, want the message %q", err, tt.keep)
			}
			for _, leak := range tt.leak {
				if strings.Contains(e.Error(), leak) || strings.Contains(logs.String(), leak) {
					t.Errorf("%q is in the error or the log:\n%v\n%s", leak, e, logs)
				}
			}
		})
	}
}

func TestRefusalThatStartsABlockSaysWhenItEnds(t *testing.T) {
	now := time.Now()
	inAMinute := now.Add(time.Minute).UTC()
	tests := []struct {
		name string
		body string
		want time.Time
	}{
		{name: "the mock's words", body: `{"errorCode":"InvalidPin","message":"Voucher AD......0222 was given a wrong PIN; it is now blocked until ` +
			inAMinute.Format(time.TimeOnly) + ` UTC."}`, want: inAMinute.Truncate(time.Second)},
		{name: "a body field", body: `{"message":"Invalid voucher","blockedUntilUtc":"2030-01-01T00:00:00.1234567Z"}`,
			want: time.Date(2030, 1, 1, 0, 0, 0, 123456700, time.UTC)},
		{name: "attempts left", body: `{"errorCode":"InvalidPin","message":"Voucher AD......0222 was given a wrong PIN; 2 attempt(s) left before it is blocked."}`},
		{name: "a time of day in no zone", body: `{"message":"blocked until 10:00:00 tomorrow"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				serveJSON(w, 400, []byte(tt.body))
			})
			c, _ := testClient(t, rec.URL)
			_, err := c.AddVoucher(context.Background(), "o1", AddVoucherRequest{Type: VoucherTicket,
				Credentials: VoucherCredentials{Barcode: "ADTMM0000222", Pin: ptr("0000")}})
			e := AsError(err)
			if e == nil || e.Kind != KindRejected {
				t.Fatalf("err = %#v", err)
			}
			if !e.BlockedUntil.Equal(tt.want) {
				t.Errorf("BlockedUntil = %v, want %v", e.BlockedUntil, tt.want)
			}
		})
	}
}
