package mock_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

var recordedAt = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func recordedRequest(method, path, body, contentType string) (*http.Request, []byte) {
	u, _ := url.Parse(path)
	r := &http.Request{Method: method, URL: u, Header: http.Header{}}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Authorization", "Bearer eyJ.secret-token-0123456789")
	return r, []byte(body)
}

// A recording holds no PIN, token, password or whole barcode: not where a
// key names them, and not where an answer repeats them in its words, its
// headers or a maskedBarcode a tenant forgot to mask.
func TestARecordingHoldsNoSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	rec, err := mock.NewRecorder(dir)
	if err != nil {
		t.Fatal(err)
	}
	add, addBody := recordedRequest("POST", "/ocapi/v1/orders/o1/vouchers?barcode=ADTMM0000111",
		`{"type":"Ticket","credentials":{"barcode":"ADTMM0000111","pin":"8642"}}`, "application/json")
	token, tokenBody := recordedRequest("POST", "/connect/token",
		"grant_type=password&client_id=counter&username=box1&password=hunter2-long-password", "application/x-www-form-urlencoded")
	read, _ := recordedRequest("GET", "/ocapi/v1/orders/o1", "", "")
	exchanges := []mock.RecordedExchange{
		{Seq: 1, Time: recordedAt, Request: add, RequestBody: addBody, Answered: true, Status: 400,
			Header:       http.Header{"Content-Type": {"application/json"}, "X-Echo": {"token eyJ.secret-token-0123456789"}},
			ResponseBody: []byte(`{"message":"Voucher ADTMM0000111 with PIN 8642 is not valid.","hint":"pin=8642;"}`), Operation: "OcapiOrderVouchers_AddVoucher"},
		{Seq: 2, Time: recordedAt, Request: token, RequestBody: tokenBody, Answered: true, Status: 200,
			Header:       http.Header{"Content-Type": {"application/json"}, "Set-Cookie": {"session=abc"}},
			ResponseBody: []byte(`{"access_token":"eyJ.issued-token-999999999","token_type":"Bearer","expires_in":43200}`)},
		{Seq: 3, Time: recordedAt, Request: read, Answered: true, Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
			ResponseBody: []byte(`{"order":{"id":"o1","vouchers":[{"id":"v1","maskedBarcode":"ADTMM0000111"}]}}`), Operation: "OcapiOrders_GetOrder"},
	}
	for _, x := range exchanges {
		if _, err := rec.Record(x); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 3 {
		t.Fatalf("%d files recorded, want 3", len(files))
	}
	var all strings.Builder
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		all.Write(raw)
		if info, _ := os.Stat(f); info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", f, info.Mode().Perm())
		}
	}
	text := all.String()
	for _, secret := range []string{"ADTMM0000111", "8642", "secret-token-0123456789", "hunter2", "issued-token", "session=abc"} {
		if strings.Contains(text, secret) {
			t.Errorf("the recording holds %q:\n%s", secret, text)
		}
	}
	for _, masked := range []string{`"barcode": "AD......0111"`, "Voucher AD......0111 with PIN **** is", `"maskedBarcode": "AD......0111"`,
		`"Authorization": "Bearer ****"`, "barcode=%2A%2A%2A%2A"} {
		if !strings.Contains(text, masked) {
			t.Errorf("the recording lacks %q:\n%s", masked, text)
		}
	}
	if _, err := mock.NewRecorder(dir); err == nil || !strings.Contains(err.Error(), "already holds a recording") {
		t.Errorf("a second recorder into the same folder: %v", err)
	}
}

