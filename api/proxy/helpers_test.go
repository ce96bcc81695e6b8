package proxy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// step is one exchange fed to an analyzer: the request, and the answer
// (status 0: none came).
type step struct {
	method, path string
	reqHeader    map[string]string
	req          string
	status       int
	header       map[string]string
	resp         string
}

// analyse feeds steps to a fresh analyzer, as a proxy would, and returns
// the report.
func analyse(t *testing.T, steps ...step) *Report {
	t.Helper()
	a := testAnalyzer(t)
	for i, s := range steps {
		a.analyse(s.exchange(uint64(i + 1)))
	}
	return a.build().clone()
}

func testAnalyzer(t *testing.T) *analyzer {
	t.Helper()
	u, _ := url.Parse("https://tenant.example")
	a, err := newAnalyzer(Options{Upstream: u})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (s step) exchange(seq uint64) *exchange {
	u, err := url.Parse(s.path)
	if err != nil {
		panic(err)
	}
	x := &exchange{seq: seq, start: time.Now(), method: s.method, url: *u, header: http.Header{}, reqBody: []byte(s.req)}
	if s.req != "" {
		ct := "application/json"
		if strings.Contains(s.path, "/connect/token") {
			ct = "application/x-www-form-urlencoded"
		}
		x.header.Set("Content-Type", ct)
	}
	for k, v := range s.reqHeader {
		x.header.Set(k, v)
	}
	if s.status != 0 {
		x.answered, x.complete, x.status = true, true, s.status
		x.respHeader = http.Header{}
		if s.resp != "" {
			x.respHeader.Set("Content-Type", "application/json; charset=utf-8")
		}
		for k, v := range s.header {
			x.respHeader.Set(k, v)
		}
		x.respBody = []byte(s.resp)
	}
	return x
}

// verdict finds a fact's verdict in a report.
func verdict(t *testing.T, r *Report, id string) FactVerdict {
	t.Helper()
	for _, f := range r.Facts {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("the report has no fact %s", id)
	return FactVerdict{}
}

const (
	orderID    = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"
	showtimeID = "0001-2681"
)

var (
	orderPath   = "/ocapi/v1/orders/" + orderID
	vouchersURL = orderPath + "/vouchers"
	tickets     = orderPath + "/showtimes/" + showtimeID
	completion  = orderPath + "/completion"
)

func money(v float64) string {
	return fmt.Sprintf(`{"valueIncludingTax":%g,"valueExcludingTax":%g,"tax":0}`, v, v)
}

// orderJSON is an order answer in the contract's shape. vouchers is the
// JSON of order.vouchers ("" leaves it out); showtimes that of
// order.showtimes.
func orderJSON(vouchers, showtimes string) string {
	return orderJSONExpiring(time.Now().Add(20*time.Minute), vouchers, showtimes)
}

func orderJSONExpiring(expires time.Time, vouchers, showtimes string) string {
	if showtimes == "" {
		showtimes = "[]"
	}
	v := ""
	if vouchers != "" {
		v = `,"vouchers":` + vouchers
	}
	return fmt.Sprintf(`{"order":{"id":%q,"type":"Standard","status":"InProgress","siteId":"0001","expiresAt":%q,`+
		`"totalPrice":%s,"booking":{"mode":"Paid","totalBookingFee":%s},"showtimes":%s%s},"relatedData":{}}`,
		orderID, expires.UTC().Format("2006-01-02T15:04:05.0000000+00:00"), money(0), money(0), showtimes, v)
}

func voucherJSON(id, masked string) string {
	return fmt.Sprintf(`{"voucher":{"id":%q,"type":"Ticket","maskedBarcode":%q,"voucherTypeCode":"ADTMM","voucherTypeDescription":{"text":"Adult"}},"availableRedemptions":2}`, id, masked)
}

func addBody(barcode string) string {
	return fmt.Sprintf(`{"type":"Ticket","showtimeId":%q,"credentials":{"barcode":%q,"pin":"1234"}}`, showtimeID, barcode)
}

// Steps the cases share.
var (
	createOrder = step{method: "POST", path: "/ocapi/v1/orders/standard/booking", req: `{"siteId":"0001","bookingMode":"Paid"}`,
		status: 200, resp: orderJSON("[]", "")}
	cancelOrder    = step{method: "DELETE", path: orderPath, status: 204}
	completeOrder  = step{method: "POST", path: completion, status: 200, resp: `{"orderId":"` + orderID + `","orderType":"Standard","status":"Completed","transactionNumber":7}`}
	addFirst       = step{method: "POST", path: vouchersURL, req: addBody("ADTMM0000111"), status: 200, resp: voucherJSON("v1", "AD......0111")}
	layoutA1A2     = step{method: "GET", path: "/ocapi/v1/showtimes/" + showtimeID + "/seat-layout", status: 200, resp: layoutJSON(`{"id":"A1","type":"Normal"},{"id":"A2","type":"Normal"}`)}
	allocatedShown = step{method: "GET", path: "/ocapi/v1/showtimes/" + showtimeID, status: 200,
		resp: `{"showtime":{"id":"` + showtimeID + `","isAllocatedSeating":true,"isSoldOut":false,"schedule":{"startsAt":"2026-07-11T19:00:00+12:00"}},"relatedData":{}}`}
)

func layoutJSON(seats string) string {
	return `{"seatLayout":{"id":"L1","areas":[{"number":1,"rows":[{"label":"A","seats":[` + seats + `]}]}]}}`
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func withStatus(s step, status int, resp string) step {
	s.status, s.resp = status, resp
	return s
}
