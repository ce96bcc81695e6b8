package proxy

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/contract"
)

// factCase is a run of exchanges and what it must make of one fact.
type factCase struct {
	fact, name string
	steps      []step
	verdict    string
	// said is part of the evidence that must be reported.
	said string
}

var (
	get = func(path string, status int, resp string) step {
		return step{method: "GET", path: path, status: status, resp: resp}
	}
	addStep = func(body string, status int, resp string) step {
		return step{method: "POST", path: vouchersURL, req: body, status: status, resp: resp}
	}
	pastOrder = step{method: "GET", path: orderPath, status: 200, resp: orderJSONExpiring(time.Now().Add(-10*time.Minute), "[]", "")}
	withSeat  = `[{"showtimeId":"` + showtimeID + `","tickets":[{"id":"t1","ticketTypeId":"0001-0050"}],"seats":[{"seatId":"A1"}]}]`
	noSeat    = `[{"showtimeId":"` + showtimeID + `","tickets":[{"id":"t1","ticketTypeId":"0001-0050"}],"seats":[]}]`
)

// factCases decide every rule's fact one way and, where an exchange can,
// the other.
var factCases = []factCase{
	{"order.read", "a 200 with the order", []step{get(orderPath, 200, orderJSON("[]", ""))}, VerdictConfirmed, "200 with the order"},
	{"order.read", "a 404 to an order in progress", []step{createOrder, get(orderPath, 404, "")}, VerdictContradicted, "404 to the read of an order this run saw in progress"},
	{"order.read", "a 405", []step{get(orderPath, 405, "")}, VerdictContradicted, "405: the tenant does not serve this read"},
	{"order.read", "a 200 of another shape", []step{get(orderPath, 200, `{"order":{"id":"x","status":"InProgress"}}`)}, VerdictContradicted, "breaks the order's shape at body"},

	{"order.read-completed", "404 once completed", []step{createOrder, completeOrder, get(orderPath, 404, "")}, VerdictConfirmed, "404 to the read of an order completed here"},
	{"order.read-completed", "200 once completed", []step{createOrder, completeOrder, get(orderPath, 200, orderJSON("[]", ""))}, VerdictContradicted, "still reads"},

	{"order.read-404", "404 once cancelled", []step{createOrder, cancelOrder, get(orderPath, 404, "")}, VerdictConfirmed, "404 for an order cancelled here"},
	{"order.read-404", "404 never seen", []step{get(orderPath, 404, "")}, VerdictConfirmed, "404 for an order this run never saw"},
	{"order.read-404", "410 once expired", []step{pastOrder, get(orderPath, 410, "")}, VerdictContradicted, "410 for an order cancelled here or past its expiry"},
	{"order.read-404", "200 once cancelled", []step{createOrder, cancelOrder, get(orderPath, 200, orderJSON("[]", ""))}, VerdictContradicted, "200 for an order already cancelled here"},

	{"order.cancel-status", "204", []step{cancelOrder}, VerdictConfirmed, "204"},
	{"order.cancel-status", "202", []step{withStatus(cancelOrder, 202, "")}, VerdictContradicted, "202"},

	{"order.cancel-404", "404 cancelled twice", []step{createOrder, cancelOrder, withStatus(cancelOrder, 404, "")}, VerdictConfirmed, "404 for an order cancelled here"},
	{"order.cancel-404", "204 cancelled twice", []step{createOrder, cancelOrder, cancelOrder}, VerdictContradicted, "still takes the call"},

	{"order.cancel-completed", "400", []step{createOrder, completeOrder, withStatus(cancelOrder, 400, `{"message":"completed"}`)}, VerdictConfirmed, "400 to the cancel of an order completed here"},
	{"order.cancel-completed", "204", []step{createOrder, completeOrder, cancelOrder}, VerdictContradicted, "204 to the cancel of an order completed here"},

	{"voucher.listed", "listed", []step{createOrder, addFirst, get(orderPath, 200, orderJSON(`[{"id":"v1","type":"Ticket","maskedBarcode":"AD......0111"}]`, ""))}, VerdictConfirmed, "lists the vouchers added here"},
	{"voucher.listed", "absent", []step{createOrder, addFirst, get(orderPath, 200, orderJSON("", ""))}, VerdictContradicted, "order.vouchers absent"},
	{"voucher.listed", "without it", []step{createOrder, addFirst, get(orderPath, 200, orderJSON("[]", ""))}, VerdictContradicted, "without a voucher added here"},

	{"voucher.repeat-add", "refused", []step{addFirst, addStep(addBody("ADTMM0000111"), 400, `{"message":"already"}`)}, VerdictConfirmed, "400 to a second add"},
	{"voucher.repeat-add", "same voucher", []step{addFirst, addFirst}, VerdictContradicted, "the voucher already on the order (the same id)"},
	{"voucher.repeat-add", "a second voucher", []step{addFirst, addStep(addBody("ADTMM0000111"), 200, voucherJSON("v2", "AD......0111"))}, VerdictContradicted, "on the order twice"},

	{"voucher.mask", "reference form", []step{addFirst}, VerdictConfirmed, "first 2 and last 4 of 12 characters kept, '.' for the rest"},
	{"voucher.mask", "guide form", []step{addStep(addBody("ADTMM0000111"), 200, voucherJSON("v1", "........0111"))}, VerdictConfirmed, "first 0 and last 4"},
	{"voucher.mask", "more shown", []step{addStep(addBody("ADTMM0000111"), 200, voucherJSON("v1", "ADTMM...0111"))}, VerdictContradicted, "first 5 and last 4"},
	{"voucher.mask", "stars", []step{addStep(addBody("ADTMM0000111"), 200, voucherJSON("v1", "AD******0111"))}, VerdictContradicted, "'*' for the rest"},
	{"voucher.mask", "unmasked", []step{addStep(addBody("ADTMM0000111"), 200, voucherJSON("v1", "ADTMM0000111"))}, VerdictContradicted, "the whole barcode"},

	{"voucher.mask-short", "last four", []step{addStep(addBody("123456789"), 200, voucherJSON("v1", ".....6789"))}, VerdictConfirmed, "first 0 and last 4 of 9"},
	{"voucher.mask-short", "first two too", []step{addStep(addBody("123456789"), 200, voucherJSON("v1", "12...6789"))}, VerdictContradicted, "first 2 and last 4 of 9"},

	{"voucher.429-retry-after", "seconds", []step{{method: "POST", path: vouchersURL, req: addBody("ADTMM0000222"), status: 429, header: map[string]string{"Retry-After": "30"}}}, VerdictConfirmed, "Retry-After in seconds"},
	{"voucher.429-retry-after", "none", []step{addStep(addBody("ADTMM0000222"), 429, "")}, VerdictContradicted, "429 without Retry-After"},

	{"voucher.429-body", "blockedUntilUtc", []step{addStep(addBody("ADTMM0000222"), 429, `{"blockedUntilUtc":"2026-12-06T10:00:00.0000000+00:00"}`)}, VerdictConfirmed, "429 with JSON blockedUntilUtc"},
	{"voucher.429-body", "no body", []step{addStep(addBody("ADTMM0000222"), 429, "")}, VerdictContradicted, "429 with no body"},
	{"voucher.429-body", "other JSON", []step{addStep(addBody("ADTMM0000222"), 429, `{"message":"slow down"}`)}, VerdictContradicted, "JSON with fields message"},

	{"voucher.type-case", "accepted", []step{addStep(`{"type":"ticket","showtimeId":"x","credentials":{"barcode":"ADTMM0000111"}}`, 200, voucherJSON("v1", "AD......0111"))}, VerdictConfirmed, `200 to type "ticket"`},
	{"voucher.type-case", "refused", []step{addStep(`{"type":"ticket","credentials":{"barcode":"ADTMM0000111"}}`, 400, `{"message":"type must be Ticket, Deal or Subscription"}`)}, VerdictContradicted, "its body naming the type"},

	{"voucher.barcode-required", "refused", []step{addStep(`{"type":"Ticket","credentials":{"barcode":""}}`, 400, "")}, VerdictConfirmed, "400 to an add with an empty barcode"},
	{"voucher.barcode-required", "accepted", []step{addStep(`{"type":"Ticket","credentials":{}}`, 200, voucherJSON("v1", "...."))}, VerdictContradicted, "200 to an add without a barcode"},

	{"voucher.pin-optional", "accepted", []step{addStep(`{"type":"Ticket","showtimeId":"x","credentials":{"barcode":"ADTMM0001001"}}`, 200, voucherJSON("v1", "AD......1001"))}, VerdictConfirmed, "200 to an add without a pin"},
	{"voucher.pin-optional", "a 400 cannot tell", []step{addStep(`{"type":"Ticket","credentials":{"barcode":"ADTMM0001001","pin":null}}`, 400, "")}, VerdictNotSeen, ""},

	{"voucher.deal-fields", "accepted", []step{addStep(`{"type":"Deal","credentials":{"barcode":"DEAL00000001"}}`, 200, voucherJSON("v1", "DE......0001"))}, VerdictConfirmed, "Deal add of type and credentials alone"},
	{"voucher.deal-fields", "a 400 cannot tell", []step{addStep(`{"type":"Deal","credentials":{"barcode":"DEAL00000001"}}`, 400, "")}, VerdictNotSeen, ""},
	{"voucher.subscription-fields", "accepted", []step{addStep(`{"type":"Subscription","credentials":{"barcode":"SUBS00000001"}}`, 200, voucherJSON("v1", "SU......0001"))}, VerdictConfirmed, "Subscription add"},
	{"voucher.subscription-fields", "a 400 cannot tell", []step{addStep(`{"type":"Subscription","credentials":{"barcode":"SUBS00000001"}}`, 400, "")}, VerdictNotSeen, ""},

	{"voucher.ticket-without-showtime", "accepted", []step{addStep(`{"type":"Ticket","credentials":{"barcode":"ADTMM0000111"}}`, 200, voucherJSON("v1", "AD......0111"))}, VerdictConfirmed, "Ticket add without showtimeId"},
	{"voucher.ticket-without-showtime", "refused", []step{addStep(`{"type":"Ticket","credentials":{"barcode":"ADTMM0000111"}}`, 400, `{"errorCode":"InvalidRequest","message":"showtimeId is required for a Ticket voucher."}`)}, VerdictContradicted, "naming the showtime"},

	{"voucher.remove-404", "404 once cancelled", []step{createOrder, cancelOrder, {method: "DELETE", path: vouchersURL + "/v1", status: 404}}, VerdictConfirmed, "404 for an order cancelled here"},
	{"voucher.remove-404", "400 once cancelled", []step{createOrder, cancelOrder, {method: "DELETE", path: vouchersURL + "/v1", status: 400}}, VerdictContradicted, "400 for an order cancelled here"},

	{"tickets.unknown-seat", "refused", []step{layoutA1A2, {method: "PUT", path: tickets, req: `{"tickets":[{"id":"t1","ticketTypeId":"a"}],"seats":["Z9"]}`, status: 400}}, VerdictConfirmed, "400 to a seat not in the showtime's layout"},
	{"tickets.unknown-seat", "accepted", []step{layoutA1A2, {method: "PUT", path: tickets, req: `{"tickets":[{"id":"t1","ticketTypeId":"a"}],"seats":["Z9"]}`, status: 200, resp: orderJSON("[]", "")}}, VerdictContradicted, "200 to a seat not in the showtime's layout"},

	{"tickets.seat-count", "refused", []step{{method: "PUT", path: tickets, req: `{"tickets":[{"id":"t1","ticketTypeId":"a"}],"seats":["A1","A2"]}`, status: 400}}, VerdictConfirmed, "400 to 2 seat(s) for 1 ticket(s)"},
	{"tickets.seat-count", "accepted", []step{{method: "PUT", path: tickets, req: `{"tickets":[{"id":"t1","ticketTypeId":"a"}],"seats":["A1","A2"]}`, status: 200, resp: orderJSON("[]", "")}}, VerdictContradicted, "200 to 2 seat(s) for 1 ticket(s)"},

	{"seats.own-available", "available", []step{get(orderPath, 200, orderJSON("[]", withSeat)), get(tickets+"/seat-availability", 200, `{"seatAvailabilities":[{"seatId":"A1","status":"Available"},{"seatId":"A2","status":"Sold"}]}`)}, VerdictConfirmed, "read Available"},
	{"seats.own-available", "sold", []step{get(orderPath, 200, orderJSON("[]", withSeat)), get(tickets+"/seat-availability", 200, `{"seatAvailabilities":[{"seatId":"A1","status":"Sold"}]}`)}, VerdictContradicted, "read Sold"},

	{"completion.seats-needed", "refused", []step{allocatedShown, get(orderPath, 200, orderJSON("[]", noSeat)), withStatus(completeOrder, 400, "")}, VerdictConfirmed, "400 to the completion of an order with tickets but no seats"},
	{"completion.seats-needed", "completed", []step{allocatedShown, get(orderPath, 200, orderJSON("[]", noSeat)), completeOrder}, VerdictContradicted, "200 to the completion"},

	{"completion.404", "404 once cancelled", []step{createOrder, cancelOrder, withStatus(completeOrder, 404, "")}, VerdictConfirmed, "404 for an order cancelled here"},
	{"completion.404", "400 once cancelled", []step{createOrder, cancelOrder, withStatus(completeOrder, 400, "")}, VerdictContradicted, "400 for an order cancelled here"},

	{"completion.answer", "the variant", []step{completeOrder}, VerdictConfirmed, "200 with status Completed"},
	{"completion.answer", "another shape", []step{withStatus(completeOrder, 200, `{"orderId":"x","state":"Done"}`)}, VerdictContradicted, "200 without status: JSON with fields orderId, state"},

	{"completion.read", "read again", []step{get(completion, 200, `{"orderId":"x","status":"Completed"}`)}, VerdictConfirmed, "200 with the completion"},
	{"completion.read", "not served", []step{get(completion, 405, "")}, VerdictContradicted, "405: the tenant does not serve this read"},
	{"completion.read", "404 once made", []step{createOrder, completeOrder, get(completion, 404, "")}, VerdictContradicted, "404 for an order whose completion was made here"},

	{"completion.read-404", "404 without one", []step{createOrder, get(completion, 404, "")}, VerdictConfirmed, "404 for an order in progress with no completion made"},
	{"completion.read-404", "200 without one", []step{createOrder, get(completion, 200, `{"orderId":"x","status":"Pending"}`)}, VerdictContradicted, "200 for an order in progress with no completion made"},

	{"completed.read", "the order", []step{get("/ocapi/v1/orders/completed/"+orderID, 200, `{"order":{"id":"x"},"relatedData":{}}`)}, VerdictConfirmed, "200 with order.id"},
	{"completed.read", "another shape", []step{get("/ocapi/v1/orders/completed/"+orderID, 200, `{"id":"x"}`)}, VerdictContradicted, "200 with JSON with fields id"},
	{"completed.read", "404 once completed", []step{createOrder, completeOrder, get("/ocapi/v1/orders/completed/"+orderID, 404, "")}, VerdictContradicted, "404 for an order completed here"},

	{"showtime.404", "404", []step{get("/ocapi/v1/showtimes/nope", 404, "")}, VerdictConfirmed, "404"},
	{"showtime.404", "410", []step{get("/ocapi/v1/showtimes/nope", 410, "")}, VerdictContradicted, "410"},
	{"seat-layout.404", "404", []step{get("/ocapi/v1/showtimes/nope/seat-layout", 404, "")}, VerdictConfirmed, "404"},
	{"seat-layout.404", "400", []step{get("/ocapi/v1/showtimes/nope/seat-layout", 400, "")}, VerdictContradicted, "400 to a read without a region code"},

	{"showtimes.bad-filter", "refused", []step{get("/ocapi/v1/showtimes/by-business-date/tomorrow?siteIds=0001", 400, "")}, VerdictConfirmed, "400 to a business date that is not yyyy-mm-dd"},
	{"showtimes.bad-filter", "accepted", []step{get("/ocapi/v1/showtimes/by-business-date/2026-07-11", 200, `{"showtimes":[]}`)}, VerdictContradicted, "200 to a list without siteIds"},

	{"seat.types", "known", []step{layoutA1A2}, VerdictConfirmed, "seat types Normal"},
	{"seat.types", "another", []step{withStatus(layoutA1A2, 200, layoutJSON(`{"id":"A1","type":"Normal"},{"id":"A2","type":"Lounger"}`))}, VerdictContradicted, "seat types Lounger besides the six known"},
	{"seat.group-includes-itself", "itself", []step{withStatus(layoutA1A2, 200, layoutJSON(`{"id":"A1","seatsInGroup":["A1","A2"]},{"id":"A2","seatsInGroup":["A1","A2"]}`))}, VerdictConfirmed, "2 grouped seats, each listing itself"},
	{"seat.group-includes-itself", "the others only", []step{withStatus(layoutA1A2, 200, layoutJSON(`{"id":"A1","seatsInGroup":["A2"]},{"id":"A2","seatsInGroup":["A1"]}`))}, VerdictContradicted, "2 of 2 grouped seats do not list themselves"},

	{"errors.body", "readable", []step{addStep(addBody("ADTMM0000999"), 400, `{"errorCode":"VoucherUsedUp","message":"used up"}`)}, VerdictConfirmed, "400 with JSON with fields errorCode, message"},
	{"errors.body", "none", []step{addStep(addBody("ADTMM0000999"), 400, "")}, VerdictContradicted, "400 with no body"},
	{"errors.body", "html", []step{{method: "GET", path: orderPath, status: 404, header: map[string]string{"Content-Type": "text/html"}, resp: "<html>gone</html>"}}, VerdictContradicted, "404 with a body that is not JSON (text/html)"},

	{"region.unknown-400", "refused where others read", []step{get("/ocapi/v1/showtimes/"+showtimeID, 200, `{"showtime":{"id":"x"}}`),
		{method: "GET", path: "/ocapi/v1/showtimes/" + showtimeID, reqHeader: map[string]string{"Connect-Region-Code": "XX"}, status: 400}}, VerdictConfirmed, "400 to a read with a region code"},
	{"region.unknown-400", "accepted cannot tell", []step{{method: "GET", path: "/ocapi/v1/showtimes/" + showtimeID, reqHeader: map[string]string{"Connect-Region-Code": "NZ"}, status: 200, resp: `{"showtime":{"id":"x"}}`}}, VerdictNotSeen, ""},

	{"token.auth-host", "not here", []step{{method: "POST", path: "/connect/token", req: "grant_type=password", status: 404}}, VerdictConfirmed, "404 from the API host"},
	{"token.auth-host", "issued here", []step{{method: "POST", path: "/connect/token", req: "grant_type=password&client_id=a&username=u&password=p", status: 200, resp: `{"access_token":"t","token_type":"Bearer"}`}}, VerdictContradicted, "200 with a token from the API host"},
	{"token.400-body", "OAuth", []step{{method: "POST", path: "/connect/token", req: "grant_type=password", status: 400, resp: `{"error":"invalid_grant"}`}}, VerdictConfirmed, "400 with JSON error"},
	{"token.400-body", "other", []step{{method: "POST", path: "/connect/token", req: "grant_type=password", status: 400, resp: `{"message":"no"}`}}, VerdictContradicted, "400 with JSON with fields message"},
	{"token.request-fields", "refused", []step{{method: "POST", path: "/connect/token", req: "grant_type=password&username=u&password=p", status: 400}}, VerdictConfirmed, "400 to a request without client_id"},
	{"token.request-fields", "accepted", []step{{method: "POST", path: "/connect/token", req: "grant_type=password&username=u&password=p", status: 200, resp: `{"access_token":"t"}`}}, VerdictContradicted, "200 to a request without client_id"},

	{"operation-ids", "never", []step{completeOrder}, VerdictNotDecidable, ""},
}

