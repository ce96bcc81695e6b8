package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

// The admin API's answers as an integrator's script reads them.
type adminState struct {
	Now         time.Time `json:"now"`
	ClockOffset string    `json:"clockOffset"`
	Profile     string    `json:"profile"`
	Orders      []struct {
		ID        string `json:"id"`
		Status    string `json:"status"`
		Showtimes []struct {
			ShowtimeID string   `json:"showtimeId"`
			Tickets    []ticket `json:"tickets"`
			Seats      []any    `json:"seats"`
		} `json:"showtimes"`
		Vouchers []struct {
			ID              string `json:"id"`
			MaskedBarcode   string `json:"maskedBarcode"`
			PaysFor         int    `json:"paysFor"`
			RedemptionsLeft int    `json:"redemptionsLeft"`
		} `json:"vouchers"`
		Completion *struct {
			Status            string `json:"status"`
			TransactionNumber *int   `json:"transactionNumber"`
		} `json:"completion"`
	} `json:"orders"`
	Vouchers []struct {
		MaskedBarcode   string   `json:"maskedBarcode"`
		RedemptionsLeft int      `json:"redemptionsLeft"`
		WrongPins       int      `json:"wrongPins"`
		OnOrders        []string `json:"onOrders"`
	} `json:"vouchers"`
	Blocks []struct {
		MaskedBarcode string `json:"maskedBarcode"`
		SecondsLeft   int    `json:"secondsLeft"`
	} `json:"blocks"`
	Completions []struct {
		OrderID string `json:"orderId"`
		Status  string `json:"status"`
	} `json:"completions"`
	Counts struct {
		Orders, Vouchers, Journal int
	} `json:"counts"`
}

func (e *env) state(query string) adminState {
	e.t.Helper()
	var st adminState
	e.do("GET", "/_admin/state"+query, nil).decodeOK(e.t, &st)
	return st
}

