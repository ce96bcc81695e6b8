package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/scanform"
)

// Screen cost with orders of growing size. Each benchmark runs at 1, 100,
// 1,000 and 10,000 attached vouchers; what matters is how the figure moves
// with the count, so each one ends with a "ratio" line reporting the
// 10,000/100 ratio of time per op as "x10k/100" (a flat screen stays near 1).
//
// The screens are drawn for a 256-colour terminal (TERM=xterm-256color, as
// the e2e harness and most terminal setups give): the package's tests draw
// without colour, which would hide what colour costs.
//
// Run: go test -run '^$' -bench Screen -benchmem ./ui/

var screenSizes = []int{1, 100, 1000, 10000}

// benchVoucher is the i-th voucher of a big order, shaped like the mock's.
func benchVoucher(i int) api.OrderVoucher {
	return api.OrderVoucher{
		ID:                     fmt.Sprintf("%032x", i+1),
		Type:                   api.VoucherTicket,
		MaskedBarcode:          fmt.Sprintf("........%04d", i%10000),
		VoucherTypeCode:        "ADTMM",
		VoucherTypeDescription: "Adult Movie Money",
	}
}

// benchOrder is the order the screen benchmarks show: one showtime, no
// tickets.
func benchOrder(id string) *api.OrderResponse {
	return &api.OrderResponse{Order: api.Order{ID: id, Status: api.OrderInProgress, SiteID: "0001", VouchersListed: true,
		ExpiresAt: api.Timestamp{Time: time.Now().Add(time.Hour)}, Showtimes: []api.OrderShowtime{{ShowtimeID: "0001-2681"}}}}
}

// benchModel is a loaded counter at 80x24 on a backend that answers
// nothing, with n vouchers attached the way answers attach them, each with
// one redemption left.
func benchModel(n int, backend Backend) *Model {
	if backend == nil {
		backend = &fakeBackend{unsynced: map[uint64]bool{}}
	}
	m := New(Options{Backend: backend, OrderID: seedOrderID, SiteID: "0001", PinPrompt: PinNever, Bell: BellNever})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(orderLoadedMsg{orderID: seedOrderID, seq: m.cust.loadSeq, resp: benchOrder(seedOrderID)})
	for i := range n {
		m.cust.attached(sending{Scan: scanform.Scan{Barcode: fmt.Sprintf("BENCHV%06d", i), Type: api.VoucherTicket}, showtimeID: "0001-2681"},
			api.AttachResult{Voucher: benchVoucher(i), AvailableRedemptions: 1})
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

// screenBench runs op at every size and reports how the largest size
// compares with 100 vouchers.
func screenBench(b *testing.B, op func(b *testing.B, m *Model)) {
	withProfile(b, termenv.ANSI256)
	perOp := map[int]float64{}
	for _, n := range screenSizes {
		m := benchModel(n, nil)
		b.Run(fmt.Sprintf("vouchers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			op(b, m)
			perOp[n] = float64(b.Elapsed().Nanoseconds()) / float64(max(b.N, 1))
		})
	}
	// A parent benchmark prints no line of its own, so the ratio gets a
	// sub-benchmark that only reports it.
	b.Run("ratio", func(b *testing.B) {
		if perOp[100] > 0 {
			b.ReportMetric(perOp[10000]/perOp[100], "x10k/100")
		}
	})
}

// withProfile draws in colour profile p until the benchmark ends.
func withProfile(b *testing.B, p termenv.Profile) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(p)
	b.Cleanup(func() { lipgloss.SetColorProfile(old) })
}

var sinkView string

// BenchmarkScreenKeyRune is a typed character reaching the barcode field:
// Update alone, as Bubble Tea runs it for every key.
func BenchmarkScreenKeyRune(b *testing.B) {
	key := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'A'}}
	screenBench(b, func(b *testing.B, m *Model) {
		for b.Loop() {
			// Emptying the field makes every press the first character
			// of a scan.
			m.cust.form.Reset()
			m.Update(key)
		}
	})
}

