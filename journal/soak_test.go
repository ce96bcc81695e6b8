package journal

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

var soakSeed = flag.Uint64("soak.seed", 20261201, "seed of TestSoakSummary's counter")

// soak is a counter's days, drawn from a seed, written through the
// journal, with the counts a supervisor should be shown kept beside it.
type soak struct {
	t     *testing.T
	rng   *rand.Rand
	clock *testkit.Clock
	opts  Options
	path  string
	j     *Journal

	order    string // the order on the counter
	orders   int
	scans    int
	attached []string // barcodes attached to the order, not removed

	counts     map[[3]string]int // action, outcome, type
	open       int               // checks nothing settles
	settled    int               // checks a later line settles
	unreadable int
	// rotationCrashes and crashes count the crashes while the journal
	// moved to a new file, and all of them.
	rotationCrashes, crashes int
	completed                []string // order and transaction number
	cancelled                int
	seen                     map[string]bool      // orders with lines
	last                     map[string]time.Time // each order's last line
	// states is what Restore must find: per order, voucher id to
	// "attached N" or "removed".
	states map[string]map[string]string
}

func TestSoakSummary(t *testing.T) {
	seed := *soakSeed
	t.Logf("seed %d (rerun with -soak.seed=%d)", seed, seed)
	s := &soak{
		t:      t,
		rng:    rand.New(rand.NewPCG(seed, seed>>1^0x9e3779b97f4a7c15)),
		clock:  testkit.NewClock(at("2026-11-23", "09:00:00.000")),
		path:   filepath.Join(t.TempDir(), "journal.jsonl"),
		counts: map[[3]string]int{},
		seen:   map[string]bool{},
		last:   map[string]time.Time{},
		states: map[string]map[string]string{},
	}
	// Small files, so that sizes rotate the journal too.
	s.opts = Options{Now: s.clock.Now, Location: counterZone, MaxSize: 32 << 10}
	s.reopen()
	s.newOrder()
	const operations = 3000
	for range operations {
		s.tick()
		switch p := s.rng.IntN(100); {
		case p < 65:
			s.scan()
		case p < 70:
			s.remove()
		case p < 80:
			s.complete()
		case p < 83:
			s.cancel()
		case p < 85:
			s.abandon()
		case p < 86:
			s.damage()
		default:
			s.newOrder()
		}
	}
	if err := s.j.Close(); err != nil {
		t.Fatal(err)
	}
	s.verify()
}

// tick moves the clock: seconds between scans, and now and then the night.
func (s *soak) tick() {
	if s.rng.IntN(250) == 0 {
		s.clock.Advance(time.Duration(8+s.rng.IntN(8)) * time.Hour)
		return
	}
	s.clock.Advance(time.Duration(1+s.rng.IntN(40)) * time.Second)
}

func (s *soak) newOrder() {
	s.orders++
	s.order = fmt.Sprintf("%032x", s.orders)
	s.attached = nil
}

// write records e, and may crash the process first if writing it rotates
// the journal: reports whether the line was written.
func (s *soak) write(e Entry) bool {
	s.t.Helper()
	line, err := json.Marshal(sanitize(e, s.clock.Now()))
	if err != nil {
		s.t.Fatal(err)
	}
	if s.j.rot.due(s.clock.Now(), len(line)+1) && s.rng.IntN(3) == 0 {
		step := []string{stepLocked, stepSynced, stepRenamed, stepCreated, stepFolderSync}[s.rng.IntN(5)]
		rotateHook = func(at string) {
			if at == step {
				panic("crash")
			}
		}
		crashed := func() (crashed bool) {
			defer func() {
				rotateHook = nil
				crashed = recover() != nil
			}()
			s.j.Record(e)
			return false
		}()
		if crashed {
			s.rotationCrashes++
			s.crash(false)
			return false
		}
		s.t.Fatalf("no crash at %s", step)
	}
	if s.rng.IntN(4) == 0 {
		// The scan queue's way: written now, flushed with the next.
		_, err = s.j.Write(e)
	} else {
		err = s.j.Record(e)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.seen[e.OrderID], s.last[e.OrderID] = true, s.clock.Now()
	return true
}

// crash ends the process as a crash would: the lines written stay, a torn
// one when it died mid-write, and the next start opens the journal again.
func (s *soak) crash(midLine bool) {
	s.crashes++
	if s.j.startOnNewLine {
		midLine = false // a second torn end would join the first
	}
	s.j.f.Close()
	for _, f := range s.j.retired {
		f.Close()
	}
	if midLine {
		f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			s.t.Fatal(err)
		}
		f.WriteString(`{"time":"` + s.clock.Now().UTC().Format(time.RFC3339Nano) + `","orderId":"` + s.order + `","act`)
		f.Close()
		s.unreadable++
	}
	// The file's time is the last write's, on this test's clock.
	now := s.clock.Now()
	os.Chtimes(s.path, now, now)
	s.reopen()
}

