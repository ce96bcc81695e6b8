package mock_test

import (
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

func profileEnv(t *testing.T, profile string) *env {
	t.Helper()
	return newEnv(t, nil, mock.Options{Profile: profile})
}

func TestVistaGuideProfile(t *testing.T) {
	e := profileEnv(t, mock.ProfileVistaGuide)
	var a addResp
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "", "ADTMM0000111", "1234")).decodeOK(t, &a)
	if a.Voucher.MaskedBarcode != "........0111" {
		t.Errorf("maskedBarcode = %q, want the guide's ........0111", a.Voucher.MaskedBarcode)
	}
	var day struct {
		Showtimes []struct {
			Schedule struct{ BusinessDate string } `json:"schedule"`
		} `json:"showtimes"`
	}
	e.do("GET", "/ocapi/v1/showtimes/by-business-date/first?siteIds=0001", nil).decodeOK(t, &day)
	if len(day.Showtimes) == 0 {
		t.Fatal("first lists no showtimes")
	}
	for _, st := range day.Showtimes {
		if st.Schedule.BusinessDate != day.Showtimes[0].Schedule.BusinessDate || st.Schedule.BusinessDate < "2026-11-28" {
			t.Errorf("first lists business dates %+v", day.Showtimes)
		}
	}
}

func TestVistaReferenceProfileKeepsTodaysAnswers(t *testing.T) {
	e := profileEnv(t, "")
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "", "ADTMM0000111", "1234")).expect(t, 400, "InvalidRequest")
	e.do("GET", "/ocapi/v1/showtimes/by-business-date/first", nil).expect(t, 400, "InvalidBusinessDate")
	var a addResp
	e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000111", "1234")).decodeOK(t, &a)
	if a.Voucher.MaskedBarcode != "AD......0111" {
		t.Errorf("maskedBarcode = %q", a.Voucher.MaskedBarcode)
	}
	if st := e.state(""); st.Profile != mock.ProfileVistaReference {
		t.Errorf("profile = %q", st.Profile)
	}
}

func TestSparseProfile(t *testing.T) {
	// Unchecked: a tenant without GET .../completion breaks the contract,
	// which --validate says (checked below).
	e := newUncheckedEnv(t, nil, mock.Options{Profile: mock.ProfileSparse})
	e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	r := e.do("GET", "/ocapi/v1/orders/"+firstOrder, nil)
	if r.status != 200 || strings.Contains(string(r.body), `"vouchers"`) {
		t.Errorf("the order carries vouchers: %s", r.body)
	}
	r = e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000999", "9999"))
	if r.status != 400 || len(r.body) != 0 {
		t.Errorf("a refusal: %d %q", r.status, r.body)
	}
	for range 3 {
		e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "0000"))
	}
	r = e.do("POST", "/ocapi/v1/orders/"+firstOrder+"/vouchers", voucherBody("Ticket", "0001-2681", "ADTMM0000222", "4321"))
	if r.status != 429 || len(r.body) != 0 || r.header.Get("Retry-After") != "" {
		t.Errorf("the block: %d %q Retry-After %q", r.status, r.body, r.header.Get("Retry-After"))
	}
	r = e.do("GET", "/ocapi/v1/orders/"+firstOrder+"/completion", nil)
	if r.status != 405 || r.header.Get("Allow") != "POST" {
		t.Errorf("GET completion: %d Allow %q", r.status, r.header.Get("Allow"))
	}
	if v := r.header.Get(mock.ViolationHeader); !strings.Contains(v, "response of OcapiOrderCompletion_GetOrderCompletion: status") {
		t.Errorf("--validate does not say the answer breaks the contract: %q", v)
	}
	// The state still says what the orders hold.
	if st := e.state(""); len(st.Orders[0].Vouchers) != 1 {
		t.Errorf("the state of a sparse mock lists %d vouchers on the order", len(st.Orders[0].Vouchers))
	}
}

func TestRepeatAddProfile(t *testing.T) {
	e := profileEnv(t, mock.ProfileRepeatAdd)
	first := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234")
	if again := e.addVoucher(firstOrder, "Ticket", "0001-2681", "ADTMM0000111", "1234"); again != first {
		t.Errorf("the repeated add answered voucher %s, want the one already there, %s", again, first)
	}
	if n := len(e.order(firstOrder).Vouchers); n != 1 {
		t.Errorf("the order holds %d vouchers", n)
	}
}

// Vista's completion page: unpaid orders are completed by this call, in
// every profile.
func TestUnpaidOrdersComplete(t *testing.T) {
	for _, p := range mock.ProfileNames() {
		t.Run(p, func(t *testing.T) {
			e := profileEnv(t, p)
			var o orderResp
			e.do("POST", "/ocapi/v1/orders/standard/booking", map[string]string{"siteId": "0001", "bookingMode": "Unpaid"}).decodeOK(t, &o)
			e.setTickets(o.Order.ID, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(t, 200, "")
			var c completion
			e.do("POST", "/ocapi/v1/orders/"+o.Order.ID+"/completion", nil).decodeOK(t, &c)
			if c.Status != "Completed" || c.TransactionNumber == nil {
				t.Errorf("completion = %v", c)
			}
			paid := e.createOrder("0001")
			e.setTickets(paid, "0001-2681", tk{TicketTypeID: "0001-0050"}).expect(t, 200, "")
			r := e.do("POST", "/ocapi/v1/orders/"+paid+"/completion", nil)
			if r.status != 400 {
				t.Errorf("a Paid order with 19.50 to pay completed: %d", r.status)
			}
		})
	}
}

func TestProfileFromTheData(t *testing.T) {
	d := mock.DefaultData()
	d.Profile = "SPARSE"
	if st := newEnv(t, d, mock.Options{}).state(""); st.Profile != mock.ProfileSparse {
		t.Errorf("the data's profile: %q", st.Profile)
	}
	if st := newEnv(t, d, mock.Options{Profile: "vista-guide"}).state(""); st.Profile != mock.ProfileVistaGuide {
		t.Errorf("the option does not win over the data: %q", st.Profile)
	}
	_, err := mock.ParseData("d.json", []byte(`{"vouchers":[],"profile":"lenient"}`))
	if err == nil || !strings.Contains(err.Error(), `d.json: $.profile: "lenient" (want one of vista-reference, vista-guide`) {
		t.Errorf("an unknown profile: %v", err)
	}
	for _, p := range mock.Profiles() {
		if len(p.Choices) == 0 || p.Summary == "" {
			t.Errorf("profile %s does not say what it does", p.Name)
		}
		for _, c := range p.Choices {
			if !strings.Contains(c, "[doc]") && !strings.Contains(c, "[client]") && !strings.Contains(c, "[unverified]") && !strings.Contains(c, "[mock") {
				t.Errorf("profile %s: %q names no source", p.Name, c)
			}
		}
	}
}
