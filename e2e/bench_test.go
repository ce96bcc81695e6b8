package e2e

// Whole-app benchmarks: the built binary in a pseudo-terminal, read through
// the terminal emulator, each figure set against a floor measured in the
// same run on the same machine, because a shared machine's absolute times
// drift from minute to minute.
//
// Run them with scripts/bench, or:
//
//	go test -run '^$' -bench . -benchtime 1x ./e2e/
//
// Metrics end in -ms (times), -MB (memory) or are ratios ("x-floor").

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"
)

const (
	// frameInterval is one frame of Bubble Tea v1's standard renderer (60 fps).
	frameInterval = time.Second / 60
	// benchOrder is the first order of the built-in demo data, and
	// benchShowtime its showtime, which ADTMM vouchers pay for.
	benchOrder    = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"
	benchShowtime = "0001-2681"
)

// benchArgs runs the counter as an operator would, at the default log level
// (Start asks for debug logging, which a counter does not run with), and
// without a PIN step so that one Enter sends a scan.
var benchArgs = []string{"--log-level", "info", "--pin-prompt", "never"}

// benchData is the built-in demo world plus n PIN-less Ticket vouchers
// BENCH000000... that the seed order's showtime accepts.
func benchData(n int) *mock.Data {
	d := mock.DefaultData()
	for i := range n {
		d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: benchBarcode(i), Type: "Ticket",
			VoucherTypeCode: "ADTMM", Description: "Adult Movie Money", Redemptions: 1})
	}
	return d
}

func benchBarcode(i int) string { return fmt.Sprintf("BENCH%06d", i) }

// writeData saves d as a demo-data file for --demo-data.
func writeData(b *testing.B, d *mock.Data) string {
	b.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "demo-data.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// waitTimed waits until ok holds for the screen and returns when the output
// that made it hold was read from the terminal. It looks at the screen only
// when output has come, so that waiting takes nothing from the app.
func (term *Terminal) waitTimed(what string, timeout time.Duration, ok func(screen string) bool) time.Time {
	term.tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		term.mu.Lock()
		screen, arrived := screenText(term.emu), term.arrived
		term.mu.Unlock()
		if ok(screen) {
			return arrived
		}
		select {
		case <-term.wrote:
		case <-deadline.C:
			// WaitFor fails the test with the screen and the log.
			term.WaitFor(what, 0, ok)
		case <-term.exited:
			term.WaitFor(what, 0, ok)
		}
	}
}

// bareClient adds vouchers with nothing but net/http: the floor the app's
// own adds are measured against.
type bareClient struct {
	b    *testing.B
	http *http.Client
	url  string
	// order is the order it adds to; "" is benchOrder.
	order string
}

func startBare(b *testing.B, d *mock.Data) *bareClient {
	b.Helper()
	run, err := mock.Start("127.0.0.1:0", mock.New(d, mock.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { run.Close(context.Background()) })
	c := &bareClient{b: b, http: &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}, url: run.URL}
	// The app has its connection open before the first scan; so does the floor.
	c.do(http.MethodGet, "/ocapi/v1/orders/"+benchOrder, nil)
	return c
}

func (c *bareClient) do(method, path string, body []byte) {
	req, err := http.NewRequest(method, c.url+path, bytes.NewReader(body))
	if err != nil {
		c.b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.b.Fatalf("%s %s: status %d", method, path, resp.StatusCode)
	}
}

// add attaches barcode to the client's order and returns how long it took.
func (c *bareClient) add(barcode string) time.Duration {
	body := `{"type":"Ticket","showtimeId":"` + benchShowtime + `","credentials":{"barcode":"` + barcode + `"}}`
	order := c.order
	if order == "" {
		order = benchOrder
	}
	start := time.Now()
	c.do(http.MethodPost, "/ocapi/v1/orders/"+order+"/vouchers", []byte(body))
	return time.Since(start)
}

