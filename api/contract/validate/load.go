package validate

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The keywords the loader accepts, beside extensions (x-...). Anything else
// is refused: the validator would not check it.
var (
	documentKeywords   = []string{"openapi", "info", "servers", "security", "tags", "paths", "components", "externalDocs"}
	componentKeywords  = []string{"schemas", "parameters", "responses", "examples", "securitySchemes"}
	pathItemKeywords   = []string{"summary", "description", "servers", "parameters", "get", "put", "post", "delete", "options", "head", "patch", "trace"}
	operationKeywords  = []string{"tags", "summary", "description", "externalDocs", "operationId", "parameters", "requestBody", "responses", "security", "deprecated"}
	parameterKeywords  = []string{"name", "in", "description", "required", "deprecated", "schema", "style", "explode", "example", "examples"}
	bodyKeywords       = []string{"description", "content", "required"}
	responseKeywords   = []string{"description", "content"}
	mediaTypeKeywords  = []string{"schema", "example", "examples"}
	supportedMediaType = []string{"application/json", "application/x-www-form-urlencoded", "text/event-stream"}
)

// loader reads a document, decoded as plain JSON values, into operations.
type loader struct {
	doc        map[string]any
	components map[string]any
	schemas    map[string]*schema // by $ref
	all        []*schema
}

// load reads an OpenAPI 3.0 document into its operations, by key
// ("POST /ocapi/v1/orders/{orderId}/vouchers").
func load(document []byte) (map[string]*operation, error) {
	l := &loader{schemas: map[string]*schema{}}
	ops, err := l.load(document)
	if err != nil {
		return nil, fmt.Errorf("the OpenAPI document: %w", err)
	}
	return ops, nil
}

func (l *loader) load(document []byte) (map[string]*operation, error) {
	if err := json.Unmarshal(document, &l.doc); err != nil {
		return nil, err
	}
	if err := keywords(l.doc, "#", documentKeywords); err != nil {
		return nil, err
	}
	if v, _ := l.doc["openapi"].(string); !strings.HasPrefix(v, "3.0.") {
		return nil, fmt.Errorf("#/openapi: the validator reads OpenAPI 3.0 documents, not %q", v)
	}
	var err error
	if l.components, err = optionalObject(l.doc["components"], "#/components"); err != nil {
		return nil, err
	}
	if err := keywords(l.components, "#/components", componentKeywords); err != nil {
		return nil, err
	}
	if err := l.loadComponents(); err != nil {
		return nil, err
	}
	if err := l.security(l.doc["security"], "#/security"); err != nil {
		return nil, err
	}
	ops, err := l.paths()
	if err != nil {
		return nil, err
	}
	if err := l.finish(); err != nil {
		return nil, err
	}
	return ops, nil
}

// loadComponents loads every schema, parameter and response the document
// defines, used or not, so that none it could come to use is unchecked.
func (l *loader) loadComponents() error {
	for _, name := range sortedKeys(l.components["schemas"]) {
		if _, err := l.schemaRef("#/components/schemas/"+name, "#/components/schemas/"+pointerEscape(name)); err != nil {
			return err
		}
	}
	params, _ := l.components["parameters"].(map[string]any)
	for _, name := range sortedKeys(params) {
		if _, err := l.parameter(params[name], "#/components/parameters/"+pointerEscape(name)); err != nil {
			return err
		}
	}
	responses, _ := l.components["responses"].(map[string]any)
	for _, name := range sortedKeys(responses) {
		if _, err := l.response(responses[name], "#/components/responses/"+pointerEscape(name)); err != nil {
			return err
		}
	}
	return nil
}

