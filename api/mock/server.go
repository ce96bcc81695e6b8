// Package mock is a stateful stand-in for Vista's OCAPI: orders, vouchers,
// showtimes and tokens, seeded from a demo-data file (ocapi/demo-data.md). It
// runs embedded in the app for demos and behind httptest in tests, and can
// inject latency, failures and lost answers.
package mock

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// Options tunes a Server; the zero value is a healthy server on the real clock.
type Options struct {
	// Now is the clock for expiry, PIN blocks and tokens; nil means time.Now.
	Now func() time.Time
	// Faults are injected into /ocapi requests; the zero value injects none.
	Faults Faults
	// Log, when set, gets one line per request: method, path, status and
	// duration. Bodies, PINs and query strings are never written, and a path
	// segment that is a known barcode is masked.
	Log io.Writer
	// IDSource makes order, ticket and voucher ids; nil means 32 random
	// lowercase hex characters. It is called with the server's lock held.
	IDSource func() string
	// MissingLicences names Vista licences (LicenceOcapi, ...) the account
	// lacks: operations needing one answer 403, as a tenant would.
	MissingLicences []string
	// Profile names the tenant profile (Profiles); it wins over the data's
	// "profile". "" takes the data's, else DefaultProfile.
	Profile string
	// Validate checks every exchange against the OpenAPI document the
	// server serves at /openapi.json, and reports violations in the
	// ViolationHeader of the answer and in the journal.
	Validate bool
	// JournalSize is how many exchanges the request journal keeps; 0 means
	// DefaultJournalSize, a negative number keeps none.
	JournalSize int
	// AllowedOrigins are the browser origins CORS lets call the OCAPI
	// routes ("*" for any); nil allows the loopback origins only.
	AllowedOrigins []string
	// Replay, when set, answers every OCAPI request from these recorded
	// exchanges (LoadRecording) instead of the demo world.
	Replay []JournalEntry
	// AdminToken, when set, is required by the admin API (/_admin/) as
	// "Authorization: Bearer <token>" or the page's cookie. "" leaves the
	// admin API open, as it is on loopback.
	AdminToken string
	// Name names the demo data (its file's name), said with the mock's
	// start in the Boxoffice-Mock header of every answer
	// ("built-in@2026-12-01T09:00:00Z"); "" is BuiltInData.
	Name string
}

// MockHeader is the header every answer of the mock carries, naming its
// demo data: a client, and the journal's lines, can tell practice from a
// tenant by it.
const MockHeader = "Boxoffice-Mock"

// BuiltInData is the name of the built-in demo world.
const BuiltInData = "built-in"

// Server is an OCAPI mock. It is an http.Handler and safe for concurrent use.
type Server struct {
	now   func() time.Time
	newID func() string
	dice  *faultDice
	mux   *http.ServeMux
	admin *http.ServeMux

	log   io.Writer
	logMu sync.Mutex
	name  string

	// missingLicences is Options.MissingLicences, fixed at New.
	missingLicences []string

	// seed is the data New was given, which a reset without data goes back to.
	seed *Data
	opts Options
	// clockOffset is how far the admin API has moved the clock on, in
	// nanoseconds.
	clockOffset atomic.Int64
	// worldMu is held for reading by every request that uses the world and
	// for writing by a reset, which replaces the world whole.
	worldMu sync.RWMutex
	world

	operations *validate.Routes
	validator  *validate.Validator
	journal    *journal
	changes    *changes
	faults     *faultPlan
	cors       *corsPolicy
	replay     *replay

	tokMu  sync.Mutex
	issued map[string]time.Time
}

