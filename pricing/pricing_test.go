package pricing

import (
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

func money(incl float64) api.MonetaryValue { return api.MonetaryValue{ValueIncludingTax: incl} }

func ticket(typeID string, price float64, voucherID string, saved float64) api.Ticket {
	t := api.Ticket{TicketTypeID: typeID, Price: money(price), VoucherID: voucherID}
	if saved > 0 {
		s := money(saved)
		t.AmountSaved = &s
	}
	return t
}

var order = api.Order{Showtimes: []api.OrderShowtime{
	{ShowtimeID: "S1", Tickets: []api.Ticket{
		ticket("ADULT", 19.5, "", 0), ticket("ADULT", 19.5, "", 0), ticket("ADMM", 0, "V1", 19.5), ticket("CHILD", 12, "", 0),
	}},
	{ShowtimeID: "S2", Tickets: []api.Ticket{ticket("ADMM", 0, "V1", 19.5), ticket("GOLDMM", 8, "V2", 24)}},
}}

func TestTicketCountAndVoucherUses(t *testing.T) {
	if n := TicketCount(order); n != 6 {
		t.Errorf("TicketCount = %d, want 6", n)
	}
	if n := TicketCount(api.Order{}); n != 0 {
		t.Errorf("TicketCount of an empty order = %d", n)
	}
	uses := VoucherUses(order)
	if len(uses) != 2 || uses["V1"] != 2 || uses["V2"] != 1 {
		t.Errorf("VoucherUses = %v", uses)
	}
	if !UsesVoucher(order.Showtimes[1], "V2") || UsesVoucher(order.Showtimes[0], "V2") {
		t.Error("UsesVoucher is wrong about V2")
	}
}

func TestCapacityAndRemaining(t *testing.T) {
	tests := []struct {
		name                         string
		available, added, used, want int
		remaining                    int
	}{
		{"the server's figure wins", 1, 5, 2, 3, 1},
		{"the add's figure without one", -1, 2, 1, 2, 1},
		{"used up", 0, 2, 2, 2, 0},
		{"more used than it holds reads none", -1, 1, 3, 1, 0},
		{"nobody said", -1, -1, 1, -1, -1},
	}
	for _, tt := range tests {
		c := Capacity(tt.available, tt.added, tt.used)
		if c != tt.want || Remaining(c, tt.used) != tt.remaining {
			t.Errorf("%s: capacity %d remaining %d, want %d %d", tt.name, c, Remaining(c, tt.used), tt.want, tt.remaining)
		}
	}
}

func TestNormalTicketFor(t *testing.T) {
	prices := &api.TicketPricesResponse{TicketPrices: []api.TicketPrice{
		{TicketTypeID: "ADULT", Price: money(19.5)},
		{TicketTypeID: "CHILD", Price: money(12)},
		{TicketTypeID: "GOLD", Price: money(32)},
		{TicketTypeID: "ADMM", Price: money(0), Restrictions: []string{"Voucher"}, VoucherTypeCodes: []string{"ADTMM"}},
	}}
	tests := []struct {
		name   string
		ticket api.Ticket
		want   string
		ok     bool
	}{
		{"the type whose price the voucher saved", ticket("ADMM", 0, "V1", 19.5), "ADULT", true},
		{"a surcharge plus the saving", ticket("GOLDMM", 8, "V2", 24), "GOLD", true},
		{"without a saving: the dearest type sold without a voucher", ticket("ADMM", 0, "V1", 0), "GOLD", true},
		{"a saving no price matches: the dearest", ticket("ADMM", 0, "V1", 5), "GOLD", true},
	}
	for _, tt := range tests {
		got, ok := NormalTicketFor(prices, tt.ticket)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %q %v, want %q %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	onlyVouchers := &api.TicketPricesResponse{TicketPrices: prices.TicketPrices[3:]}
	if got, ok := NormalTicketFor(onlyVouchers, ticket("ADMM", 0, "V1", 19.5)); ok {
		t.Errorf("a showtime selling nothing without a voucher gave %q", got)
	}
}

// named lists prices with their ticket types' names, as the server sends them.
func named(prices []api.TicketPrice, names map[string]string) *api.TicketPricesResponse {
	r := &api.TicketPricesResponse{TicketPrices: prices}
	for id, name := range names {
		r.RelatedData.TicketTypes = append(r.RelatedData.TicketTypes, api.TicketType{ID: id, Description: api.Text(name)})
	}
	return r
}

func voucherPrice(typeID string, price float64, code string) api.TicketPrice {
	return api.TicketPrice{TicketTypeID: typeID, Price: money(price), Restrictions: []string{"Voucher"}, VoucherTypeCodes: []string{code}}
}

// A voucher-paid ticket goes back to the ordinary type it stood in for, not
// to the dearest one: a Child voucher's ticket is a Child's, whatever saving
// the server counted.
func TestNormalTicketForAChildVoucher(t *testing.T) {
	prices := named([]api.TicketPrice{
		{TicketTypeID: "ADULT", Price: money(19.5)},
		{TicketTypeID: "CHILD", Price: money(12)},
		{TicketTypeID: "SENIOR", Price: money(14.5)},
		voucherPrice("ADMM", 0, "ADTMM"),
		voucherPrice("CHMM", 0, "CHDMM"),
	}, map[string]string{"ADULT": "Adult", "CHILD": "Child", "SENIOR": "Senior", "ADMM": "Adult Movie Money", "CHMM": "Child Movie Money"})
	for _, tt := range []struct {
		name   string
		ticket api.Ticket
		want   string
	}{
		{"a Child voucher's ticket with the adult price as its saving", ticket("CHMM", 0, "V1", 19.5), "CHILD"},
		{"a Child voucher's ticket without a saving", ticket("CHMM", 0, "V1", 0), "CHILD"},
		{"an Adult voucher's ticket", ticket("ADMM", 0, "V2", 19.5), "ADULT"},
	} {
		if got, ok := NormalTicketFor(prices, tt.ticket); got != tt.want || !ok {
			t.Errorf("%s: %q %v, want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestStandsInFor(t *testing.T) {
	ordinary := []api.TicketPrice{
		{TicketTypeID: "ADULT", Price: money(19.5)},
		{TicketTypeID: "CHILD", Price: money(12)},
		{TicketTypeID: "GOLD", Price: money(32)},
	}
	names := map[string]string{"ADULT": "Adult", "CHILD": "Child", "GOLD": "Gold Lounge Adult"}
	tests := []struct {
		name, voucherType, voucherName string
		want                           string
		ok                             bool
	}{
		{"its name starts with the ordinary one's", "CHMM", "Child Movie Money", "CHILD", true},
		{"Vista's own sample name", "ADV", "Adult Voucher", "ADULT", true},
		{"the most words wins", "GOLDV", "Gold Lounge Adult Voucher", "GOLD", true},
		{"two names in it tell nothing", "FAM", "Adult & Child Family Pass", "", false},
		{"no name in it", "GLMM", "Gold Lounge Movie Money (surcharge)", "", false},
		{"words, not letters", "ADX", "Adultish Pass", "", false},
	}
	for _, tt := range tests {
		all := map[string]string{tt.voucherType: tt.voucherName}
		for id, n := range names {
			all[id] = n
		}
		prices := named(append(append([]api.TicketPrice{}, ordinary...), voucherPrice(tt.voucherType, 0, "X")), all)
		got, ok := StandsInFor(prices, tt.voucherType)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %q %v, want %q %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	// A ticket type sold both ways: its voucher price stands in for itself.
	both := named([]api.TicketPrice{{TicketTypeID: "ADULT", Price: money(19.5)}, voucherPrice("ADULT", 1, "ADTMM")},
		map[string]string{"ADULT": "Adult"})
	if got, ok := StandsInFor(both, "ADULT"); got != "ADULT" || !ok {
		t.Errorf("a type sold with and without a voucher: %q %v", got, ok)
	}
}

func TestUnpaid(t *testing.T) {
	names := map[string]string{"ADULT": "Adult", "CHILD": "Child", "GOLDMM": "Gold Lounge (surcharge)"}
	known := func(showtimeID, typeID string) (string, bool) { return names[typeID], true }
	unknown := func(showtimeID, typeID string) (string, bool) { return typeID, showtimeID == "S1" }
	tests := []struct {
		name   string
		order  api.Order
		nameOf func(string, string) (string, bool)
		want   string
	}{
		{"named and grouped by price", order, known, "2 × Adult at 19.50, 1 × Child at 12.00, 1 × Gold Lounge (surcharge) at 8.00"},
		{"a showtime without its prices", order, unknown, "4 tickets not paid by vouchers"},
		{"everything paid, something still due", api.Order{Showtimes: []api.OrderShowtime{{Tickets: []api.Ticket{ticket("ADMM", 0, "V1", 19.5)}}}}, known, "a booking fee or other charge"},
	}
	for _, tt := range tests {
		if got := Unpaid(tt.order, tt.nameOf); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMoneyAndPlural(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{Money(19.5), "19.50"}, {Money(0), "0.00"}, {Money(1234.567), "1234.57"},
		{Plural(1, "ticket"), "1 ticket"}, {Plural(0, "ticket"), "0 tickets"}, {Plural(3, "voucher"), "3 vouchers"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
