package journal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
)

const demoOrder = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

// demoServer is the built-in demo mock, counting the requests that change
// something.
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

func decodeLines(t *testing.T, path string) []Entry {
	t.Helper()
	var out []Entry
	for _, line := range readLines(t, path) {
		var e Entry
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
		{"attached", "ADTMM0000111", "1234", OutcomeAttached, "", 2},
		{"wrong PIN", "ADTMM0000111", "9999", OutcomeRejected, "rejected", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := demoServer(t)
			j := openTemp(t)
			res, err, recordErr := j.Attach(context.Background(), c, demoOrder, ticketVoucher(tt.barcode, tt.pin), api.AttachPolicy{})
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
			if lines[0].Outcome != OutcomeAttempt || lines[1].Outcome != tt.wantOutcome || lines[1].ErrorKind != tt.wantKind {
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
	c, writes := demoServer(t)
	j := failing(t, "disk full")
	_, err, recordErr := j.Attach(context.Background(), c, demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr == nil || !errors.Is(recordErr, ErrNothingSent) {
		t.Fatalf("err = %v, recordErr = %v; want only a record error saying nothing was sent", err, recordErr)
	}
	if n := writes.Load(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

func TestDetachRecordsAttemptThenOutcome(t *testing.T) {
	c, _ := demoServer(t)
	j := openTemp(t)
	res, err, recordErr := j.Attach(context.Background(), c, demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr != nil {
		t.Fatal(err, recordErr)
	}
	err, recordErr = j.Detach(context.Background(), c, demoOrder, res.Voucher, api.AttachPolicy{})
	if err != nil || recordErr != nil {
		t.Fatal(err, recordErr)
	}
	lines := decodeLines(t, j.Path())
	if len(lines) != 4 || lines[2].Action != ActionRemove || lines[2].Outcome != OutcomeAttempt ||
		lines[3].Outcome != OutcomeRemoved || lines[3].VoucherID != res.Voucher.ID {
		t.Fatalf("journal = %+v", lines)
	}
	states, err := Restore(j.Path(), demoOrder)
	if err != nil {
		t.Fatal(err)
	}
	if st := states[res.Voucher.ID]; !st.Removed {
		t.Fatalf("restore does not see the removal: %+v", st)
	}
}

func TestNilJournalStillAttaches(t *testing.T) {
	c, _ := demoServer(t)
	var j *Journal
	res, err, recordErr := j.Attach(context.Background(), c, demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
	if err != nil || recordErr != nil || res.Voucher.MaskedBarcode != "AD......0111" {
		t.Fatalf("res %+v err %v recordErr %v", res, err, recordErr)
	}
}

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&api.Error{Kind: api.KindRejected}, OutcomeRejected},
		{&api.Error{Kind: api.KindRateLimited}, OutcomeBlocked},
		{&api.Error{Kind: api.KindServer, OutcomeUnknown: true}, OutcomeUnknown},
		{&api.Error{Kind: api.KindNotFound}, OutcomeFailed},
		{errors.New("plain"), OutcomeFailed},
	}
	for _, tt := range tests {
		if got := OutcomeOf(tt.err); got != tt.want {
			t.Errorf("OutcomeOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestWriteThenSync(t *testing.T) {
	j := openTemp(t)
	var lines []uint64
	for i := range 3 {
		n, err := j.Write(Entry{OrderID: demoOrder, Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, n)
	}
	if j.Synced(lines[2]) {
		t.Fatal("a written line counts as on disk before any sync")
	}
	if err := j.Sync(); err != nil {
		t.Fatal(err)
	}
	for _, n := range lines {
		if !j.Synced(n) {
			t.Fatalf("line %d is not on disk after Sync", n)
		}
	}
	if got := len(readLines(t, j.Path())); got != 3 {
		t.Fatalf("%d lines in the file, want 3", got)
	}
}

func TestSyncFromManyGoroutinesCoversEveryLine(t *testing.T) {
	j := openTemp(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := j.Write(Entry{OrderID: demoOrder, Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: fmt.Sprint(i)})
			if err == nil {
				err = j.Sync()
			}
			if err == nil && !j.Synced(n) {
				err = fmt.Errorf("line %d not on disk after its Sync", n)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := len(readLines(t, j.Path())); got != 40 {
		t.Fatalf("%d lines, want 40", got)
	}
}

func TestFailedSyncSticks(t *testing.T) {
	j := failing(t, "file cannot be saved to disk")
	if _, err := j.Write(Entry{OrderID: demoOrder, Action: ActionAttach, Outcome: OutcomeAttempt}); err != nil {
		t.Fatalf("the write itself should succeed: %v", err)
	}
	if err := j.Sync(); err == nil || !strings.Contains(err.Error(), "save to disk") {
		t.Fatalf("Sync = %v, want a save-to-disk failure", err)
	}
	if _, err := j.Write(Entry{OrderID: demoOrder, Action: ActionAttach, Outcome: OutcomeAttempt}); err == nil {
		t.Fatal("a journal whose sync failed still takes writes")
	}
}

func TestAttachUnsyncedLeavesTheSyncToTheCaller(t *testing.T) {
	c, _ := demoServer(t)
	j := openTemp(t)
	res, line, err, recordErr := j.AttachUnsynced(context.Background(), c, demoOrder, ticketVoucher("ADTMM0000111", "1234"), api.AttachPolicy{})
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
	if len(lines) != 2 || lines[0].Outcome != OutcomeAttempt || lines[1].Outcome != OutcomeAttached {
		t.Fatalf("journal = %+v", lines)
	}
}