// New builds a server from d, which it keeps for a reset and does not
// modify: the caller must not change it either. d is expected to have passed
// ParseData (LoadData and DefaultData do that); in hand-built data,
// references that do not resolve are skipped. Seed orders get fresh ticket
// ids and expire counting from now. It panics on an unknown Options.Profile
// or data profile, which ParseProfile and ParseData refuse first.
func New(d *Data, opts Options) *Server {
	s := &Server{
		newID:      opts.IDSource,
		dice:       newFaultDice(opts.Faults),
		log:        opts.Log,
		seed:       d,
		opts:       opts,
		issued:     map[string]time.Time{},
		operations: servedRoutes(),
		journal:    newJournal(opts.JournalSize),
		changes:    newChanges(),
		faults:     newFaultPlan(),
		cors:       newCORSPolicy(opts.AllowedOrigins),
		name:       opts.Name,
	}
	if s.name == "" {
		s.name = BuiltInData
	}
	// The world is new each time a mock starts: its start tells one run's
	// orders from another's, which reuse the same ids.
	s.name += "@" + time.Now().UTC().Format(time.RFC3339)
	base := opts.Now
	if base == nil {
		base = time.Now
	}
	s.now = func() time.Time { return base().Add(time.Duration(s.clockOffset.Load())) }
	if s.newID == nil {
		s.newID = randomID
	}
	s.missingLicences = slices.Clone(opts.MissingLicences)
	if opts.Validate {
		s.validator = servedValidator()
	}
	if len(opts.Replay) > 0 {
		s.replay = newReplay(opts.Replay)
	}
	if err := s.load(d); err != nil {
		panic(err)
	}
	s.routes()
	s.admin = s.adminRoutes()
	return s
}

// FirstOrderID is the id of the data's first order, whether or not it is
// still live; "" when the data has no orders.
func (s *Server) FirstOrderID() string { return s.firstOrderID }

// SiteIDs lists the sites in the order the data gives them.
func (s *Server) SiteIDs() []string { return slices.Clone(s.siteIDs) }

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /connect/token", s.handleToken)
	m.HandleFunc("GET /openapi.json", serveDocument)
	m.HandleFunc("POST /ocapi/v1/orders/standard/booking", s.handleCreateOrder)
	m.HandleFunc("GET /ocapi/v1/orders/{orderId}", s.handleGetOrder)
	m.HandleFunc("DELETE /ocapi/v1/orders/{orderId}", s.handleCancelOrder)
	m.HandleFunc("POST /ocapi/v1/orders/{orderId}/vouchers", s.handleAddVoucher)
	m.HandleFunc("DELETE /ocapi/v1/orders/{orderId}/vouchers/{voucherId}", s.handleRemoveVoucher)
	m.HandleFunc("PUT /ocapi/v1/orders/{orderId}/showtimes/{showtimeId}", s.handleSetTickets)
	m.HandleFunc("GET /ocapi/v1/orders/{orderId}/showtimes/{showtimeId}/seat-availability", s.handleOrderSeatAvailability)
	m.HandleFunc("POST /ocapi/v1/orders/{orderId}/completion", s.handleComplete)
	// ".../{orderId}/completion" and ".../completed/{orderId}" conflict in
	// ServeMux the same way, so both go through one pattern.
	m.HandleFunc("GET /ocapi/v1/orders/{first}/{second}", s.handleOrderView)
	m.HandleFunc("GET /ocapi/v1/showtimes/{showtimeId}", s.handleShowtime)
	m.HandleFunc("GET /ocapi/v1/showtimes/by-business-date/{date}", s.handleShowtimesByDate)
	// ".../{showtimeId}/ticket-prices" would conflict with the by-business-date
	// pattern in ServeMux (each is more specific in one segment), so the last
	// segment is dispatched by hand.
	m.HandleFunc("GET /ocapi/v1/showtimes/{showtimeId}/{view}", s.handleShowtimeView)
	s.mux = m
}

