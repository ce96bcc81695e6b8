package proxy

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/boxoffice/boxoffice/api/contract"
)

// document is what the proxy reads of the contract beyond what package
// validate checks: each operation's source tag (x-vista-source) and the
// schemas of its bodies, for the shapes a tenant sends.
type document struct {
	ops     map[string]*docOperation // by "METHOD /path"
	schemas map[string]*schema
}

type docOperation struct {
	ID     string
	Source string // doc, client, unverified
	// Bodies are the JSON body schemas: "request", and each status.
	Bodies map[string]*schema
}

// schema is the part of a JSON schema the walk over a body needs.
type schema struct {
	Ref           string             `json:"$ref"`
	Properties    map[string]*schema `json:"properties"`
	Items         *schema            `json:"items"`
	AllOf         []*schema          `json:"allOf"`
	OneOf         []*schema          `json:"oneOf"`
	AnyOf         []*schema          `json:"anyOf"`
	Discriminator *struct {
		PropertyName string            `json:"propertyName"`
		Mapping      map[string]string `json:"mapping"`
	} `json:"discriminator"`
}

type rawOperation struct {
	OperationID string `json:"operationId"`
	Source      string `json:"x-vista-source"`
	RequestBody *struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

var (
	contractDocOnce sync.Once
	contractDoc     *document
	contractDocErr  error
)

// contractDocument is the contract's document, read once per process.
func contractDocument() (*document, error) {
	contractDocOnce.Do(func() { contractDoc, contractDocErr = readDocument(contract.Document) })
	return contractDoc, contractDocErr
}

func readDocument(raw []byte) (*document, error) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]*schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("read the contract: %w", err)
	}
	d := &document{ops: map[string]*docOperation{}, schemas: doc.Components.Schemas}
	for path, item := range doc.Paths {
		for method, rawOp := range item {
			var op rawOperation
			if method == "parameters" || method == "servers" || json.Unmarshal(rawOp, &op) != nil {
				continue
			}
			o := &docOperation{ID: op.OperationID, Source: op.Source, Bodies: map[string]*schema{}}
			if op.RequestBody != nil {
				for ct, c := range op.RequestBody.Content {
					if c.Schema != nil && (strings.Contains(ct, "json") || strings.Contains(ct, "form")) {
						o.Bodies["request"] = c.Schema
					}
				}
			}
			for status, resp := range op.Responses {
				for ct, c := range resp.Content {
					if c.Schema != nil && strings.Contains(ct, "json") {
						o.Bodies[status] = c.Schema
					}
				}
			}
			d.ops[strings.ToUpper(method)+" "+path] = o
		}
	}
	return d, nil
}

// schemaName is the component a $ref names: "#/components/schemas/Showtime"
// is "Showtime".
func schemaName(ref string) string {
	const prefix = "#/components/schemas/"
	if strings.HasPrefix(ref, prefix) {
		return ref[len(prefix):]
	}
	return ""
}

// walkBody visits every object of body that a component schema describes,
// with the component's name, following s through properties, items, allOf
// and a discriminated oneOf. Objects a schema leaves open are not visited.
func (d *document) walkBody(body any, s *schema, visit func(name string, obj map[string]any)) {
	d.walk(body, s, visit, 0)
}

func (d *document) walk(body any, s *schema, visit func(string, map[string]any), depth int) {
	if s == nil || body == nil || depth > 40 {
		return
	}
	if name := schemaName(s.Ref); name != "" {
		resolved := d.schemas[name]
		if obj, ok := body.(map[string]any); ok && resolved != nil {
			visit(name, obj)
		}
		d.walk(body, resolved, visit, depth+1)
		return
	}
	for _, part := range s.AllOf {
		d.walk(body, part, visit, depth+1)
	}
	switch v := body.(type) {
	case map[string]any:
		for key, prop := range s.Properties {
			if inner, ok := v[key]; ok {
				d.walk(inner, prop, visit, depth+1)
			}
		}
		if s.Discriminator != nil {
			if kind, ok := v[s.Discriminator.PropertyName].(string); ok {
				if ref, ok := s.Discriminator.Mapping[kind]; ok {
					d.walk(body, &schema{Ref: ref}, visit, depth+1)
				}
			}
		}
	case []any:
		for _, item := range v {
			d.walk(item, s.Items, visit, depth+1)
		}
	}
}
