package proxy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

// benchVouchers is how many PIN-less vouchers the benchmark's mock has:
// one per add of a round, so that every add is a new voucher on its order
// and is answered 200.
const benchVouchers = 200

// BenchmarkProxyAdd is what the proxy adds to a voucher add on loopback,
// with validation on (it always is): each round starts two orders on a
// mock and adds the same 200 vouchers to each, one add straight to the
// mock, the next through the proxy, in turn, so that the machine's drift
// lands on both alike. It reports the medians and the difference of the
// medians (added-p50-ms; target at most 1 ms), and the 90th percentiles.
// Every exchange through the proxy is analysed before a round ends: a
// round waits for the report to count them.
func BenchmarkProxyAdd(b *testing.B) {
	d := mock.DefaultData()
	bodies := make([]string, benchVouchers)
	for i := range bodies {
		barcode := fmt.Sprintf("BENCH%06d", i)
		d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: barcode, Type: "Ticket", VoucherTypeCode: "ADTMM",
			Description: "Adult Movie Money", Redemptions: 1})
		bodies[i] = `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"` + barcode + `","pin":null}}`
	}
	upstream, err := mock.Start("127.0.0.1:0", mock.New(d, mock.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	defer upstream.Close(context.Background())
	u, _ := url.Parse(upstream.URL)
	p, err := New(Options{Upstream: u})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	served, err := mock.Start("127.0.0.1:0", p)
	if err != nil {
		b.Fatal(err)
	}
	defer served.Close(context.Background())

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	add := func(base, order, body string) time.Duration {
		req, _ := http.NewRequest("POST", base+"/ocapi/v1/orders/"+order+"/vouchers", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer bench-token")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("an add answered %d", resp.StatusCode)
		}
		return took
	}
	var direct, proxied []time.Duration
	passed := 0
	for b.Loop() {
		orderA, orderB := benchOrder(b, client, upstream.URL), benchOrder(b, client, upstream.URL)
		for i, body := range bodies {
			direct = append(direct, add(upstream.URL, orderA, body))
			proxied = append(proxied, add(served.URL, orderB, bodies[i]))
		}
		passed += len(bodies)
		if r := p.Report(); r.Counts.Exchanges != passed || len(r.Violations) != 0 {
			b.Fatalf("the proxy analysed %d of %d adds, with violations %+v", r.Counts.Exchanges, passed, r.Violations)
		}
	}
	dp50, pp50 := percentile(direct, 50), percentile(proxied, 50)
	b.ReportMetric(ms(dp50), "direct-p50-ms")
	b.ReportMetric(ms(pp50), "proxy-p50-ms")
	b.ReportMetric(ms(pp50-dp50), "added-p50-ms")
	b.ReportMetric(ms(percentile(direct, 90)), "direct-p90-ms")
	b.ReportMetric(ms(percentile(proxied, 90)), "proxy-p90-ms")
}

func benchOrder(b *testing.B, client *http.Client, base string) string {
	resp, err := client.Post(base+"/ocapi/v1/orders/standard/booking", "application/json", strings.NewReader(`{"siteId":"0001","bookingMode":"Paid"}`))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Order struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Order.ID == "" {
		b.Fatalf("a new order: %d %v", resp.StatusCode, err)
	}
	return out.Order.ID
}

func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkAnalyseAdd is the analysis of one voucher add and its answer,
// off the client's path: validation of both sides, every rule, the shapes.
func BenchmarkAnalyseAdd(b *testing.B) {
	u, _ := url.Parse("https://tenant.example")
	a, err := newAnalyzer(Options{Upstream: u})
	if err != nil {
		b.Fatal(err)
	}
	s := addStep(addBody("ADTMM0000111"), 200, voucherJSON("v1", "AD......0111"))
	b.ReportAllocs()
	var seq uint64
	for b.Loop() {
		seq++
		a.analyse(s.exchange(seq))
	}
}
