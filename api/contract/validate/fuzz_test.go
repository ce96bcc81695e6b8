package validate_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// jsonExchanges are the corpus's exchanges with a JSON body on the side
// they check, as the fuzz test's starting points.
func jsonExchanges(t testing.TB) []exchange {
	var out []exchange
	for _, x := range theCorpus(t) {
		if x.checkResponse && strings.Contains(x.answerHeader.Get("Content-Type"), "json") && json.Valid(x.answer) {
			answer := x
			answer.checkRequest = false
			out = append(out, answer)
		}
		if x.checkRequest && strings.Contains(x.header.Get("Content-Type"), "json") && json.Valid(x.body) {
			request := x
			request.checkResponse = false
			out = append(out, request)
		}
	}
	return out
}

// FuzzValidateAgreesWithKinOpenAPI puts a fuzzed JSON value at a fuzzed
// node of a body of the corpus (or, when the fuzz is not JSON, sends it as
// the body) and requires both validators to find the same faults.
func FuzzValidateAgreesWithKinOpenAPI(f *testing.F) {
	ours, kin := served(f)
	xs := jsonExchanges(f)
	for i, fragment := range []string{`null`, `"Bogus"`, `1.5`, `-7`, `3000000000`, `{}`, `[]`, `[{"x":null}]`,
		`"2026-02-29T24:00:00Z"`, `{"type":"Deal"}`, `true`, `{`, ``, `"2026-11-28"`, `1e400`, `{"zzUndeclared":1}`} {
		f.Add(uint16(i*7), uint16(i*13), []byte(fragment))
	}
	f.Fuzz(func(t *testing.T, which, at uint16, fragment []byte) {
		x := xs[int(which)%len(xs)]
		body := &x.body
		if x.checkResponse {
			body = &x.answer
		}
		if json.Valid(fragment) {
			doc := decodeNumbers(t, *body)
			paths := nodePaths(doc, nil, false)
			*body = encode(t, replaceAt(doc, paths[int(at)%len(paths)], decodeNumbers(t, fragment), false))
		} else {
			if moreAfterValue(fragment) {
				t.Skip("kin-openapi reads the first JSON value and ignores the rest; the validator refuses such a body (TestMoreAfterTheJSONValueIsNotJSON)")
			}
			*body = fragment
		}
		x.name = "fuzzed " + x.name
		compare(t, ours, kin, &x)
	})
}

// moreAfterValue reports whether b starts with a JSON value and goes on
// after it.
func moreAfterValue(b []byte) bool {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return false
	}
	return len(bytes.TrimLeft(b[d.InputOffset():], " \t\r\n")) > 0
}

// FuzzValidateQueryAgreesWithKinOpenAPI sends the corpus's requests with a
// fuzzed query string and a fuzzed last path segment.
func FuzzValidateQueryAgreesWithKinOpenAPI(f *testing.F) {
	ours, kin := served(f)
	var xs []exchange
	for _, x := range theCorpus(f) {
		if x.checkRequest {
			x.checkResponse = false
			xs = append(xs, x)
		}
	}
	for i, query := range []string{"", "orders=0", "vouchers=al&limit=-1", "siteIds=&siteIds=2", "preview=yes", "limit=1e3&limit=", "%zz=1&orders=+1"} {
		f.Add(uint16(i*5), query, "")
	}
	f.Add(uint16(3), "", "0")
	f.Fuzz(func(t *testing.T, which uint16, query, segment string) {
		x := xs[int(which)%len(xs)]
		path, _, _ := strings.Cut(x.target, "?")
		if segment != "" {
			path = path[:strings.LastIndex(path, "/")+1] + url.PathEscape(segment)
		}
		x.target = path + "?" + query
		if _, err := url.ParseRequestURI(x.target); err != nil || strings.ContainsFunc(x.target, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) {
			t.Skip("not a request target")
		}
		x.name = "fuzzed " + x.name
		compare(t, ours, kin, &x)
	})
}
