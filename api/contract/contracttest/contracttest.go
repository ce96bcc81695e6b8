// Package contracttest checks HTTP exchanges against the OCAPI contract in
// package contract, for the tests of the client and of the mock: the client's
// requests and the mock's answers must both be what Vista's pages document, so
// that neither can drift along with the other.
//
// It uses github.com/getkin/kin-openapi, which validates requests and
// responses of OpenAPI 3.0 documents (bodies, parameters, status codes) with
// few dependencies of its own; only test binaries link it.
package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/boxoffice/boxoffice/api/contract"
)

// Contract is the loaded document with a router over its paths.
type Contract struct {
	Doc    *openapi3.T
	router routers.Router
}

var (
	loadOnce sync.Once
	loaded   *Contract
	loadErr  error
)

// Load parses and validates the contract once per test binary. Its servers
// are replaced by "/" so that requests to a test server on any host route by
// path alone.
func Load(t testing.TB) *Contract {
	t.Helper()
	loadOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(contract.Document)
		if err != nil {
			loadErr = fmt.Errorf("load the contract: %w", err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			loadErr = fmt.Errorf("the contract is not valid OpenAPI: %w", err)
			return
		}
		doc.Servers = openapi3.Servers{{URL: "/"}}
		for _, item := range doc.Paths.Map() {
			item.Servers = nil
			for _, op := range item.Operations() {
				op.Servers = nil
			}
		}
		router, err := legacy.NewRouter(doc)
		if err != nil {
			loadErr = fmt.Errorf("route the contract: %w", err)
			return
		}
		loaded = &Contract{Doc: doc, router: router}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

var options = &openapi3filter.Options{
	// Who may call is the server's business; the contract only says a
	// bearer token is expected, which the client tests check themselves.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	// Every status a contract test meets must be one the page lists.
	IncludeResponseStatus: true,
	MultiError:            true,
}

// Route finds the operation for a request; ok is false when the contract has
// none for its method and path.
func (c *Contract) Route(r *http.Request) (route *routers.Route, params map[string]string, ok bool) {
	route, params, err := c.router.FindRoute(r)
	if err != nil {
		return nil, nil, false
	}
	return route, params, true
}

// ValidateRequest checks one request, its body given separately (the
// request's own has been read). A request for an operation the contract does
// not have is an error.
func (c *Contract) ValidateRequest(r *http.Request, body []byte) error {
	route, params, ok := c.Route(r)
	if !ok {
		return fmt.Errorf("%s %s is not an operation of the contract", r.Method, r.URL.Path)
	}
	r = r.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: options}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s (%s): %w", r.Method, r.URL.Path, route.Operation.OperationID, err)
	}
	return nil
}

// ValidateResponse checks one answer to r.
func (c *Contract) ValidateResponse(r *http.Request, status int, header http.Header, body []byte) error {
	route, params, ok := c.Route(r)
	if !ok {
		return fmt.Errorf("%s %s is not an operation of the contract", r.Method, r.URL.Path)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: options},
		Status:                 status,
		Header:                 header,
		Options:                options,
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s (%s) answered %d: %w", r.Method, r.URL.Path, route.Operation.OperationID, status, err)
	}
	return nil
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
