package mock_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
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
// bare net/http handler (bareAdd), the floor. The mock runs under each soft memory limit it has run
// with: none (boxoffice mock's now) and the counter's 32 MiB (boxoffice
// mock's before). Target: the mock without a limit at least 0.7 times the
// bare handler.
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
	for _, limit := range []struct {
		name  string
		bytes int64
	}{{"none", math.MaxInt64}, {"32MiB", 32 << 20}} {
		b.Run("mock/memlimit="+limit.name, func(b *testing.B) {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit.bytes))
			// The data is loaded once per run, as a server loads it at start.
			e := newUncheckedEnv(b, d, mock.Options{})
			parallelAdds(b, e.url, perOrder, e.benchOrder, body)
		})
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