func (s *soak) reopen() {
	j, err := OpenWith(s.path, s.opts)
	if err != nil {
		s.t.Fatal(err)
	}
	s.j = j
}

func (s *soak) count(action, outcome, vtype string) {
	s.counts[[3]string{action, outcome, vtype}]++
}

func (s *soak) state(voucher, state string) {
	if s.states[s.order] == nil {
		s.states[s.order] = map[string]string{}
	}
	s.states[s.order][voucher] = state
}

func (s *soak) scan() {
	s.scans++
	barcode := fmt.Sprintf("SK%06d%04d", s.scans, s.scans%10000)
	vtype := voucherTypes[s.rng.IntN(len(voucherTypes))]
	e := Entry{OrderID: s.order, Action: ActionAttach, MaskedBarcode: barcode, VoucherType: vtype}
	attempt := e
	attempt.Outcome = OutcomeAttempt
	if !s.write(attempt) {
		return // lost with the crash before it was written: never sent
	}
	// Some answers come after midnight.
	s.clock.Advance(time.Duration(s.rng.IntN(3000)) * time.Millisecond)
	voucher := "V-" + barcode
	switch p := s.rng.IntN(100); {
	case p < 60:
		e.Outcome, e.VoucherID, e.AvailableRedemptions = OutcomeAttached, voucher, intPtr(s.rng.IntN(4))
	case p < 65:
		e.Outcome, e.VoucherID = OutcomeAlreadyAttached, voucher
	case p < 78:
		e.Outcome, e.ErrorKind, e.Message = OutcomeRejected, "rejected", barcode+" has expired"
	case p < 82:
		e.Outcome, e.ErrorKind = OutcomeBlocked, "rate_limited"
	case p < 86:
		e.Outcome, e.ErrorKind = OutcomeFailed, "server"
	case p < 94:
		e.Outcome, e.ErrorKind = OutcomeUnknown, "timeout"
	default:
		// The program dies while the scan is sent, sometimes in the
		// middle of writing its outcome. Half the time the scan is tried
		// again after the restart, which answers the attempt.
		s.crash(s.rng.IntN(2) == 0)
		if s.rng.IntN(2) == 0 {
			s.retry(e, voucher, false)
		} else {
			s.open++
			s.count(ActionAttach, CheckNoOutcome, vtype)
		}
		return
	}
	if !s.write(e) {
		// Its outcome was lost with a crash: the attempt has none.
		s.open++
		s.count(ActionAttach, CheckNoOutcome, vtype)
		return
	}
	s.count(ActionAttach, e.Outcome, vtype)
	switch e.Outcome {
	case OutcomeAttached:
		s.attached = append(s.attached, barcode)
		s.state(voucher, fmt.Sprintf("attached %d", *e.AvailableRedemptions))
	case OutcomeAlreadyAttached:
		s.attached = append(s.attached, barcode)
		if st := s.states[s.order][voucher]; st == "" {
			s.state(voucher, "attached -")
		}
	case OutcomeUnknown:
		if s.rng.IntN(2) == 0 {
			s.retry(e, voucher, true)
		} else {
			s.open++
		}
	}
}

