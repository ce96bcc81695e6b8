package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
)

// replay answers OCAPI requests from a recording (LoadRecording) instead of
// the demo world: each request gets the next recorded answer to the same
// method and path, else to the same operation, in the order they were
// recorded. A read asked more often than recorded gets its last answer
// again; a change asked more often gets 501, as does a request the
// recording has no answer for. A recorded lost answer is lost again.
type replay struct {
	mu     sync.Mutex
	byPath map[string]*replayQueue
	byOp   map[string]*replayQueue
}

type replayQueue struct {
	entries []*replayEntry
}

type replayEntry struct {
	JournalEntry
	used bool
}

func newReplay(entries []JournalEntry) *replay {
	rp := &replay{byPath: map[string]*replayQueue{}, byOp: map[string]*replayQueue{}}
	for i := range entries {
		e := &replayEntry{JournalEntry: entries[i]}
		queue(rp.byPath, e.Method+" "+e.Path).add(e)
		if e.Operation != "" {
			queue(rp.byOp, e.Method+" "+e.Operation).add(e)
		}
	}
	return rp
}

func queue(m map[string]*replayQueue, key string) *replayQueue {
	q := m[key]
	if q == nil {
		q = &replayQueue{}
		m[key] = q
	}
	return q
}

func (q *replayQueue) add(e *replayEntry) { q.entries = append(q.entries, e) }

// take is the next unused entry of the queue; for a read whose entries are
// all used, the last again.
func (q *replayQueue) take(read bool) *replayEntry {
	if q == nil || len(q.entries) == 0 {
		return nil
	}
	for _, e := range q.entries {
		if !e.used {
			e.used = true
			return e
		}
	}
	if read {
		return q.entries[len(q.entries)-1]
	}
	return nil
}

// answer finds the recorded answer to a request.
func (rp *replay) answer(method, path, operation string) *replayEntry {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	read := method == http.MethodGet || method == http.MethodHead
	if e := rp.byPath[method+" "+path].take(read); e != nil {
		return e
	}
	if operation == "" {
		return nil
	}
	return rp.byOp[method+" "+operation].take(read)
}

// replayedHeaders are the recorded headers not replayed: those of the
// recorded connection and body encoding, and those the journal masked.
var replayedHeaders = map[string]bool{"Content-Length": false, "Transfer-Encoding": false, "Connection": false,
	"Keep-Alive": false, "Date": false, "Content-Encoding": false, "Set-Cookie": false, ViolationHeader: false}

// serveReplay answers r from the recording. The caller holds worldMu for
// reading.
func (s *Server) serveReplay(w http.ResponseWriter, r *http.Request) {
	op := ""
	if o := s.operations.Operation(r.Method, r.URL.Path); o != nil {
		op = o.Name()
	}
	e := s.replay.answer(r.Method, r.URL.Path, op)
	if e == nil {
		s.fail(w, &apiError{status: http.StatusNotImplemented, code: "NotRecorded",
			msg: fmt.Sprintf("The recording has no answer (left) for %s %s.", r.Method, s.maskPath(r.URL.Path))})
		return
	}
	if !e.Answered {
		if x, ok := w.(*exchange); ok {
			x.status, x.noAnswer = e.Status, true
			x.fault = joinNote(x.fault, "replayed: recorded without an answer")
			s.recordLost(x)
		}
		hangUp(w)
		return
	}
	h := w.Header()
	for _, f := range e.Response.Headers {
		name := http.CanonicalHeaderKey(f.Name)
		if _, skip := replayedHeaders[name]; !skip {
			h.Set(name, f.Value)
		}
	}
	var body bytes.Buffer
	// The recording keeps the body indented for people to read; a tenant
	// sends it compact.
	if e.Response.BodyNote == "" && json.Compact(&body, e.Response.Body) != nil {
		body.Reset()
	}
	writeRaw(w, cmpOr(e.Status, http.StatusOK), body.Bytes())
}
