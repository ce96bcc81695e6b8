package validate_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/contract"
	"github.com/boxoffice/boxoffice/api/contract/validate"
	"github.com/boxoffice/boxoffice/api/mock"
)

// smallDocument is a document of one operation that uses most of what the
// validator reads; each case of TestLoadRefusesWhatItDoesNotCheck changes
// one thing in it.
const smallDocument = `{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}},
    "responses": {"Gone": {"description": "gone"}},
    "schemas": {
      "Thing": {"type": "object", "required": ["name"], "additionalProperties": false,
        "properties": {"name": {"type": "string", "minLength": 1}, "at": {"type": "string", "format": "date-time", "nullable": true}}}
    }
  },
  "paths": {
    "/things/{id}": {
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "put": {
        "operationId": "PutThing",
        "security": [{"bearer": []}],
        "parameters": [{"name": "dry", "in": "query", "schema": {"type": "boolean"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
          "410": {"$ref": "#/components/responses/Gone"},
          "default": {"description": "any"}
        }
      }
    }
  }
}`

// withChange is smallDocument with the value at a path of keys set, or
// removed when value is nil.
func withChange(t *testing.T, path string, value any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(smallDocument), &doc); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	node := doc
	for _, k := range keys[:len(keys)-1] {
		next, ok := node[k].(map[string]any)
		if !ok {
			t.Fatalf("no %s in the document", path)
		}
		node = next
	}
	if value == nil {
		delete(node, keys[len(keys)-1])
	} else {
		node[keys[len(keys)-1]] = value
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTheServedDocumentsLoad(t *testing.T) {
	for name, doc := range map[string][]byte{"contract": contract.Document, "served": mock.ServedDocument(), "small": []byte(smallDocument)} {
		if _, err := validate.New(doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A document that uses what the validator does not check is refused at
// load, naming the place, so that an edit of the contract cannot leave part
// of it unchecked.
func TestLoadRefusesWhatItDoesNotCheck(t *testing.T) {
	const thing = "components.schemas.Thing"
	const put = "paths./things/{id}.put"
	str := func(extra string, v any) map[string]any { return map[string]any{"type": "string", extra: v} }
	for _, tc := range []struct {
		name, path string
		value      any
		want       string
	}{
		{"a pattern", thing + ".properties.name", str("pattern", "^a"), `"pattern"`},
		{"a maxLength", thing + ".properties.name", str("maxLength", 3), `"maxLength"`},
		{"a not", thing + ".properties.name", map[string]any{"not": map[string]any{}}, `"not"`},
		{"writeOnly", thing + ".properties.name", str("writeOnly", true), `"writeOnly"`},
		{"exclusiveMinimum", thing + ".properties.name", map[string]any{"type": "number", "minimum": 1, "exclusiveMinimum": true}, `"exclusiveMinimum"`},
		{"uniqueItems", thing + ".properties.name", map[string]any{"type": "array", "items": map[string]any{}, "uniqueItems": true}, `"uniqueItems"`},
		{"an unknown format", thing + ".properties.name", str("format", "email"), "format"},
		{"int32 on a string", thing + ".properties.name", str("format", "int32"), "format"},
		{"an unknown type", thing + ".properties.name", map[string]any{"type": "null"}, `"type"`},
		{"an array without items", thing + ".properties.name", map[string]any{"type": "array"}, "without items"},
		{"a $ref with siblings", thing + ".properties.name", map[string]any{"$ref": "#/components/schemas/Thing", "nullable": true}, "$ref"},
		{"an external $ref", thing + ".properties.name", map[string]any{"$ref": "other.json#/Thing"}, "other.json"},
		{"a oneOf's discriminator without mapping", thing, map[string]any{"oneOf": []any{map[string]any{"$ref": "#/components/schemas/Thing"}}, "discriminator": map[string]any{"propertyName": "name"}}, "discriminator"},
		{"a schema that is its own part", thing, map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/Thing"}}}, "same value"},
		{"a cookie parameter", "components.parameters.Id", map[string]any{"name": "id", "in": "cookie", "schema": map[string]any{"type": "string"}}, `"cookie"`},
		{"a deepObject query", put + ".parameters", []any{map[string]any{"name": "q", "in": "query", "style": "deepObject", "schema": map[string]any{"type": "object"}}}, "style"},
		{"an unexploded query array", put + ".parameters", []any{map[string]any{"name": "q", "in": "query", "explode": false, "schema": map[string]any{"type": "array", "items": map[string]any{"type": "string"}}}}, "explode"},
		{"an object in a query", put + ".parameters", []any{map[string]any{"name": "q", "in": "query", "schema": map[string]any{"type": "object"}}}, "primitive"},
		{"allowEmptyValue", put + ".parameters", []any{map[string]any{"name": "q", "in": "query", "allowEmptyValue": true, "schema": map[string]any{"type": "string"}}}, `"allowEmptyValue"`},
		{"a parameter's content", put + ".parameters", []any{map[string]any{"name": "q", "in": "query", "content": map[string]any{}}}, `"content"`},
		{"a path parameter not in the path", put + ".parameters", []any{map[string]any{"name": "other", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}}, `"other"`},
		{"a path without its parameter", "paths./things/{id}.parameters", nil, "{id}"},
		{"response headers", "components.responses.Gone", map[string]any{"description": "gone", "headers": map[string]any{}}, `"headers"`},
		{"a range of statuses", put + ".responses.2XX", map[string]any{"description": "ok"}, "2XX"},
		{"an XML body", put + ".requestBody.content", map[string]any{"application/xml": map[string]any{}}, "application/xml"},
		{"an encoding", put + ".requestBody.content.application/json.encoding", map[string]any{}, `"encoding"`},
		{"callbacks", put + ".callbacks", map[string]any{}, `"callbacks"`},
		{"an undeclared security scheme", put + ".security", []any{map[string]any{"apiKey": []any{}}}, `"apiKey"`},
		{"OpenAPI 3.1", "openapi", "3.1.0", "3.1.0"},
		{"webhooks", "webhooks", map[string]any{}, `"webhooks"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := validate.New(withChange(t, tc.path, tc.value))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
}

func TestTheSmallDocumentIsChecked(t *testing.T) {
	v, err := validate.New([]byte(smallDocument))
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("PUT", "/things/t1?dry=maybe", nil)
	r.Header.Set("Content-Type", "application/json")
	got := ourFindings(v.Check(validate.Exchange{Request: r, RequestBody: []byte(`{"name":"","extra":1}`),
		Status: 410, Header: http.Header{}, ResponseBody: []byte("gone")}))
	want := []string{"request|minLength|body /name", "request|parameter|query dry", "request|properties|body"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %q, want %q", got, want)
	}
	// Any other status takes the default response, which has no content.
	if vs := v.Response(r, 299, http.Header{}, []byte("x")); len(vs) != 0 {
		t.Errorf("the default response: %v", vs)
	}
}
