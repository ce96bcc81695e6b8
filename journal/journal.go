// Package journal keeps an append-only audit trail of every voucher attempt
// and outcome at the counter, one JSON object per line (JSON Lines).
//
// The journal is the counter's memory of what happened to a customer's
// vouchers when the screen, the network or the machine fails: Record returns
// only once the line is on disk, and Restore rebuilds what is attached to an
// order from it after a restart.
//
// No PIN is ever written and barcodes are written masked.
package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/internal/barcode"
)

// Actions. Cancel and complete are about the order as a whole: Restore
// passes over them, as they name no voucher.
const (
	ActionAttach   = "attach"
	ActionRemove   = "remove"
	ActionCancel   = "cancel"
	ActionComplete = "complete"
)

// Outcomes. An "attempt" is written before a request is sent, so that a crash
// between sending and hearing back still leaves a trace of the attempt.
const (
	OutcomeAttempt         = "attempt"
	OutcomeAttached        = "attached"
	OutcomeAlreadyAttached = "already_attached"
	OutcomeRejected        = "rejected"
	OutcomeRemoved         = "removed"
	OutcomeFailed          = "failed"
	OutcomeUnknown         = "unknown"
	OutcomeCancelled       = "cancelled"
	OutcomeCompleted       = "completed"
	OutcomeBlocked         = "blocked"
	// OutcomeAbandoned is a scan still waiting when the counter was quit:
	// it was never sent, and the customer may still want it attached.
	OutcomeAbandoned = "abandoned"
	// OutcomeQueued is a scan the counter took that waits behind others to
	// be sent. Its attempt line follows when it goes; if the program dies
	// first, the queued line is the trace that it was scanned at all.
	OutcomeQueued = "queued"
	// OutcomeRepeat is a scan of a barcode already attached to the order
	// or on its way to it: it was not sent, and it is one attempt, not a
	// refusal.
	OutcomeRepeat = "repeat"
	// OutcomeMatchedByMask is an add whose answer was lost, after which the
	// order held a voucher matching its masked barcode that nothing could
	// tell from another writer's: it needs checking.
	OutcomeMatchedByMask = "matched_by_mask"
)

// Servers that are not a tenant's: the built-in demo and boxoffice mock. A
// line's Server is "demo:<data>@<start>" or "mock:<data>@<start>" (or
// "mock:<address>") for them, and a tenant's origin otherwise.
const (
	ServerDemo = "demo"
	ServerMock = "mock"
)

// IsPractice reports whether a line's server is the demo or a mock, whose
// lines are practice rather than a shift's work.
func IsPractice(server string) bool {
	kind, _, _ := strings.Cut(server, ":")
	return kind == ServerDemo || kind == ServerMock
}

