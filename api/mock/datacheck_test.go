package mock_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

// checkBase is a valid demo-data file with two of everything, so that a
// problem can be put in the second of a list while the first stays valid.
func checkBase() *mock.Data {
	return &mock.Data{
		Sites:   []mock.Site{{ID: "0001", Name: "Riverside"}, {ID: "0002", Name: "Hillside"}},
		Films:   []mock.Film{{ID: "F1", Title: "Film"}, {ID: "F2", Title: "Other film"}},
		Screens: []mock.Screen{{ID: "S1", Name: "Screen 1"}, {ID: "S2", Name: "Screen 2"}},
		TicketTypes: []mock.TicketType{
			{ID: "T1", Description: "Adult", Price: 19.5, Tax: 3.26},
			{ID: "T2", Description: "Adult Movie Money", VoucherTypeCodes: []string{"ADTMM"},
				RestrictedPrices: []mock.RestrictedPrice{{Price: 15, Tax: 1, Restrictions: []string{"Member"}}}},
		},
		Showtimes: []mock.Showtime{
			{ID: "ST1", SiteID: "0001", FilmID: "F1", ScreenID: "S1", StartsAt: "2026-11-28T19:30:00+13:00", EndsAt: "2026-11-28T21:45:00+13:00", TicketTypeIDs: []string{"T1", "T2"}},
			{ID: "ST2", SiteID: "0002", FilmID: "F2", ScreenID: "S2", StartsAt: "2026-11-28T19:30:00+13:00", EndsAt: "2026-11-28T21:45:00+13:00", TicketTypeIDs: []string{"T1", "T2"}},
			{ID: "ST3", SiteID: "0001", FilmID: "F1", ScreenID: "S1", StartsAt: "2026-11-29T19:30:00+13:00", EndsAt: "2026-11-29T21:45:00+13:00", TicketTypeIDs: []string{"T1", "T2"}},
		},
		Orders: []mock.Order{
			{ID: "o1", SiteID: "0001", BookingMode: "paid", ExpiresInSeconds: 60,
				Showtimes: []mock.OrderShowtime{{ShowtimeID: "ST1", Tickets: []mock.OrderTicket{{TicketTypeID: "T1"}}}}},
			{ID: "o2", SiteID: "0001", BookingMode: "Unpaid", Showtimes: []mock.OrderShowtime{
				{ShowtimeID: "ST1", Tickets: []mock.OrderTicket{{TicketTypeID: "T1"}}},
				{ShowtimeID: "ST3", Tickets: []mock.OrderTicket{{TicketTypeID: "T1"}, {TicketTypeID: "T1"}}},
			}},
		},
		Vouchers: []mock.Voucher{
			{Barcode: "ADTMM0000111", Pin: ptr("1234"), Type: "Ticket", VoucherTypeCode: "ADTMM", Description: "AMM", Redemptions: 2},
			{Barcode: "9300000000017", Type: "deal", VoucherTypeCode: "POPSM", Description: "Popcorn", Redemptions: 1, ExpiresAt: "2027-01-01T00:00:00Z"},
		},
		Limits:  &mock.Limits{PinAttempts: 5},
		Auth:    &mock.Auth{Tokens: []string{"t"}, Users: []mock.User{{Username: "u", Password: "p"}, {Username: "v", Password: "q"}}, TokenLifetimeSeconds: 60},
		Regions: []string{"NZ", "AU"},
	}
}

