package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/api"
)

// Announcements that count down to a time. The status line words them again
// on every tick of the clock (statusLine.setLive), so what they say is true
// of the moment on screen, and they stop counting once the time has come.

// passed reports whether until has come, at the second the header shows.
func passed(until, now time.Time) bool {
	return until.Sub(now).Round(time.Second) <= 0
}

// blockedWords says that a voucher is blocked until a time, lead first
// ("Voucher AD......0222: too many attempts."), and once the block has ended,
// that it can be tried again.
func blockedWords(masked, lead string, until time.Time) func(now time.Time) string {
	return func(now time.Time) string {
		if passed(until, now) {
			return "Voucher " + masked + " is no longer blocked: you can try it again now (ctrl+r brings it back)."
		}
		return lead + " Try again at " + until.Local().Format("15:04:05") + " (" + untilText(until, now) + ")."
	}
}

// expiryWords is the notice of an order's last minutes, counting down with
// the header; it has nothing to say once the order's time is up, when the
// header says it has expired.
func expiryWords(orderID string, expiresAt time.Time) func(now time.Time) string {
	return func(now time.Time) string {
		left := expiresAt.Sub(now)
		if passed(expiresAt, now) {
			return ""
		}
		return fmt.Sprintf("Order %s expires in %s: finish it now, or its tickets and vouchers are released.", shortID(orderID), countdown(left))
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
