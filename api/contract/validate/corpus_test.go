package validate_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/boxoffice/boxoffice/api/contract/validate"
	"github.com/boxoffice/boxoffice/api/mock"
)

// exchange is one request and its answer, as the corpus of the
// differential tests holds them.
type exchange struct {
	name          string
	method        string
	target        string // path and query
	header        http.Header
	body          []byte
	status        int
	answerHeader  http.Header
	answer        []byte
	checkRequest  bool
	checkResponse bool
}

func (x *exchange) request() *http.Request {
	r := httptest.NewRequest(x.method, x.target, nil)
	for k, v := range x.header {
		r.Header[k] = slices.Clone(v)
	}
	return r
}

// mockTime is the mock's clock in the corpus, so that its answers are the
// same at every run.
var mockTime = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// recorder drives a mock in-process and keeps every exchange.
type recorder struct {
	t       testing.TB
	srv     http.Handler
	profile string
	out     []exchange
}

func (rec *recorder) do(method, target, contentType, body string) *exchange {
	rec.t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	rec.srv.ServeHTTP(w, r)
	x := exchange{name: rec.profile + " " + method + " " + target, method: method, target: target,
		header: r.Header.Clone(), body: []byte(body), status: w.Code, answerHeader: w.Header().Clone(),
		answer: w.Body.Bytes(), checkRequest: true, checkResponse: true}
	rec.out = append(rec.out, x)
	return &rec.out[len(rec.out)-1]
}

// field reads a string at a path of dotted keys from a JSON answer.
func (x *exchange) field(t testing.TB, path string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(x.answer, &v); err != nil {
		t.Fatalf("%s: %v: %s", x.name, err, x.answer)
	}
	for key := range strings.SplitSeq(path, ".") {
		m, _ := v.(map[string]any)
		v = m[key]
	}
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	t.Fatalf("%s: no %s in %s", x.name, path, x.answer)
	return ""
}

// mockExchanges are the mock's own answers to a session that makes every
// call of the served document but the event stream, under each profile,
// some of them refused.
func mockExchanges(t testing.TB) []exchange {
	var out []exchange
	for _, profile := range mock.ProfileNames() {
		ids := 0
		opts := mock.Options{Profile: profile, Now: func() time.Time { return mockTime },
			IDSource: func() string { ids++; return fmt.Sprintf("%032x", ids) }}
		rec := &recorder{t: t, profile: profile, srv: mock.New(mock.DefaultData(), opts)}
		ocapiSession(rec)
		adminSession(rec)
		out = append(out, rec.out...)
	}
	return out
}

func ocapiSession(rec *recorder) {
	const js = "application/json"
	rec.do("POST", "/connect/token", "application/x-www-form-urlencoded", "grant_type=password&client_id=counter&username=u&password=p")
	rec.do("POST", "/connect/token", "application/x-www-form-urlencoded", "grant_type=client_credentials")
	order := rec.do("POST", "/ocapi/v1/orders/standard/booking", js, `{"siteId":"0001","bookingMode":"Paid"}`).field(rec.t, "order.id")
	other := rec.do("POST", "/ocapi/v1/orders/standard/booking", js, `{"siteId":"0001","bookingMode":"Unpaid"}`).field(rec.t, "order.id")
	day := rec.do("GET", "/ocapi/v1/showtimes/0001-2681", "", "").field(rec.t, "showtime.schedule.businessDate")
	rec.do("GET", "/ocapi/v1/showtimes/by-business-date/"+day[:len(time.DateOnly)]+"?siteIds=0001&siteIds=0002", "", "")
	rec.do("GET", "/ocapi/v1/showtimes/by-business-date/first", "", "")
	rec.do("GET", "/ocapi/v1/showtimes/0001-2681/ticket-prices", "", "")
	rec.do("GET", "/ocapi/v1/showtimes/0001-2681/seat-layout", "", "")
	rec.do("GET", "/ocapi/v1/showtimes/0001-2681/seat-availability?preview=true", "", "")
	rec.do("GET", "/ocapi/v1/showtimes/nope/seat-availability", "", "")
	rec.do("PUT", "/ocapi/v1/orders/"+order+"/showtimes/0001-2681", js, `{"tickets":[{"ticketTypeId":"0001-0050"},{"ticketTypeId":"0001-0050"}]}`)
	rec.do("PUT", "/ocapi/v1/orders/"+other+"/showtimes/0001-2681", js, `{"tickets":[{"ticketTypeId":"0001-0050"}]}`)
	rec.do("GET", "/ocapi/v1/orders/"+order+"/showtimes/0001-2681/seat-availability", "", "")
	add := rec.do("POST", "/ocapi/v1/orders/"+order+"/vouchers", js, `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`)
	rec.do("POST", "/ocapi/v1/orders/"+order+"/vouchers", js, `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000999","pin":"0000"}}`)
	rec.do("POST", "/ocapi/v1/orders/"+order+"/vouchers", js, `{"type":"Deal","credentials":{"barcode":"9300000000017"}}`)
	rec.do("GET", "/ocapi/v1/orders/"+order, "", "")
	if add.status == http.StatusOK {
		rec.do("DELETE", "/ocapi/v1/orders/"+order+"/vouchers/"+add.field(rec.t, "voucher.id"), "", "")
	}
	rec.do("DELETE", "/ocapi/v1/orders/"+order+"/vouchers/nope", "", "")
	rec.do("POST", "/ocapi/v1/orders/"+other+"/completion", "", "")
	rec.do("GET", "/ocapi/v1/orders/"+other+"/completion", "", "")
	rec.do("GET", "/ocapi/v1/orders/completed/"+other, "", "")
	rec.do("POST", "/ocapi/v1/orders/"+order+"/completion", "", "")
	rec.do("DELETE", "/ocapi/v1/orders/"+order, "", "")
	rec.do("GET", "/ocapi/v1/orders/nope", "", "")
}

