package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// operation is what the document says of one method on one path.
type operation struct {
	name string
	// params are the path item's parameters the operation does not
	// override, then the operation's own, in the document's order.
	params []*parameter
	body   *requestBody // nil when the operation documents none
	// responses by status, and the default response; with neither, any
	// answer goes.
	responses map[int]*response
	otherwise *response
}

type parameter struct {
	in, name string
	// key is the name a header has in http.Header.
	key      string
	field    string // "query orders"
	required bool
	schema   *schema
	segment  int // a path parameter's segment of the path
}

type requestBody struct {
	required bool
	content  []media
}

// response is one documented answer; without content its body is not
// checked.
type response struct {
	content []media
}

// media is one media type of a body, its schema nil when the document
// gives none (the body is then not checked).
type media struct {
	name   string // lower case: "application/json"
	kind   mediaKind
	schema *schema
}

type mediaKind int

const (
	mediaJSON mediaKind = iota
	mediaForm
	mediaText
)

func (op *operation) violation(side, rule, field, message string) Violation {
	return Violation{Operation: op.name, Side: side, Rule: rule, Field: field, Message: message}
}

// findings turns a checker's findings into violations at base ("body",
// "query orders").
func (op *operation) findings(out []Violation, side, base string, found []finding) []Violation {
	for _, f := range found {
		field := base
		if f.path != "" {
			field += " /" + f.path
		}
		out = append(out, op.violation(side, f.rule, field, f.message))
	}
	return out
}

func (op *operation) request(r *http.Request, body []byte) []Violation {
	var out []Violation
	var query url.Values
	for _, p := range op.params {
		if p.in == "query" && query == nil {
			query = r.URL.Query()
		}
		out = op.parameter(out, p, r, query)
	}
	if op.body != nil {
		out = op.requestBody(out, r.Header.Get("Content-Type"), body)
	}
	return out
}

// parameter checks one parameter as kin-openapi decodes it: a value that is
// absent or empty is missing, except an empty string, and a parameter left
// out is held to its default.
func (op *operation) parameter(out []Violation, p *parameter, r *http.Request, query url.Values) []Violation {
	value, found, err := p.value(r, query)
	if err != nil {
		return append(out, op.violation(SideRequest, RuleParameter, p.field, err.Error()))
	}
	if value == nil && !found && p.schema.hasDefault {
		value = p.schema.defaultValue
	}
	switch {
	case p.required && !found:
		return append(out, op.violation(SideRequest, RuleParameter, p.field, "the parameter is required but missing"))
	case value == nil && found:
		return append(out, op.violation(SideRequest, RuleParameter, p.field, "the parameter is empty, which the document does not allow"))
	case value == nil:
		return out
	}
	c := newChecker(true)
	c.check(p.schema, value)
	return op.findings(out, SideRequest, p.field, c.found)
}

// value decodes the parameter from the request; found says whether the
// request has it at all.
func (p *parameter) value(r *http.Request, query url.Values) (value any, found bool, err error) {
	switch p.in {
	case "path":
		raw := pathSegment(r.URL.Path, p.segment)
		if raw == "" {
			return nil, false, nil
		}
		value, err = parsePrimitive(raw, p.schema)
		return value, true, err
	case "header":
		raw, ok := r.Header[p.key]
		if len(raw) == 0 {
			return nil, ok, nil
		}
		value, err = parsePrimitive(raw[0], p.schema)
		return value, true, err
	}
	raw, ok := query[p.name]
	if len(raw) == 0 {
		return nil, ok, nil
	}
	if p.schema.typ == "array" {
		value, err = parseArray(raw, p.schema.items)
		return value, true, err
	}
	// An empty first value does not hide a later one.
	first := raw[0]
	for _, v := range raw[1:] {
		if first != "" {
			break
		}
		first = v
	}
	value, err = parsePrimitive(first, p.schema)
	return value, true, err
}

// parseArray decodes a form-style exploded array: nil for none, or for a
// single empty item.
func parseArray(raw []string, items *schema) (any, error) {
	out := make([]any, 0, len(raw))
	for _, v := range raw {
		item, err := parsePrimitive(v, items)
		if err != nil || item == nil {
			return nil, err
		}
		out = append(out, item)
	}
	if len(out) == 1 && out[0] == "" {
		return nil, nil
	}
	return out, nil
}

var errNumberSyntax = errors.New("the value cannot be parsed as a number")

