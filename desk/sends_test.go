package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// acceptingServer is one order on a server that takes a barcode twice, as
// some may: what it holds is the test of one send per barcode. Each add
// waits for hold to be closed when hold is set, so that it stays on its way.
type acceptingServer struct {
	mu    sync.Mutex
	adds  map[string]int // barcode -> adds applied
	posts int
	hold  chan struct{}
	// during runs inside an add, before it is answered.
	during func()
	ids    int
	order  []api.OrderVoucher
}

func (s *acceptingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.Method {
	case http.MethodPost:
		var req api.AddVoucherRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			w.WriteHeader(400)
			return
		}
		s.mu.Lock()
		s.posts++
		hold, during := s.hold, s.during
		s.mu.Unlock()
		if hold != nil {
			<-hold
		}
		if during != nil {
			during()
		}
		s.mu.Lock()
		s.adds[req.Credentials.Barcode]++
		s.ids++
		v := api.OrderVoucher{ID: fmt.Sprintf("v%d", s.ids), Type: req.Type, MaskedBarcode: api.MaskBarcode(req.Credentials.Barcode)}
		s.order = append(s.order, v)
		s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"voucher": v, "availableRedemptions": 1})
	case http.MethodDelete:
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		s.mu.Lock()
		for i, v := range s.order {
			if v.ID == id {
				s.order = append(s.order[:i], s.order[i+1:]...)
				s.adds[api.MaskBarcode(v.MaskedBarcode)]--
			}
		}
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		s.mu.Lock()
		defer s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(api.OrderResponse{Order: api.Order{ID: demoOrder, Vouchers: s.order}})
	}
}

func (s *acceptingServer) counts(barcode string) (posts, applied int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.adds[barcode]
}

func acceptingClerk(t *testing.T, s *acceptingServer) (*Clerk, *journal.Journal) {
	t.Helper()
	s.adds = map[string]int{}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	client, err := api.New(api.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return clerkOn(t, client)
}

// A scan repeated while the first is on its way, or after it was attached,
// is not sent: the Clerk decides it as the scan is sent, so a queue of
// scans cannot send a barcode twice, even to a server that would take it
// twice. The repeat is one attempt, journalled as a repeat, never as a
// refusal; once the voucher is removed it may go on again.
func TestOneSendPerBarcode(t *testing.T) {
	s := &acceptingServer{hold: make(chan struct{})}
	c, j := acceptingClerk(t, s)
	const barcode = "ADTMM0001001"
	first := make(chan api.AttachResult, 1)
	go func() {
		res, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher(barcode, ""), api.AttachPolicy{})
		if err != nil || recordErr != nil {
			t.Error(err, recordErr)
		}
		first <- res
	}()
	testkit.WaitFor(t, "the first add on its way", 15*time.Second, func() bool {
		posts, _ := s.counts(barcode)
		return posts == 1
	})
	if st, _ := c.BarcodeState(demoOrder, barcode); st != BarcodeInFlight {
		t.Errorf("state while on its way: %v", st)
	}

	// The queued repeat, sent while the first is on its way.
	_, line, err, recordErr := c.AttachUnsynced(context.Background(), demoOrder, ticketVoucher(barcode, ""), api.AttachPolicy{})
	var repeat *RepeatError
	if !errors.As(err, &repeat) || !repeat.InFlight || recordErr != nil || line == 0 {
		t.Fatalf("repeat on its way: err %v, recordErr %v", err, recordErr)
	}
	close(s.hold)
	attached := <-first

	// And once it is attached.
	_, err, _ = c.Attach(context.Background(), demoOrder, ticketVoucher(" "+barcode+" ", ""), api.AttachPolicy{})
	if !errors.As(err, &repeat) || repeat.InFlight || repeat.VoucherID != attached.Voucher.ID || !errors.Is(err, ErrRepeat) {
		t.Fatalf("repeat of an attached voucher: %v", err)
	}
	if posts, applied := s.counts(barcode); posts != 1 || applied != 1 {
		t.Fatalf("%d adds sent, %d applied; want one of each", posts, applied)
	}
	if OutcomeOf(err) != journal.OutcomeRepeat {
		t.Errorf("OutcomeOf(repeat) = %q", OutcomeOf(err))
	}
	must(t, j.Sync())
	var outcomes []string
	for _, e := range decodeLines(t, j.Path()) {
		outcomes = append(outcomes, e.Outcome)
	}
	if got := strings.Join(outcomes, " "); got != "attempt repeat attached repeat" {
		t.Errorf("journal outcomes %q, want the attempt, a repeat, the outcome and a repeat", got)
	}
	log, err := journal.Read(j.Path(), time.Time{})
	must(t, err)
	s2 := journal.Summarize(log.Lines, log.Unreadable)
	if len(s2.Refusals) != 0 || s2.NeedsChecking() != 0 {
		t.Errorf("repeats counted as refusals %+v or to check %d", s2.Refusals, s2.NeedsChecking())
	}

	// Removed, it may be attached again.
	err, recordErr = c.Detach(context.Background(), demoOrder, attached.Voucher, api.AttachPolicy{})
	must(t, errors.Join(err, recordErr))
	if _, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher(barcode, ""), api.AttachPolicy{}); err != nil || recordErr != nil {
		t.Fatalf("after its removal: %v, %v", err, recordErr)
	}
	if posts, _ := s.counts(barcode); posts != 2 {
		t.Errorf("%d adds sent, want 2", posts)
	}
}

