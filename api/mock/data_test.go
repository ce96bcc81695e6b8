package mock_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
)

func TestDefaultDataIsRich(t *testing.T) {
	d := mock.DefaultData()
	if len(d.Sites) < 2 {
		t.Errorf("sites = %d, want a second site", len(d.Sites))
	}
	if got := d.Orders[0].ID; got != "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86" {
		t.Errorf("first order = %q", got)
	}
	first := d.Orders[0]
	if first.SiteID != "0001" || len(first.Showtimes) == 0 || first.Showtimes[0].ShowtimeID != "0001-2681" {
		t.Errorf("first order must hold showtime 0001-2681 at site 0001: %+v", first)
	}

	example, err := mock.LoadData(filepath.Join("testdata", "demo-data.example.json"))
	if err != nil {
		t.Fatal(err)
	}
	byBarcode := map[string]mock.Voucher{}
	for _, v := range d.Vouchers {
		byBarcode[v.Barcode] = v
	}
	for _, want := range example.Vouchers {
		got, ok := byBarcode[want.Barcode]
		if !ok {
			t.Errorf("seed lacks the example's voucher %s", want.Barcode)
			continue
		}
		if fmt.Sprint(got.Pin == nil, pinOf(got), got.Type, got.VoucherTypeCode, got.Description, got.Redemptions, got.ExpiresAt) !=
			fmt.Sprint(want.Pin == nil, pinOf(want), want.Type, want.VoucherTypeCode, want.Description, want.Redemptions, want.ExpiresAt) {
			t.Errorf("seed voucher %s = %+v, want the example's %+v", want.Barcode, got, want)
		}
	}
	for _, want := range example.Showtimes {
		found := false
		for _, got := range d.Showtimes {
			found = found || (got.ID == want.ID && got.StartsAt == want.StartsAt && got.FilmID == want.FilmID)
		}
		if !found {
			t.Errorf("seed lacks the example's showtime %s", want.ID)
		}
	}

	pinless := 0
	for i := 1001; i <= 1040; i++ {
		v, ok := byBarcode[fmt.Sprintf("ADTMM%07d", i)]
		if ok && v.Pin == nil && v.Type == "Ticket" && v.VoucherTypeCode == "ADTMM" && v.Redemptions > 0 && v.ExpiresAt == "" {
			pinless++
		}
	}
	if pinless != 40 {
		t.Errorf("ADTMM0001001..ADTMM0001040 usable PIN-less vouchers = %d, want 40", pinless)
	}
	kinds := map[string]bool{}
	for _, v := range d.Vouchers {
		kinds[v.Type] = true
	}
	if len(kinds) != 3 {
		t.Errorf("voucher types in seed = %v, want all three", kinds)
	}
	dates := map[string]int{}
	for _, st := range d.Showtimes {
		dates[st.StartsAt[:10]]++
	}
	if dates["2026-11-28"] < 3 || dates["2026-11-29"] < 3 {
		t.Errorf("showtimes per date = %v, want several on 2026-11-28 and 2026-11-29", dates)
	}
}

func pinOf(v mock.Voucher) string {
	if v.Pin == nil {
		return ""
	}
	return *v.Pin
}

// DefaultData decodes the seed without ParseData's shape walk, so the seed
// itself must pass it: no unknown key, no null, no wrong JSON type, and the
// same data either way.
func TestSeedPassesParseData(t *testing.T) {
	strict, err := mock.ParseData("seed.json", mock.SeedJSON)
	if err != nil {
		t.Fatal(err)
	}
	if got := mock.DefaultData(); !reflect.DeepEqual(got, strict) {
		t.Errorf("DefaultData differs from ParseData of the seed:\n%+v\nwant\n%+v", got, strict)
	}
}

func TestDefaultDataIsFresh(t *testing.T) {
	a := mock.DefaultData()
	a.Vouchers[0].Redemptions = 99
	if b := mock.DefaultData(); b.Vouchers[0].Redemptions == 99 {
		t.Fatal("DefaultData shares state between calls")
	}
}

func TestLoadDataNamesTheFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.json")
	_, err := mock.LoadData(missing)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("err = %v, want it to name %s", err, missing)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"vouchers": [], "extra": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = mock.LoadData(bad)
	if err == nil || !strings.HasPrefix(err.Error(), bad+": $: unknown key \"extra\"") {
		t.Fatalf("err = %v", err)
	}
}

