package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func intPtr(n int) *int { return &n }

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatalf("journal does not end with a newline: %q", b)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func openTemp(t *testing.T) *Journal {
	t.Helper()
	j, err := Open(filepath.Join(t.TempDir(), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func TestOpenPermissions(t *testing.T) {
	tests := []struct {
		name     string
		existing os.FileMode // 0: no file before Open
	}{
		{"new file in new folders", 0},
		{"existing private file", 0o600},
		{"existing file others can read is tightened", 0o644},
		{"existing file group can write is tightened", 0o660},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "state", "boxoffice")
			path := filepath.Join(dir, "journal.jsonl")
			const before = `{"orderId":"O-1","outcome":"attempt"}` + "\n"
			if tt.existing != 0 {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(before), tt.existing); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.existing); err != nil { // past the umask
					t.Fatal(err)
				}
			}
			j, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if j.Path() != path {
				t.Errorf("Path() = %q, want %q", j.Path(), path)
			}
			assertMode(t, path, 0o600)
			if tt.existing == 0 {
				assertMode(t, filepath.Join(root, "state"), 0o700)
				assertMode(t, dir, 0o700)
				return
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != before {
				t.Errorf("opening changed the journal: %q", b)
			}
		})
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %04o, want %04o", path, got, want)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "blocker")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, wantInErr string
	}{
		{"empty path", "", "no path"},
		{"a folder", dir, dir},
		{"parent is a file", filepath.Join(blocker, "journal.jsonl"), blocker},
		{"a device keeps nothing", os.DevNull, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, err := Open(tt.path)
			if err == nil {
				j.Close()
				t.Fatalf("Open(%q) succeeded", tt.path)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantInErr)
			}
		})
	}
	// The device must be left as it was.
	info, err := os.Stat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o666 {
		t.Errorf("%s mode changed to %04o", os.DevNull, info.Mode().Perm())
	}
}

func TestRecordWritesOneJSONLinePerEntry(t *testing.T) {
	at := time.Date(2025, 3, 1, 19, 30, 0, 123456789, time.FixedZone("CET", 3600))
	tests := []struct {
		name  string
		entry Entry
		check func(t *testing.T, got map[string]any)
	}{
		{
			name: "attempt without voucher fields",
			entry: Entry{Time: at, OrderID: "O-1", Action: ActionAttach,
				MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt},
			check: func(t *testing.T, got map[string]any) {
				if got["time"] != "2025-03-01T18:30:00.123456789Z" {
					t.Errorf("time = %v, want UTC with nanoseconds", got["time"])
				}
				for _, k := range []string{"type", "voucherId", "availableRedemptions", "errorKind", "message"} {
					if _, ok := got[k]; ok {
						t.Errorf("empty %s written", k)
					}
				}
			},
		},
		{
			name: "attached with zero redemptions left",
			entry: Entry{Time: at, OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111",
				VoucherType: "Ticket", VoucherID: "V-1", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(0)},
			check: func(t *testing.T, got map[string]any) {
				if got["availableRedemptions"] != 0.0 {
					t.Errorf("availableRedemptions = %v, want 0 written", got["availableRedemptions"])
				}
				if got["type"] != "Ticket" || got["voucherId"] != "V-1" {
					t.Errorf("voucher fields = %v %v", got["type"], got["voucherId"])
				}
			},
		},
		{
			name: "rejection with a message that has a newline",
			entry: Entry{Time: at, OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "........0999",
				Outcome: OutcomeRejected, ErrorKind: "rejected", Message: "Voucher expired.\nSee manager."},
			check: func(t *testing.T, got map[string]any) {
				if got["message"] != "Voucher expired.\nSee manager." || got["errorKind"] != "rejected" {
					t.Errorf("message/errorKind = %q %q", got["message"], got["errorKind"])
				}
			},
		},
		{
			name:  "zero time is set to now",
			entry: Entry{OrderID: "O-1", Action: ActionRemove, MaskedBarcode: "AD......0111", VoucherID: "V-1", Outcome: OutcomeRemoved},
			check: func(t *testing.T, got map[string]any) {
				ts, err := time.Parse(time.RFC3339Nano, got["time"].(string))
				if err != nil {
					t.Fatal(err)
				}
				if time.Since(ts) > time.Minute || ts.Location() != time.UTC {
					t.Errorf("time = %v, want now in UTC", got["time"])
				}
			},
		},
	}
	j := openTemp(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := j.Record(tt.entry); err != nil {
				t.Fatal(err)
			}
			// Read back before Close: Record must have written the line out.
			lines := readLines(t, j.Path())
			if len(lines) != i+1 {
				t.Fatalf("%d lines after %d records", len(lines), i+1)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
				t.Fatalf("line %q: %v", lines[i], err)
			}
			for k, want := range map[string]string{"orderId": tt.entry.OrderID, "action": tt.entry.Action, "outcome": tt.entry.Outcome} {
				if got[k] != want {
					t.Errorf("%s = %v, want %q", k, got[k], want)
				}
			}
			tt.check(t, got)
		})
	}
}

