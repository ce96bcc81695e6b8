package validate_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/contract"
	"github.com/boxoffice/boxoffice/api/contract/validate"
	"github.com/boxoffice/boxoffice/api/mock"
)

func contractValidator(t testing.TB) *validate.Validator {
	t.Helper()
	v, err := validate.Contract()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const addPath = "/ocapi/v1/orders/3f9c2a7be1d84c6f9a0b5e2d7c1f4a86/vouchers"

func addRequest(body string) *http.Request {
	r := httptest.NewRequest("POST", addPath, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

const goodAdd = `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`
const goodAnswer = `{"voucher":{"id":"b004dc1a727b406e9c1dd949258b3190","type":"Ticket","maskedBarcode":"AD......0111","voucherTypeCode":"ADTMM","voucherTypeDescription":{"text":"Adult Movie Money","translations":[]}},"availableRedemptions":2}`

func jsonHeader() http.Header {
	return http.Header{"Content-Type": {"application/json; charset=utf-8"}}
}

func TestAGoodExchangeHasNoViolations(t *testing.T) {
	v := contractValidator(t)
	got := v.Check(validate.Exchange{Request: addRequest(goodAdd), RequestBody: []byte(goodAdd),
		Status: 200, Header: jsonHeader(), ResponseBody: []byte(goodAnswer)})
	if len(got) != 0 {
		t.Fatalf("violations of a documented exchange: %v", got)
	}
}

func TestViolationsNameOperationRuleAndField(t *testing.T) {
	v := contractValidator(t)
	for _, tc := range []struct {
		name                         string
		method, path, reqBody        string
		status                       int
		respBody                     string
		side, rule, field, operation string
	}{
		{name: "request without credentials", method: "POST", path: addPath, reqBody: `{"type":"Ticket","showtimeId":"0001-2681"}`,
			status: 400, side: "request", rule: "required", field: "body", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "request with a lower-case type", method: "POST", path: addPath,
			reqBody: `{"type":"ticket","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`,
			status:  400, side: "request", rule: "discriminator", field: "body", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "request with a numeric barcode", method: "POST", path: addPath,
			reqBody: `{"type":"Deal","credentials":{"barcode":12340000111,"pin":"1234"}}`,
			status:  400, side: "request", rule: "type", field: "body /credentials/barcode", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "answer with a null text", method: "POST", path: addPath, reqBody: goodAdd, status: 200,
			respBody: `{"voucher":{"id":"","type":"Ticket","maskedBarcode":"AD......0111","voucherTypeDescription":{"text":null,"translations":[]}},"availableRedemptions":2}`,
			side:     "response", rule: "nullable", field: "body /voucher/voucherTypeDescription/text", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "answer missing maskedBarcode", method: "POST", path: addPath, reqBody: goodAdd, status: 200,
			respBody: `{"voucher":{"id":"1","type":"Ticket","voucherTypeCode":"ADTMM","voucherTypeDescription":{}},"availableRedemptions":2}`,
			side:     "response", rule: "required", field: "body /voucher", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "answer with availableRedemptions a string", method: "POST", path: addPath, reqBody: goodAdd, status: 200,
			respBody: `{"voucher":{"id":"1","type":"Ticket","maskedBarcode":"AD......0111","voucherTypeCode":"ADTMM","voucherTypeDescription":{}},"availableRedemptions":"2"}`,
			side:     "response", rule: "type", field: "body /availableRedemptions", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "an undocumented status", method: "POST", path: addPath, reqBody: goodAdd, status: 418, respBody: `{}`,
			side: "response", rule: "status", operation: "OcapiOrderVouchers_AddVoucher"},
		{name: "no such path", method: "GET", path: "/ocapi/v1/nothing", status: 404, side: "request", rule: "operation"},
		{name: "no such method", method: "PATCH", path: addPath, status: 405, side: "request", rule: "operation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.reqBody))
			if tc.reqBody != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			got := v.Check(validate.Exchange{Request: r, RequestBody: []byte(tc.reqBody), Status: tc.status, Header: jsonHeader(), ResponseBody: []byte(tc.respBody)})
			found := false
			for _, g := range got {
				if g.Side == tc.side && (tc.rule == "" || g.Rule == tc.rule) && strings.HasPrefix(g.Field, tc.field) && g.Operation == tc.operation {
					found = true
				}
				for _, secret := range []string{"ADTMM0000111", "1234"} {
					if strings.Contains(g.String(), secret) {
						t.Errorf("a violation quotes %q: %s", secret, g)
					}
				}
				if g.Message == "" {
					t.Errorf("a violation without words: %+v", g)
				}
			}
			if !found {
				t.Errorf("want a %s violation of %s at %q by %q; got %+v", tc.side, tc.rule, tc.field, tc.operation, got)
			}
		})
	}
}

func TestRoutesPreferLiteralSegments(t *testing.T) {
	rt := contractValidator(t).Routes()
	for path, want := range map[string]string{
		"/ocapi/v1/orders/completed/abc":              "OcapiCompletedOrders_GetCompletedOrderByOrderid",
		"/ocapi/v1/orders/abc/completion":             "OcapiOrderCompletion_GetOrderCompletion",
		"/ocapi/v1/showtimes/by-business-date/first":  "OcapiShowtimes_GetShowtimesForBusinessDate",
		"/ocapi/v1/showtimes/0001-2681/ticket-prices": "OcapiTicketPrices_GetTicketPricesForShowtime",
	} {
		op, _ := rt.Find("GET", path)
		if op == nil || op.ID != want {
			t.Errorf("GET %s routes to %v, want %s", path, op, want)
		}
	}
	if op, ok := rt.Lookup("POST /ocapi/v1/orders/{orderId}/vouchers"); !ok || op.ID != "OcapiOrderVouchers_AddVoucher" {
		t.Errorf("Lookup by key: %v %v", op, ok)
	}
	if op, ok := rt.Lookup("OcapiOrderVouchers_RemoveVoucher"); !ok || op.Method != "DELETE" {
		t.Errorf("Lookup by operationId: %v %v", op, ok)
	}
	if got := rt.Allowed(addPath); len(got) != 1 || got[0] != "POST" {
		t.Errorf("Allowed = %v", got)
	}
}

func TestHeaderIsOneLine(t *testing.T) {
	vs := []validate.Violation{{Side: "response", Rule: "type", Field: "body /a", Message: "bad\nline"}, {Side: "request", Rule: "x", Message: "y"}}
	h := validate.Header(vs)
	if !strings.HasPrefix(h, "2 (1 request, 1 response): response") || strings.ContainsAny(h, "\r\n") {
		t.Errorf("Header = %q", h)
	}
	if validate.Header(nil) != "" {
		t.Errorf("Header(nil) is not empty")
	}
}

// The validator reads a JSON body as JSON: more after its value makes it
// not JSON (kin-openapi would read the first value and ignore the rest).
func TestMoreAfterTheJSONValueIsNotJSON(t *testing.T) {
	v := contractValidator(t)
	for _, body := range []string{goodAdd + " x", goodAdd + goodAdd, goodAdd + "}"} {
		got := v.Request(addRequest(body), []byte(body))
		if len(got) != 1 || got[0].Rule != validate.RuleBody || got[0].Field != "body" {
			t.Errorf("%.20s…: %v", body, got)
		}
	}
	if got := v.Request(addRequest(goodAdd+" \r\n\t"), []byte(goodAdd+" \r\n\t")); len(got) != 0 {
		t.Errorf("white space after the value: %v", got)
	}
}

// A text/event-stream answer is text, which its schema (a string) allows;
// kin-openapi has no decoder for it and calls every such answer broken.
func TestAnEventStreamIsText(t *testing.T) {
	v, _ := served(t)
	r := httptest.NewRequest("GET", "/_admin/events", nil)
	if got := v.Response(r, 200, http.Header{"Content-Type": {"text/event-stream"}}, []byte("event: change\ndata: 7\n\n")); len(got) != 0 {
		t.Errorf("violations of an event stream: %v", got)
	}
}

// No violation quotes what the exchange holds: every node of an add and
// of its answer is set in turn to values that break the contract and carry
// a secret, and no violation's text shows it.
func TestViolationsNeverQuoteValues(t *testing.T) {
	v := contractValidator(t)
	secrets := []any{"SECRET-PIN-4242", json.Number("42424242"), []any{"SECRET-PIN-4242"}, map[string]any{"SECRET-KEY": "SECRET-PIN-4242"}}
	checked := 0
	for _, side := range []string{validate.SideRequest, validate.SideResponse} {
		body := goodAdd
		if side == validate.SideResponse {
			body = goodAnswer
		}
		doc := decodeNumbers(t, []byte(body))
		for _, path := range nodePaths(doc, nil, false) {
			for _, secret := range secrets {
				mutated := encode(t, replaceAt(doc, path, secret, false))
				vs := v.Request(addRequest(string(mutated)), mutated)
				if side == validate.SideResponse {
					vs = v.Response(addRequest(goodAdd), 200, jsonHeader(), mutated)
				}
				for _, violation := range vs {
					checked++
					if s := violation.String(); strings.Contains(s, "SECRET-PIN") || strings.Contains(s, "4242") {
						t.Errorf("%s at /%s: a violation quotes the value: %s", side, strings.Join(path, "/"), s)
					}
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d violations were looked at", checked)
	}
}

// BenchmarkCheck is the cost of checking one voucher add and its answer,
// as the mock's --validate and a proxy pay it on every exchange (add), and
// of the mock's answer listing a day's showtimes, 5 kB (showtimes); each
// beside kin-openapi's request and response validation of the same
// exchange, which the validator replaced.
func BenchmarkCheck(b *testing.B) {
	v := contractValidator(b)
	kin := newOracle(b, contract.Document)
	const day = "/ocapi/v1/showtimes/by-business-date/2026-11-28?siteIds=0001&siteIds=0002"
	rec := &recorder{t: b, srv: mock.New(mock.DefaultData(), mock.Options{Now: func() time.Time { return mockTime }})}
	showtimes := rec.do("GET", day, "", "").answer
	for _, x := range []struct {
		name         string
		method, path string
		reqBody      string
		answer       []byte
	}{
		{"add", "POST", addPath, goodAdd, []byte(goodAnswer)},
		{"showtimes", "GET", day, "", showtimes},
	} {
		req := httptest.NewRequest(x.method, x.path, nil)
		if x.reqBody != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		b.Run(x.name+"/validate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if vs := v.Check(validate.Exchange{Request: req, RequestBody: []byte(x.reqBody), Status: 200, Header: jsonHeader(), ResponseBody: x.answer}); len(vs) != 0 {
					b.Fatal(vs)
				}
			}
		})
		b.Run(x.name+"/kin-openapi", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if fs := append(kin.request(req, []byte(x.reqBody)), kin.response(req, 200, jsonHeader(), x.answer)...); len(fs) != 0 {
					b.Fatal(fs)
				}
			}
		})
	}
}
