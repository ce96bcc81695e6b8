package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

const firstOrder = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// newClock is the server's time in tests: it only moves when a test says so.
func newClock() *testkit.Clock {
	return testkit.NewClock(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
}

type env struct {
	t      testing.TB
	srv    *mock.Server
	url    string
	clock  *testkit.Clock
	client *http.Client
	// checked fails the test on an answer that breaks the document.
	checked bool
}

// newEnv serves d (the default seed when nil) on a test server whose clock
// is the returned env's. The server runs with --validate on, and an answer
// that breaks the served document fails the test.
func newEnv(t testing.TB, d *mock.Data, opts mock.Options) *env {
	t.Helper()
	return startEnv(t, d, opts, true)
}

// newUncheckedEnv is newEnv for answers Vista documents nothing about, which
// the contract therefore cannot hold (an unknown region's 400): it still
// validates, but does not fail on what it finds.
func newUncheckedEnv(t testing.TB, d *mock.Data, opts mock.Options) *env {
	t.Helper()
	opts.Validate = true
	return startEnv(t, d, opts, false)
}

// newBenchEnv is a server exactly as opts say, for benchmarks: validation
// is on only if they ask for it.
func newBenchEnv(b *testing.B, d *mock.Data, opts mock.Options) *env {
	b.Helper()
	return startEnv(b, d, opts, false)
}

func startEnv(t testing.TB, d *mock.Data, opts mock.Options, checked bool) *env {
	t.Helper()
	if d == nil {
		d = mock.DefaultData()
	}
	c := newClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if checked {
		opts.Validate = true
	}
	srv := mock.New(d, opts)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	// A fresh connection per request: Go's transport silently resends an
	// idempotent request whose reused connection dies, which would hide a
	// dropped answer and skew the fault sequence.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	return &env{t: t, srv: srv, url: hs.URL, clock: c, client: client, checked: checked}
}

// responseViolations matches the count of the answer's own violations in
// mock.ViolationHeader.
var responseViolations = regexp.MustCompile(`, (\d+) response\)`)

// checkAnswer fails the test when the mock's answer breaks the document it
// serves. Request violations are the test's own business: tests send bad
// requests on purpose.
func (e *env) checkAnswer(method, path string, h http.Header) {
	e.t.Helper()
	v := h.Get(mock.ViolationHeader)
	if m := responseViolations.FindStringSubmatch(v); e.checked && m != nil && m[1] != "0" {
		e.t.Errorf("%s %s: the answer breaks the served document: %s", method, path, v)
	}
}

type result struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; body is sent as is when it is a string, as JSON
// otherwise. headers come in name, value pairs.
func (e *env) do(method, path string, body any, headers ...string) *result {
	e.t.Helper()
	r, err := e.try(method, path, body, headers...)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (e *env) try(method, path string, body any, headers ...string) (*result, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	e.checkAnswer(method, path, resp.Header)
	return &result{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func (r *result) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

type errBody struct {
	ErrorCode       string `json:"errorCode"`
	Message         string `json:"message"`
	BlockedUntilUTC string `json:"blockedUntilUtc"`
}

// expect checks the status and, for errors, the errorCode and that the
// message is readable and free of full barcodes.
func (r *result) expect(t testing.TB, status int, code string) errBody {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var eb errBody
	if status >= 400 {
		r.decode(t, &eb)
		if eb.ErrorCode != code {
			t.Fatalf("errorCode = %q, want %q; body %s", eb.ErrorCode, code, r.body)
		}
		if len(eb.Message) < 10 {
			t.Errorf("message %q is not something a person can read", eb.Message)
		}
		if m := seedBarcode.FindString(eb.Message); m != "" {
			t.Errorf("message shows the barcode %s: %q", m, eb.Message)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
	}
	return eb
}

// seedBarcode matches every barcode shape the seed and tests use.
var seedBarcode = regexp.MustCompile(`ADTMM\d{7}|CHDMM\d{7}|SUBS\d{8}|93\d{11}|BENCH\d+`)

// Wire shapes as a client would read them; written here rather than taken
// from the mock so the tests check the JSON, not the mock's own structs.
type money struct {
	ValueIncludingTax float64 `json:"valueIncludingTax"`
	ValueExcludingTax float64 `json:"valueExcludingTax"`
	Tax               float64 `json:"tax"`
}

type orderVoucher struct {
	ID                     string `json:"id"`
	Type                   string `json:"type"`
	MaskedBarcode          string `json:"maskedBarcode"`
	VoucherTypeCode        string `json:"voucherTypeCode"`
	VoucherTypeDescription text   `json:"voucherTypeDescription"`
	AvailableRedemptions   *int   `json:"availableRedemptions"`
}

// text is Vista's Translatable, as far as these tests read it.
type text struct {
	Text string `json:"text"`
}

type ticket struct {
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	TicketTypeID string  `json:"ticketTypeId"`
	Price        money   `json:"price"`
	AmountSaved  *money  `json:"amountSaved"`
	VoucherID    *string `json:"voucherId"`
}

type order struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Status     string `json:"status"`
	SiteID     string `json:"siteId"`
	ExpiresAt  string `json:"expiresAt"`
	TotalPrice money  `json:"totalPrice"`
	Booking    struct {
		Mode            string `json:"mode"`
		TotalBookingFee money  `json:"totalBookingFee"`
	} `json:"booking"`
	Showtimes []struct {
		ShowtimeID string   `json:"showtimeId"`
		Tickets    []ticket `json:"tickets"`
		Seats      []any    `json:"seats"`
	} `json:"showtimes"`
	Vouchers []orderVoucher `json:"vouchers"`
}

type orderResp struct {
	Order       order           `json:"order"`
	RelatedData json.RawMessage `json:"relatedData"`
}

// completion is Vista's OrderCompletion: transactionNumber an integer or null.
type completion struct {
	OrderID           string `json:"orderId"`
	OrderType         string `json:"orderType"`
	Status            string `json:"status"`
	TransactionNumber *int   `json:"transactionNumber"`
}

func (c completion) String() string {
	return fmt.Sprintf("{%s %s %s %d}", c.OrderID, c.OrderType, c.Status, intOr(c.TransactionNumber, -1))
}

type addResp struct {
	Voucher              orderVoucher `json:"voucher"`
	AvailableRedemptions *int         `json:"availableRedemptions"`
}

func (e *env) order(id string) order {
	e.t.Helper()
	var o orderResp
	e.do("GET", "/ocapi/v1/orders/"+id, nil).decodeOK(e.t, &o)
	return o.Order
}

// completedOrder reads a completed order where Vista keeps them.
func (e *env) completedOrder(id string) order {
	e.t.Helper()
	var o orderResp
	e.do("GET", "/ocapi/v1/orders/completed/"+id, nil).decodeOK(e.t, &o)
	return o.Order
}

func (r *result) decodeOK(t testing.TB, v any) {
	t.Helper()
	r.expect(t, 200, "")
	r.decode(t, v)
}

func (e *env) createOrder(site string) string {
	e.t.Helper()
	var o orderResp
	e.do("POST", "/ocapi/v1/orders/standard/booking", map[string]string{"siteId": site, "bookingMode": "Paid"}).decodeOK(e.t, &o)
	return o.Order.ID
}

func voucherBody(typ, showtime, barcode string, pin any) map[string]any {
	b := map[string]any{"type": typ, "credentials": map[string]any{"barcode": barcode, "pin": pin}}
	if showtime != "" {
		b["showtimeId"] = showtime
	}
	return b
}

// addVoucher adds a voucher that must be accepted and returns its order voucher id.
func (e *env) addVoucher(orderID, typ, showtime, barcode string, pin any) string {
	e.t.Helper()
	var a addResp
	e.do("POST", "/ocapi/v1/orders/"+orderID+"/vouchers", voucherBody(typ, showtime, barcode, pin)).decodeOK(e.t, &a)
	return a.Voucher.ID
}

type tk struct {
	ID           string `json:"id,omitempty"`
	TicketTypeID string `json:"ticketTypeId"`
	VoucherID    string `json:"voucherId,omitempty"`
}

func (e *env) setTickets(orderID, showtime string, tickets ...tk) *result {
	e.t.Helper()
	if tickets == nil {
		tickets = []tk{}
	}
	return e.do("PUT", "/ocapi/v1/orders/"+orderID+"/showtimes/"+showtime, map[string]any{"tickets": tickets, "seats": nil})
}

func ptr[T any](v T) *T { return &v }

func intOr(p *int, fallback int) int {
	if p == nil {
		return fallback
	}
	return *p
}

func sprint(v any) string { return fmt.Sprintf("%+v", v) }
