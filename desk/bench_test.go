package desk

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"
)

// The order load the counter does the first time it opens an order in a
// run (the counter's order load): the GET of the order, then the journal's restore
// of what each voucher can still pay for. The order holds 10,000 vouchers,
// all attached by this counter today (two lines each); a load without the
// journal is the floor the others are set against, in the same run.
//
//	go test -run '^$' -bench 'OrderLoad|Restore10k' -count 5 ./desk/
//	go test -run '^$' -bench OrderLoadRatio -benchtime 20x -count 5 ./desk/
//
// journal=year adds a busy counter's year of rotated files beside today's:
// 365 days of 1,000 scans (about 460 KB a day, 168 MB in all) of other
// customers' orders, as the journal rotates them.

const (
	benchVouchers    = 10000
	benchHistoryDays = 365
	benchScansPerDay = 1000
)

func BenchmarkOrderLoad(b *testing.B) {
	client, orderID, lines := benchBigOrder(b)
	today := filepath.Join(b.TempDir(), "journal.jsonl")
	writeBenchLines(b, today, lines)
	yearDir := b.TempDir()
	year := filepath.Join(yearDir, "journal.jsonl")
	writeBenchLines(b, year, lines)
	writeBenchHistory(b, year, time.Now())

	for _, tt := range []struct{ name, path string }{{"none", ""}, {"today", today}, {"year", year}} {
		b.Run("journal="+tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if restored := benchLoad(b, client, orderID, tt.path); tt.path != "" && restored != benchVouchers {
					b.Fatalf("restored %d vouchers, want %d", restored, benchVouchers)
				}
			}
		})
	}
}

// BenchmarkOrderLoadRatio takes the three loads of BenchmarkOrderLoad in
// turn in every iteration, so that each sample of a load has a floor taken
// a moment before or after it: on a shared machine, separate benchmarks a
// few seconds apart differ by more than the journal costs. It reports the
// median of each load (floor-ms, today-ms, year-ms) and their ratios to the
// floor; its ns/op is the three loads together.
func BenchmarkOrderLoadRatio(b *testing.B) {
	client, orderID, lines := benchBigOrder(b)
	today := filepath.Join(b.TempDir(), "journal.jsonl")
	writeBenchLines(b, today, lines)
	year := filepath.Join(b.TempDir(), "journal.jsonl")
	writeBenchLines(b, year, lines)
	writeBenchHistory(b, year, time.Now())
	paths := []string{"", today, year}
	took := make([][]time.Duration, len(paths))
	i := 0
	for b.Loop() {
		// Each load comes first in one iteration of three, so that none
		// always follows the garbage of another.
		for k := range paths {
			p := (i + k) % len(paths)
			start := time.Now()
			benchLoad(b, client, orderID, paths[p])
			took[p] = append(took[p], time.Since(start))
		}
		i++
	}
	floor := median(took[0])
	b.ReportMetric(float64(floor)/1e6, "floor-ms")
	for k, name := range []string{"today", "year"} {
		load := median(took[k+1])
		b.ReportMetric(float64(load)/1e6, name+"-ms")
		b.ReportMetric(float64(load)/float64(floor), name+"/floor")
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkRestore10k is the restore alone, from the same journals.
func BenchmarkRestore10k(b *testing.B) {
	_, orderID, lines := benchBigOrder(b)
	today := filepath.Join(b.TempDir(), "journal.jsonl")
	writeBenchLines(b, today, lines)
	year := filepath.Join(b.TempDir(), "journal.jsonl")
	writeBenchLines(b, year, lines)
	writeBenchHistory(b, year, time.Now())
	for _, tt := range []struct{ name, path string }{{"today", today}, {"year", year}} {
		b.Run("journal="+tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				states, err := journal.Restore(tt.path, orderID)
				if err != nil || len(states) != benchVouchers {
					b.Fatalf("%d restored, %v", len(states), err)
				}
			}
		})
	}
}

// benchLoad is loadOrderCmd's work: the order, then (with a journal) what
// each voucher the journal remembers can still pay for.
func benchLoad(b *testing.B, client *api.Client, orderID, journalPath string) int {
	resp, err := client.GetOrder(context.Background(), orderID)
	if err != nil || len(resp.Order.Vouchers) != benchVouchers {
		b.Fatalf("GET order: %v", err)
	}
	if journalPath == "" {
		return 0
	}
	states, err := journal.Restore(journalPath, orderID)
	if err != nil {
		b.Fatal(err)
	}
	restored := make(map[string]int, len(states))
	for id, st := range states {
		if !st.Removed && st.AvailableRedemptions != nil {
			restored[id] = *st.AvailableRedemptions
		}
	}
	return len(restored)
}

var benchOrder struct {
	client *api.Client
	srv    *httptest.Server
	id     string
	lines  []journal.Entry
}

