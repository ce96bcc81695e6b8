package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

func authData() *mock.Data {
	d := mock.DefaultData()
	d.Auth = &mock.Auth{
		Tokens:               []string{"pre-issued-token"},
		Users:                []mock.User{{Username: "counter1", Password: "s3cret"}},
		TokenLifetimeSeconds: 60,
	}
	return d
}

func (e *env) token(form url.Values) *result {
	e.t.Helper()
	resp, err := e.client.PostForm(e.url+"/connect/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &result{status: resp.StatusCode, header: resp.Header, body: b}
}

func passwordForm(user, password string) url.Values {
	return url.Values{"grant_type": {"password"}, "client_id": {"boxoffice"}, "username": {user}, "password": {password}}
}

type tokenResp struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

func TestAuth(t *testing.T) {
	e := newEnv(t, authData(), mock.Options{})
	path := "/ocapi/v1/orders/" + firstOrder

	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "Basic pre-issued-token"}, {"Authorization", "Bearer "}} {
		r := e.do("GET", path, nil, h...)
		r.expect(t, 401, "Unauthorized")
		if r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("401 without WWW-Authenticate")
		}
	}
	e.do("GET", path, nil, "Authorization", "Bearer pre-issued-token").expect(t, 200, "")
	e.do("GET", path, nil, "Authorization", "bearer pre-issued-token").expect(t, 200, "")
	// Auth is checked before anything else about the call.
	e.do("GET", "/ocapi/v1/orders/nope", nil).expect(t, 401, "Unauthorized")

	refusals := []struct {
		name string
		form url.Values
		want string
	}{
		{"wrong password", passwordForm("counter1", "nope"), "invalid_grant"},
		{"unknown user", passwordForm("someone", "s3cret"), "invalid_grant"},
		{"no user", passwordForm("", ""), "invalid_grant"},
		{"other grant", url.Values{"grant_type": {"client_credentials"}, "client_id": {"boxoffice"}}, "invalid_grant"},
		{"no client id", url.Values{"grant_type": {"password"}, "username": {"counter1"}, "password": {"s3cret"}}, "invalid_client"},
	}
	for _, rf := range refusals {
		r := e.token(rf.form)
		var body struct {
			Error string `json:"error"`
		}
		r.decode(t, &body)
		if r.status != 400 || body.Error != rf.want {
			t.Errorf("%s: %d %s, want 400 %s", rf.name, r.status, r.body, rf.want)
		}
		if strings.Contains(string(r.body), "s3cret") {
			t.Errorf("%s: answer shows the password", rf.name)
		}
	}

	var tok tokenResp
	e.token(passwordForm("counter1", "s3cret")).decodeOK(t, &tok)
	if tok.TokenType != "Bearer" || tok.AccessToken == "" || tok.ExpiresIn != 60 {
		t.Fatalf("token = %+v", tok)
	}
	bearer := []string{"Authorization", "Bearer " + tok.AccessToken}
	e.do("GET", path, nil, bearer...).expect(t, 200, "")
	e.clock.Advance(59 * time.Second)
	e.do("GET", path, nil, bearer...).expect(t, 200, "")
	e.clock.Advance(time.Second)
	e.do("GET", path, nil, bearer...).expect(t, 401, "Unauthorized")
	// Pre-issued tokens do not expire.
	e.do("GET", path, nil, "Authorization", "Bearer pre-issued-token").expect(t, 200, "")

	var again tokenResp
	e.token(passwordForm("counter1", "s3cret")).decodeOK(t, &again)
	if again.AccessToken == tok.AccessToken {
		t.Error("a new token repeats the old one")
	}
}

func TestNoAuthBlock(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 200, "")
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil, "Authorization", "Bearer anything").expect(t, 200, "")
	var tok tokenResp
	e.token(passwordForm("anyone", "anything")).decodeOK(t, &tok)
	if tok.ExpiresIn != 43200 || tok.AccessToken == "" {
		t.Errorf("token = %+v", tok)
	}
	d := authData()
	d.Auth.TokenLifetimeSeconds = 0
	e2 := newEnv(t, d, mock.Options{})
	e2.token(passwordForm("counter1", "s3cret")).decodeOK(t, &tok)
	if tok.ExpiresIn != 43200 {
		t.Errorf("default lifetime = %d, want 43200", tok.ExpiresIn)
	}
}

