package journal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// chained writes n lines to a journal at path that moves to a new file
// every 4 lines, and returns the files, oldest first.
func chained(t *testing.T, n int) (path string, files []string) {
	t.Helper()
	j, clock := openClocked(t, at("2026-12-01", "10:00:00.000"), Options{})
	for i := range n {
		if i > 0 && i%4 == 0 {
			clock.Advance(24 * time.Hour)
		}
		record(t, j, fmt.Sprintf("O-%d", i), OutcomeAttached)
	}
	j.Close()
	v, err := Verify(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	if v.Break != nil || v.Chained != n || v.Lines != n || v.FirstSeq != 1 {
		t.Fatalf("a journal as written: %+v (break %+v)", v, v.Break)
	}
	return j.Path(), v.Files
}

func fileLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	must(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
}

// journal verify names the first line changed, removed or inserted, in the
// file it is in, and what happened to it; a journal as written holds.
func TestVerifyFindsTheFirstLineChangedRemovedOrInserted(t *testing.T) {
	tests := []struct {
		name string
		// file is the index of the file to tamper with, oldest first.
		file   int
		tamper func(lines []string) []string
		// wantFile and wantLine are where the break is reported.
		wantFile, wantLine int
		want               string
	}{
		{"a line edited", 1, func(l []string) []string {
			l[1] = strings.Replace(l[1], `"outcome":"attached"`, `"outcome":"rejected"`, 1)
			return l
		}, 1, 2, "line 2 of journal-2026-12-02.jsonl was changed"},
		{"a line deleted", 1, func(l []string) []string { return append(l[:1], l[2:]...) }, 1, 2,
			"1 line was removed before line 2 of journal-2026-12-02.jsonl (numbers 6 to 6 are missing)"},
		{"two lines deleted", 1, func(l []string) []string { return append(l[:1], l[3:]...) }, 1, 2,
			"2 lines were removed before line 2 of journal-2026-12-02.jsonl (numbers 6 to 7 are missing)"},
		{"a copy of a line inserted", 1, func(l []string) []string {
			return append(l[:2], append([]string{l[0]}, l[2:]...)...)
		}, 1, 3, "line 3 of journal-2026-12-02.jsonl was inserted: it is number 5, which came before"},
		{"a line with a forged number inserted", 1, func(l []string) []string {
			forged := strings.Replace(l[1], `"orderId":"O-5"`, `"orderId":"O-FORGED"`, 1)
			return append(l[:2], append([]string{forged}, l[2:]...)...)
		}, 1, 3, "line 3 of journal-2026-12-02.jsonl was inserted: it is number 6, which came before"},
		{"a line inserted with its chain forged", 1, func(l []string) []string {
			forged := fmt.Sprintf(`{"time":"2026-12-02T10:00:00Z","orderId":"O-FORGED","action":"attach","maskedBarcode":"AD......0111","outcome":"attached","seq":7,"prev":"%s"}`,
				chainHash([]byte(l[1])))
			return append(l[:2], append([]string{forged}, l[2:]...)...)
		}, 1, 3, "line 3 of journal-2026-12-02.jsonl was inserted: line 4 of journal-2026-12-02.jsonl, number 7, and the lines after it follow the line before it"},
		{"a line without a chain inserted", 1, func(l []string) []string {
			plain := `{"time":"2026-12-02T10:00:00Z","orderId":"O-X","action":"attach","maskedBarcode":"AD......0111","outcome":"attached"}`
			return append(l[:2], append([]string{plain}, l[2:]...)...)
		}, 1, 3, "line 3 of journal-2026-12-02.jsonl carries no sequence number"},
		{"the last line of an earlier file deleted", 0, func(l []string) []string { return l[:len(l)-1] }, 1, 1,
			"1 line was removed before line 1 of journal-2026-12-02.jsonl"},
		{"the first line edited", 0, func(l []string) []string {
			l[0] = strings.Replace(l[0], `"O-0"`, `"O-9"`, 1)
			return l
		}, 0, 1, "line 1 of journal-2026-12-01.jsonl was changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, files := chained(t, 12)
			target := files[tt.file]
			writeLines(t, target, tt.tamper(fileLines(t, target)))
			v, err := Verify(path)
			if err != nil {
				t.Fatal(err)
			}
			if v.Break == nil {
				t.Fatalf("the chain holds after %s", tt.name)
			}
			if v.Break.File != files[tt.wantFile] || v.Break.Number != tt.wantLine || !strings.Contains(v.Break.What, tt.want) {
				t.Errorf("break at %s line %d: %s\nwant %s line %d: %s", filepath.Base(v.Break.File), v.Break.Number, v.Break.What,
					filepath.Base(files[tt.wantFile]), tt.wantLine, tt.want)
			}
		})
	}
}

