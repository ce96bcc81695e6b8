package proxy

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

// A tenant that breaks documented facts: the report names each, with its
// operation and field, and counts it as a documented violation.
func TestATenantBreakingADocumentedFactIsNamed(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/booking"):
			io.WriteString(w, `{"order":{"id":"`+orderID+`","type":"Standard","status":"InProgress"},"relatedData":{}}`)
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/vouchers"):
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"message":"already there"}`)
		default:
			io.WriteString(w, orderJSON("[]", ""))
		}
	}))
	defer upstream.Close()
	report := filepath.Join(t.TempDir(), "report.md")
	px := startProxy(t, upstream.URL, Options{Report: report})
	c := tenantClient{t, px.url}
	c.call("POST", "/ocapi/v1/orders/standard/booking", `{"siteId":"0001","bookingMode":"Paid"}`)
	c.call("POST", vouchersURL, addBody(fullBarcode))
	c.call("GET", orderPath, "")
	px.stop()

	r := px.Report()
	if !r.Failed() || r.Counts.DocumentedViolations < 2 {
		t.Fatalf("counts %+v, violations %+v: want the documented facts broken", r.Counts, r.Violations)
	}
	found := map[string]bool{}
	for _, v := range r.Violations {
		if !v.Documented || v.Side != "response" || v.Source != "doc" {
			t.Errorf("violation %+v: want a documented fact the tenant broke", v)
		}
		found[v.Operation+" "+v.Rule+" "+v.Field] = true
	}
	for _, want := range []string{opAddVoucher + " status ", opCreateOrder + " required body /order/expiresAt", opCreateOrder + " required body /order/booking"} {
		if !found[want] {
			t.Errorf("the report does not name %q: %v", want, found)
		}
	}
	raw, _ := os.ReadFile(report)
	md := string(raw)
	for _, want := range []string{"| violations of documented facts | **", "- **violated** [doc] `OcapiOrderVouchers_AddVoucher`: the tenant's answer: status: the operation does not list this status",
		"`OcapiOrders_CreateStandardOrderAsBooking`: the tenant's answer at body /order/expiresAt: required"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
	if strings.Contains(md, fullBarcode) {
		t.Error("the report holds the barcode")
	}
}

// fakeTenant settles two [unverified] facts the way its switches say.
type fakeTenant struct {
	listsVouchers, refusesRepeat atomic.Bool
	added                        atomic.Bool
}

func (f *fakeTenant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/vouchers"):
		if f.added.Swap(true) && f.refusesRepeat.Load() {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"The voucher is already on the order."}`)
			return
		}
		io.WriteString(w, voucherJSON("v1", "AD......0111"))
	case r.Method == "POST":
		f.added.Store(false)
		io.WriteString(w, orderJSON("[]", ""))
	case f.listsVouchers.Load() && f.added.Load():
		io.WriteString(w, orderJSON(`[{"id":"v1","type":"Ticket","maskedBarcode":"AD......0111"}]`, ""))
	case f.listsVouchers.Load():
		io.WriteString(w, orderJSON("[]", ""))
	default:
		io.WriteString(w, orderJSON("", ""))
	}
}

func (f *fakeTenant) set(on bool) {
	f.listsVouchers.Store(on)
	f.refusesRepeat.Store(on)
}

// addTwiceAndRead is the exchanges that settle both facts.
func addTwiceAndRead(c tenantClient) {
	c.call("POST", "/ocapi/v1/orders/standard/booking", `{"siteId":"0001","bookingMode":"Paid"}`)
	c.call("POST", vouchersURL, addBody(fullBarcode))
	c.call("POST", vouchersURL, addBody(fullBarcode))
	c.call("GET", orderPath, "")
}

// A tenant that settles [unverified] facts one way, then the other: the
// report follows it, and says when it answered both ways.
func TestATenantSettlesAFactOneWayThenTheOther(t *testing.T) {
	tenant := &fakeTenant{}
	tenant.set(true)
	upstream := httptest.NewServer(tenant)
	defer upstream.Close()
	px := startProxy(t, upstream.URL, Options{})
	c := tenantClient{t, px.url}

	addTwiceAndRead(c)
	r := px.Report()
	for id, said := range map[string]string{"voucher.listed": "lists the vouchers added here", "voucher.repeat-add": "400 to a second add"} {
		if v := verdict(t, r, id); v.Verdict != VerdictConfirmed || !strings.Contains(evidenceWords(v.Evidence, ""), said) {
			t.Errorf("one way: %s %s %+v", id, v.Verdict, v.Evidence)
		}
	}

	tenant.set(false)
	addTwiceAndRead(c)
	r = px.Report()
	for _, id := range []string{"voucher.listed", "voucher.repeat-add"} {
		if v := verdict(t, r, id); v.Verdict != VerdictBothWays || v.Confirmations != 1 || v.Contradictions != 1 {
			t.Errorf("then the other: %s %s (%d, %d)", id, v.Verdict, v.Confirmations, v.Contradictions)
		}
	}

	other := startProxy(t, upstream.URL, Options{})
	addTwiceAndRead(tenantClient{t, other.url})
	r = other.Report()
	for id, said := range map[string]string{"voucher.listed": "order.vouchers absent", "voucher.repeat-add": "(the same id)"} {
		if v := verdict(t, r, id); v.Verdict != VerdictContradicted || !strings.Contains(evidenceWords(v.Evidence, ""), said) {
			t.Errorf("the other way alone: %s %s %+v", id, v.Verdict, v.Evidence)
		}
	}
}

// What the proxy records at a tenant, the mock answers from: the tenant's
// quirk (a second add of the same barcode taken) is played back, and the
// proxy in front of the replay finds it again.
func TestARecordedQuirkIsPlayedBack(t *testing.T) {
	upstream, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{Profile: mock.ProfileRepeatAdd}))
	if err != nil {
		t.Fatal(err)
	}
	defer upstream.Close(context.Background())
	dir := filepath.Join(t.TempDir(), "rec")
	px := startProxy(t, upstream.URL, Options{RecordDir: dir})
	order := "/ocapi/v1/orders/3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"
	calls := []struct{ method, path, body string }{
		{"GET", order, ""},
		{"POST", order + "/vouchers", addBody("ADTMM0000111")},
		{"POST", order + "/vouchers", addBody("ADTMM0000111")},
		{"GET", order, ""},
	}
	var recorded []string
	for _, call := range calls {
		status, body := tenantClient{t, px.url}.call(call.method, call.path, call.body)
		recorded = append(recorded, statusKey(status)+" "+mustJSON(body))
	}
	px.stop()
	if v := verdict(t, px.Report(), "voucher.repeat-add"); v.Verdict != VerdictContradicted {
		t.Fatalf("at the tenant: %s", v.Verdict)
	}

	entries, err := mock.LoadRecording(dir)
	if err != nil {
		t.Fatal(err)
	}
	replay, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{Replay: entries}))
	if err != nil {
		t.Fatal(err)
	}
	defer replay.Close(context.Background())
	again := startProxy(t, replay.URL, Options{})
	for i, call := range calls {
		status, body := tenantClient{t, again.url}.call(call.method, call.path, call.body)
		got := statusKey(status) + " " + mustJSON(body)
		if got != recorded[i] {
			t.Errorf("call %d played back %s, recorded %s", i+1, got, recorded[i])
		}
	}
	if v := verdict(t, again.Report(), "voucher.repeat-add"); v.Verdict != VerdictContradicted || !strings.Contains(evidenceWords(v.Evidence, ""), "the same id") {
		t.Errorf("the replay did not play the quirk: %s %+v", v.Verdict, v.Evidence)
	}
}