// A journal removed or replaced while the counter runs stops the next scan
// before it is sent, even one whose attempt is not waited for (the screen's
// queue): nothing reaches the server that only an orphaned file would
// record.
func TestNothingIsSentOnceTheJournalIsGone(t *testing.T) {
	for _, replace := range []bool{false, true} {
		client, writes := demoServer(t)
		c, j := clerkOn(t, client)
		if _, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher("ADTMM0000444", ""), api.AttachPolicy{}); err != nil || recordErr != nil {
			t.Fatal(err, recordErr)
		}
		must(t, os.Remove(j.Path()))
		if replace {
			must(t, os.WriteFile(j.Path(), nil, 0o600))
		}
		before := writes.Load()
		_, _, err, recordErr := c.AttachUnsynced(context.Background(), demoOrder, ticketVoucher("ADTMM0000666", ""), api.AttachPolicy{})
		if err != nil || !errors.Is(recordErr, ErrNothingSent) {
			t.Fatalf("replaced %v: err %v, recordErr %v; want nothing sent", replace, err, recordErr)
		}
		if n := writes.Load() - before; n != 0 {
			t.Fatalf("replaced %v: %d requests reached the server after the journal was gone", replace, n)
		}
	}
}

// An add the server applied, whose outcome the journal could not record,
// is returned attached, with the record error saying it was sent.
func TestAnAppliedAddTheJournalCouldNotRecord(t *testing.T) {
	s := &acceptingServer{}
	c, j := acceptingClerk(t, s)
	s.during = func() { os.Remove(j.Path()) }
	res, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher("ADTMM0001001", ""), api.AttachPolicy{})
	if err != nil || res.Voucher.ID == "" || recordErr == nil || errors.Is(recordErr, ErrNothingSent) {
		t.Fatalf("res %+v, err %v, recordErr %v: want attached and not recorded", res, err, recordErr)
	}
	if st, id := c.BarcodeState(demoOrder, "ADTMM0001001"); st != BarcodeAttached || id != res.Voucher.ID {
		t.Errorf("state %v %q: an add on the order is known attached, recorded or not", st, id)
	}
}

// Refusals are journalled with their reason and HTTP status, and the wrong
// PIN that starts a block as blocked, with the block's end; every line says
// who wrote it, where.
func TestRefusalsAreJournalledWithTheirReasons(t *testing.T) {
	client, _ := demoServer(t)
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j, err := journal.OpenWith(path, journal.Options{Stamp: journal.Stamp{Server: "mock:built-in", Counter: "till-1", Operator: "ann", Version: "1.2.3"}})
	must(t, err)
	defer j.Close()
	c := New(client, j)
	ctx := context.Background()
	for _, req := range []api.AddVoucherRequest{
		ticketVoucher("ADTMM0000222", "0000"), ticketVoucher("ADTMM0000222", "0000"), ticketVoucher("ADTMM0000222", "0000"),
		ticketVoucher("ADTMM0000999", "9999"), ticketVoucher("ADTMM0000555", "5555"), ticketVoucher("ZZTOP0000000", ""),
		{Type: api.VoucherDeal, Credentials: api.VoucherCredentials{Barcode: "ADTMM0000444"}},
	} {
		if _, err, recordErr := c.Attach(ctx, demoOrder, req, api.AttachPolicy{}); err == nil || recordErr != nil {
			t.Fatalf("%s: %v, %v", req.Credentials.Barcode, err, recordErr)
		}
	}
	type got struct{ outcome, reason string }
	var refusals []got
	for _, e := range decodeLines(t, path) {
		if e.Server != "mock:built-in" || e.Counter != "till-1" || e.Operator != "ann" || e.Version != "1.2.3" {
			t.Errorf("line without its stamp: %+v", e)
		}
		if e.Outcome == journal.OutcomeAttempt {
			continue
		}
		if e.HTTPStatus != 400 {
			t.Errorf("%s %s: HTTP status %d", e.MaskedBarcode, e.Outcome, e.HTTPStatus)
		}
		if (e.Outcome == journal.OutcomeBlocked) != !e.BlockedUntil.IsZero() {
			t.Errorf("%s %s: blocked until %v", e.MaskedBarcode, e.Outcome, e.BlockedUntil)
		}
		refusals = append(refusals, got{e.Outcome, e.Reason})
	}
	want := []got{{"rejected", "wrong_pin"}, {"rejected", "wrong_pin"}, {"blocked", "wrong_pin"},
		{"rejected", "used_up"}, {"rejected", "expired"}, {"rejected", "unknown_barcode"}, {"rejected", "wrong_type"}}
	if fmt.Sprint(refusals) != fmt.Sprint(want) {
		t.Errorf("refusals %v, want %v", refusals, want)
	}
}