func TestRecordMasksFullBarcode(t *testing.T) {
	tests := []struct {
		name, barcode, message, wantMasked, wantMessage string
	}{
		{"already masked", "AD......0111", "", "AD......0111", ""},
		{"masked the last-four way", "........0111", "", "........0111", ""},
		{"full barcode", "ADTMM0000111", "", "AD......0111", ""},
		{"full barcode also in message", "ADTMM0000111", "ADTMM0000111 was refused", "AD......0111", "AD......0111 was refused"},
		{"short full barcode", "1234", "", "....", ""},
		{"five shown behind dots", "...A0111", "", "....0111", ""},
		{"no barcode", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := openTemp(t)
			err := j.Record(Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: tt.barcode, Outcome: OutcomeAttempt, Message: tt.message})
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(j.Path())
			if err != nil {
				t.Fatal(err)
			}
			var got Entry
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got.MaskedBarcode != tt.wantMasked || got.Message != tt.wantMessage {
				t.Errorf("got barcode %q message %q, want %q %q", got.MaskedBarcode, got.Message, tt.wantMasked, tt.wantMessage)
			}
			if tt.barcode != tt.wantMasked && bytes.Contains(b, []byte(tt.barcode)) {
				t.Errorf("full barcode written: %s", b)
			}
		})
	}
}

func TestRecordConcurrent(t *testing.T) {
	j := openTemp(t)
	const writers = 50
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errs <- j.Record(Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111",
				VoucherID: fmt.Sprintf("V-%02d", i), Outcome: OutcomeAttached, AvailableRedemptions: intPtr(i),
				Message: strings.Repeat("x", 4096)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	lines := readLines(t, j.Path())
	if len(lines) != writers {
		t.Fatalf("%d lines, want %d", len(lines), writers)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var e Entry
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("torn line %.80q: %v", l, err)
		}
		seen[e.VoucherID] = true
	}
	if len(seen) != writers {
		t.Errorf("%d distinct vouchers, want %d", len(seen), writers)
	}
}

func TestRecordAfterTornTailStartsOnNewLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	const kept = `{"orderId":"O-1","action":"attach","voucherId":"V-1","outcome":"attached","availableRedemptions":2}` + "\n"
	const torn = `{"orderId":"O-1","action":"remove","voucherId":"V-1","outc`
	if err := os.WriteFile(path, []byte(kept+torn), 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for _, id := range []string{"V-2", "V-3"} {
		if err := j.Record(Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "....2222", VoucherID: id, Outcome: OutcomeAttached}); err != nil {
			t.Fatal(err)
		}
	}
	lines := readLines(t, path)
	if len(lines) != 4 || lines[1] != torn {
		t.Fatalf("lines = %q, want kept, torn, then two records", lines)
	}
	got, err := Restore(path, "O-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got["V-1"].Removed {
		t.Errorf("Restore = %+v, want V-1 still attached plus V-2 and V-3", got)
	}
}