// BenchmarkScreenKeyArrow moves the selection up and down the list.
func BenchmarkScreenKeyArrow(b *testing.B) {
	up, down := tea.KeyMsg{Type: tea.KeyUp}, tea.KeyMsg{Type: tea.KeyDown}
	screenBench(b, func(b *testing.B, m *Model) {
		i := 0
		for b.Loop() {
			k := up
			if i%2 == 1 {
				k = down
			}
			i++
			m.Update(k)
		}
	})
}

// BenchmarkScreenView draws the whole 80x24 frame.
func BenchmarkScreenView(b *testing.B) {
	screenBench(b, func(b *testing.B, m *Model) {
		for b.Loop() {
			sinkView = m.View()
		}
	})
}

// BenchmarkScreenViewProfile draws the frame with 100 vouchers in each
// colour profile: the 256- and 16-colour ones convert every hex colour of
// every styled piece on every frame.
func BenchmarkScreenViewProfile(b *testing.B) {
	m := benchModel(100, nil)
	for _, p := range []struct {
		name    string
		profile termenv.Profile
	}{{"ascii", termenv.Ascii}, {"ansi16", termenv.ANSI}, {"ansi256", termenv.ANSI256}, {"truecolor", termenv.TrueColor}} {
		b.Run(p.name, func(b *testing.B) {
			withProfile(b, p.profile)
			b.ReportAllocs()
			for b.Loop() {
				sinkView = m.View()
			}
		})
	}
}

// BenchmarkScreenKeyFrame is what one typed key costs the program: the
// Update and the frame drawn after it.
func BenchmarkScreenKeyFrame(b *testing.B) {
	key := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'A'}}
	screenBench(b, func(b *testing.B, m *Model) {
		for b.Loop() {
			m.cust.form.Reset()
			m.Update(key)
			sinkView = m.View()
		}
	})
}

// BenchmarkHelpBarCache is a key and its frame with the help bar's keys and
// drawing kept between frames, as the screen does, and made again for every
// frame, as it would without the cache: what the cache earns.
func BenchmarkHelpBarCache(b *testing.B) {
	withProfile(b, termenv.ANSI256)
	key := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'A'}}
	for _, kept := range []bool{true, false} {
		b.Run(fmt.Sprintf("kept=%v", kept), func(b *testing.B) {
			m := benchModel(100, nil)
			b.ReportAllocs()
			for b.Loop() {
				m.cust.form.Reset()
				if !kept {
					m.bar.keys.short = nil
				}
				m.Update(key)
				sinkView = m.View()
			}
		})
	}
}

// BenchmarkScreenScanSubmit is the Enter that ends a PIN-less scan: the scan
// is checked, queued and handed to the attach command (built, not run).
func BenchmarkScreenScanSubmit(b *testing.B) {
	const barcode = "ADTMM0001001"
	scan := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(barcode)}
	enter := tea.KeyMsg{Type: tea.KeyEnter}
	screenBench(b, func(b *testing.B, m *Model) {
		for b.Loop() {
			b.StopTimer()
			// A fresh pipeline and double-scan guard keep every Enter a
			// fresh scan.
			m.cust.queue.inFlight, m.cust.queue.queue = nil, nil
			delete(m.cust.queue.lastScan, barcode)
			m.cust.form.Reset()
			m.Update(scan)
			b.StartTimer()
			m.Update(enter)
		}
	})
}

