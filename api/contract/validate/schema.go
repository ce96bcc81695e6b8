package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// schema is a compiled schema object of the document. Its checks follow
// OpenAPI 3.0's reading of JSON Schema, in kin-openapi's order, so that both
// find the same faults at the same places: null first (nullable), then
// oneOf, anyOf and allOf (a failure there ends the check), enum (likewise),
// then the keywords of the value's own type.
type schema struct {
	typ      string // "" allows every type
	nullable bool
	readOnly bool
	format   string

	enum      []any
	minimum   *float64
	maximum   *float64
	minLength int

	required []string
	// properties and their names, sorted so that findings come in an order
	// that does not depend on map iteration.
	properties    map[string]*schema
	propertyNames []string
	// additional is additionalProperties as a schema; refuseAdditional is
	// additionalProperties: false.
	additional       *schema
	refuseAdditional bool
	items            *schema

	allOf, oneOf, anyOf []*schema
	// discriminator is the oneOf's discriminator property, mapping its
	// values to the one variant a value is held to.
	discriminator string
	mapping       map[string]*schema

	defaultValue any
	hasDefault   bool

	// empty: the schema constrains nothing but null.
	empty bool
}

// finding is one fault of a value: the keyword it breaks, where (a JSON
// pointer from the checked value, without its leading slash, its keys
// unescaped as kin-openapi writes them) and why.
type finding struct {
	rule, path, message string
}

// checker checks one value against a schema, collecting every finding.
type checker struct {
	request bool // readOnly properties may not be sent
	path    []string
	// applied are the schemas being applied, outermost first; those from
	// base on apply to the value being checked: a property one of them
	// declares readOnly is not required in a request.
	applied []*schema
	base    int
	found   []finding

	// Room for the paths and schemas of most documents' values, so that a
	// check allocates nothing until it finds a fault.
	pathRoom    [16]string
	appliedRoom [16]*schema
}

func newChecker(request bool) *checker {
	c := &checker{request: request}
	c.path, c.applied = c.pathRoom[:0], c.appliedRoom[:0]
	return c
}

func (c *checker) fail(rule, message string) {
	c.found = append(c.found, finding{rule: rule, path: strings.Join(c.path, "/"), message: message})
}

// child checks a value nested in the current one, at key.
func (c *checker) child(s *schema, key string, v any) {
	saved := c.base
	c.base = len(c.applied)
	c.path = append(c.path, key)
	c.check(s, v)
	c.path = c.path[:len(c.path)-1]
	c.base = saved
}

func (c *checker) check(s *schema, v any) {
	if v == nil && s.nullable {
		return
	}
	if s.empty {
		if v == nil {
			c.fail("nullable", "the value is null, which the schema does not allow")
		}
		return
	}
	depth := len(c.applied)
	c.applied = append(c.applied, s)
	c.checkApplied(s, v)
	c.applied = c.applied[:depth]
}

func (c *checker) checkApplied(s *schema, v any) {
	if !c.combinations(s, v) {
		return
	}
	if v == nil && len(s.allOf)+len(s.oneOf)+len(s.anyOf) > 0 {
		return // the combined schemas have judged null
	}
	if len(s.enum) > 0 && !slices.ContainsFunc(s.enum, func(e any) bool { return sameJSON(e, v) }) {
		c.fail("enum", "the value is not one of the allowed values "+enumList(s.enum))
		return
	}
	switch v := v.(type) {
	case nil:
		c.fail("nullable", "the value is null, which the schema does not allow")
	case bool:
		c.expectType(s, "boolean")
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			c.fail("type", "the number is out of range")
			return
		}
		c.number(s, f)
	case float64:
		c.number(s, v)
	case string:
		c.text(s, v)
	case []any:
		c.array(s, v)
	case map[string]any:
		c.object(s, v)
	default:
		c.fail("type", fmt.Sprintf("a value of type %T cannot be checked", v))
	}
}

// expectType reports a value whose type the schema does not allow.
func (c *checker) expectType(s *schema, typ string) bool {
	if s.typ == "" || s.typ == typ {
		return true
	}
	article := "a"
	if s.typ == "array" || s.typ == "object" || s.typ == "integer" {
		article = "an"
	}
	c.fail("type", "the value must be "+article+" "+s.typ)
	return false
}

// combinations applies oneOf, anyOf and allOf; false when they failed,
// which ends the value's check.
func (c *checker) combinations(s *schema, v any) bool {
	if len(s.oneOf) > 0 && !c.oneOf(s, v) {
		return false
	}
	if len(s.anyOf) > 0 {
		mark := len(c.found)
		matched := false
		for _, variant := range s.anyOf {
			c.check(variant, v)
			matched = len(c.found) == mark
			c.found = c.found[:mark]
			if matched {
				break
			}
		}
		if !matched {
			c.fail("anyOf", "the value matches none of the schemas of anyOf")
			return false
		}
	}
	mark := len(c.found)
	for _, part := range s.allOf {
		c.check(part, v)
	}
	return len(c.found) == mark
}

// oneOf: exactly one variant must match. With a discriminator an object is
// held to the one variant its discriminator names, and what breaks that
// variant is reported; without, what breaks each variant is.
func (c *checker) oneOf(s *schema, v any) bool {
	var only *schema
	if obj, ok := v.(map[string]any); ok && s.discriminator != "" {
		if only = c.discriminate(s, obj); only == nil {
			return false
		}
	}
	mark := len(c.found)
	matches := 0
	for _, variant := range s.oneOf {
		if only != nil && variant != only {
			continue
		}
		before := len(c.found)
		c.check(variant, v)
		if len(c.found) == before {
			matches++
		}
	}
	switch {
	case matches == 1:
		c.found = c.found[:mark]
		return true
	case matches > 1:
		c.found = c.found[:mark]
		c.fail("oneOf", "the value matches more than one schema of oneOf")
	case len(c.found) == mark:
		c.fail("oneOf", "the value matches none of the schemas of oneOf")
	}
	return false
}

