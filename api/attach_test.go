package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedOrder is a one-order OCAPI whose voucher endpoints misbehave on
// cue. Each POST, DELETE or GET takes the next action from its script;
// past the end of a script it behaves.
//
// Actions: "ok"; "apply-hangup" (apply, then close without answering);
// "hangup" (close without applying); "503", "502" and "504" (fail before
// applying: a gateway that never reached the server);
// "apply-503" and "apply-502" (apply, then fail); "late-504" (answer 504 and apply only when
// the next request of the same method arrives, like a slow back end that
// finishes after the client has re-read the order); "late-read-504"
// (answer 504 and apply just before the second request after it, of any
// kind: a back end that finishes a moment later); "theirs-502" (another writer adds a
// voucher that looks like ours, a different barcode with the same first
// two and last four characters, and the gateway answers 502 without
// reaching the server); "400" (refuse); "429"; "404".
//
// A voucher added twice is refused as already on the order, by its full
// barcode, unless acceptsRepeats is set.
type scriptedOrder struct {
	t *testing.T
	*recorder

	mu                        sync.Mutex
	vouchers                  []OrderVoucher
	barcodes                  map[string]string // voucher id -> full barcode
	acceptsRepeats            bool
	nextID                    int
	late                      func()
	lateMethod                string
	lateAfterGets             int
	posts, deletes, gets      []string
	postHits, delHits, getHit int
}

func newScriptedOrder(t *testing.T, posts, deletes, gets []string, existing ...OrderVoucher) *scriptedOrder {
	s := &scriptedOrder{t: t, vouchers: existing, posts: posts, deletes: deletes, gets: gets, barcodes: map[string]string{}}
	for _, v := range existing {
		// A voucher already there that looks like the tests' voucher is
		// that voucher, attached earlier; the others have the barcodes
		// their masks say, with zeros for the masked middle.
		s.barcodes[v.ID] = strings.NewReplacer(".", "0").Replace(v.MaskedBarcode)
		if looksLike(v, ticketVoucher) {
			s.barcodes[v.ID] = ticketVoucher.Credentials.Barcode
		}
	}
	s.recorder = newRecorder(t, s.serve)
	return s
}

func next(script []string, n int) string {
	if n < len(script) {
		return script[n]
	}
	return "ok"
}

func (s *scriptedOrder) serve(w http.ResponseWriter, r *http.Request, _ int) {
	s.mu.Lock()
	if s.late != nil && (s.lateMethod == r.Method || s.lateMethod == "") {
		if s.lateAfterGets--; s.lateAfterGets <= 0 {
			s.late()
			s.late = nil
		}
	}
	var action string
	switch r.Method {
	case http.MethodPost:
		action = next(s.posts, s.postHits)
		s.postHits++
	case http.MethodDelete:
		action = next(s.deletes, s.delHits)
		s.delHits++
	case http.MethodGet:
		action = next(s.gets, s.getHit)
		s.getHit++
	}
	s.mu.Unlock()

	switch action {
	case "hangup":
		hangUp(s.t, w)
		return
	case "503", "502", "504":
		serveJSON(w, map[string]int{"503": 503, "502": 502, "504": 504}[action], nil)
		return
	case "theirs-502", "theirs-504", "theirs-wait":
		s.mu.Lock()
		s.addTheirs(OrderVoucher{ID: "theirs-look-alike", Type: VoucherTicket, MaskedBarcode: "AD......0111"}, "ADXYZ9990111")
		s.mu.Unlock()
		switch action {
		case "theirs-wait":
			// No answer until the client gives up waiting.
			<-r.Context().Done()
		case "theirs-504":
			serveJSON(w, 504, nil)
		default:
			serveJSON(w, 502, nil)
		}
		return
	case "400":
		serveJSON(w, 400, []byte(`{"errorCode":"InvalidPin","message":"The PIN is wrong."}`))
		return
	case "429":
		serveJSON(w, 429, []byte(`{"blockedUntilUtc":"2030-01-01T00:00:00.1234567Z"}`))
		return
	case "404":
		serveJSON(w, 404, []byte(`{"errorCode":"OrderNotFound","message":"No such order."}`))
		return
	}
	apply := func() (int, []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.apply(r)
	}
	switch action {
	case "late-504":
		s.mu.Lock()
		s.late, s.lateMethod, s.lateAfterGets = func() { s.apply(r) }, r.Method, 0
		s.mu.Unlock()
		serveJSON(w, 504, nil)
	case "late-read-504":
		body := s.hitBody(r)
		s.mu.Lock()
		s.late, s.lateMethod, s.lateAfterGets = func() { s.applyAdd(body) }, "", 2
		s.mu.Unlock()
		serveJSON(w, 504, nil)
	case "apply-hangup":
		apply()
		hangUp(s.t, w)
	case "apply-503", "apply-502":
		apply()
		serveJSON(w, map[string]int{"apply-503": 503, "apply-502": 502}[action], nil)
	default:
		status, body := apply()
		serveJSON(w, status, body)
	}
}

