package api

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// The add never reached the server (a gateway's 502 or 504, or no answer
// before the client gave up) while another writer added a voucher with the
// same first two and last four characters and the same type. The re-read
// finds that one voucher like ours and nothing else: it is not taken for
// ours. A voucher with a PIN is never sent again, and one without is not
// either on a server not known to refuse repeats; the outcome is matched by
// the mask, to be checked, and the server holds only theirs.
func TestALookAlikeIsNeverTakenForOursOnAGuess(t *testing.T) {
	for _, action := range []string{"theirs-502", "theirs-504", "theirs-wait"} {
		for _, req := range []AddVoucherRequest{ticketVoucher, pinVoucher} {
			name := action + "/without a PIN"
			if req.Credentials.Pin != nil {
				name = action + "/with a PIN"
			}
			t.Run(name, func(t *testing.T) {
				s := newScriptedOrder(t, []string{action}, nil, nil)
				c, _ := testClient(t, s.URL, func(o *Options) { o.Timeout = 300 * time.Millisecond })
				res, err := c.AttachVoucher(context.Background(), "order1", req, fastPolicy(4))
				if err == nil || !IsOutcomeUnknown(err) || !errors.Is(err, ErrLookAlike) {
					t.Fatalf("res %+v, err %v: want an unknown outcome matched by the mask", res, err)
				}
				if res.Outcome != AttachMatchedByMask || len(res.LookAlikes) != 1 || res.LookAlikes[0].ID != "theirs-look-alike" {
					t.Errorf("result %+v: want matched_by_mask naming the look-alike", res)
				}
				if posts, _, _, _ := s.counts(); posts != 1 {
					t.Errorf("%d adds sent, want 1", posts)
				}
				if n := s.onOrder(req.Credentials.Barcode); n != 0 {
					t.Errorf("the barcode sent is on the order %d times; it never reached the server", n)
				}
			})
		}
	}
}

// On a server that refuses repeats, a voucher without a PIN is sent again
// after a lost answer, and the answer decides: a new voucher says ours was
// not there (the look-alike is theirs); a refusal as already on the order
// says the look-alike is ours.
func TestAResendDecidesForAVoucherWithoutAPin(t *testing.T) {
	t.Run("ours never arrived", func(t *testing.T) {
		s := newScriptedOrder(t, []string{"theirs-502"}, nil, nil)
		c, _ := testClient(t, s.URL)
		p := fastPolicy(4)
		p.RepeatsRefused = true
		res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, p)
		if err != nil || res.Outcome != AttachAdded || !res.Recovered || res.Voucher.ID == "theirs-look-alike" || res.Attempts != 2 {
			t.Fatalf("res %+v, err %v: want ours added by the resend", res, err)
		}
		if n := s.onOrder(ticketVoucher.Credentials.Barcode); n != 1 {
			t.Errorf("ours is on the order %d times, want once", n)
		}
	})
	t.Run("ours arrived", func(t *testing.T) {
		s := newScriptedOrder(t, []string{"apply-502"}, nil, nil)
		c, _ := testClient(t, s.URL)
		p := fastPolicy(4)
		p.RepeatsRefused = true
		res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, p)
		if err != nil || res.Outcome != AttachAlreadyOnOrder || res.Attempts != 2 {
			t.Fatalf("res %+v, err %v: want ours found by the resend's refusal", res, err)
		}
		if n := s.onOrder(ticketVoucher.Credentials.Barcode); n != 1 {
			t.Errorf("ours is on the order %d times, want once", n)
		}
	})
	t.Run("the client learns that repeats are refused", func(t *testing.T) {
		s := newScriptedOrder(t, []string{"ok", "ok", "theirs-502"}, nil, nil)
		c, _ := testClient(t, s.URL)
		other := AddVoucherRequest{Type: VoucherDeal, Credentials: VoucherCredentials{Barcode: "9300000000017"}}
		if _, err := c.AttachVoucher(context.Background(), "order1", other, fastPolicy(4)); err != nil {
			t.Fatal(err)
		}
		// The same barcode again: refused as already on the order.
		if _, err := c.AttachVoucher(context.Background(), "order1", other, fastPolicy(4)); ReasonOf(err) != ReasonAlreadyOnOrder {
			t.Fatalf("a repeat: %v, want it refused as already on the order", err)
		}
		res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, fastPolicy(4))
		if err != nil || res.Outcome != AttachAdded || res.Voucher.ID == "theirs-look-alike" {
			t.Fatalf("res %+v, err %v: want ours added by the resend", res, err)
		}
	})
}