// discriminate is the variant obj's discriminator names, nil (reported)
// when it names none.
func (c *checker) discriminate(s *schema, obj map[string]any) *schema {
	raw, ok := obj[s.discriminator]
	if !ok {
		c.fail("discriminator", fmt.Sprintf("the discriminator property %q is missing", s.discriminator))
		return nil
	}
	name, ok := raw.(string)
	if !ok {
		c.fail("discriminator", fmt.Sprintf("the discriminator property %q is not a string", s.discriminator))
		return nil
	}
	variant := s.mapping[name]
	if variant == nil {
		c.fail("discriminator", fmt.Sprintf("the discriminator property %q has none of the values the mapping lists", s.discriminator))
	}
	return variant
}

func (c *checker) number(s *schema, f float64) {
	integer := s.typ == "integer"
	if integer {
		if f != math.Trunc(f) {
			c.fail("type", "the value must be an integer")
		}
	} else if s.typ != "" && s.typ != "number" {
		c.expectType(s, "number")
		return
	}
	if integer && s.format == "int32" && !fitsInt32(f) {
		c.fail("format", "the integer does not fit the format int32")
	}
	if s.minimum != nil && !(*s.minimum <= f) {
		c.fail("minimum", fmt.Sprintf("the number must be at least %g", *s.minimum))
	}
	if s.maximum != nil && !(*s.maximum >= f) {
		c.fail("maximum", fmt.Sprintf("the number must be at most %g", *s.maximum))
	}
}

// fitsInt32 is kin-openapi's reading of int32: the number, truncated to an
// integer, lies in int32's range.
func fitsInt32(f float64) bool {
	if !(f >= math.MinInt64 && f < math.MaxInt64) {
		return false
	}
	n := int64(f)
	return n >= math.MinInt32 && n <= math.MaxInt32
}

func (c *checker) text(s *schema, v string) {
	if !c.expectType(s, "string") {
		return
	}
	if s.minLength > 0 && utf8.RuneCountInString(v) < s.minLength {
		c.fail("minLength", fmt.Sprintf("the string must be at least %d characters long", s.minLength))
	}
	if !formatHolds(s.format, v) {
		c.fail("format", fmt.Sprintf("the string is not a %s", s.format))
	}
}

func (c *checker) array(s *schema, v []any) {
	if !c.expectType(s, "array") || s.items == nil {
		return
	}
	for i, item := range v {
		c.child(s.items, strconv.Itoa(i), item)
	}
}

func (c *checker) object(s *schema, obj map[string]any) {
	if !c.expectType(s, "object") {
		return
	}
	if c.request {
		for _, name := range s.propertyNames {
			if p := s.properties[name]; p.readOnly && obj[name] != nil {
				c.path = append(c.path, name)
				c.fail("readOnly", fmt.Sprintf("the property %q is read-only: a request may not send it", name))
				c.path = c.path[:len(c.path)-1]
			}
		}
	}
	declared := 0
	for _, name := range s.propertyNames {
		if v, ok := obj[name]; ok {
			declared++
			c.child(s.properties[name], name, v)
		}
	}
	if declared < len(obj) && (s.additional != nil || s.refuseAdditional) {
		c.additionalProperties(s, obj)
	}
	for _, name := range s.required {
		if _, ok := obj[name]; !ok && !(c.request && c.readOnlyHere(name)) {
			c.path = append(c.path, name)
			c.fail("required", fmt.Sprintf("the property %q is missing", name))
			c.path = c.path[:len(c.path)-1]
		}
	}
}

// additionalProperties checks the properties s does not declare, in order.
func (c *checker) additionalProperties(s *schema, obj map[string]any) {
	extra := make([]string, 0, len(obj))
	for name := range obj {
		if s.properties[name] == nil {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		if s.refuseAdditional {
			c.fail("properties", fmt.Sprintf("the property %q is not allowed: the schema lists every property", name))
			continue
		}
		c.child(s.additional, name, obj[name])
	}
}

// readOnlyHere reports whether a schema applied to the current value, or
// one of their allOf parts, declares the property readOnly.
func (c *checker) readOnlyHere(name string) bool {
	var declares func(s *schema, depth int) bool
	declares = func(s *schema, depth int) bool {
		if p := s.properties[name]; p != nil && p.readOnly {
			return true
		}
		return depth < 8 && slices.ContainsFunc(s.allOf, func(part *schema) bool { return declares(part, depth+1) })
	}
	return slices.ContainsFunc(c.applied[c.base:], func(s *schema) bool { return declares(s, 0) })
}

// sameJSON compares an enum's value with a checked one, numbers by value.
func sameJSON(a, b any) bool {
	if x, ok := asFloat(a); ok {
		y, ok := asFloat(b)
		return ok && x == y
	}
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case nil:
		return b == nil
	}
	return false // enums of arrays and objects are refused at load
}

func asFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	}
	return 0, false
}

// enumList writes the document's allowed values, never the exchange's.
func enumList(enum []any) string {
	b, err := json.Marshal(enum)
	if err != nil {
		return "listed in the document"
	}
	return string(b)
}