// apply does what a healthy server does with r; s.mu is held.
func (s *scriptedOrder) apply(r *http.Request) (int, []byte) {
	switch r.Method {
	case http.MethodGet:
		if strings.HasPrefix(r.URL.Path, "/ocapi/v1/orders/completed/") {
			return 404, nil // an order in progress is not among the completed
		}
		b, _ := json.Marshal(OrderResponse{Order: Order{ID: "order1", Status: OrderInProgress, Vouchers: append([]OrderVoucher{}, s.vouchers...)}})
		return 200, b
	case http.MethodPost:
		return s.applyAdd(s.hitBody(r))
	case http.MethodDelete:
		id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		for i, v := range s.vouchers {
			if v.ID == id {
				s.vouchers = append(s.vouchers[:i], s.vouchers[i+1:]...)
				return 204, nil
			}
		}
		return 400, []byte(`{"errorCode":"UnknownVoucher","message":"That voucher is not on the order."}`)
	}
	return 405, nil
}

// applyAdd adds the voucher of an add's body; s.mu is held.
func (s *scriptedOrder) applyAdd(body []byte) (int, []byte) {
	var req AddVoucherRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return 400, nil
	}
	for _, v := range s.vouchers {
		if !s.acceptsRepeats && s.barcodes[v.ID] == req.Credentials.Barcode {
			return 400, []byte(`{"errorCode":"VoucherAlreadyOnOrder","message":"This voucher is already on the order."}`)
		}
	}
	s.nextID++
	v := OrderVoucher{ID: fmt.Sprintf("%032x", s.nextID), Type: req.Type, MaskedBarcode: MaskBarcode(req.Credentials.Barcode), VoucherTypeCode: "ADTMM"}
	s.vouchers = append(s.vouchers, v)
	s.barcodes[v.ID] = req.Credentials.Barcode
	b, _ := json.Marshal(map[string]any{"voucher": v, "availableRedemptions": 2})
	return 200, b
}

// addTheirs puts another writer's voucher on the order; s.mu is held.
func (s *scriptedOrder) addTheirs(v OrderVoucher, barcode string) {
	s.vouchers = append(s.vouchers, v)
	s.barcodes[v.ID] = barcode
}

// onOrder counts the vouchers on the order with the full barcode given.
func (s *scriptedOrder) onOrder(barcode string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.vouchers {
		if s.barcodes[v.ID] == barcode {
			n++
		}
	}
	return n
}

// hitBody finds the recorded body of r (the handler's own copy was consumed).
func (s *scriptedOrder) hitBody(r *http.Request) []byte {
	s.recorder.mu.Lock()
	defer s.recorder.mu.Unlock()
	for i := len(s.recorder.hits) - 1; i >= 0; i-- {
		if s.recorder.hits[i].Method == r.Method && s.recorder.hits[i].RequestURI == r.RequestURI {
			return s.recorder.hits[i].Body
		}
	}
	return nil
}

func (s *scriptedOrder) counts() (posts, deletes, gets, vouchers int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.postHits, s.delHits, s.getHit, len(s.vouchers)
}