// BenchmarkScreenAttachDone is an add's answer arriving while another scan
// waits: the voucher is listed and the next scan is handed to its command.
func BenchmarkScreenAttachDone(b *testing.B) {
	screenBench(b, func(b *testing.B, m *Model) {
		first := sending{Scan: scanform.Scan{Barcode: "ADTMM0001001", Type: api.VoucherTicket}, seq: 1, showtimeID: "0001-2681"}
		second := sending{Scan: scanform.Scan{Barcode: "ADTMM0001002", Type: api.VoucherTicket}, seq: 2, showtimeID: "0001-2681"}
		// An answer for a voucher already listed, so the list does not
		// grow across iterations.
		msg := attachDoneMsg{orderID: seedOrderID, scan: first, result: api.AttachResult{Voucher: benchVoucher(0), AvailableRedemptions: 1, Outcome: api.AttachAdded, Attempts: 1}}
		for b.Loop() {
			b.StopTimer()
			q := m.cust.queue
			f := first
			q.inFlight, q.queue = &f, []sending{second}
			b.StartTimer()
			m.Update(msg)
		}
	})
}

// BenchmarkScreenOrderLoaded is the order read back after the queue drains,
// carrying every voucher.
func BenchmarkScreenOrderLoaded(b *testing.B) {
	screenBench(b, func(b *testing.B, m *Model) {
		resp := benchOrder(seedOrderID)
		resp.Order.Vouchers = slices.Clone(m.cust.vouchers.items)
		for b.Loop() {
			// The counter's own order, as its newest read.
			seq := m.cust.nextSeq()
			m.cust.loadSeq = seq
			m.Update(orderLoadedMsg{orderID: seedOrderID, seq: seq, resp: resp})
		}
	})
}

// BenchmarkScreenHeap10k reports the live heap that 10,000 attached
// vouchers hold, measured with runtime.ReadMemStats around building the
// model (the figure is per model, not per iteration).
func BenchmarkScreenHeap10k(b *testing.B) {
	var keep *Model
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		keep = benchModel(10000, nil)
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	runtime.KeepAlive(keep)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heapMB")
	b.ReportMetric(float64(after.HeapAlloc)/(1<<20), "totalHeapMB")
}