// failing returns a journal whose file rejects every write.
func failing(t *testing.T, how string) *Journal {
	t.Helper()
	switch how {
	case "disk full":
		f, err := os.OpenFile("/dev/full", os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Skipf("no /dev/full: %v", err)
		}
		t.Cleanup(func() { f.Close() })
		return &Journal{path: "/dev/full", f: f}
	case "file cannot be saved to disk":
		// /dev/null takes the write but refuses fsync, as a failing disk would.
		f, err := os.OpenFile(os.DevNull, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return &Journal{path: os.DevNull, f: f}
	case "descriptor closed under it":
		j := openTemp(t)
		j.f.Close()
		return j
	case "closed":
		j := openTemp(t)
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		return j
	}
	t.Fatalf("unknown failure %q", how)
	return nil
}

func TestRecordFailureIsReportedAndSticks(t *testing.T) {
	tests := []struct {
		how     string
		wantErr error
	}{
		{"disk full", syscall.ENOSPC},
		{"file cannot be saved to disk", syscall.EINVAL},
		{"descriptor closed under it", os.ErrClosed},
		{"closed", os.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.how, func(t *testing.T) {
			j := failing(t, tt.how)
			e := Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherID: "V-1", Outcome: OutcomeAttached}
			err := j.Record(e)
			if err == nil {
				t.Fatal("Record succeeded on a journal that cannot be written")
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), j.Path()) {
				t.Errorf("error %q does not name %s", err, j.Path())
			}

			// Even once the file could take writes again, the journal stays
			// failed: a gap in the record must stop the counter.
			good := filepath.Join(t.TempDir(), "journal.jsonl")
			f, ferr := os.OpenFile(good, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
			if ferr != nil {
				t.Fatal(ferr)
			}
			defer f.Close()
			if tt.how != "closed" {
				j.mu.Lock()
				j.f = f
				j.mu.Unlock()
			}
			for range 3 {
				if again := j.Record(e); again == nil {
					t.Fatal("Record succeeded after a failure")
				} else if tt.how != "closed" && again.Error() != err.Error() {
					t.Errorf("later error %q differs from the first %q", again, err)
				}
			}
			if b, _ := os.ReadFile(good); len(b) != 0 {
				t.Errorf("a failed journal wrote %q", b)
			}
		})
	}
}

