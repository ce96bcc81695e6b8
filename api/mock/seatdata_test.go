package mock_test

import (
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

// The built-in demo has a showtime of each allocation mode.
func TestDefaultDataHasEverySeatingMode(t *testing.T) {
	modes := map[string][]string{}
	for _, st := range mock.DefaultData().Showtimes {
		modes[st.Seating] = append(modes[st.Seating], st.ID)
	}
	for _, m := range []string{"manual", "autoFails", "auto", ""} {
		if len(modes[m]) == 0 {
			t.Errorf("no showtime with seating %q: %v", m, modes)
		}
	}
}

const seatingBase = `{
  "sites": [{"id": "0001", "name": "Riverside"}],
  "films": [{"id": "F1", "title": "Film"}],
  "screens": [{"id": "S1", "name": "Screen 1"}, {"id": "S2", "name": "Screen 2"}],
  "areaCategories": [{"id": "STD", "name": "Standard"}],
  "ticketTypes": [{"id": "T1", "description": "Adult", "price": 19.5, "tax": 3.26, "areaCategoryId": "STD"}],
  "seatLayouts": [{"id": "L1", "screenId": "S1", "areas": [
    {"name": "Stalls", "areaCategoryId": "STD", "rows": [
      {"label": "A", "seats": "wc.oooo.()", "numbering": "rtl"},
      {"label": "", "seats": ""},
      {"label": "B", "seats": "oo.o(==)hx", "firstNumber": 3}
    ]}
  ]}],
  "showtimes": [{"id": "ST1", "siteId": "0001", "filmId": "F1", "screenId": "S1",
    "startsAt": "2026-11-28T19:30:00+13:00", "endsAt": "2026-11-28T21:45:00+13:00", "ticketTypeIds": ["T1"],
    "seating": "Manual", "soldSeats": ["A1", "B3"]}],
  "vouchers": []
}`

func TestParseDataSeating(t *testing.T) {
	d, err := mock.ParseData("demo.json", []byte(seatingBase))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.SeatLayouts) != 1 || d.Showtimes[0].Seating != "Manual" || d.TicketTypes[0].AreaCategoryID != "STD" {
		t.Errorf("decoded %+v", d)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown category of a ticket type", `"tax": 3.26, "areaCategoryId": "STD"`, `"tax": 3.26, "areaCategoryId": "GOLD"`, `$.ticketTypes[0].areaCategoryId: no area category has id "GOLD"`},
		{"duplicate category", `[{"id": "STD", "name": "Standard"}]`, `[{"id": "STD", "name": "Standard"}, {"id": "STD", "name": "Again"}]`, `$.areaCategories[1].id: duplicate area category id "STD"`},
		{"layout of no screen", `"screenId": "S1", "areas"`, `"screenId": "S9", "areas"`, `$.seatLayouts[0].screenId: no screen has id "S9"`},
		{"area of no category", `{"name": "Stalls", "areaCategoryId": "STD"`, `{"name": "Stalls", "areaCategoryId": "VIP"`, `$.seatLayouts[0].areas[0].areaCategoryId: no area category has id "VIP"`},
		{"unknown seat character", `"wc.oooo.()"`, `"wc.ooZo.()"`, `$.seatLayouts[0].areas[0].rows[0].seats: column 6: 'Z' is not a seat`},
		{"sofa not closed", `"wc.oooo.()"`, `"wc.oooo.(o"`, `$.seatLayouts[0].areas[0].rows[0].seats: the sofa at column 9 has no ')' before column 10`},
		{"sofa end alone", `"oo.o(==)hx"`, `"oo.o)==)hx"`, `$.seatLayouts[0].areas[0].rows[2].seats: column 5: ')' outside a sofa`},
		{"seats without a row label", `{"label": "B", "seats"`, `{"label": " ", "seats"`, `$.seatLayouts[0].areas[0].rows[2].label: must not be empty for a row with seats`},
		{"bad numbering", `"numbering": "rtl"`, `"numbering": "up"`, `$.seatLayouts[0].areas[0].rows[0].numbering: "up" is not ltr or rtl`},
		{"seat name twice", `"firstNumber": 3}`, `"firstNumber": 3}, {"label": "A", "seats": "o"}`, `seat A1 is in the layout twice`},
		{"bad seating mode", `"seating": "Manual"`, `"seating": "sometimes"`, `$.showtimes[0].seating: "sometimes" is not a seating mode`},
		{"seating without a layout", `"screenId": "S1",
    "startsAt"`, `"screenId": "S2",
    "startsAt"`, `$.showtimes[0].seating: screen "S2" has no seat layout`},
		{"layout of another screen", `"screenId": "S1",
    "startsAt"`, `"screenId": "S2", "seatLayoutId": "L1",
    "startsAt"`, `$.showtimes[0].seatLayoutId: seat layout "L1" is of screen "S1", not the showtime's screen "S2"`},
		{"unknown layout", `"seating": "Manual"`, `"seating": "Manual", "seatLayoutId": "L9"`, `$.showtimes[0].seatLayoutId: no seat layout has id "L9"`},
		{"unknown sold seat", `"soldSeats": ["A1", "B3"]`, `"soldSeats": ["A1", "Z3"]`, `$.showtimes[0].soldSeats[1]: seat layout "L1" has no seat "Z3"`},
		{"sold twice", `"soldSeats": ["A1", "B3"]`, `"soldSeats": ["A1", "A1"]`, `$.showtimes[0].soldSeats[1]: seat A1 is listed twice`},
		{"house seat sold", `"soldSeats": ["A1", "B3"]`, `"soldSeats": ["B10"]`, `$.showtimes[0].soldSeats[0]: seat B10 is a house seat`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(seatingBase, tc.old) {
				t.Fatalf("test edit %q does not apply", tc.old)
			}
			_, err := mock.ParseData("demo.json", []byte(strings.Replace(seatingBase, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}
