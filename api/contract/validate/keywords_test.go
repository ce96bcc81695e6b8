package validate

import (
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/contract"
)

// usage counts what the served documents use: schema keywords, formats,
// media types and parameter locations and styles.
type usage map[string]int

func (u usage) schema(v any) {
	s, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, val := range s {
		u["keyword "+k]++
		switch k {
		case "format":
			u["format "+val.(string)]++
		case "properties":
			for _, p := range val.(map[string]any) {
				u.schema(p)
			}
		case "items", "additionalProperties":
			u.schema(val)
		case "allOf", "oneOf", "anyOf":
			for _, p := range val.([]any) {
				u.schema(p)
			}
		}
	}
}

func (u usage) parameter(p map[string]any) {
	if _, ref := p["$ref"]; ref {
		return // counted among the components
	}
	u["parameter in "+p["in"].(string)]++
	if style, ok := p["style"].(string); ok {
		u["parameter style "+style]++
	}
	u.schema(p["schema"])
}

func (u usage) content(v any) {
	for name, mt := range asMap(v) {
		u["media type "+name]++
		u.schema(asMap(mt)["schema"])
	}
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func (u usage) document(t *testing.T, raw []byte) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	components := asMap(doc["components"])
	for _, s := range asMap(components["schemas"]) {
		u.schema(s)
	}
	for _, p := range asMap(components["parameters"]) {
		u.parameter(asMap(p))
	}
	for _, r := range asMap(components["responses"]) {
		u.content(asMap(r)["content"])
	}
	for _, item := range asMap(doc["paths"]) {
		for method, op := range asMap(item) {
			if method == "parameters" {
				for _, p := range op.([]any) {
					u.parameter(asMap(p))
				}
				continue
			}
			for _, p := range asSlice(asMap(op)["parameters"]) {
				u.parameter(asMap(p))
			}
			u.content(asMap(asMap(op)["requestBody"])["content"])
			for _, r := range asMap(asMap(op)["responses"]) {
				u.content(asMap(r)["content"])
			}
		}
	}
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// The validator implements what the documents it serves use, and nothing
// they do not: its keywords, formats and media types are exactly theirs.
// With -v this lists what they use, and how often.
func TestTheValidatorImplementsWhatTheDocumentsUse(t *testing.T) {
	admin, err := os.ReadFile("../../mock/admin.openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	u := usage{}
	u.document(t, contract.Document)
	u.document(t, admin)
	for _, k := range slices.Sorted(maps.Keys(u)) {
		t.Logf("%5d  %s", u[k], k)
	}
	used := func(prefix string) []string {
		var out []string
		for k := range u {
			if name, ok := strings.CutPrefix(k, prefix); ok && !strings.HasPrefix(name, "x-") && !slices.Contains(schemaAnnotations, name) && name != "$ref" {
				out = append(out, name)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		what        string
		used, known []string
	}{
		{"schema keywords", used("keyword "), schemaKeywords},
		{"formats", used("format "), slices.Concat(checkedFormats, annotationFormats)},
		{"media types", used("media type "), supportedMediaType},
		{"parameter locations", used("parameter in "), []string{"header", "path", "query"}},
	} {
		known := slices.Sorted(slices.Values(tc.known))
		if !slices.Equal(tc.used, known) {
			t.Errorf("%s: the documents use %q, the validator implements %q", tc.what, tc.used, known)
		}
	}
}
