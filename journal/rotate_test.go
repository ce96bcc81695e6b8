package journal

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// counterZone is the counter's time zone in these tests: not UTC, so that
// a test cannot pass by mixing the file's day with the line's UTC time.
var counterZone = time.FixedZone("CET", 3600)

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05.000", day+" "+clock, counterZone)
	if err != nil {
		panic(err)
	}
	return t
}

// openClocked opens a journal in a fresh folder whose clock the test moves.
func openClocked(t *testing.T, start time.Time, opts Options) (*Journal, *testkit.Clock) {
	t.Helper()
	clock := testkit.NewClock(start)
	opts.Now, opts.Location = clock.Now, counterZone
	j, err := OpenWith(filepath.Join(t.TempDir(), "journal.jsonl"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, clock
}

// files lists the folder's file names, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func outcomesIn(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, e := range decodeLines(t, path) {
		out = append(out, e.OrderID+" "+e.Outcome)
	}
	return out
}

func record(t *testing.T, j *Journal, order, outcome string) {
	t.Helper()
	if err := j.Record(Entry{OrderID: order, Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket",
		VoucherID: "V-" + order, Outcome: outcome, AvailableRedemptions: intPtr(1)}); err != nil {
		t.Fatal(err)
	}
}

func TestRotationAtMidnight(t *testing.T) {
	j, clock := openClocked(t, at("2026-12-01", "09:00:00.000"), Options{})
	dir := filepath.Dir(j.Path())
	record(t, j, "O-1", OutcomeAttached)
	clock.Set(at("2026-12-01", "23:59:59.999"))
	record(t, j, "O-2", OutcomeAttached)
	if got := files(t, dir); !slices.Equal(got, []string{"journal.jsonl"}) {
		t.Fatalf("before midnight: %v", got)
	}

	clock.Set(at("2026-12-02", "00:00:00.000"))
	record(t, j, "O-3", OutcomeAttached)
	if got, want := files(t, dir), []string{"journal-2026-12-01.jsonl", "journal.jsonl"}; !slices.Equal(got, want) {
		t.Fatalf("after midnight: %v, want %v", got, want)
	}
	if got := outcomesIn(t, filepath.Join(dir, "journal-2026-12-01.jsonl")); !slices.Equal(got, []string{"O-1 attached", "O-2 attached"}) {
		t.Errorf("the day's file holds %v", got)
	}
	if got := outcomesIn(t, j.Path()); !slices.Equal(got, []string{"O-3 attached"}) {
		t.Errorf("the new file holds %v", got)
	}
	for _, name := range []string{"journal-2026-12-01.jsonl", "journal.jsonl"} {
		assertMode(t, filepath.Join(dir, name), 0o600)
	}

	// A quiet day moves nothing; the next line after it is named for the
	// day of the file's last line.
	clock.Set(at("2026-12-04", "10:00:00.000"))
	record(t, j, "O-4", OutcomeAttached)
	if got, want := files(t, dir), []string{"journal-2026-12-01.jsonl", "journal-2026-12-02.jsonl", "journal.jsonl"}; !slices.Equal(got, want) {
		t.Fatalf("after a quiet day: %v, want %v", got, want)
	}
	log, err := Read(j.Path(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var orders []string
	for _, l := range log.Lines {
		orders = append(orders, l.OrderID)
	}
	if !slices.Equal(orders, []string{"O-1", "O-2", "O-3", "O-4"}) || len(log.Unreadable) != 0 {
		t.Errorf("read back %v, unreadable %v", orders, log.Unreadable)
	}
}

// A journal opened on a file last written on an earlier day moves it aside
// at its first write, as a counter started in the morning does.
func TestRotationOfAFileFromAnEarlierRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.jsonl")
	if err := os.WriteFile(path, []byte(`{"time":"2026-11-30T21:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attempt"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lastRun := at("2026-11-30", "22:00:00.000")
	if err := os.Chtimes(path, lastRun, lastRun); err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(at("2026-12-01", "08:30:00.000"))
	j, err := OpenWith(path, Options{Now: clock.Now, Location: counterZone})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if got := files(t, dir); !slices.Equal(got, []string{"journal.jsonl"}) {
		t.Fatalf("opening alone moved files: %v", got)
	}
	record(t, j, "O-2", OutcomeAttached)
	if got, want := files(t, dir), []string{"journal-2026-11-30.jsonl", "journal.jsonl"}; !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
}

func TestRotationBySize(t *testing.T) {
	const maxSize = 1000
	j, clock := openClocked(t, at("2026-12-01", "09:00:00.000"), Options{MaxSize: maxSize})
	dir := filepath.Dir(j.Path())
	for i := range 40 {
		record(t, j, fmt.Sprintf("O-%02d", i), OutcomeAttached)
		clock.Advance(time.Minute)
	}
	names := files(t, dir)
	if len(names) < 5 {
		t.Fatalf("files %v: want several of the day", names)
	}
	for _, name := range names {
		if date, _, ok := parseRotated(j.Path(), name); name != "journal.jsonl" && (!ok || date != "2026-12-01") {
			t.Errorf("file %s is not one of the day's", name)
		}
	}
	for _, name := range names {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Size() > maxSize {
			t.Errorf("%s is %d bytes, past %d", name, info.Size(), maxSize)
		}
	}
	log, err := Read(j.Path(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Lines) != 40 {
		t.Fatalf("read %d lines back, want 40", len(log.Lines))
	}
	for i, l := range log.Lines {
		if want := fmt.Sprintf("O-%02d", i); l.OrderID != want {
			t.Fatalf("line %d is %s, want %s: files read in the wrong order (%v)", i, l.OrderID, want, log.Files)
		}
	}
}

// A scan sent at 23:59:59.990 and answered after midnight: its attempt
// stays in the day's file and its outcome opens the next, and the pair is
// still one scan to every reader.
func TestScanInFlightAcrossMidnight(t *testing.T) {
	for _, synced := range []bool{true, false} {
		t.Run(fmt.Sprintf("attempt synced=%v", synced), func(t *testing.T) {
			j, clock := openClocked(t, at("2026-12-01", "23:59:59.990"), Options{})
			dir := filepath.Dir(j.Path())
			// The attempt is written before the request leaves, and the
			// outcome after its answer, past midnight.
			two := 2
			attempt := Entry{OrderID: demoOrder, Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket", Outcome: OutcomeAttempt}
			if _, err := j.Write(attempt); err != nil {
				t.Fatal(err)
			}
			if synced {
				if err := j.Sync(); err != nil {
					t.Fatal(err)
				}
			}
			clock.Set(at("2026-12-02", "00:00:00.020"))
			outcome := attempt
			outcome.Outcome, outcome.VoucherID, outcome.AvailableRedemptions = OutcomeAttached, "v-0111", &two
			line, err := j.Write(outcome)
			if err == nil {
				err = j.Sync()
			}
			if err != nil || !j.Synced(line) {
				t.Fatalf("the outcome is not on disk after Sync: %v", err)
			}
			day := filepath.Join(dir, "journal-2026-12-01.jsonl")
			if got := outcomesIn(t, day); !slices.Equal(got, []string{demoOrder + " attempt"}) {
				t.Errorf("the day's file holds %v, want the attempt", got)
			}
			if got := outcomesIn(t, j.Path()); !slices.Equal(got, []string{demoOrder + " attached"}) {
				t.Errorf("the new file holds %v, want the outcome", got)
			}

			states, read, err := restore(j.Path(), demoOrder, at("2026-12-02", "00:00:01.000"))
			if err != nil {
				t.Fatal(err)
			}
			if st := states["v-0111"]; len(states) != 1 || st.Removed || st.AvailableRedemptions == nil || *st.AvailableRedemptions != 2 {
				t.Errorf("restored %+v from %v", states, read)
			}
			log, err := Read(j.Path(), at("2026-12-01", "00:00:00.000"))
			if err != nil {
				t.Fatal(err)
			}
			s := Summarize(log.Lines, log.Unreadable)
			if len(log.Lines) != 2 || s.NeedsChecking() != 0 || len(s.Vouchers) != 1 || s.Vouchers[0].N != 1 || s.Vouchers[0].Outcome != OutcomeAttached {
				t.Errorf("lines %+v\nsummary %+v", log.Lines, s)
			}
		})
	}
}

// A rotation that a crash stops at any step loses no line, leaves every
// line in exactly one file, and leaves nothing the next start cannot read.
func TestCrashDuringRotation(t *testing.T) {
	for _, step := range []string{stepLocked, stepSynced, stepRenamed, stepCreated, stepFolderSync} {
		t.Run(step, func(t *testing.T) {
			j, clock := openClocked(t, at("2026-12-01", "22:00:00.000"), Options{})
			path, dir := j.Path(), filepath.Dir(j.Path())
			for i := range 3 {
				record(t, j, fmt.Sprintf("O-%d", i), OutcomeAttached)
			}
			// The third order's outcome was written but not yet waited for.
			if _, err := j.Write(Entry{OrderID: "O-3", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt}); err != nil {
				t.Fatal(err)
			}
			clock.Set(at("2026-12-02", "00:00:05.000"))
			crashed := func() (crashed bool) {
				rotateHook = func(s string) {
					if s == step {
						panic("crash at " + s)
					}
				}
				defer func() {
					rotateHook = nil
					crashed = recover() != nil
				}()
				j.Record(Entry{OrderID: "O-4", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt})
				return false
			}()
			if !crashed {
				t.Fatalf("no crash at %s", step)
			}
			// The process is gone: its descriptors close.
			j.f.Close()
			for _, f := range j.retired {
				f.Close()
			}

			j2, err := OpenWith(path, Options{Now: clock.Now, Location: counterZone})
			if err != nil {
				t.Fatalf("the next start cannot open the journal: %v", err)
			}
			record(t, j2, "O-5", OutcomeAttached)
			j2.Close()

			for _, name := range files(t, dir) {
				if _, _, ok := parseRotated(path, name); !ok && name != "journal.jsonl" {
					t.Errorf("a stray file %s is left", name)
				}
			}
			log, err := Read(path, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range log.Lines {
				got = append(got, l.OrderID+" "+l.Outcome)
			}
			want := []string{"O-0 attached", "O-1 attached", "O-2 attached", "O-3 attempt", "O-5 attached"}
			if !slices.Equal(got, want) || len(log.Unreadable) != 0 {
				t.Errorf("read back %v (unreadable %v) from %v, want %v", got, log.Unreadable, log.Files, want)
			}
			states, err := Restore(path, "O-5")
			if err != nil || len(states) != 1 {
				t.Errorf("restore after the crash: %v, %v", states, err)
			}
		})
	}
}

// Two processes writing one journal (the counter and a scripting command)
// rotate it once between them; the one that comes second follows the other
// to the new file.
func TestTwoWritersRotateOnce(t *testing.T) {
	clock := testkit.NewClock(at("2026-12-01", "23:00:00.000"))
	opts := Options{Now: clock.Now, Location: counterZone}
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	counter, err := OpenWith(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer counter.Close()
	script, err := OpenWith(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer script.Close()
	record(t, counter, "O-1", OutcomeAttached)
	record(t, script, "O-2", OutcomeAttached)
	clock.Set(at("2026-12-02", "00:01:00.000"))
	record(t, script, "O-3", OutcomeAttached)
	record(t, counter, "O-4", OutcomeAttached)
	record(t, script, "O-5", OutcomeAttached)

	dir := filepath.Dir(path)
	if got, want := files(t, dir), []string{"journal-2026-12-01.jsonl", "journal.jsonl"}; !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	if got := outcomesIn(t, filepath.Join(dir, "journal-2026-12-01.jsonl")); !slices.Equal(got, []string{"O-1 attached", "O-2 attached"}) {
		t.Errorf("the day's file holds %v", got)
	}
	if got := outcomesIn(t, path); !slices.Equal(got, []string{"O-3 attached", "O-4 attached", "O-5 attached"}) {
		t.Errorf("the new file holds %v", got)
	}
}

// Three days are kept besides today's, counted from the day of a file's
// last line; files that are not the journal's are left alone.
func TestRetention(t *testing.T) {
	j, clock := openClocked(t, at("2026-12-10", "09:00:00.000"), Options{KeepDays: 3})
	dir := filepath.Dir(j.Path())
	keep := []string{"journal-2026-12-08.jsonl", "journal-2026-12-08.2.jsonl", "journal-2026-12-09.jsonl",
		"journal-notes.txt", "journal-2026-13-45.jsonl", "other-2026-01-01.jsonl", "journal-2026-01-01.jsonl.bak"}
	gone := []string{"journal-2026-01-01.jsonl", "journal-2026-12-07.jsonl", "journal-2026-12-05.jsonl", "journal-2026-12-06.jsonl", "journal-2026-12-06.3.jsonl"}
	for _, name := range append(slices.Clone(keep), gone...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	record(t, j, "O-1", OutcomeAttached)
	clock.Set(at("2026-12-11", "09:00:00.000"))
	record(t, j, "O-2", OutcomeAttached)

	want := append(slices.Clone(keep), "journal-2026-12-10.jsonl", "journal.jsonl")
	slices.Sort(want)
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Errorf("files %v\nwant  %v", got, want)
	}
}

func TestRotatedNames(t *testing.T) {
	tests := []struct {
		path, name, date string
		seq              int
	}{
		{"/s/journal.jsonl", "journal-2026-12-01.jsonl", "2026-12-01", 1},
		{"/s/journal.jsonl", "journal-2026-12-01.2.jsonl", "2026-12-01", 2},
		{"/s/journal.jsonl", "journal-2026-12-01.12.jsonl", "2026-12-01", 12},
		{"/s/my-journal.jsonl", "my-journal-2026-12-01.jsonl", "2026-12-01", 1},
		{"/s/audit", "audit-2026-12-01", "2026-12-01", 1},
		{"/s/audit", "audit-2026-12-01.3", "2026-12-01", 3},
		{"/s/journal.jsonl", "journal.jsonl", "", 0},
		{"/s/journal.jsonl", "journal-2026-12-01.1.jsonl", "", 0},
		{"/s/journal.jsonl", "journal-2026-12-01.02.jsonl", "", 0},
		{"/s/journal.jsonl", "journal-2026-12-01.x.jsonl", "", 0},
		{"/s/journal.jsonl", "journal-2026-02-30.jsonl", "", 0},
		{"/s/journal.jsonl", "journal-2026-12-01.json", "", 0},
		{"/s/journal.jsonl", "xjournal-2026-12-01.jsonl", "", 0},
		{"/s/my-journal.jsonl", "journal-2026-12-01.jsonl", "", 0},
	}
	for _, tt := range tests {
		date, seq, ok := parseRotated(tt.path, tt.name)
		if ok != (tt.date != "") || date != tt.date || seq != tt.seq {
			t.Errorf("parseRotated(%q, %q) = %q, %d, %v; want %q, %d", tt.path, tt.name, date, seq, ok, tt.date, tt.seq)
		}
		if tt.date != "" {
			if got := filepath.Base(rotatedPath(tt.path, tt.date, tt.seq)); got != tt.name {
				t.Errorf("rotatedPath(%q, %q, %d) = %q, want %q", tt.path, tt.date, tt.seq, got, tt.name)
			}
		}
	}
}

// A clock set back after a rotation must not give the next file a name
// that sorts before the files rotated earlier: readers go by the names.
func TestRotatedNameAfterTheClockWentBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.jsonl")
	for _, name := range []string{"journal-2026-12-01.jsonl", "journal-2026-12-05.jsonl"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct{ day, want string }{
		{"2026-12-03", "journal-2026-12-05.2.jsonl"},
		{"2026-12-05", "journal-2026-12-05.2.jsonl"},
		{"2026-12-06", "journal-2026-12-06.jsonl"},
	} {
		name, err := nextRotatedName(path, at(tt.day, "12:00:00.000"), counterZone)
		if err != nil || filepath.Base(name) != tt.want {
			t.Errorf("a file of %s goes to %s (%v), want %s", tt.day, name, err, tt.want)
		}
	}
}

// writeDay writes a rotated file of the journal at path, as the journal
// would have: the lines of one day.
func writeDay(t *testing.T, path, date string, entries ...Entry) {
	t.Helper()
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(mustLine(t, e))
	}
	if err := os.WriteFile(rotatedPath(path, date, 1), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustLine(t *testing.T, e Entry) string {
	t.Helper()
	line, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(line) + "\n"
}

func attachedAt(when time.Time, order, voucher string, left *int) Entry {
	return Entry{Time: when.UTC(), OrderID: order, Action: ActionAttach, MaskedBarcode: "AD......" + voucher[len(voucher)-4:],
		VoucherType: "Ticket", VoucherID: voucher, Outcome: OutcomeAttached, AvailableRedemptions: left}
}

// Restore reads back only as far as an order can reach: a day before its
// earliest line, or before now for an order the journal has not seen.
func TestRestoreReadsOnlyWhatTheOrderNeeds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.jsonl")
	name := func(date string) string { return rotatedPath(path, date, 1) }
	for day := 1; day <= 30; day++ {
		date := fmt.Sprintf("2026-11-%02d", day)
		writeDay(t, path, date, attachedAt(at(date, "09:00:00.000"), "O-"+date, "V-old-"+date, intPtr(1)))
	}
	// Yesterday: an order opened late, whose first voucher came before
	// midnight.
	writeDay(t, path, "2026-12-01",
		attachedAt(at("2026-12-01", "09:00:00.000"), "O-other", "V-other-0001", intPtr(1)),
		attachedAt(at("2026-12-01", "23:50:00.000"), "O-late", "V-late-0001", intPtr(2)),
		attachedAt(at("2026-12-01", "23:55:00.000"), "O-late", "V-late-0002", intPtr(5)))
	if err := os.WriteFile(path, []byte(
		mustLine(t, attachedAt(at("2026-12-02", "00:10:00.000"), "O-late", "V-late-0003", intPtr(1)))+
			mustLine(t, Entry{Time: at("2026-12-02", "00:11:00.000").UTC(), OrderID: "O-late", Action: ActionAttach, MaskedBarcode: "AD......0001",
				VoucherID: "V-late-0001", Outcome: OutcomeAlreadyAttached})+
			mustLine(t, Entry{Time: at("2026-12-02", "00:12:00.000").UTC(), OrderID: "O-late", Action: ActionRemove, MaskedBarcode: "AD......0002",
				VoucherID: "V-late-0002", Outcome: OutcomeRemoved})), 0o600); err != nil {
		t.Fatal(err)
	}
	now := at("2026-12-02", "10:00:00.000")

	tests := []struct {
		name, order string
		wantRead    []string
		check       func(t *testing.T, got map[string]VoucherState)
	}{
		{
			"an order across midnight", "O-late", []string{path, name("2026-12-01"), name("2026-11-30")},
			func(t *testing.T, got map[string]VoucherState) {
				one, two, three := got["V-late-0001"], got["V-late-0002"], got["V-late-0003"]
				if len(got) != 3 || one.Removed || *one.AvailableRedemptions != 2 || !two.Removed || *two.AvailableRedemptions != 5 ||
					three.Removed || *three.AvailableRedemptions != 1 || one.VoucherType != "Ticket" || one.MaskedBarcode != "AD......0001" {
					t.Errorf("restored %+v", got)
				}
			},
		},
		{
			"a new order", "O-new", []string{path, name("2026-12-01")},
			func(t *testing.T, got map[string]VoucherState) {
				if len(got) != 0 {
					t.Errorf("restored %+v", got)
				}
			},
		},
		{
			// Documented: its lines are older than any order in progress.
			"an order completed weeks ago", "O-2026-11-05", []string{path, name("2026-12-01")},
			func(t *testing.T, got map[string]VoucherState) {
				if len(got) != 0 {
					t.Errorf("restored %+v", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, read, err := restore(path, tt.order, now)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(read, tt.wantRead) {
				t.Errorf("read %v\nwant %v", read, tt.wantRead)
			}
			tt.check(t, got)
		})
	}
}

// A file rotated while Restore or Read has the current file open is read
// once, under whichever name.
func TestReadersFollowARotationUnderThem(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.jsonl")
	if err := os.WriteFile(path, []byte(mustLine(t, attachedAt(at("2026-12-01", "10:00:00.000"), "O-1", "V-0001", intPtr(3)))), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := walkFiles(path, false, "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	if err := os.Rename(path, rotatedPath(path, "2026-12-01", 1)); err != nil {
		t.Fatal(err)
	}
	var read int
	for w.next() {
		read++
	}
	if read != 1 || w.err != nil {
		t.Errorf("read %d files (%v), want the one once", read, w.err)
	}
}

// Scans written and flushed from many goroutines while the journal moves
// to new files (past midnight and past its size) all land once, and each
// is on disk when its Sync returns.
func TestConcurrentWritesAcrossRotations(t *testing.T) {
	j, clock := openClocked(t, at("2026-12-01", "23:59:00.000"), Options{MaxSize: 4 << 10})
	const writers, each = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if w == 0 && i%10 == 0 {
					clock.Advance(30 * time.Second)
				}
				n, err := j.Write(Entry{OrderID: fmt.Sprintf("O-%d-%03d", w, i), Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt})
				if err == nil && i%3 == 0 {
					err = j.Sync()
					if err == nil && !j.Synced(n) {
						err = fmt.Errorf("line %d not on disk after its Sync", n)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := j.Sync(); err != nil {
		t.Fatal(err)
	}
	log, err := Read(j.Path(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, l := range log.Lines {
		seen[l.OrderID]++
	}
	if len(seen) != writers*each || len(log.Unreadable) != 0 {
		t.Fatalf("%d distinct lines of %d, unreadable %v", len(seen), writers*each, log.Unreadable)
	}
	for order, n := range seen {
		if n != 1 {
			t.Errorf("%s read %d times", order, n)
		}
	}
	if len(log.Files) < 3 {
		t.Errorf("only %d files: the journal did not rotate", len(log.Files))
	}
}

// A clock set years ahead moves the journal to a new file, but does not
// delete the record kept so far.
func TestRetentionKeepsTheNewestFilesWhateverTheClock(t *testing.T) {
	j, clock := openClocked(t, at("2026-12-10", "09:00:00.000"), Options{KeepDays: 3})
	dir := filepath.Dir(j.Path())
	for _, date := range []string{"2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08", "2026-12-09"} {
		writeFile(t, rotatedPath(j.Path(), date, 1), "{}\n")
	}
	record(t, j, "O-1", OutcomeAttached)
	clock.Set(at("2030-01-01", "09:00:00.000"))
	record(t, j, "O-2", OutcomeAttached)
	want := []string{"journal-2026-12-08.jsonl", "journal-2026-12-09.jsonl", "journal-2026-12-10.jsonl", "journal.jsonl"}
	if got := files(t, dir); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
}
