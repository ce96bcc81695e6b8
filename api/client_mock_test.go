package api_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/contract/contracttest"
	"github.com/boxoffice/boxoffice/api/mock"
)

// These tests run the client against the embedded mock server, the way the
// app runs by default. The Vista-shaped samples in testdata keep the client
// honest about the real API; these keep client and mock in step.

// world is a mock server seeded with the built-in demo data plus a few
// vouchers of our own, and what the tests need to know about it.
type world struct {
	srv  *mock.Server
	url  string
	hits *hitCounter

	siteID, showtimeID, businessDate string
	normalTT, voucherTT, code        string
	limits                           mock.Limits
}

// Our own vouchers, so the tests do not depend on the demo seed's choice.
const (
	pinVoucher     = "BOXTEST000001"
	pinVoucherPIN  = "2468"
	lockVoucher    = "BOXLOCK000006"
	lockVoucherPIN = "1357"
	plainVoucher   = "BOXTEST000002"
	usedVoucher    = "BOXUSED000003"
	expiredVoucher = "BOXEXPD000004"
	dealVoucher    = "BOXDEAL000005"
	soakPrefix     = "BOXSOAK"
	soakVouchers   = 30
)

type worldOptions struct {
	mutate func(*mock.Data)
	mock   mock.Options
	wrap   func(http.Handler) http.Handler
	// outsideContract serves answers Vista documents nothing about.
	outsideContract bool
}

func newWorld(t *testing.T, wo worldOptions) *world {
	t.Helper()
	d := mock.DefaultData()
	w := &world{limits: mock.Limits{PinAttempts: 3, BlockSeconds: 60, OrderExpirySeconds: 1200}}
	d.Limits = &w.limits

	// A showtime selling both a ticket paid in money and one paid by voucher.
	types := map[string]mock.TicketType{}
	for _, tt := range d.TicketTypes {
		types[tt.ID] = tt
	}
	for _, st := range d.Showtimes {
		normal, voucher, code := "", "", ""
		for _, id := range st.TicketTypeIDs {
			tt := types[id]
			switch {
			case len(tt.VoucherTypeCodes) == 0 && normal == "":
				normal = id
			case len(tt.VoucherTypeCodes) > 0 && tt.Price == 0 && voucher == "":
				voucher, code = id, tt.VoucherTypeCodes[0]
			}
		}
		if normal != "" && voucher != "" {
			w.siteID, w.showtimeID, w.businessDate = st.SiteID, st.ID, st.StartsAt[:10]
			w.normalTT, w.voucherTT, w.code = normal, voucher, code
			break
		}
	}
	if w.showtimeID == "" {
		t.Fatal("the demo data has no showtime selling both a normal and a voucher ticket type")
	}
	pin := func(s string) *string { return &s }
	ticket := func(barcode string, p *string, redemptions int, expires string) mock.Voucher {
		return mock.Voucher{Barcode: barcode, Pin: p, Type: "Ticket", VoucherTypeCode: w.code,
			Description: "Test Movie Money", Redemptions: redemptions, ExpiresAt: expires}
	}
	d.Vouchers = append(d.Vouchers,
		ticket(pinVoucher, pin(pinVoucherPIN), 2, ""),
		ticket(lockVoucher, pin(lockVoucherPIN), 2, ""),
		ticket(plainVoucher, nil, 1, ""),
		ticket(usedVoucher, nil, 0, ""),
		ticket(expiredVoucher, nil, 1, "2020-01-01T00:00:00Z"),
		mock.Voucher{Barcode: dealVoucher, Type: "Deal", VoucherTypeCode: "BOXDL", Description: "Test popcorn", Redemptions: 1},
	)
	for i := range soakVouchers {
		d.Vouchers = append(d.Vouchers, ticket(soakBarcode(i), nil, 1, ""))
	}
	if wo.mutate != nil {
		wo.mutate(d)
	}
	w.srv = mock.New(d, wo.mock)
	// The client's requests and the mock's answers are both held to
	// Vista's documents, so the two cannot drift together.
	var h http.Handler = w.srv
	if !wo.outsideContract {
		h = contracttest.Load(t).Exchanges(t, w.srv)
	}
	if wo.wrap != nil {
		h = wo.wrap(h)
	}
	w.hits = &hitCounter{next: h, byRoute: map[string]int{}}
	ts := httptest.NewServer(w.hits)
	t.Cleanup(ts.Close)
	w.url = ts.URL
	return w
}

