package journal

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rotation defaults, as the counter uses them.
const (
	// DefaultKeepDays keeps more than a year, so that last year's same
	// week can still be looked up.
	DefaultKeepDays = 400
	// DefaultMaxSize is far above a busy day's lines (a few megabytes): it
	// is there for a counter gone wrong, not for normal days.
	DefaultMaxSize = 64 << 20
)

// Options set how a journal moves to a new file and what clock it reads.
// The zero value is what the counter uses.
//
// The current file is the path given to Open. At the first write of a new
// day, or when a line would take it past MaxSize, it is renamed beside
// itself as journal-2006-01-02.jsonl (the day of its last line; a second
// file of the same day is journal-2006-01-02.2.jsonl, and so on) and a new
// current file is begun. Every line stays in exactly one of those files,
// at any moment a crash may come.
type Options struct {
	// KeepDays is how many days of rotated files are kept besides today's:
	// older ones are removed when the journal next moves to a new file,
	// but never the newest KeepDays files. Zero or less means
	// DefaultKeepDays.
	KeepDays int
	// MaxSize is the size a line may not take the current file past; the
	// file is moved aside first. Zero or less means DefaultMaxSize.
	MaxSize int64
	// Location is where midnight starts a new file; nil means time.Local,
	// so that a file is the counter's day.
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Stamp is who writes, where: every line carries it.
	Stamp Stamp
	// Server, when set, names each line's server as it is written, in
	// place of Stamp.Server: a server may say what it is only once it
	// has answered.
	Server func() string
}

// rotation is when the current file is next moved aside.
type rotation struct {
	now      func() time.Time
	loc      *time.Location
	keepDays int
	maxSize  int64

	// day is the local midnight that began the day of the current file's
	// last line; a line at or after next belongs to a new file.
	day, next time.Time
	// size is the current file's size as far as this process knows (other
	// processes may append too: it only decides when to rotate).
	size int64
}

func newRotation(opts Options) *rotation {
	r := &rotation{now: opts.Now, loc: opts.Location, keepDays: opts.KeepDays, maxSize: opts.MaxSize}
	if r.now == nil {
		r.now = time.Now
	}
	if r.loc == nil {
		r.loc = time.Local
	}
	if r.keepDays <= 0 {
		r.keepDays = DefaultKeepDays
	}
	if r.maxSize <= 0 {
		r.maxSize = DefaultMaxSize
	}
	return r
}

// started takes up a file just opened. A file with lines belongs to the
// day it was last written; that is when the previous run (or another
// process) wrote its last line.
func (r *rotation) started(info os.FileInfo, now time.Time) {
	r.size = info.Size()
	if r.size > 0 {
		r.setDay(info.ModTime())
		return
	}
	r.setDay(now)
}

func (r *rotation) setDay(t time.Time) {
	t = t.In(r.loc)
	y, m, d := t.Date()
	r.day = time.Date(y, m, d, 0, 0, 0, 0, r.loc)
	r.next = time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
}

// due reports whether a line of n bytes written at now belongs to a new file.
func (r *rotation) due(now time.Time, n int) bool {
	if r == nil || r.size == 0 {
		return false
	}
	return !now.Before(r.next) || r.size+int64(n) > r.maxSize
}

func (r *rotation) wrote(now time.Time, n int) {
	if r == nil {
		return
	}
	r.size += int64(n)
	// A clock set back stays in the later day, so that the file's name
	// (its last day) never goes backwards.
	if !now.Before(r.next) {
		r.setDay(now)
	}
}

// postpone gives up rotating until the next day or another MaxSize of
// lines: the current file still takes every line, so a folder that
// refuses a rename must not cost every write a retry.
func (r *rotation) postpone(now time.Time) {
	r.setDay(now)
	r.size = 0
}

// Steps of a rotation, named for the tests that crash at each.
const (
	stepLocked     = "locked"
	stepSynced     = "synced"
	stepRenamed    = "renamed"
	stepCreated    = "created"
	stepFolderSync = "folder synced"
)

// rotateHook, when set by a test, is called after each step of a rotation.
var rotateHook func(step string)

func hook(step string) {
	if rotateHook != nil {
		rotateHook(step)
	}
}

// rotate moves the current file aside and begins a new one. It is called
// with j.mu held and the current file's lock taken (take), before the line
// at now is written; the chain goes on from the old file into the new.
//
// The order of the steps is what keeps every line in exactly one readable
// file whenever a crash comes: the old file is flushed before it is
// renamed, so that what it holds is whole; it is renamed, never copied, so
// that there is no half-written copy; and the folder is flushed before any
// line goes to the new file, so that a line reported on disk cannot be in a
// file whose name the disk has not kept. A crash before the rename leaves
// the old file current (the next write moves it); after it, the rotated
// file and no current one, or an empty one (Open creates it).
//
// Only a failure to flush is a failure of the journal. A rename or an open
// that fails leaves the old file taking the lines, which loses nothing.
//
// Processes sharing the journal (a scripting command beside the counter)
// rotate one at a time: the lock is on the file being moved, so one that
// waited for it finds the file moved and follows (take).
func (j *Journal) rotate(now time.Time, e Entry) error {
	r, old := j.rot, j.f
	hook(stepLocked)
	// A Sync in flight may be flushing the old file, but the lines written
	// after it must not be reported before the old ones are on disk.
	if err := old.Sync(); err != nil {
		return j.fail("", "", "", "save to disk", err)
	}
	j.synced = j.written
	hook(stepSynced)

	current, err := isCurrent(j.path, old)
	if err != nil {
		r.postpone(now)
		return nil
	}
	if current {
		name, err := nextRotatedName(j.path, r.day, r.loc)
		if err != nil {
			r.postpone(now)
			return nil
		}
		if err := os.Rename(j.path, name); err != nil {
			r.postpone(now)
			return nil
		}
		hook(stepRenamed)
	}
	f, _, err := openForAppend(j.path)
	if err != nil {
		// After a rename the old file takes the lines under its new name,
		// where every reader finds them.
		r.postpone(now)
		return nil
	}
	hook(stepCreated)
	if err := syncDir(filepath.Dir(j.path)); err != nil {
		f.Close()
		return j.failed("could not save the move to a new file to disk", err)
	}
	hook(stepFolderSync)
	// The new file's lock is taken last, so that a crash at any step above
	// leaves no lock behind for the next start to wait on.
	if err := j.lock(f); err != nil {
		f.Close()
		return j.fail(e.Action, e.Outcome, e.OrderID, "lock", err)
	}
	unlockFile(old)
	j.retired = append(j.retired, old)
	j.f = f
	j.startOnNewLine = false
	info, err := f.Stat()
	if err != nil {
		return j.fail(e.Action, e.Outcome, e.OrderID, "check", err)
	}
	j.info = info
	// Empty, the new file continues the chain from the old one's last line,
	// which this process holds. It was begun just now, by this rotation or
	// another process's, which may have written to it, or moved it on,
	// before its lock was had: atPath sees to both.
	j.end = 0
	r.setDay(now)
	if err := j.atPath(e); err != nil {
		return err
	}
	j.prune(now)
	return nil
}