const validBase = `{
  "sites": [{"id": "0001", "name": "Riverside"}],
  "films": [{"id": "F1", "title": "Film"}],
  "screens": [{"id": "S1", "name": "Screen 1"}],
  "ticketTypes": [
    {"id": "T1", "description": "Adult", "price": 19.5, "tax": 3.26},
    {"id": "T2", "description": "Adult Movie Money", "price": 0, "tax": 0, "voucherTypeCodes": ["ADTMM"]}
  ],
  "showtimes": [{"id": "ST1", "siteId": "0001", "filmId": "F1", "screenId": "S1",
    "startsAt": "2026-11-28T19:30:00+13:00", "endsAt": "2026-11-28T21:45:00+13:00", "ticketTypeIds": ["T1", "T2"]}],
  "orders": [{"id": "o1", "siteId": "0001", "bookingMode": "paid", "expiresInSeconds": 60,
    "showtimes": [{"showtimeId": "ST1", "tickets": [{"ticketTypeId": "T1"}]}]}],
  "vouchers": [
    {"barcode": "ADTMM0000111", "pin": "1234", "type": "Ticket", "voucherTypeCode": "ADTMM", "description": "AMM", "redemptions": 2},
    {"barcode": "9300000000017", "type": "deal", "voucherTypeCode": "POPSM", "description": "Popcorn", "redemptions": 1, "expiresAt": "2027-01-01T00:00:00Z"}
  ],
  "limits": {"pinAttempts": 5},
  "auth": {"tokens": ["t"], "users": [{"username": "u", "password": "p"}], "tokenLifetimeSeconds": 60},
  "regions": ["NZ"]
}`

func TestParseDataAcceptsTheFullFormat(t *testing.T) {
	d, err := mock.ParseData("demo.json", []byte(validBase))
	if err != nil {
		t.Fatal(err)
	}
	if d.Auth == nil || d.Auth.TokenLifetimeSeconds != 60 || len(d.Regions) != 1 || d.Limits.PinAttempts != 5 {
		t.Fatalf("decoded %+v", d)
	}
}

func TestParseDataErrors(t *testing.T) {
	tests := []struct {
		name string
		// edit turns validBase into the broken file.
		old, new string
		want     string
	}{
		{"restricted price without a restriction", `"price": 19.5, "tax": 3.26}`, `"price": 19.5, "tax": 3.26, "restrictedPrices": [{"price": 15, "tax": 1, "restrictions": []}]}`,
			`demo.json: $.ticketTypes[0].restrictedPrices[0].restrictions: must name at least one restriction`},
		{"restricted price taxed above itself", `"price": 19.5, "tax": 3.26}`, `"price": 19.5, "tax": 3.26, "restrictedPrices": [{"price": 15, "tax": 16, "restrictions": ["Member"]}]}`,
			`demo.json: $.ticketTypes[0].restrictedPrices[0].tax: must be from 0 to the price (15)`},
		{"unknown top-level key", `"regions": ["NZ"]`, `"regions": ["NZ"], "vouchrs": []`, `demo.json: $: unknown key "vouchrs"`},
		{"unknown nested key", `"redemptions": 2}`, `"redemptions": 2, "pn": "1"}`, `demo.json: $.vouchers[0]: unknown key "pn"`},
		{"string for a number", `"redemptions": 2}`, `"redemptions": "2"}`, `demo.json: $.vouchers[0].redemptions: want a whole number, got a string`},
		{"fraction for a whole number", `"redemptions": 2}`, `"redemptions": 2.5}`, `demo.json: $.vouchers[0].redemptions: want a whole number, got 2.5`},
		{"number for a string", `"pin": "1234"`, `"pin": 1234`, `demo.json: $.vouchers[0].pin: want a string, got a number`},
		{"object for a list", `"regions": ["NZ"]`, `"regions": {"NZ": true}`, `demo.json: $.regions: want a list, got an object`},
		{"null for a string", `"name": "Riverside"`, `"name": null`, `demo.json: $.sites[0].name: must not be null`},
		{"bad voucher type", `"type": "deal"`, `"type": "Coupon"`, `demo.json: $.vouchers[1].type: "Coupon" is not a voucher type`},
		{"negative redemptions", `"redemptions": 2}`, `"redemptions": -1}`, `demo.json: $.vouchers[0].redemptions: must not be negative`},
		{"bad expiry time", `"2027-01-01T00:00:00Z"`, `"2027-01-01"`, `demo.json: $.vouchers[1].expiresAt: "2027-01-01" is not an RFC 3339`},
		{"showtime time without offset", `"startsAt": "2026-11-28T19:30:00+13:00"`, `"startsAt": "2026-11-28T19:30:00"`, `demo.json: $.showtimes[0].startsAt:`},
		{"empty pin", `"pin": "1234"`, `"pin": ""`, `demo.json: $.vouchers[0].pin: must not be empty`},
		{"duplicate barcode", `"barcode": "9300000000017"`, `"barcode": "ADTMM0000111"`, `demo.json: $.vouchers[1].barcode: duplicate barcode AD......0111`},
		{"showtime names unknown site", `"siteId": "0001", "filmId"`, `"siteId": "0009", "filmId"`, `demo.json: $.showtimes[0].siteId: no site has id "0009"`},
		{"showtime names unknown film", `"filmId": "F1"`, `"filmId": "F9"`, `demo.json: $.showtimes[0].filmId: no film has id "F9"`},
		{"showtime names unknown screen", `"screenId": "S1"`, `"screenId": "S9"`, `demo.json: $.showtimes[0].screenId: no screen has id "S9"`},
		{"showtime names unknown ticket type", `"ticketTypeIds": ["T1", "T2"]`, `"ticketTypeIds": ["T1", "T3"]`, `demo.json: $.showtimes[0].ticketTypeIds[1]: no ticket type has id "T3"`},
		{"order names unknown site", `"id": "o1", "siteId": "0001"`, `"id": "o1", "siteId": "0002"`, `demo.json: $.orders[0].siteId: no site has id "0002"`},
		{"order names unknown showtime", `[{"showtimeId": "ST1"`, `[{"showtimeId": "ST9"`, `demo.json: $.orders[0].showtimes[0].showtimeId: no showtime has id "ST9"`},
		{"order ticket type not sold", `"tickets": [{"ticketTypeId": "T1"}]`, `"tickets": [{"ticketTypeId": "T9"}]`, `demo.json: $.orders[0].showtimes[0].tickets[0].ticketTypeId: ticket type "T9" is not sold`},
		{"bad booking mode", `"bookingMode": "paid"`, `"bookingMode": "Free"`, `demo.json: $.orders[0].bookingMode: "Free" is not a booking mode`},
		{"duplicate site", `[{"id": "0001", "name": "Riverside"}]`, `[{"id": "0001", "name": "Riverside"}, {"id": "0001", "name": "Again"}]`, `demo.json: $.sites[1].id: duplicate site id "0001"`},
		{"negative limit", `"pinAttempts": 5`, `"pinAttempts": -5`, `demo.json: $.limits.pinAttempts: must not be negative`},
		{"missing vouchers", `"vouchers": [`, `"vouchersX": [`, `demo.json: $: unknown key "vouchersX"`},
		{"tax above price", `"price": 19.5, "tax": 3.26`, `"price": 19.5, "tax": 30`, `demo.json: $.ticketTypes[0].tax: must be from 0`},
		{"syntax error", `"limits": {`, `"limits": {,`, `demo.json: line 17: not valid JSON`},
		{"trailing data", `"regions": ["NZ"]
}`, `"regions": ["NZ"]
} {}`, `demo.json: line 20: unexpected data after the top-level object`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(validBase, tc.old) {
				t.Fatalf("test edit %q does not apply", tc.old)
			}
			_, err := mock.ParseData("demo.json", []byte(strings.Replace(validBase, tc.old, tc.new, 1)))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant prefix %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "ADTMM0000111") || strings.Contains(err.Error(), "1234") {
				t.Errorf("error shows a barcode or PIN: %v", err)
			}
		})
	}
}

