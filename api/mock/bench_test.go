package mock_test

import (
	"encoding/json"
	"fmt"
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
