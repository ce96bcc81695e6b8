package validate

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// schemaTypes are OpenAPI 3.0's types ("null" is nullable's business).
var schemaTypes = []string{"string", "number", "integer", "boolean", "array", "object"}

// schemaKeywords are the keywords the checker applies ($ref aside), each
// used by the served documents; schemaAnnotations describe a value without
// constraining it.
var (
	schemaKeywords = []string{"type", "format", "nullable", "readOnly", "enum", "minimum", "maximum", "minLength", "required", "default",
		"properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf", "discriminator"}
	schemaAnnotations = []string{"description", "title", "example", "externalDocs", "deprecated"}
)

func (l *loader) parameters(v any, path, at string) ([]*parameter, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a list", at)
	}
	var out []*parameter
	for i, raw := range list {
		p, err := l.parameter(raw, at+"/"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(out, func(o *parameter) bool { return o.in == p.in && o.name == p.name }) {
			return nil, fmt.Errorf("%s/%d: the %s parameter %q is listed twice", at, i, p.in, p.name)
		}
		out = append(out, p)
	}
	return out, nil
}

// parameter loads a parameter: in a path (style simple, always required), a
// query (style form, exploded) or a header (style simple), of a primitive
// type; an array only in a query.
func (l *loader) parameter(v any, at string) (*parameter, error) {
	raw, at, err := l.resolve(v, "parameters", at, parameterKeywords)
	if err != nil {
		return nil, err
	}
	p := &parameter{}
	p.name, _ = raw["name"].(string)
	p.in, _ = raw["in"].(string)
	p.required, _ = raw["required"].(bool)
	p.key, p.field = p.name, p.in+" "+p.name
	style, explode := "simple", false
	switch p.in {
	case "path":
		if !p.required {
			return nil, fmt.Errorf("%s: a path parameter must be required", at)
		}
	case "query":
		style, explode = "form", true
	case "header":
		p.key = http.CanonicalHeaderKey(p.name)
	default:
		return nil, fmt.Errorf("%s: the validator does not read parameters in %q", at, p.in)
	}
	if p.name == "" {
		return nil, fmt.Errorf("%s: a parameter without a name", at)
	}
	if s, ok := raw["style"]; ok && s != style {
		return nil, fmt.Errorf("%s: the validator reads %s parameters of style %s only", at, p.in, style)
	}
	if e, ok := raw["explode"]; ok && e != explode {
		return nil, fmt.Errorf("%s: the validator reads %s parameters with explode %v only", at, p.in, explode)
	}
	if p.schema, err = l.schema(raw["schema"], at+"/schema"); err != nil {
		return nil, err
	}
	if !primitive(p.schema) && !(p.in == "query" && p.schema.typ == "array" && primitive(p.schema.items)) {
		return nil, fmt.Errorf("%s/schema: the validator reads parameters of primitive types (and arrays of them in a query) only", at)
	}
	return p, nil
}

// schema loads a schema object, or the component its $ref names.
func (l *loader) schema(v any, at string) (*schema, error) {
	raw, err := object(v, at)
	if err != nil {
		return nil, err
	}
	if ref, ok := raw["$ref"]; ok {
		name, _ := ref.(string)
		if len(raw) != 1 {
			return nil, fmt.Errorf("%s: a $ref with other keywords, which OpenAPI 3.0 ignores", at)
		}
		return l.schemaRef(name, at)
	}
	s := &schema{}
	l.all = append(l.all, s)
	return s, l.fill(s, raw, at)
}

// schemaRef is the schema of a component, loaded once whatever refers to it.
func (l *loader) schemaRef(ref, at string) (*schema, error) {
	if s := l.schemas[ref]; s != nil {
		return s, nil
	}
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	defs, _ := l.components["schemas"].(map[string]any)
	if !ok || defs[name] == nil {
		return nil, fmt.Errorf("%s: the $ref %q names no schema of #/components/schemas", at, ref)
	}
	at = "#/components/schemas/" + pointerEscape(name)
	raw, err := object(defs[name], at)
	if err != nil {
		return nil, err
	}
	if _, ok := raw["$ref"]; ok {
		return nil, fmt.Errorf("%s: a schema that is only a $ref", at)
	}
	s := &schema{}
	l.schemas[ref] = s
	l.all = append(l.all, s)
	return s, l.fill(s, raw, at)
}