func soakBarcode(i int) string {
	return soakPrefix + strings.Repeat("0", 4) + string(rune('A'+i/10)) + string(rune('0'+i%10))
}

func (w *world) client(t *testing.T, tweak ...func(*api.Options)) *api.Client {
	t.Helper()
	opts := api.Options{BaseURL: w.url, Version: "test", Timeout: 5 * time.Second, GetRetryWait: time.Millisecond}
	for _, f := range tweak {
		f(&opts)
	}
	c, err := api.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newOrder creates an order holding one money-paid ticket for the showtime,
// so that Ticket vouchers for that showtime can be added.
func (w *world) newOrder(t *testing.T, c *api.Client) string {
	t.Helper()
	ctx := context.Background()
	o, err := c.CreateOrder(ctx, w.siteID, api.BookingPaid)
	if err != nil {
		t.Fatalf("create order: %v", err)
	}
	if _, err := c.SetShowtimeTickets(ctx, o.Order.ID, w.showtimeID, []api.TicketRequest{{TicketTypeID: w.normalTT}}); err != nil {
		t.Fatalf("set tickets: %v", err)
	}
	return o.Order.ID
}

func (w *world) ticketVoucher(barcode, pin string) api.AddVoucherRequest {
	req := api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: w.showtimeID, Credentials: api.VoucherCredentials{Barcode: barcode}}
	if pin != "" {
		req.Credentials.Pin = &pin
	}
	return req
}

// hitCounter counts requests by "METHOD first-two-path-segments-after-v1".
type hitCounter struct {
	next    http.Handler
	mu      sync.Mutex
	byRoute map[string]int
}

func (h *hitCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.byRoute[route(r)]++
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

func (h *hitCounter) count(route string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.byRoute[route]
}

// route names a request coarsely: "POST vouchers", "GET orders", "POST token".
func route(r *http.Request) string {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(p) >= 1 && p[len(p)-1] == "token":
		return r.Method + " token"
	case len(p) >= 5 && p[2] == "orders" && p[4] == "vouchers":
		return r.Method + " vouchers"
	case len(p) >= 3:
		return r.Method + " " + p[2]
	}
	return r.Method + " " + r.URL.Path
}

// discardWriter lets the mock handle a request whose answer will be lost.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close()
}