// checkProblems is every problem a demo-data file is checked for after its
// shape, in the order the checks are made, each with the whole message.
// alone marks a problem that cannot be made together with the earlier ones
// (a file without vouchers has no voucher to be wrong).
var checkProblems = []struct {
	name  string
	edit  func(d *mock.Data)
	alone bool
	want  string
}{
	{"site id", func(d *mock.Data) { d.Sites[1].ID = " " }, false, `$.sites[1].id: must not be empty`},
	{"site name", func(d *mock.Data) { d.Sites[1].Name = "" }, false, `$.sites[1].name: must not be empty`},
	{"site twice", func(d *mock.Data) { d.Sites[1].ID = "0001" }, false, `$.sites[1].id: duplicate site id "0001"`},
	{"film id", func(d *mock.Data) { d.Films[1].ID = "" }, false, `$.films[1].id: must not be empty`},
	{"film title", func(d *mock.Data) { d.Films[1].Title = "" }, false, `$.films[1].title: must not be empty`},
	{"film twice", func(d *mock.Data) { d.Films[1].ID = "F1" }, false, `$.films[1].id: duplicate film id "F1"`},
	{"screen id", func(d *mock.Data) { d.Screens[1].ID = "" }, false, `$.screens[1].id: must not be empty`},
	{"screen name", func(d *mock.Data) { d.Screens[1].Name = "" }, false, `$.screens[1].name: must not be empty`},
	{"screen twice", func(d *mock.Data) { d.Screens[1].ID = "S1" }, false, `$.screens[1].id: duplicate screen id "S1"`},
	{"ticket type id", func(d *mock.Data) { d.TicketTypes[1].ID = "" }, false, `$.ticketTypes[1].id: must not be empty`},
	{"ticket type description", func(d *mock.Data) { d.TicketTypes[1].Description = "" }, false, `$.ticketTypes[1].description: must not be empty`},
	{"ticket type twice", func(d *mock.Data) { d.TicketTypes[1].ID = "T1" }, false, `$.ticketTypes[1].id: duplicate ticket type id "T1"`},
	{"negative price", func(d *mock.Data) { d.TicketTypes[1].Price = -1 }, false, `$.ticketTypes[1].price: must not be negative`},
	{"tax above price", func(d *mock.Data) { d.TicketTypes[1].Tax = 5 }, false, `$.ticketTypes[1].tax: must be from 0 to the price (0), which includes it`},
	{"empty voucher type code", func(d *mock.Data) { d.TicketTypes[1].VoucherTypeCodes = append(d.TicketTypes[1].VoucherTypeCodes, " ") }, false,
		`$.ticketTypes[1].voucherTypeCodes[1]: must not be empty`},
	{"negative restricted price", func(d *mock.Data) { d.TicketTypes[1].RestrictedPrices[0].Price = -1 }, false,
		`$.ticketTypes[1].restrictedPrices[0].price: must not be negative`},
	{"restricted tax above its price", func(d *mock.Data) { d.TicketTypes[1].RestrictedPrices[0].Tax = 20 }, false,
		`$.ticketTypes[1].restrictedPrices[0].tax: must be from 0 to the price (15), which includes it`},
	{"restricted price without restrictions", func(d *mock.Data) { d.TicketTypes[1].RestrictedPrices[0].Restrictions = nil }, false,
		`$.ticketTypes[1].restrictedPrices[0].restrictions: must name at least one restriction (an unrestricted price is the type's own price)`},
	{"empty restriction", func(d *mock.Data) { d.TicketTypes[1].RestrictedPrices[0].Restrictions = []string{"Member", " "} }, false,
		`$.ticketTypes[1].restrictedPrices[0].restrictions[1]: must not be empty`},
	{"showtime id", func(d *mock.Data) { d.Showtimes[1].ID = "" }, false, `$.showtimes[1].id: must not be empty`},
	{"showtime twice", func(d *mock.Data) { d.Showtimes[1].ID = "ST1" }, false, `$.showtimes[1].id: duplicate showtime id "ST1"`},
	{"showtime site", func(d *mock.Data) { d.Showtimes[1].SiteID = "0009" }, false, `$.showtimes[1].siteId: no site has id "0009"`},
	{"showtime film", func(d *mock.Data) { d.Showtimes[1].FilmID = "F9" }, false, `$.showtimes[1].filmId: no film has id "F9"`},
	{"showtime screen", func(d *mock.Data) { d.Showtimes[1].ScreenID = "S9" }, false, `$.showtimes[1].screenId: no screen has id "S9"`},
	{"showtime start", func(d *mock.Data) { d.Showtimes[1].StartsAt = "2026-11-28T19:30:00" }, false,
		`$.showtimes[1].startsAt: "2026-11-28T19:30:00" is not an RFC 3339 date-time like 2026-11-28T19:30:00+13:00`},
	{"showtime end", func(d *mock.Data) { d.Showtimes[1].EndsAt = "later" }, false,
		`$.showtimes[1].endsAt: "later" is not an RFC 3339 date-time like 2026-11-28T19:30:00+13:00`},
	{"showtime ends as it starts", func(d *mock.Data) { d.Showtimes[1].EndsAt = d.Showtimes[1].StartsAt }, false,
		`$.showtimes[1].endsAt: must be after startsAt`},
	{"showtime without ticket types", func(d *mock.Data) { d.Showtimes[1].TicketTypeIDs = nil }, false,
		`$.showtimes[1].ticketTypeIds: must list at least one ticket type`},
	{"showtime unknown ticket type", func(d *mock.Data) { d.Showtimes[1].TicketTypeIDs[1] = "T9" }, false,
		`$.showtimes[1].ticketTypeIds[1]: no ticket type has id "T9"`},
	{"showtime ticket type twice", func(d *mock.Data) { d.Showtimes[1].TicketTypeIDs = append(d.Showtimes[1].TicketTypeIDs, "T1") }, false,
		`$.showtimes[1].ticketTypeIds[2]: ticket type "T1" is listed twice`},
	{"barcode", func(d *mock.Data) { d.Vouchers[1].Barcode = " " }, false, `$.vouchers[1].barcode: must not be empty`},
	{"barcode twice", func(d *mock.Data) { d.Vouchers[1].Barcode = "ADTMM0000111" }, false, `$.vouchers[1].barcode: duplicate barcode AD......0111`},
	{"empty pin", func(d *mock.Data) { d.Vouchers[1].Pin = ptr("") }, false,
		`$.vouchers[1].pin: must not be empty; leave the key out for a voucher without a PIN`},
	{"voucher type", func(d *mock.Data) { d.Vouchers[1].Type = "Coupon" }, false,
		`$.vouchers[1].type: "Coupon" is not a voucher type (want Ticket, Subscription or Deal)`},
	{"voucher type code", func(d *mock.Data) { d.Vouchers[1].VoucherTypeCode = "" }, false, `$.vouchers[1].voucherTypeCode: must not be empty`},
	{"voucher description", func(d *mock.Data) { d.Vouchers[1].Description = " " }, false, `$.vouchers[1].description: must not be empty`},
	{"negative redemptions", func(d *mock.Data) { d.Vouchers[1].Redemptions = -1 }, false, `$.vouchers[1].redemptions: must not be negative`},
	{"voucher expiry", func(d *mock.Data) { d.Vouchers[1].ExpiresAt = "2027-01-01" }, false,
		`$.vouchers[1].expiresAt: "2027-01-01" is not an RFC 3339 date-time like 2026-11-28T19:30:00+13:00`},
	{"no vouchers", func(d *mock.Data) { d.Vouchers = nil }, true, `$: missing required key "vouchers"`},
	{"order id", func(d *mock.Data) { d.Orders[1].ID = "" }, false, `$.orders[1].id: must not be empty`},
	{"order id with a slash", func(d *mock.Data) { d.Orders[1].ID = "o/2" }, false, `$.orders[1].id: must not contain '/', '?', '#', '%' or spaces`},
	{"order twice", func(d *mock.Data) { d.Orders[1].ID = "o1" }, false, `$.orders[1].id: duplicate order id "o1"`},
	{"order site", func(d *mock.Data) { d.Orders[1].SiteID = "0009" }, false, `$.orders[1].siteId: no site has id "0009"`},
	{"booking mode", func(d *mock.Data) { d.Orders[1].BookingMode = "Free" }, false,
		`$.orders[1].bookingMode: "Free" is not a booking mode (want Paid, Unpaid or UnpaidConfirmed)`},
	{"negative order expiry", func(d *mock.Data) { d.Orders[1].ExpiresInSeconds = -1 }, false, `$.orders[1].expiresInSeconds: must not be negative`},
	{"order showtime", func(d *mock.Data) { d.Orders[1].Showtimes[1].ShowtimeID = "ST9" }, false,
		`$.orders[1].showtimes[1].showtimeId: no showtime has id "ST9"`},
	{"order showtime at another site", func(d *mock.Data) { d.Orders[1].Showtimes[1].ShowtimeID = "ST2" }, false,
		`$.orders[1].showtimes[1].showtimeId: showtime "ST2" is at site "0002", not the order's site "0001"`},
	{"order showtime twice", func(d *mock.Data) { d.Orders[1].Showtimes[1].ShowtimeID = "ST1" }, false,
		`$.orders[1].showtimes[1].showtimeId: showtime "ST1" is listed twice`},
	{"order ticket not sold", func(d *mock.Data) { d.Orders[1].Showtimes[1].Tickets[1].TicketTypeID = "T9" }, false,
		`$.orders[1].showtimes[1].tickets[1].ticketTypeId: ticket type "T9" is not sold for showtime "ST3"`},
	{"order ticket needs a voucher", func(d *mock.Data) { d.Orders[1].Showtimes[1].Tickets[1].TicketTypeID = "T2" }, false,
		`$.orders[1].showtimes[1].tickets[1].ticketTypeId: ticket type "T2" needs a voucher, and seed orders start without vouchers`},
	{"negative pin attempts", func(d *mock.Data) { d.Limits.PinAttempts = -1 }, false, `$.limits.pinAttempts: must not be negative (0 means 3)`},
	{"negative block", func(d *mock.Data) { d.Limits.BlockSeconds = -1 }, false, `$.limits.blockSeconds: must not be negative (0 means 60)`},
	{"negative order expiry limit", func(d *mock.Data) { d.Limits.OrderExpirySeconds = -1 }, false,
		`$.limits.orderExpirySeconds: must not be negative (0 means 1200)`},
	{"empty token", func(d *mock.Data) { d.Auth.Tokens = append(d.Auth.Tokens, " ") }, false, `$.auth.tokens[1]: must not be empty`},
	{"username", func(d *mock.Data) { d.Auth.Users[1].Username = "" }, false, `$.auth.users[1].username: must not be empty`},
	{"password", func(d *mock.Data) { d.Auth.Users[1].Password = "" }, false, `$.auth.users[1].password: must not be empty`},
	{"user twice", func(d *mock.Data) { d.Auth.Users[1].Username = "u" }, false, `$.auth.users[1].username: duplicate user "u"`},
	{"negative token lifetime", func(d *mock.Data) { d.Auth.TokenLifetimeSeconds = -1 }, false,
		`$.auth.tokenLifetimeSeconds: must not be negative (0 means 43200)`},
	{"profile", func(d *mock.Data) { d.Profile = "bogus" }, false, `$.profile: "bogus" (want one of ` + profileList() + `)`},
	{"empty region", func(d *mock.Data) { d.Regions[1] = " " }, false, `$.regions[1]: must not be empty`},
	{"region twice", func(d *mock.Data) { d.Regions[1] = "nz" }, false, `$.regions[1]: duplicate region "nz"`},
	{"seating", func(d *mock.Data) { d.AreaCategories = []mock.AreaCategory{{ID: "", Name: "Standard"}} }, false,
		`$.areaCategories[0].id: must not be empty`},
}

