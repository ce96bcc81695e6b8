package mock_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

// benchDataJSON is the built-in demo data plus extra PIN-less vouchers, as a
// demo-data file.
func benchDataJSON(b *testing.B, extra int) []byte {
	b.Helper()
	d := mock.DefaultData()
	for i := range extra {
		d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: fmt.Sprintf("BENCH%06d", i), Type: "Ticket",
			VoucherTypeCode: "ADTMM", Description: "Adult Movie Money", Redemptions: 1})
	}
	raw, err := json.Marshal(d)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkStartDemoServer is what starting the demo server costs: the
// built-in demo data, or a demo-data file with 10,000 extra vouchers, parsed
// and checked, then the server built from it.
func BenchmarkStartDemoServer(b *testing.B) {
	now := func() time.Time { return time.Unix(1_800_000_000, 0) }
	b.Run("builtin", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mock.New(mock.DefaultData(), mock.Options{Now: now})
		}
	})
	raw := benchDataJSON(b, 10000)
	b.Run("file+10000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d, err := mock.ParseData("demo-data.json", raw)
			if err != nil {
				b.Fatal(err)
			}
			mock.New(d, mock.Options{Now: now})
		}
	})
}

// largeDataVouchers is the size of the demo-data file of a shared demo
// server that hands each of many counters vouchers of their own.
const largeDataVouchers = 50000

// BenchmarkMockLargeData is the standalone mock as a shared server: 32
// keep-alive clients adding vouchers with unique barcodes (all answered
// 200) to a mock loaded from a 50,000-voucher demo-data file, against a
// bare net/http handler (bareAdd), the floor. The mock runs as boxoffice
// mock runs it, with its request journal on (mock/journal); without the
// journal (mock/journal=off); with --validate (mock/validate); and under the
// counter's 32 MiB soft memory limit, as it ran once (mock/memlimit=32MiB).
// Target: mock/journal at least 0.7 times the bare handler; the ratio of
// mock/validate is reported.
func BenchmarkMockLargeData(b *testing.B) {
	raw := benchDataJSON(b, largeDataVouchers)
	d, err := mock.ParseData("demo-data.json", raw)
	if err != nil {
		b.Fatal(err)
	}
	// Worker w takes barcodes w, w+32, w+64 …, so no two of its adds to one
	// order are the same voucher.
	const workers = 32
	perOrder := largeDataVouchers / workers
	bodies := make([][]byte, largeDataVouchers)
	for i := range bodies {
		bodies[i], _ = json.Marshal(voucherBody("Ticket", "0001-2681", fmt.Sprintf("BENCH%06d", i), nil))
	}
	body := func(worker, k int) []byte { return bodies[(worker%workers+k*workers)%largeDataVouchers] }

	b.Run("bare", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(bareAdd))
		b.Cleanup(srv.Close)
		parallelAdds(b, srv.URL, perOrder, func() string { return "x" }, body)
	})
	for _, run := range []struct {
		name  string
		opts  mock.Options
		limit int64
	}{
		{"mock/journal", mock.Options{}, math.MaxInt64},
		{"mock/journal=off", mock.Options{JournalSize: -1}, math.MaxInt64},
		{"mock/validate", mock.Options{Validate: true}, math.MaxInt64},
		{"mock/memlimit=32MiB", mock.Options{}, 32 << 20},
	} {
		b.Run(run.name, func(b *testing.B) {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(run.limit))
			// The data is loaded once per run, as a server loads it at start.
			e := newBenchEnv(b, d, run.opts)
			parallelAdds(b, e.url, perOrder, e.benchOrder, body)
		})
	}
}

// BenchmarkPageUnderLoad is the live page while 32 clients add vouchers to
// the 50,000-voucher mock: one more client does what the page does, with
// the page's own queries: it listens to /_admin/events and on each change
// reads the state (the newest 12 orders, 8 vouchers each), the last twelve
// journal entries and the faults, in parallel, one refresh at a time. It
// reports how long a refresh takes (page-p50-ms, page-p99-ms) and how many
// it made a second, beside the adds' rate, which mock/journal of
// BenchmarkMockLargeData gives without the page. The page is responsive
// when a refresh ends well within the events' pace (150 ms).
func BenchmarkPageUnderLoad(b *testing.B) {
	d, err := mock.ParseData("demo-data.json", benchDataJSON(b, largeDataVouchers))
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([][]byte, largeDataVouchers)
	for i := range bodies {
		bodies[i], _ = json.Marshal(voucherBody("Ticket", "0001-2681", fmt.Sprintf("BENCH%06d", i), nil))
	}
	e := newBenchEnv(b, d, mock.Options{})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan []time.Duration)
	go func() { done <- pageRefreshes(b, ctx, e.url) }()
	parallelAdds(b, e.url, largeDataVouchers/32, e.benchOrder, func(w, k int) []byte { return bodies[(w%32+k*32)%largeDataVouchers] })
	stop()
	took := <-done
	if len(took) == 0 {
		b.Fatal("the page never refreshed")
	}
	slices.Sort(took)
	at := func(q float64) float64 {
		return float64(took[min(int(q*float64(len(took))), len(took)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "page-p50-ms")
	b.ReportMetric(at(0.99), "page-p99-ms")
	b.ReportMetric(float64(len(took))/b.Elapsed().Seconds(), "refreshes/s")
}

// pageQueries are the reads of one refresh of the page (page.html).
var pageQueries = []string{"/_admin/state?vouchers=none&orders=12&orderVouchers=8", "/_admin/journal?limit=12", "/_admin/faults"}

// pageRefreshes refreshes as the page does, on the change events, until
// ctx ends, and returns how long each refresh took.
func pageRefreshes(b *testing.B, ctx context.Context, url string) []time.Duration {
	client := &http.Client{}
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"/_admin/events", nil)
	resp, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return nil
	}
	changed := make(chan struct{}, 1)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == "event: change" {
				select {
				case changed <- struct{}{}:
				default: // a refresh is due already
				}
			}
		}
	}()
	var took []time.Duration
	for {
		select {
		case <-ctx.Done():
			return took
		case <-changed:
		}
		start := time.Now()
		var wg sync.WaitGroup
		for _, p := range pageQueries {
			wg.Go(func() {
				r, err := client.Get(url + p)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode != 200 {
					b.Errorf("GET %s: %d", p, r.StatusCode)
				}
			})
		}
		wg.Wait()
		took = append(took, time.Since(start))
	}
}

