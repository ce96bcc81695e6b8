package api

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeOrderResponse feeds arbitrary bytes through the decoding an
// order answer goes through, and through what AttachVoucher does with the
// result: none of it may panic, whatever a server sends.
func FuzzDecodeOrderResponse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"order":{"id":"x","expiresAt":"2024-01-30T02:46:16.7543072+00:00","vouchers":[{"id":null,"type":null,"maskedBarcode":"\u0000"}]}}`))
	f.Add([]byte(`{"order":{"expiresAt":"9999-12-31T23:59:59.9999999999-23:59"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp OrderResponse
		if err := decodeBody(&call{op: "get order", method: http.MethodGet}, http.StatusOK, body, &resp); err != nil {
			if err.Kind != KindUnreadable {
				t.Fatalf("decode failure of kind %v, want unreadable_answer", err.Kind)
			}
			return
		}
		_ = requireOrder(&call{op: "get order", method: http.MethodGet}, &resp)
		var knownIDs []string
		for i, v := range resp.Order.Vouchers {
			if i%2 == 0 {
				knownIDs = append(knownIDs, v.ID)
			}
		}
		for _, barcode := range []string{"ADTMM0000111", "", "é", "0111"} {
			for _, pin := range []*string{nil, ptr("1234")} {
				a := &attachment{req: AddVoucherRequest{Type: VoucherTicket, Credentials: VoucherCredentials{Barcode: barcode, Pin: pin}},
					p: AttachPolicy{KnownVoucherIDs: knownIDs, RepeatsRefused: true}, c: &Client{}, mayHaveLanded: pin == nil}
				if v, lookAlikes := a.judge(&resp.Order); (v == found || v == matched || v == undecided) && len(lookAlikes) == 0 {
					t.Fatalf("verdict %v without a look-alike", v)
				}
			}
		}
		hasVoucher(&resp.Order, "x")
		if _, err := json.Marshal(resp); err != nil {
			t.Fatalf("a decoded order does not encode again: %v", err)
		}
		_, _ = errorText(body, []secret{{value: "1", mask: "*"}})
		_ = blockedUntil(body, nil, resp.Order.ExpiresAt.Time)
	})
}