// ticketVoucher has no PIN, so that an add whose outcome is unknown may be
// sent again; pinVoucher has one, so it may not.
var (
	ticketVoucher = AddVoucherRequest{Type: VoucherTicket, ShowtimeID: "0001-2681",
		Credentials: VoucherCredentials{Barcode: "ADTMM0000111"}}
	pinVoucher = AddVoucherRequest{Type: VoucherTicket, ShowtimeID: "0001-2681",
		Credentials: VoucherCredentials{Barcode: "ADTMM0000111", Pin: ptr("1234")}}
)

func TestAttachVoucher(t *testing.T) {
	earlier := OrderVoucher{ID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Type: VoucherTicket, MaskedBarcode: "AD......0111"}
	tests := []struct {
		name           string
		posts, gets    []string
		existing       []OrderVoucher
		known          []string
		repeatsRefused bool
		max            int
		outcome        AttachOutcome
		recovered      bool
		attempts       int
		redemptions    int
		wantKind       ErrorKind
		wantUnknown    bool
		wantLookAlike  bool
		wantPosts      int
		wantGets       int
		wantVouchers   int
	}{
		{name: "plain success", outcome: AttachAdded, attempts: 1, redemptions: 2,
			wantPosts: 1, wantGets: 0, wantVouchers: 1},
		{name: "answer lost after apply, repeats not known to be refused: matched by mask, not resent", posts: []string{"apply-hangup"},
			attempts: 1, wantKind: KindNetwork, wantUnknown: true, wantLookAlike: true,
			wantPosts: 1, wantGets: 1, wantVouchers: 1},
		{name: "answer lost after apply, repeats refused: the resend's refusal decides", posts: []string{"apply-hangup"}, repeatsRefused: true,
			outcome: AttachAlreadyOnOrder, recovered: true, attempts: 2, redemptions: -1,
			wantPosts: 2, wantGets: 3, wantVouchers: 1},
		{name: "a gateway's 5xx after apply, repeats refused: recovered", posts: []string{"apply-502"}, repeatsRefused: true,
			outcome: AttachAlreadyOnOrder, recovered: true, attempts: 2, redemptions: -1,
			wantPosts: 2, wantGets: 3, wantVouchers: 1},
		{name: "503 before apply: resent once after a second read", posts: []string{"503"},
			outcome: AttachAdded, recovered: true, attempts: 2, redemptions: 2,
			wantPosts: 2, wantGets: 2, wantVouchers: 1},
		{name: "hangup before apply: resent once after a second read", posts: []string{"hangup"},
			outcome: AttachAdded, recovered: true, attempts: 2, redemptions: 2,
			wantPosts: 2, wantGets: 2, wantVouchers: 1},
		{name: "repeated unknown gives up after MaxAttempts", posts: []string{"503", "hangup", "503", "503", "503"}, max: 3,
			attempts: 3, wantKind: KindServer, wantUnknown: true, wantPosts: 3, wantGets: 5, wantVouchers: 0},
		{name: "already on order after an unknown outcome", posts: []string{"late-504"},
			outcome: AttachAlreadyOnOrder, recovered: true, attempts: 2, redemptions: -1,
			wantPosts: 2, wantGets: 3, wantVouchers: 1},
		{name: "already on order without an unknown outcome is a refusal", existing: []OrderVoucher{earlier},
			known: []string{earlier.ID}, attempts: 1, wantKind: KindRejected, wantPosts: 1, wantGets: 0, wantVouchers: 1},
		{name: "definite refusal returns at once", posts: []string{"400"},
			attempts: 1, wantKind: KindRejected, wantPosts: 1, wantGets: 0},
		{name: "rate limit returns at once", posts: []string{"429"},
			attempts: 1, wantKind: KindRateLimited, wantPosts: 1, wantGets: 0},
		{name: "order gone returns at once", posts: []string{"404"},
			attempts: 1, wantKind: KindNotFound, wantPosts: 1, wantGets: 0},
		{name: "refusal of the resend after an unknown outcome", posts: []string{"503", "400"},
			attempts: 2, wantKind: KindRejected, wantPosts: 2, wantGets: 3},
		{name: "refusal of the resend that cannot be checked stays unknown", posts: []string{"503", "400"},
			gets: []string{"ok", "ok", "503", "503", "503", "503", "503", "503"}, max: 2,
			attempts: 2, wantKind: KindServer, wantUnknown: true, wantPosts: 2, wantGets: 8},
		{name: "no resend when the second read cannot be made", posts: []string{"503"},
			gets: []string{"ok", "503", "503", "503", "503", "503", "503"}, max: 2,
			attempts: 1, wantKind: KindServer, wantUnknown: true, wantPosts: 1, wantGets: 7},
		{name: "re-read retried through an outage", posts: []string{"hangup"}, gets: []string{"503", "hangup", "503", "503", "503"},
			outcome: AttachAdded, recovered: true, attempts: 2, redemptions: 2,
			wantPosts: 2, wantGets: 7, wantVouchers: 1},
		{name: "re-read never works: no blind resend", posts: []string{"hangup"}, gets: []string{"503", "503", "503", "503", "503", "503", "503", "503", "503"}, max: 3,
			attempts: 1, wantKind: KindNetwork, wantUnknown: true, wantPosts: 1, wantGets: 9},
		{name: "order expired during the re-read", posts: []string{"hangup"}, gets: []string{"404"},
			attempts: 1, wantKind: KindNotFound, wantPosts: 1, wantGets: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScriptedOrder(t, tt.posts, nil, tt.gets, tt.existing...)
			// GET retries 2 under each re-read: a re-read is up to 3 requests.
			c, _ := testClient(t, s.URL)
			p := fastPolicy(tt.max)
			p.KnownVoucherIDs = tt.known
			p.RepeatsRefused = tt.repeatsRefused
			res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, p)
			if KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v, want kind %v", err, tt.wantKind)
			}
			if IsOutcomeUnknown(err) != tt.wantUnknown {
				t.Errorf("OutcomeUnknown = %v, want %v", IsOutcomeUnknown(err), tt.wantUnknown)
			}
			if errors.Is(err, ErrLookAlike) != tt.wantLookAlike || (res.Outcome == AttachMatchedByMask) != tt.wantLookAlike {
				t.Errorf("err = %v, outcome %v: want a look-alike %v", err, res.Outcome, tt.wantLookAlike)
			}
			if res.Attempts != tt.attempts {
				t.Errorf("Attempts = %d, want %d", res.Attempts, tt.attempts)
			}
			if err == nil {
				if res.Outcome != tt.outcome || res.Recovered != tt.recovered || res.AvailableRedemptions != tt.redemptions {
					t.Errorf("result = %+v, want outcome %v recovered %v redemptions %d", res, tt.outcome, tt.recovered, tt.redemptions)
				}
				if res.Voucher.ID == "" || res.Voucher.MaskedBarcode != "AD......0111" {
					t.Errorf("voucher = %+v", res.Voucher)
				}
			}
			posts, _, gets, vouchers := s.counts()
			if posts != tt.wantPosts || gets != tt.wantGets || vouchers != tt.wantVouchers {
				t.Errorf("server saw %d POSTs, %d GETs, holds %d vouchers; want %d, %d, %d",
					posts, gets, vouchers, tt.wantPosts, tt.wantGets, tt.wantVouchers)
			}
		})
	}
}

