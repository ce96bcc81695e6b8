package journal

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzDecode holds the hand decoder to encoding/json: whenever it takes a
// line, encoding/json takes it too and reads the same from it, so that what
// a line means never depends on which of them read it.
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 1m ./journal/
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"time":"2026-12-01T10:00:00.123456789Z","orderId":"O-1","action":"attach","maskedBarcode":"AD......0111","type":"Ticket","outcome":"attempt"}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"AD......0111","type":"Ticket","voucherId":"V-1","outcome":"attached","availableRedemptions":2}` + "\n",
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"AD......0111","outcome":"rejected","errorKind":"rejected","message":"Voucher expired.\nSee manager \u003c\"desk\"\u003e"}`,
		`{"time":"2026-12-01T11:00:00+01:00","orderId":"O-1","action":"complete","maskedBarcode":"","outcome":"completed","message":"transaction 100001"}`,
		` { "time" : "2026-12-01T10:00:00Z" , "orderId" : "O-1" , "outcome" : "removed" , "voucherId" : "V-1" } ` + "\r\n",
		`{"orderId":"O-1","orderId":"O-2","voucherId":"V-1","outcome":"attached","outcome":"attempt"}`,
		`{"OrderId":"O-1","VOUCHERID":"V-1","outcome":"attached","Time":"2026-12-01T10:00:00Z"}`,
		`{"maſkedBarcode":"AD......0111","orderId":"O-1"}`,
		`{"orderId":null,"voucherId":"V-1","availableRedemptions":null,"time":null,"outcome":"attached"}`,
		`{"availableRedemptions":2.0}`, `{"availableRedemptions":1e2}`, `{"availableRedemptions":-0}`, `{"availableRedemptions":01}`,
		`{"availableRedemptions":99999999999999999999}`, `{"availableRedemptions":"two"}`, `{"availableRedemptions":true}`,
		`{"message":{"nested":1}}`, `{"message":[1,2]}`, `{"action":5}`, `{"message":"\x"}`, `{"message":"\u12"}`,
		`{"orderId":"\ud800"}`, "{\"orderId\":\"\xff\xfe\"}", "{\"message\":\"a\tb\"}", "{\"orderId\":\"é\"}",
		`{"time":"yesterday","orderId":"O-1"}`, `{"time":20261201}`, `{"time":"2026-12-01T10:00:00Z","orderId":"O-1"} trailing`,
		`{}`, `{ }`, `null`, `[]`, `"str"`, `{"orderId":"O-1",}`, `{"orderId":"O-1"`, `{"orderId" "O-1"}`, `{orderId:"O-1"}`, "", "\n",
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","pin":"1234","outcome":"attached"}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","availableRedemptions":-0}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","availableRedemptions":007}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","availableRedemptions":2.5}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","message":"x","errorKind":"y"}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","type":"Ticket","type":"Deal","outcome":"attached"}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached"}` + "\n\n",
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached"}}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"AD......0222","outcome":"blocked","errorKind":"rejected","message":"x","reason":"wrong_pin","httpStatus":400,"blockedUntil":"2026-12-01T10:01:00Z","server":"https://t.example","counter":"till-1","operator":"ann","version":"1.2.3","seq":12,"prev":"0123456789abcdef0123456789abcdef"}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","seq":007}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","seq":-1}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","httpStatus":0400}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","seq":18446744073709551616}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","voucherid":"V-1","outcome":"attached"}`,
		`{"time":"2026-12-01T10:00:00Z","orderId":"O-1","action":"attach","maskedBarcode":"","outcome":"attached","blockedUntil":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var want Entry
		wantErr := json.Unmarshal(line, &want)
		var fast Entry
		if fastEntry(line, &fast) && (wantErr != nil || !reflect.DeepEqual(fast, want)) {
			t.Fatalf("%q: hand decoder read %+v, encoding/json %+v (%v)", line, fast, want, wantErr)
		}
		if got, ok := decodeEntry(line); ok != (wantErr == nil) || ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: decodeEntry = %+v, %v; encoding/json %+v, %v", line, got, ok, want, wantErr)
		}

		var wantR restoredEntry
		wantRErr := json.Unmarshal(line, &wantR)
		var r restoreLine
		if fastRestoreLine(line, &r) && (wantRErr != nil || !sameRestored(r, wantR)) {
			t.Fatalf("%q: hand decoder read %+v, encoding/json %+v (%v)", line, r, wantR, wantRErr)
		}
		r = restoreLine{}
		if writtenRestoreLine(line, &r) && (wantRErr != nil || !sameRestored(r, wantR)) {
			t.Fatalf("%q: the written layout read %+v, encoding/json %+v (%v)", line, r, wantR, wantRErr)
		}
		if ok := decodeRestoreLine(line, &r); ok != (wantRErr == nil) || ok && !sameRestored(r, wantR) {
			t.Fatalf("%q: decodeRestoreLine = %+v, %v; encoding/json %+v, %v", line, r, ok, wantR, wantRErr)
		}

		var wantT struct {
			Time time.Time `json:"time"`
		}
		wantTErr := json.Unmarshal(line, &wantT)
		gotT, ok := decodeTime(line)
		if ok != (wantTErr == nil && !wantT.Time.IsZero()) || ok && !gotT.Equal(wantT.Time) {
			t.Fatalf("%q: decodeTime = %v, %v; encoding/json %v, %v", line, gotT, ok, wantT.Time, wantTErr)
		}
	})
}

func sameRestored(r restoreLine, e restoredEntry) bool {
	redemptions := e.AvailableRedemptions != nil
	return r.time.Equal(e.Time) && r.time.Location().String() == e.Time.Location().String() &&
		string(r.orderID) == e.OrderID && string(r.maskedBarcode) == e.MaskedBarcode && string(r.vtype) == e.VoucherType &&
		string(r.voucherID) == e.VoucherID && string(r.outcome) == e.Outcome &&
		r.hasRedemptions == redemptions && (!redemptions || r.redemptions == *e.AvailableRedemptions)
}

// The lines the journal writes itself never need encoding/json to read.
func TestWrittenLinesTakeTheFastPath(t *testing.T) {
	j := openTemp(t)
	for _, e := range []Entry{
		{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket", Outcome: OutcomeAttempt},
		{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket", VoucherID: "V-1", Outcome: OutcomeAttached, AvailableRedemptions: intPtr(0)},
		{OrderID: "O-1", Action: ActionComplete, Outcome: OutcomeCompleted, Message: "transaction 100001"},
		{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0222", Outcome: OutcomeRejected, ErrorKind: "rejected", Message: "Voucher expired."},
		{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0222", Outcome: OutcomeBlocked, ErrorKind: "rejected", Reason: "wrong_pin",
			HTTPStatus: 400, BlockedUntil: time.Now().Add(time.Minute), Server: "https://t.example", Counter: "till-1", Operator: "ann", Version: "1.2.3"},
	} {
		if err := j.Record(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, line := range readLines(t, j.Path()) {
		var e Entry
		var r restoreLine
		if !fastEntry([]byte(line+"\n"), &e) || !fastRestoreLine([]byte(line+"\n"), &r) || !writtenRestoreLine([]byte(line+"\n"), &r) {
			t.Errorf("%s goes to encoding/json", line)
		}
		if strings.Contains(line, "V-1") && !mayChangeState([]byte(line)) {
			t.Errorf("%s is passed over as an attempt", line)
		}
	}
}
