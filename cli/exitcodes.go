package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/config"
)

// Exit codes, so that a script can tell what kind of failure it met.
const (
	ExitOK = 0
	// ExitRejected: the server refused the voucher or request (also any
	// failure that fits no other code).
	ExitRejected = 1
	// ExitUsage: the command line or the configuration is wrong.
	ExitUsage = 2
	// ExitAuth: the server did not accept the credentials (401/403).
	ExitAuth = 3
	// ExitUnavailable: the server failed or could not be reached; whether a
	// change was applied is unknown until the order is read again.
	ExitUnavailable = 4
	// ExitNotFound: the order does not exist or has expired.
	ExitNotFound = 5
	// ExitNotRecorded: the change was made on the server, but the journal
	// could not record it.
	ExitNotRecorded = 6
	// ExitCheckFailed: a check of 'boxoffice doctor' failed. It shares 1,
	// whose meaning already takes in other failures, so the table scripts
	// know stays as it is.
	ExitCheckFailed = ExitRejected
)

var exitCodeMeanings = []struct {
	code    int
	meaning string
}{
	{ExitOK, "success"},
	{ExitRejected, "the server refused the voucher or request (or another failure)"},
	{ExitUsage, "wrong command line or configuration"},
	{ExitAuth, "authentication refused (HTTP 401/403)"},
	{ExitUnavailable, "server or network error: the outcome is unknown, read the order again"},
	{ExitNotFound, "the order does not exist or has expired"},
	{ExitNotRecorded, "done on the server, but the journal could not record it"},
}

// exitCodesTopic is the command of 'boxoffice help exit-codes'. Having no
// Run, it is a help topic: the one place the commands' help points to for
// the table.
func exitCodesTopic() *cobra.Command {
	var b strings.Builder
	b.WriteString(`Every command of boxoffice ends with one of these exit codes, so that a
script can tell what kind of failure it met. A failure is also printed to
standard error as "boxoffice: <what happened> — <what to do>".

`)
	for _, e := range exitCodeMeanings {
		fmt.Fprintf(&b, "  %d  %s\n", e.code, e.meaning)
	}
	b.WriteString(`
The counter screen uses the same codes for what stops it starting.
'boxoffice doctor' exits 1 when one of its checks fails.`)
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What each exit code of boxoffice means",
		Long:  b.String(),
	}
}

// seeExitCodes is how a command's help points to the exit codes.
const seeExitCodes = "Exit codes: see 'boxoffice help exit-codes'."

// Error is a failure explained to the operator: what happened and what to
// do, and the exit code that tells a script which kind of failure it was.
type Error struct {
	Code int
	What string
	Todo string
	Err  error
}

func (e *Error) Error() string {
	if e.Todo == "" {
		return e.What
	}
	return e.What + " — " + e.Todo
}

func (e *Error) Unwrap() error { return e.Err }

func usageError(err error, todo string) *Error {
	return &Error{Code: ExitUsage, What: err.Error(), Todo: todo, Err: err}
}

// ExitCode maps an error from a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Code
	}
	var cfgErr *config.Error
	if errors.As(err, &cfgErr) {
		return ExitUsage
	}
	if e := api.AsError(err); e != nil {
		return apiExitCode(e)
	}
	return ExitRejected
}

func apiExitCode(e *api.Error) int {
	if e.OutcomeUnknown {
		return ExitUnavailable
	}
	switch e.Kind {
	case api.KindRejected, api.KindRateLimited:
		return ExitRejected
	case api.KindInvalidInput:
		return ExitUsage
	case api.KindUnauthorized, api.KindForbidden:
		return ExitAuth
	case api.KindServer, api.KindNetwork, api.KindTimeout, api.KindUnreadable:
		return ExitUnavailable
	case api.KindNotFound:
		return ExitNotFound
	}
	return ExitRejected
}

// explainAPIError turns a client error into what happened and what to do.
// server names the server for messages about reaching it.
func explainAPIError(err error, server string) error {
	e := api.AsError(err)
	if e == nil {
		return err
	}
	todo := ""
	switch {
	case e.Applied:
		todo = "the server said yes but its answer could not be read, so what it did is unknown: read the order again (boxoffice order show) before trying again"
	case e.OutcomeUnknown:
		todo = "it may or may not have been applied: read the order again (boxoffice order show) before trying again"
	case e.Seat != "":
		todo = "nothing was changed: " + e.Seat.Explain() + " ('boxoffice order seats' shows the map)"
	case e.Kind == api.KindRejected && !e.BlockedUntil.IsZero():
		todo = "the PIN was wrong (or missing) once too often, and the voucher is now blocked; try again after " + e.BlockedUntil.Local().Format(time.TimeOnly)
	case e.Kind == api.KindRejected:
		todo = refusalTodo(api.ReasonOf(e))
	case e.Kind == api.KindRateLimited:
		todo = "too many attempts; try again later"
		if !e.BlockedUntil.IsZero() {
			todo = "too many attempts; try again after " + e.BlockedUntil.Local().Format(time.TimeOnly)
		}
	case e.Kind == api.KindNotFound:
		todo = "the order does not exist or has expired; start a new one with 'boxoffice order new'"
	case e.Kind == api.KindUnauthorized:
		todo = "check the token (BOXOFFICE_TOKEN), or auth_url, username and BOXOFFICE_PASSWORD"
	case e.Kind == api.KindForbidden && e.MissingLicenceHint() != "":
		todo = "this account may not do that: Vista needs the " + e.MissingLicenceHint() + " licence for it; ask whoever manages the OCAPI tenant (boxoffice doctor checks the licences)"
	case e.Kind == api.KindForbidden:
		todo = "this account may not do that; ask whoever manages the OCAPI tenant"
	case e.Kind == api.KindUnreadable:
		todo = "the server's answer could not be read; try again, and if it keeps happening the server's version may not be supported"
	case e.Kind == api.KindInvalidInput:
		todo = "check the command's arguments"
	default:
		todo = "check that the server at " + server + " is up and reachable, then try again"
	}
	return &Error{Code: apiExitCode(e), What: e.Error(), Todo: todo, Err: err}
}

// refusalTodo is what to do about a refusal, by its reason.
func refusalTodo(r api.Reason) string {
	switch r {
	case api.ReasonWrongPIN:
		return "the PIN was wrong or missing, and that used one of the voucher's PIN attempts; nothing else was changed. Check the PIN with the customer and give it with --pin-stdin"
	case api.ReasonAlreadyOnOrder:
		return "the voucher is already on the order, so nothing more is needed; 'boxoffice voucher list' shows it"
	case api.ReasonUsedUp, api.ReasonExpired, api.ReasonUnknownBarcode:
		return "nothing was changed: the voucher is " + r.Words() + "; check the barcode, and otherwise take another payment"
	case api.ReasonWrongType:
		return "nothing was changed: send it as its own type with --voucher-type"
	case api.ReasonNotForShowtime:
		return "nothing was changed: the voucher cannot pay for this showtime; choose another with --showtime, or take another payment"
	}
	return "nothing was changed; check what was sent (barcode, PIN, voucher type, showtime) and try again"
}