func TestMockFullOrderFlow(t *testing.T) {
	w := newWorld(t, worldOptions{})
	c := w.client(t)
	ctx := context.Background()

	// Catalogue.
	day, err := c.ShowtimesByBusinessDate(ctx, w.businessDate, w.siteID)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, st := range day.Showtimes {
		found = found || st.ID == w.showtimeID
		if st.SiteID != w.siteID {
			t.Errorf("showtime %s of site %s in a list for %s", st.ID, st.SiteID, w.siteID)
		}
	}
	if !found {
		t.Errorf("showtime %s missing from its business date", w.showtimeID)
	}
	st, err := c.GetShowtime(ctx, w.showtimeID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Showtime.ID != w.showtimeID || st.RelatedData.FilmTitle(st.Showtime.FilmID) == "" ||
		st.RelatedData.SiteName(w.siteID) == "" || st.Showtime.Schedule.StartsAt.IsZero() {
		t.Errorf("showtime = %+v", st)
	}
	prices, err := c.GetTicketPrices(ctx, w.showtimeID)
	if err != nil {
		t.Fatal(err)
	}
	var voucherPrice *api.TicketPrice
	for i, p := range prices.TicketPrices {
		if p.TicketTypeID == w.voucherTT {
			voucherPrice = &prices.TicketPrices[i]
		}
	}
	if voucherPrice == nil || !voucherPrice.AcceptsVoucherCode(w.code) || len(voucherPrice.Restrictions) == 0 {
		t.Errorf("voucher ticket type = %+v", voucherPrice)
	}
	if prices.TicketTypeDescription(w.normalTT) == w.normalTT {
		t.Errorf("ticket type %s has no description", w.normalTT)
	}

	// Order with a money-paid ticket: not completable.
	orderID := w.newOrder(t, c)
	o, err := c.GetOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	if o.Order.Status != api.OrderInProgress || o.Order.TotalPrice.ValueIncludingTax <= 0 ||
		o.Order.ExpiresAt.Before(time.Now()) || len(o.Order.Vouchers) != 0 {
		t.Errorf("order = %+v", o.Order)
	}
	if _, err := c.CompleteOrder(ctx, orderID); api.KindOf(err) != api.KindRejected {
		t.Errorf("completing an unpaid order: %v", err)
	}

	// A voucher pays for the ticket instead.
	added, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(pinVoucher, pinVoucherPIN))
	if err != nil {
		t.Fatal(err)
	}
	if added.Voucher.MaskedBarcode != api.MaskBarcode(pinVoucher) || added.Voucher.Type != api.VoucherTicket ||
		added.Voucher.VoucherTypeCode != w.code || added.AvailableRedemptions != 2 || len(added.Voucher.ID) != 32 {
		t.Errorf("added = %+v", added)
	}
	o, err = c.SetShowtimeTickets(ctx, orderID, w.showtimeID, []api.TicketRequest{{TicketTypeID: w.voucherTT, VoucherID: added.Voucher.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if o.Order.TotalPrice.ValueIncludingTax != 0 || len(o.Order.Vouchers) != 1 || o.Order.Showtimes[0].Tickets[0].VoucherID != added.Voucher.ID {
		t.Errorf("order after tickets = %+v", o.Order)
	}
	if v := o.Order.Vouchers[0]; v.AvailableRedemptions == nil || *v.AvailableRedemptions != 1 {
		t.Errorf("order voucher redemptions = %v, want 1 left", v.AvailableRedemptions)
	}
	if err := c.RemoveVoucher(ctx, orderID, added.Voucher.ID); api.KindOf(err) != api.KindRejected {
		t.Errorf("removing a voucher in use: %v", err)
	}
	done, err := c.CompleteOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	if done.OrderID != orderID || done.Status != api.OrderCompleted || done.TransactionNumber == "" {
		t.Errorf("completion = %+v", done)
	}
	if err := c.CancelOrder(ctx, orderID); api.KindOf(err) != api.KindRejected {
		t.Errorf("cancelling a completed order: %v", err)
	}

	// A second order: add, remove, cancel.
	orderID = w.newOrder(t, c)
	deal, err := c.AddVoucher(ctx, orderID, api.AddVoucherRequest{Type: "deal", Credentials: api.VoucherCredentials{Barcode: dealVoucher}})
	if err != nil {
		t.Fatal(err)
	}
	if deal.Voucher.Type != api.VoucherDeal {
		t.Errorf("deal = %+v", deal)
	}
	if err := c.RemoveVoucher(ctx, orderID, deal.Voucher.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelOrder(ctx, orderID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrder(ctx, orderID); api.KindOf(err) != api.KindNotFound {
		t.Errorf("cancelled order: %v", err)
	}

	// The seed's own orders read back.
	if _, err := c.GetOrder(ctx, w.srv.FirstOrderID()); err != nil {
		t.Errorf("seed order: %v", err)
	}
}

// Every refusal the mock can give maps to the right kind, with the mock's
// code and a readable message that shows no barcode or PIN.
func TestMockRefusals(t *testing.T) {
	w := newWorld(t, worldOptions{})
	c := w.client(t)
	ctx := context.Background()
	orderID := w.newOrder(t, c)
	otherSite := ""
	for _, id := range w.srv.SiteIDs() {
		if id != w.siteID {
			otherSite = id
		}
	}
	emptyOrder, err := c.CreateOrder(ctx, w.siteID, api.BookingUnpaid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(plainVoucher, "")); err != nil {
		t.Fatal(err)
	}
	type refusal struct {
		name   string
		call   func() error
		kind   api.ErrorKind
		secret string // must not appear in the error
	}
	tests := []refusal{
		{"unknown order", func() error { _, err := c.GetOrder(ctx, "00000000000000000000000000000000"); return err }, api.KindNotFound, ""},
		{"unknown showtime", func() error { _, err := c.GetShowtime(ctx, "9999-9999"); return err }, api.KindNotFound, ""},
		{"unknown showtime prices", func() error { _, err := c.GetTicketPrices(ctx, "9999-9999"); return err }, api.KindNotFound, ""},
		{"unknown site", func() error { _, err := c.CreateOrder(ctx, "no-such-site", api.BookingPaid); return err }, api.KindRejected, ""},
		{"add to unknown order", func() error {
			_, err := c.AddVoucher(ctx, "00000000000000000000000000000000", w.ticketVoucher(pinVoucher, pinVoucherPIN))
			return err
		}, api.KindNotFound, pinVoucher},
		{"unknown barcode", func() error { _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher("NOSUCH000777", "")); return err }, api.KindRejected, "NOSUCH000777"},
		{"wrong type", func() error {
			_, err := c.AddVoucher(ctx, orderID, api.AddVoucherRequest{Type: api.VoucherSubscription, Credentials: api.VoucherCredentials{Barcode: pinVoucher}})
			return err
		}, api.KindRejected, pinVoucher},
		{"wrong PIN", func() error { _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(pinVoucher, "0000")); return err }, api.KindRejected, pinVoucher},
		{"missing PIN", func() error { _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(pinVoucher, "")); return err }, api.KindRejected, pinVoucher},
		{"used up", func() error { _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(usedVoucher, "")); return err }, api.KindRejected, usedVoucher},
		{"expired", func() error { _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(expiredVoucher, "")); return err }, api.KindRejected, expiredVoucher},
		{"showtime not at the order's site", func() error {
			req := w.ticketVoucher(pinVoucher, pinVoucherPIN)
			req.ShowtimeID = "9999-9999"
			_, err := c.AddVoucher(ctx, emptyOrder.Order.ID, req)
			return err
		}, api.KindRejected, pinVoucher},
		{"already on order", func() error { _, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(plainVoucher, "")); return err }, api.KindRejected, plainVoucher},
		{"remove unknown voucher", func() error { return c.RemoveVoucher(ctx, orderID, "ffffffffffffffffffffffffffffffff") }, api.KindRejected, ""},
		{"tickets for unknown showtime", func() error {
			_, err := c.SetShowtimeTickets(ctx, orderID, "9999-9999", []api.TicketRequest{{TicketTypeID: w.normalTT}})
			return err
		}, api.KindNotFound, ""},
		{"voucher ticket without voucher", func() error {
			_, err := c.SetShowtimeTickets(ctx, orderID, w.showtimeID, []api.TicketRequest{{TicketTypeID: w.voucherTT}})
			return err
		}, api.KindRejected, ""},
		{"ticket type not sold", func() error {
			_, err := c.SetShowtimeTickets(ctx, orderID, w.showtimeID, []api.TicketRequest{{TicketTypeID: "no-such-type"}})
			return err
		}, api.KindRejected, ""},
		{"complete unpaid", func() error { _, err := c.CompleteOrder(ctx, orderID); return err }, api.KindRejected, ""},
		{"cancel unknown order", func() error { return c.CancelOrder(ctx, "00000000000000000000000000000000") }, api.KindNotFound, ""},
	}
	if otherSite != "" {
		tests = append(tests, refusal{"showtime at another site", func() error {
			o, err := c.CreateOrder(ctx, otherSite, api.BookingPaid)
			if err != nil {
				return err
			}
			_, err = c.SetShowtimeTickets(ctx, o.Order.ID, w.showtimeID, []api.TicketRequest{{TicketTypeID: w.normalTT}})
			return err
		}, api.KindRejected, ""})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			e := api.AsError(err)
			if e == nil {
				t.Fatalf("err = %v, want *api.Error", err)
			}
			if e.Kind != tt.kind || e.OutcomeUnknown {
				t.Errorf("kind %v unknown %v, want %v", e.Kind, e.OutcomeUnknown, tt.kind)
			}
			if e.Code == "" || e.Message == "" {
				t.Errorf("code %q message %q: the mock's error body was not read", e.Code, e.Message)
			}
			for _, s := range []string{tt.secret, pinVoucherPIN} {
				if s != "" && strings.Contains(e.Error(), s) {
					t.Errorf("error shows %q: %v", s, e)
				}
			}
		})
	}
}

