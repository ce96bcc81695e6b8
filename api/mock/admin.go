package mock

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// AdminPrefix is where the admin API lives: no OCAPI path starts with it.
const AdminPrefix = "/_admin/"

// adminCookie carries the admin token for the page, which cannot set a
// header on its event stream.
const adminCookie = "boxoffice_admin"

// maxDataBytes bounds a data file given to a reset.
const maxDataBytes = 64 << 20

func isAdminPath(p string) bool { return strings.HasPrefix(p, AdminPrefix) }

// adminRoutes builds the admin API's mux.
func (s *Server) adminRoutes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.servePage)
	// The browser asks for it; the page has none, and the journal is not
	// for the browser's own requests.
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	m.HandleFunc("GET /_admin/state", s.handleState)
	m.HandleFunc("POST /_admin/reset", s.handleReset)
	m.HandleFunc("GET /_admin/journal", s.handleJournal)
	m.HandleFunc("GET /_admin/journal/count", s.handleJournalCount)
	m.HandleFunc("DELETE /_admin/journal", s.handleJournalClear)
	m.HandleFunc("GET /_admin/faults", s.handleFaults)
	m.HandleFunc("DELETE /_admin/faults", s.handleFaultsClear)
	m.HandleFunc("PUT /_admin/faults/global", s.handleGlobalFaults)
	m.HandleFunc("PUT /_admin/faults/routes/{route}", s.handleRouteFaults)
	m.HandleFunc("DELETE /_admin/faults/routes/{route}", s.handleRouteFaults)
	m.HandleFunc("POST /_admin/faults/queue", s.handleEnqueue)
	m.HandleFunc("DELETE /_admin/faults/queue", s.handleQueueClear)
	m.HandleFunc("DELETE /_admin/faults/queue/{id}", s.handleQueueClear)
	m.HandleFunc("GET /_admin/clock", s.handleClock)
	m.HandleFunc("POST /_admin/clock", s.handleClock)
	m.HandleFunc("GET /_admin/profiles", s.handleProfiles)
	m.HandleFunc("GET /_admin/events", s.handleEvents)
	return m
}