// After a lost answer, a voucher the caller already knew is not taken for
// ours, even when its masked barcode and type match.
func TestAttachIgnoresKnownVouchers(t *testing.T) {
	known := OrderVoucher{ID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Type: VoucherTicket, MaskedBarcode: "AD......0111"}
	p := fastPolicy(4)
	p.KnownVoucherIDs = []string{known.ID}

	// The add is lost before it is applied. The re-read finds only the known
	// voucher, so the add is resent; the server refuses it as a duplicate of
	// the known one, and a second re-read again finds nothing new: the
	// refusal stands, and no voucher is invented.
	s := newScriptedOrder(t, []string{"hangup"}, nil, nil, known)
	c, _ := testClient(t, s.URL)
	res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, p)
	if KindOf(err) != KindRejected || res.Attempts != 2 {
		t.Errorf("known duplicate: %+v, %v", res, err)
	}

	// Without the known ids the same voucher looks new, and may be ours or
	// another writer's: it is matched by its mask, never taken for ours.
	s2 := newScriptedOrder(t, []string{"hangup"}, nil, nil, known)
	c2, _ := testClient(t, s2.URL)
	res, err = c2.AttachVoucher(context.Background(), "order1", ticketVoucher, fastPolicy(4))
	if !errors.Is(err, ErrLookAlike) || res.Outcome != AttachMatchedByMask || res.Voucher.ID != known.ID || res.Attempts != 1 {
		t.Errorf("without known ids: %+v, %v", res, err)
	}
	// On a server known to refuse repeats, the resend's refusal says the
	// barcode is on the order, and it is the one voucher like it: it is
	// on the order with that barcode either way.
	s2b := newScriptedOrder(t, []string{"hangup"}, nil, nil, known)
	c2b, _ := testClient(t, s2b.URL)
	p2 := fastPolicy(4)
	p2.RepeatsRefused = true
	res, err = c2b.AttachVoucher(context.Background(), "order1", ticketVoucher, p2)
	if err != nil || res.Outcome != AttachAlreadyOnOrder || res.Voucher.ID != known.ID || res.Attempts != 2 {
		t.Errorf("without known ids, repeats refused: %+v, %v", res, err)
	}

	// A voucher of another type with the same digits is never ours.
	other := OrderVoucher{ID: known.ID, Type: VoucherDeal, MaskedBarcode: known.MaskedBarcode}
	s3 := newScriptedOrder(t, []string{"hangup"}, nil, nil, other)
	c3, _ := testClient(t, s3.URL)
	res, err = c3.AttachVoucher(context.Background(), "order1", ticketVoucher, fastPolicy(4))
	if err != nil || res.Outcome != AttachAdded || res.Voucher.ID == other.ID || res.Attempts != 2 {
		t.Errorf("other type: %+v, %v", res, err)
	}
}

