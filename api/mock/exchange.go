package mock

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// ViolationHeader is the answer's header that reports, with --validate,
// how the exchange breaks the served document: the counts and the first few
// violations ("1 (1 request, 0 response): request of
// OcapiOrderVouchers_AddVoucher at body /credentials: required: ...").
// The journal holds them all.
const ViolationHeader = "Boxoffice-Contract-Violations"

// exchange is one request on its way through the server: the response
// writer the handlers write to, and what the journal, the log and the
// validator need of it afterwards.
type exchange struct {
	w         http.ResponseWriter
	req       *http.Request
	start     time.Time
	at        time.Time // start on the mock's clock
	operation *validate.Operation
	// path is the request path as logged: barcodes masked, controls escaped.
	path    string
	reqBody []byte
	// capture keeps the answer's body for the journal or the validator;
	// buffered holds the whole answer back until finish, so that a
	// violation can still go into its headers.
	capture, buffered bool
	body              bytes.Buffer
	status            int
	// fault is the fault applied, if any; noAnswer is set when the client
	// got no answer (a lost answer, a cancelled wait).
	fault     string
	noAnswer  bool
	preflight bool
	logged    bool
	// ownJSON is set when the answer is JSON the mock encoded from its own
	// values, which hold no secret: the journal keeps it without a scan.
	ownJSON bool
	// recorded is set once the exchange is in the journal and the log.
	recorded bool
}

func (x *exchange) Header() http.Header { return x.w.Header() }

func (x *exchange) WriteHeader(code int) {
	if x.status != 0 {
		return
	}
	x.status = code
	if !x.buffered {
		x.w.WriteHeader(code)
	}
}

func (x *exchange) Write(b []byte) (int, error) {
	if x.status == 0 {
		x.WriteHeader(http.StatusOK)
	}
	if x.capture {
		limit := journalBodyLimit + 1
		if x.buffered {
			limit = maxRequestBytes << 4
		}
		if room := limit - x.body.Len(); room > 0 {
			if x.body.Cap() == 0 {
				x.body.Grow(min(len(b), room)) // one allocation for the usual one Write
			}
			x.body.Write(b[:min(len(b), room)])
		}
	}
	if x.buffered {
		return len(b), nil
	}
	return x.w.Write(b)
}

// Unwrap lets http.ResponseController reach the connection, for hangUp.
func (x *exchange) Unwrap() http.ResponseWriter { return x.w }

// beginExchange starts an exchange, reading the request body ahead of the
// handler when the journal or the validator will want it.
func (s *Server) beginExchange(w http.ResponseWriter, r *http.Request) *exchange {
	x := &exchange{w: w, req: r, start: time.Now(), at: s.now()}
	x.operation = s.operations.Operation(r.Method, r.URL.Path)
	x.capture = s.journal != nil || s.validator != nil
	x.buffered = s.validator != nil
	if x.capture && r.Body != nil && r.Body != http.NoBody {
		var err error
		if n := r.ContentLength; n > 0 && n <= maxRequestBytes {
			// net/http holds the body to its Content-Length.
			x.reqBody = make([]byte, n)
			var got int
			got, err = io.ReadFull(r.Body, x.reqBody)
			x.reqBody = x.reqBody[:got]
		} else {
			x.reqBody, err = io.ReadAll(r.Body)
		}
		var rest io.Reader = bytes.NewReader(x.reqBody)
		if err != nil {
			// The handler must still meet the error (a body too large).
			rest = io.MultiReader(rest, errorReader{err})
		}
		r.Body = io.NopCloser(rest)
	}
	return x
}

type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// finishExchange validates, sends a held-back answer, journals and logs.
func (s *Server) finishExchange(x *exchange) {
	if x.recorded {
		return
	}
	if x.path == "" && (s.journal != nil || s.log != nil) {
		s.worldMu.RLock()
		x.path = s.maskPath(x.req.URL.Path)
		s.worldMu.RUnlock()
	}
	violations := s.violations(x)
	if !x.buffered || x.noAnswer {
		// net/http sends a small answer once the handler returns, so the
		// client cannot see it before it is in the journal.
		s.record(x, violations, s.currentProfile())
		return
	}
	if h := validate.Header(violations); h != "" {
		x.w.Header().Set(ViolationHeader, h)
	}
	if x.status == 0 {
		x.status = http.StatusOK
	}
	// Journalled first: a client that reads the journal as soon as it has
	// the answer finds the exchange there.
	s.record(x, violations, s.currentProfile())
	x.w.WriteHeader(x.status)
	x.w.Write(x.body.Bytes())
}

// recordLost journals and logs an exchange whose answer is about to be
// lost, before the connection closes: whoever sees the answer go missing
// and asks the journal finds it there. The caller holds worldMu for reading.
func (s *Server) recordLost(x *exchange) {
	s.record(x, s.violations(x), s.profile)
}

// violations checks the exchange against the served document, with
// --validate. A lost answer has nothing to check; a 5xx is a failure any
// server may have, and a queued status is what the caller asked for.
func (s *Server) violations(x *exchange) []validate.Violation {
	if s.validator == nil || x.preflight {
		return nil
	}
	violations := s.validator.Request(x.req, x.reqBody)
	status := cmpOr(x.status, http.StatusOK)
	if !x.noAnswer && status < 500 && !strings.Contains(x.fault, "answered") {
		violations = append(violations, s.validator.Response(x.req, status, x.w.Header(), x.body.Bytes())...)
	}
	return violations
}

// record puts the exchange in the journal and the log, once.
func (s *Server) record(x *exchange, violations []validate.Violation, profile Profile) {
	x.recorded = true
	if s.journal != nil {
		s.journal.add(s.journalEntry(x, violations, profile))
	}
	s.logExchange(x)
	s.changes.notify()
}

// logExchange writes the exchange's line to Options.Log once: method, path,
// status and duration. Bodies, PINs and query strings are never written,
// and a path segment that is a known barcode is masked.
func (s *Server) logExchange(x *exchange) {
	if s.log == nil || x.logged {
		return
	}
	x.logged = true
	var b strings.Builder
	b.WriteString(s.now().UTC().Format("2006-01-02T15:04:05.000Z "))
	b.WriteString(x.req.Method)
	b.WriteByte(' ')
	b.WriteString(x.path)
	switch {
	case x.status != 0:
		fmt.Fprintf(&b, " %d", x.status)
	case x.noAnswer:
		b.WriteString(" -") // nothing was answered
	default:
		b.WriteString(" 200") // net/http's implicit status
	}
	if x.fault != "" {
		b.WriteString(" " + x.fault)
	}
	fmt.Fprintf(&b, " %s\n", time.Since(x.start).Round(time.Microsecond))
	s.logMu.Lock()
	defer s.logMu.Unlock()
	io.WriteString(s.log, b.String())
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}