func TestMockPinLockout(t *testing.T) {
	w := newWorld(t, worldOptions{})
	c := w.client(t)
	ctx := context.Background()
	orderID := w.newOrder(t, c)
	start := time.Now()
	for i := range w.limits.PinAttempts {
		_, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(lockVoucher, "0000"))
		if api.KindOf(err) != api.KindRejected {
			t.Fatalf("wrong PIN %d: %v", i+1, err)
		}
	}
	for _, pin := range []string{"0000", lockVoucherPIN} {
		_, err := c.AddVoucher(ctx, orderID, w.ticketVoucher(lockVoucher, pin))
		e := api.AsError(err)
		if e == nil || e.Kind != api.KindRateLimited || e.Status != 429 {
			t.Fatalf("after the lockout: %v", err)
		}
		limit := start.Add(time.Duration(w.limits.BlockSeconds+2) * time.Second)
		if e.BlockedUntil.Before(start) || e.BlockedUntil.After(limit) {
			t.Errorf("BlockedUntil = %v, want between %v and %v", e.BlockedUntil, start, limit)
		}
	}
	if n := w.hits.count("POST vouchers"); n != w.limits.PinAttempts+2 {
		t.Errorf("%d voucher POSTs, want %d: a 429 must not be retried", n, w.limits.PinAttempts+2)
	}
}