// Entry is one line of the journal.
type Entry struct {
	// Time is written in UTC; Record sets it when it is zero.
	Time    time.Time `json:"time"`
	OrderID string    `json:"orderId"`
	Action  string    `json:"action"`
	// MaskedBarcode is always masked; Record masks a full barcode given by mistake.
	MaskedBarcode        string `json:"maskedBarcode"`
	VoucherType          string `json:"type,omitempty"`
	VoucherID            string `json:"voucherId,omitempty"`
	Outcome              string `json:"outcome"`
	AvailableRedemptions *int   `json:"availableRedemptions,omitempty"`
	ErrorKind            string `json:"errorKind,omitempty"`
	// Message is human text. It must never carry a PIN: the journal cannot
	// recognise one. A full barcode given in MaskedBarcode by mistake is also
	// masked wherever it appears here.
	Message string `json:"message,omitempty"`
	// Reason is why a refusal was refused, from a closed set (wrong_pin,
	// blocked, used_up, expired, unknown_barcode, wrong_type,
	// not_for_showtime, already_on_order, other); HTTPStatus is the
	// server's status for a failure, 0 when no answer came.
	Reason     string `json:"reason,omitempty"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	// BlockedUntil is when a block on the voucher ends, on a blocked line.
	BlockedUntil time.Time `json:"blockedUntil,omitzero"`
	// Who wrote the line, where: the server the calls went to, the
	// counter (a machine), the operator when one is named, and the app's
	// version. Write fills them from the journal's Stamp when empty.
	Server   string `json:"server,omitempty"`
	Counter  string `json:"counter,omitempty"`
	Operator string `json:"operator,omitempty"`
	Version  string `json:"version,omitempty"`
	// Seq numbers the lines, and Prev is the hash of the line before
	// (chainHash), across every file of the journal: a line changed,
	// removed or inserted breaks the chain (see Verify). Write sets both;
	// a caller's are ignored.
	Seq  uint64 `json:"seq,omitempty"`
	Prev string `json:"prev,omitempty"`
}

// Stamp is who writes a journal's lines, and where: every line carries it.
type Stamp struct {
	// Server names the server: a tenant's origin (https://host), or
	// "demo:<data>" or "mock:<data>".
	Server string
	// Counter is the machine's name at the box office; Operator the
	// person signed in, "" when none is named.
	Counter, Operator string
	// Version is the app's version.
	Version string
}

// Journal appends entries to one file. It is safe for concurrent use.
//
// Once a write fails the journal stays failed: every later Record returns
// the same error, so the counter stops attaching vouchers rather than attach
// one that no record will remember.
type Journal struct {
	path string

	mu sync.Mutex
	f  *os.File
	// rot moves the file aside at midnight or past a size; nil (a journal
	// built by hand in a test) never does.
	rot *rotation
	// retired are files rotated away from. A Sync may still be flushing
	// one, so they are closed by the next Sync, when none can be.
	retired []*os.File
	// startOnNewLine is set when the file ends in a torn line (a crash
	// mid-write), so that the next record does not glue itself onto it.
	startOnNewLine bool
	err            error
	// written counts the lines written; synced is how many of them the last
	// fsync covered. syncMu lets one fsync run at a time, so that callers
	// arriving during one share the next (group commit).
	written, synced uint64
	syncMu          sync.Mutex

	stamp      Stamp
	serverName func() string
	// locked is the file whose lock a write holds, nil between writes;
	// info is the open file's identity.
	locked *os.File
	info   os.FileInfo
	// The chain's head: the last line's number and hash, and the size of
	// the current file they were read at (-1: not read yet). Another
	// process appending moves the size on, and the head is read again.
	seq  uint64
	head string
	end  int64
}

// Open opens the journal at path for appending, creating the file (0600) and
// any missing parent folders (0700). An existing journal that group or others
// can read is tightened to 0600; nothing in it is lost. The path must name a
// regular file: a device or pipe (/dev/null, say) would keep no audit trail.
//
// The journal moves to a new file every day and past a size, keeping the
// rotated files beside path (see Options); path always names the current one.
func Open(path string) (*Journal, error) {
	return OpenWith(path, Options{})
}

// OpenWith is Open with rotation and the clock set by opts.
func OpenWith(path string, opts Options) (*Journal, error) {
	if path == "" {
		return nil, errors.New("audit journal: no path given; set a journal file path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit journal %s: cannot create its folder: %w; "+
			"vouchers cannot be attached without a journal: create the folder or choose another journal path", path, err)
	}
	f, info, err := openForAppend(path)
	if err != nil {
		return nil, err
	}
	j := &Journal{path: path, f: f, info: info, rot: newRotation(opts), stamp: opts.Stamp, serverName: opts.Server, end: -1}
	j.rot.started(info, j.now())
	return j, nil
}

// openForAppend opens (or creates) the journal file at path for appending,
// private to its owner. It is opened for reading too, so that the chain's
// head can be read from its end.
func openForAppend(path string) (f *os.File, info os.FileInfo, err error) {
	// A FIFO or a device is refused before it is opened: opening a FIFO to
	// write waits for a reader, and the counter would hang at start.
	if existing, serr := os.Stat(path); serr == nil && !existing.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("audit journal %s: is not a regular file (%s), so nothing would be kept; "+
			"choose a file path for the journal", path, existing.Mode().Type())
	}
	f, err = os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("audit journal %s: cannot open it for writing: %w; "+
			"vouchers cannot be attached without a journal: fix the file's permissions or choose another journal path", path, err)
	}
	// Checked on the open descriptor, not the path, so that what is checked
	// is what will be written to.
	info, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("audit journal %s: cannot inspect it: %w; choose another journal path", path, err)
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("audit journal %s: is not a regular file (%s), so nothing would be kept; "+
			"choose a file path for the journal", path, info.Mode().Type())
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("audit journal %s: others may read it (mode %04o) and it cannot be made private: %w; "+
				"run chmod 600 on it or choose another journal path", path, info.Mode().Perm(), err)
		}
	}
	return f, info, nil
}

// A nil *Journal records nothing: Write, Sync and Record succeed at once,
// so callers without a journal (tests, a counter run without one) need no
// checks of their own.

// Path is the file the journal writes to.
func (j *Journal) Path() string { return j.path }

// Record appends e as one line and syncs it to disk before returning, so a
// nil error means the entry survives a crash. It fills in Time when zero,
// writes it in UTC, and masks a full barcode given by mistake.
//
// An error names the journal's path; after one, the journal stays failed and
// every later Record returns the same error.
func (j *Journal) Record(e Entry) error {
	if _, err := j.Write(e); err != nil {
		return err
	}
	return j.Sync()
}

// Write appends e as one line without waiting for the disk, and returns the
// line's number for Synced. Whoever reports what the line says must first
// call Sync: Write alone does not survive a power cut.
//
// Before the line goes, the file is checked to be the journal's: still at
// its path and the same file (one another process moved aside by a
// rotation is followed to the new file). A journal removed or replaced
// while in use fails here, so that nothing is sent that only a file nobody
// reads would record.
func (j *Journal) Write(e Entry) (uint64, error) {
	if j == nil {
		return 0, nil
	}
	now := j.now()
	e = j.stamped(sanitize(e, now))
	e.Seq, e.Prev = 0, ""
	// Encoded outside the lock; the chain's fields, known only under it,
	// are spliced in at the end.
	body, err := json.Marshal(e)
	if err != nil {
		// Nothing was written, so the journal itself is still sound.
		return 0, fmt.Errorf("audit journal %s: cannot encode the %s entry for order %s: %w", j.path, e.Action, e.OrderID, err)
	}

	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return 0, j.err
	}
	if j.f == nil {
		return 0, fmt.Errorf("audit journal %s: %w; the %s outcome %q for order %s was not recorded", j.path, os.ErrClosed, e.Action, e.Outcome, e.OrderID)
	}
	if err := j.take(e); err != nil {
		return 0, err
	}
	defer j.release()
	n := len(body) + chainLen(j.seq+1)
	// Twice at most: a file another process has just begun may already be
	// full.
	for range 2 {
		if !j.rot.due(now, n) {
			break
		}
		if err := j.rotate(now, e); err != nil {
			return 0, err
		}
	}
	line := j.chain(body)
	// One write per line: with O_APPEND, lines from other processes sharing
	// the file land whole, never interleaved.
	if _, err := j.f.Write(line); err != nil {
		return 0, j.fail(e.Action, e.Outcome, e.OrderID, "write", err)
	}
	j.rot.wrote(now, len(line))
	j.end += int64(len(line))
	j.written++
	return j.written, nil
}

// stamped fills in who wrote e, where, from the journal's stamp.
func (j *Journal) stamped(e Entry) Entry {
	if e.Server == "" {
		e.Server = j.stamp.Server
		if j.serverName != nil {
			e.Server = j.serverName()
		}
	}
	if e.Counter == "" {
		e.Counter = j.stamp.Counter
	}
	if e.Operator == "" {
		e.Operator = j.stamp.Operator
	}
	if e.Version == "" {
		e.Version = j.stamp.Version
	}
	return e
}

// Sync makes every line written before the call survive a crash. Callers
// that arrive while an fsync runs wait for it and then share one more, so a
// burst of outcomes costs a few fsyncs, not one each.
func (j *Journal) Sync() error {
	if j == nil {
		return nil
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	// Holding syncMu, no other Sync can be flushing a retired file, and a
	// rotation flushed it before retiring it.
	for _, old := range j.retired {
		old.Close()
	}
	j.retired = nil
	target, f := j.written, j.f
	if j.err != nil {
		defer j.mu.Unlock()
		return j.err
	}
	if j.synced >= target {
		j.mu.Unlock()
		return nil
	}
	if f == nil {
		j.mu.Unlock()
		return fmt.Errorf("audit journal %s: %w; lines written before it was closed may not be on disk", j.path, os.ErrClosed)
	}
	j.mu.Unlock()
	// The fsync runs without the write lock, so lines keep being written
	// while it waits for the disk; it covers at least the lines up to target.
	err := f.Sync()
	j.mu.Lock()
	defer j.mu.Unlock()
	if err == nil && j.f == f {
		// Under the lock no rotation of ours moves the file meanwhile.
		err = stillAt(f, j.path)
	}
	if err != nil {
		return j.fail("", "", "", "save to disk", err)
	}
	j.synced = max(j.synced, target)
	return nil
}

// errNotAtPath is why lines synced to a file no longer at the journal's path
// are not kept: the file was removed or replaced, and what was written to it
// is nowhere anyone will look.
var errNotAtPath = errors.New("the journal file was removed or replaced while in use")

// stillAt checks, after a sync, that f is still where readers find it: the
// file at path, or (moved there by another process's rotation) one of its
// rotated files. Writing on into a deleted or replaced file would report
// outcomes no record holds.
func stillAt(f *os.File, path string) error {
	open, err := f.Stat()
	if err != nil {
		return err
	}
	if at, err := os.Stat(path); err == nil && os.SameFile(open, at) {
		return nil
	}
	rotated, err := listRotated(path)
	if err != nil {
		return err
	}
	for i := len(rotated) - 1; i >= 0; i-- {
		if at, err := os.Stat(rotated[i].path); err == nil && os.SameFile(open, at) {
			return nil
		}
	}
	return errNotAtPath
}

// Synced reports whether line n (from Write) is on disk.
func (j *Journal) Synced(n uint64) bool {
	if j == nil {
		return true
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.synced >= n
}

func (j *Journal) fail(action, outcome, orderID, step string, err error) error {
	what := "its latest lines"
	if action != "" {
		what = fmt.Sprintf("the %s outcome %q for order %s", action, outcome, orderID)
	}
	return j.failed(fmt.Sprintf("could not %s %s", step, what), err)
}

func (j *Journal) failed(what string, err error) error {
	j.err = fmt.Errorf("audit journal %s: %s: %w; "+
		"stop attaching vouchers: what happens next would not be recorded. "+
		"Free disk space or fix the journal file, then restart the app", j.path, what, err)
	return j.err
}

// now is the journal's clock.
func (j *Journal) now() time.Time {
	if j.rot != nil && j.rot.now != nil {
		return j.rot.now()
	}
	return time.Now()
}

// Close closes the file. Later Records return an error.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, old := range j.retired {
		old.Close()
	}
	j.retired = nil
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	if err != nil {
		return fmt.Errorf("audit journal %s: closing: %w", j.path, err)
	}
	return nil
}

func sanitize(e Entry, now time.Time) Entry {
	if e.Time.IsZero() {
		e.Time = now
	}
	e.Time = e.Time.UTC()
	return masked(e)
}

// masked returns e with a full barcode given by mistake masked, in
// MaskedBarcode and wherever it appears in Message.
func masked(e Entry) Entry {
	if !barcode.LooksMasked(e.MaskedBarcode) {
		full := e.MaskedBarcode
		e.MaskedBarcode = barcode.Mask(full)
		if e.Message != "" {
			e.Message = strings.ReplaceAll(e.Message, full, e.MaskedBarcode)
		}
	}
	return e
}
