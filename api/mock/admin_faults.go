package mock

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// JournalPage is an answer of GET /_admin/journal.
type JournalPage struct {
	// Entries are the matching entries, oldest first: the newest `limit`.
	Entries []JournalEntry `json:"entries"`
	// Matching counts every entry the filter matched; Size is how many the
	// journal keeps at most.
	Matching int `json:"matching"`
	Size     int `json:"size"`
}

// journalQuery reads the filter of a journal call.
func journalQuery(q url.Values) (JournalFilter, int, error) {
	seq, since, err := parseSince(q.Get("since"))
	if err != nil {
		return JournalFilter{}, 0, err
	}
	f := JournalFilter{Path: q.Get("path"), Operation: q.Get("operation"), Status: q.Get("status"), SinceSeq: seq, Since: since}
	if st := f.Status; st != "" && st != "lost" {
		if len(st) != 3 || (st[1:] != "xx" && st[1:] != "XX" && func() bool { _, err := strconv.Atoi(st); return err != nil }()) {
			return JournalFilter{}, 0, fmt.Errorf("status %q: want a status like 429, a class like 4xx, or lost", st)
		}
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return JournalFilter{}, 0, fmt.Errorf("limit %q: want a whole number from 1", v)
		}
	}
	return f, limit, nil
}

func (s *Server) matching(w http.ResponseWriter, r *http.Request) ([]JournalEntry, int, bool) {
	if s.journal == nil {
		writeAdminError(w, http.StatusNotFound, "the request journal is off (the mock was started with a journal size below 0)")
		return nil, 0, false
	}
	f, limit, err := journalQuery(r.URL.Query())
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, err.Error())
		return nil, 0, false
	}
	var out []JournalEntry
	for _, e := range s.journal.all() {
		if f.match(&e) {
			out = append(out, e)
		}
	}
	return out, limit, true
}

func (s *Server) handleJournal(w http.ResponseWriter, r *http.Request) {
	entries, limit, ok := s.matching(w, r)
	if !ok {
		return
	}
	page := JournalPage{Entries: entries[max(0, len(entries)-limit):], Matching: len(entries), Size: s.journal.size}
	if page.Entries == nil {
		page.Entries = []JournalEntry{}
	}
	writeAdminJSON(w, http.StatusOK, page)
}

func (s *Server) handleJournalCount(w http.ResponseWriter, r *http.Request) {
	if entries, _, ok := s.matching(w, r); ok {
		writeAdminJSON(w, http.StatusOK, map[string]int{"count": len(entries)})
	}
}

func (s *Server) handleJournalClear(w http.ResponseWriter, _ *http.Request) {
	if s.journal != nil {
		s.journal.clear()
	}
	s.changes.notify()
	w.WriteHeader(http.StatusNoContent)
}

// FaultsView is every fault set: the global dice, each route's dice, the
// queue, and the routes that can be named.
type FaultsView struct {
	Global GlobalFaults  `json:"global"`
	Routes []RouteFaults `json:"routes"`
	Queue  []Cue         `json:"queue"`
	// Operations are the route names the document has, as
	// "METHOD /path" with their operationId.
	Operations []RouteName `json:"operations"`
}

// GlobalFaults are the global dice in JSON.
type GlobalFaults struct {
	Latency    string  `json:"latency"`
	Error      float64 `json:"error"`
	Drop       float64 `json:"drop"`
	Seed       int64   `json:"seed"`
	Completion string  `json:"completion"`
	// Spec is the same as --faults takes it.
	Spec string `json:"spec"`
}

// RouteName names one route.
type RouteName struct {
	Route     string `json:"route"`
	Operation string `json:"operation,omitempty"`
}

func (s *Server) faultsView() FaultsView {
	f := s.dice.get()
	routes, queue := s.faults.snapshot()
	v := FaultsView{Global: GlobalFaults{Latency: f.Latency.String(), Error: f.Error, Drop: f.Drop, Seed: f.Seed, Completion: f.Completion, Spec: f.String()},
		Routes: routes, Queue: queue}
	for _, op := range s.operations.Operations() {
		if !isAdminPath(op.Path) && op.Path != "/openapi.json" {
			v.Operations = append(v.Operations, RouteName{Route: op.Key(), Operation: op.ID})
		}
	}
	return v
}

func (s *Server) handleFaults(w http.ResponseWriter, _ *http.Request) {
	writeAdminJSON(w, http.StatusOK, s.faultsView())
}

func (s *Server) handleFaultsClear(w http.ResponseWriter, _ *http.Request) {
	s.dice.set(Faults{})
	s.faults.clear()
	s.changes.notify()
	writeAdminJSON(w, http.StatusOK, s.faultsView())
}

// handleGlobalFaults replaces the global dice: {"spec": "error=0.2"} as
// --faults takes it, or the fields one by one.
func (s *Server) handleGlobalFaults(w http.ResponseWriter, r *http.Request) {
	var req GlobalFaults
	if !decodeAdmin(w, r, &req) {
		return
	}
	var f Faults
	var err error
	if req.Spec != "" {
		f, err = ParseFaults(req.Spec)
	} else {
		f, err = globalFaults(req)
	}
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.dice.set(f)
	s.changes.notify()
	writeAdminJSON(w, http.StatusOK, s.faultsView())
}

func globalFaults(g GlobalFaults) (Faults, error) {
	f := Faults{Error: g.Error, Drop: g.Drop, Seed: g.Seed}
	if g.Latency != "" {
		d, err := time.ParseDuration(g.Latency)
		if err != nil || d < 0 || d > maxLatency {
			return Faults{}, fmt.Errorf("latency %q: want a duration up to %s, like 200ms", g.Latency, maxLatency)
		}
		f.Latency = d
	}
	switch g.Completion {
	case "", CompletionPending, CompletionFailed:
		f.Completion = g.Completion
	default:
		return Faults{}, fmt.Errorf("completion %q: want \"\", pending or failed", g.Completion)
	}
	return f, checkOdds(f)
}

// handleRouteFaults gives a route dice of its own (PUT) or takes them away
// (DELETE). The route is named by operationId or "METHOD /path", escaped.
func (s *Server) handleRouteFaults(w http.ResponseWriter, r *http.Request) {
	rf := RouteFaults{}
	if r.Method == http.MethodPut && !decodeAdmin(w, r, &rf) {
		return
	}
	rf.Route = r.PathValue("route")
	if r.Method == http.MethodDelete {
		rf = RouteFaults{Route: rf.Route}
	}
	if _, err := s.faults.setRoute(s.operations, rf); err != nil {
		writeAdminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.changes.notify()
	writeAdminJSON(w, http.StatusOK, s.faultsView())
}

// handleEnqueue queues {"route": ..., "count": n, "fault": ...}.
func (s *Server) handleEnqueue(w http.ResponseWriter, r *http.Request) {
	var c Cue
	if !decodeAdmin(w, r, &c) {
		return
	}
	c, err := s.faults.enqueue(s.operations, c)
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.changes.notify()
	writeAdminJSON(w, http.StatusCreated, c)
}

func (s *Server) handleQueueClear(w http.ResponseWriter, r *http.Request) {
	id := 0
	if v := r.PathValue("id"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeAdminError(w, http.StatusBadRequest, "the cue id is a whole number from 1")
			return
		}
		id = n
	}
	if !s.faults.clearQueue(id) && id != 0 {
		writeAdminError(w, http.StatusNotFound, fmt.Sprintf("no cue %d is queued", id))
		return
	}
	s.changes.notify()
	writeAdminJSON(w, http.StatusOK, s.faultsView())
}
