// Package validate checks HTTP exchanges against an OpenAPI 3.0 document,
// by default the OCAPI contract of package contract, and says what is wrong
// in structured violations: which operation, which side, which rule and
// which field. The mock runs it on every exchange with --validate; a proxy
// in front of a real tenant can run it on the tenant's traffic the same way;
// the tests of the client and of the mock hold both sides to it.
//
// It implements the part of OpenAPI 3.0 and its JSON Schema dialect that the
// documents this project serves use, and nothing more: New refuses a
// document with a keyword, a parameter style, a media type or a format it
// does not check, so that no part of a contract can go unchecked unnoticed
// (docs/validate.md lists what it checks). Its verdicts are held to
// kin-openapi's by the package's tests, which alone link kin-openapi: the
// validator itself is linked into the boxoffice binary, whose every start
// would otherwise pay for kin-openapi's dependencies' package init.
//
// A violation's message never quotes a value from the exchange, which could
// be a PIN or a barcode.
package validate

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/boxoffice/boxoffice/api/contract"
)

// Sides of an exchange.
const (
	SideRequest  = "request"
	SideResponse = "response"
)

// Rules a violation can break. Schema rules are the schema keyword that
// failed ("required", "type", "enum", "nullable", "format", "minimum",
// "properties" for a property additionalProperties: false refuses, ...).
const (
	// RuleOperation: the document has no operation for the method and path.
	RuleOperation = "operation"
	// RuleStatus: the operation does not list the response's status.
	RuleStatus = "status"
	// RuleContentType: the body's media type is not one the operation lists.
	RuleContentType = "content-type"
	// RuleParameter: a parameter is missing or malformed.
	RuleParameter = "parameter"
	// RuleBody: the body is missing, unreadable or not JSON.
	RuleBody = "body"
)

// Violation is one way an exchange breaks the document.
type Violation struct {
	// Operation is the operationId (or "METHOD /path" of the document),
	// "" when the request matched none.
	Operation string `json:"operation,omitempty"`
	// Side is SideRequest or SideResponse.
	Side string `json:"side"`
	// Rule is what was broken: one of the Rule constants or a schema keyword.
	Rule string `json:"rule"`
	// Field says where: "body /credentials/barcode", "path orderId",
	// "header Content-Type"; "" for the exchange as a whole.
	Field string `json:"field,omitempty"`
	// Message says it in words, without quoting the exchange's values.
	Message string `json:"message"`
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Side)
	if v.Operation != "" {
		b.WriteString(" of " + v.Operation)
	}
	if v.Field != "" {
		b.WriteString(" at " + v.Field)
	}
	b.WriteString(": " + v.Rule + ": " + v.Message)
	return b.String()
}

// Validator holds a loaded document. It is safe for concurrent use.
type Validator struct {
	routes *Routes
	ops    map[*Operation]*operation
}

// New loads an OpenAPI 3.0 document (JSON). It fails on a document that is
// not one, and on one that uses what the validator does not check.
// Its servers are ignored: requests are routed by path alone, so that one
// validator serves a mock on any port and a tenant behind any prefix.
func New(document []byte) (*Validator, error) {
	specs, err := load(document)
	if err != nil {
		return nil, err
	}
	routes, err := NewRoutes(document)
	if err != nil {
		return nil, err
	}
	v := &Validator{routes: routes, ops: make(map[*Operation]*operation, len(specs))}
	for _, op := range routes.ops {
		spec := specs[op.Key()]
		if spec == nil {
			return nil, fmt.Errorf("the OpenAPI document: %s was not loaded", op.Key())
		}
		v.ops[op] = spec
	}
	return v, nil
}

var (
	contractOnce sync.Once
	contractV    *Validator
	contractErr  error
)

// Contract is the validator of the OCAPI contract (contract.Document),
// loaded once per process.
func Contract() (*Validator, error) {
	contractOnce.Do(func() { contractV, contractErr = New(contract.Document) })
	return contractV, contractErr
}

// Routes is the validator's router.
func (v *Validator) Routes() *Routes { return v.routes }

// find is the operation of a request, or the violation of a request the
// document has no operation for.
func (v *Validator) find(r *http.Request) (*operation, *Violation) {
	if op := v.routes.Operation(r.Method, r.URL.Path); op != nil {
		return v.ops[op], nil
	}
	msg := fmt.Sprintf("the document has no operation for %s on this path", r.Method)
	if allowed := v.routes.Allowed(r.URL.Path); len(allowed) > 0 {
		msg += "; it has " + strings.Join(allowed, ", ")
	} else {
		msg = "the document has no such path"
	}
	return nil, &Violation{Side: SideRequest, Rule: RuleOperation, Message: msg}
}

// Request checks a request: its parameters and its body, read already (the
// request's own Body is not touched).
func (v *Validator) Request(r *http.Request, body []byte) []Violation {
	op, miss := v.find(r)
	if miss != nil {
		return []Violation{*miss}
	}
	return op.request(r, body)
}

// Response checks the answer to r: its status, media type and body. A
// request the document has no operation for gives no response violation
// (Request reports it).
func (v *Validator) Response(r *http.Request, status int, header http.Header, body []byte) []Violation {
	op, miss := v.find(r)
	if miss != nil {
		return nil
	}
	return op.response(r, status, header, body)
}

// Exchange is one request and its answer, bodies read.
type Exchange struct {
	Request      *http.Request
	RequestBody  []byte
	Status       int
	Header       http.Header
	ResponseBody []byte
}

// Check checks both sides of an exchange; nil when it keeps the document.
func (v *Validator) Check(x Exchange) []Violation {
	out := v.Request(x.Request, x.RequestBody)
	return append(out, v.Response(x.Request, x.Status, x.Header, x.ResponseBody)...)
}

// Header is the one-line form of violations for a response header: the
// counts of each side, then the first few, each short. "" for none:
//
//	2 (1 request, 1 response): request of Op at body /x: required: ... | response of ...
func Header(vs []Violation) string {
	if len(vs) == 0 {
		return ""
	}
	req := len(Sides(vs, SideRequest))
	parts := make([]string, 0, min(len(vs), 3))
	for _, v := range vs[:min(len(vs), 3)] {
		parts = append(parts, v.String())
	}
	s := fmt.Sprintf("%d (%d request, %d response): %s", len(vs), req, len(vs)-req, strings.Join(parts, " | "))
	if len(vs) > 3 {
		s += " | …"
	}
	// A header value holds no line breaks or control characters.
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// Sides keeps only the violations of one side.
func Sides(vs []Violation, side string) []Violation {
	return slices.DeleteFunc(slices.Clone(vs), func(v Violation) bool { return v.Side != side })
}
