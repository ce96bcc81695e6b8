package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/boxoffice/boxoffice/api"
)

func (d *doctor) orderCheck(p *probe, order *api.Order, notTried string) check {
	c := check{Name: "order"}
	switch {
	case p == nil:
		c.Status, c.Found = checkSkip, "order "+d.orderID+" "+notTried
	case p.status() == 401:
		c.Status, c.Found = checkSkip, refusedCredentials(p)
	case order != nil:
		c.Status = checkOK
		c.Found = fmt.Sprintf("order %s: %s at site %s, %d showtime(s), expires %s",
			order.ID, orNone(order.Status), orNone(order.SiteID), len(order.Showtimes), expiry(order.ExpiresAt.Time, d.now()))
		if !order.ExpiresAt.IsZero() && !order.ExpiresAt.After(d.now()) {
			c.Status = checkWarn
			c.Todo = "start a new order ('boxoffice order new') or unset --order"
		}
	case api.KindOf(p.err) == api.KindNotFound:
		c.Status = checkFail
		c.Found = "order " + d.orderID + " is not an in-progress order: it does not exist, has expired or is completed"
		c.Todo = "set --order (BOXOFFICE_ORDER) to a live order ('boxoffice order new' starts one), or unset it to let the operator choose"
	default:
		c.Status = checkFail
		c.Found, c.Todo = readFailure(p)
	}
	return c
}

func showtimesCheck(p *probe, showtimes []api.Showtime, date, site, notTried string) check {
	c := check{Name: "showtimes"}
	switch {
	case p == nil:
		c.Status, c.Found = checkSkip, "showtimes "+notTried
	case p.status() == 401:
		c.Status, c.Found = checkSkip, refusedCredentials(p)
	case p.err == nil && len(showtimes) == 0:
		c.Status = checkWarn
		c.Found = fmt.Sprintf("no showtimes on %s at site %s, so no ticket prices to read", date, site)
		c.Todo = "check --site (BOXOFFICE_SITE), or run again with --order of an order that has a showtime"
	case p.err == nil:
		c.Status = checkOK
		c.Found = fmt.Sprintf("%d showtime(s) on %s at site %s", len(showtimes), date, site)
	default:
		c.Status = checkFail
		c.Found, c.Todo = readFailure(p)
	}
	return c
}

func pricesCheck(p *probe, showtimeID string, first *probe, notTried string) check {
	c := check{Name: "ticket-prices"}
	switch {
	case p == nil && showtimeID == "" && first.allowed():
		c.Status, c.Found = checkSkip, "no showtime to read the ticket prices of"
	case p == nil:
		c.Status, c.Found = checkSkip, "ticket prices "+notTried
	case p.status() == 401:
		c.Status, c.Found = checkSkip, refusedCredentials(p)
	case api.KindOf(p.err) == api.KindNotFound:
		c.Status = checkFail
		c.Found = "showtime " + showtimeID + " does not exist (404 to its ticket prices)"
		c.Todo = "check the order's showtime, or choose another order"
	case p.err == nil:
		var resp api.TicketPricesResponse
		if !p.decode(&resp) {
			c.Status = checkFail
			c.Found, c.Todo = readFailure(p)
			return c
		}
		var codes []string
		withVouchers := 0
		for _, tp := range resp.TicketPrices {
			if len(tp.VoucherTypeCodes) > 0 {
				withVouchers++
			}
			for _, code := range tp.VoucherTypeCodes {
				if !slices.Contains(codes, code) {
					codes = append(codes, code)
				}
			}
		}
		c.Status = checkOK
		c.Found = fmt.Sprintf("showtime %s: %d ticket price(s), %d taking vouchers", showtimeID, len(resp.TicketPrices), withVouchers)
		if len(codes) > 0 {
			c.Found += " (" + strings.Join(codes, ", ") + ")"
		}
	default:
		c.Status = checkFail
		c.Found, c.Todo = readFailure(p)
	}
	return c
}

// refusedCredentials reports a read answered 401. It is skipped rather
// than failed: the sign-in check already fails for it, and says what to do.
func refusedCredentials(p *probe) string {
	return p.what + " was refused the credentials (401): see the sign-in check"
}

// readFailure says what went wrong with a read and what to do about it.
func readFailure(p *probe) (found, todo string) {
	e := api.AsError(p.err)
	if e == nil {
		return p.what + " failed: " + errorDetail(p.err), "run again with --log FILE --log-level debug and look at the log"
	}
	found = p.what + " failed: " + errorDetail(p.err)
	switch e.Kind {
	case api.KindForbidden:
		return fmt.Sprintf("%s was refused (403): the account or its licences do not allow it (Vista lists %s for it)",
			p.what, strings.Join(api.RequiredLicences(p.op), " and ")), "see the licence checks below"
	case api.KindRejected:
		return found, "see the region check below"
	case api.KindNetwork, api.KindTimeout:
		return found, "check api_url and that this machine can reach the server"
	case api.KindServer:
		return found, "the server failed; try again later, and if it persists ask whoever runs it"
	case api.KindUnreadable:
		return found, "check that api_url is the OCAPI server itself, not a proxy's or a login page"
	}
	return found, "run again with --log FILE --log-level debug and look at the log"
}

// errorDetail is an error's text without the operation name doctor already
// said, cleaned by the client of secrets.
func errorDetail(err error) string {
	if e := api.AsError(err); e != nil {
		s := e.Error()
		return strings.TrimPrefix(s, string(e.Op)+": ")
	}
	return err.Error()
}

func (d *doctor) regionCheck(reads []*probe) check {
	c := check{Name: "region"}
	var refusedBy *probe
	answered := 0
	for _, p := range reads {
		if p.answered() {
			answered++
			if p.status() == 400 && refusedBy == nil {
				refusedBy = p
			}
		}
	}
	region := d.cfg.Region
	switch {
	case region == "" && refusedBy != nil:
		c.Status = checkWarn
		c.Found = "no region is set, and " + refusedBy.what + " was refused (400)"
		c.Todo = "if the tenant uses regions, set region (BOXOFFICE_REGION) to its Connect-Region-Code"
	case region == "":
		c.Status, c.Found = checkSkip, "no region is set; only tenants that use regions need one"
	case refusedBy != nil:
		c.Status = checkFail
		c.Found = fmt.Sprintf("%s was refused (400) with Connect-Region-Code %s: most likely the server does not know that region (Vista does not document what an unknown region answers)", refusedBy.what, region)
		c.Todo = "check the region code with whoever manages the tenant, or unset region if the tenant does not use regions"
	case answered == 0:
		c.Status, c.Found = checkSkip, "Connect-Region-Code "+region+" was not tried: the server did not answer"
	default:
		c.Status = checkOK
		c.Found = fmt.Sprintf("Connect-Region-Code %s was sent on every call, and none of the %d answer(s) refused it (400)", region, answered)
	}
	return c
}