// A gateway's 504 whose add lands a moment later, on a server that takes a
// barcode twice: the second read before a resend sees it, and nothing is
// sent twice.
func TestASecondReadCatchesALateAdd(t *testing.T) {
	s := newScriptedOrder(t, []string{"late-read-504"}, nil, nil)
	s.acceptsRepeats = true
	c, _ := testClient(t, s.URL)
	res, err := c.AttachVoucher(context.Background(), "order1", ticketVoucher, fastPolicy(4))
	if n := s.onOrder(ticketVoucher.Credentials.Barcode); n != 1 {
		t.Fatalf("the voucher is on the order %d times (res %+v, err %v)", n, res, err)
	}
	if posts, _, _, _ := s.counts(); posts != 1 {
		t.Errorf("%d adds sent, want 1", posts)
	}
	if !errors.Is(err, ErrLookAlike) || res.Outcome != AttachMatchedByMask {
		t.Errorf("res %+v, err %v: want it matched by its mask", res, err)
	}
}

// A success the client cannot read was an add all the same: one voucher
// like ours new on the order is then ours; two (another writer's beside
// it) are matched by the mask, the add being certain but not which is ours.
func TestAnAppliedAnswerDecides(t *testing.T) {
	for _, tt := range []struct {
		name       string
		theirs     bool
		lookAlikes int
	}{{"alone", false, 0}, {"beside another writer's", true, 2}} {
		t.Run(tt.name, func(t *testing.T) {
			var s *scriptedOrder
			rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
				s.mu.Lock()
				defer s.mu.Unlock()
				if r.Method == http.MethodPost {
					if tt.theirs {
						s.addTheirs(OrderVoucher{ID: "theirs-look-alike", Type: VoucherTicket, MaskedBarcode: "AD......0111"}, "ADXYZ9990111")
					}
					s.applyAdd(s.hitBody(r))
					serveJSON(w, 200, []byte(`{"voucher":`)) // cut short
					return
				}
				status, body := s.apply(r)
				serveJSON(w, status, body)
			})
			s = &scriptedOrder{t: t, recorder: rec, barcodes: map[string]string{}}
			c, _ := testClient(t, rec.URL)
			res, err := c.AttachVoucher(context.Background(), "order1", pinVoucher, fastPolicy(4))
			if tt.lookAlikes == 0 {
				if err != nil || res.Outcome != AttachAlreadyOnOrder || res.Voucher.ID == "theirs-look-alike" {
					t.Fatalf("res %+v, err %v: want ours", res, err)
				}
				return
			}
			if !errors.Is(err, ErrLookAlike) || res.Outcome != AttachMatchedByMask || len(res.LookAlikes) != tt.lookAlikes {
				t.Fatalf("res %+v, err %v: want both matched by the mask", res, err)
			}
		})
	}
}

// A success naming another voucher than the one sent (ZZ......9999 for a
// scan of ADTMM0008021) is an unknown outcome, never an add.
func TestAnAnswerNamingAnotherVoucherIsUnknown(t *testing.T) {
	for _, tt := range []struct {
		answer string
		fits   bool
	}{
		{`{"voucher":{"id":"z1","type":"Ticket","maskedBarcode":"ZZ......9999"},"availableRedemptions":1}`, false},
		{`{"voucher":{"id":"z1","type":"Deal","maskedBarcode":"AD......8021"},"availableRedemptions":1}`, false},
		{`{"voucher":{"id":"z1","type":"Ticket","maskedBarcode":"AD......8021"},"availableRedemptions":1}`, true},
		{`{"voucher":{"id":"z1","type":"ticket","maskedBarcode":"....8021"},"availableRedemptions":1}`, true},
		{`{"voucher":{"id":"z1","type":"Ticket","maskedBarcode":"********8021"},"availableRedemptions":1}`, true},
	} {
		rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
			serveJSON(w, 200, []byte(tt.answer))
		})
		c, _ := testClient(t, rec.URL)
		req := AddVoucherRequest{Type: VoucherTicket, ShowtimeID: "0001-2681", Credentials: VoucherCredentials{Barcode: "ADTMM0008021"}}
		res, err := c.AttachVoucher(context.Background(), "order1", req, fastPolicy(4))
		if tt.fits {
			if err != nil || res.Outcome != AttachAdded {
				t.Errorf("%s: res %+v, err %v; want it added", tt.answer, res, err)
			}
			continue
		}
		if err == nil || !IsOutcomeUnknown(err) || !errors.Is(err, ErrOtherVoucher) || res.Outcome == AttachAdded {
			t.Errorf("%s: res %+v, err %v; want an unknown outcome naming another voucher", tt.answer, res, err)
		}
		if n := len(rec.hits); n != 1 {
			t.Errorf("%s: %d requests, want the one add (nothing to re-read it against)", tt.answer, n)
		}
	}
}

// boxoffice's mock names itself and its data in every answer, and refuses a
// barcode twice: a client that heard it knows that a resend can decide.
func TestTheClientHearsTheMock(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set(MockHeader, "demo-data.json")
		serveJSON(w, 404, nil)
	})
	c, _ := testClient(t, rec.URL)
	if _, ok := c.MockData(); ok || c.repeatsRefused.Load() {
		t.Fatal("known as the mock before any answer")
	}
	_ = c.Warm(context.Background())
	if name, ok := c.MockData(); !ok || name != "demo-data.json" || !c.repeatsRefused.Load() {
		t.Errorf("after an answer: %q, %v", name, ok)
	}
}