func benchMedian(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func benchPercentile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkScanToScreen is one scan, from the write of its barcode and
// Enter into the terminal to the first frame listing the voucher, against
// the embedded demo server. The floor is the same add sent by a bare
// net/http client to a mock of its own (mock.Start), sampled in turn with
// the app's scans so that both see the same machine. The target is a median
// within one renderer frame (16.7 ms) of the floor.
func BenchmarkScanToScreen(b *testing.B) {
	const samples = 40
	for b.Loop() {
		d := benchData(samples + 1)
		term := Start(b, Options{Args: append([]string{"--demo-data", writeData(b, d)}, benchArgs...)})
		waitForOrder(term)
		bare := startBare(b, d)
		bare.add(benchBarcode(samples)) // the floor's first add, like the app's, is not timed
		phase := rand.New(rand.NewPCG(1, 2))
		var app, floor []time.Duration
		for i := range samples {
			floor = append(floor, bare.add(benchBarcode(i)))

			want := voucherCount(i + 1)
			start := time.Now()
			term.WriteString(benchBarcode(i) + "\r")
			shown := term.waitTimed(want, WaitTimeout, func(s string) bool { return strings.Contains(s, want) })
			app = append(app, shown.Sub(start))
			// Let the order read that follows each drained queue finish, so
			// every sample starts from a quiet counter.
			term.WaitFor("the counter idle", WaitTimeout, func(s string) bool { return idle(s) && !strings.Contains(s, "Working") })
			// The idle screen arrives with one of the renderer's frames, so a
			// fixed pause would start every sample at the same point of the
			// frame ticker, and the median would hang on where that point
			// falls. A pause spread over a whole frame samples every point.
			time.Sleep(20*time.Millisecond + time.Duration(phase.Int64N(int64(frameInterval))))
		}
		term.Close()
		a, f := benchMedian(app), benchMedian(floor)
		b.ReportMetric(msOf(a), "app-ms")
		b.ReportMetric(msOf(benchPercentile(app, 0.9)), "app-p90-ms")
		b.ReportMetric(msOf(f), "floor-ms")
		b.ReportMetric(msOf(a-f), "over-floor-ms")
		b.ReportMetric(float64(a-f)/float64(frameInterval), "frames-over")
	}
}

// cpuTime is the processor time process pid has used, user and system,
// to the kernel's tick (10 ms on most systems).
func cpuTime(b *testing.B, pid int) time.Duration {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command name, which may itself hold spaces.
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+2:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		b.Fatalf("/proc/%d/stat: %v %v", pid, err1, err2)
	}
	const ticksPerSecond = 100 // USER_HZ, fixed on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

// BenchmarkBurst100 is 100 PIN-less scans written as fast as the terminal
// takes them, each one write of barcode and Enter as a scanner sends it,
// until the list shows all 100; the median of five rounds, each on a fresh
// counter. The floor is 100 sequential bare adds to a
// fresh mock. Target: at most 1.3 times the floor. The processor time the
// app used meanwhile is reported too: on a busy machine it moves less than
// the wall-clock time.
//
// The app's journal splits each round in two: its adds, from the first
// attempt line to the last outcome line (the wire, the journal and the
// screen's handling of every answer), and the tail from the last outcome to
// the frame that lists it (the last fsync, the wait for a drawing and the
// renderer's next frame).
func BenchmarkBurst100(b *testing.B) {
	const n, rounds = 100, 5
	for b.Loop() {
		var app, adds, tail, floor, cpu []time.Duration
		for range rounds {
			r := burstRound(b, n)
			app, adds, tail = append(app, r.app), append(adds, r.adds), append(tail, r.tail)
			cpu, floor = append(cpu, r.cpu), append(floor, r.floor)
		}
		a, f := benchMedian(app), benchMedian(floor)
		b.ReportMetric(msOf(a), "app-ms")
		b.ReportMetric(msOf(benchMedian(cpu)), "app-cpu-ms")
		b.ReportMetric(msOf(benchMedian(adds)), "adds-ms")
		b.ReportMetric(msOf(benchMedian(tail)), "tail-ms")
		b.ReportMetric(msOf(f), "floor-ms")
		b.ReportMetric(float64(a)/float64(f), "x-floor")
		b.ReportMetric(float64(benchMedian(adds))/float64(f), "adds-x-floor")
	}
}

type burstTimes struct{ app, adds, tail, cpu, floor time.Duration }

// burstRound times one burst of n scans on a fresh counter (wall and
// processor time), then n bare adds to a fresh mock.
func burstRound(b *testing.B, n int) burstTimes {
	term := Start(b, Options{Args: benchArgs})
	waitForOrder(term)
	pid := term.cmd.Process.Pid
	cpu0 := cpuTime(b, pid)
	start := time.Now()
	for i := range n {
		term.WriteString(fmt.Sprintf("ADTMM0001%03d\r", 1+i))
	}
	want := voucherCount(n)
	done := term.waitTimed(want, WaitTimeout, func(s string) bool { return strings.Contains(s, want) })
	r := burstTimes{app: done.Sub(start), cpu: cpuTime(b, pid) - cpu0}
	term.Close()
	var first, last time.Time
	for _, e := range term.JournalEntries() {
		if e.Action != journal.ActionAttach {
			continue
		}
		if first.IsZero() {
			first = e.Time
		}
		last = e.Time
	}
	r.adds, r.tail = last.Sub(first), done.Sub(last)

	bare := startBare(b, mock.DefaultData())
	start = time.Now()
	for i := range n {
		bare.add(fmt.Sprintf("ADTMM0001%03d", 1+i))
	}
	r.floor = time.Since(start)
	return r
}

// BenchmarkStartup is process start to the first frame, and to the first
// full frame (the order loaded and the form ready), in demo mode, the
// median of ten starts (timed as BenchmarkDistanceStartup times them). The floor is the same binary printing its version
// and exiting, measured in turn with each start.
func BenchmarkStartup(b *testing.B) {
	const samples = 10
	for b.Loop() {
		var first, full, version []time.Duration
		for range samples {
			version = append(version, versionTime(b))

			term := Start(b, Options{Args: benchArgs})
			f := term.waitTimed("a first frame", WaitTimeout, func(s string) bool { return strings.Contains(s, "boxoffice") })
			w := term.waitTimed("the order loaded and the form ready", WaitTimeout, func(s string) bool {
				return strings.Contains(s, "Order 3f9c2a7b") && strings.Contains(s, "Total ") && strings.Contains(s, ready)
			})
			first = append(first, f.Sub(term.started))
			full = append(full, w.Sub(term.started))
			term.Close()
		}
		fl, fu, v := benchMedian(first), benchMedian(full), benchMedian(version)
		b.ReportMetric(msOf(fl), "first-frame-ms")
		b.ReportMetric(msOf(fu), "full-frame-ms")
		b.ReportMetric(msOf(v), "version-ms")
		b.ReportMetric(msOf(fu-v), "over-floor-ms")
	}
}

// procStatusKB reads a "Name:  123 kB" line of /proc/<pid>/status.
func procStatusKB(b *testing.B, pid int, name string) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatalf("/proc/%d/status %s: %v", pid, name, err)
			}
			return kb
		}
	}
	b.Fatalf("/proc/%d/status has no %s", pid, name)
	return 0
}

