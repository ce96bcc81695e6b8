package desk

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"
)

var (
	soakSeed  = flag.Uint64("soak.seed", 5, "seed of TestSoakThroughAGatewayWithAnotherWriter")
	soakScans = flag.Int("soak.scans", 1000, "scans in TestSoakThroughAGatewayWithAnotherWriter")
)

// Ours and theirs share type, code, and the first two and last four
// characters: only the description, which nothing of ours reads to tell
// vouchers apart, says whose a voucher on the server is.
const (
	oursDescription   = "Collide A"
	theirsDescription = "Collide B"
)

func oursBarcode(i int) string   { return fmt.Sprintf("CLA%05d%04d", i, i) }
func theirsBarcode(i int) string { return fmt.Sprintf("CLB%05d%04d", i, i) }

// gateway stands between the counter and the mock, losing requests on the
// way there (a 502 or 504 for an add that never reached the server) and
// answers on the way back (an add applied, its answer a 504), and failing
// some reads, each as a seeded draw decides.
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
	case add && u < 0.06:
		w.WriteHeader(http.StatusBadGateway)
	case add && u < 0.12:
		w.WriteHeader(http.StatusGatewayTimeout)
	case add && u < 0.20:
		g.next.ServeHTTP(httptest.NewRecorder(), r)
		w.WriteHeader(http.StatusGatewayTimeout)
	case !add && r.Method == http.MethodGet && u < 0.03:
		w.WriteHeader(http.StatusServiceUnavailable)
	default:
		g.next.ServeHTTP(w, r)
	}
}