// benchBigOrder is an order of the mock with 10,000 vouchers attached, and
// the journal lines the counter wrote for them over the last two hours.
// It is built once per process: 10,000 adds take a while.
func benchBigOrder(b *testing.B) (*api.Client, string, []journal.Entry) {
	b.Helper()
	if benchOrder.client != nil {
		return benchOrder.client, benchOrder.id, benchOrder.lines
	}
	d := mock.DefaultData()
	for i := range benchVouchers {
		d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: fmt.Sprintf("BENCH%06d", i), Type: "Ticket",
			VoucherTypeCode: "ADTMM", Description: "Adult Movie Money", Redemptions: 1})
	}
	// The server outlives each benchmark function: it is shared by all of
	// them in this process.
	srv := httptest.NewServer(mock.New(d, mock.Options{}))
	client, err := api.New(api.Options{BaseURL: srv.URL, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	o, err := client.CreateOrder(ctx, "0001", api.BookingPaid)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := client.SetShowtimeTickets(ctx, o.Order.ID, "0001-2681", nil); err != nil {
		b.Fatal(err)
	}
	start := time.Now().Add(-2 * time.Hour)
	one := 1
	var lines []journal.Entry
	for i := range benchVouchers {
		barcode := fmt.Sprintf("BENCH%06d", i)
		added, err := client.AddVoucher(ctx, o.Order.ID, api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
			Credentials: api.VoucherCredentials{Barcode: barcode}})
		if err != nil {
			b.Fatal(err)
		}
		at := start.Add(time.Duration(i) * (2 * time.Hour / benchVouchers))
		attempt := journal.Entry{Time: at.UTC(), OrderID: o.Order.ID, Action: journal.ActionAttach, MaskedBarcode: api.MaskBarcode(barcode),
			VoucherType: "Ticket", Outcome: journal.OutcomeAttempt}
		outcome := attempt
		outcome.Time = at.Add(3 * time.Millisecond).UTC()
		outcome.VoucherID, outcome.Outcome, outcome.AvailableRedemptions = added.Voucher.ID, journal.OutcomeAttached, &one
		lines = append(lines, attempt, outcome)
	}
	benchOrder.client, benchOrder.srv, benchOrder.id, benchOrder.lines = client, srv, o.Order.ID, lines
	return client, o.Order.ID, lines
}

func writeBenchLines(b *testing.B, path string, lines []journal.Entry) {
	b.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	prev := ""
	for i, e := range lines {
		// Stamped and chained as the journal writes its lines, so that a
		// restore reads lines of the length it meets at a counter.
		e.Server, e.Counter, e.Version = "https://example-digital-api.app.vista.co", "till-1", "1.4.0"
		e.Seq, e.Prev = uint64(i+1), prev
		line, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		sum := sha256.Sum256(line)
		prev = hex.EncodeToString(sum[:16])
		w.Write(append(line, '\n'))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	// On disk before the timing starts, so that the kernel writing 168 MB
	// back does not share the processor with the loads timed.
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// writeBenchHistory writes the rotated files of the year before now: each
// day, benchScansPerDay scans from 09:00 to 22:00 on orders of four
// vouchers, each order completed.
func writeBenchHistory(b *testing.B, path string, now time.Time) {
	b.Helper()
	one := 1
	for day := 1; day <= benchHistoryDays; day++ {
		y, m, d := now.AddDate(0, 0, -day).Date()
		open := time.Date(y, m, d, 9, 0, 0, 0, time.Local)
		step := 13 * time.Hour / benchScansPerDay
		var lines []journal.Entry
		for i := range benchScansPerDay {
			at := open.Add(time.Duration(i) * step).UTC()
			order := fmt.Sprintf("%08d%024d", day, i/4)
			barcode := fmt.Sprintf("HIST%04d%04d", day, i)
			attempt := journal.Entry{Time: at, OrderID: order, Action: journal.ActionAttach, MaskedBarcode: api.MaskBarcode(barcode),
				VoucherType: "Ticket", Outcome: journal.OutcomeAttempt}
			outcome := attempt
			outcome.Time = at.Add(40 * time.Millisecond)
			outcome.VoucherID, outcome.Outcome, outcome.AvailableRedemptions = fmt.Sprintf("%032d", day*benchScansPerDay+i), journal.OutcomeAttached, &one
			lines = append(lines, attempt, outcome)
			if i%4 == 3 {
				done := at.Add(time.Second)
				lines = append(lines,
					journal.Entry{Time: done, OrderID: order, Action: journal.ActionComplete, Outcome: journal.OutcomeAttempt},
					journal.Entry{Time: done.Add(80 * time.Millisecond), OrderID: order, Action: journal.ActionComplete, Outcome: journal.OutcomeCompleted,
						Message: fmt.Sprintf("transaction %d", day*1000+i)})
			}
		}
		writeBenchLines(b, filepath.Join(filepath.Dir(path), "journal-"+open.Format(time.DateOnly)+".jsonl"), lines)
	}
}
