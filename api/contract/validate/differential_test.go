package validate_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/boxoffice/boxoffice/api/contract/validate"
	"github.com/boxoffice/boxoffice/api/mock"
)

// The differential tests hold the validator to kin-openapi over the
// document the mock serves (the contract and the admin API): every example
// of the documents, every sample of the client, the mock's own answers to
// every call under each profile, and mutants of all of them.
//
// Two differences are deliberate, and tested on their own instead: a JSON
// body with more after its value is not JSON to the validator, where
// kin-openapi reads the first value and ignores the rest; and a
// text/event-stream body is text to it, where kin-openapi has no decoder for
// it and calls every such body broken. The event stream is therefore left
// out of the corpus.

var (
	servedOnce   sync.Once
	servedOurs   *validate.Validator
	servedOracle *oracle
	corpusOnce   sync.Once
	corpus       []exchange
)

func served(t testing.TB) (*validate.Validator, *oracle) {
	t.Helper()
	servedOnce.Do(func() {
		v, err := validate.New(mock.ServedDocument())
		if err != nil {
			t.Fatal(err)
		}
		servedOurs, servedOracle = v, newOracle(t, mock.ServedDocument())
	})
	if servedOurs == nil {
		t.Fatal("the served document did not load")
	}
	return servedOurs, servedOracle
}

// theCorpus is every exchange the differential tests start from.
func theCorpus(t testing.TB) []exchange {
	_, kin := served(t)
	corpusOnce.Do(func() { corpus = slices.Concat(mockExchanges(t), sampleExchanges(t), exampleExchanges(t, kin.doc)) })
	return corpus
}

func TestAgreesWithKinOpenAPIOnTheCorpus(t *testing.T) {
	ours, kin := served(t)
	xs := theCorpus(t)
	answered := map[string]bool{}
	for i := range xs {
		compare(t, ours, kin, &xs[i])
		if op, _ := ours.Routes().Find(xs[i].method, strings.Split(xs[i].target, "?")[0]); op != nil && xs[i].status < 300 && xs[i].answerHeader != nil {
			answered[op.Name()] = true
		}
	}
	for _, op := range ours.Routes().Operations() {
		if !answered[op.Name()] && op.ID != "MockAdmin_Events" {
			t.Errorf("the corpus has no successful answer of %s: add a call of it to the mock's session", op.Name())
		}
	}
}

// TestAgreesWithKinOpenAPIOnMutatedBodies mutates every node of every JSON
// body of the corpus (the first item of an array stands for the others):
// removed, set to null, to values of every other type, to strings that are
// no date, no date-time and no enum's value, to numbers out of int32's and
// float64's ranges and below every minimum; and every object gets a
// property no schema declares. A mutation is tried once per operation,
// side, status and place.
func TestAgreesWithKinOpenAPIOnMutatedBodies(t *testing.T) {
	ours, kin := served(t)
	xs := theCorpus(t)
	tried := map[string]bool{}
	mutants, invalid := 0, 0
	for i := range xs {
		for _, response := range []bool{false, true} {
			x := xs[i]
			body, contentType := x.body, x.header.Get("Content-Type")
			if response {
				body, contentType = x.answer, x.answerHeader.Get("Content-Type")
			}
			if (response && !x.checkResponse) || (!response && !x.checkRequest) || !strings.Contains(contentType, "json") || len(body) == 0 {
				continue
			}
			op, _ := ours.Routes().Find(x.method, strings.Split(x.target, "?")[0])
			for _, m := range bodyMutants(t, body, true) {
				key := op.Key() + "|" + strconv.FormatBool(response) + "|" + strconv.Itoa(x.status) + "|" + m.label
				if tried[key] {
					continue
				}
				tried[key] = true
				mx := x
				mx.name = x.name + " with " + m.label
				mx.checkRequest, mx.checkResponse = !response, response
				if response {
					mx.answer = m.body()
				} else {
					mx.body = m.body()
				}
				mutants++
				if compare(t, ours, kin, &mx) > 0 {
					invalid++
				}
			}
		}
	}
	t.Logf("%d mutants, %d of them invalid", mutants, invalid)
	if mutants < 2000 || invalid < mutants/3 {
		t.Errorf("%d mutants, %d invalid: the corpus or the mutations shrank", mutants, invalid)
	}
}