// mockClock is a clock the test moves, read by the mock from many goroutines.
type mockClock struct{ offset atomic.Int64 }

func (m *mockClock) now() time.Time          { return time.Now().Add(time.Duration(m.offset.Load())) }
func (m *mockClock) advance(d time.Duration) { m.offset.Add(int64(d)) }

func TestMockAuth(t *testing.T) {
	clock := &mockClock{}
	w := newWorld(t, worldOptions{
		mutate: func(d *mock.Data) {
			d.Auth = &mock.Auth{Tokens: []string{"static-demo-token"},
				Users: []mock.User{{Username: "till1", Password: "correct horse"}}, TokenLifetimeSeconds: 600}
		},
		mock: mock.Options{Now: clock.now},
	})
	ctx := context.Background()

	anonymous := w.client(t)
	_, err := anonymous.GetShowtime(ctx, w.showtimeID)
	if e := api.AsError(err); e == nil || e.Kind != api.KindUnauthorized || e.Status != 401 {
		t.Fatalf("no token: %v", err)
	}

	static := w.client(t, func(o *api.Options) { o.Token = "static-demo-token" })
	if _, err := static.GetShowtime(ctx, w.showtimeID); err != nil {
		t.Fatalf("static token: %v", err)
	}

	wrong := w.client(t, func(o *api.Options) {
		o.TokenSource = api.NewPasswordGrant(w.url, "boxoffice", "till1", "wrong horse", nil)
	})
	_, err = wrong.GetShowtime(ctx, w.showtimeID)
	if e := api.AsError(err); e == nil || e.Kind != api.KindUnauthorized || strings.Contains(e.Error(), "horse") {
		t.Fatalf("wrong password: %v", err)
	}

	grant := api.NewPasswordGrant(w.url, "boxoffice", "till1", "correct horse", nil)
	signedIn := w.client(t, func(o *api.Options) { o.TokenSource = grant })
	if _, err := signedIn.GetShowtime(ctx, w.showtimeID); err != nil {
		t.Fatalf("signed in: %v", err)
	}
	before := w.hits.count("POST token")
	// The server's clock passes the token's expiry while ours has not: the
	// server refuses the cached token and the client must sign in again once.
	clock.advance(11 * time.Minute)
	orderID := w.newOrder(t, signedIn)
	if orderID == "" {
		t.Fatal("no order")
	}
	if got := w.hits.count("POST token") - before; got != 1 {
		t.Errorf("%d sign-ins after the token expired, want 1", got)
	}
	if got := w.hits.count("POST orders"); got != 2 {
		t.Errorf("%d create-order POSTs, want 2 (refused, then repeated)", got)
	}
}

