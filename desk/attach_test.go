package desk

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/journal"
)

const demoOrder = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

func demoServer(t *testing.T) (*api.Client, *atomic.Int32) {
	t.Helper()
	var writes atomic.Int32
	h := mock.New(mock.DefaultData(), mock.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writes.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return c, &writes
}

func ticketVoucher(barcode, pin string) api.AddVoucherRequest {
	req := api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
		Credentials: api.VoucherCredentials{Barcode: barcode}}
	if pin != "" {
		req.Credentials.Pin = &pin
	}
	return req
}

// clerkOn is a Clerk sending through client and recording in a new journal.
func clerkOn(t *testing.T, client *api.Client) (*Clerk, *journal.Journal) {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return New(client, j), j
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func decodeLines(t *testing.T, path string) []journal.Entry {
	t.Helper()
	var out []journal.Entry
	for _, line := range readLines(t, path) {
		var e journal.Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("bad journal line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

func TestAttachRecordsAttemptThenOutcome(t *testing.T) {
	tests := []struct {
		name, barcode, pin string
		wantOutcome        string
		wantKind           string
		wantRedemptions    int
	}{
		{"attached", "ADTMM0000111", "1234", journal.OutcomeAttached, "", 2},
		{"wrong PIN", "ADTMM0000111", "9999", journal.OutcomeRejected, "rejected", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, _ := demoServer(t)
			c, j := clerkOn(t, client)
			res, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher(tt.barcode, tt.pin), api.AttachPolicy{})
			if recordErr != nil {
				t.Fatal(recordErr)
			}
			if (err != nil) != (tt.wantKind != "") {
				t.Fatalf("err = %v", err)
			}
			lines := decodeLines(t, j.Path())
			if len(lines) != 2 {
				t.Fatalf("want an attempt and an outcome, got %+v", lines)
			}
			if lines[0].Outcome != journal.OutcomeAttempt || lines[1].Outcome != tt.wantOutcome || lines[1].ErrorKind != tt.wantKind {
				t.Fatalf("journal = %+v", lines)
			}
			if tt.wantRedemptions >= 0 {
				if lines[1].AvailableRedemptions == nil || *lines[1].AvailableRedemptions != tt.wantRedemptions ||
					lines[1].VoucherID != res.Voucher.ID {
					t.Fatalf("outcome line = %+v, result %+v", lines[1], res)
				}
			}
			raw := strings.Join(readLines(t, j.Path()), "\n")
			if strings.Contains(raw, tt.barcode) || strings.Contains(raw, tt.pin) {
				t.Fatalf("the journal holds a full barcode or a PIN:\n%s", raw)
			}
		})
	}
}

func TestAttachSendsNothingWhenTheJournalFails(t *testing.T) {
	client, writes := demoServer(t)
	c, j := clerkOn(t, client)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	_, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr == nil || !errors.Is(recordErr, ErrNothingSent) {
		t.Fatalf("err = %v, recordErr = %v; want only a record error saying nothing was sent", err, recordErr)
	}
	if n := writes.Load(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

func TestDetachRecordsAttemptThenOutcome(t *testing.T) {
	client, _ := demoServer(t)
	c, j := clerkOn(t, client)
	res, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr != nil {
		t.Fatal(err, recordErr)
	}
	err, recordErr = c.Detach(context.Background(), demoOrder, res.Voucher, api.AttachPolicy{})
	if err != nil || recordErr != nil {
		t.Fatal(err, recordErr)
	}
	lines := decodeLines(t, j.Path())
	if len(lines) != 4 || lines[2].Action != journal.ActionRemove || lines[2].Outcome != journal.OutcomeAttempt ||
		lines[3].Outcome != journal.OutcomeRemoved || lines[3].VoucherID != res.Voucher.ID {
		t.Fatalf("journal = %+v", lines)
	}
	states, err := journal.Restore(j.Path(), demoOrder)
	if err != nil {
		t.Fatal(err)
	}
	if st := states[res.Voucher.ID]; !st.Removed {
		t.Fatalf("restore does not see the removal: %+v", st)
	}
}

func TestNilJournalStillAttaches(t *testing.T) {
	client, _ := demoServer(t)
	c := New(client, nil)
	res, err, recordErr := c.Attach(context.Background(), demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr != nil || res.Voucher.MaskedBarcode != "AD......0111" {
		t.Fatalf("res %+v err %v recordErr %v", res, err, recordErr)
	}
}

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&api.Error{Kind: api.KindRejected}, journal.OutcomeRejected},
		{&api.Error{Kind: api.KindRateLimited}, journal.OutcomeBlocked},
		{&api.Error{Kind: api.KindServer, OutcomeUnknown: true}, journal.OutcomeUnknown},
		{&api.Error{Kind: api.KindNotFound}, journal.OutcomeFailed},
		{&api.Error{Kind: api.KindRejected, BlockedUntil: time.Now()}, journal.OutcomeBlocked},
		{&api.Error{Kind: api.KindServer, OutcomeUnknown: true, Err: api.ErrLookAlike}, journal.OutcomeMatchedByMask},
		{&RepeatError{InFlight: true}, journal.OutcomeRepeat},
		{errors.New("plain"), journal.OutcomeFailed},
	}
	for _, tt := range tests {
		if got := OutcomeOf(tt.err); got != tt.want {
			t.Errorf("OutcomeOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestAttachUnsyncedLeavesTheSyncToTheCaller(t *testing.T) {
	client, _ := demoServer(t)
	c, j := clerkOn(t, client)
	res, line, err, recordErr := c.AttachUnsynced(context.Background(), demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr != nil || res.Voucher.ID == "" {
		t.Fatal(err, recordErr)
	}
	if line != 2 || j.Synced(line) {
		t.Fatalf("outcome line %d, synced %v: want line 2, not yet synced", line, j.Synced(line))
	}
	if err := j.Sync(); err != nil || !j.Synced(line) {
		t.Fatalf("Sync = %v", err)
	}
	lines := decodeLines(t, j.Path())
	if len(lines) != 2 || lines[0].Outcome != journal.OutcomeAttempt || lines[1].Outcome != journal.OutcomeAttached {
		t.Fatalf("journal = %+v", lines)
	}
}
