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
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/contract"
	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// Contract is the loaded document with a router over its paths.
type Contract struct {
	validator *validate.Validator
}

// Load loads the contract once per test binary (validate.Contract), failing
// t if the validator cannot read it.
func Load(t testing.TB) *Contract {
	t.Helper()
	v, err := validate.Contract()
	if err != nil {
		t.Fatal(err)
	}
	return &Contract{validator: v}
}

// Route finds the operation for a request, with its path parameters; ok is
// false when the contract has none for its method and path.
func (c *Contract) Route(r *http.Request) (op *validate.Operation, params map[string]string, ok bool) {
	op, params = c.validator.Routes().Find(r.Method, r.URL.Path)
	return op, params, op != nil
}

// Operations lists every operation of the contract.
func (c *Contract) Operations() []*validate.Operation {
	return c.validator.Routes().Operations()
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
	var doc document
	if err := json.Unmarshal(contract.Document, &doc); err != nil {
		t.Fatal(err)
	}
	var out []Example
	for path, item := range doc.Paths {
		for method, raw := range item {
			var op operationSpec
			if !slices.Contains([]string{"get", "put", "post", "delete", "patch"}, method) {
				continue // "parameters", "servers"...
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			for code, resp := range op.Responses {
				status, err := strconv.Atoi(code)
				if err != nil || status < 200 || status > 299 {
					continue
				}
				mt, ok := doc.response(resp).Content["application/json"]
				if !ok {
					continue
				}
				if mt.Example != nil {
					out = append(out, Example{op.OperationID, strings.ToUpper(method), path, status, "example", compact(t, mt.Example)})
				}
				for name, ex := range mt.Examples {
					out = append(out, Example{op.OperationID, strings.ToUpper(method), path, status, name, compact(t, doc.example(ex))})
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

// document is as much of the contract as its examples need.
type document struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Responses map[string]responseSpec `json:"responses"`
		Examples  map[string]exampleSpec  `json:"examples"`
	} `json:"components"`
}

type operationSpec struct {
	OperationID string                  `json:"operationId"`
	Responses   map[string]responseSpec `json:"responses"`
}

type responseSpec struct {
	Ref     string `json:"$ref"`
	Content map[string]struct {
		Example  json.RawMessage        `json:"example"`
		Examples map[string]exampleSpec `json:"examples"`
	} `json:"content"`
}

type exampleSpec struct {
	Ref   string          `json:"$ref"`
	Value json.RawMessage `json:"value"`
}

func (d *document) response(r responseSpec) responseSpec {
	if name, ok := strings.CutPrefix(r.Ref, "#/components/responses/"); ok {
		return d.Components.Responses[name]
	}
	return r
}

func (d *document) example(e exampleSpec) []byte {
	if name, ok := strings.CutPrefix(e.Ref, "#/components/examples/"); ok {
		e = d.Components.Examples[name]
	}
	return e.Value
}

func compact(t testing.TB, raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("an example of the contract: %v", err)
	}
	return b.Bytes()
}
