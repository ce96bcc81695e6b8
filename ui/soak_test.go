package ui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"
)

var (
	soakSeed  = flag.Int64("soak.seed", 3, "seed of the faults in TestSoakWithAnotherWriterAndLookAlikes")
	soakScans = flag.Int("soak.scans", 1000, "scans in TestSoakWithAnotherWriterAndLookAlikes")
)

// Look-alike pairs: ours and theirs share type, voucher type code, the first
// two and the last four characters, so their masked barcodes are the same.
// Only the description, which the counter never reads to tell vouchers
// apart, says whose a voucher on the server is.
const (
	oursDescription   = "Collide A"
	theirsDescription = "Collide B"
)

func oursBarcode(i int) string   { return fmt.Sprintf("CLA%05d%04d", i, i) }
func theirsBarcode(i int) string { return fmt.Sprintf("CLB%05d%04d", i, i) }

func lookAlikeData(n int) *mock.Data {
	d := mock.DefaultData()
	for i := range n {
		for _, v := range []struct{ barcode, description string }{
			{oursBarcode(i), oursDescription}, {theirsBarcode(i), theirsDescription},
		} {
			d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: v.barcode, Type: "Deal",
				VoucherTypeCode: "COLL", Description: v.description, Redemptions: 1})
		}
	}
	return d
}

// gateway stands between the counter and the server, losing adds on the
// way there (a 502 or 504 for an add that never reached the server) and on
// the way back (an add applied, its answer a 504), each as a seeded draw
// decides.
type gateway struct {
	next http.Handler
	mu   sync.Mutex
	rng  *rand.Rand
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	u := g.rng.Float64()
	g.mu.Unlock()
	add := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/vouchers")
	switch {
	case add && u < 0.05:
		w.WriteHeader(http.StatusBadGateway)
	case add && u < 0.10:
		w.WriteHeader(http.StatusGatewayTimeout)
	case add && u < 0.17:
		g.next.ServeHTTP(httptest.NewRecorder(), r)
		w.WriteHeader(http.StatusGatewayTimeout)
	default:
		g.next.ServeHTTP(w, r)
	}
}