func TestEachFactIsDecidedByItsRule(t *testing.T) {
	for _, tc := range factCases {
		t.Run(tc.fact+"/"+tc.name, func(t *testing.T) {
			got := verdict(t, analyse(t, tc.steps...), tc.fact)
			if got.Verdict != tc.verdict {
				t.Fatalf("verdict %q, want %q; evidence %+v", got.Verdict, tc.verdict, got.Evidence)
			}
			if tc.said != "" && !strings.Contains(evidenceWords(got.Evidence, ""), tc.said) {
				t.Errorf("evidence %q does not say %q", evidenceWords(got.Evidence, ""), tc.said)
			}
		})
	}
}

// A rule fact has a case that confirms it and, unless its rule says no
// exchange can, one that contradicts it.
func TestEveryRuleIsTestedBothWays(t *testing.T) {
	confirmOnly := []string{"voucher.pin-optional", "voucher.deal-fields", "voucher.subscription-fields", "region.unknown-400"}
	for _, f := range facts {
		if f.rule == nil {
			continue
		}
		var ways []string
		for _, tc := range factCases {
			if tc.fact == f.ID {
				ways = append(ways, tc.verdict)
			}
		}
		if !slices.Contains(ways, VerdictConfirmed) {
			t.Errorf("%s has no case that confirms it", f.ID)
		}
		if !slices.Contains(ways, VerdictContradicted) && !slices.Contains(confirmOnly, f.ID) {
			t.Errorf("%s has no case that contradicts it", f.ID)
		}
		if slices.Contains(confirmOnly, f.ID) && !strings.Contains(f.Decides, "cannot contradict") && !strings.Contains(f.Decides, "can contradict") {
			t.Errorf("%s can only be confirmed, and its rule must say so: %q", f.ID, f.Decides)
		}
	}
}

