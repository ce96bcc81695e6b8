// Package validate checks HTTP exchanges against an OpenAPI 3.0 document,
// by default the OCAPI contract of package contract, and says what is wrong
// in structured violations: which operation, which side, which rule and
// which field. The mock runs it on every exchange with --validate; a proxy
// in front of a real tenant can run it on the tenant's traffic the same way;
// the tests of the client and of the mock hold both sides to it.
//
// It is built on github.com/getkin/kin-openapi. A violation's message never
// quotes a value from the exchange, which could be a PIN or a barcode.
package validate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/boxoffice/boxoffice/api/contract"
)

// Sides of an exchange.
const (
	SideRequest  = "request"
	SideResponse = "response"
)

// Rules a violation can break. Schema rules are kin-openapi's schema
// keywords ("required", "type", "enum", "oneOf", ...).
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
	doc    *openapi3.T
	routes *Routes
}

// New loads an OpenAPI 3.0 document (JSON) and checks that it is valid.
// Its servers are ignored: requests are routed by path alone, so that one
// validator serves a mock on any port and a tenant behind any prefix.
func New(document []byte) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the document is not valid OpenAPI: %w", err)
	}
	routes, err := NewRoutes(document)
	if err != nil {
		return nil, err
	}
	return &Validator{doc: doc, routes: routes}, nil
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

// Document is the loaded document.
func (v *Validator) Document() *openapi3.T { return v.doc }

var options = &openapi3filter.Options{
	// Who may call is the server's business: the document only says a
	// bearer token is expected.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	// Every status an operation answers must be one the document lists.
	IncludeResponseStatus: true,
	MultiError:            true,
}

// route builds kin-openapi's route for a request, or the violation of a
// request the document has no operation for.
func (v *Validator) route(r *http.Request) (*routers.Route, map[string]string, *Violation) {
	op, params := v.routes.Find(r.Method, r.URL.Path)
	if op == nil {
		msg := fmt.Sprintf("the document has no operation for %s on this path", r.Method)
		if allowed := v.routes.Allowed(r.URL.Path); len(allowed) > 0 {
			msg += "; it has " + strings.Join(allowed, ", ")
		} else {
			msg = "the document has no such path"
		}
		return nil, nil, &Violation{Side: SideRequest, Rule: RuleOperation, Message: msg}
	}
	item := v.doc.Paths.Value(op.Path)
	return &routers.Route{Spec: v.doc, Path: op.Path, PathItem: item, Method: op.Method, Operation: item.GetOperation(op.Method)}, params, nil
}

// Route is kin-openapi's route for a request and its path parameters, for
// callers that use kin-openapi further; ok is false when the document has no
// operation for it.
func (v *Validator) Route(r *http.Request) (route *routers.Route, params map[string]string, ok bool) {
	route, params, miss := v.route(r)
	return route, params, miss == nil
}

// Request checks a request; body is its body, read already (the request's
// own Body is not touched).
func (v *Validator) Request(r *http.Request, body []byte) []Violation {
	route, params, miss := v.route(r)
	if miss != nil {
		return []Violation{*miss}
	}
	rc := *r
	rc.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: &rc, PathParams: params, Route: route, Options: options}
	err := openapi3filter.ValidateRequest(context.Background(), in)
	return violations(err, operationName(route), SideRequest)
}

// Response checks the answer to r: its status, headers and body. A request
// the document has no operation for gives no response violation (Request
// reports it).
func (v *Validator) Response(r *http.Request, status int, header http.Header, body []byte) []Violation {
	route, params, miss := v.route(r)
	if miss != nil {
		return nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: options},
		Status:                 status,
		Header:                 header,
		Options:                options,
	}
	in.SetBodyBytes(body)
	err := openapi3filter.ValidateResponse(context.Background(), in)
	return violations(err, operationName(route), SideResponse)
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

func operationName(route *routers.Route) string {
	if id := route.Operation.OperationID; id != "" {
		return id
	}
	return route.Method + " " + route.Path
}