// An unknown region's 400 is the mock's choice, outside Vista's documents,
// so the contract does not hold these answers.
func TestMockRegions(t *testing.T) {
	w := newWorld(t, worldOptions{mutate: func(d *mock.Data) { d.Regions = []string{"NZ"} }, outsideContract: true})
	ctx := context.Background()
	for _, tt := range []struct {
		region string
		kind   api.ErrorKind
	}{{"", 0}, {"NZ", 0}, {"nz", 0}, {"AU", api.KindRejected}} {
		c := w.client(t, func(o *api.Options) { o.RegionCode = tt.region })
		_, err := c.GetShowtime(ctx, w.showtimeID)
		if api.KindOf(err) != tt.kind {
			t.Errorf("region %q: %v, want kind %v", tt.region, err, tt.kind)
		}
	}
}

func TestMockOrderExpiry(t *testing.T) {
	clock := &mockClock{}
	w := newWorld(t, worldOptions{mock: mock.Options{Now: clock.now}})
	c := w.client(t)
	ctx := context.Background()
	orderID := w.newOrder(t, c)
	clock.advance(time.Duration(w.limits.OrderExpirySeconds+1) * time.Second)
	if _, err := c.GetOrder(ctx, orderID); api.KindOf(err) != api.KindNotFound {
		t.Errorf("expired order: %v", err)
	}
	if _, err := c.AttachVoucher(ctx, orderID, w.ticketVoucher(plainVoucher, ""), api.AttachPolicy{}); api.KindOf(err) != api.KindNotFound {
		t.Errorf("attach to expired order: %v", err)
	}
}