type journalPage struct {
	Entries []struct {
		Seq       uint64 `json:"seq"`
		Method    string `json:"method"`
		Path      string `json:"path"`
		Operation string `json:"operation"`
		Status    int    `json:"status"`
		Answered  bool   `json:"answered"`
		Fault     string `json:"fault"`
		Request   struct {
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"request"`
		Response struct {
			Body json.RawMessage `json:"body"`
		} `json:"response"`
		Violations []struct {
			Operation, Side, Rule, Field, Message string
		} `json:"violations"`
	} `json:"entries"`
	Matching int `json:"matching"`
	Size     int `json:"size"`
}

func (e *env) journal(query string) journalPage {
	e.t.Helper()
	var p journalPage
	e.do("GET", "/_admin/journal"+query, nil).decodeOK(e.t, &p)
	return p
}

func (e *env) admin(method, path string, body any) *result {
	e.t.Helper()
	return e.do(method, path, body)
}

func TestStateShowsOrdersVouchersBlocksAndCompletions(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	vid := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	e.setTickets(firstOrder, "0001-2681", tk{TicketTypeID: "0001-0077", VoucherID: vid}).expect(t, 200, "")
	for range 3 {
		e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "0000"))
	}
	st := e.state("?vouchers=active")
	o := st.Orders[0]
	if o.ID != firstOrder || len(o.Vouchers) != 1 || o.Vouchers[0].MaskedBarcode != "AD......0111" || o.Vouchers[0].PaysFor != 1 {
		t.Fatalf("the first order in the state: %+v", o)
	}
	paid := 0
	for _, tk := range o.Showtimes[0].Tickets {
		if tk.VoucherID != nil && *tk.VoucherID == vid {
			paid++
		}
	}
	if paid != 1 || o.Showtimes[0].Seats == nil {
		t.Errorf("the order's showtime lists %d tickets paid by the voucher and seats %v, want 1 and a list", paid, o.Showtimes[0].Seats)
	}
	if len(st.Blocks) != 1 || st.Blocks[0].MaskedBarcode != "AD......0222" || st.Blocks[0].SecondsLeft != 60 {
		t.Errorf("blocks = %+v", st.Blocks)
	}
	if len(st.Vouchers) != 2 || st.Counts.Vouchers <= 2 {
		t.Errorf("active vouchers = %+v of %d", st.Vouchers, st.Counts.Vouchers)
	}
	body := e.do("GET", "/_admin/state", nil).body
	for _, secret := range []string{"ADTMM0000111", "1234"} {
		if strings.Contains(string(body), `"`+secret+`"`) {
			t.Errorf("the state shows %s", secret)
		}
	}
}

func TestResetToSeedAndToDataGiven(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	e.do("POST", "/_admin/reset", nil).expect(t, 200, "")
	if o := e.order(firstOrder); len(o.Vouchers) != 0 {
		t.Errorf("after a reset to the seed the order holds %d vouchers", len(o.Vouchers))
	}
	data := `{"sites":[{"id":"0001","name":"Riverside"}],"orders":[{"id":"small-order","siteId":"0001","bookingMode":"Paid"}],
		"vouchers":[{"barcode":"ADTMM0000111","type":"Deal","voucherTypeCode":"X","description":"d","redemptions":1}],"profile":"vista-guide"}`
	var res mock.ResetResult
	e.do("POST", "/_admin/reset", data).decodeOK(t, &res)
	if res.From != "data" || res.Orders != 1 || res.Profile != "vista-guide" {
		t.Errorf("reset to data = %+v", res)
	}
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 404, "OrderNotFound")
	e.order("small-order")
	r := e.do("POST", "/_admin/reset", `{"vouchers":[],"sites":[{"id":"1"}]}`)
	if r.status != 400 || !strings.Contains(string(r.body), "$.sites[0].name") {
		t.Errorf("a bad data file: %d %s", r.status, r.body)
	}
}

func TestJournalMasksSecretsAndFilters(t *testing.T) {
	d := mock.DefaultData()
	d.Auth = &mock.Auth{Tokens: []string{"secret-token"}, Users: []mock.User{{Username: "u", Password: "pw-secret"}}}
	e := newEnv(t, d, mock.Options{})
	auth := []string{"Authorization", "Bearer secret-token"}
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"), auth...).expect(t, 200, "")
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", `{"type":"Ticket","credentials":{"barcode":"ADTMM0000222","pin":4321}}`, auth...)
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", `{"credentials":{"pin":"9876"`, auth...)
	e.token(passwordForm("u", "pw-secret")).expect(t, 200, "")
	raw := string(e.do("GET", "/_admin/journal", nil).body)
	for _, secret := range []string{"ADTMM0000111", "ADTMM0000222", "1234", "4321", "9876", "secret-token", "pw-secret"} {
		if strings.Contains(raw, secret) {
			t.Errorf("the journal holds %q:\n%s", secret, raw)
		}
	}
	if !strings.Contains(raw, `"barcode":"AD......0111"`) || !strings.Contains(raw, `"pin":"****"`) || !strings.Contains(raw, `"Authorization":"Bearer ****"`) {
		t.Errorf("the journal does not show the masked request:\n%s", raw)
	}
	adds := e.journal("?path=/vouchers&status=4xx")
	if adds.Matching != 2 || adds.Entries[0].Operation != "OcapiOrderVouchers_AddVoucher" {
		t.Errorf("refused adds: %+v", adds)
	}
	since := e.journal("?since=2&limit=1")
	if since.Matching != 2 || len(since.Entries) != 1 || since.Entries[0].Seq != 4 {
		t.Errorf("since 2, limit 1: %+v", since)
	}
	var count struct{ Count int }
	e.do("GET", "/_admin/journal/count?status=200", nil).decodeOK(t, &count)
	if count.Count != 2 {
		t.Errorf("count of 200s = %d, want 2", count.Count)
	}
	e.do("GET", "/_admin/journal?status=abc", nil).expectStatus(t, 400)
}

func TestJournalKeepsTheNewest(t *testing.T) {
	e := newEnv(t, nil, mock.Options{JournalSize: 3})
	for range 5 {
		e.do("GET", "/ocapi/v1/showtimes/0001-2681", nil)
	}
	p := e.journal("")
	if p.Size != 3 || len(p.Entries) != 3 || p.Entries[0].Seq != 3 || p.Entries[2].Seq != 5 {
		t.Errorf("a journal of 3 after 5 requests: %+v", p)
	}
}

func TestFaultQueueAtRunTime(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	add := func(barcode, pin string) (*result, error) {
		return e.try("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", barcode, pin))
	}
	cue := func(c map[string]any) {
		t.Helper()
		e.admin("POST", "/_admin/faults/queue", c).expect(t, 201, "")
	}
	cue(map[string]any{"route": "OcapiOrderVouchers_AddVoucher", "fault": "lost"})
	cue(map[string]any{"route": "POST /ocapi/v1/orders/{orderId}/vouchers", "fault": "lost-unapplied"})
	cue(map[string]any{"route": "OcapiOrderVouchers_AddVoucher", "fault": "503"})
	cue(map[string]any{"route": "OcapiOrderVouchers_AddVoucher", "fault": "status", "status": 502, "body": map[string]string{"oops": "gateway"}})
	if _, err := add("ADTMM0000111", "1234"); err == nil {
		t.Fatal("the lost answer came")
	}
	if _, err := add("ADTMM0001001", ""); err == nil {
		t.Fatal("the lost answer came")
	}
	r, _ := add("ADTMM0001002", "")
	r.expect(t, 503, "ServiceUnavailable")
	r, _ = add("ADTMM0001003", "")
	if r.status != 502 || string(r.body) != `{"oops":"gateway"}` {
		t.Errorf("the queued status answered %d %s", r.status, r.body)
	}
	var got []string
	for _, v := range e.order(firstOrder).Vouchers {
		got = append(got, v.MaskedBarcode)
	}
	if strings.Join(got, " ") != "AD......0111" {
		t.Errorf("the order holds %v, want only the voucher whose answer was lost after it was applied", got)
	}
	lost := e.journal("?status=lost")
	if lost.Matching != 2 || lost.Entries[0].Status != 200 || lost.Entries[1].Status != 0 || !strings.Contains(lost.Entries[0].Fault, "queue #1") {
		t.Errorf("the journal's lost answers: %+v", lost.Entries)
	}
	var fv mock.FaultsView
	e.do("GET", "/_admin/faults", nil).decodeOK(t, &fv)
	if len(fv.Queue) != 0 {
		t.Errorf("the queue still holds %+v", fv.Queue)
	}
	e.admin("POST", "/_admin/faults/queue", map[string]any{"route": "nope", "fault": "lost"}).expectStatus(t, 400)
	e.admin("POST", "/_admin/faults/queue", map[string]any{"route": "OcapiOrderVouchers_AddVoucher", "fault": "explode"}).expectStatus(t, 400)
}

func TestGlobalAndRouteDiceAtRunTime(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	e.admin("PUT", "/_admin/faults/global", map[string]any{"spec": "error=1"}).expect(t, 200, "")
	e.do("GET", "/ocapi/v1/showtimes/0001-2681", nil).expect(t, 503, "ServiceUnavailable")
	// A route's dice replace the global dice for it.
	e.admin("PUT", "/_admin/faults/routes/OcapiShowtimes_GetShowtime", map[string]any{"latency": "1ms"}).expect(t, 200, "")
	e.do("GET", "/ocapi/v1/showtimes/0001-2681", nil).expect(t, 200, "")
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 503, "ServiceUnavailable")
	e.admin("DELETE", "/_admin/faults", nil).expect(t, 200, "")
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 200, "")
	e.admin("PUT", "/_admin/faults/global", map[string]any{"error": 0.7, "drop": 0.7}).expectStatus(t, 400)
}

func TestClockExpiresOrdersAndEndsBlocks(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	for range 3 {
		e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "0000"))
	}
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "4321")).expect(t, 429, "TooManyAttempts")
	e.admin("POST", "/_admin/clock", map[string]string{"advance": "61s"}).expect(t, 200, "")
	e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000222", "4321")
	var clock mock.ClockState
	e.do("POST", "/_admin/clock", map[string]string{"advance": "1h"}).decodeOK(t, &clock)
	if clock.Offset != "1h1m1s" {
		t.Errorf("offset = %q", clock.Offset)
	}
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 404, "OrderNotFound")
	if st := e.state(""); len(st.Orders) != 0 {
		t.Errorf("orders held after their expiry: %d", len(st.Orders))
	}
	e.do("POST", "/_admin/clock", map[string]string{"advance": "-1m"}).expectStatus(t, 400)
	// The admin API is held to its own document too.
	r := e.do("POST", "/_admin/clock", map[string]any{"advance": 5})
	if v := r.header.Get(mock.ViolationHeader); !strings.Contains(v, "request of MockAdmin_AdvanceClock at body /advance: type") {
		t.Errorf("%s = %q", mock.ViolationHeader, v)
	}
}

func TestAdminTokenWhenSet(t *testing.T) {
	e := newEnv(t, nil, mock.Options{AdminToken: "adm-secret"})
	e.do("GET", "/_admin/state", nil).expectStatus(t, 401)
	e.do("GET", "/_admin/state", nil, "Authorization", "Bearer wrong").expectStatus(t, 401)
	e.do("GET", "/_admin/state", nil, "Authorization", "Bearer adm-secret").expect(t, 200, "")
	// The page takes the token once, into a cookie, and drops it from the address.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(e.url + "/?token=adm-secret")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Fatalf("the page's token: %d %v", resp.StatusCode, resp.Header)
	}
	e.do("GET", "/_admin/state", nil, "Cookie", strings.Split(cookie, ";")[0]).expect(t, 200, "")
	// OCAPI itself does not ask for it.
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 200, "")
}

func TestCORS(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	pre := func(origin string) *result {
		return e.do("OPTIONS", "/ocapi/v1/orders/"+firstOrder+"/vouchers", nil, "Origin", origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,authorization")
	}
	r := pre("http://localhost:5173")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") || r.header.Get("Access-Control-Allow-Headers") != "content-type,authorization" {
		t.Errorf("a loopback preflight: %d %v", r.status, r.header)
	}
	if r := pre("https://example.com"); r.status != 403 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin's preflight: %d %v", r.status, r.header)
	}
	r = e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil, "Origin", "http://127.0.0.1:3000")
	if r.header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:3000" || !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "Retry-After") {
		t.Errorf("a loopback call: %v", r.header)
	}
	set := newEnv(t, nil, mock.Options{AllowedOrigins: []string{"https://app.example.com"}})
	r = set.do("OPTIONS", "/connect/token", nil, "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("a configured origin: %d %v", r.status, r.header)
	}
	if r := set.do("OPTIONS", "/connect/token", nil, "Origin", "http://localhost:1", "Access-Control-Request-Method", "POST"); r.status != 403 {
		t.Errorf("loopback is not allowed once origins are given: %d", r.status)
	}
}

func TestValidateReportsInTheHeaderAndTheJournal(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	r := e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", `{"type":"Ticket","showtimeId":"0001-2681"}`)
	h := r.header.Get(mock.ViolationHeader)
	if !strings.HasPrefix(h, "1 (1 request, 0 response): request of OcapiOrderVouchers_AddVoucher at body /credentials: required") {
		t.Errorf("%s = %q", mock.ViolationHeader, h)
	}
	if r := e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil); r.header.Get(mock.ViolationHeader) != "" {
		t.Errorf("a good exchange reported %q", r.header.Get(mock.ViolationHeader))
	}
	j := e.journal("?path=/vouchers")
	v := j.Entries[0].Violations
	if len(v) != 1 || v[0].Operation != "OcapiOrderVouchers_AddVoucher" || v[0].Rule != "required" || v[0].Field != "body /credentials" {
		t.Errorf("the journal's violations: %+v", v)
	}
}

func TestServedDocumentHasTheAdminAPIUnderItsTag(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	var doc struct {
		Tags  []struct{ Name string }
		Paths map[string]map[string]json.RawMessage
	}
	e.do("GET", "/openapi.json", nil).decodeOK(t, &doc)
	tags := func(path, method string) []string {
		var op struct{ Tags []string }
		json.Unmarshal(doc.Paths[path][method], &op)
		return op.Tags
	}
	if got := tags("/_admin/faults/queue", "post"); len(got) != 1 || got[0] != mock.AdminTag {
		t.Errorf("the queue's tags: %v", got)
	}
	if got := tags("/ocapi/v1/orders/{orderId}/vouchers", "post"); len(got) != 1 || got[0] != "Vouchers" {
		t.Errorf("the contract's paths are not served: %v", got)
	}
	if doc.Tags[len(doc.Tags)-1].Name != mock.AdminTag {
		t.Errorf("tags = %+v", doc.Tags)
	}
}

// expectStatus checks the status alone: the admin API's errors are its own
// {"error": ...}, not the OCAPI mock's.
func (r *result) expectStatus(t testing.TB, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if status >= 400 {
		var e struct{ Error string }
		if json.Unmarshal(r.body, &e) != nil || len(e.Error) < 10 {
			t.Errorf("the refusal does not say why: %s", r.body)
		}
	}
}

// The page's query: the newest orders, each with its newest vouchers.
func TestStateTrimmedForThePage(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	newest := e.createOrder("0001")
	for _, b := range []string{"ADTMM0001001", "ADTMM0001002", "ADTMM0001003"} {
		e.addVoucher(newest, "Ticket", "0001-2681", b, nil)
	}
	var st mock.State
	e.do("GET", "/_admin/state?vouchers=none&orders=1&orderVouchers=2", nil).decodeOK(t, &st)
	if len(st.Orders) != 1 || st.Orders[0].ID != newest || st.Counts.Orders < 2 {
		t.Fatalf("orders=1: %+v of %d", st.Orders, st.Counts.Orders)
	}
	o := st.Orders[0]
	if o.VoucherCount != 3 || len(o.Vouchers) != 2 || o.Vouchers[1].MaskedBarcode != "AD......1003" || len(st.Vouchers) != 0 {
		t.Errorf("orderVouchers=2: %d of %d, newest %+v; vouchers %d", len(o.Vouchers), o.VoucherCount, o.Vouchers, len(st.Vouchers))
	}
	e.do("GET", "/_admin/state?orders=0", nil).expectStatus(t, 400)
	e.do("GET", "/_admin/state?vouchers=some", nil).expectStatus(t, 400)
}

// A reset replaces the world while requests run: each request sees the old
// world or the new one whole (go test -race checks the rest).
func TestResetWhileRequestsRun(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	done := make(chan struct{})
	errs := make(chan error, 8)
	for w := range 4 {
		go func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				r, err := e.try("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", fmt.Sprintf("ADTMM000%d", 1001+(w*7+i)%40), nil))
				if err != nil || (r.status != 200 && r.status != 400) {
					errs <- fmt.Errorf("an add during resets: %v %v", r, err)
					return
				}
			}
		}()
	}
	for range 20 {
		e.do("POST", "/_admin/reset", nil).expect(t, 200, "")
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	e.do("POST", "/_admin/reset", nil).expect(t, 200, "")
	if o := e.order(firstOrder); len(o.Vouchers) != 0 {
		t.Errorf("after the last reset the order holds %d vouchers", len(o.Vouchers))
	}
}

// The state's orders carry their seats as the order's own JSON does.
func TestStateShowsSeats(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	o := e.createOrder("0001")
	v := e.addVoucher(o, "Ticket", manualShowtime, "ADTMM0000111", "1234")
	e.setShowtime(o, manualShowtime, e.ids(manualShowtime, "F12", "F13"),
		tk{TicketTypeID: adultMMType, VoucherID: v}, tk{TicketTypeID: adultMMType, VoucherID: v}).expect(t, 200, "")
	var st struct {
		Orders []struct {
			ID        string `json:"id"`
			Showtimes []struct {
				ShowtimeID string      `json:"showtimeId"`
				Seats      []orderSeat `json:"seats"`
			} `json:"showtimes"`
		} `json:"orders"`
	}
	e.do("GET", "/_admin/state?vouchers=none", nil).decodeOK(t, &st)
	var held []string
	for _, so := range st.Orders {
		if so.ID != o {
			continue
		}
		for _, sh := range so.Showtimes {
			for _, s := range sh.Seats {
				held = append(held, s.RowLabel+s.SeatLabel)
			}
		}
	}
	if strings.Join(held, " ") != strings.Join(e.heldSeats(o, manualShowtime), " ") || len(held) != 2 {
		t.Errorf("the state holds seats %v; the order %v", held, e.heldSeats(o, manualShowtime))
	}
}
