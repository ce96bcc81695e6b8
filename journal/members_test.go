package journal

import (
	"fmt"
	"strings"
	"testing"
)

// readMembers is what members reads from a line: each member as
// key=kind:value, then "bad" or "whole".
func readMembers(line string) string {
	kinds := map[valueKind]string{plainString: "plain", wideString: "wide", escapedString: "escaped", integer: "int", null: "null"}
	var read []string
	m := members{b: []byte(line)}
	for m.next() {
		read = append(read, fmt.Sprintf("%s=%s:%s", m.key, kinds[m.kind], m.val))
	}
	if m.bad {
		return strings.Join(append(read, "bad"), " ")
	}
	return strings.Join(append(read, "whole"), " ")
}

// The hand decoder takes a line only as far as it is sure of it; what it
// reads, and where it gives up, decides which lines go to encoding/json.
func TestMembersReadsWhatItIsSureOf(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`{"a":"x","b":12,"c":null}`, `a=plain:x b=int:12 c=null: whole`},
		{" \t{ \"a\" : \"x\" ,\r\n\"b\" : -3 } \n", `a=plain:x b=int:-3 whole`},
		{`{}`, `whole`},
		{` { } `, `whole`},
		{`{} x`, `bad`},
		{`{"a":1} x`, `bad`},
		{`{"a":1}}`, `bad`},
		{`{"a":"é"}`, `a=wide:é whole`},
		{`{"a":"\"q\u00e9\""}`, `a=escaped:\"q\u00e9\" whole`},
		{`{"a":"\x"}`, `bad`},
		{`{"a":"\u12"}`, `bad`},
		{"{\"a\":\"tab\there\"}", `bad`},
		{`{"a":"open}`, `bad`},
		{`{"\u0061":1}`, `bad`},
		{`{"é":1}`, `é=int:1 whole`},
		{`{"a":0,"b":-0,"c":1234567890}`, `a=int:0 b=int:-0 c=int:1234567890 whole`},
		{`{"a":01}`, `bad`},
		{`{"a":-}`, `bad`},
		{`{"a":-x}`, `bad`},
		{`{"a":2.0}`, `bad`},
		{`{"a":1e2}`, `bad`},
		{`{"a":1E2}`, `bad`},
		{`{"a":99999999999999999999}`, `a=int:99999999999999999999 whole`},
		{`{"a":nul}`, `bad`},
		{`{"a":nullx}`, `bad`},
		{`{"a":true}`, `bad`},
		{`{"a":{"b":1}}`, `bad`},
		{`{"a":[1]}`, `bad`},
		{`{"a":1,}`, `a=int:1 bad`},
		{`{"a":1,"b":2`, `a=int:1 bad`},
		{`{"a":1 "b":2}`, `bad`},
		{`{"a" 1}`, `bad`},
		{`{"a":}`, `bad`},
		{`{"a":`, `bad`},
		{`{"a"`, `bad`},
		{`{a:1}`, `bad`},
		{`{`, `bad`},
		{`[]`, `bad`},
		{`null`, `bad`},
		{``, `bad`},
		{"\n", `bad`},
		{`{"a":1,"a":2}`, `a=int:1 a=int:2 whole`},
	} {
		if got := readMembers(tc.line); got != tc.want {
			t.Errorf("%q: read %s\nwant %s", tc.line, got, tc.want)
		}
	}
}

// BenchmarkDecode is what reading one line costs the hand decoder: a line
// as the journal writes it, read whole (decodeEntry, as journal read and
// verify do) and for its time alone (decodeTime, as a restore picks its
// files); and a line laid out otherwise (members spaced out, keys in
// another order), which a restore reads with fastRestoreLine.
func BenchmarkDecode(b *testing.B) {
	written := []byte(`{"time":"2026-12-01T10:00:00.123456789Z","orderId":"3f9c2a7be1d84c6f9a0b5e2d7c1f4a86","action":"attach",` +
		`"maskedBarcode":"AD......0111","type":"Ticket","voucherId":"aa53cc08f6dddae9930468e59ddfd3ec","outcome":"attached",` +
		`"availableRedemptions":3,"server":"https://t.example","counter":"till-1","operator":"ann","version":"1.2.3",` +
		`"seq":12,"prev":"0123456789abcdef0123456789abcdef"}` + "\n")
	other := []byte(`{ "orderId": "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86", "time": "2026-12-01T10:00:00.123456789Z", "action": "attach", ` +
		`"outcome": "attached", "maskedBarcode": "AD......0111", "type": "Ticket", "voucherId": "aa53cc08f6dddae9930468e59ddfd3ec", ` +
		`"availableRedemptions": 3, "message": null }` + "\n")
	b.Run("entry", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeEntry(written); !ok {
				b.Fatal("not read")
			}
		}
	})
	b.Run("time", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := decodeTime(written); !ok {
				b.Fatal("not read")
			}
		}
	})
	b.Run("restore/other-layout", func(b *testing.B) {
		b.ReportAllocs()
		var r restoreLine
		for b.Loop() {
			r = restoreLine{}
			if !fastRestoreLine(other, &r) {
				b.Fatal("not read")
			}
		}
	})
}
