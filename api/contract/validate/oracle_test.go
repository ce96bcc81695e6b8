package validate_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// oracle is kin-openapi's request and response validation, which the
// validator replaced in the binary and is held to here: the same verdict on
// every exchange, and the same faults at the same fields.
type oracle struct {
	doc    *openapi3.T
	routes *validate.Routes
}

func newOracle(t testing.TB, document []byte) *oracle {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(document)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatal(err)
	}
	routes, err := validate.NewRoutes(document)
	if err != nil {
		t.Fatal(err)
	}
	return &oracle{doc: doc, routes: routes}
}

var oracleOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus: true,
	MultiError:            true,
}

func (o *oracle) route(r *http.Request) (*routers.Route, map[string]string) {
	op, params := o.routes.Find(r.Method, r.URL.Path)
	if op == nil {
		return nil, nil
	}
	item := o.doc.Paths.Value(op.Path)
	return &routers.Route{Spec: o.doc, Path: op.Path, PathItem: item, Method: op.Method, Operation: item.GetOperation(op.Method)}, params
}

// request is kin-openapi's findings on a request, on a copy of it: kin
// writes defaults into the request it is given.
func (o *oracle) request(r *http.Request, body []byte) []string {
	route, params := o.route(r)
	if route == nil {
		return []string{"request|operation|"}
	}
	rc := r.Clone(context.Background())
	rc.Body = io.NopCloser(bytes.NewReader(body))
	rc.ContentLength = int64(len(body))
	in := &openapi3filter.RequestValidationInput{Request: rc, PathParams: params, Route: route, Options: oracleOptions}
	return kinFindings(openapi3filter.ValidateRequest(context.Background(), in), validate.SideRequest)
}

func (o *oracle) response(r *http.Request, status int, header http.Header, body []byte) []string {
	route, params := o.route(r)
	if route == nil {
		return nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r.Clone(context.Background()), PathParams: params, Route: route, Options: oracleOptions},
		Status:                 status,
		Header:                 header,
		Options:                oracleOptions,
	}
	in.SetBodyBytes(body)
	return kinFindings(openapi3filter.ValidateResponse(context.Background(), in), validate.SideResponse)
}

// kinFindings flattens kin-openapi's error tree into "side|rule|field",
// sorted and without repeats: every fault it found, where it found it. A
// failed allOf or oneOf stands for the faults of its parts.
func kinFindings(err error, side string) []string {
	var out []string
	add := func(rule, field string) { out = append(out, side+"|"+rule+"|"+field) }
	var walk func(err error, field string)
	walk = func(err error, field string) {
		var reqErr *openapi3filter.RequestError
		var respErr *openapi3filter.ResponseError
		var schemaErr *openapi3.SchemaError
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				walk(inner, field)
			}
			return
		case *openapi3filter.RequestError:
			reqErr = e
		case *openapi3filter.ResponseError:
			respErr = e
		case *openapi3.SchemaError:
			schemaErr = e
		}
		switch {
		case reqErr != nil:
			f, rule := field, validate.RuleBody
			switch {
			case reqErr.Parameter != nil:
				f, rule = reqErr.Parameter.In+" "+reqErr.Parameter.Name, validate.RuleParameter
			case reqErr.RequestBody != nil:
				f = "body"
			}
			if hasSchemaFaults(reqErr.Err) {
				walk(reqErr.Err, f)
				return
			}
			if strings.Contains(reqErr.Reason, "Content-Type") {
				rule, f = validate.RuleContentType, "header Content-Type"
			}
			add(rule, f)
		case respErr != nil:
			switch {
			case hasSchemaFaults(respErr.Err):
				walk(respErr.Err, "body")
			case respErr.Reason == "status is not supported":
				add(validate.RuleStatus, "")
			case strings.Contains(respErr.Reason, "Content-Type"):
				add(validate.RuleContentType, "header Content-Type")
			default:
				add(validate.RuleBody, "body")
			}
		case schemaErr != nil:
			var parts openapi3.MultiError
			if errors.As(schemaErr.Origin, &parts) && len(parts) > 0 {
				walk(parts, field)
				return
			}
			f := field
			if ptr := schemaErr.JSONPointer(); len(ptr) > 0 {
				f += " /" + strings.Join(ptr, "/")
			}
			add(schemaErr.SchemaField, f)
		case err != nil:
			add("unknown:"+err.Error(), field)
		}
	}
	walk(err, "")
	slices.Sort(out)
	return slices.Compact(out)
}

func hasSchemaFaults(err error) bool {
	var s *openapi3.SchemaError
	var m openapi3.MultiError
	return errors.As(err, &s) || errors.As(err, &m)
}

// ourFindings is the validator's violations in the oracle's form.
func ourFindings(vs []validate.Violation) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Side+"|"+v.Rule+"|"+v.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