// An unknown region's 400 is the mock's choice: Vista documents the header,
// not what a tenant answers to a code it does not serve.
func TestRegions(t *testing.T) {
	d := mock.DefaultData()
	d.Regions = []string{"NZ", "AU"}
	e := newUncheckedEnv(t, d, mock.Options{})
	path := "/ocapi/v1/showtimes/0001-2681"
	e.do("GET", path, nil).expect(t, 200, "")
	e.do("GET", path, nil, "Connect-Region-Code", "NZ").expect(t, 200, "")
	e.do("GET", path, nil, "connect-region-code", "au").expect(t, 200, "")
	e.do("GET", path, nil, "Connect-Region-Code", "US").expect(t, 400, "UnknownRegion")

	// Without a regions list the header is not looked at.
	plain := newEnv(t, nil, mock.Options{})
	plain.do("GET", path, nil, "Connect-Region-Code", "US").expect(t, 200, "")

	// An empty list knows no region at all.
	d2 := mock.DefaultData()
	d2.Regions = []string{}
	none := newUncheckedEnv(t, d2, mock.Options{})
	none.do("GET", path, nil, "Connect-Region-Code", "NZ").expect(t, 400, "UnknownRegion")
	none.do("GET", path, nil).expect(t, 200, "")
}

func TestShowtime(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	r := e.do("GET", "/ocapi/v1/showtimes/0001-2681", nil)
	var got struct {
		Showtime struct {
			ID, FilmID, SiteID, ScreenID string
			Schedule                     struct{ BusinessDate, StartsAt, EndsAt string }
		}
		RelatedData struct {
			Films []struct {
				ID    string
				Title struct {
					Text         string
					Translations []any
				}
			}
			Screens, Sites []struct {
				ID   string
				Name struct{ Text string }
			}
		}
	}
	r.decodeOK(t, &got)
	st := got.Showtime
	if st.ID != "0001-2681" || st.FilmID != "HO00000101" || st.SiteID != "0001" || st.ScreenID != "0001-01" ||
		st.Schedule.BusinessDate != "2026-11-28" || st.Schedule.StartsAt != "2026-11-28T19:30:00+13:00" || st.Schedule.EndsAt != "2026-11-28T21:45:00+13:00" {
		t.Errorf("showtime = %+v", st)
	}
	rd := got.RelatedData
	if len(rd.Films) != 1 || rd.Films[0].Title.Text != "The Long Night" || rd.Films[0].Title.Translations == nil ||
		rd.Screens[0].Name.Text != "Screen 1" || rd.Sites[0].Name.Text != "Riverside Cinema" {
		t.Errorf("relatedData = %+v", rd)
	}
	e.do("GET", "/ocapi/v1/showtimes/0009-0001", nil).expect(t, 404, "ShowtimeNotFound")
}

func TestTicketPrices(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	r := e.do("GET", "/ocapi/v1/showtimes/0001-2681/ticket-prices", nil)
	var got struct {
		TicketPrices []struct {
			TicketTypeID     string
			Price            money
			Restrictions     []string
			VoucherTypeCodes []string
		}
		RelatedData struct {
			TicketTypes []struct {
				ID          string
				Description struct{ Text string }
			}
		}
	}
	r.decodeOK(t, &got)
	// A ticket type may be listed more than once, as Vista lists member and
	// discount prices: each listing is kept, in order.
	prices := map[string][]string{}
	for _, p := range got.TicketPrices {
		if p.Restrictions == nil || p.VoucherTypeCodes == nil {
			t.Errorf("%s: restrictions and voucherTypeCodes must be lists, not null", p.TicketTypeID)
		}
		prices[p.TicketTypeID] = append(prices[p.TicketTypeID], fmt.Sprint(p.Price.ValueIncludingTax, p.Restrictions, p.VoucherTypeCodes))
	}
	if fmt.Sprint(prices["0001-0050"]) != "[19.5 [] [] 15 [Member] [] 16.5 [Discount] []]" ||
		fmt.Sprint(prices["0001-0077"]) != "[0 [Voucher] [ADTMM]]" || fmt.Sprint(prices["0001-0051"]) != "[12 [] [] 9 [MemberReward] []]" {
		t.Errorf("prices = %v", prices)
	}
	names := map[string]string{}
	for _, tt := range got.RelatedData.TicketTypes {
		names[tt.ID] = tt.Description.Text
	}
	if names["0001-0050"] != "Adult" || names["0001-0077"] != "Adult Movie Money" || len(names) != len(prices) {
		t.Errorf("ticket types = %v", names)
	}
	e.do("GET", "/ocapi/v1/showtimes/0009-0001/ticket-prices", nil).expect(t, 404, "ShowtimeNotFound")
	e.do("GET", "/ocapi/v1/showtimes/0001-2681/seats", nil).expect(t, 404, "NotFound")
}