// AvailableRedemptions comes from the order when it says so. The add was
// answered with success the client could not read, so it was applied, and
// the one voucher like it on the order is ours.
func TestAttachRecoveredRedemptionsFromOrder(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodPost {
			serveJSON(w, 200, nil)
			return
		}
		serveJSON(w, 200, []byte(`{"order":{"id":"order1","vouchers":[
			{"id":"c1","type":"ticket","maskedBarcode":"XXXXXXXX0111","availableRedemptions":3}]}}`))
	})
	c, _ := testClient(t, rec.URL)
	res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, fastPolicy(2))
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != AttachAlreadyOnOrder || res.AvailableRedemptions != 3 || res.Voucher.ID != "c1" {
		t.Errorf("result = %+v", res)
	}
}

func TestAttachStopsWhenContextEnds(t *testing.T) {
	s := newScriptedOrder(t, []string{"503", "503", "503"}, nil, nil)
	c, _ := testClient(t, s.URL)
	ctx, cancel := context.WithCancel(context.Background())
	p := AttachPolicy{MaxAttempts: 10, Backoff: func(int) time.Duration { cancel(); return time.Hour }}
	res, err := c.AttachVoucher(ctx, "order1", ticketVoucher, p)
	if !IsOutcomeUnknown(err) || res.Attempts != 1 {
		t.Errorf("res %+v err %v", res, err)
	}
}

func TestMaskedMatches(t *testing.T) {
	tests := []struct {
		masked, barcode string
		want            bool
	}{
		{"........0111", "ADTMM0000111", true},
		{"********0111", "ADTMM0000111", true},
		{"XXXXXXXX0111", "ADTMM0000111", true},
		{"XXXXXXXX0111", "XDTMM0000111", true},
		{"ADTMX...0111", "ADTMM0000111", true},
		{"ADTMQ...0111", "ADTMM0000111", false},
		{"XXXXXXXXXXXX", "ADTMM0000111", false},
		{"ADTMM...0111", "adtmm0000111", true},
		{"........0112", "ADTMM0000111", false},
		{"....0111", "ADTMM0000111", false},
		{"", "ADTMM0000111", false},
		{"....", "1234", true},
		{"....", "5678", true},
		{"************", "ADTMM0000111", false},
	}
	for _, tt := range tests {
		if got := maskedMatches(tt.masked, tt.barcode); got != tt.want {
			t.Errorf("maskedMatches(%q, %q) = %v, want %v", tt.masked, tt.barcode, got, tt.want)
		}
	}
}

