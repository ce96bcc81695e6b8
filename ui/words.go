package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// describeError turns a client error into what happened, what it means for
// the customer at the counter, and what to do. subject names the voucher or
// call, e.g. "Voucher AD......0111".
func describeError(subject string, err error, now time.Time) string {
	e := api.AsError(err)
	if e == nil {
		return fmt.Sprintf("%s failed: %v.", subject, err)
	}
	reason := reasonAbout(e, subject)
	switch e.Kind {
	case api.KindRejected:
		if reason == "" {
			reason = "the server refused it"
		}
		return fmt.Sprintf("%s rejected: %s.", subject, reason)
	case api.KindNotFound:
		if showtimeCall(e) {
			return fmt.Sprintf("%s: the showtime no longer exists (cancelled or taken off sale), so its tickets cannot be set. Offer the customer another showtime.", subject)
		}
		return "This order has expired or no longer exists. Press ctrl+n for a new order or ctrl+o to open another."
	case api.KindRateLimited:
		if e.BlockedUntil.IsZero() {
			return fmt.Sprintf("%s: blocked for now after too many attempts. Try it again later.", subject)
		}
		return fmt.Sprintf("%s: too many attempts. Try again at %s (%s).", subject,
			e.BlockedUntil.Local().Format("15:04:05"), common.UntilText(e.BlockedUntil, now))
	case api.KindUnauthorized:
		return "The server did not accept our access token, so nothing was done. Check the token or sign-in settings, then restart."
	case api.KindForbidden:
		if licence := e.MissingLicenceHint(); licence != "" {
			return fmt.Sprintf("%s: not allowed for this account (HTTP 403), so nothing was done. Vista needs the %s licence for it: ask an administrator to check the account's licences.", subject, licence)
		}
		return "The server says this terminal is not allowed to do that, so nothing was done. Ask an administrator."
	case api.KindInvalidInput:
		why := e.Message
		if why == "" && e.Err != nil {
			why = e.Err.Error()
		}
		return fmt.Sprintf("%s not sent: %s.", subject, strings.TrimSuffix(why, "."))
	}
	if e.Applied {
		return fmt.Sprintf("%s: the server said yes, but its answer could not be read, so what it did is unknown. Press F5 to reload the order and check before trying again.", subject)
	}
	if e.OutcomeUnknown {
		return fmt.Sprintf("%s: no answer from the server, so it may or may not have gone through. Press F5 to reload the order and check before trying again.", subject)
	}
	if e.Kind == api.KindUnreadable {
		return fmt.Sprintf("%s: the server's answer could not be read (HTTP %d), so nothing is shown from it. Press F5 to try again; if it keeps happening, the server's version may not be supported.", subject, e.Status)
	}
	if e.Kind == api.KindServer {
		return fmt.Sprintf("%s: the server had a problem (HTTP %d), so nothing was done. Try again in a moment.", subject, e.Status)
	}
	if e.Kind == api.KindNetwork && e.Message != "" {
		// The client's own words for a server it refused to trust: the
		// network is fine, and the fix is a setting.
		return fmt.Sprintf("%s: nothing was sent, because %s.", subject, strings.TrimSuffix(e.Message, "."))
	}
	return fmt.Sprintf("%s: cannot reach the server, so nothing was done. Check the network, then try again.", subject)
}

// showtimeCall reports whether a 404 was about a showtime rather than the
// order. Vista sends no error codes, so the call itself decides where it can.
func showtimeCall(e *api.Error) bool {
	switch e.Op {
	case api.OpGetShowtime, api.OpGetTicketPrices:
		return true
	}
	return e.Code == api.CodeShowtimeNotFound
}

// serverReason is the server's own words when it sent any, made to read as
// part of a sentence.
func serverReason(e *api.Error) string {
	msg := strings.TrimSpace(e.Message)
	msg = strings.TrimSuffix(msg, ".")
	if msg == "" {
		return ""
	}
	return strings.ToLower(msg[:1]) + msg[1:]
}

// reasonAbout is serverReason for a message about subject: a server that
// names the voucher again ("voucher AD......0222 was given a wrong PIN")
// would have the screen say the barcode twice in one line, so the repeat
// becomes "it".
func reasonAbout(e *api.Error, subject string) string {
	reason := serverReason(e)
	// Masked barcodes hold letters (AD......0111), so the repeat is found
	// whatever its case.
	if prefix := subject + " "; len(reason) > len(prefix) && strings.EqualFold(reason[:len(prefix)], prefix) {
		return "it " + reason[len(prefix):]
	}
	return reason
}

// blockedWords says that a voucher is blocked until a time, lead first
// ("Voucher AD......0222: too many attempts."), and once the block has ended,
// that it can be tried again.
func blockedWords(masked, lead string, until time.Time) func(now time.Time) string {
	return func(now time.Time) string {
		if common.Passed(until, now) {
			return "Voucher " + masked + " is no longer blocked: you can try it again now (ctrl+r brings it back)."
		}
		return lead + " Try again at " + until.Local().Format("15:04:05") + " (" + common.UntilText(until, now) + ")."
	}
}

// expiryWords is the notice of an order's last minutes, counting down with
// the header; it has nothing to say once the order's time is up, when the
// header says it has expired.
func expiryWords(orderID string, expiresAt time.Time) func(now time.Time) string {
	return func(now time.Time) string {
		if common.Passed(expiresAt, now) {
			return ""
		}
		return fmt.Sprintf("Order %s expires in %s: finish it now, or its tickets and vouchers are released.", common.ShortID(orderID), common.Countdown(expiresAt.Sub(now)))
	}
}

// refusalBlockLead is what a refusal that started a block says before its
// countdown: the server's reason without its own (UTC, unmoving) time.
func refusalBlockLead(subject string, e *api.Error) string {
	reason := reasonAbout(e, subject)
	if i := strings.Index(strings.ToLower(reason), "blocked until"); i >= 0 {
		reason = strings.TrimRight(strings.TrimSpace(reason[:i]), ";,. ")
		reason = strings.TrimSuffix(strings.TrimSuffix(reason, "it is now"), "; ")
		reason = strings.TrimRight(reason, ";,. ")
	}
	if reason == "" {
		reason = "the server refused it"
	}
	return subject + " rejected: " + reason + ", and it is now blocked after too many attempts."
}

// pinMayHelp reports whether a failed scan is worth its PIN typed again: a
// refusal for a wrong or missing PIN, or one that does not say why. A voucher
// used up, expired, of another type, already on the order or blocked is not
// helped by any PIN.
func pinMayHelp(err error) bool {
	e := api.AsError(err)
	if e == nil {
		return true
	}
	switch e.Kind {
	case api.KindRateLimited, api.KindNotFound:
		return false
	case api.KindRejected:
	default:
		// Nothing was refused: the same scan may simply be tried again.
		return true
	}
	if !e.BlockedUntil.IsZero() {
		return false
	}
	if e.Code == api.CodeInvalidPin || strings.Contains(strings.ToLower(e.Message), "pin") {
		return true
	}
	return e.Code == "" && e.Message == ""
}