// BenchmarkMemory10k is the app's peak resident memory (VmHWM) after 10,000
// PIN-less vouchers from a demo-data file are scanned through the terminal
// and all listed. Target: under 50 MB. It also reports the resident memory
// at the first full frame and how long the 10,000 attaches took.
func BenchmarkMemory10k(b *testing.B) {
	const n = 10000
	const perWrite = 50
	for b.Loop() {
		term := Start(b, Options{Args: append([]string{"--demo-data", writeData(b, benchData(n))}, benchArgs...)})
		waitForOrder(term)
		pid := term.cmd.Process.Pid
		startRSS := procStatusKB(b, pid, "VmRSS")
		cpu0 := cpuTime(b, pid)

		start := time.Now()
		go func() {
			// The writes go from their own goroutine: the terminal takes them
			// only as fast as the app reads, and the wait below must not
			// stop watching meanwhile.
			var scans strings.Builder
			for i := range n {
				scans.WriteString(benchBarcode(i) + "\r")
				if (i+1)%perWrite == 0 {
					term.writeMu.Lock()
					_, err := term.pty.Write([]byte(scans.String()))
					term.writeMu.Unlock()
					if err != nil {
						return
					}
					scans.Reset()
				}
			}
		}()
		want := voucherCount(n)
		done := term.waitTimed(want, 10*time.Minute, func(s string) bool { return strings.Contains(s, want) })
		// The order read that follows the drained queue holds every voucher
		// twice for a moment; the peak includes it.
		term.WaitFor("the counter idle", WaitTimeout, func(s string) bool { return idle(s) && !strings.Contains(s, "Working") })
		time.Sleep(200 * time.Millisecond)
		hwm := procStatusKB(b, pid, "VmHWM")
		rss := procStatusKB(b, pid, "VmRSS")
		cpu := cpuTime(b, pid) - cpu0
		term.Close()

		b.ReportMetric(startRSS/1024, "start-rss-MB")
		b.ReportMetric(hwm/1024, "peak-rss-MB")
		b.ReportMetric(rss/1024, "end-rss-MB")
		b.ReportMetric(msOf(done.Sub(start)), "attach-10k-ms")
		b.ReportMetric(msOf(cpu), "app-cpu-ms")
	}
}