// bareAdd is the least an add handler does: decode the request, answer
// the voucher in JSON. It looks nothing up and keeps nothing.
func bareAdd(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Type        string `json:"type"`
		ShowtimeID  string `json:"showtimeId"`
		Credentials struct {
			Barcode string  `json:"barcode"`
			Pin     *string `json:"pin"`
		} `json:"credentials"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"voucher":              map[string]any{"id": "1", "type": req.Type, "maskedBarcode": req.Credentials.Barcode[len(req.Credentials.Barcode)-4:]},
		"availableRedemptions": 1,
	})
}

// BenchmarkServeAdd is one add through the handler, in-process with no
// network, so that what the journal and --validate cost per request shows
// apart from the machine's load: journal off, on (as boxoffice mock runs),
// and with --validate.
func BenchmarkServeAdd(b *testing.B) {
	d, err := mock.ParseData("demo-data.json", benchDataJSON(b, largeDataVouchers))
	if err != nil {
		b.Fatal(err)
	}
	bodies := make([][]byte, largeDataVouchers)
	for i := range bodies {
		bodies[i], _ = json.Marshal(voucherBody("Ticket", "0001-2681", fmt.Sprintf("BENCH%06d", i), nil))
	}
	for _, run := range []struct {
		name string
		opts mock.Options
	}{{"journal=off", mock.Options{JournalSize: -1}}, {"journal", mock.Options{}}, {"validate", mock.Options{Validate: true}}} {
		b.Run(run.name, func(b *testing.B) {
			srv := mock.New(d, run.opts)
			order := func() string {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest("POST", "/ocapi/v1/orders/standard/booking", strings.NewReader(`{"siteId":"0001","bookingMode":"Paid"}`)))
				var o struct{ Order struct{ ID string } }
				json.Unmarshal(rec.Body.Bytes(), &o)
				return o.Order.ID
			}
			id, n := order(), 0
			b.ReportAllocs()
			for b.Loop() {
				if n == largeDataVouchers {
					b.StopTimer()
					srv = mock.New(d, run.opts)
					id, n = order(), 0
					b.StartTimer()
				}
				req := httptest.NewRequest("POST", "/ocapi/v1/orders/"+id+"/vouchers", bytes.NewReader(bodies[n]))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("add %d: %d %s", n, rec.Code, rec.Body)
				}
				n++
			}
		})
	}
}

// BenchmarkServeSetTickets is one setting of a showtime's tickets through
// the handler, in-process with no network and no journal: tickets=4 is a
// couple at the counter (two tickets paid with vouchers), tickets=40 a
// group on an order that holds another showtime's tickets too, twenty of
// the forty paid with vouchers.
func BenchmarkServeSetTickets(b *testing.B) {
	d, err := mock.ParseData("demo-data.json", benchDataJSON(b, 100))
	if err != nil {
		b.Fatal(err)
	}
	serve := func(srv *mock.Server, method, path, body string, out any) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		if out != nil {
			if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, size := range []struct{ tickets, paid, elsewhere int }{{4, 2, 0}, {40, 20, 10}} {
		b.Run(fmt.Sprintf("tickets=%d", size.tickets), func(b *testing.B) {
			srv := mock.New(d, mock.Options{JournalSize: -1})
			var o struct{ Order struct{ ID string } }
			serve(srv, "POST", "/ocapi/v1/orders/standard/booking", `{"siteId":"0001","bookingMode":"Paid"}`, &o)
			path := "/ocapi/v1/orders/" + o.Order.ID
			var tickets []tk
			for i := range size.paid {
				var a addResp
				body, _ := json.Marshal(voucherBody("Ticket", "0001-2681", fmt.Sprintf("BENCH%06d", i), nil))
				serve(srv, "POST", path+"/vouchers", string(body), &a)
				tickets = append(tickets, tk{TicketTypeID: "0001-0077", VoucherID: a.Voucher.ID})
			}
			for len(tickets) < size.tickets {
				tickets = append(tickets, tk{TicketTypeID: "0001-0050"})
			}
			if size.elsewhere > 0 {
				elsewhere, _ := json.Marshal(map[string]any{"tickets": slices.Repeat([]tk{{TicketTypeID: "0001-0051"}}, size.elsewhere), "seats": nil})
				serve(srv, "PUT", path+"/showtimes/0001-2678", string(elsewhere), nil)
			}
			body, _ := json.Marshal(map[string]any{"tickets": tickets, "seats": nil})
			b.ReportAllocs()
			for b.Loop() {
				serve(srv, "PUT", path+"/showtimes/0001-2681", string(body), nil)
			}
		})
	}
}