func adminSession(rec *recorder) {
	const js = "application/json"
	rec.do("GET", "/_admin/state?vouchers=all&orders=5&orderVouchers=2", "", "")
	rec.do("GET", "/_admin/state?vouchers=none", "", "")
	rec.do("GET", "/_admin/journal?limit=3&path=/vouchers", "", "")
	rec.do("GET", "/_admin/journal?status=4xx", "", "")
	rec.do("GET", "/_admin/journal/count?operation=OcapiOrders_GetOrder", "", "")
	rec.do("GET", "/_admin/journal?limit=nope", "", "")
	rec.do("PUT", "/_admin/faults/global", js, `{"error":0,"latency":"0s","seed":7}`)
	rec.do("PUT", "/_admin/faults/routes/OcapiOrders_GetOrder", js, `{"latency":"1ms","drop":0}`)
	rec.do("PUT", "/_admin/faults/routes/Nothing", js, `{"latency":"1ms"}`)
	cue := rec.do("POST", "/_admin/faults/queue", js, `{"route":"OcapiOrders_GetOrder","fault":"status","status":404,"count":2,"body":{"errorCode":"x"}}`)
	rec.do("POST", "/_admin/faults/queue", js, `{"route":"OcapiOrders_GetOrder","fault":"503"}`)
	rec.do("GET", "/_admin/faults", "", "")
	if cue.status == http.StatusCreated {
		rec.do("DELETE", "/_admin/faults/queue/"+cue.field(rec.t, "id"), "", "")
	}
	rec.do("DELETE", "/_admin/faults/queue/99", "", "")
	rec.do("DELETE", "/_admin/faults/queue", "", "")
	rec.do("DELETE", "/_admin/faults/routes/OcapiOrders_GetOrder", "", "")
	rec.do("DELETE", "/_admin/faults", "", "")
	rec.do("GET", "/_admin/clock", "", "")
	rec.do("POST", "/_admin/clock", js, `{"advance":"20m"}`)
	rec.do("POST", "/_admin/clock", js, `{"advance":"soon"}`)
	rec.do("GET", "/_admin/profiles", "", "")
	rec.do("DELETE", "/_admin/journal", "", "")
	rec.do("POST", "/_admin/reset", "", "")
	rec.do("POST", "/_admin/reset", js, `{"profile":"sparse"}`)
}