func TestCloseTwice(t *testing.T) {
	j := openTemp(t)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRestore(t *testing.T) {
	line := func(order, action, voucher, outcome string, avail *int) string {
		b, err := json.Marshal(Entry{Time: time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC), OrderID: order, Action: action,
			MaskedBarcode: "........" + voucher[len(voucher)-1:] + "111", VoucherType: "Ticket", VoucherID: voucher,
			Outcome: outcome, AvailableRedemptions: avail})
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	attach := func(order, voucher string, avail int) string {
		return line(order, ActionAttach, voucher, OutcomeAttached, intPtr(avail))
	}
	type want struct {
		avail   int // -1: nil
		removed bool
	}
	tests := []struct {
		name    string
		journal string // "": no file
		want    map[string]want
	}{
		{"missing file", "", map[string]want{}},
		{"empty file", "\n", map[string]want{}},
		{
			"mixed orders",
			attach("O-1", "V-1", 3) + attach("O-2", "V-2", 1) + attach("O-10", "V-3", 5) + attach("O-1", "V-4", 0),
			map[string]want{"V-1": {3, false}, "V-4": {0, false}},
		},
		{
			"last outcome wins, removal marks removed",
			attach("O-1", "V-1", 3) + attach("O-1", "V-2", 2) + line("O-1", ActionRemove, "V-1", OutcomeRemoved, nil) +
				attach("O-1", "V-2", 1),
			map[string]want{"V-1": {3, true}, "V-2": {1, false}},
		},
		{
			"removed then attached again",
			attach("O-1", "V-1", 3) + line("O-1", ActionRemove, "V-1", OutcomeRemoved, nil) + attach("O-1", "V-1", 2),
			map[string]want{"V-1": {2, false}},
		},
		{
			"already attached without a count keeps the last known count",
			attach("O-1", "V-1", 3) + line("O-1", ActionAttach, "V-1", OutcomeAlreadyAttached, nil),
			map[string]want{"V-1": {3, false}},
		},
		{
			"already attached first seen without a count",
			line("O-1", ActionAttach, "V-1", OutcomeAlreadyAttached, nil),
			map[string]want{"V-1": {-1, false}},
		},
		{
			"attempts, rejections, failures and unknowns change nothing",
			attach("O-1", "V-1", 3) + line("O-1", ActionAttach, "V-2", OutcomeAttempt, nil) +
				line("O-1", ActionAttach, "V-3", OutcomeRejected, nil) + line("O-1", ActionRemove, "V-1", OutcomeFailed, nil) +
				line("O-1", ActionAttach, "V-4", OutcomeUnknown, nil),
			map[string]want{"V-1": {3, false}},
		},
		{
			"torn last line",
			attach("O-1", "V-1", 3) + `{"time":"2025-03-01T18:00:00Z","orderId":"O-1","action":"remove","voucherId":"V-1","outcome":"remo`,
			map[string]want{"V-1": {3, false}},
		},
		{
			"malformed lines are skipped",
			attach("O-1", "V-1", 3) + "not json O-1\n" + `{"orderId":"O-1","voucherId":"V-1","outcome":"removed","time":"yesterday"}` + "\n" +
				`{"orderId":"O-1","voucherId":"V-2","outcome":"attached","availableRedemptions":"two"}` + "\n\n" + attach("O-1", "V-3", 1),
			map[string]want{"V-1": {3, false}, "V-3": {1, false}},
		},
		{
			"overlong line is skipped",
			attach("O-1", "V-1", 3) + `{"orderId":"O-1","voucherId":"V-1","outcome":"removed","message":"` +
				strings.Repeat("x", maxLine+10) + `"}` + "\n" + attach("O-1", "V-2", 1),
			map[string]want{"V-1": {3, false}, "V-2": {1, false}},
		},
		{
			"long line under the limit is read",
			attach("O-1", "V-1", 3) + `{"orderId":"O-1","voucherId":"V-1","outcome":"removed","message":"` +
				strings.Repeat("x", 200<<10) + `"}` + "\n",
			map[string]want{"V-1": {3, true}},
		},
		{
			"order id only in another field",
			`{"orderId":"O-2","voucherId":"V-9","outcome":"attached","message":"\"O-1\""}` + "\n",
			map[string]want{},
		},
		{
			"no trailing newline on a whole last line",
			strings.TrimSuffix(attach("O-1", "V-1", 3), "\n"),
			map[string]want{"V-1": {3, false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.jsonl")
			if tt.journal != "" {
				if err := os.WriteFile(path, []byte(tt.journal), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Restore(path, "O-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Restore = %+v, want %d vouchers", got, len(tt.want))
			}
			for id, w := range tt.want {
				s, ok := got[id]
				if !ok {
					t.Errorf("voucher %s missing", id)
					continue
				}
				if s.VoucherID != id || s.VoucherType != "Ticket" || s.Removed != w.removed {
					t.Errorf("%s = %+v, want removed=%v", id, s, w.removed)
				}
				if !strings.HasPrefix(s.MaskedBarcode, "........") {
					t.Errorf("%s barcode %q", id, s.MaskedBarcode)
				}
				switch {
				case w.avail < 0 && s.AvailableRedemptions != nil:
					t.Errorf("%s redemptions = %d, want none", id, *s.AvailableRedemptions)
				case w.avail >= 0 && (s.AvailableRedemptions == nil || *s.AvailableRedemptions != w.avail):
					t.Errorf("%s redemptions = %v, want %d", id, s.AvailableRedemptions, w.avail)
				}
			}
		})
	}
}

func TestRestoreErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, path, order string }{
		{"no order id", filepath.Join(dir, "journal.jsonl"), ""},
		{"path is a folder", dir, "O-1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Restore(tt.path, tt.order); err == nil || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("Restore(%q, %q) error = %v, want one naming the path", tt.path, tt.order, err)
			}
		})
	}
}