// isCurrent reports whether f is still the file at path: another process
// may have moved it aside.
func isCurrent(path string, f *os.File) (bool, error) {
	at, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	open, err := f.Stat()
	if err != nil {
		return false, err
	}
	return os.SameFile(at, open), nil
}

// prune removes the rotated files older than KeepDays. The newest KeepDays
// files are kept whatever their names say, so that a clock set years ahead
// cannot delete the record. It is best effort: a file left behind is kept
// a little longer, never lost.
func (j *Journal) prune(now time.Time) {
	y, m, d := now.In(j.rot.loc).Date()
	cutoff := time.Date(y, m, d-j.rot.keepDays, 0, 0, 0, 0, j.rot.loc).Format(dateLayout)
	files, err := listRotated(j.path)
	if err != nil || len(files) <= j.rot.keepDays {
		return
	}
	for _, f := range files[:len(files)-j.rot.keepDays] {
		// A file's name is the day of its last line, so all of it is older.
		if f.date < cutoff {
			os.Remove(f.path)
		}
	}
}

const dateLayout = "2006-01-02"

// rotatedFile is a file the journal was moved to.
type rotatedFile struct {
	path string
	date string // the day of its last line, as dateLayout
	seq  int    // 1, 2, ... for the files of one day, in the order they were made
}

func (f rotatedFile) compare(g rotatedFile) int {
	if c := strings.Compare(f.date, g.date); c != 0 {
		return c
	}
	return f.seq - g.seq
}

// splitName splits the journal's file name into the parts a rotated
// file's name is built around: journal.jsonl into "journal-" and ".jsonl".
func splitName(path string) (dir, prefix, ext string) {
	dir, base := filepath.Split(path)
	ext = filepath.Ext(base)
	return dir, strings.TrimSuffix(base, ext) + "-", ext
}

func rotatedPath(path, date string, seq int) string {
	dir, prefix, ext := splitName(path)
	name := prefix + date
	if seq > 1 {
		name += "." + strconv.Itoa(seq)
	}
	return filepath.Join(dir, name+ext)
}

// parseRotated reads a rotated file's day and number from its name, for
// the journal at path; ok is false for any other file.
func parseRotated(path, name string) (date string, seq int, ok bool) {
	_, prefix, ext := splitName(path)
	mid, found := strings.CutPrefix(name, prefix)
	if !found {
		return "", 0, false
	}
	if mid, found = strings.CutSuffix(mid, ext); !found || len(mid) < len(dateLayout) {
		return "", 0, false
	}
	date, rest := mid[:len(dateLayout)], mid[len(dateLayout):]
	if _, err := time.Parse(dateLayout, date); err != nil {
		return "", 0, false
	}
	if rest == "" {
		return date, 1, true
	}
	digits, found := strings.CutPrefix(rest, ".")
	if !found || digits == "" || digits[0] == '0' {
		return "", 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 2 {
		return "", 0, false
	}
	return date, n, true
}

// listRotated lists the rotated files of the journal at path, oldest first.
// A missing folder has none.
func listRotated(path string) ([]rotatedFile, error) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var files []rotatedFile
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if date, seq, ok := parseRotated(path, e.Name()); ok {
			files = append(files, rotatedFile{path: filepath.Join(dir, e.Name()), date: date, seq: seq})
		}
	}
	slices.SortFunc(files, rotatedFile.compare)
	return files, nil
}

// nextRotatedName is the name the current file moves to, the day being the
// day of its last line. Names sort in the order files were rotated, which
// is the order their lines were written: if the clock was set back after
// an earlier rotation, the newer file takes the next number of the later
// day rather than an earlier day's name.
func nextRotatedName(path string, day time.Time, loc *time.Location) (string, error) {
	files, err := listRotated(path)
	if err != nil {
		return "", err
	}
	date, seq := day.In(loc).Format(dateLayout), 1
	if n := len(files); n > 0 && files[n-1].date > date {
		date = files[n-1].date
	}
	for _, f := range files {
		if f.date == date && f.seq >= seq {
			seq = f.seq + 1
		}
	}
	for {
		name := rotatedPath(path, date, seq)
		// The rotation lock keeps other writers of this journal out; this
		// keeps a file someone put there by hand from being replaced.
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name, nil
		} else if err != nil {
			return "", err
		}
		seq++
	}
}