// benchServer is the mock with pool PIN-less Ticket vouchers BENCH000000...,
// behind a loopback listener at url, and a client for it.
func benchServer(b *testing.B, pool int) (client *api.Client, newOrder func() string, url string) {
	b.Helper()
	d := mock.DefaultData()
	for i := range pool {
		d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: fmt.Sprintf("BENCH%06d", i), Type: "Ticket",
			VoucherTypeCode: "ADTMM", Description: "Adult Movie Money", Redemptions: 1})
	}
	srv := httptest.NewServer(mock.New(d, mock.Options{}))
	b.Cleanup(srv.Close)
	client, err := api.New(api.Options{BaseURL: srv.URL, Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	// newOrder makes an order that Ticket vouchers can pay for.
	newOrder = func() string {
		ctx := context.Background()
		o, err := client.CreateOrder(ctx, "0001", api.BookingPaid)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := client.SetShowtimeTickets(ctx, o.Order.ID, "0001-2681", nil); err != nil {
			b.Fatal(err)
		}
		return o.Order.ID
	}
	return client, newOrder, srv.URL
}

// benchJournal is a fresh journal on disk, closed when the benchmark ends;
// nil when on is false.
func benchJournal(b *testing.B, on bool) *journal.Journal {
	b.Helper()
	if !on {
		return nil
	}
	j, err := journal.Open(filepath.Join(b.TempDir(), "journal.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { j.Close() })
	return j
}

// runFor runs cmd, and the commands of a batch, until one answers with a
// message of type T, which it returns.
func runFor[T tea.Msg](b *testing.B, cmd tea.Cmd) T {
	b.Helper()
	pending := []tea.Cmd{cmd}
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case T:
			return msg
		case tea.BatchMsg:
			pending = append(pending, msg...)
		}
	}
	var zero T
	b.Fatalf("no %T among the commands", zero)
	return zero
}

// BenchmarkAttachCmd runs the command that attaches one scan, as the
// counter starts it for the next queued scan, against the mock on loopback,
// for an order already listing 100 or 10,000 vouchers, with and without the
// journal (two synced lines per attach). Compare with api/mock's bare adds
// to see what the counter adds on top of the wire.
func BenchmarkAttachCmd(b *testing.B) {
	const pool = 2000
	for _, withJournal := range []bool{false, true} {
		for _, known := range []int{100, 10000} {
			b.Run(fmt.Sprintf("journal=%v/known=%d", withJournal, known), func(b *testing.B) {
				client, newOrder, _ := benchServer(b, pool)
				j := benchJournal(b, withJournal)
				live := NewLive(context.Background(), desk.New(client, j), nil, 0)
				ids := make([]string, known)
				for i := range ids {
					ids[i] = benchVoucher(i).ID
				}
				orderID, next := newOrder(), 0
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if next == pool {
						b.StopTimer()
						orderID, next = newOrder(), 0
						b.StartTimer()
					}
					s := sending{Scan: scanform.Scan{Barcode: fmt.Sprintf("BENCH%06d", next), Type: api.VoucherTicket}, seq: i + 1, showtimeID: "0001-2681"}
					next++
					msg := runFor[attachDoneMsg](b, live.Attach(orderID, s, ids, false))
					if msg.err != nil || msg.journalErr != nil {
						b.Fatal(msg.err, msg.journalErr)
					}
					if j != nil {
						// The outcome is reported only once on disk; alone,
						// with no other scan to share it, it costs a sync.
						if err := j.Sync(); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkOrderReload runs the command that reads the order back when the
// queue drains (as the counter starts it): the GET of an order holding n
// vouchers and, with the journal, the journal read that restores what each
// voucher can pay for (two lines per voucher, as the counter writes them).
func BenchmarkOrderReload(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		client, newOrder, _ := benchServer(b, n)
		orderID := newOrder()
		path := filepath.Join(b.TempDir(), "journal.jsonl")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		one := 1
		for i := range n {
			barcode := fmt.Sprintf("BENCH%06d", i)
			added, err := client.AddVoucher(ctx, orderID, api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
				Credentials: api.VoucherCredentials{Barcode: barcode}})
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range []journal.Entry{
				{Time: time.Now().UTC(), OrderID: orderID, Action: "attach", MaskedBarcode: api.MaskBarcode(barcode), VoucherType: "Ticket", Outcome: "attempt"},
				{Time: time.Now().UTC(), OrderID: orderID, Action: "attach", MaskedBarcode: api.MaskBarcode(barcode), VoucherType: "Ticket",
					VoucherID: added.Voucher.ID, Outcome: "attached", AvailableRedemptions: &one},
			} {
				line, _ := json.Marshal(e)
				f.Write(append(line, '\n'))
			}
		}
		f.Close()
		j, err := journal.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, withJournal := range []bool{false, true} {
			b.Run(fmt.Sprintf("journal=%v/vouchers=%d", withJournal, n), func(b *testing.B) {
				jj := j
				if !withJournal {
					jj = nil
				}
				live := NewLive(context.Background(), desk.New(client, jj), nil, 0)
				b.ReportAllocs()
				for b.Loop() {
					msg := runFor[orderLoadedMsg](b, live.LoadOrder(orderID, 1, withJournal, false))
					if msg.err != nil || len(msg.resp.Order.Vouchers) != n || withJournal && len(msg.restored) != n {
						b.Fatalf("err %v, %d vouchers, %d restored", msg.err, len(msg.resp.Order.Vouchers), len(msg.restored))
					}
				}
			})
		}
		j.Close()
	}
}

// listingModel publishes, for a benchmark that drives a real program, whether
// the order is loaded and how many vouchers the screen lists; it adds two
// atomic stores to each Update.
type listingModel struct {
	*Model
	ready, listed *atomic.Int64
}

func (l listingModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := l.Model.Update(msg)
	if c := l.Model.cust; c != nil && c.order != nil && !c.loading {
		l.ready.Store(1)
		l.listed.Store(int64(c.vouchers.len()))
	}
	return l, cmd
}

// BenchmarkBurstInProcess is e2e's BenchmarkBurst100 without a terminal: a
// Bubble Tea program with the counter's frame rate reads 100 PIN-less scans,
// written at once into its input, and draws to nowhere, against the mock on
// loopback, until it lists all 100. Set beside the e2e figure it tells what
// the terminal costs (the renderer's output, the pseudo-terminal, the
// program reading the screen); with and without the journal, what the
// journal costs. The floor, measured in each round, is the same 100 adds
// sent one after the other by a bare net/http client to a fresh mock. Its
// ns/op is a whole round: two mocks started, the burst and the floor.
func BenchmarkBurstInProcess(b *testing.B) {
	const n = 100
	var input strings.Builder
	for i := range n {
		fmt.Fprintf(&input, "BENCH%06d\r", i)
	}
	for _, withJournal := range []bool{true, false} {
		b.Run(fmt.Sprintf("journal=%v", withJournal), func(b *testing.B) {
			var app, floor []time.Duration
			for range b.N {
				app = append(app, burstInProcess(b, n, input.String(), withJournal))
				floor = append(floor, bareBurst(b, n))
			}
			slices.Sort(app)
			slices.Sort(floor)
			a, f := app[len(app)/2], floor[len(floor)/2]
			b.ReportMetric(float64(a.Microseconds())/1000, "app-ms")
			b.ReportMetric(float64(f.Microseconds())/1000, "floor-ms")
			b.ReportMetric(float64(a)/float64(f), "x-floor")
		})
	}
}

// burstInProcess runs one burst on a fresh counter and mock, and returns the
// time from writing the scans to the Update that lists the last of them.
func burstInProcess(b *testing.B, n int, input string, withJournal bool) time.Duration {
	b.Helper()
	client, newOrder, _ := benchServer(b, n)
	j := benchJournal(b, withJournal)
	m := New(Options{Backend: NewLive(context.Background(), desk.New(client, j), nil, 0), OrderID: newOrder(), SiteID: "0001", PinPrompt: PinNever})
	ready, listed := &atomic.Int64{}, &atomic.Int64{}
	keys, typist := io.Pipe()
	defer typist.Close()
	p := tea.NewProgram(listingModel{Model: m, ready: ready, listed: listed},
		tea.WithInput(keys), tea.WithOutput(io.Discard), tea.WithFPS(120), tea.WithoutSignalHandler())
	stopped := make(chan error, 1)
	go func() {
		_, err := p.Run()
		stopped <- err
	}()
	defer func() {
		p.Quit()
		if err := <-stopped; err != nil {
			b.Error(err)
		}
	}()
	waitUntil(b, "the order loaded", func() bool { return ready.Load() == 1 })
	start := time.Now()
	go typist.Write([]byte(input))
	waitUntil(b, "every scan listed", func() bool { return listed.Load() >= int64(n) })
	return time.Since(start)
}

// bareBurst is the floor of a burst: n sequential adds to a fresh mock by a
// bare net/http client, on a connection opened beforehand as the counter's is.
func bareBurst(b *testing.B, n int) time.Duration {
	b.Helper()
	_, newOrder, url := benchServer(b, n)
	orders := url + "/ocapi/v1/orders/" + newOrder()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	send := func(method, url, body string) {
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: status %d", method, url, resp.StatusCode)
		}
	}
	send(http.MethodGet, orders, "")
	start := time.Now()
	for i := range n {
		send(http.MethodPost, orders+"/vouchers", `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"`+fmt.Sprintf("BENCH%06d", i)+`"}}`)
	}
	return time.Since(start)
}

// waitUntil polls ok until it holds, failing after a generous deadline.
func waitUntil(b *testing.B, what string, ok func() bool) {
	b.Helper()
	if !testkit.Eventually(30*time.Second, 50*time.Microsecond, ok) {
		b.Fatalf("waited 30s for %s", what)
	}
}
