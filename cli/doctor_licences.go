package cli

import (
	"fmt"

	"github.com/boxoffice/boxoffice/api"
)

// Licences the counter needs, and what a missing one stops, in the words an
// operator can pass on to whoever manages the tenant.
var licenceBlocks = []struct{ licence, blocks string }{
	{api.LicenceOcapi, "no OCAPI call works: reading orders and showtimes, adding and removing vouchers, putting them on tickets, completing orders"},
	{api.LicenceTicketPricesForShowtime, "no showtime's ticket prices can be read, and the counter needs them to put voucher-paid tickets on an order"},
	{api.LicenceEmbeddedPayment, "no order can be completed, so an order paid in full with vouchers cannot be finished"},
}

// licenceChecks says, for each licence the counter needs, whether the
// server let a read that needs it through. Only reads are made, so the
// completion licence cannot be proven here.
func licenceChecks(reads []*probe, prices *probe) []check {
	var checks []check
	blocks := func(l string) string {
		for _, b := range licenceBlocks {
			if b.licence == l {
				return b.blocks
			}
		}
		return ""
	}
	ask := func(l string) string {
		return "ask whoever manages the OCAPI tenant to give this account " + l
	}

	base := check{Name: "licence " + api.LicenceOcapi}
	var allowedBy, refusedBy *probe
	for _, p := range reads {
		if p.allowed() && allowedBy == nil {
			allowedBy = p
		}
		if p.status() == 403 && refusedBy == nil {
			refusedBy = p
		}
	}
	switch {
	case allowedBy != nil:
		base.Status, base.Found = checkOK, fmt.Sprintf("allowed: %s answered %d", allowedBy.what, allowedBy.status())
	case refusedBy != nil:
		base.Status = checkFail
		base.Found = fmt.Sprintf("%s answered 403 (not allowed), and Vista lists %s on every operation; without it %s",
			refusedBy.what, api.LicenceOcapi, blocks(api.LicenceOcapi))
		base.Todo = ask(api.LicenceOcapi)
	default:
		base.Status, base.Found = checkNotChecked, "no read got far enough to show it"
		base.Todo = "fix the failures above and run again"
	}
	checks = append(checks, base)

	tp := check{Name: "licence " + api.LicenceTicketPricesForShowtime}
	switch {
	case prices.allowed():
		tp.Status, tp.Found = checkOK, fmt.Sprintf("allowed: %s answered %d", prices.what, prices.status())
	case prices.status() == 403 && base.Status == checkOK:
		tp.Status = checkFail
		tp.Found = fmt.Sprintf("%s answered 403 (not allowed): the account lacks %s; without it %s",
			prices.what, api.LicenceTicketPricesForShowtime, blocks(api.LicenceTicketPricesForShowtime))
		tp.Todo = ask(api.LicenceTicketPricesForShowtime)
	case prices.status() == 403:
		tp.Status = checkNotChecked
		tp.Found = "ticket prices were refused too, which a missing " + api.LicenceOcapi + " explains alone"
		tp.Todo = "once " + api.LicenceOcapi + " is granted, run again"
	case base.Status == checkOK:
		tp.Status, tp.Found = checkNotChecked, "no ticket prices were read: there was no showtime to read them of"
		tp.Todo = "run again with --order of an order that has a showtime"
	default:
		tp.Status, tp.Found = checkNotChecked, "no ticket prices were read"
		tp.Todo = "fix the failures above and run again"
	}
	checks = append(checks, tp)

	// Vista's GetOrderCompletion page does not show that reading a
	// completion needs this licence, so a 404 there would prove nothing.
	checks = append(checks, check{Name: "licence " + api.LicenceEmbeddedPayment, Status: checkNotChecked,
		Found: "no read-only call proves it, only a real completion; without it " + blocks(api.LicenceEmbeddedPayment),
		Todo:  "confirm with whoever manages the OCAPI tenant that this account has " + api.LicenceEmbeddedPayment + ", or complete a zero-value test order"})
	return checks
}