func TestShowtimesByBusinessDate(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	tests := []struct {
		query string
		want  string
	}{
		{"2026-11-28?siteIds=0001", "0001-2675 0001-2678 0001-2685 0001-2681 0001-2690 0001-2695 0001-2740 0001-2741 0001-2742"},
		{"2026-11-28?siteIds=0002", "0002-3101 0002-3102"},
		{"2026-11-28?siteIds=0001,0002&filmIds=HO00000101", "0001-2681 0002-3101 0001-2740"},
		{"2026-11-28?siteIds=0001&siteIds=0002&filmIds=HO00000104", "0001-2695 0001-2742 0002-3102"},
		{"2026-11-29?siteIds=0002", "0002-3111 0002-3110 0002-3115"},
		{"2026-11-30?siteIds=0002", ""},
		{"2026-11-28?siteIds=0009", ""},
		{"2031-01-01", ""},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			r := e.do("GET", "/ocapi/v1/showtimes/by-business-date/"+tc.query, nil)
			var got struct {
				Showtimes []struct {
					ID       string
					SiteID   string
					FilmID   string
					Schedule struct{ BusinessDate string }
				}
				RelatedData struct {
					Films, Screens, Sites []struct{ ID string }
				}
			}
			r.decodeOK(t, &got)
			var ids []string
			films := map[string]bool{}
			for _, st := range got.Showtimes {
				ids = append(ids, st.ID)
				films[st.FilmID] = true
				if st.Schedule.BusinessDate != tc.query[:10] {
					t.Errorf("%s has business date %s", st.ID, st.Schedule.BusinessDate)
				}
			}
			if strings.Join(ids, " ") != tc.want {
				t.Errorf("showtimes = %v, want %s", ids, tc.want)
			}
			if len(got.RelatedData.Films) != len(films) {
				t.Errorf("related films = %v, want one per film %v", got.RelatedData.Films, films)
			}
			if tc.want == "" && !bytes.Contains(r.body, []byte(`"showtimes":[]`)) {
				t.Errorf("no showtimes must be [], got %s", r.body)
			}
		})
	}
	for _, bad := range []string{"2026-13-01", "28-11-2026", "today", "2026-11-28T00:00:00Z"} {
		e.do("GET", "/ocapi/v1/showtimes/by-business-date/"+bad, nil).expect(t, 400, "InvalidBusinessDate")
	}
}

func TestRouting(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	e.do("GET", "/ocapi/v1/nothing", nil).expect(t, 404, "NotFound")
	e.do("GET", "/index.html", nil).expect(t, 404, "NotFound")
	e.do("GET", "/ocapi/v1/orders/"+firstOrder+"/vouchers/x/y", nil).expect(t, 404, "NotFound")
	for _, c := range []struct{ method, path, allow string }{
		{"PATCH", "/ocapi/v1/orders/" + firstOrder, "DELETE"},
		{"GET", "/ocapi/v1/orders/" + firstOrder + "/vouchers", "POST"},
		{"POST", "/ocapi/v1/showtimes/0001-2681", "GET"},
		{"GET", "/connect/token", "POST"},
	} {
		r := e.do(c.method, c.path, nil)
		r.expect(t, 405, "MethodNotAllowed")
		if !strings.Contains(r.header.Get("Allow"), c.allow) {
			t.Errorf("%s %s: Allow = %q, want it to list %s", c.method, c.path, r.header.Get("Allow"), c.allow)
		}
	}
}