// The counter's scans of ours, each a look-alike of one of theirs that
// another writer adds to the same order meanwhile, go through a gateway
// that loses requests before they reach the server and answers after; a
// third of them are scanned again while the first is on its way or once
// it is attached, and some have a PIN. Read from the server and the
// journal afterwards: no voucher of ours is on the order twice, none is
// journalled attached unless it is ours and on the order, every scan has
// an outcome, and a repeat is journalled as a repeat.
func TestSoakThroughAGatewayWithAnotherWriter(t *testing.T) {
	n := *soakScans
	if testing.Short() || raceDetector && !flagSet("soak.scans") {
		// Under the race detector the scans are what it watches, not their
		// number: 250 keep CI within its time (-soak.scans asks for more).
		n = min(n, 250)
	}
	t.Logf("seed %d, %d scans (rerun with -soak.seed=%d -soak.scans=%d)", *soakSeed, n, *soakSeed, n)
	d := mock.DefaultData()
	pin := "1234"
	for i := range n {
		ours := mock.Voucher{Barcode: oursBarcode(i), Type: "Deal", VoucherTypeCode: "COLL", Description: oursDescription, Redemptions: 1}
		if i%3 == 0 {
			ours.Pin = &pin
		}
		d.Vouchers = append(d.Vouchers, ours,
			mock.Voucher{Barcode: theirsBarcode(i), Type: "Deal", VoucherTypeCode: "COLL", Description: theirsDescription, Redemptions: 1})
	}
	server := mock.New(d, mock.Options{})
	direct := httptest.NewServer(server)
	t.Cleanup(direct.Close)
	gw := httptest.NewServer(&gateway{next: server, rng: rand.New(rand.NewPCG(*soakSeed, *soakSeed^0x5eed))})
	t.Cleanup(gw.Close)
	client, err := api.New(api.Options{BaseURL: gw.URL, GetRetryWait: time.Millisecond})
	must(t, err)
	theirs, err := api.New(api.Options{BaseURL: direct.URL, GetRetries: -1})
	must(t, err)
	c, j := clerkOn(t, client)
	order := server.FirstOrderID()

	// The scans, a repeat of every third one a little behind it.
	rng := rand.New(rand.NewPCG(*soakSeed, 7))
	var scans []int
	for i := range n {
		scans = append(scans, i)
		if i%3 == 1 {
			at := min(len(scans)+rng.IntN(4), len(scans))
			scans = append(scans[:at], append([]int{i}, scans[at:]...)...)
		}
	}
	queue := make(chan int)
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, i := range rng.Perm(n) {
			req := api.AddVoucherRequest{Type: api.VoucherDeal, Credentials: api.VoucherCredentials{Barcode: theirsBarcode(i)}}
			_, _ = theirs.AddVoucher(context.Background(), order, req)
		}
	})
	policy := api.AttachPolicy{MaxAttempts: 4, Backoff: func(int) time.Duration { return time.Millisecond }}
	for range 3 {
		wg.Go(func() {
			for i := range queue {
				req := api.AddVoucherRequest{Type: api.VoucherDeal, Credentials: api.VoucherCredentials{Barcode: oursBarcode(i)}}
				if i%3 == 0 {
					req.Credentials.Pin = &pin
				}
				// As the screen's queue sends: the disk catches up behind.
				if _, _, _, recordErr := c.AttachUnsynced(context.Background(), order, req, policy); recordErr != nil {
					t.Error(recordErr)
				}
			}
		})
	}
	for _, i := range scans {
		queue <- i
	}
	close(queue)
	wg.Wait()
	must(t, j.Sync())

	held := soakOrder(t, direct.URL, order)
	outcomes := soakOutcomes(t, j.Path())
	counts := map[string]int{}
	for i := range n {
		masked := api.MaskBarcode(oursBarcode(i))
		lines := outcomes[masked]
		if len(lines) == 0 {
			t.Errorf("%s has no outcome in the journal", masked)
			continue
		}
		claimed := 0
		for _, e := range lines {
			counts[e.Outcome]++
			switch e.Outcome {
			case journal.OutcomeAttached, journal.OutcomeAlreadyAttached:
				claimed++
				if v, ok := held.byID[e.VoucherID]; !ok || v.VoucherTypeDescription != oursDescription {
					t.Errorf("%s journalled %s as %s, which is not ours on the order", masked, e.Outcome, e.VoucherID)
				}
			case journal.OutcomeRejected:
				t.Errorf("%s journalled rejected (%s: %s)", masked, e.Reason, e.Message)
			}
		}
		if claimed > 1 {
			t.Errorf("%s journalled attached %d times", masked, claimed)
		}
		if copies := held.ours[masked]; copies > 1 {
			t.Errorf("%s is on the order %d times", masked, copies)
		} else if last := lines[len(lines)-1].Outcome; copies == 1 && claimed == 0 &&
			last != journal.OutcomeUnknown && last != journal.OutcomeMatchedByMask && last != journal.OutcomeRepeat {
			t.Errorf("%s is on the order, but the journal's outcome is %q", masked, last)
		}
	}
	t.Logf("journal outcomes %v; %d of ours on the order", counts, len(held.ours))
	if counts[journal.OutcomeRepeat] == 0 || counts[journal.OutcomeMatchedByMask]+counts[journal.OutcomeUnknown] == 0 ||
		counts[journal.OutcomeAlreadyAttached] == 0 {
		t.Fatalf("the faults (seed %d) did not bite: %v", *soakSeed, counts)
	}
	if counts[journal.OutcomeAttached] < n/2 {
		t.Fatalf("only %d of %d attached: the faults are too heavy to show anything", counts[journal.OutcomeAttached], n)
	}
}

type heldOrder struct {
	byID map[string]api.OrderVoucher
	ours map[string]int // masked barcode of ours to copies held
}

func soakOrder(t *testing.T, url, order string) heldOrder {
	t.Helper()
	client, err := api.New(api.Options{BaseURL: url})
	must(t, err)
	resp, err := client.GetOrder(context.Background(), order)
	must(t, err)
	h := heldOrder{byID: map[string]api.OrderVoucher{}, ours: map[string]int{}}
	for _, v := range resp.Order.Vouchers {
		h.byID[v.ID] = v
		if v.VoucherTypeDescription == oursDescription {
			h.ours[v.MaskedBarcode]++
		}
	}
	return h
}

// soakOutcomes are the journal's outcome lines of each masked barcode.
func soakOutcomes(t *testing.T, path string) map[string][]journal.Entry {
	t.Helper()
	out := map[string][]journal.Entry{}
	for _, e := range decodeLines(t, path) {
		if e.Action == journal.ActionAttach && e.Outcome != journal.OutcomeAttempt {
			out[e.MaskedBarcode] = append(out[e.MaskedBarcode], e)
		}
	}
	return out
}

// flagSet reports whether a flag was given on the command line.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