// sampleOperations are the operations the client's samples in api/testdata
// are answers of, and their statuses.
var sampleOperations = map[string]struct {
	method, target string
	status         int
}{
	"add_voucher.json":                {"POST", "/ocapi/v1/orders/o1/vouchers", 200},
	"add_voucher_no_redemptions.json": {"POST", "/ocapi/v1/orders/o1/vouchers", 200},
	"completion.json":                 {"POST", "/ocapi/v1/orders/o1/completion", 200},
	"error_mock.json":                 {"POST", "/ocapi/v1/orders/o1/vouchers", 400},
	"error_nested.json":               {"GET", "/ocapi/v1/orders/o1", 404},
	"error_oauth.json":                {"POST", "/connect/token", 400},
	"error_problem_details.json":      {"POST", "/ocapi/v1/orders/o1/vouchers", 400},
	"order_in_progress.json":          {"GET", "/ocapi/v1/orders/o1", 200},
	"order_no_vouchers.json":          {"GET", "/ocapi/v1/orders/o1", 200},
	"order_null_lists.json":           {"GET", "/ocapi/v1/orders/o1", 200},
	"order_with_seats.json":           {"PUT", "/ocapi/v1/orders/o1/showtimes/s1", 200},
	"rate_limited.json":               {"POST", "/ocapi/v1/orders/o1/vouchers", 429},
	"seat_availability.json":          {"GET", "/ocapi/v1/showtimes/s1/seat-availability", 200},
	"seat_layout.json":                {"GET", "/ocapi/v1/showtimes/s1/seat-layout", 200},
	"showtime.json":                   {"GET", "/ocapi/v1/showtimes/s1", 200},
	"showtime_allocated.json":         {"GET", "/ocapi/v1/showtimes/s1", 200},
	"showtimes_by_date.json":          {"GET", "/ocapi/v1/showtimes/by-business-date/2026-11-28", 200},
	"ticket_prices.json":              {"GET", "/ocapi/v1/showtimes/s1/ticket-prices", 200},
	"token.json":                      {"POST", "/connect/token", 200},
}

// sampleExchanges are the client's samples (api/testdata), each as the
// answer of its operation.
func sampleExchanges(t testing.TB) []exchange {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	var out []exchange
	for _, file := range files {
		op, ok := sampleOperations[filepath.Base(file)]
		if !ok {
			t.Fatalf("%s: add it to sampleOperations", file)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, exchange{name: "sample " + filepath.Base(file), method: op.method, target: op.target,
			status: op.status, answerHeader: jsonHeader(), answer: b, checkResponse: true})
	}
	return out
}

// exampleExchanges are the document's examples of request and response
// bodies, each in a request to its operation.
func exampleExchanges(t testing.TB, doc *openapi3.T) []exchange {
	var out []exchange
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			target := fillTemplate(path, slices.Concat(item.Parameters, op.Parameters))
			if op.RequestBody != nil {
				for ct, mt := range op.RequestBody.Value.Content {
					for name, ex := range mt.Examples {
						out = append(out, exchange{name: "example " + op.OperationID + " " + name, method: method, target: target,
							header: http.Header{"Content-Type": {ct}}, body: encodeExample(t, ct, ex.Value.Value), checkRequest: true})
					}
				}
			}
			for code, resp := range op.Responses.Map() {
				status, _ := strconv.Atoi(code)
				for ct, mt := range resp.Value.Content {
					for name, ex := range mt.Examples {
						out = append(out, exchange{name: "example " + op.OperationID + " " + code + " " + name, method: method, target: target,
							status: status, answerHeader: http.Header{"Content-Type": {ct}}, answer: encodeExample(t, ct, ex.Value.Value), checkResponse: true})
					}
				}
			}
		}
	}
	return out
}

// fillTemplate puts a value of its type in each path parameter.
func fillTemplate(path string, params openapi3.Parameters) string {
	for _, p := range params {
		if p.Value.In != "path" {
			continue
		}
		value := "p1"
		if p.Value.Schema.Value.Type.Is("integer") {
			value = "1"
		}
		path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", value)
	}
	return path
}

func encodeExample(t testing.TB, contentType string, v any) []byte {
	if contentType == "application/x-www-form-urlencoded" {
		m, _ := v.(map[string]any)
		form := url.Values{}
		for k, v := range m {
			s, _ := v.(string)
			form.Set(k, s)
		}
		return []byte(form.Encode())
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// compare runs both validators over the sides of an exchange it checks,
// reports where they disagree, and counts the validator's findings.
func compare(t testing.TB, ours *validate.Validator, kin *oracle, x *exchange) int {
	t.Helper()
	found := 0
	if x.checkRequest {
		got, want := ourFindings(ours.Request(x.request(), x.body)), kin.request(x.request(), x.body)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the request's findings differ:\n ours %q\n kin  %q\nbody: %.300s", x.name, got, want, x.body)
		}
		found += len(got)
	}
	if x.checkResponse {
		got := ourFindings(ours.Response(x.request(), x.status, x.answerHeader, x.answer))
		want := kin.response(x.request(), x.status, x.answerHeader, x.answer)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the answer's (%d) findings differ:\n ours %q\n kin  %q\nbody: %.300s", x.name, x.status, got, want, x.answer)
		}
		found += len(got)
	}
	return found
}