func TestMockSlowAndFailingServer(t *testing.T) {
	ctx := context.Background()
	t.Run("timeout", func(t *testing.T) {
		w := newWorld(t, worldOptions{mock: mock.Options{Faults: mock.Faults{Latency: 300 * time.Millisecond}}})
		c := w.client(t, func(o *api.Options) { o.Timeout = 50 * time.Millisecond; o.GetRetries = -1 })
		if _, err := c.GetShowtime(ctx, w.showtimeID); api.KindOf(err) != api.KindTimeout || api.IsOutcomeUnknown(err) {
			t.Errorf("get: %v", err)
		}
		_, err := c.CreateOrder(ctx, w.siteID, api.BookingPaid)
		if api.KindOf(err) != api.KindTimeout || !api.IsOutcomeUnknown(err) {
			t.Errorf("create: %v", err)
		}
	})
	t.Run("busy", func(t *testing.T) {
		w := newWorld(t, worldOptions{mock: mock.Options{Faults: mock.Faults{Error: 1}}})
		c := w.client(t)
		_, err := c.CreateOrder(ctx, w.siteID, api.BookingPaid)
		if e := api.AsError(err); e == nil || e.Kind != api.KindServer || !e.OutcomeUnknown || e.Status != 503 || e.Message == "" {
			t.Errorf("create: %#v", err)
		}
		if n := w.hits.count("POST orders"); n != 1 {
			t.Errorf("create order sent %d times", n)
		}
		if _, err := c.GetShowtime(ctx, w.showtimeID); api.KindOf(err) != api.KindServer {
			t.Errorf("get: %v", err)
		}
		if n := w.hits.count("GET showtimes"); n != 3 {
			t.Errorf("GET sent %d times, want 1 + 2 retries", n)
		}
		// The voucher add is never resent while its outcome is unknown and
		// the order cannot be read.
		_, err = c.AttachVoucher(ctx, w.srv.FirstOrderID(), w.ticketVoucher(plainVoucher, ""), api.AttachPolicy{
			MaxAttempts: 3, Backoff: func(int) time.Duration { return time.Millisecond }})
		if !api.IsOutcomeUnknown(err) || w.hits.count("POST vouchers") != 1 {
			t.Errorf("attach: %v after %d POSTs", err, w.hits.count("POST vouchers"))
		}
	})
}

// dropper loses the answer to chosen requests: "apply" lets the mock handle
// the request first, "refuse" answers 503 without passing it on.
type dropper struct {
	t    *testing.T
	next http.Handler
	mu   sync.Mutex
	plan map[string][]string // route -> actions for its next hits
}

func (d *dropper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	action := ""
	if acts := d.plan[route(r)]; len(acts) > 0 {
		action, d.plan[route(r)] = acts[0], acts[1:]
	}
	d.mu.Unlock()
	switch action {
	case "apply":
		d.next.ServeHTTP(&discardWriter{h: http.Header{}}, r)
		hangUp(d.t, w)
	case "refuse":
		w.WriteHeader(http.StatusServiceUnavailable)
	default:
		d.next.ServeHTTP(w, r)
	}
}

func TestMockAttachAndDetachOverLostAnswers(t *testing.T) {
	d := &dropper{t: t, plan: map[string][]string{}}
	w := newWorld(t, worldOptions{wrap: func(h http.Handler) http.Handler { d.next = h; return d }})
	c := w.client(t)
	ctx := context.Background()
	policy := api.AttachPolicy{Backoff: func(int) time.Duration { return time.Millisecond }}
	orderID := w.newOrder(t, c)

	// The add is applied but its answer lost: a voucher like it is on the
	// order, and nothing tells it from another writer's, so it is matched
	// by its mask for the operator to check; an add with a PIN is not
	// resent.
	d.plan["POST vouchers"] = []string{"apply"}
	res, err := c.AttachVoucher(ctx, orderID, w.ticketVoucher(pinVoucher, pinVoucherPIN), policy)
	if !errors.Is(err, api.ErrLookAlike) || !api.IsOutcomeUnknown(err) {
		t.Fatalf("lost answer: %v, want an unknown outcome matched by the mask", err)
	}
	if res.Outcome != api.AttachMatchedByMask || res.Recovered || res.Attempts != 1 || res.Voucher.ID == "" || len(res.LookAlikes) != 1 {
		t.Errorf("lost answer: %+v", res)
	}
	if n := w.hits.count("POST vouchers"); n != 1 {
		t.Errorf("%d voucher POSTs, want 1", n)
	}

	// The add is refused before it is applied: sent once more.
	d.plan["POST vouchers"] = []string{"refuse"}
	policy.KnownVoucherIDs = []string{res.Voucher.ID}
	res2, err := c.AttachVoucher(ctx, orderID, w.ticketVoucher(plainVoucher, ""), policy)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Outcome != api.AttachAdded || !res2.Recovered || res2.Attempts != 2 || res2.AvailableRedemptions != 1 {
		t.Errorf("refused before apply: %+v", res2)
	}

	o, err := c.GetOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Order.Vouchers) != 2 {
		t.Fatalf("order vouchers = %+v, want exactly the two attached", o.Order.Vouchers)
	}

	// Removal whose answer is lost, then one refused before it is applied.
	d.plan["DELETE vouchers"] = []string{"apply"}
	if err := c.DetachVoucher(ctx, orderID, res.Voucher.ID, policy); err != nil {
		t.Errorf("detach, answer lost: %v", err)
	}
	d.plan["DELETE vouchers"] = []string{"refuse"}
	if err := c.DetachVoucher(ctx, orderID, res2.Voucher.ID, policy); err != nil {
		t.Errorf("detach, refused first: %v", err)
	}
	o, err = c.GetOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Order.Vouchers) != 0 {
		t.Errorf("vouchers left: %+v", o.Order.Vouchers)
	}
	if n := w.hits.count("DELETE vouchers"); n != 3 {
		t.Errorf("%d voucher DELETEs, want 3", n)
	}
}

