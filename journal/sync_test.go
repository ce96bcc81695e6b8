package journal

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

const demoOrder = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

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