func TestRequestLog(t *testing.T) {
	var log testkit.Buffer
	e := newEnv(t, nil, mock.Options{Log: &log})
	e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "9999")).expect(t, 400, "InvalidPin")
	e.do("GET", "/ocapi/v1/vouchers/ADTMM0000111?pin=1234", nil).expect(t, 404, "NotFound")
	e.do("DELETE", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 204, "")

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("log has %d lines, want one per request:\n%s", len(lines), log.String())
	}
	wants := []string{
		" POST /ocapi/v1/orders/" + firstOrder + "/vouchers 200 ",
		" POST /ocapi/v1/orders/" + firstOrder + "/vouchers 400 ",
		" GET /ocapi/v1/vouchers/AD......0111 404 ",
		" DELETE /ocapi/v1/orders/" + firstOrder + " 204 ",
	}
	for i, want := range wants {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %q, want it to contain %q", i, lines[i], want)
		}
	}
	for _, secret := range []string{"ADTMM0000111", "ADTMM0000222", "1234", "9999", "credentials"} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("log shows %q:\n%s", secret, log.String())
		}
	}
}

func TestStart(t *testing.T) {
	run, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(run.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q", run.URL)
	}
	resp, err := http.Get(run.URL + "/ocapi/v1/showtimes/0001-2681")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status = %d", resp.StatusCode)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := run.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := client.Get(run.URL + "/ocapi/v1/showtimes/0001-2681"); err == nil {
		t.Error("server still answers after Close")
	}

	if _, err := mock.Start("127.0.0.1:notaport", http.NotFoundHandler()); err == nil || !strings.Contains(err.Error(), "127.0.0.1:notaport") {
		t.Errorf("bad address: %v", err)
	}
}

// A client's connection that never sent a request must not hold up Close:
// http.Server.Shutdown alone waits five seconds for one.
func TestCloseDoesNotWaitForUnusedConnections(t *testing.T) {
	run, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(run.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	resp, err := http.Get(run.URL + "/ocapi/v1/showtimes/0001-2681")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with an unused connection open", d)
	}
}

// outcome runs one request and names what the client saw.
func (e *env) outcome(method, path string, body any) string {
	r, err := e.try(method, path, body)
	switch {
	case err != nil:
		return "lost"
	case r.status == 503:
		var eb errBody
		json.Unmarshal(r.body, &eb)
		return "503 " + eb.ErrorCode
	}
	return fmt.Sprint(r.status)
}

func TestFaultsAreDeterministic(t *testing.T) {
	run := func(seed int64) []string {
		e := newEnv(t, nil, mock.Options{Faults: mock.Faults{Error: 0.3, Drop: 0.2, Seed: seed}})
		var seen []string
		for range 40 {
			seen = append(seen, e.outcome("GET", "/ocapi/v1/showtimes/0001-2681", nil))
		}
		return seen
	}
	a, b, c := run(7), run(7), run(8)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if fmt.Sprint(a) == fmt.Sprint(c) {
		t.Errorf("seeds 7 and 8 gave the same faults: %v", a)
	}
	count := map[string]int{}
	for _, o := range a {
		count[o]++
	}
	if count["200"] == 0 || count["503 ServiceUnavailable"] == 0 || count["lost"] == 0 {
		t.Errorf("outcomes %v: want all three kinds in 40 requests", count)
	}
}

func TestFaultErrorDoesNotApply(t *testing.T) {
	e := newEnv(t, nil, mock.Options{Faults: mock.Faults{Error: 1}})
	got := e.outcome("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"))
	if got != "503 ServiceUnavailable" {
		t.Fatalf("outcome = %s", got)
	}
	// The token endpoint is not part of the faulty API.
	e.token(passwordForm("a", "b")).expect(t, 200, "")
	mock.SetFaults(e.srv, mock.Faults{})
	if v := e.order(firstOrder).Vouchers; len(v) != 0 {
		t.Errorf("a 503 applied the change: %+v", v)
	}
}

