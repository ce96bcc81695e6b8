package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
)

type pathError struct {
	path, problem string
}

func (p *pathError) in(name string) error {
	return fmt.Errorf("%s: %s: %s", name, p.path, p.problem)
}

func perr(path, format string, args ...any) *pathError {
	return &pathError{path: path, problem: fmt.Sprintf(format, args...)}
}

func syntaxProblem(b []byte, err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: not valid JSON: %v", lineOf(b, se.Offset), se)
	case errors.Is(err, io.EOF):
		return "the file is empty; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	}
	return err.Error()
}

func lineOf(b []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(b)))
	return bytes.Count(b[:offset], []byte("\n")) + 1
}

// checkShape walks the generic decoding against the Go type so that unknown
// keys and wrong JSON types are reported with their path; encoding/json alone
// reports neither the path nor, for unknown keys, which object.
func checkShape(v any, t reflect.Type, path string) *pathError {
	if v == nil {
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			return nil
		}
		return perr(path, "must not be null")
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkShape(v, t.Elem(), path)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return perr(path, "want an object, got %s", jsonKind(v))
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				return perr(path, "unknown key %q (known keys: %s)", k, strings.Join(sortedKeys(fields), ", "))
			}
			if p := checkShape(m[k], ft, path+"."+k); p != nil {
				return p
			}
		}
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return perr(path, "want a list, got %s", jsonKind(v))
		}
		for i, e := range a {
			if p := checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != nil {
				return p
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return perr(path, "want a string, got %s", jsonKind(v))
		}
	case reflect.Int:
		return checkNumber(v, path, "a whole number", func(n json.Number) error { _, err := n.Int64(); return err })
	case reflect.Float64:
		return checkNumber(v, path, "a number", func(n json.Number) error { _, err := n.Float64(); return err })
	default:
		return perr(path, "unsupported field type %s", t)
	}
	return nil
}

// checkNumber checks that v is a JSON number that parse takes; want names
// what is wanted.
func checkNumber(v any, path, want string, parse func(json.Number) error) *pathError {
	n, ok := v.(json.Number)
	if !ok {
		return perr(path, "want %s, got %s", want, jsonKind(v))
	}
	if parse(n) != nil {
		return perr(path, "want %s, got %s", want, n)
	}
	return nil
}

// sortedKeys is m's keys in order, so that what is checked first, and
// reported, does not change from run to run.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// fieldsByType caches jsonFields: checkShape asks for every object of a
// file, ten thousand times for a file of ten thousand vouchers.
var fieldsByType sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps a struct's JSON keys to their field types. The map is
// shared: callers must not change it.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldsByType.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = f.Type
	}
	fieldsByType.Store(t, fields)
	return fields
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}