func TestDefaultBackoff(t *testing.T) {
	for attempt, max := range map[int]time.Duration{1: 200 * time.Millisecond, 2: 400 * time.Millisecond,
		3: 800 * time.Millisecond, 4: 1600 * time.Millisecond, 5: 2 * time.Second, 60: 2 * time.Second} {
		for range 50 {
			d := backoff(defaultGetRetryWait, attempt)
			if d < max/2 || d > max {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempt, d, max/2, max)
			}
		}
	}
}

func TestDetachVoucher(t *testing.T) {
	ours := OrderVoucher{ID: "cccccccccccccccccccccccccccccccc", Type: VoucherDeal, MaskedBarcode: "........0222"}
	tests := []struct {
		name         string
		deletes      []string
		gets         []string
		max          int
		wantKind     ErrorKind
		wantUnknown  bool
		wantDeletes  int
		wantGets     int
		wantVouchers int
	}{
		{name: "plain success", wantDeletes: 1},
		{name: "answer lost after removal", deletes: []string{"apply-hangup"}, wantDeletes: 1, wantGets: 1},
		{name: "503 before removal: resent", deletes: []string{"503"}, wantDeletes: 2, wantGets: 1},
		{name: "unknown voucher after an unknown outcome is success", deletes: []string{"late-504"},
			wantDeletes: 2, wantGets: 2},
		{name: "unknown voucher without an unknown outcome is a refusal", deletes: []string{"400"},
			wantKind: KindRejected, wantDeletes: 1, wantVouchers: 1},
		{name: "repeated unknown gives up", deletes: []string{"503", "503", "503", "503"}, max: 2,
			wantKind: KindServer, wantUnknown: true, wantDeletes: 2, wantGets: 2, wantVouchers: 1},
		{name: "refusal of the resend that cannot be checked stays unknown", deletes: []string{"503", "400"},
			gets: []string{"ok", "503", "503", "503", "503", "503", "503"}, max: 2,
			wantKind: KindServer, wantUnknown: true, wantDeletes: 2, wantGets: 7, wantVouchers: 1},
		{name: "re-read fails: no blind resend", deletes: []string{"hangup"}, gets: []string{"503", "503", "503", "503", "503", "503"}, max: 2,
			wantKind: KindNetwork, wantUnknown: true, wantDeletes: 1, wantGets: 6, wantVouchers: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScriptedOrder(t, nil, tt.deletes, tt.gets, ours)
			c, _ := testClient(t, s.URL)
			err := c.DetachVoucher(context.Background(), "order1", ours.ID, fastPolicy(tt.max))
			if KindOf(err) != tt.wantKind || IsOutcomeUnknown(err) != tt.wantUnknown {
				t.Fatalf("err = %v (unknown %v), want kind %v unknown %v", err, IsOutcomeUnknown(err), tt.wantKind, tt.wantUnknown)
			}
			_, deletes, gets, vouchers := s.counts()
			if deletes != tt.wantDeletes || gets != tt.wantGets || vouchers != tt.wantVouchers {
				t.Errorf("server saw %d DELETEs, %d GETs, holds %d vouchers; want %d, %d, %d",
					deletes, gets, vouchers, tt.wantDeletes, tt.wantGets, tt.wantVouchers)
			}
		})
	}
}