// retry sends a scan again, as the operator does with ctrl+r, and finds
// it attached. settling: the first try was unknown, which the retry
// settles; else the first try's attempt is unanswered, which the retry's
// outcome answers.
func (s *soak) retry(e Entry, voucher string, settling bool) {
	s.tick()
	attempt := e
	attempt.Outcome, attempt.ErrorKind, attempt.VoucherID, attempt.AvailableRedemptions = OutcomeAttempt, "", "", nil
	firstTry := func() {
		s.open++
		if !settling {
			s.count(ActionAttach, CheckNoOutcome, e.VoucherType)
		}
	}
	if !s.write(attempt) {
		firstTry()
		return
	}
	done := attempt
	done.Outcome, done.VoucherID, done.AvailableRedemptions = OutcomeAttached, voucher, intPtr(1)
	if !s.write(done) {
		firstTry()
		s.open++
		s.count(ActionAttach, CheckNoOutcome, e.VoucherType)
		return
	}
	if settling {
		s.settled++
	}
	s.count(ActionAttach, OutcomeAttached, e.VoucherType)
	s.attached = append(s.attached, e.MaskedBarcode)
	s.state(voucher, "attached 1")
}

func (s *soak) remove() {
	if len(s.attached) == 0 {
		return
	}
	i := s.rng.IntN(len(s.attached))
	barcode := s.attached[i]
	e := Entry{OrderID: s.order, Action: ActionRemove, MaskedBarcode: barcode[:2] + "......" + barcode[len(barcode)-4:],
		VoucherType: "Ticket", VoucherID: "V-" + barcode}
	attempt := e
	attempt.Outcome = OutcomeAttempt
	if !s.write(attempt) {
		return
	}
	// Removed or not, it is not removed again: a second removal would
	// answer an attempt left unanswered.
	s.attached = slices.Delete(s.attached, i, i+1)
	e.Outcome = OutcomeRemoved
	if !s.write(e) {
		s.open++
		s.count(ActionRemove, CheckNoOutcome, "Ticket")
		return
	}
	s.count(ActionRemove, OutcomeRemoved, "Ticket")
	s.state(e.VoucherID, "removed")
}

func (s *soak) complete() {
	e := Entry{OrderID: s.order, Action: ActionComplete}
	attempt := e
	attempt.Outcome = OutcomeAttempt
	if !s.write(attempt) {
		return
	}
	// Whatever the answer, the next customer's order is next: a later
	// completion of this one would answer an attempt left unanswered.
	defer s.newOrder()
	number := fmt.Sprint(100000 + s.orders)
	switch p := s.rng.IntN(100); {
	case p < 85:
		e.Outcome, e.Message = OutcomeCompleted, "transaction "+number
		if !s.write(e) {
			s.open++ // no outcome
			return
		}
		s.completed = append(s.completed, s.order+" "+number)
	case p < 90:
		e.Outcome = OutcomeCompleted // the number was lost with the answer
		if !s.write(e) {
			s.open++
			return
		}
		s.open++
		s.completed = append(s.completed, s.order+" ")
	default:
		e.Outcome, e.ErrorKind, e.Message = OutcomeUnknown, "timeout", "completion pending"
		if !s.write(e) {
			s.open++
			return
		}
		// Asking again settles it, when the answer comes.
		s.tick()
		e.Outcome, e.ErrorKind, e.Message = OutcomeCompleted, "", "transaction "+number
		if s.rng.IntN(3) == 0 || !s.write(e) {
			s.open++
		} else {
			s.settled++
			s.completed = append(s.completed, s.order+" "+number)
		}
	}
}

func (s *soak) cancel() {
	e := Entry{OrderID: s.order, Action: ActionCancel}
	attempt := e
	attempt.Outcome = OutcomeAttempt
	if !s.write(attempt) {
		return
	}
	defer s.newOrder()
	e.Outcome = OutcomeCancelled
	if !s.write(e) {
		s.open++
		return
	}
	s.cancelled++
}