func TestReplayAnswersAsRecorded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	rec, err := mock.NewRecorder(dir)
	if err != nil {
		t.Fatal(err)
	}
	json := http.Header{"Content-Type": {"application/json"}, "Retry-After": {"30"}}
	add, addBody := recordedRequest("POST", "/ocapi/v1/orders/o1/vouchers", `{"type":"Ticket","credentials":{"barcode":"ADTMM0000111"}}`, "application/json")
	read, _ := recordedRequest("GET", "/ocapi/v1/orders/o1", "", "")
	cancel, _ := recordedRequest("DELETE", "/ocapi/v1/orders/o1", "", "")
	for i, x := range []mock.RecordedExchange{
		{Request: add, RequestBody: addBody, Answered: true, Status: 200, Header: json, ResponseBody: []byte(`{"voucher":{"id":"v1"}}`)},
		{Request: add, RequestBody: addBody, Answered: true, Status: 200, Header: json, ResponseBody: []byte(`{"voucher":{"id":"v1"}}`)},
		{Request: add, RequestBody: addBody, Answered: true, Status: 429, Header: json, ResponseBody: []byte(`{"message":"slow"}`)},
		{Request: read, Answered: true, Status: 200, Header: json, ResponseBody: []byte(`{"order":{"id":"o1"}}`)},
		{Request: cancel, Answered: false, Status: 204},
	} {
		x.Seq, x.Time = uint64(i+1), recordedAt
		if _, err := rec.Record(x); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := mock.LoadRecording(dir)
	if err != nil {
		t.Fatal(err)
	}
	running, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{Replay: entries}))
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close(context.Background())
	call := func(method, path string) (int, string, string) {
		req, _ := http.NewRequest(method, running.URL+path, strings.NewReader(`{}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", "lost"
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Retry-After")
	}
	for i, want := range []struct {
		method, path string
		status       int
		body, header string
	}{
		{"POST", "/ocapi/v1/orders/o1/vouchers", 200, `{"voucher":{"id":"v1"}}`, "30"},
		{"POST", "/ocapi/v1/orders/o1/vouchers", 200, `{"voucher":{"id":"v1"}}`, "30"},
		{"POST", "/ocapi/v1/orders/o1/vouchers", 429, `{"message":"slow"}`, "30"},
		{"POST", "/ocapi/v1/orders/o1/vouchers", 501, "NotRecorded", ""},
		{"GET", "/ocapi/v1/orders/o1", 200, `{"order":{"id":"o1"}}`, "30"},
		{"GET", "/ocapi/v1/orders/o1", 200, `{"order":{"id":"o1"}}`, "30"},
		{"DELETE", "/ocapi/v1/orders/o1", 0, "", "lost"},
		{"GET", "/ocapi/v1/showtimes/0001-2681", 501, "NotRecorded", ""},
	} {
		status, body, header := call(want.method, want.path)
		if status != want.status || !strings.Contains(body, want.body) || header != want.header {
			t.Errorf("call %d, %s %s: %d %q (%s), want %d %q (%s)", i+1, want.method, want.path, status, body, header, want.status, want.body, want.header)
		}
	}
}

func TestLoadRecordingSaysWhatIsWrong(t *testing.T) {
	empty := t.TempDir()
	if _, err := mock.LoadRecording(empty); err == nil || !strings.Contains(err.Error(), "holds no recorded exchanges") {
		t.Errorf("an empty folder: %v", err)
	}
	if _, err := mock.LoadRecording(filepath.Join(empty, "missing")); err == nil {
		t.Error("a missing folder loaded")
	}
	os.WriteFile(filepath.Join(empty, "000001-x.json"), []byte(`{"seq":1}`), 0o600)
	if _, err := mock.LoadRecording(empty); err == nil || !strings.Contains(err.Error(), "no method or path") {
		t.Errorf("a file that is no exchange: %v", err)
	}
}

// BenchmarkRecordOrderRead is what recording an order read costs with the
// recorder remembering as many secrets as it keeps.
func BenchmarkRecordOrderRead(b *testing.B) {
	rec, err := mock.NewRecorder(filepath.Join(b.TempDir(), "rec"))
	if err != nil {
		b.Fatal(err)
	}
	var seq uint64
	for i := range 600 {
		add, body := recordedRequest("POST", "/ocapi/v1/orders/o1/vouchers", `{"type":"Ticket","credentials":{"barcode":"BENCH`+strings.Repeat("0", 6-len(itoa(i)))+itoa(i)+`","pin":"1234"}}`, "application/json")
		seq++
		rec.Record(mock.RecordedExchange{Seq: seq, Request: add, RequestBody: body, Answered: true, Status: 400})
	}
	read, _ := recordedRequest("GET", "/ocapi/v1/orders/o1", "", "")
	vouchers := strings.Repeat(`{"id":"0123456789abcdef0123456789abcdef","type":"Ticket","maskedBarcode":"BE......0001","voucherTypeCode":"ADTMM"},`, 20)
	order := []byte(`{"order":{"id":"o1","vouchers":[` + strings.TrimSuffix(vouchers, ",") + `]}}`)
	h := http.Header{"Content-Type": {"application/json"}}
	b.ReportAllocs()
	for b.Loop() {
		seq++
		if _, err := rec.Record(mock.RecordedExchange{Seq: seq, Request: read, Answered: true, Status: 200, Header: h, ResponseBody: order}); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
