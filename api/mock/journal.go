package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// DefaultJournalSize is how many exchanges the request journal keeps: the
// newest, in a ring. With each body kept up to journalBodyLimit, a full
// journal holds under 10 MB whatever the traffic.
const DefaultJournalSize = 1000

// journalBodyLimit is how much of each body the journal keeps.
const journalBodyLimit = 4 << 10

// JournalEntry is one exchange as the journal keeps it. PINs, passwords,
// tokens and barcodes are masked in bodies, headers and the path.
type JournalEntry struct {
	Seq uint64 `json:"seq"`
	// Time is when the request arrived, on the mock's clock (which the
	// admin API can move on).
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query,omitempty"`
	Operation string    `json:"operation,omitempty"`
	// Status is what was answered, or for a lost answer what was applied
	// before it was lost; 0 when nothing was.
	Status int `json:"status"`
	// Answered is false when the client got no answer.
	Answered  bool    `json:"answered"`
	LatencyMs float64 `json:"latencyMs"`
	// Fault is the fault applied: "503", "dropped", "latency 2s (queue #1)".
	Fault      string               `json:"fault,omitempty"`
	Request    JournalMessage       `json:"request"`
	Response   JournalMessage       `json:"response"`
	Violations []validate.Violation `json:"violations,omitempty"`
}

// JournalMessage is one side's headers and body. Body is the JSON body
// itself when it was JSON, else a string; BodyNote says what was left out.
type JournalMessage struct {
	Headers  Headers         `json:"headers,omitempty"`
	Body     json.RawMessage `json:"body,omitempty"`
	BodyNote string          `json:"bodyNote,omitempty"`
}

// Headers are a message's headers, one value each (repeated ones joined by
// ", "), written in JSON as an object by name. A list, not a map: the journal
// copies every exchange's headers, and a list is one allocation.
type Headers []Header

// Header is one header.
type Header struct{ Name, Value string }

// Get is the value of the header named name, "" when there is none.
func (h Headers) Get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// MarshalJSON writes the headers as an object, sorted by name.
func (h Headers) MarshalJSON() ([]byte, error) {
	sorted := slices.Clone(h)
	slices.SortFunc(sorted, func(a, b Header) int { return strings.Compare(a.Name, b.Name) })
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range sorted {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.Name)
		value, _ := json.Marshal(f.Value)
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the object MarshalJSON writes.
func (h *Headers) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*h = make(Headers, 0, len(m))
	for k, v := range m {
		*h = append(*h, Header{k, v})
	}
	slices.SortFunc(*h, func(a, b Header) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// journal is a ring of the newest exchanges. It grows to its size as
// requests come, so that a server that answers few keeps little.
type journal struct {
	mu      sync.Mutex
	size    int
	entries []JournalEntry
	next    int // where the next entry goes once full
	full    bool
	seq     uint64
}

func newJournal(size int) *journal {
	if size < 0 {
		return nil
	}
	if size == 0 {
		size = DefaultJournalSize
	}
	return &journal{size: size}
}

func (j *journal) add(e JournalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	if !j.full {
		j.entries = append(j.entries, e)
		j.full = len(j.entries) == j.size
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % j.size
}

func (j *journal) len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.entries)
}

// all copies the entries, oldest first.
func (j *journal) all() []JournalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append(slices.Clone(j.entries[j.next:]), j.entries[:j.next]...)
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next, j.full = nil, 0, false
}

// JournalFilter selects entries: each set field must match.
type JournalFilter struct {
	// Path is part of the (masked) path: "/vouchers" matches every add.
	Path string
	// Operation is an operationId.
	Operation string
	// Status is "429", or a class: "4xx"; "lost" selects unanswered ones.
	Status string
	// SinceSeq keeps entries after this sequence number; Since those at
	// or after this time.
	SinceSeq uint64
	Since    time.Time
}

func (f JournalFilter) match(e *JournalEntry) bool {
	switch {
	case f.Path != "" && !strings.Contains(e.Path, f.Path),
		f.Operation != "" && e.Operation != f.Operation,
		e.Seq <= f.SinceSeq,
		!f.Since.IsZero() && e.Time.Before(f.Since):
		return false
	}
	switch st := strings.ToLower(f.Status); {
	case st == "":
	case st == "lost":
		return !e.Answered
	case len(st) == 3 && strings.HasSuffix(st, "xx"):
		return e.Status/100 == int(st[0]-'0')
	default:
		return strconv.Itoa(e.Status) == st
	}
	return true
}