// The counter scans ours while another writer adds theirs, each a
// look-alike of one of ours, to the same order, through a gateway that
// loses adds before and after they reach a server that fails and loses
// answers of its own; every third scan is scanned again while it waits in
// the queue, is on its way, or is attached. Whatever the faults, every
// voucher the screen or the journal says is attached is ours and on the
// order; every scan, repeats included, has an outcome in the journal; none
// is attached twice.
func TestSoakWithAnotherWriterAndLookAlikes(t *testing.T) {
	n := *soakScans
	if testing.Short() || raceDetector && !flagSet("soak.scans") {
		// Under the race detector the scans are what it watches, not their
		// number: 250 keep CI within its time (-soak.scans asks for more).
		n = min(n, 250)
	}
	seed := *soakSeed
	t.Logf("seed %d, %d scans (rerun with -soak.seed=%d -soak.scans=%d)", seed, n, seed, n)
	c := startCounter(t, counterSetup{
		data: lookAlikeData(n),
		mockOpts: func(o *mock.Options) {
			o.Faults = mock.Faults{Latency: time.Millisecond, Error: 0.15, Drop: 0.05, Seed: seed}
		},
		server: func(next http.Handler) http.Handler {
			return &gateway{next: next, rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x5eed))}
		},
		clientOpts: func(o *api.Options) { o.GetRetryWait = time.Millisecond },
		opts: func(o *Options) {
			o.PinPrompt = PinNever
			o.VoucherType = api.VoucherDeal
		},
	})
	writer, err := api.New(api.Options{BaseURL: c.server.URL, Version: "test", GetRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	addTheirs := func(i int) {
		req := api.AddVoucherRequest{Type: api.VoucherDeal, Credentials: api.VoucherCredentials{Barcode: theirsBarcode(i)}}
		_, _ = writer.AddVoucher(context.Background(), seedOrderID, req)
	}
	// scans counts the scans made, repeats included: each gets one
	// outcome line.
	scans := 0
	scan := func(i int) {
		c.scan(oursBarcode(i))
		c.key(tea.KeyEnter)
		scans++
	}
	const round = 10
	for start := 0; start < n; start += round {
		end := min(start+round, n)
		if start/round%2 == 0 {
			// A burst: theirs go on while ours are scanned, so their adds
			// land among ours and among the counter's re-reads after lost
			// answers; a repeat follows its first scan into the queue.
			var wg sync.WaitGroup
			wg.Go(func() {
				for i := start; i < end; i++ {
					addTheirs(i)
				}
			})
			for i := start; i < end; i++ {
				scan(i)
				if i%3 == 1 {
					scan(i)
				}
			}
			wg.Wait()
			c.waitJournal(scans)
			continue
		}
		// One at a time: theirs lands just before ours is sent, so a lost
		// answer's re-read finds it as the only voucher new to the counter;
		// a repeat comes while the first is on its way or just attached.
		for i := start; i < end; i++ {
			addTheirs(i)
			scan(i)
			if i%3 == 1 {
				scan(i)
			}
			c.waitJournal(scans)
		}
	}

	c.waitIdle()

	// What the server holds, read after every outcome.
	var order api.Order
	if !eventually(func() bool {
		resp, err := c.client.GetOrder(context.Background(), seedOrderID)
		if err == nil {
			order = resp.Order
		}
		return err == nil
	}) {
		t.Fatal("the order could not be read at the end")
	}
	onServer := map[string]api.OrderVoucher{}
	oursHeld := map[string]int{} // masked barcode of ours to copies held
	for _, v := range order.Vouchers {
		onServer[v.ID] = v
		if v.VoucherTypeDescription == oursDescription {
			oursHeld[v.MaskedBarcode]++
		}
	}
	for masked, copies := range oursHeld {
		if copies > 1 {
			t.Errorf("%s is on the order %d times", masked, copies)
		}
	}

	outcomes := map[string][]journal.Entry{} // masked barcode to outcome lines
	raw, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		var e journal.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("journal line %q: %v", sc.Text(), err)
		}
		if e.Action == journal.ActionAttach && e.Outcome != journal.OutcomeAttempt && e.Outcome != journal.OutcomeQueued {
			outcomes[e.MaskedBarcode] = append(outcomes[e.MaskedBarcode], e)
		}
	}
	counts := map[string]int{}
	for i := range n {
		masked := api.MaskBarcode(oursBarcode(i))
		lines := outcomes[masked]
		if len(lines) == 0 {
			t.Errorf("scan %s has no outcome in the journal; the one before: %+v", masked, outcomes[api.MaskBarcode(oursBarcode(i-1))])
			continue
		}
		claimed := 0
		for _, e := range lines {
			counts[e.Outcome]++
			if e.Outcome != journal.OutcomeAttached && e.Outcome != journal.OutcomeAlreadyAttached {
				continue
			}
			claimed++
			v, held := onServer[e.VoucherID]
			switch {
			case !held:
				t.Errorf("journal says %s is attached as %s, which is not on the order", masked, e.VoucherID)
			case v.VoucherTypeDescription != oursDescription:
				t.Errorf("journal says %s is attached, but %s on the order is the other writer's look-alike", masked, e.VoucherID)
			}
		}
		if claimed > 1 {
			t.Errorf("journal says %s was attached %d times", masked, claimed)
		}
		// Ours on the order may read "unknown", never "not attached".
		if last := lastSettled(lines); oursHeld[masked] > 0 && claimed == 0 && last != journal.OutcomeUnknown && last != journal.OutcomeMatchedByMask {
			t.Errorf("%s is on the order, but the journal's outcome is %q", masked, last)
		}
	}

	// Every "✓ Attached" the operator was shown is one of ours that is on
	// the order.
	shown := regexp.MustCompile(`Attached (CL\.{6}[0-9]{4})`).FindAllStringSubmatch(c.out.read(), -1)
	for _, m := range shown {
		if oursHeld[m[1]] == 0 {
			t.Errorf("the screen said %s was attached; ours is not on the order", m[1])
		}
	}
	t.Logf("journal outcomes: %v; %d of ours on the order; %d claims on screen", counts, len(oursHeld), len(shown))
	if counts[journal.OutcomeUnknown]+counts[journal.OutcomeMatchedByMask] == 0 {
		t.Fatalf("no outcome was unknown: the faults (seed %d) never tested a lost answer", seed)
	}
	if counts[journal.OutcomeRepeat] == 0 {
		t.Fatalf("no repeat was journalled: the repeats (seed %d) never met their first scan", seed)
	}
	if counts[journal.OutcomeAttached] < n/2 {
		t.Fatalf("only %d of %d scans attached: the faults are too heavy to show anything", counts[journal.OutcomeAttached], n)
	}
}

// lastSettled is the last outcome of a barcode that is not a repeat: a
// repeat says nothing of what became of the scan it repeats.
func lastSettled(lines []journal.Entry) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].Outcome != journal.OutcomeRepeat {
			return lines[i].Outcome
		}
	}
	return journal.OutcomeRepeat
}

// flagSet reports whether a flag was given on the command line.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