// security checks that a list of security requirements names only declared
// schemes. Who may call is the server's business: requirements are not
// checked on requests.
func (l *loader) security(v any, at string) error {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%s: not a list", at)
	}
	schemes, _ := l.components["securitySchemes"].(map[string]any)
	for i, req := range list {
		m, err := object(req, at+"/"+strconv.Itoa(i))
		if err != nil {
			return err
		}
		for _, name := range sortedKeys(m) {
			if _, ok := schemes[name]; !ok {
				return fmt.Errorf("%s/%d: the security scheme %q is not declared", at, i, name)
			}
		}
	}
	return nil
}

func (l *loader) paths() (map[string]*operation, error) {
	paths, err := object(l.doc["paths"], "#/paths")
	if err != nil {
		return nil, err
	}
	ops := map[string]*operation{}
	ids := map[string]string{}
	for _, path := range sortedKeys(paths) {
		at := "#/paths/" + pointerEscape(path)
		item, err := objectOf(paths[path], at, pathItemKeywords)
		if err != nil {
			return nil, err
		}
		shared, err := l.parameters(item["parameters"], path, at+"/parameters")
		if err != nil {
			return nil, err
		}
		for _, method := range sortedKeys(item) {
			m := strings.ToUpper(method)
			if !slices.Contains(httpMethods, m) {
				continue
			}
			op, id, err := l.operation(item[method], path, m, shared, at+"/"+method)
			if err != nil {
				return nil, err
			}
			if other, dup := ids[id]; dup && id != "" {
				return nil, fmt.Errorf("%s/%s: the operationId %q is %s's too", at, method, id, other)
			}
			ids[id] = m + " " + path
			ops[m+" "+path] = op
		}
	}
	return ops, nil
}

func (l *loader) operation(v any, path, method string, shared []*parameter, at string) (*operation, string, error) {
	raw, err := objectOf(v, at, operationKeywords)
	if err != nil {
		return nil, "", err
	}
	id, _ := raw["operationId"].(string)
	op := &operation{name: cmpOr(id, method+" "+path), responses: map[int]*response{}}
	own, err := l.parameters(raw["parameters"], path, at+"/parameters")
	if err != nil {
		return nil, "", err
	}
	for _, p := range shared {
		if !slices.ContainsFunc(own, func(o *parameter) bool { return o.in == p.in && o.name == p.name }) {
			op.params = append(op.params, p)
		}
	}
	op.params = append(op.params, own...)
	if err := checkTemplate(path, op.params, at); err != nil {
		return nil, "", err
	}
	if err := l.security(raw["security"], at+"/security"); err != nil {
		return nil, "", err
	}
	if body, ok := raw["requestBody"]; ok {
		if op.body, err = l.requestBody(body, at+"/requestBody"); err != nil {
			return nil, "", err
		}
	}
	if err := l.responses(op, raw["responses"], at+"/responses"); err != nil {
		return nil, "", err
	}
	return op, id, nil
}

// checkTemplate holds a path's template and its path parameters to each
// other, and finds each one's segment.
func checkTemplate(path string, params []*parameter, at string) error {
	segments := strings.Split(strings.Trim(path, "/"), "/")
	for _, p := range params {
		if p.in != "path" {
			continue
		}
		if p.segment = slices.Index(segments, "{"+p.name+"}"); p.segment < 0 {
			return fmt.Errorf("%s: the path parameter %q is not in the path", at, p.name)
		}
	}
	for _, s := range segments {
		if isParam(s) && !slices.ContainsFunc(params, func(p *parameter) bool { return p.in == "path" && "{"+p.name+"}" == s }) {
			return fmt.Errorf("%s: the path's %s has no parameter", at, s)
		}
	}
	return nil
}

func (l *loader) requestBody(v any, at string) (*requestBody, error) {
	raw, err := objectOf(v, at, bodyKeywords)
	if err != nil {
		return nil, err
	}
	b := &requestBody{}
	b.required, _ = raw["required"].(bool)
	if b.content, err = l.content(raw["content"], at+"/content"); err != nil {
		return nil, err
	}
	if len(b.content) == 0 {
		return nil, fmt.Errorf("%s: a request body without content", at)
	}
	return b, nil
}

