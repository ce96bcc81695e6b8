package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// A recording is a folder of exchanges, one JSON file each, in the request
// journal's form (JournalEntry) and masked as the journal masks: PINs,
// passwords and tokens "****", barcodes as the reference page masks them.
// Bodies are kept whole, up to recordingBodyLimit, so that the mock can
// answer from them: `boxoffice proxy --record` writes one from a tenant's
// traffic, and `boxoffice mock --replay` plays it back, so that a tenant's
// quirk becomes a test case.

// recordingBodyLimit is how much of each body a recording keeps.
const recordingBodyLimit = 1 << 20

// recordedEchoes bounds how many of the secrets seen in requests a recorder
// remembers to mask in later answers: the newest, which are those of the
// orders being worked on, whose reads may repeat them. Each is looked for
// in every string of every answer, so the bound also bounds that cost.
const recordedEchoes = 512

// RecordedExchange is one exchange seen outside the mock, to be recorded.
type RecordedExchange struct {
	// Seq numbers the exchange; the file's name starts with it.
	Seq  uint64
	Time time.Time
	// Request and RequestBody are the request as the client sent it.
	Request     *http.Request
	RequestBody []byte
	// Answered is false when the client got no answer; Status, Header and
	// ResponseBody are then what was applied, if anything.
	Answered     bool
	Status       int
	Header       http.Header
	ResponseBody []byte
	Latency      time.Duration
	// Operation is the operationId the request matched, "" for none.
	Operation string
	// Note says what went wrong on the way ("the tenant's connection was
	// lost before it answered"); it goes where the journal names a fault.
	Note       string
	Violations []validate.Violation
}

// Recorder writes exchanges into a recording folder. It is safe for
// concurrent use.
type Recorder struct {
	dir     string
	profile Profile
	mu      sync.Mutex
	// echoes are the secrets seen in requests so far, newest last, masked
	// wherever a later answer repeats them.
	echoes []echo
	seen   map[string]bool
}

// NewRecorder makes dir (mode 0700) for a new recording. A folder that
// already holds one is refused rather than mixed with it.
func NewRecorder(dir string) (*Recorder, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make the recording folder: %w", err)
	}
	existing, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("%s already holds a recording (%d exchanges); choose a new folder", dir, len(existing))
	}
	p, _ := LookupProfile(DefaultProfile)
	return &Recorder{dir: dir, profile: p, seen: map[string]bool{}}, nil
}

// Dir is the recording's folder.
func (r *Recorder) Dir() string { return r.dir }

// Record writes x, masked, as the next file of the recording and returns
// the file's name.
func (r *Recorder) Record(x RecordedExchange) (string, error) {
	e := r.entry(x)
	raw, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return "", err
	}
	name := RecordingFileName(x.Seq, x.Request.Method, x.Operation, x.Answered, x.Status)
	path := filepath.Join(r.dir, name)
	tmp, err := os.CreateTemp(r.dir, ".recording-*")
	if err != nil {
		return "", err
	}
	_, werr := tmp.Write(append(raw, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return name, nil
}

// RecordingFileName is the name Record gives an exchange's file:
// 000012-POST-OcapiOrderVouchers_AddVoucher-400.json ("lost" for an
// exchange that got no answer, "outside" for a request of no operation).
func RecordingFileName(seq uint64, method, operation string, answered bool, status int) string {
	op := operation
	if op == "" {
		op = "outside"
	}
	op = strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == '{' || r == '}' {
			return '_'
		}
		return r
	}, op)
	outcome := fmt.Sprint(status)
	if !answered {
		outcome = "lost"
	}
	return fmt.Sprintf("%06d-%s-%s-%s.json", seq, method, op, outcome)
}

// entry is the journal's entry for x, with every secret seen so far masked.
func (r *Recorder) entry(x RecordedExchange) JournalEntry {
	r.mu.Lock()
	for _, e := range requestEchoes(x.Request, x.RequestBody, &r.profile) {
		if !r.seen[e.value] {
			r.seen[e.value] = true
			r.echoes = append(r.echoes, e)
		}
	}
	if n := len(r.echoes) - recordedEchoes; n > 0 {
		for _, e := range r.echoes[:n] {
			delete(r.seen, e.value)
		}
		r.echoes = slices.Delete(r.echoes, 0, n)
	}
	// The longest first, so that a barcode is masked whole before a PIN
	// that happens to be part of it.
	echoes := slices.Clone(r.echoes)
	r.mu.Unlock()
	slices.SortStableFunc(echoes, func(a, b echo) int { return len(b.value) - len(a.value) })

	path := x.Request.URL.Path
	if len(path) > 1000 {
		path = path[:1000] + "..."
	}
	e := JournalEntry{
		Seq:        x.Seq,
		Time:       x.Time,
		Method:     x.Request.Method,
		Path:       escapeControls(scrubEchoes(path, echoes)),
		Operation:  x.Operation,
		Status:     x.Status,
		Answered:   x.Answered,
		LatencyMs:  float64(x.Latency.Microseconds()) / 1000,
		Fault:      x.Note,
		Violations: x.Violations,
	}
	if q := x.Request.URL.RawQuery; q != "" {
		e.Query = escapeControls(scrubEchoes(maskQuery(q), echoes))
	}
	m := masking{profile: &r.profile, limit: recordingBodyLimit, echoes: echoes}
	e.Request = journalMessage(x.Request.Header, x.RequestBody, m)
	if x.Answered || x.Status != 0 {
		e.Response = journalMessage(x.Header, x.ResponseBody, m)
	}
	return e
}

// LoadRecording reads a recording's exchanges in the order they were
// recorded (by file name).
func LoadRecording(dir string) ([]JournalEntry, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("read the recording: %w", err)
		}
		return nil, fmt.Errorf("%s holds no recorded exchanges (files NNNNNN-*.json, as boxoffice proxy --record writes them)", dir)
	}
	slices.Sort(files)
	out := make([]JournalEntry, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read the recording: %w", err)
		}
		var e JournalEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("%s is not a recorded exchange: %w", filepath.Base(f), err)
		}
		if e.Method == "" || e.Path == "" {
			return nil, fmt.Errorf("%s is not a recorded exchange: it has no method or path", filepath.Base(f))
		}
		out = append(out, e)
	}
	return out, nil
}