func profileList() string { return strings.Join(mock.ProfileNames(), ", ") }

// A file with several problems reports the first in the order of the
// checks, and only that one: each problem of checkProblems is put in a file
// together with every problem after it, and must be the one reported.
func TestParseDataReportsTheFirstProblem(t *testing.T) {
	parse := func(d *mock.Data) error {
		raw, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		_, err = mock.ParseData("demo.json", raw)
		return err
	}
	if err := parse(checkBase()); err != nil {
		t.Fatalf("the base file is refused: %v", err)
	}
	for i, p := range checkProblems {
		t.Run(p.name, func(t *testing.T) {
			alone := checkBase()
			p.edit(alone)
			if err := parse(alone); err == nil || err.Error() != "demo.json: "+p.want {
				t.Errorf("alone: err = %v\nwant     demo.json: %s", err, p.want)
			}
			// The later problems are made first, so that this one, made
			// last, is not undone by one that changes the same value.
			d := checkBase()
			for j := len(checkProblems) - 1; j >= i; j-- {
				if j == i || !checkProblems[j].alone {
					checkProblems[j].edit(d)
				}
			}
			if err := parse(d); err == nil || err.Error() != "demo.json: "+p.want {
				t.Errorf("with every later problem: err = %v\nwant     demo.json: %s", err, p.want)
			}
		})
	}
}
