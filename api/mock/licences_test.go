package mock_test

import (
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

func TestMissingLicencesAnswer403(t *testing.T) {
	const showtime = "0001-2681"
	tests := []struct {
		name    string
		missing []string
		method  string
		path    string
		body    any
		// want is the licence a 403 must name; "" means the request is let through.
		want string
	}{
		{"ticket prices without their licence", []string{mock.LicenceTicketPricesForShowtime},
			"GET", "/ocapi/v1/showtimes/" + showtime + "/ticket-prices", nil, mock.LicenceTicketPricesForShowtime},
		{"the order still reads without the ticket-price licence", []string{mock.LicenceTicketPricesForShowtime},
			"GET", "/ocapi/v1/orders/" + firstOrder, nil, ""},
		{"the showtime still reads without the ticket-price licence", []string{mock.LicenceTicketPricesForShowtime},
			"GET", "/ocapi/v1/showtimes/" + showtime, nil, ""},
		{"completion without the payment licence", []string{mock.LicenceEmbeddedPayment},
			"POST", "/ocapi/v1/orders/" + firstOrder + "/completion", nil, mock.LicenceEmbeddedPayment},
		{"vouchers without the payment licence", []string{mock.LicenceEmbeddedPayment},
			"POST", "/ocapi/v1/orders/" + firstOrder + "/vouchers", voucherBody("Ticket", showtime, "ADTMM0000111", "1234"), ""},
		{"an order read without Vista.Ocapi", []string{mock.LicenceOcapi},
			"GET", "/ocapi/v1/orders/" + firstOrder, nil, mock.LicenceOcapi},
		{"a voucher add without Vista.Ocapi", []string{mock.LicenceOcapi},
			"POST", "/ocapi/v1/orders/" + firstOrder + "/vouchers", voucherBody("Ticket", showtime, "ADTMM0000111", "1234"), mock.LicenceOcapi},
		{"ticket prices without either", []string{mock.LicenceOcapi, mock.LicenceTicketPricesForShowtime},
			"GET", "/ocapi/v1/showtimes/" + showtime + "/ticket-prices", nil, mock.LicenceOcapi + " and " + mock.LicenceTicketPricesForShowtime},
		{"sign-in needs no licence", []string{mock.LicenceOcapi},
			"POST", "/connect/token", "grant_type=password&client_id=t&username=u&password=p", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil, mock.Options{MissingLicences: tt.missing})
			// Without Vista.Ocapi the order cannot be read back; what is
			// refused then is refused before any handler, as the other
			// cases show.
			canRead := tt.missing[0] != mock.LicenceOcapi
			var before []byte
			if canRead {
				before = e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).body
			}
			var r *result
			if s, ok := tt.body.(string); ok && strings.Contains(s, "grant_type") {
				r = e.do(tt.method, tt.path, s, "Content-Type", "application/x-www-form-urlencoded")
			} else {
				r = e.do(tt.method, tt.path, tt.body)
			}
			if tt.want == "" {
				if r.status == 403 {
					t.Fatalf("refused with 403: %s", r.body)
				}
				return
			}
			eb := r.expect(t, 403, "LicenceMissing")
			if !strings.Contains(eb.Message, tt.want) {
				t.Errorf("message %q does not name %s", eb.Message, tt.want)
			}
			if canRead {
				if after := e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).body; string(after) != string(before) {
					t.Errorf("a refused request changed the order:\nbefore %s\nafter  %s", before, after)
				}
			}
		})
	}
}

func TestAuthenticationComesBeforeLicences(t *testing.T) {
	d := mock.DefaultData()
	d.Auth = &mock.Auth{Tokens: []string{"good-token"}}
	e := newEnv(t, d, mock.Options{MissingLicences: []string{mock.LicenceOcapi}})
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil).expect(t, 401, "Unauthorized")
	e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil, "Authorization", "Bearer good-token").expect(t, 403, "LicenceMissing")
}

func TestParseLicences(t *testing.T) {
	tests := []struct {
		in      []string
		want    []string
		wantErr string
	}{
		{nil, nil, ""},
		{[]string{"vista.ocapi.ticketpricesforshowtime"}, []string{mock.LicenceTicketPricesForShowtime}, ""},
		{[]string{"Vista.Ocapi", " Vista.Ocapi "}, []string{mock.LicenceOcapi}, ""},
		{[]string{"Vista.Ocapi.Payments"}, nil, `unknown licence "Vista.Ocapi.Payments" (want one of Vista.Ocapi, Vista.Ocapi.EmbeddedPayment, Vista.Ocapi.TicketPricesForShowtime)`},
	}
	for _, tt := range tests {
		got, err := mock.ParseLicences(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseLicences(%q) error = %v, want %s", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || sprint(got) != sprint(tt.want) {
			t.Errorf("ParseLicences(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