func TestFaultDropAppliesThenCloses(t *testing.T) {
	e := newEnv(t, nil, mock.Options{Faults: mock.Faults{Drop: 1}})
	_, err := e.try("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234"))
	if err == nil {
		t.Fatal("a dropped request got an answer")
	}
	mock.SetFaults(e.srv, mock.Faults{})
	v := e.order(firstOrder).Vouchers
	if len(v) != 1 || v[0].MaskedBarcode != "AD......0111" {
		t.Fatalf("the dropped add was not applied: %+v", v)
	}
	// What a client does next after a lost answer: the retry is refused as a duplicate.
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234")).expect(t, 400, "VoucherAlreadyOnOrder")
}

func TestFaultDropIsLogged(t *testing.T) {
	var log testkit.Buffer
	e := newEnv(t, nil, mock.Options{Faults: mock.Faults{Drop: 1}, Log: &log})
	if _, err := e.try("GET", "/ocapi/v1/orders/"+firstOrder, nil); err == nil {
		t.Fatal("a dropped request got an answer")
	}
	if !strings.Contains(log.String(), " 200 dropped ") {
		t.Errorf("log = %q", log.String())
	}
}

func TestFaultLatency(t *testing.T) {
	e := newEnv(t, nil, mock.Options{Faults: mock.Faults{Latency: 50 * time.Millisecond}})
	start := time.Now()
	e.do("GET", "/ocapi/v1/showtimes/0001-2681", nil).expect(t, 200, "")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answer came after %v, want at least the latency", d)
	}
	start = time.Now()
	e.token(passwordForm("a", "b")).expect(t, 200, "")
	if d := time.Since(start); d >= 50*time.Millisecond {
		t.Errorf("token endpoint was delayed %v", d)
	}
}

func TestConcurrentAdds(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	e.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second}
	const workers = 50
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for w := range workers {
		wg.Go(func() {
			for i := range 2 {
				barcode := fmt.Sprintf("ADTMM%07d", 1001+w*2+i)
				r, err := e.try("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", barcode, nil))
				if err != nil || r.status != 200 {
					errs <- fmt.Sprintf("add %s: %v %v", barcode, err, r)
				}
			}
			// Everyone also races for the same voucher, reads the order and opens one.
			if r, err := e.try("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000444", nil)); err != nil {
				errs <- err.Error()
			} else {
				errs <- fmt.Sprint("race ", r.status)
			}
			if r, err := e.try("GET", "/ocapi/v1/orders/"+firstOrder, nil); err != nil || r.status != 200 {
				errs <- fmt.Sprintf("get: %v", err)
			}
			if r, err := e.try("POST", "/ocapi/v1/orders/standard/booking", map[string]string{"siteId": "0002", "bookingMode": "Paid"}); err != nil || r.status != 200 {
				errs <- fmt.Sprintf("create: %v", err)
			}
		})
	}
	wg.Wait()
	close(errs)
	wins := 0
	for msg := range errs {
		switch msg {
		case "race 200":
			wins++
		case "race 400":
		default:
			t.Error(msg)
		}
	}
	if wins != 1 {
		t.Errorf("the same voucher was added %d times", wins)
	}
	o := e.order(firstOrder)
	ids := map[string]bool{}
	for _, v := range o.Vouchers {
		ids[v.ID] = true
	}
	if len(o.Vouchers) != 2*workers+1 || len(ids) != len(o.Vouchers) {
		t.Errorf("order has %d vouchers (%d distinct ids), want %d", len(o.Vouchers), len(ids), 2*workers+1)
	}
}

// BenchmarkAddVoucherParallel measures voucher adds from 32 concurrent
// clients, each on its own order, over loopback HTTP: adds per second, and
// the median and 99th-percentile time of one add as its client saw it.
func BenchmarkAddVoucherParallel(b *testing.B) {
	const pool = 2000
	d := mock.DefaultData()
	for i := range pool {
		d.Vouchers = append(d.Vouchers, mock.Voucher{
			Barcode: fmt.Sprintf("BENCH%06d", i), Pin: ptr("1234"), Type: "Ticket",
			VoucherTypeCode: "ADTMM", Description: "Adult Movie Money", Redemptions: 1,
		})
	}
	e := newBenchEnv(b, d, mock.Options{})
	bodies := make([][]byte, pool)
	for i := range bodies {
		bodies[i], _ = json.Marshal(voucherBody("Ticket", "0001-2681", fmt.Sprintf("BENCH%06d", i), "1234"))
	}
	parallelAdds(b, e.url, pool, e.benchOrder, func(_, k int) []byte { return bodies[k] })
}