// An add whose answer was lost, after which the order holds a voucher that
// only looks like it, is journalled matched_by_mask with the look-alike,
// and is among what journal summary says needs checking.
func TestALookAlikeIsJournalledForChecking(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		// Another writer's voucher, with the same first two and last four.
		fmt.Fprint(w, `{"order":{"id":"`+demoOrder+`","vouchers":[{"id":"theirs","type":"Ticket","maskedBarcode":"AD......7001"}]}}`)
	}))
	t.Cleanup(srv.Close)
	client, err := api.New(api.Options{BaseURL: srv.URL, GetRetryWait: time.Millisecond})
	must(t, err)
	c, j := clerkOn(t, client)
	res, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher("ADTMM0007001", "1234"), api.AttachPolicy{})
	if !errors.Is(err, api.ErrLookAlike) || recordErr != nil || res.Outcome != api.AttachMatchedByMask {
		t.Fatalf("res %+v, err %v, recordErr %v", res, err, recordErr)
	}
	lines := decodeLines(t, j.Path())
	last := lines[len(lines)-1]
	if last.Outcome != journal.OutcomeMatchedByMask || last.VoucherID != "theirs" || last.HTTPStatus != 502 {
		t.Errorf("outcome line %+v", last)
	}
	log, err := journal.Read(j.Path(), time.Time{})
	must(t, err)
	if s := journal.Summarize(log.Lines, log.Unreadable); s.NeedsChecking() != 1 || s.ToCheck[0].Check != journal.CheckMatchedByMask {
		t.Errorf("summary: %+v", s)
	}
	if st, _ := c.BarcodeState(demoOrder, "ADTMM0007001"); st != BarcodeFree {
		t.Errorf("a barcode whose outcome is not known is %v, want free for the operator to decide", st)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A barcode whose last add went unanswered may be scanned again; when the
// server refuses it as already on the order, that is the earlier add found,
// journalled already_attached, not a refusal.
func TestARescanAfterALostAnswerFindsTheEarlierAdd(t *testing.T) {
	demo := mockHandler()
	var posts int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			mu.Lock()
			posts++
			first := posts == 1
			mu.Unlock()
			if first {
				// Applied, and the gateway loses the answer.
				demo.ServeHTTP(httptest.NewRecorder(), r)
				w.WriteHeader(http.StatusBadGateway)
				return
			}
		}
		demo.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client, err := api.New(api.Options{BaseURL: srv.URL, GetRetryWait: time.Millisecond})
	must(t, err)
	c, j := clerkOn(t, client)
	req := ticketVoucher("ADTMM0000111", "1234")
	if _, err, _ := c.Attach(context.Background(), demoOrder, req, api.AttachPolicy{}); !errors.Is(err, api.ErrLookAlike) {
		t.Fatalf("first scan: %v, want it matched by its mask", err)
	}
	res, err, recordErr := c.Attach(context.Background(), demoOrder, req, api.AttachPolicy{})
	if err != nil || recordErr != nil || res.Outcome != api.AttachAlreadyOnOrder {
		t.Fatalf("second scan: %+v, %v, %v", res, err, recordErr)
	}
	lines := decodeLines(t, j.Path())
	if last := lines[len(lines)-1]; last.Outcome != journal.OutcomeAlreadyAttached || last.VoucherID != res.Voucher.ID {
		t.Errorf("journal: %+v", last)
	}
	mu.Lock()
	defer mu.Unlock()
	if posts != 2 {
		t.Errorf("%d adds sent", posts)
	}
}

func mockHandler() http.Handler { return mock.New(mock.DefaultData(), mock.Options{}) }