// A lost answer to an add with a PIN is not followed by a resend: if it was a
// refusal, the same PIN again would cost the customer an attempt nobody made.
// An add that did go through is on the order, but nothing tells it from
// another writer's voucher that looks the same: it is matched by its mask,
// for the operator to check.
func TestAttachWithPinIsNeverResent(t *testing.T) {
	tests := []struct {
		name      string
		posts     []string
		wantPosts int
		attached  bool
	}{
		{"lost before it was applied", []string{"hangup"}, 1, false},
		{"a 5xx before it was applied", []string{"503"}, 1, false},
		{"lost after it was applied", []string{"apply-hangup"}, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScriptedOrder(t, tt.posts, nil, nil)
			c, _ := testClient(t, s.URL)
			res, err := c.AttachVoucher(context.Background(), "order1", pinVoucher, fastPolicy(4))
			posts, _, _, _ := s.counts()
			if posts != tt.wantPosts {
				t.Fatalf("%d adds sent, want %d", posts, tt.wantPosts)
			}
			if tt.attached {
				if !errors.Is(err, ErrLookAlike) || !IsOutcomeUnknown(err) || res.Outcome != AttachMatchedByMask || len(res.LookAlikes) != 1 {
					t.Fatalf("an add whose answer was lost: %+v, %v; want it matched by its mask", res, err)
				}
				return
			}
			if !IsOutcomeUnknown(err) {
				t.Fatalf("err = %v, want an unknown outcome for the operator to settle", err)
			}
		})
	}
}

// After a lost answer, a voucher that looks like ours is not taken for ours
// when it may be another writer's: when another voucher nobody here added
// appeared with it, or more than one looks the same, or the caller has seen
// another writer add to the order before.
func TestLookAlikeOfAnotherWriterIsNotClaimed(t *testing.T) {
	theirs := OrderVoucher{ID: "theirs-look-alike", Type: VoucherTicket, MaskedBarcode: "AD......0111"}
	another := OrderVoucher{ID: "theirs-other", Type: VoucherTicket, MaskedBarcode: "AD......0999"}
	tests := []struct {
		name         string
		appeared     []OrderVoucher
		othersAdding bool
	}{
		{"a look-alike and another of theirs", []OrderVoucher{theirs, another}, false},
		{"two look-alikes", []OrderVoucher{theirs, {ID: "theirs-2", Type: VoucherTicket, MaskedBarcode: "AD......0111"}}, false},
		{"one look-alike on an order others add to", []OrderVoucher{theirs}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Our add gets a gateway's 502 while the other writer's vouchers
			// land on the order.
			s := newScriptedOrder(t, []string{"502"}, nil, nil)
			for i, v := range tt.appeared {
				s.addTheirs(v, fmt.Sprintf("ADOTHER%d0111", i))
			}
			c, _ := testClient(t, s.URL)
			policy := fastPolicy(4)
			policy.OthersAdding = tt.othersAdding
			res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, policy)
			if err == nil || !errors.Is(err, ErrLookAlike) || !IsOutcomeUnknown(err) || res.Outcome != AttachMatchedByMask {
				t.Fatalf("res %+v, err %v: want an unknown outcome naming the look-alike", res, err)
			}
			if posts, _, _, _ := s.counts(); posts != 1 {
				t.Fatalf("%d adds: a look-alike on the order must stop a resend too", posts)
			}
		})
	}
}

// A server that answers 503 says it did not process the add: a voucher like
// ours found on the order then is another writer's, and the add, which never
// arrived, may go again. Here it was ours after all (a server that applied
// it and then said 503): the resend is refused as a repeat, and as the one
// voucher like it was set aside as theirs, the refusal stands.
func TestA503IsNotContradictedByALookAlike(t *testing.T) {
	s := newScriptedOrder(t, []string{"apply-503"}, nil, nil)
	c, _ := testClient(t, s.URL)
	res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, fastPolicy(4))
	if KindOf(err) != KindRejected || ReasonOf(err) != ReasonAlreadyOnOrder || res.Outcome == AttachAdded || res.Outcome == AttachAlreadyOnOrder {
		t.Fatalf("res %+v, err %v: want the refusal as already on the order, not a claim", res, err)
	}
	if n := s.onOrder(ticketVoucher.Credentials.Barcode); n != 1 {
		t.Fatalf("the voucher is on the order %d times", n)
	}
}
