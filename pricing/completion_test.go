package pricing

import (
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

func TestPlanCompletion(t *testing.T) {
	adult := api.OrderVoucher{ID: "v1", Type: api.VoucherTicket, MaskedBarcode: "AD......0111"}
	unused := api.OrderVoucher{ID: "v2", Type: api.VoucherTicket, MaskedBarcode: "AD......0222"}
	deal := api.OrderVoucher{ID: "v3", Type: api.VoucherDeal, MaskedBarcode: "9300000000017"}
	paid := func(voucherID string) api.Ticket { return api.Ticket{TicketTypeID: "0001-0050", VoucherID: voucherID} }
	order := func(total float64, tickets ...api.Ticket) api.Order {
		return api.Order{Status: api.OrderInProgress, TotalPrice: api.MonetaryValue{ValueIncludingTax: total},
			Showtimes: []api.OrderShowtime{{ShowtimeID: "0001-2681", Tickets: tickets}}}
	}
	tests := []struct {
		name     string
		order    api.Order
		vouchers []api.OrderVoucher
		refusal  Refusal
		spends   string
	}{
		{"nothing on it", order(0), nil, NothingToComplete, "no voucher"},
		{"still to pay", order(19.5, paid(""), paid("v1")), []api.OrderVoucher{adult}, StillToPay, "AD......0111 (1 ticket)"},
		{"completed already", api.Order{Status: api.OrderCompleted}, nil, AlreadyCompleted, "no voucher"},
		{"paid by a voucher, another unused, a Deal paying nothing", order(0, paid("v1"), paid("v1")),
			[]api.OrderVoucher{adult, unused, deal}, CanComplete, "AD......0111 (2 tickets) and 93.......0017 (Deal, pays for no ticket)"},
		{"only a Deal voucher", order(0), []api.OrderVoucher{deal}, CanComplete, "93.......0017 (Deal, pays for no ticket)"},
	}
	for _, tt := range tests {
		c := PlanCompletion(tt.order, tt.vouchers)
		if c.Refusal != tt.refusal || c.SpendsText() != tt.spends {
			t.Errorf("%s: refusal %q, spends %q; want %q, %q", tt.name, c.Refusal, c.SpendsText(), tt.refusal, tt.spends)
		}
	}
	c := PlanCompletion(order(19.5, paid("")), nil)
	if c.Due != 19.5 {
		t.Errorf("due %v", c.Due)
	}
	c = PlanCompletion(order(0, paid("v1"), paid("v1")), []api.OrderVoucher{adult, deal})
	if c.Tickets != 2 || c.PaidByVouchers != 2 || len(c.UnusedDeals()) != 1 ||
		c.Summary() != "2 tickets, 2 paid by vouchers; spends AD......0111 (2 tickets) and 93.......0017 (Deal, pays for no ticket)" {
		t.Errorf("%+v: %s", c, c.Summary())
	}
}