// mutant is a mutation of a body, made when it is asked for.
type mutant struct {
	label string
	body  func() []byte
}

// replacements are the values a mutation puts in place of a node.
var replacements = []struct {
	label string
	value any
}{
	{"null", nil}, {"a word", "Bogus"}, {"an empty string", ""}, {"a day no month has", "2026-02-30"},
	{"a date-time without its zone", "2026-11-28T09:00:00"}, {"a date", "2026-11-28"}, {"a fraction", json.Number("1.5")},
	{"an integer", json.Number("7")}, {"zero", json.Number("0")}, {"a negative number", json.Number("-1")},
	{"a number beyond int32", json.Number("3000000000")}, {"a number beyond float64", json.Number("1e400")},
	{"true", true}, {"an empty array", []any{}}, {"an array of a word", []any{"x"}}, {"an empty object", map[string]any{}},
}

// bodyMutants are a JSON body's mutants; firstItems keeps only the first
// item of each array, which stands for the others.
func bodyMutants(t testing.TB, body []byte, firstItems bool) []mutant {
	doc := decodeNumbers(t, body)
	if firstItems {
		doc = firstItemsOnly(doc)
	}
	var out []mutant
	for _, path := range nodePaths(doc, nil, firstItems) {
		where := "/" + strings.Join(path, "/")
		if len(path) > 0 {
			if _, inObject := parentOf(doc, path).(map[string]any); inObject {
				out = append(out, mutant{where + " removed", func() []byte { return encode(t, replaceAt(doc, path, nil, true)) }})
			}
		}
		for _, r := range replacements {
			out = append(out, mutant{where + " = " + r.label, func() []byte { return encode(t, replaceAt(doc, path, r.value, false)) }})
		}
		if _, isObject := valueAt(doc, path).(map[string]any); isObject {
			extra := append(slices.Clone(path), "zzUndeclared")
			out = append(out, mutant{where + " with an undeclared property", func() []byte { return encode(t, replaceAt(doc, extra, json.Number("1"), false)) }})
		}
	}
	return out
}

func firstItemsOnly(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = firstItemsOnly(e)
		}
		return out
	case []any:
		if len(v) > 1 {
			v = v[:1]
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = firstItemsOnly(e)
		}
		return out
	}
	return v
}

func decodeNumbers(t testing.TB, b []byte) any {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	return v
}

func encode(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// nodePaths lists the paths of every node of v, the root first.
func nodePaths(v any, at []string, firstItems bool) [][]string {
	out := [][]string{at}
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, nodePaths(v[k], append(slices.Clone(at), k), firstItems)...)
		}
	case []any:
		for i, item := range v {
			if firstItems && i > 0 {
				break
			}
			out = append(out, nodePaths(item, append(slices.Clone(at), strconv.Itoa(i)), firstItems)...)
		}
	}
	return out
}

func valueAt(v any, path []string) any {
	for _, k := range path {
		switch c := v.(type) {
		case map[string]any:
			v = c[k]
		case []any:
			i, _ := strconv.Atoi(k)
			v = c[i]
		}
	}
	return v
}

func parentOf(v any, path []string) any { return valueAt(v, path[:len(path)-1]) }

// replaceAt is a copy of v with the node at path set to value, or removed.
func replaceAt(v any, path []string, value any, remove bool) any {
	if len(path) == 0 {
		return value
	}
	switch c := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(c)+1)
		for k, e := range c {
			out[k] = e
		}
		if remove && len(path) == 1 {
			delete(out, path[0])
			return out
		}
		out[path[0]] = replaceAt(c[path[0]], path[1:], value, remove)
		return out
	case []any:
		out := slices.Clone(c)
		i, _ := strconv.Atoi(path[0])
		out[i] = replaceAt(c[i], path[1:], value, remove)
		return out
	}
	return v
}