func TestParseDataRequiresVouchers(t *testing.T) {
	for _, body := range []string{`{}`, `{"sites": []}`} {
		_, err := mock.ParseData("x.json", []byte(body))
		if err == nil || err.Error() != `x.json: $: missing required key "vouchers"` {
			t.Errorf("%s: err = %v", body, err)
		}
	}
	for _, body := range []string{``, `[]`, `null`} {
		if _, err := mock.ParseData("x.json", []byte(body)); err == nil || !strings.HasPrefix(err.Error(), "x.json: ") {
			t.Errorf("%q: err = %v", body, err)
		}
	}
}

// The built-in demo looks alive on any day: its first business day is
// today at its site, and what was expired or valid in it still is.
func TestDefaultDataAroundMovesTheDemoToToday(t *testing.T) {
	now := time.Date(2027, 3, 14, 4, 0, 0, 0, time.UTC) // 17:00 on the 14th at the demo site (+13:00)
	d := mock.DefaultDataAround(now)
	base := mock.DefaultData()
	var starts string
	for _, st := range d.Showtimes {
		if st.ID == "0001-2681" {
			starts = st.StartsAt
		}
	}
	if !strings.HasPrefix(starts, "2027-03-14T19:30:00") {
		t.Fatalf("0001-2681 starts %q, want this evening, 14 March", starts)
	}
	for i, v := range d.Vouchers {
		if v.ExpiresAt == "" {
			continue
		}
		was, _ := time.Parse(time.RFC3339, base.Vouchers[i].ExpiresAt)
		is, _ := time.Parse(time.RFC3339, v.ExpiresAt)
		seedNow := time.Date(2026, 11, 28, 4, 0, 0, 0, time.UTC)
		if was.Before(seedNow) != is.Before(now) {
			t.Errorf("%s: expired %v in the seed, %v now", v.Barcode, was.Before(seedNow), is.Before(now))
		}
	}
	if mock.DefaultData().Showtimes[0].StartsAt != base.Showtimes[0].StartsAt {
		t.Fatal("DefaultData moved")
	}
}