// Every place openapi.json says [unverified] is claimed by a fact of the
// catalogue, and every place a fact names exists.
func TestEveryUnverifiedFactHasARule(t *testing.T) {
	var doc any
	if err := json.Unmarshal(contract.Document, &doc); err != nil {
		t.Fatal(err)
	}
	tagged := map[string]bool{}
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch t := v.(type) {
		case map[string]any:
			for k, inner := range t {
				walk(inner, ptr+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"))
			}
		case []any:
			for i, inner := range t {
				walk(inner, ptr+"/"+itoa(i))
			}
		case string:
			if strings.Contains(t, "[unverified") {
				tagged[ptr] = true
			}
		}
	}
	walk(doc, "")
	// The document's own description explains the tags; it states no fact.
	delete(tagged, "/info/description")

	contractMD, err := os.ReadFile("../../docs/contract.md")
	if err != nil {
		t.Fatal(err)
	}
	claimed := map[string]bool{}
	for _, f := range append(slices.Clone(facts), shapeFacts()...) {
		if f.rule == nil && f.shape == "" && f.notDecidable == "" {
			t.Errorf("%s has no rule", f.ID)
		}
		for _, w := range f.Where {
			if words, ok := strings.CutPrefix(w, contractRow("")); ok {
				if !strings.Contains(string(contractMD), words) {
					t.Errorf("%s names a row of docs/contract.md that is not there: %q", f.ID, words)
				}
				continue
			}
			if !tagged[w] {
				t.Errorf("%s names %s, which openapi.json does not tag [unverified]", f.ID, w)
			}
			claimed[w] = true
		}
	}
	for ptr := range tagged {
		if !claimed[ptr] {
			t.Errorf("openapi.json tags %s [unverified], and no fact of the catalogue decides it", ptr)
		}
	}
	if len(tagged) < 80 {
		t.Errorf("only %d [unverified] places found in openapi.json: the walk is wrong", len(tagged))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// A shape shows, property by property, what the tenant sends.
func TestShapeShowsWhatTheTenantSends(t *testing.T) {
	ticket := `{"id":"t1","type":"Package","ticketTypeId":"a","price":` + money(1) + `,"voucherId":null,"houseNote":"x"}`
	r := analyse(t, get(orderPath, 200, orderJSON("[]", `[{"showtimeId":"s","tickets":[`+ticket+`,{"id":"t2","type":"Normal","ticketTypeId":"a"}]}]`)))
	got := verdict(t, r, "shape.OrderShowtimeTicket")
	for _, want := range []string{"2 object(s)", "always sent: id, ticketTypeId, type", "sometimes sent: price (1 of 2)",
		"null: voucherId (1 of 2)", "also sent: houseNote", "type values: Normal, Package"} {
		if !strings.Contains(got.Observed, want) {
			t.Errorf("the shape says %q, without %q", got.Observed, want)
		}
	}
	if got.Verdict != VerdictObserved {
		t.Errorf("verdict %q, want observed", got.Verdict)
	}
	if v := verdict(t, r, "shape.SeatLayout"); v.Verdict != VerdictNotSeen {
		t.Errorf("a shape no answer carried: %q, want not seen", v.Verdict)
	}
}