// flaky fails a seeded share of requests, half before the mock sees them
// (503) and half after it applied them (answer lost).
type flaky struct {
	t    *testing.T
	next http.Handler
	on   atomic.Bool
	mu   sync.Mutex
	rng  *rand.Rand
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u := 1.0
	if f.on.Load() {
		f.mu.Lock()
		u = f.rng.Float64()
		f.mu.Unlock()
	}
	switch {
	case u < 0.2:
		w.WriteHeader(http.StatusServiceUnavailable)
	case u < 0.4:
		f.next.ServeHTTP(&discardWriter{h: http.Header{}}, r)
		hangUp(f.t, w)
	default:
		f.next.ServeHTTP(w, r)
	}
}

// Over a network that loses two answers in five, what AttachVoucher reports
// matches what the order holds: every success is on it once, every definite
// failure is not on it.
func TestMockAttachOverFlakyNetwork(t *testing.T) {
	f := &flaky{t: t, rng: rand.New(rand.NewPCG(7, 11))}
	w := newWorld(t, worldOptions{wrap: func(h http.Handler) http.Handler { f.next = h; return f }})
	c := w.client(t)
	ctx := context.Background()
	orderID := w.newOrder(t, c)
	policy := api.AttachPolicy{MaxAttempts: 4, Backoff: func(int) time.Duration { return time.Millisecond }}

	f.on.Store(true)
	type outcome struct {
		res api.AttachResult
		err error
	}
	results := map[string]outcome{}
	recovered := 0
	for i := range soakVouchers {
		barcode := soakBarcode(i)
		res, err := c.AttachVoucher(ctx, orderID, w.ticketVoucher(barcode, ""), policy)
		results[barcode] = outcome{res, err}
		if res.Recovered {
			recovered++
		}
	}
	f.on.Store(false)

	o, err := c.GetOrder(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	onOrder := map[string]int{}
	for _, v := range o.Order.Vouchers {
		onOrder[v.MaskedBarcode]++
	}
	for barcode, r := range results {
		n := onOrder[api.MaskBarcode(barcode)]
		if n > 1 {
			t.Errorf("%s is on the order %d times", barcode, n)
		}
		switch {
		case r.err == nil:
			if n != 1 {
				t.Errorf("%s reported attached (%+v) but is not on the order", barcode, r.res)
			}
		case !api.IsOutcomeUnknown(r.err):
			if n != 0 {
				t.Errorf("%s reported refused (%v) but is on the order", barcode, r.err)
			}
		}
	}
	if recovered == 0 {
		t.Error("no attach needed recovering: the faults did not bite")
	}
	t.Logf("%d vouchers, %d on the order, %d recovered", soakVouchers, len(o.Order.Vouchers), recovered)
}