// serveAdmin answers the admin API and the page. With a token set, every
// admin call needs it; the page itself holds nothing and is open, and
// /?token=... hands the token to the page as a cookie.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" && s.opts.AdminToken != "" && r.URL.Query().Has("token") {
		s.adoptPageToken(w, r)
		return
	}
	if isAdminPath(r.URL.Path) && !s.adminAllowed(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="boxoffice mock admin"`)
		writeAdminError(w, http.StatusUnauthorized, "the admin API needs its token (the mock printed it at start): send Authorization: Bearer <token>, or open the page at /?token=<token>")
		return
	}
	if _, pattern := s.admin.Handler(r); pattern == "" {
		writeAdminError(w, http.StatusNotFound, "there is no such admin call; GET /openapi.json lists them under the tag "+AdminTag)
		return
	}
	if s.validator == nil || !isAdminPath(r.URL.Path) || r.URL.Path == "/_admin/events" {
		s.admin.ServeHTTP(w, r)
		return
	}
	// Checked as the OCAPI routes are, but not journalled: the journal is
	// of the client's calls, and the page polls.
	x := &exchange{w: w, req: r, start: time.Now(), capture: true, buffered: true}
	if r.Body != nil {
		x.reqBody, _ = io.ReadAll(http.MaxBytesReader(w, r.Body, maxDataBytes))
		r.Body = io.NopCloser(strings.NewReader(string(x.reqBody)))
	}
	s.admin.ServeHTTP(x, r)
	violations := append(s.validator.Request(r, x.reqBody), s.validator.Response(r, cmpOr(x.status, 200), w.Header(), x.body.Bytes())...)
	if h := validate.Header(violations); h != "" {
		w.Header().Set(ViolationHeader, h)
	}
	w.WriteHeader(cmpOr(x.status, 200))
	w.Write(x.body.Bytes())
}

func (s *Server) adminAllowed(r *http.Request) bool {
	want := s.opts.AdminToken
	if want == "" {
		return true
	}
	got := ""
	if scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		got = strings.TrimSpace(tok)
	} else if c, err := r.Cookie(adminCookie); err == nil {
		got = c.Value
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// adoptPageToken checks the token of /?token=... and, if right, keeps it in
// a cookie and sends the browser to / without it in the address bar.
func (s *Server) adoptPageToken(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.opts.AdminToken)) != 1 {
		writeAdminError(w, http.StatusUnauthorized, "that is not the admin token the mock printed at start")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: adminCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// adminError is the admin API's error body.
type adminError struct {
	Error string `json:"error"`
}

func writeAdminError(w http.ResponseWriter, status int, msg string) {
	writeAdminJSON(w, status, adminError{Error: msg})
}

// writeAdminJSON writes v for people reading it in a terminal: <, > and &
// as they are, not escaped for HTML.
func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // the admin API's own types always encode
	}
	w.Header().Set("Cache-Control", "no-store")
	writeBody(w, status, b.Bytes())
}

// decodeAdmin reads an admin call's JSON body strictly: an unknown key is
// a typo to report, not to ignore. An empty body leaves v as it is.
func decodeAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		writeAdminError(w, http.StatusBadRequest, "the body is not what this call takes: "+err.Error())
		return false
	}
	return true
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	q, err := stateQuery(r.URL.Query())
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.worldMu.RLock()
	st := s.state(q)
	s.worldMu.RUnlock()
	if s.journal != nil {
		st.Counts.Journal = s.journal.len()
	}
	writeAdminJSON(w, http.StatusOK, st)
}

func stateQuery(v url.Values) (StateQuery, error) {
	q := StateQuery{Vouchers: v.Get("vouchers")}
	switch q.Vouchers {
	case "", "all", "active", "none":
	default:
		return q, errors.New("vouchers must be all, active or none")
	}
	for name, into := range map[string]*int{"orders": &q.Orders, "orderVouchers": &q.OrderVouchers} {
		if raw := v.Get(name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 {
				return q, fmt.Errorf("%s must be a whole number from 1", name)
			}
			*into = n
		}
	}
	return q, nil
}

// ResetResult says what a reset loaded.
type ResetResult struct {
	From     string `json:"from"`
	Profile  string `json:"profile"`
	Orders   int    `json:"orders"`
	Vouchers int    `json:"vouchers"`
}

// handleReset goes back to the data the mock started from, or with a body,
// to that demo-data file. The clock's offset and the journal stay: they are
// of the session, not of the data.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxDataBytes))
	if err != nil {
		writeAdminError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the data file is over %d MiB", maxDataBytes>>20))
		return
	}
	d, from := s.seed, "seed"
	if len(strings.TrimSpace(string(body))) > 0 {
		if d, err = ParseData("the data given", body); err != nil {
			writeAdminError(w, http.StatusBadRequest, err.Error())
			return
		}
		from = "data"
	}
	s.worldMu.Lock()
	err = s.load(d)
	res := ResetResult{From: from, Profile: s.profile.Name, Orders: len(s.orders), Vouchers: len(s.vouchers)}
	s.worldMu.Unlock()
	if err != nil {
		writeAdminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.changes.notify()
	writeAdminJSON(w, http.StatusOK, res)
}

// ClockState is the mock's clock.
type ClockState struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
}

// handleClock reads the clock, or moves it on by {"advance": "20m"}: orders
// past their expiry are released at once, and blocks past their end are
// over.
func (s *Server) handleClock(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		var req struct {
			Advance string `json:"advance"`
		}
		if !decodeAdmin(w, r, &req) {
			return
		}
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d <= 0 {
			writeAdminError(w, http.StatusBadRequest, fmt.Sprintf("advance %q: want a positive duration like 90s or 20m (the clock only moves on)", req.Advance))
			return
		}
		s.clockOffset.Add(int64(d))
		s.worldMu.RLock()
		s.releaseExpired(s.now())
		s.worldMu.RUnlock()
		s.changes.notify()
	}
	writeAdminJSON(w, http.StatusOK, ClockState{Now: s.now().UTC(), Offset: time.Duration(s.clockOffset.Load()).String()})
}

// releaseExpired releases every order past its expiry, as the sweep does
// but at once. The caller holds worldMu for reading.
func (s *Server) releaseExpired(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, o := range s.orders {
		if o.status == statusInProgress && !now.Before(o.expiresAt) {
			delete(s.orders, id)
		}
	}
}

func (s *Server) handleProfiles(w http.ResponseWriter, _ *http.Request) {
	writeAdminJSON(w, http.StatusOK, map[string]any{"profiles": Profiles()})
}

// handleEvents streams a "change" event whenever a request was answered or
// the state changed, at most about six a second: the page then reads what
// it shows. A comment every 15 seconds keeps proxies from closing it.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	for {
		version, changed := s.changes.since()
		if _, err := fmt.Fprintf(w, "event: change\ndata: %d\n\n", version); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	wait:
		for {
			select {
			case <-r.Context().Done():
				return
			case <-heartbeat.C:
				if _, err := io.WriteString(w, ": still here\n\n"); err != nil || rc.Flush() != nil {
					return
				}
			case <-changed:
				break wait
			}
		}
		// Paced: a burst of requests is one event.
		select {
		case <-r.Context().Done():
			return
		case <-time.After(eventPace):
		}
	}
}

// eventPace is the least time between two events of one stream.
const eventPace = 150 * time.Millisecond

func parseSince(v string) (seq uint64, t time.Time, err error) {
	if v == "" {
		return 0, time.Time{}, nil
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return n, time.Time{}, nil
	}
	t, err = time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("since %q: want a sequence number or an RFC 3339 time like 2026-11-28T09:00:00Z", v)
	}
	return 0, t, nil
}