// parsePrimitive decodes a parameter's text by its schema's type; nil for
// an empty text of a type other than string.
func parsePrimitive(raw string, s *schema) (any, error) {
	if s.typ == "string" {
		return raw, nil
	}
	if raw == "" {
		return nil, nil
	}
	switch s.typ {
	case "integer":
		bits := 64
		if s.format == "int32" {
			bits = 32
		}
		n, err := strconv.ParseInt(raw, 10, bits)
		if err != nil {
			return nil, errors.New("the value cannot be parsed as an integer")
		}
		return float64(n), nil
	case "number":
		if strings.ContainsFunc(raw, func(r rune) bool { return !strings.ContainsRune("+-.0123456789eE", r) }) {
			return nil, errNumberSyntax
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, errNumberSyntax
		}
		return f, nil
	case "boolean":
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, errors.New("the value cannot be parsed as a boolean")
		}
		return b, nil
	}
	return nil, fmt.Errorf("a parameter of type %q cannot be decoded", s.typ)
}

// pathSegment is segment i of path, "" when it has fewer.
func pathSegment(path string, i int) string {
	path = strings.Trim(path, "/")
	for ; i > 0; i-- {
		_, rest, ok := strings.Cut(path, "/")
		if !ok {
			return ""
		}
		path = rest
	}
	seg, _, _ := strings.Cut(path, "/")
	return seg
}

func (op *operation) requestBody(out []Violation, contentType string, body []byte) []Violation {
	if len(body) == 0 {
		if op.body.required {
			out = append(out, op.violation(SideRequest, RuleBody, "body", "the request has no body, which the operation requires"))
		}
		return out
	}
	return op.checkBody(out, SideRequest, op.body.content, contentType, body)
}

// checkBody checks a body against the media type its Content-Type names.
func (op *operation) checkBody(out []Violation, side string, content []media, contentType string, body []byte) []Violation {
	m := lookupMedia(content, contentType)
	if m == nil {
		return append(out, op.violation(side, RuleContentType, "header Content-Type", "the body's media type is not one the operation lists ("+mediaNames(content)+")"))
	}
	if m.schema == nil {
		return out
	}
	value, err := m.decode(body)
	if err != nil {
		return append(out, op.violation(side, RuleBody, "body", err.Error()))
	}
	c := newChecker(side == SideRequest)
	c.check(m.schema, value)
	return op.findings(out, side, "body", c.found)
}

// response checks an answer as kin-openapi does: a HEAD's answer and
// redirects pass, and a status the operation does not list breaks the
// document unless it has a default response.
func (op *operation) response(r *http.Request, status int, header http.Header, body []byte) []Violation {
	if r.Method == http.MethodHead {
		return nil
	}
	switch status {
	case http.StatusNotModified, http.StatusPermanentRedirect, http.StatusTemporaryRedirect, http.StatusMovedPermanently:
		return nil
	}
	if len(op.responses) == 0 && op.otherwise == nil {
		return nil
	}
	resp := op.responses[status]
	if resp == nil {
		resp = op.otherwise
	}
	if resp == nil {
		return []Violation{op.violation(SideResponse, RuleStatus, "", "the operation does not list this status")}
	}
	if len(resp.content) == 0 {
		return nil
	}
	return op.checkBody(nil, SideResponse, resp.content, header.Get("Content-Type"), body)
}

// lookupMedia finds the media type a Content-Type names, parameters
// (charset) aside; letter case does not matter.
func lookupMedia(content []media, contentType string) *media {
	mime := strings.ToLower(strings.TrimSpace(contentType))
	base, _, _ := strings.Cut(mime, ";")
	base = strings.TrimSpace(base)
	for i := range content {
		if content[i].name == mime || content[i].name == base {
			return &content[i]
		}
	}
	return nil
}

func mediaNames(content []media) string {
	names := make([]string, len(content))
	for i, m := range content {
		names[i] = m.name
	}
	return "it lists " + strings.Join(names, ", ")
}

// decode reads a body by its media type.
func (m *media) decode(body []byte) (any, error) {
	switch m.kind {
	case mediaForm:
		return decodeForm(body, m.schema)
	case mediaText:
		return string(body), nil
	}
	return decodeJSON(body)
}

// decodeJSON reads one JSON value, numbers kept exact.
func decodeJSON(body []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("the body is not JSON (at byte %d)", syntax.Offset)
		}
		return nil, errors.New("the body is not JSON")
	}
	if rest := body[d.InputOffset():]; len(bytes.TrimLeft(rest, " \t\r\n")) > 0 {
		return nil, fmt.Errorf("the body is not JSON: more follows its value (at byte %d)", d.InputOffset())
	}
	return v, nil
}

// decodeForm reads a form-encoded body into an object of the properties
// its schema declares, each decoded by its type; others are left out.
func decodeForm(body []byte, s *schema) (any, error) {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errors.New("the body is not a form")
	}
	obj := make(map[string]any, len(s.propertyNames))
	for _, name := range s.propertyNames {
		raw, ok := values[name]
		if !ok {
			continue
		}
		first := raw[0]
		for _, v := range raw[1:] {
			if first != "" {
				break
			}
			first = v
		}
		v, err := parsePrimitive(first, s.properties[name])
		if err != nil {
			return nil, fmt.Errorf("the form field %q: %w", name, err)
		}
		obj[name] = v
	}
	return obj, nil
}