// journalEntry builds the journal's record of x, masking as it copies.
func (s *Server) journalEntry(x *exchange, violations []validate.Violation, profile Profile) JournalEntry {
	e := JournalEntry{
		Time:       x.at,
		Method:     x.req.Method,
		Path:       x.path,
		Status:     x.status,
		Answered:   !x.noAnswer,
		LatencyMs:  float64(time.Since(x.start).Microseconds()) / 1000,
		Fault:      x.fault,
		Violations: violations,
	}
	if e.Status == 0 && !x.noAnswer {
		e.Status = http.StatusOK
	}
	if x.operation != nil {
		e.Operation = x.operation.Name()
	}
	if q := x.req.URL.RawQuery; q != "" {
		e.Query = escapeControls(maskQuery(q))
	}
	e.Request = journalMessage(x.req.Header, x.reqBody, masking{profile: &profile})
	if !x.noAnswer {
		e.Response = journalMessage(x.w.Header(), x.body.Bytes(), masking{profile: &profile, ownJSON: x.ownJSON})
	}
	return e
}

// currentProfile is the profile, read under the world's lock.
func (s *Server) currentProfile() Profile {
	s.worldMu.RLock()
	defer s.worldMu.RUnlock()
	return s.profile
}

// secretHeaders are masked whole; Authorization keeps its scheme.
var secretHeaders = []string{"Cookie", "Set-Cookie", "Proxy-Authorization"}

// masking says how journalMessage masks and how much it keeps.
type masking struct {
	profile *Profile
	// ownJSON is set for JSON the mock encoded from its own values, kept
	// as it is.
	ownJSON bool
	// limit is how much of a body is kept; 0 means journalBodyLimit.
	limit int
	// echoes are secrets of the request that an answer may repeat where no
	// key names them (a recording's; the mock's own answers never do).
	echoes []echo
}

// journalMessage copies one side of an exchange, masked.
func journalMessage(h http.Header, body []byte, m masking) JournalMessage {
	msg := JournalMessage{}
	if len(h) > 0 {
		msg.Headers = make(Headers, 0, len(h))
		for k, v := range h {
			val := strings.Join(v, ", ")
			switch {
			case k == "Authorization":
				scheme, _, _ := strings.Cut(val, " ")
				val = scheme + " ****"
			case slices.Contains(secretHeaders, k):
				val = "****"
			case len(m.echoes) > 0:
				val = scrubEchoes(val, m.echoes)
			}
			msg.Headers = append(msg.Headers, Header{k, escapeControls(val)})
		}
	}
	if len(body) == 0 {
		return msg
	}
	limit := m.limit
	if limit == 0 {
		limit = journalBodyLimit
	}
	ct := h.Get("Content-Type")
	switch {
	case m.ownJSON && len(body) <= limit:
		msg.Body = body // the exchange's own copy, not used again
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		msg.Body = quoted(clip(scrubEchoes(maskForm(string(body)), m.echoes), limit))
	default:
		masked, ok := maskJSONEchoes(body, m.profile, m.echoes)
		switch {
		case !ok:
			msg.BodyNote = strconv.Itoa(len(body)) + " bytes that are not JSON: not kept, as they could hold a PIN"
		case len(masked) > limit:
			msg.Body = quoted(clip(string(masked), limit))
			msg.BodyNote = "cut at " + strconv.Itoa(limit) + " of " + strconv.Itoa(len(masked)) + " bytes"
		default:
			msg.Body = masked
		}
	}
	return msg
}

func clip(s string, limit int) string {
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}

func quoted(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// secretKeys are the JSON keys and form fields whose values are secrets:
// masked to "****" whatever they hold.
var secretKeys = map[string]bool{"pin": true, "password": true, "access_token": true, "refresh_token": true,
	"client_secret": true, "token": true, "id_token": true}

func maskForm(body string) string {
	q, err := url.ParseQuery(body)
	if err != nil {
		return "(a form that cannot be read: not kept)"
	}
	for k := range q {
		if secretKeys[strings.ToLower(k)] {
			q[k] = []string{"****"}
		}
	}
	return q.Encode()
}

func maskQuery(q string) string {
	v, err := url.ParseQuery(q)
	if err != nil {
		return "(a query that cannot be read: not kept)"
	}
	for k := range v {
		if secretKeys[strings.ToLower(k)] || strings.EqualFold(k, "barcode") {
			v[k] = []string{"****"}
		}
	}
	return v.Encode()
}
