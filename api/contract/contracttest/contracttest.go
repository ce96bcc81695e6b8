// Package contracttest checks HTTP exchanges against the OCAPI contract in
// package contract, for the tests of the client and of the mock: the client's
// requests and the mock's answers must both be what Vista's pages document, so
// that neither can drift along with the other.
//
// The checks themselves are package validate's, which the mock's --validate
// runs too; this package adds what only tests need.
package contracttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// Contract is the loaded document with a router over its paths.
type Contract struct {
	Doc       *openapi3.T
	validator *validate.Validator
}

// Load loads the contract once per test binary (validate.Contract), failing
// t if it is not valid OpenAPI.
func Load(t testing.TB) *Contract {
	t.Helper()
	v, err := validate.Contract()
	if err != nil {
		t.Fatal(err)
	}
	return &Contract{Doc: v.Document(), validator: v}
}

// Route finds the operation for a request; ok is false when the contract has
// none for its method and path.
func (c *Contract) Route(r *http.Request) (route *routers.Route, params map[string]string, ok bool) {
	return c.validator.Route(r)
}

// ValidateRequest checks one request, its body given separately (the
// request's own has been read). A request for an operation the contract does
// not have is an error.
func (c *Contract) ValidateRequest(r *http.Request, body []byte) error {
	return joined(r, 0, c.validator.Request(r, body))
}

// ValidateResponse checks one answer to r.
func (c *Contract) ValidateResponse(r *http.Request, status int, header http.Header, body []byte) error {
	return joined(r, status, c.validator.Response(r, status, header, body))
}

func joined(r *http.Request, status int, vs []validate.Violation) error {
	if len(vs) == 0 {
		return nil
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.String()
	}
	what := r.Method + " " + r.URL.Path
	if status != 0 {
		what += fmt.Sprintf(" answered %d", status)
	}
	return fmt.Errorf("%s: %s", what, strings.Join(parts, "; "))
}

// Responses wraps h so that every answer it gives to a request the contract
// routes is validated; a violation fails t. Requests outside the contract
// (a test of a bad path) and 5xx answers (any server may fail) pass unchecked.
// The requests themselves are not checked: tests of a server send bad ones
// on purpose.
func (c *Contract) Responses(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		if _, _, ok := c.Route(r); !ok || rec.Code >= 500 || r.Context().Err() != nil {
			// Outside the contract, a failure any server may have, or an
			// answer nobody waited for.
			return
		}
		if err := c.ValidateResponse(r, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("the answer breaks the contract: %v\nbody: %s", err, clip(rec.Body.Bytes()))
		}
	})
}

// Exchanges is Responses that checks the requests too: for a test of a
// client that must send only what the contract allows. A request for an
// operation the contract does not have fails t.
func (c *Contract) Exchanges(t testing.TB, h http.Handler) http.Handler {
	answers := c.Responses(t, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("%s %s: reading the request: %v", r.Method, r.URL.Path, err)
		}
		if err := c.ValidateRequest(r, body); err != nil {
			t.Errorf("the request breaks the contract: %v\nbody: %s", err, clip(body))
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		answers.ServeHTTP(w, r)
	})
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// Example is one documented answer of an operation.
type Example struct {
	OperationID string
	Method      string
	Path        string
	Status      int
	Name        string
	Body        []byte
}

// SuccessExamples lists every example of every 2xx JSON answer in the
// contract, sorted by operation, status and name.
func (c *Contract) SuccessExamples(t testing.TB) []Example {
	t.Helper()
	var out []Example
	for path, item := range c.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil || status < 200 || status > 299 || ref.Value == nil {
					continue
				}
				mt := ref.Value.Content.Get("application/json")
				if mt == nil {
					continue
				}
				add := func(name string, v any) {
					b, err := json.Marshal(v)
					if err != nil {
						t.Fatalf("%s %d example %s: %v", op.OperationID, status, name, err)
					}
					out = append(out, Example{op.OperationID, method, path, status, name, b})
				}
				if mt.Example != nil {
					add("example", mt.Example)
				}
				for name, ex := range mt.Examples {
					if ex.Value != nil {
						add(name, ex.Value.Value)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.OperationID != b.OperationID {
			return a.OperationID < b.OperationID
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		return a.Name < b.Name
	})
	return out
}