// fill loads a schema's keywords, refusing any the checker does not apply.
func (l *loader) fill(s *schema, raw map[string]any, at string) error {
	for _, k := range sortedKeys(raw) {
		v, kat := raw[k], at+"/"+k
		var err error
		switch k {
		case "type", "format", "nullable", "readOnly", "enum", "minimum", "maximum", "minLength", "required", "default":
			err = fillScalar(s, k, v, kat)
		case "properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf":
			err = l.fillNested(s, k, v, kat)
		case "discriminator":
			err = l.fillDiscriminator(s, raw, kat)
		default:
			if !strings.HasPrefix(k, "x-") && !slices.Contains(schemaAnnotations, k) {
				err = fmt.Errorf("%s: the validator does not implement the keyword %q", at, k)
			}
		}
		if err == nil && !slices.Contains(schemaKeywords, k) && !slices.Contains(schemaAnnotations, k) && !strings.HasPrefix(k, "x-") {
			err = fmt.Errorf("%s: the keyword %q is read but not listed", at, k)
		}
		if err != nil {
			return err
		}
	}
	if s.typ == "array" && s.items == nil {
		return fmt.Errorf("%s: an array without items", at)
	}
	if s.format != "" && s.typ != formatType(s.format) && (s.typ != "" || formatType(s.format) != "string") {
		return fmt.Errorf("%s/format: the format %q is not one of type %q", at, s.format, cmpOr(s.typ, "(any)"))
	}
	return nil
}

// fillScalar loads the keywords whose values are not schemas.
func fillScalar(s *schema, k string, v any, at string) error {
	ok := true
	switch k {
	case "type":
		s.typ, ok = v.(string)
		ok = ok && slices.Contains(schemaTypes, s.typ)
	case "format":
		s.format, ok = v.(string)
		ok = ok && (slices.Contains(checkedFormats, s.format) || slices.Contains(annotationFormats, s.format))
	case "nullable":
		s.nullable, ok = v.(bool)
	case "readOnly":
		s.readOnly, ok = v.(bool)
	case "enum":
		s.enum, ok = v.([]any)
		ok = ok && len(s.enum) > 0 && !slices.ContainsFunc(s.enum, func(e any) bool {
			switch e.(type) {
			case string, float64, bool:
				return false
			}
			return true
		})
	case "minimum", "maximum":
		var f float64
		f, ok = v.(float64)
		if k == "minimum" {
			s.minimum = &f
		} else {
			s.maximum = &f
		}
	case "minLength":
		var f float64
		f, ok = v.(float64)
		ok = ok && f >= 0 && f == math.Trunc(f) && f < math.MaxInt32
		s.minLength = int(f)
	case "required":
		s.required, ok = stringList(v)
	case "default":
		s.defaultValue, s.hasDefault = v, true
	}
	if !ok {
		return fmt.Errorf("%s: the validator does not implement this value of %q", at, k)
	}
	return nil
}