// The chain holds across restarts, rotations and two processes writing the
// one journal at once (the counter and a scripting command): the numbers
// run on without a gap or a repeat, whoever wrote each line.
func TestTheChainHoldsAcrossProcessesRestartsAndRotations(t *testing.T) {
	clock := at("2026-12-01", "23:59:00.000")
	var mu sync.Mutex
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	opts := Options{Now: now, Location: counterZone, MaxSize: 8 << 10}
	const writers, each = 3, 60
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for round := range 3 {
				// Each round is a process of its own, started again.
				j, err := OpenWith(path, opts)
				if err != nil {
					t.Error(err)
					return
				}
				for i := range each / 3 {
					if err := j.Record(Entry{OrderID: fmt.Sprintf("O-%d-%d-%d", w, round, i), Action: ActionAttach,
						MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt}); err != nil {
						t.Error(err)
					}
				}
				j.Close()
			}
		})
	}
	wg.Wait()
	v, err := Verify(path)
	if err != nil {
		t.Fatal(err)
	}
	if v.Break != nil || v.Chained != writers*each || len(v.Files) < 3 {
		t.Fatalf("%d files, %d chained lines, break %+v", len(v.Files), v.Chained, v.Break)
	}
	var seqs []uint64
	for _, f := range v.Files {
		for _, e := range decodeLines(t, f) {
			seqs = append(seqs, e.Seq)
		}
	}
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("line %d is number %d", i+1, s)
		}
	}
}

// A line torn by a crash stays where it was: the next line chains through
// it, and verify lists it without calling it a break. Lines written before
// the journal was chained are counted, and the first chained line carries
// the hash of the last of them.
func TestTheChainPassesThroughTornAndEarlierLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	legacy := `{"time":"2026-11-30T10:00:00Z","orderId":"O-0","action":"attach","maskedBarcode":"AD......0111","outcome":"attached"}` + "\n"
	must(t, os.WriteFile(path, []byte(legacy+legacy), 0o600))
	j, err := Open(path)
	must(t, err)
	record(t, j, "O-1", OutcomeAttached)
	j.Close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteString(`{"time":"2026-12-01T10:00:00Z","orderId":"O-2","acti`)
	must(t, err)
	f.Close()
	j, err = Open(path)
	must(t, err)
	record(t, j, "O-3", OutcomeAttached)
	record(t, j, "O-4", OutcomeAttached)
	j.Close()

	v, err := Verify(path)
	must(t, err)
	if v.Break != nil || v.Legacy != 2 || v.Chained != 3 || len(v.Torn) != 1 || v.Torn[0].Number != 4 {
		t.Fatalf("verify: %+v, break %+v", v, v.Break)
	}
	// The torn line is part of the chain: taking it out breaks it.
	lines := fileLines(t, path)
	writeLines(t, path, append(lines[:3:3], lines[4:]...))
	if v, err = Verify(path); err != nil || v.Break == nil || v.Break.Number != 3 || !strings.Contains(v.Break.What, "cut short by a crash after it was removed") {
		t.Fatalf("torn line removed: %+v, %v", v, err)
	}
	// So is the last line before the chain began.
	lines[1] = strings.Replace(lines[1], "O-0", "O-8", 1)
	writeLines(t, path, lines)
	if v, err = Verify(path); err != nil || v.Break == nil || v.Break.Number != 2 {
		t.Fatalf("earlier line changed: %+v, %v", v, err)
	}
}

// Every line carries who wrote it and where: the journal's stamp, with the
// server named as it is written when it is only known later.
func TestEveryLineCarriesItsStamp(t *testing.T) {
	server := "mock:http://127.0.0.1:8080"
	var mu sync.Mutex
	j, err := OpenWith(filepath.Join(t.TempDir(), "journal.jsonl"), Options{
		Stamp:  Stamp{Server: "https://tenant.example", Counter: "till-1", Operator: "ann", Version: "1.2.3"},
		Server: func() string { mu.Lock(); defer mu.Unlock(); return server },
	})
	must(t, err)
	defer j.Close()
	must(t, j.Record(Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt}))
	mu.Lock()
	server = "mock:demo-data.json"
	mu.Unlock()
	must(t, j.Record(Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttached}))
	got := decodeLines(t, j.Path())
	for i, want := range []string{"mock:http://127.0.0.1:8080", "mock:demo-data.json"} {
		e := got[i]
		if e.Server != want || e.Counter != "till-1" || e.Operator != "ann" || e.Version != "1.2.3" || e.Seq != uint64(i+1) {
			t.Errorf("line %d: %+v", i+1, e)
		}
	}
	if !bytes.Contains([]byte(got[1].Prev), []byte{}) || len(got[1].Prev) != 32 || got[0].Prev != "" {
		t.Errorf("prev hashes %q, %q", got[0].Prev, got[1].Prev)
	}
}
