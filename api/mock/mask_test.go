package mock_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

func TestMaskJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`: `{"credentials":{"barcode":"AD......0111","pin":"****"}}`,
		`{"Credentials":{"BARCODE":"ADTMM0000111","PIN":1234}}`:   `{"Credentials":{"BARCODE":"AD......0111","PIN":"****"}}`,
		`{"pin":null,"x":["pin","barcode"]}`:                      `{"pin":null,"x":["pin","barcode"]}`,
		`{"access_token":"abc","expires_in":3600}`:                `{"access_token":"****","expires_in":3600}`,
		`{"barcode":"AD\u0054MM0000111"}`:                         `{"barcode":"AD......0111"}`,
		` { "pin" : 12 , "b" : { "password" : true } } `:          ` { "pin" : "****" , "b" : { "password" : "****" } } `,
		`[{"token":{"a":"b"}},"pin"]`:                             `[{"token":{"a":"****"}},"pin"]`,
	} {
		got, ok := mock.MaskJSON([]byte(in))
		if !ok || string(got) != want {
			t.Errorf("mask %s = %s (%v), want %s", in, got, ok, want)
		}
	}
	if _, ok := mock.MaskJSON([]byte(`{"pin":"1234"`)); ok {
		t.Error("a body that is not JSON was kept")
	}
}

// FuzzMaskJSON: whatever the body, a masked one is JSON of the same shape,
// and no value of a pin key survives.
func FuzzMaskJSON(f *testing.F) {
	f.Add(`{"type":"Ticket","credentials":{"barcode":"ADTMM0000111","pin":"1234"}}`)
	f.Add(`{"a":[1,{"pin":"9"}],"pin":[1]}`)
	f.Fuzz(func(t *testing.T, body string) {
		out, ok := mock.MaskJSON([]byte(body))
		if !ok {
			return
		}
		var before, after any
		if decode([]byte(body), &before) != nil {
			t.Fatalf("kept a body that is not JSON: %q", body)
		}
		if err := decode(out, &after); err != nil {
			t.Fatalf("masked %q into %q, not JSON: %v", body, out, err)
		}
		if reflect.TypeOf(before) != reflect.TypeOf(after) {
			t.Fatalf("masked %q into another shape %q", body, out)
		}
		checkPins(t, after)
	})
}

func checkPins(t *testing.T, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.EqualFold(k, "pin") && !allMasked(e) {
				t.Fatalf("a pin survived: %v", x)
			}
			checkPins(t, e)
		}
	case []any:
		for _, e := range x {
			checkPins(t, e)
		}
	}
}

// allMasked reports whether every value in v is "****" or null.
func allMasked(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == "****"
	case []any:
		for _, e := range x {
			if !allMasked(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !allMasked(e) {
				return false
			}
		}
		return true
	}
	return false
}

func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}