// fillNested loads the keywords whose values are schemas.
func (l *loader) fillNested(s *schema, k string, v any, at string) error {
	var err error
	switch k {
	case "properties":
		var props map[string]any
		if props, err = object(v, at); err != nil {
			return err
		}
		s.properties = make(map[string]*schema, len(props))
		s.propertyNames = sortedKeys(props)
		for _, name := range s.propertyNames {
			if s.properties[name], err = l.schema(props[name], at+"/"+pointerEscape(name)); err != nil {
				return err
			}
		}
	case "additionalProperties":
		if allowed, ok := v.(bool); ok {
			s.refuseAdditional = !allowed
			return nil
		}
		s.additional, err = l.schema(v, at)
	case "items":
		s.items, err = l.schema(v, at)
	default: // allOf, oneOf, anyOf
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return fmt.Errorf("%s: not a list of schemas", at)
		}
		parts := make([]*schema, len(list))
		for i, item := range list {
			if parts[i], err = l.schema(item, at+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		switch k {
		case "allOf":
			s.allOf = parts
		case "oneOf":
			s.oneOf = parts
		default:
			s.anyOf = parts
		}
	}
	return err
}

// fillDiscriminator loads a oneOf's discriminator: its mapping must name
// every value, each one of the oneOf's $refs.
func (l *loader) fillDiscriminator(s *schema, raw map[string]any, at string) error {
	d, err := objectOf(raw["discriminator"], at, []string{"propertyName", "mapping"})
	if err != nil {
		return err
	}
	variants, _ := raw["oneOf"].([]any)
	mapping, _ := d["mapping"].(map[string]any)
	s.discriminator, _ = d["propertyName"].(string)
	if s.discriminator == "" || len(variants) == 0 || len(mapping) == 0 {
		return fmt.Errorf("%s: the validator reads a discriminator of a oneOf, with a propertyName and a mapping", at)
	}
	s.mapping = make(map[string]*schema, len(mapping))
	for _, value := range sortedKeys(mapping) {
		ref, _ := mapping[value].(string)
		if !strings.Contains(ref, "/") {
			ref = "#/components/schemas/" + ref
		}
		if !slices.ContainsFunc(variants, func(v any) bool { m, _ := v.(map[string]any); return m["$ref"] == ref }) {
			return fmt.Errorf("%s/mapping: %q names a schema that is not a $ref of the oneOf", at, value)
		}
		if s.mapping[value], err = l.schemaRef(ref, at+"/mapping"); err != nil {
			return err
		}
	}
	return nil
}

// finish works out which schemas are empty and refuses schemas that apply
// themselves to the same value, which would never end.
func (l *loader) finish() error {
	state := map[*schema]int{} // 1 being visited, 2 done
	var visit func(s *schema) bool
	visit = func(s *schema) bool {
		switch state[s] {
		case 1:
			return false
		case 2:
			return true
		}
		state[s] = 1
		for _, part := range slices.Concat(s.allOf, s.oneOf, s.anyOf) {
			if !visit(part) {
				return false
			}
		}
		state[s] = 2
		return true
	}
	for _, s := range l.all {
		if !visit(s) {
			return fmt.Errorf("a schema applies itself to the same value through allOf, oneOf or anyOf")
		}
	}
	for _, s := range l.all {
		s.empty = isEmpty(s, map[*schema]bool{})
	}
	return nil
}

// isEmpty: the schema constrains nothing (kin-openapi's IsEmpty over what
// the validator reads). A schema met again on the way down counts as empty.
func isEmpty(s *schema, seen map[*schema]bool) bool {
	if seen[s] {
		return true
	}
	seen[s] = true
	defer delete(seen, s)
	if s.typ != "" || s.format != "" || len(s.enum) > 0 || s.nullable || s.readOnly || s.minimum != nil ||
		s.maximum != nil || s.minLength != 0 || len(s.required) > 0 || s.refuseAdditional {
		return false
	}
	for _, sub := range slices.Concat([]*schema{s.additional, s.items}, s.allOf, s.oneOf, s.anyOf) {
		if sub != nil && !isEmpty(sub, seen) {
			return false
		}
	}
	for _, p := range s.properties {
		if !isEmpty(p, seen) {
			return false
		}
	}
	return true
}

// keywords refuses a key that is not allowed, extensions (x-...) aside.
func keywords(m map[string]any, at string, allowed []string) error {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(allowed, k) && !strings.HasPrefix(k, "x-") {
			return fmt.Errorf("%s: the validator does not implement %q here", at, k)
		}
	}
	return nil
}

func object(v any, at string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", at)
	}
	return m, nil
}

// objectOf is v as an object of the allowed keywords only.
func objectOf(v any, at string, allowed []string) (map[string]any, error) {
	m, err := object(v, at)
	if err != nil {
		return nil, err
	}
	return m, keywords(m, at, allowed)
}

func optionalObject(v any, at string) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	return object(v, at)
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	out := make([]string, len(list))
	for i, item := range list {
		if out[i], ok = item.(string); !ok {
			return nil, false
		}
	}
	return out, ok
}

func sortedKeys(v any) []string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// pointerEscape escapes a name for a JSON pointer.
func pointerEscape(name string) string {
	return strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
}