// TestAgreesWithKinOpenAPIOnMutatedRequests changes what is not a body:
// parameters in the query, the path and the headers, the media types of
// both sides, the status, and bodies that are missing or not JSON.
func TestAgreesWithKinOpenAPIOnMutatedRequests(t *testing.T) {
	ours, kin := served(t)
	tried := map[string]bool{}
	for _, x := range theCorpus(t) {
		op, _ := ours.Routes().Find(x.method, strings.Split(x.target, "?")[0])
		for _, mx := range exchangeMutants(x, kin) {
			key := op.Key() + "|" + strconv.Itoa(x.status) + "|" + mx.name
			if tried[key] {
				continue
			}
			tried[key] = true
			mx.name = x.name + ": " + mx.name
			compare(t, ours, kin, &mx)
		}
	}
	t.Logf("%d mutants", len(tried))
	if len(tried) < 300 {
		t.Errorf("only %d mutants", len(tried))
	}
}

var (
	parameterValues = []string{"", "abc", "0", "-1", "1.5", "+4", "true", "all", "none", "2026-11-28", "1e400"}
	requestTypes    = []string{"", "text/plain", "APPLICATION/JSON", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "application/problem+json"}
	answerTypes     = []string{"", "text/html", "application/problem+json", "Application/Json"}
)

// exchangeMutants are an exchange changed in one place each, named by it.
func exchangeMutants(x exchange, kin *oracle) []exchange {
	var out []exchange
	with := func(name string, change func(m *exchange)) {
		m := x
		m.name, m.header, m.answerHeader = name, x.header.Clone(), x.answerHeader.Clone()
		if m.header == nil {
			m.header = http.Header{}
		}
		change(&m)
		out = append(out, m)
	}
	route, _ := kin.route(x.request())
	if route == nil {
		return nil
	}
	path, rawQuery, _ := strings.Cut(x.target, "?")
	for _, p := range slices.Concat(route.PathItem.Parameters, route.Operation.Parameters) {
		name, in := p.Value.Name, p.Value.In
		for _, value := range parameterValues {
			switch in {
			case "query":
				q, _ := url.ParseQuery(rawQuery)
				q.Set(name, value)
				with(in+" "+name+"="+value, func(m *exchange) { m.target = path + "?" + q.Encode() })
				q.Del(name)
				q.Add(name, "")
				q.Add(name, value)
				with(in+" "+name+"=,"+value, func(m *exchange) { m.target = path + "?" + q.Encode() })
				q.Del(name)
				with(in+" "+name+" left out", func(m *exchange) { m.target = path + "?" + q.Encode() })
			case "path":
				if value != "" {
					with(in+" "+name+"="+value, func(m *exchange) {
						m.target = strings.Replace(x.target, "/"+pathValue(x, route.Path, name), "/"+url.PathEscape(value), 1)
					})
				}
			case "header":
				with(in+" "+name+"="+value, func(m *exchange) { m.header.Set(name, value) })
			}
		}
	}
	if x.checkRequest {
		for _, ct := range requestTypes {
			with("request Content-Type "+ct, func(m *exchange) { m.header.Set("Content-Type", ct) })
		}
		for _, body := range []string{"", "{", "nope", "[]", "null", `"x"`, "7"} {
			with("request body "+body, func(m *exchange) { m.body = []byte(body) })
		}
	}
	if x.checkResponse {
		for _, ct := range answerTypes {
			with("answer Content-Type "+ct, func(m *exchange) { m.answerHeader.Set("Content-Type", ct) })
		}
		for _, status := range []int{200, 201, 204, 301, 304, 400, 404, 418, 503} {
			with("status "+strconv.Itoa(status), func(m *exchange) { m.status = status })
		}
		for _, body := range []string{"", "{", "nope", "[]", "null"} {
			with("answer body "+body, func(m *exchange) { m.answer = []byte(body) })
		}
		with("a HEAD", func(m *exchange) { m.method, m.status, m.answer = "HEAD", 418, nil })
	}
	return out
}

// pathValue is the value the exchange's path gives a path parameter.
func pathValue(x exchange, template, name string) string {
	path, _, _ := strings.Cut(x.target, "?")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range strings.Split(strings.Trim(template, "/"), "/") {
		if s == "{"+name+"}" && i < len(segs) {
			return segs[i]
		}
	}
	return ""
}