// violations flattens kin-openapi's errors into violations.
func violations(err error, op, side string) []Violation {
	if err == nil {
		return nil
	}
	var out []Violation
	add := func(rule, field, msg string) {
		out = append(out, Violation{Operation: op, Side: side, Rule: rule, Field: field, Message: msg})
	}
	var walk func(err error, field string)
	walk = func(err error, field string) {
		var multi openapi3.MultiError
		var reqErr *openapi3filter.RequestError
		var respErr *openapi3filter.ResponseError
		var schemaErr *openapi3.SchemaError
		var secErr *openapi3filter.SecurityRequirementsError
		switch {
		case errors.As(err, &multi) && len(multi) > 0 && isMulti(err):
			for _, e := range multi {
				walk(e, field)
			}
		case errors.As(err, &reqErr) && isFirst(err, reqErr):
			f := field
			switch {
			case reqErr.Parameter != nil:
				f = reqErr.Parameter.In + " " + reqErr.Parameter.Name
			case reqErr.RequestBody != nil:
				f = "body"
			}
			if reqErr.Err != nil && hasSchemaOrMulti(reqErr.Err) {
				walk(reqErr.Err, f)
				return
			}
			rule := RuleBody
			if reqErr.Parameter != nil {
				rule = RuleParameter
			}
			if strings.Contains(reqErr.Reason, "content type") || strings.Contains(reqErr.Reason, "Content-Type") {
				rule, f = RuleContentType, "header Content-Type"
			}
			add(rule, f, reasonOf(reqErr.Reason, reqErr.Err))
		case errors.As(err, &respErr) && isFirst(err, respErr):
			if respErr.Err != nil && hasSchemaOrMulti(respErr.Err) {
				walk(respErr.Err, "body")
				return
			}
			rule, f := RuleBody, "body"
			switch {
			case respErr.Reason == "status is not supported":
				rule, f = RuleStatus, ""
				respErr.Reason = "the operation does not list this status"
			case strings.Contains(respErr.Reason, "Content-Type"), strings.Contains(respErr.Reason, "content type"):
				rule, f = RuleContentType, "header Content-Type"
			}
			add(rule, f, reasonOf(respErr.Reason, respErr.Err))
		case errors.As(err, &schemaErr):
			f := field
			if ptr := schemaErr.JSONPointer(); len(ptr) > 0 {
				f = strings.TrimSpace(field + " /" + strings.Join(ptr, "/"))
			}
			// oneOf and allOf say only that a variant failed; the variant's
			// own error says what in it did.
			// Its pointers are from the body's root, as the outer one's are.
			if schemaErr.Origin != nil && hasSchemaOrMulti(schemaErr.Origin) {
				walk(schemaErr.Origin, field)
				return
			}
			rule := schemaErr.SchemaField
			if rule == "" {
				rule = RuleBody
			}
			add(rule, f, schemaErr.Reason)
		case errors.As(err, &secErr):
			add("security", "", "the security requirements are not met")
		default:
			add(RuleBody, field, "the value breaks the document")
		}
	}
	walk(err, "")
	return out
}

// isMulti reports whether err itself (not something it wraps deeper than a
// request or response error) is a MultiError.
func isMulti(err error) bool {
	_, ok := err.(openapi3.MultiError)
	return ok
}

// isFirst reports whether target is err itself: errors.As looks through
// wrappers, and a request error wrapping a schema error must be handled as
// the request error.
func isFirst(err error, target error) bool { return err == target }

func hasSchemaOrMulti(err error) bool {
	var s *openapi3.SchemaError
	var m openapi3.MultiError
	return errors.As(err, &s) || errors.As(err, &m)
}

// reasonOf is kin-openapi's reason, without the wrapped error's text where
// that could quote a value (a JSON decoder's error may).
func reasonOf(reason string, wrapped error) string {
	if reason != "" {
		return reason
	}
	if wrapped != nil {
		var parse *openapi3filter.ParseError
		if errors.As(wrapped, &parse) {
			if parse.Reason != "" {
				return "the value cannot be parsed: " + parse.Reason
			}
			return "the value cannot be parsed"
		}
	}
	return "the value breaks the document"
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
