package proxy

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

// tenantClient calls through the proxy as a script would.
type tenantClient struct {
	t   *testing.T
	url string
}

func (c tenantClient) call(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+secretToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// newOrder starts an order and returns its id.
func (c tenantClient) newOrder(mode string) string {
	c.t.Helper()
	status, body := c.call("POST", "/ocapi/v1/orders/standard/booking", `{"siteId":"0001","bookingMode":"`+mode+`"}`)
	id, _ := dig(body, "order", "id")
	if status != 200 || id == nil {
		c.t.Fatalf("a new order: %d %v", status, body)
	}
	return id.(string)
}

// workADay is what a day at the counter sends, and a little more: the
// calls that settle the facts a counter alone would leave unseen.
func workADay(c tenantClient) {
	order := "/ocapi/v1/orders/" + c.newOrder("Paid")
	c.call("GET", order, "")
	c.call("POST", order+"/vouchers", addBody("ADTMM0000111"))
	c.call("POST", order+"/vouchers", addBody("ADTMM0000111"))
	c.call("GET", order, "")
	c.call("POST", order+"/vouchers", `{"type":"Ticket","credentials":{"barcode":"ADTMM0000444"}}`)
	c.call("POST", order+"/vouchers", `{"type":"Deal","credentials":{"barcode":"9300000000017"}}`)
	for range 4 {
		c.call("POST", order+"/vouchers", `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADTMM0000222","pin":"0000"}}`)
	}
	c.call("GET", order+"/completion", "")
	c.call("GET", "/ocapi/v1/showtimes/0001-2740", "")
	c.call("GET", "/ocapi/v1/showtimes/0001-2740/seat-layout", "")
	c.call("GET", "/ocapi/v1/showtimes/0001-2681/ticket-prices", "")
	c.call("GET", "/ocapi/v1/showtimes/by-business-date/2026-11-28?siteIds=0001", "")
	c.call("PUT", order+"/showtimes/0001-2740", `{"tickets":[{"id":"9b2f6c1e-0000-4000-8000-000000000001","ticketTypeId":"0001-0050"}],"seats":["A1","A2"]}`)
	c.call("DELETE", order, "")
	c.call("DELETE", order, "")

	done := "/ocapi/v1/orders/" + c.newOrder("Unpaid")
	c.call("POST", done+"/completion", "")
	c.call("GET", done+"/completion", "")
	c.call("GET", done, "")
	c.call("GET", "/ocapi/v1/orders/completed/"+strings.TrimPrefix(done, "/ocapi/v1/orders/"), "")
	c.call("DELETE", done, "")
}

// The proxy in front of the mock under each of its profiles: each profile
// settles the facts it plays its own way, and none breaks a documented
// fact.
func TestTheMockUnderEachProfile(t *testing.T) {
	everywhere := map[string]string{
		"order.read": VerdictConfirmed, "order.read-completed": VerdictConfirmed, "order.cancel-status": VerdictConfirmed,
		"order.cancel-404": VerdictConfirmed, "order.cancel-completed": VerdictConfirmed, "voucher.mask": VerdictConfirmed,
		"voucher.deal-fields": VerdictConfirmed, "voucher.pin-optional": VerdictConfirmed, "completion.answer": VerdictConfirmed,
		"completed.read": VerdictConfirmed, "tickets.seat-count": VerdictConfirmed, "seat.types": VerdictConfirmed,
		"voucher.type-case": VerdictNotSeen, "operation-ids": VerdictNotDecidable, "shape.SeatLayoutSeat": VerdictObserved,
	}
	want := map[string]map[string]string{
		mock.ProfileVistaReference: {"voucher.listed": VerdictConfirmed, "voucher.repeat-add": VerdictConfirmed,
			"voucher.429-retry-after": VerdictConfirmed, "voucher.429-body": VerdictConfirmed, "errors.body": VerdictConfirmed,
			"completion.read": VerdictConfirmed, "completion.read-404": VerdictConfirmed, "voucher.ticket-without-showtime": VerdictContradicted},
		mock.ProfileVistaGuide: {"voucher.listed": VerdictConfirmed, "voucher.repeat-add": VerdictConfirmed,
			"voucher.ticket-without-showtime": VerdictConfirmed, "errors.body": VerdictConfirmed},
		mock.ProfileSparse: {"voucher.listed": VerdictContradicted, "errors.body": VerdictContradicted,
			"voucher.429-retry-after": VerdictContradicted, "voucher.429-body": VerdictContradicted, "completion.read": VerdictContradicted},
		mock.ProfileRepeatAdd: {"voucher.repeat-add": VerdictContradicted, "voucher.listed": VerdictConfirmed},
	}
	evidence := map[string]map[string]string{
		mock.ProfileVistaReference: {"voucher.mask": "first 2 and last 4 of 12 characters kept"},
		mock.ProfileVistaGuide:     {"voucher.mask": "first 0 and last 4 of 12 characters kept"},
		mock.ProfileSparse:         {"voucher.listed": "order.vouchers absent", "completion.read": "405", "errors.body": "with no body"},
		mock.ProfileRepeatAdd:      {"voucher.repeat-add": "the same id"},
	}
	for _, p := range mock.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			upstream, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{Profile: p.Name}))
			if err != nil {
				t.Fatal(err)
			}
			defer upstream.Close(context.Background())
			px := startProxy(t, upstream.URL, Options{})
			workADay(tenantClient{t, px.url})
			r := px.Report()
			if r.Failed() {
				t.Errorf("the mock broke a documented fact: %+v", r.Violations)
			}
			for _, v := range r.Violations {
				// The sparse tenant does not serve GET …/completion, whose
				// statuses the contract does not know.
				if p.Name != mock.ProfileSparse || v.Operation != opGetCompletion || v.Rule != "status" {
					t.Errorf("the mock broke the contract: %+v", v)
				}
			}
			for id, v := range everywhere {
				if got := verdict(t, r, id); got.Verdict != v {
					t.Errorf("%s: %s (%s), want %s", id, got.Verdict, evidenceWords(got.Evidence, ""), v)
				}
			}
			for id, v := range want[p.Name] {
				if got := verdict(t, r, id); got.Verdict != v {
					t.Errorf("%s: %s (%s), want %s", id, got.Verdict, evidenceWords(got.Evidence, ""), v)
				}
			}
			for id, said := range evidence[p.Name] {
				if got := verdict(t, r, id); !strings.Contains(evidenceWords(got.Evidence, ""), said) {
					t.Errorf("%s says %q, without %q", id, evidenceWords(got.Evidence, ""), said)
				}
			}
		})
	}
}