func (l *loader) responses(op *operation, v any, at string) error {
	raw, err := object(v, at)
	if err != nil {
		return err
	}
	for _, code := range sortedKeys(raw) {
		if strings.HasPrefix(code, "x-") {
			continue
		}
		resp, err := l.response(raw[code], at+"/"+code)
		if err != nil {
			return err
		}
		if code == "default" {
			op.otherwise = resp
			continue
		}
		status, err := strconv.Atoi(code)
		if err != nil || status < 100 || status > 599 || len(code) != 3 {
			return fmt.Errorf("%s/%s: the validator reads exact statuses and default, not %q", at, code, code)
		}
		op.responses[status] = resp
	}
	return nil
}

func (l *loader) response(v any, at string) (*response, error) {
	raw, at, err := l.resolve(v, "responses", at, responseKeywords)
	if err != nil {
		return nil, err
	}
	content, err := l.content(raw["content"], at+"/content")
	return &response{content: content}, err
}

func (l *loader) content(v any, at string) ([]media, error) {
	raw, err := optionalObject(v, at)
	if err != nil {
		return nil, err
	}
	var out []media
	for _, name := range sortedKeys(raw) {
		mat := at + "/" + pointerEscape(name)
		if !slices.Contains(supportedMediaType, name) {
			return nil, fmt.Errorf("%s: the validator does not read the media type %q", mat, name)
		}
		mt, err := objectOf(raw[name], mat, mediaTypeKeywords)
		if err != nil {
			return nil, err
		}
		m := media{name: name, kind: mediaKindOf(name)}
		if s, ok := mt["schema"]; ok {
			if m.schema, err = l.schema(s, mat+"/schema"); err != nil {
				return nil, err
			}
		}
		if m.kind == mediaForm {
			if err := formSchema(m.schema, mat+"/schema"); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func mediaKindOf(name string) mediaKind {
	switch {
	case name == "application/x-www-form-urlencoded":
		return mediaForm
	case strings.HasPrefix(name, "text/"):
		return mediaText
	}
	return mediaJSON
}

// formSchema: a form is read as an object of primitive fields.
func formSchema(s *schema, at string) error {
	if s == nil || s.typ != "object" || len(s.allOf)+len(s.oneOf)+len(s.anyOf) > 0 {
		return fmt.Errorf("%s: a form's schema must be an object without allOf, oneOf or anyOf", at)
	}
	for _, name := range s.propertyNames {
		if !primitive(s.properties[name]) {
			return fmt.Errorf("%s/properties/%s: the validator reads form fields of primitive types only", at, pointerEscape(name))
		}
	}
	return nil
}

// primitive: a string, number, integer or boolean, without combinations.
func primitive(s *schema) bool {
	return slices.Contains([]string{"string", "number", "integer", "boolean"}, s.typ) && len(s.allOf)+len(s.oneOf)+len(s.anyOf) == 0
}

// resolve follows a $ref to a component of the section, if v is one, and
// refuses keywords other than the allowed.
func (l *loader) resolve(v any, section, at string, allowed []string) (map[string]any, string, error) {
	raw, err := object(v, at)
	if err != nil {
		return nil, at, err
	}
	ref, ok := raw["$ref"].(string)
	if !ok {
		return raw, at, keywords(raw, at, allowed)
	}
	prefix := "#/components/" + section + "/"
	name, found := strings.CutPrefix(ref, prefix)
	if len(raw) != 1 || !found {
		return nil, at, fmt.Errorf("%s: the validator follows only a plain $ref into %s", at, strings.TrimSuffix(prefix, "/"))
	}
	defs, _ := l.components[section].(map[string]any)
	if defs[name] == nil {
		return nil, at, fmt.Errorf("%s: %s is not defined", at, ref)
	}
	at = prefix + pointerEscape(name)
	target, err := objectOf(defs[name], at, allowed)
	return target, at, err
}

var httpMethods = []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete,
	http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