// ServeHTTP routes a request: the admin API and the page, CORS preflights,
// then OCAPI with its faults, auth and regions. Every request but the admin
// API's and the page's goes into the journal and, with Options.Validate, is
// checked against the served document.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(MockHeader, s.name)
	// No route takes more than a small JSON object or form; a reset's data
	// file is the admin API's to bound.
	if isAdminPath(r.URL.Path) || r.URL.Path == "/" || r.URL.Path == "/favicon.ico" {
		s.serveAdmin(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	x := s.beginExchange(w, r)
	defer s.finishExchange(x)
	if s.cors.handle(x, r) {
		return
	}
	s.serveRouted(x, r)
}

// serveRouted answers a request that is neither the admin API's nor CORS's.
// Faults meet routed /ocapi requests only: the token endpoint and the
// document stay healthy.
func (s *Server) serveRouted(x *exchange, r *http.Request) {
	_, pattern := s.mux.Handler(r)
	if pattern == "" || !strings.HasPrefix(r.URL.Path, "/ocapi/") {
		s.worldMu.RLock()
		defer s.worldMu.RUnlock()
		s.notePath(x)
		if pattern == "" {
			s.unrouted(x, r)
			return
		}
		s.mux.ServeHTTP(x, r)
		return
	}
	f := s.faults.next(x.operation, s.dice)
	x.fault = f.describe()
	if f.latency > 0 {
		t := time.NewTimer(f.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			x.fault = joinNote(x.fault, "cancelled")
			x.noAnswer = true
			return
		}
	}
	// Taken after the latency, so that a reset need not wait for it.
	s.worldMu.RLock()
	defer s.worldMu.RUnlock()
	s.notePath(x)
	switch f.kind {
	case faultError:
		s.fail(x, &apiError{http.StatusServiceUnavailable, "ServiceUnavailable", "The server is busy and did not process the request; it is safe to try again.", time.Time{}})
	case faultStatus:
		writeRaw(x, f.status, f.body)
	case faultDropUnapplied:
		x.noAnswer = true
		s.recordLost(x)
		hangUp(x)
	case faultDrop:
		applied := &discardWriter{h: http.Header{}}
		s.serveOCAPI(applied, r)
		x.status = applied.status // journalled as what was applied, then lost
		x.noAnswer = true
		s.recordLost(x)
		hangUp(x)
	default:
		s.serveOCAPI(x, r)
	}
}

// notePath masks the request's path for the journal and the log, when
// either is kept. The caller holds worldMu for reading.
func (s *Server) notePath(x *exchange) {
	if s.journal != nil || s.log != nil {
		x.path = s.maskPath(x.req.URL.Path)
	}
}

// serveOCAPI answers an OCAPI request; the caller holds worldMu for reading.
func (s *Server) serveOCAPI(w http.ResponseWriter, r *http.Request) {
	if s.replay != nil {
		s.serveReplay(w, r)
		return
	}
	now := s.now()
	if s.authOn && !s.authorized(r, now) {
		w.Header().Set("WWW-Authenticate", `Bearer`)
		s.fail(w, &apiError{status: http.StatusUnauthorized, code: "Unauthorized",
			msg: "A valid bearer token is required; sign in again to get a new one."})
		return
	}
	if s.regions != nil {
		if code := r.Header.Get("Connect-Region-Code"); code != "" && !s.regions[strings.ToUpper(code)] {
			s.fail(w, &apiError{status: http.StatusBadRequest, code: "UnknownRegion",
				msg: fmt.Sprintf("Region %q is not one this server serves; check the region code setting.", s.safe(code))})
			return
		}
	}
	if s.refuseUnlicensed(w, r) || s.refuseAbsent(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// hangUp closes the connection without an answer, the way a lost response
// looks to a client: it cannot tell whether the request was applied.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hand the connection over; aborting resets the stream,
		// which the client sees the same way.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// unrouted answers what ServeMux would (404, 405 with Allow, or a redirect
// to the clean path) but with a JSON error body.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	rec := &discardWriter{h: http.Header{}}
	h.ServeHTTP(rec, r)
	switch {
	case rec.status == http.StatusMethodNotAllowed:
		w.Header().Set("Allow", rec.h.Get("Allow"))
		s.fail(w, &apiError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed",
			msg: fmt.Sprintf("%s is not allowed here; allowed: %s.", r.Method, rec.h.Get("Allow"))})
	case rec.status >= 300 && rec.status < 400:
		http.Redirect(w, r, rec.h.Get("Location"), rec.status)
	default:
		s.fail(w, &apiError{status: http.StatusNotFound, code: "NotFound", msg: "There is no such endpoint."})
	}
}

func randomID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

func cmpOr(v, fallback int) int {
	if v == 0 {
		return fallback
	}
	return v
}

// maxRequestBytes bounds every request body.
const maxRequestBytes = 1 << 20

// maskPath is a request path as the log writes it: short, known barcodes
// masked, and control characters escaped, so that a path such as
// /ocapi/v1/orders/%1b[31m cannot drive the terminal that shows the log.
func (s *Server) maskPath(p string) string {
	if len(p) > 200 {
		p = p[:200] + "..."
	}
	p = escapeControls(p)
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if s.barcodes[seg] {
			segs[i] = s.profile.mask(seg)
		}
	}
	return strings.Join(segs, "/")
}

// discardWriter runs a handler for its effect alone, or records what
// ServeMux would have answered.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }

// escapeControls writes control characters (and invalid UTF-8) as Go
// escapes, leaving everything else as it is.
func escapeControls(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
