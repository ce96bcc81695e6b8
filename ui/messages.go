package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/pricing"
)

// Messages the counter screen reacts to. Every call answers with one typed
// message, success or failure, so Update never waits on the network.
type (
	orderLoadedMsg struct {
		orderID  string
		seq      int
		resp     *api.OrderResponse
		restored map[string]int
		// recorded: the vouchers the journal has on an order whose answer
		// did not list them.
		recorded []api.OrderVoucher
		// journalled: the ids of the vouchers the journal has on the
		// order, read with restored.
		journalled map[string]bool
		// unfinished: what the last run left unfinished, on every order,
		// when unfinishedRead says it was read (Options.Unfinished).
		unfinished     []journal.Line
		unfinishedRead bool
		err            error
	}
	showtimeLoadedMsg struct {
		id   string
		resp *api.ShowtimeResponse
		err  error
	}
	ticketPricesLoadedMsg struct {
		showtimeID string
		resp       *api.TicketPricesResponse
		err        error
	}
	showtimesListedMsg struct {
		siteID, date string
		seq          int
		resp         *api.ShowtimesResponse
		err          error
	}
	attachDoneMsg struct {
		item       scanItem
		result     api.AttachResult
		err        error
		journalErr error
		// line is the journal line of the outcome; until the journal says
		// it is on disk the outcome is not reported.
		line uint64
	}
	journalSyncedMsg struct{ err error }
	removeDoneMsg    struct {
		voucher api.OrderVoucher
		// release is what was to be set again before the removal; order is
		// the server's answer to the last of those calls.
		release    []showtimeRelease
		order      *api.OrderResponse
		seq        int
		releaseErr error
		detachSent bool
		err        error
		journalErr error
	}
	ticketsSetMsg struct {
		orderID, showtimeID string
		seq                 int
		summary             string
		resp                *api.OrderResponse
		err                 error
	}
	orderCreatedMsg struct {
		siteID string
		seq    int
		resp   *api.OrderResponse
		err    error
	}
	orderCancelledMsg struct {
		orderID    string
		sent       bool
		err        error
		journalErr error
	}
	orderCompletedMsg struct {
		orderID string
		sent    bool
		// followed: the answer of followCompletionCmd, which only read.
		followed   bool
		resp       *api.CompletionResponse
		err        error
		journalErr error
	}
	clockTickMsg    time.Time
	scanIdleMsg     struct{}
	statusExpireMsg struct{ seq int }
)

const (
	statusInfo statusKind = iota
	statusSuccess
	statusFailure
	statusWarning
	statusBusy
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
			e.BlockedUntil.Local().Format("15:04:05"), untilText(e.BlockedUntil, now))
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
	if errors.Is(err, api.ErrLookAlike) {
		return fmt.Sprintf("%s: the answer was lost, and the order now holds a voucher that looks the same but may be another counter's, so it is not counted as attached. Press F5 to read the order and check before scanning it again.", subject)
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

// untilText says how long until t, e.g. "in 42s" or "in 2m05s".
func untilText(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	if d <= 0 {
		return "now"
	}
	if d < time.Minute {
		return fmt.Sprintf("in %ds", int(d.Seconds()))
	}
	return fmt.Sprintf("in %dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// countdown formats the time left on an order as mm:ss (or h:mm:ss).
func countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// money formats a major-unit amount with two decimals.
func money(v float64) string { return pricing.Money(v) }
