package journal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A journal whose file is removed or replaced while in use stops at the next
// record, as a full disk does: what follows would be written where no one
// looks. One moved beside it by another process's rotation goes on.
func TestAJournalRemovedOrReplacedStops(t *testing.T) {
	entry := Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttached}
	tests := []struct {
		name  string
		do    func(t *testing.T, path string)
		stops bool
	}{
		{"removed", func(t *testing.T, path string) { must(t, os.Remove(path)) }, true},
		{"replaced", func(t *testing.T, path string) {
			must(t, os.Remove(path))
			must(t, os.WriteFile(path, nil, 0o600))
		}, true},
		{"moved by a rotation", func(t *testing.T, path string) {
			must(t, os.Rename(path, rotatedPath(path, time.Now().Format(dateLayout), 1)))
			must(t, os.WriteFile(path, nil, 0o600))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.jsonl")
			j, err := Open(path)
			must(t, err)
			defer j.Close()
			must(t, j.Record(entry))
			tt.do(t, path)
			err = j.Record(entry)
			if tt.stops != (err != nil) {
				t.Fatalf("Record after the file was %s: %v", tt.name, err)
			}
			if tt.stops && (!errors.Is(err, errNotAtPath) || !strings.Contains(err.Error(), "stop attaching")) {
				t.Fatalf("err = %v, want it to say the file was removed or replaced and to stop", err)
			}
			if tt.stops && j.Record(entry) == nil {
				t.Fatal("a later record went through")
			}
		})
	}
}

// A FIFO is refused at once: opening one to write would wait for a reader.
func TestAFifoIsRefusedWithoutHanging(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Open(path)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Open hung on a FIFO")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A journal removed or replaced while in use is noticed before the next
// line is written, not after: the line goes nowhere, neither to the file
// nobody reads nor to the one now at the path, and Write fails, so that a
// caller writing its attempt before a request sends nothing.
func TestNothingIsWrittenToAJournalRemovedOrReplaced(t *testing.T) {
	entry := Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeAttempt}
	for _, replace := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "journal.jsonl")
		j, err := Open(path)
		must(t, err)
		must(t, j.Record(entry))
		orphan, err := os.Open(path)
		must(t, err)
		must(t, os.Remove(path))
		if replace {
			must(t, os.WriteFile(path, nil, 0o600))
		}
		if _, err := j.Write(entry); !errors.Is(err, errNotAtPath) {
			t.Fatalf("replaced %v: Write = %v, want the journal stopped before the line", replace, err)
		}
		info, err := orphan.Stat()
		must(t, err)
		if b, _ := os.ReadFile(path); info.Size() != int64(len(readAll(t, orphan))) || len(b) != 0 {
			t.Errorf("replaced %v: a line went to the removed file or to the one now at the path", replace)
		}
		if lines := strings.Count(string(readAll(t, orphan)), "\n"); lines != 1 {
			t.Errorf("replaced %v: the removed file holds %d lines, want the 1 written before", replace, lines)
		}
		orphan.Close()
		j.Close()
	}
}

func readAll(t *testing.T, f *os.File) []byte {
	t.Helper()
	info, err := f.Stat()
	must(t, err)
	b := make([]byte, info.Size())
	_, err = f.ReadAt(b, 0)
	must(t, err)
	return b
}