// TestRestoreRoundTrip reads back what Record wrote.
func TestRestoreRoundTrip(t *testing.T) {
	j := openTemp(t)
	entries := []Entry{
		{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "ADTMM0000111", VoucherType: "Deal", Outcome: OutcomeAttempt},
		{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "ADTMM0000111", VoucherType: "Deal", VoucherID: "V-1", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(4)},
	}
	for _, e := range entries {
		if err := j.Record(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Restore(j.Path(), "O-1")
	if err != nil {
		t.Fatal(err)
	}
	s := got["V-1"]
	if len(got) != 1 || s.MaskedBarcode != "AD......0111" || s.VoucherType != "Deal" || *s.AvailableRedemptions != 4 || s.Time.IsZero() {
		t.Errorf("Restore = %+v", got)
	}
}

func TestRestoreLargeJournal(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB journal")
	}
	path := writeLargeJournal(t, t.TempDir(), 50<<20)
	start := time.Now()
	got, err := Restore(path, "O-target")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["V-target-1"].Removed || *got["V-target-2"].AvailableRedemptions != 7 {
		t.Errorf("Restore = %+v", got)
	}
	t.Logf("restored from a 50 MB journal in %v", time.Since(start))
}

// writeLargeJournal writes about size bytes of other orders' entries with the
// target order's entries at the start, middle and end.
func writeLargeJournal(tb testing.TB, dir string, size int) string {
	tb.Helper()
	path := filepath.Join(dir, "journal.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	write := func(e Entry) {
		if err := enc.Encode(e); err != nil {
			tb.Fatal(err)
		}
	}
	at := time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC)
	write(Entry{Time: at, OrderID: "O-target", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherID: "V-target-1", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(1)})
	written := 0
	for i := 0; written < size; i++ {
		if i == 100000 {
			write(Entry{Time: at, OrderID: "O-target", Action: ActionRemove, MaskedBarcode: "AD......0111", VoucherID: "V-target-1", Outcome: OutcomeRemoved})
		}
		e := Entry{Time: at, OrderID: fmt.Sprintf("O-%d", i/4), Action: ActionAttach, MaskedBarcode: "........2222",
			VoucherType: "Ticket", VoucherID: fmt.Sprintf("V-%d", i), Outcome: OutcomeAttached, AvailableRedemptions: intPtr(i % 5)}
		write(e)
		written += 200 // close enough to a line's length
	}
	write(Entry{Time: at, OrderID: "O-target", Action: ActionAttach, MaskedBarcode: "........3333", VoucherID: "V-target-2", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(7)})
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func BenchmarkRecord(b *testing.B) {
	j, err := Open(filepath.Join(b.TempDir(), "journal.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	e := Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket",
		VoucherID: "V-1", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(3)}
	for b.Loop() {
		if err := j.Record(e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite is the write path without the disk: what a line costs the
// counter before the fsync that a burst shares (see Sync). A realistic
// outcome line, as the counter writes it.
func BenchmarkWrite(b *testing.B) {
	j, err := Open(filepath.Join(b.TempDir(), "journal.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	e := Entry{OrderID: "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket",
		VoucherID: "aa53cc08f6dddae9930468e59ddfd3ec", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(3)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Write(e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRestore(b *testing.B) {
	path := writeLargeJournal(b, b.TempDir(), 50<<20)
	for b.Loop() {
		if _, err := Restore(path, "O-target"); err != nil {
			b.Fatal(err)
		}
	}
}