// abandon is a scan given up when the counter quit, before it was sent.
func (s *soak) abandon() {
	s.scans++
	barcode := fmt.Sprintf("SK%06d%04d", s.scans, s.scans%10000)
	if s.write(Entry{OrderID: s.order, Action: ActionAttach, MaskedBarcode: barcode, VoucherType: "Deal", Outcome: OutcomeAbandoned}) {
		s.open++
		s.count(ActionAttach, OutcomeAbandoned, "Deal")
	}
}

// damage is a line the journal did not write.
func (s *soak) damage() {
	f, err := os.OpenFile(s.j.Path(), os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	if s.j.startOnNewLine {
		f.WriteString("\n") // not onto a torn line
	}
	f.WriteString([]string{"garbage\n", "{\"time\":\n", "\x00\x00\x00\x00\n", "{\"orderId\":\"" + s.order + "\"}\n"}[s.rng.IntN(4)])
	f.Close()
	s.unreadable++
}

func (s *soak) verify() {
	t := s.t
	log, err := Read(s.path, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files(t, filepath.Dir(s.path)) {
		if _, _, ok := parseRotated(s.path, name); !ok && name != filepath.Base(s.path) {
			t.Errorf("a stray file %s is left", name)
		}
	}
	if len(log.Files) < 10 {
		t.Errorf("only %d files: the soak should cross many midnights and sizes", len(log.Files))
	}
	sum := Summarize(log.Lines, log.Unreadable)

	got := map[[3]string]int{}
	for _, c := range sum.Vouchers {
		got[[3]string{c.Action, c.Outcome, c.VoucherType}] = c.N
	}
	for k := range merged(got, s.counts) {
		if got[k] != s.counts[k] {
			t.Errorf("%s %s %s: summary counts %d, the counter did %d", k[0], k[1], k[2], got[k], s.counts[k])
		}
	}
	settled := 0
	for _, l := range sum.ToCheck {
		if !l.Open() {
			settled++
		}
	}
	if open := len(sum.ToCheck) - settled; open != s.open || settled != s.settled {
		t.Errorf("to check: %d open and %d settled, the counter left %d and %d", open, settled, s.open, s.settled)
	}
	if len(sum.Unreadable) != s.unreadable || sum.NeedsChecking() != s.open+s.unreadable {
		t.Errorf("%d unreadable lines (needs checking %d), the counter made %d (%d)", len(sum.Unreadable), sum.NeedsChecking(), s.unreadable, s.open+s.unreadable)
	}
	var completed []string
	for _, c := range sum.Completed {
		completed = append(completed, c.OrderID+" "+c.TransactionNumber)
	}
	if !slices.Equal(completed, s.completed) {
		t.Errorf("completed\n%s\nwant\n%s", strings.Join(completed, "\n"), strings.Join(s.completed, "\n"))
	}
	if sum.Cancelled != s.cancelled || sum.Orders != len(s.seen) {
		t.Errorf("%d cancelled, %d orders; the counter did %d, %d", sum.Cancelled, sum.Orders, s.cancelled, len(s.seen))
	}
	t.Logf("%d lines in %d files; %d to check, %d settled, %d unreadable; %d orders, %d completed; %d crashes, %d of them rotating",
		len(log.Lines), len(log.Files), s.open, s.settled, s.unreadable, len(s.seen), len(s.completed), s.crashes, s.rotationCrashes)
	if s.rotationCrashes == 0 {
		t.Error("no crash while rotating: the soak tests less than it says")
	}

	// The last orders restore as the counter left them, when it opens them
	// again soon after.
	var recent []string
	for order := range s.states {
		recent = append(recent, order)
	}
	slices.Sort(recent)
	recent = recent[max(0, len(recent)-20):]
	for _, order := range recent {
		states, _, err := restore(s.path, order, s.last[order].Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		for voucher, w := range s.states[order] {
			st := states[voucher]
			g := "removed"
			if !st.Removed {
				g = "attached -"
				if st.AvailableRedemptions != nil {
					g = fmt.Sprintf("attached %d", *st.AvailableRedemptions)
				}
			}
			if g != w {
				t.Errorf("order %s voucher %s restores %q, want %q", order, voucher, g, w)
			}
		}
	}
}

func merged(a, b map[[3]string]int) map[[3]string]bool {
	keys := map[[3]string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
