package validate_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// jsonExchanges are the corpus's exchanges with a JSON body on the side
// they check, as the fuzz test's starting points.
func jsonExchanges(t testing.TB) []exchange {
	var out []exchange
	for _, x := range theCorpus(t) {
		if x.checkResponse && strings.Contains(x.answerHeader.Get("Content-Type"), "json") && json.Valid(x.answer) {
			x.checkRequest = false
			out = append(out, x)
		} else if x.checkRequest && strings.Contains(x.header.Get("Content-Type"), "json") && json.Valid(x.body) {
			x.checkResponse = false
			out = append(out, x)
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