// benchOrder is a new order with a ticket the bench vouchers can pay for.
func (e *env) benchOrder() string {
	id := e.createOrder("0001")
	e.setTickets(id, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(e.t, 200, "")
	return id
}

// parallelAdds sends adds from 32 concurrent keep-alive clients to url
// until the benchmark has its b.N, each client on an order of its own from
// newOrder, replaced after perOrder adds; body(worker, k) is the worker's
// k-th add on its order. It reports adds/s and each add's p50 and p99 as
// its client saw them; anything but 200 fails the benchmark.
func parallelAdds(b *testing.B, url string, perOrder int, newOrder func() string, body func(worker, k int) []byte) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	var latMu sync.Mutex
	var latencies []time.Duration
	var workers atomic.Int64
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		worker := int(workers.Add(1)) - 1
		orderID, next := "", perOrder
		var mine []time.Duration
		defer func() {
			latMu.Lock()
			latencies = append(latencies, mine...)
			latMu.Unlock()
		}()
		for pb.Next() {
			if next == perOrder {
				orderID, next = newOrder(), 0
			}
			start := time.Now()
			resp, err := client.Post(url+"/ocapi/v1/orders/"+orderID+"/vouchers", "application/json", bytes.NewReader(body(worker, next)))
			next++
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mine = append(mine, time.Since(start))
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "adds/s")
	if len(latencies) > 0 {
		slices.Sort(latencies)
		at := func(q float64) float64 {
			return float64(latencies[min(int(q*float64(len(latencies))), len(latencies)-1)].Microseconds()) / 1000
		}
		b.ReportMetric(at(0.50), "p50-ms")
		b.ReportMetric(at(0.99), "p99-ms")
	}
}

// The mock hands out the contract it is held to, for integrators' tools.
func TestServesTheContract(t *testing.T) {
	d := mock.DefaultData()
	d.Auth = &mock.Auth{Tokens: []string{"t"}} // the document needs no token
	e := newEnv(t, d, mock.Options{Faults: mock.Faults{Error: 1}})
	r := e.do("GET", "/openapi.json", nil)
	r.expect(t, 200, "")
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	r.decode(t, &doc)
	if doc.OpenAPI != "3.0.3" || doc.Paths["/ocapi/v1/orders/{orderId}/vouchers"]["post"] == nil {
		t.Errorf("openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
}

// The request log cannot be made to drive a terminal: control characters in
// a path are escaped.
func TestRequestLogEscapesControlCharacters(t *testing.T) {
	var log testkit.Buffer
	e := newEnv(t, nil, mock.Options{Log: &log})
	e.do("GET", "/ocapi/v1/orders/%1b%5b31mred%07", nil).expect(t, 404, "OrderNotFound")
	line := log.String()
	if strings.ContainsAny(line, "\x1b\x07") || !strings.Contains(line, `/ocapi/v1/orders/\x1b[31mred\a`) {
		t.Fatalf("log line = %q", line)
	}
}

// Every route's body is bounded.
func TestRequestBodiesAreBounded(t *testing.T) {
	e := newEnv(t, nil, mock.Options{})
	// The server stops reading past the limit, so a client still sending
	// may see its connection closed before the refusal: either is a refusal.
	refused := func(what string, r *result, err error, code string) {
		t.Helper()
		switch {
		case err != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)):
		case err != nil:
			t.Fatalf("%s: %v", what, err)
		default:
			r.expect(t, 400, code)
		}
	}
	big := `{"siteId":"0001","bookingMode":"Paid","x":"` + strings.Repeat("a", 2<<20) + `"}`
	r, err := e.try("POST", "/ocapi/v1/orders/standard/booking", big)
	refused("an oversized order", r, err, "InvalidRequest")
	form := "grant_type=password&username=" + strings.Repeat("a", 2<<20)
	r, err = e.try("POST", "/connect/token", form, "Content-Type", "application/x-www-form-urlencoded")
	if err == nil && (r.status < 400 || r.status >= 500) {
		t.Fatalf("an oversized token request answered %d", r.status)
	}
	if err != nil && !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("an oversized token request: %v", err)
	}
}
