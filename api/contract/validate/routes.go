package validate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Operation is one method on one path of an OpenAPI document.
type Operation struct {
	// ID is the operationId, "" when the document gives none.
	ID string
	// Method is upper case: "POST".
	Method string
	// Path is the document's template: "/ocapi/v1/orders/{orderId}/vouchers".
	Path string
	// Tags are the operation's tags.
	Tags []string
	// HasRequestBody says whether the document describes a request body.
	HasRequestBody bool

	segments []string
	literals int
}

// Key names the operation as "POST /ocapi/v1/orders/{orderId}/vouchers".
func (o *Operation) Key() string { return o.Method + " " + o.Path }

// Name is the operationId, or the key when there is none.
func (o *Operation) Name() string {
	if o.ID != "" {
		return o.ID
	}
	return o.Key()
}

// Routes finds the operation of a request by method and path alone. It reads
// only the document's paths, so it costs little to build: a server can route
// by the document without paying for schema validation.
type Routes struct {
	ops []*Operation
}

// NewRoutes reads the operations of OpenAPI documents (JSON): one, or a
// document and others merged into it, whose paths must not overlap.
func NewRoutes(documents ...[]byte) (*Routes, error) {
	rt := &Routes{}
	for _, document := range documents {
		if err := rt.read(document); err != nil {
			return nil, err
		}
	}
	// More literal segments first, so that /orders/completed/{id} wins over
	// /orders/{id}/{view}-like templates; then by path and method, so the
	// choice never depends on map order.
	slices.SortFunc(rt.ops, func(a, b *Operation) int {
		if a.literals != b.literals {
			return b.literals - a.literals
		}
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return rt, nil
}

func (rt *Routes) read(document []byte) error {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(document, &doc); err != nil {
		return fmt.Errorf("read the OpenAPI document's paths: %w", err)
	}
	for path, item := range doc.Paths {
		for method, raw := range item {
			m := strings.ToUpper(method)
			if !slices.Contains(httpMethods, m) {
				continue // "parameters", "servers", "summary"...
			}
			var op struct {
				OperationID string          `json:"operationId"`
				Tags        []string        `json:"tags"`
				RequestBody json.RawMessage `json:"requestBody"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				return fmt.Errorf("read %s %s: %w", m, path, err)
			}
			o := &Operation{ID: op.OperationID, Method: m, Path: path, Tags: op.Tags, HasRequestBody: op.RequestBody != nil,
				segments: strings.Split(strings.Trim(path, "/"), "/")}
			for _, s := range o.segments {
				if !isParam(s) {
					o.literals++
				}
			}
			rt.ops = append(rt.ops, o)
		}
	}
	return nil
}

// Operations lists every operation, most specific path first.
func (rt *Routes) Operations() []*Operation { return slices.Clone(rt.ops) }

// Lookup finds an operation by its key ("POST /ocapi/v1/orders/{orderId}/vouchers")
// or its operationId.
func (rt *Routes) Lookup(name string) (*Operation, bool) {
	name = strings.TrimSpace(name)
	if m, p, ok := strings.Cut(name, " "); ok {
		m, p = strings.ToUpper(m), strings.TrimSpace(p)
		for _, o := range rt.ops {
			if o.Method == m && o.Path == p {
				return o, true
			}
		}
		return nil, false
	}
	for _, o := range rt.ops {
		if o.ID != "" && o.ID == name {
			return o, true
		}
	}
	return nil, false
}

// Find is the operation for method and path, with its path parameters; nil
// when none. Allowed says whether the path is known under another method.
func (rt *Routes) Find(method, path string) (*Operation, map[string]string) {
	o := rt.Operation(method, path)
	if o == nil {
		return nil, nil
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	params := make(map[string]string, len(o.segments)-o.literals)
	for i, s := range o.segments {
		if isParam(s) {
			params[s[1:len(s)-1]] = segs[i]
		}
	}
	return o, params
}

// Operation is Find without the parameters: it allocates nothing, for a
// server that routes every request by the document.
func (rt *Routes) Operation(method, path string) *Operation {
	path = strings.Trim(path, "/")
	for _, o := range rt.ops {
		if o.Method == method && matchesPath(o.segments, path) {
			return o
		}
	}
	return nil
}

// matchesPath is matches on a path not yet split.
func matchesPath(template []string, path string) bool {
	for i, t := range template {
		seg, rest, found := strings.Cut(path, "/")
		if found != (i < len(template)-1) {
			return false
		}
		if isParam(t) {
			if seg == "" {
				return false
			}
		} else if t != seg {
			return false
		}
		path = rest
	}
	return true
}

// Allowed lists the methods the document has for path, sorted.
func (rt *Routes) Allowed(path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var methods []string
	for _, o := range rt.ops {
		if matches(o.segments, segs) && !slices.Contains(methods, o.Method) {
			methods = append(methods, o.Method)
		}
	}
	slices.Sort(methods)
	return methods
}

func matches(template, segs []string) bool {
	if len(template) != len(segs) {
		return false
	}
	for i, s := range template {
		if isParam(s) {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if s != segs[i] {
			return false
		}
	}
	return true
}
