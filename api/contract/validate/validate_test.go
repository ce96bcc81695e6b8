package validate_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/contract/validate"
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
			status:  400, side: "request", rule: "", field: "body", operation: "OcapiOrderVouchers_AddVoucher"},
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

// BenchmarkCheck is the cost of checking one voucher add and its answer,
// as the mock's --validate and a proxy pay it on every exchange.
func BenchmarkCheck(b *testing.B) {
	v := contractValidator(b)
	req := addRequest(goodAdd)
	b.ReportAllocs()
	for b.Loop() {
		if vs := v.Check(validate.Exchange{Request: req, RequestBody: []byte(goodAdd), Status: 200, Header: jsonHeader(), ResponseBody: []byte(goodAnswer)}); len(vs) != 0 {
			b.Fatal(vs)
		}
	}
}
