package ui

import (
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
)

// showtimeColumnWidth is the voucher list's "For" column: a start time and
// the start of the film's name, enough to tell an order's showtimes apart.
const showtimeColumnWidth = 18

// noteVoucherShowtime keeps the showtime a Ticket voucher was added for:
// the order does not say, and an order with two showtimes needs it said.
func (m *Model) noteVoucherShowtime(item scanItem, voucherID string) {
	if item.vtype == api.VoucherTicket && item.showtimeID != "" && voucherID != "" {
		m.voucherShowtimes[voucherID] = item.showtimeID
	}
}

// voucherShowtimeID is the showtime a voucher is for: the one it was added
// for in this run, else the one whose tickets it pays for. "" when neither
// tells, as for a voucher added before a restart that pays for nothing yet.
func (m Model) voucherShowtimeID(v api.OrderVoucher) string {
	if id, ok := m.voucherShowtimes[v.ID]; ok {
		return id
	}
	if m.order == nil {
		return ""
	}
	found := ""
	for _, st := range m.order.Showtimes {
		if pricing.UsesVoucher(st, v.ID) {
			if found != "" {
				return ""
			}
			found = st.ShowtimeID
		}
	}
	return found
}

// showsVoucherShowtimes reports whether the voucher list says which
// showtime each voucher is for: only an order with more than one needs it.
func (m Model) showsVoucherShowtimes() bool {
	return m.order != nil && len(m.order.Showtimes) > 1
}

// voucherShowtimeText is the "For" column of a voucher: the showtime by
// its start time and film, never its id.
func (m Model) voucherShowtimeText(v api.OrderVoucher) string {
	if v.Type == api.VoucherDeal || v.Type == api.VoucherSubscription {
		return "whole order"
	}
	id := m.voucherShowtimeID(v)
	if id == "" {
		return "not known"
	}
	text := "showtime not loaded"
	if _, ok := m.showtimes[id]; ok {
		text = m.showtimeChoiceFor(id)
	}
	return ansi.Truncate(text, showtimeColumnWidth, "…")
}
