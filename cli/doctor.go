package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/config"
)

func (a *app) doctorCommand() *cobra.Command {
	var contract string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the configured server, sign-in, licences, clock and TLS, changing nothing",
		Long: `Check, before a counter opens, that boxoffice can work with the server its
settings name: the same settings the counter uses (without an API URL, the
built-in demo server). It signs in or tries the token, reads the configured
order (or lists today's showtimes at the site), reads one showtime's ticket
prices, and from those answers checks the region code, the server's clock,
TLS and the Vista licences the counter needs.

It only reads: the one request that is not a GET is the password grant's
sign-in. It prints one line per check: ok, warn, FAIL, skip (does not apply,
or could not be tried) or "not checked" (matters, but cannot be proven
without changing something), what it found and, when not ok, what to do.

With --contract it checks no server: it reads the report of 'boxoffice
proxy' and prints its verdicts in the same table: a documented fact the
tenant violated is FAIL, an [unverified] fact it contradicted is warn, one
the traffic did not touch is "not checked".

Exit codes: 0 when no check failed, 1 when one did (with --contract: when a
documented fact was violated), 2 for wrong settings, 4 when the built-in
demo server cannot start.`,
		Example: `  boxoffice doctor
  BOXOFFICE_TOKEN=... boxoffice doctor --api-url https://mytenant-digital-api.app.vista.co --site 0001
  boxoffice doctor --json
  boxoffice doctor --contract first-day.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if contract != "" {
				return a.runDoctorContract(contract)
			}
			return a.runDoctor(cmd, args)
		},
	}
	cmd.Flags().BoolVar(&a.jsonOutput, "json", false, "print the checks as JSON for scripts")
	cmd.Flags().StringVar(&contract, "contract", "", "instead of checking the server, print the verdicts of a `report` of boxoffice proxy (fails when a documented fact was violated)")
	a.addSettingsFlags(cmd, cmd.Flags(), settingsOf(serverSettings, []string{"site", "order"}, demoSettings)...)
	return cmd
}

func (a *app) runDoctor(cmd *cobra.Command, _ []string) error {
	ctx := cmd.Context()
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return err
	}
	log, logFile, err := openLog(cfg)
	if err != nil {
		return err
	}
	defer logFile.Close()

	d := &doctor{cfg: cfg, url: cfg.APIURL, orderID: cfg.Order, now: time.Now}
	var demo *runningDemo
	if cfg.APIURL == "" {
		var requestLog io.Writer
		if log.Enabled(ctx, slog.LevelInfo) {
			requestLog = &lineLogger{log: log}
		}
		demoServer, err := prepareDemo(cfg, requestLog)
		if err != nil {
			return err
		}
		running, err := startDemo(cfg, demoServer)
		if err != nil {
			return err
		}
		defer running.close()
		d.url, d.demo, demo = running.running.URL, true, running
		if d.orderID == "" {
			d.orderID = demoServer.FirstOrderID()
		}
	}
	if d.client, err = a.newClient(cfg, d.url, demo, log); err != nil {
		return err
	}

	report := d.run(ctx)
	if a.jsonOutput {
		if err := a.printJSON(report); err != nil {
			return err
		}
	} else {
		report.write(a.env.Stdout)
	}
	if failed := report.failed(); len(failed) > 0 {
		return &Error{Code: ExitCheckFailed,
			What: fmt.Sprintf("%d of %d checks failed: %s", len(failed), len(report.Checks), strings.Join(failed, ", ")),
			Todo: "fix what each FAIL line says, then run 'boxoffice doctor' again"}
	}
	return nil
}

// checkStatus is the outcome of one check, as scripts read it.
type checkStatus string

const (
	checkOK   checkStatus = "ok"
	checkWarn checkStatus = "warn"
	checkFail checkStatus = "fail"
	// checkSkip: the check does not apply here, or an earlier failure kept
	// it from being tried.
	checkSkip checkStatus = "skip"
	// checkNotChecked: it matters, but nothing read-only can prove it; it
	// must never pass for a check that was made.
	checkNotChecked checkStatus = "not_checked"
)

// word is the status as a person reads it: FAIL shouts so it is not missed
// among the ok lines.
func (s checkStatus) word() string {
	switch s {
	case checkFail:
		return "FAIL"
	case checkNotChecked:
		return "not checked"
	}
	return string(s)
}

// check is one line of the report. The JSON field names are what scripts
// rely on; keep them.
type check struct {
	Name   string      `json:"name"`
	Status checkStatus `json:"status"`
	Found  string      `json:"found"`
	// Todo is what to do when the status is not ok; "" otherwise.
	Todo string `json:"todo"`
}

type doctorReport struct {
	Server string  `json:"server"`
	Demo   bool    `json:"demo"`
	Passed bool    `json:"passed"`
	Checks []check `json:"checks"`
}

func (r *doctorReport) failed() []string {
	var names []string
	for _, c := range r.Checks {
		if c.Status == checkFail {
			names = append(names, c.Name)
		}
	}
	return names
}

// write prints one line per check. The name column is as wide as the
// common names, not the licence ones, so that most lines stay short.
func (r *doctorReport) write(w io.Writer) {
	for _, c := range r.Checks {
		line := c.Found
		if c.Todo != "" {
			line += " — " + c.Todo
		}
		fmt.Fprintf(w, "%-11s %-14s %s\n", c.Status.word(), c.Name, line)
	}
}

// doctor runs the checks against one server with one client.
type doctor struct {
	cfg     *config.Config
	client  *api.Client
	url     string
	demo    bool
	orderID string
	// now gives the business date whose showtimes are listed.
	now func() time.Time
}

// probe is one read the doctor made and what came back.
type probe struct {
	// what says what was read, for messages: "reading order …".
	what string
	op   api.Operation
	res  *api.ProbeResult
	err  error
}

func (p *probe) answered() bool { return p != nil && p.res != nil }

func (p *probe) status() int {
	if !p.answered() {
		return 0
	}
	return p.res.Status
}

// allowed: the server got past its licence check. A 404 counts: the
// operation was let through to find the thing missing.
func (p *probe) allowed() bool {
	s := p.status()
	return s >= 200 && s < 300 || s == 404
}

// Licences the counter needs, and what a missing one stops, in the words an
// operator can pass on to whoever manages the tenant.
var licenceBlocks = []struct{ licence, blocks string }{
	{api.LicenceOcapi, "no OCAPI call works: reading orders and showtimes, adding and removing vouchers, putting them on tickets, completing orders"},
	{api.LicenceTicketPricesForShowtime, "no showtime's ticket prices can be read, and the counter needs them to put voucher-paid tickets on an order"},
	{api.LicenceEmbeddedPayment, "no order can be completed, so an order paid in full with vouchers cannot be finished"},
}

func (d *doctor) run(ctx context.Context) *doctorReport {
	r := &doctorReport{Server: d.url, Demo: d.demo}

	var signInErr error
	if d.client.AuthMode() == api.AuthTokenSource {
		signInErr = d.client.SignIn(ctx)
	}

	var (
		orderProbe, listProbe, pricesProbe *probe
		order                              *api.Order
		showtimes                          []api.Showtime
		showtimeID                         string
		date                               = d.now().Format(time.DateOnly)
	)
	// The day's showtimes stand in for an order that is missing or has no
	// showtime; after any other failure they would only fail the same way.
	worthListing := func(p *probe) bool { return p == nil || p.allowed() }
	if signInErr == nil {
		if d.orderID != "" {
			orderProbe = d.probe(ctx, api.ProbeRequest{Op: api.OpGetOrder, Path: "/ocapi/v1/orders/{orderId}",
				Params: map[string]string{"orderId": d.orderID}}, "reading order "+d.orderID)
			var resp api.OrderResponse
			if orderProbe.decode(&resp) {
				order = &resp.Order
				if len(order.Showtimes) > 0 {
					showtimeID = order.Showtimes[0].ShowtimeID
				}
			}
		}
		if showtimeID == "" && worthListing(orderProbe) {
			listProbe = d.probe(ctx, api.ProbeRequest{Op: api.OpListShowtimes, Path: "/ocapi/v1/showtimes/by-business-date/{businessDate}",
				Params: map[string]string{"businessDate": date}, Query: url.Values{"siteIds": {d.cfg.Site}}},
				fmt.Sprintf("listing the showtimes of %s at site %s", date, d.cfg.Site))
			var resp api.ShowtimesResponse
			if listProbe.decode(&resp) {
				showtimes = resp.Showtimes
				if len(showtimes) > 0 {
					showtimeID = showtimes[0].ID
				}
			}
		}
		if showtimeID != "" {
			pricesProbe = d.probe(ctx, api.ProbeRequest{Op: api.OpGetTicketPrices, Path: "/ocapi/v1/showtimes/{showtimeId}/ticket-prices",
				Params: map[string]string{"showtimeId": showtimeID}}, "reading the ticket prices of showtime "+showtimeID)
		}
	}
	first := orderProbe
	if first == nil {
		first = listProbe
	}
	var reads []*probe
	for _, p := range []*probe{orderProbe, listProbe, pricesProbe} {
		if p != nil {
			reads = append(reads, p)
		}
	}

	// The server is said ok only once it has answered something.
	r.Checks = append(r.Checks, d.serverCheck(reads, signInErr))
	r.Checks = append(r.Checks, d.tlsCheck(reads))
	r.Checks = append(r.Checks, d.signInCheck(signInErr, first))
	notTried := "not tried: " + notTriedBecause(signInErr, first)
	if d.orderID != "" {
		r.Checks = append(r.Checks, d.orderCheck(orderProbe, order, notTried))
	}
	if listProbe != nil || d.orderID == "" {
		r.Checks = append(r.Checks, showtimesCheck(listProbe, showtimes, date, d.cfg.Site, notTried))
	}
	r.Checks = append(r.Checks, pricesCheck(pricesProbe, showtimeID, first, notTried))
	r.Checks = append(r.Checks, d.regionCheck(reads))
	r.Checks = append(r.Checks, clockCheck(reads))
	r.Checks = append(r.Checks, licenceChecks(reads, pricesProbe)...)

	r.Passed = len(r.failed()) == 0
	return r
}

func (d *doctor) probe(ctx context.Context, req api.ProbeRequest, what string) *probe {
	res, err := d.client.Probe(ctx, req)
	return &probe{what: what, op: req.Op, res: res, err: err}
}

// decode reads a successful answer; a failure to read it becomes the
// probe's error, which the check reports.
func (p *probe) decode(out any) bool {
	if p.err != nil || !p.answered() {
		return false
	}
	if err := p.res.Decode(out); err != nil {
		p.err = err
		return false
	}
	return true
}

func notTriedBecause(signInErr error, first *probe) string {
	switch {
	case signInErr != nil:
		return "the sign-in failed"
	case first != nil && first.status() == 401:
		return "the server refused the credentials"
	}
	return "an earlier read failed"
}

// serverCheck says which server the checks ran against, and whether it
// answered: ok only when one of the reads got an answer from it.
func (d *doctor) serverCheck(reads []*probe, signInErr error) check {
	c := check{Name: "server", Status: checkOK, Found: fmt.Sprintf("%s (api_url from %s)", d.url, d.cfg.Origin("api_url"))}
	if d.demo {
		c.Found = fmt.Sprintf("the built-in demo server at %s (no api_url set), as the counter would use", d.url)
	}
	var lost error
	for _, p := range reads {
		if p.answered() {
			return c
		}
		if lost == nil {
			lost = p.err
		}
	}
	switch {
	case lost != nil:
		c.Status, c.Found = checkFail, fmt.Sprintf("%s did not answer: %s", d.url, errorDetail(lost))
		c.Todo = "check api_url (from " + d.cfg.Origin("api_url") + ") and that this machine can reach the server"
	case signInErr != nil:
		c.Status, c.Found = checkNotChecked, c.Found+"; not reached: the sign-in failed first"
	}
	return c
}

// What config's rule for api_url lets through over plain http without
// allow_insecure_http.
const loopbackOnly = "(plain http is accepted only to localhost, 127.0.0.0/8 and ::1)"

func (d *doctor) tlsCheck(reads []*probe) check {
	c := check{Name: "tls"}
	u, err := url.Parse(d.url)
	if err != nil {
		c.Status, c.Found = checkFail, "the server URL cannot be read: "+err.Error()
		return c
	}
	host := u.Hostname()
	if u.Scheme == "http" {
		switch {
		case d.demo:
			c.Status, c.Found = checkOK, "plain http to the built-in demo server on this machine "+loopbackOnly
		case config.IsLoopbackHost(host):
			c.Status, c.Found = checkOK, "plain http to this machine, "+host+" "+loopbackOnly
		default:
			c.Status = checkWarn
			c.Found = "plain http to " + host + " (allow_insecure_http is set): tokens and PINs cross the network unencrypted"
			c.Todo = "use an https:// api_url and unset allow_insecure_http"
		}
		return c
	}
	for _, p := range reads {
		if p.answered() && p.res.TLS != nil {
			return tlsStateCheck(host, p.res.TLS, time.Now())
		}
	}
	for _, p := range reads {
		if tc, ok := tlsErrorCheck(host, p.err); ok {
			return tc
		}
	}
	c.Status, c.Found = checkSkip, "no TLS connection was made: the server did not answer"
	return c
}

// certWarning is how long before a certificate expires the doctor starts
// warning: two weeks leaves time to get a renewal through a change process.
const certWarning = 14 * 24 * time.Hour

func tlsStateCheck(host string, st *tls.ConnectionState, now time.Time) check {
	c := check{Name: "tls"}
	version := tls.VersionName(st.Version)
	if len(st.PeerCertificates) == 0 {
		c.Status, c.Found = checkWarn, version+", but the server showed no certificate"
		c.Todo = "ask whoever runs the server to check its TLS set-up"
		return c
	}
	leaf := st.PeerCertificates[0]
	chain := st.PeerCertificates
	if len(st.VerifiedChains) > 0 {
		chain = st.VerifiedChains[0]
	}
	// An intermediate that runs out first breaks the connection as surely
	// as the server's own certificate.
	soonest := leaf
	for _, cert := range chain {
		if cert.NotAfter.Before(soonest.NotAfter) {
			soonest = cert
		}
	}
	which := "the certificate of " + host
	if soonest != leaf {
		which = "the certificate " + certName(soonest) + " in the chain of " + host
	}
	left := soonest.NotAfter.Sub(now)
	switch {
	case left <= 0:
		c.Status = checkFail
		c.Found = fmt.Sprintf("%s, but %s expired on %s", version, which, soonest.NotAfter.UTC().Format(time.DateOnly))
		c.Todo = "the server's certificate must be renewed (or this machine's clock is wrong: see the clock check)"
	case left < certWarning:
		c.Status = checkWarn
		c.Found = fmt.Sprintf("%s; %s expires on %s, in %s", version, which, soonest.NotAfter.UTC().Format(time.DateOnly), days(left))
		c.Todo = "ask whoever runs the server to renew it before then"
	default:
		c.Status = checkOK
		c.Found = fmt.Sprintf("%s; %s is trusted and valid until %s (%s)", version, which, soonest.NotAfter.UTC().Format(time.DateOnly), days(left))
	}
	return c
}

// tlsErrorCheck explains a failed handshake; false when err is not about TLS.
func tlsErrorCheck(host string, err error) (check, bool) {
	if err == nil {
		return check{}, false
	}
	c := check{Name: "tls", Status: checkFail}
	var (
		invalid   x509.CertificateInvalidError
		hostErr   x509.HostnameError
		unknown   x509.UnknownAuthorityError
		verifyErr *tls.CertificateVerificationError
		record    tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c.Found = "the certificate of " + host + " has expired"
		if invalid.Cert != nil {
			c.Found += " (on " + invalid.Cert.NotAfter.UTC().Format(time.DateOnly) + ")"
		}
		c.Todo = "the server's certificate must be renewed (or this machine's clock is wrong)"
	case errors.As(err, &hostErr):
		c.Found = "the certificate is not for " + host + ": " + hostErr.Error()
		c.Todo = "check the host name in api_url"
	case errors.As(err, &unknown):
		c.Found = "the certificate of " + host + " is not trusted: it is signed by an authority this machine does not know"
		c.Todo = "if a TLS proxy or a private CA signs it, set ca_file to that authority's certificate (PEM); otherwise the server is not who it claims"
	case errors.As(err, &verifyErr):
		c.Found = "the certificate of " + host + " is not trusted: " + verifyErr.Err.Error()
		c.Todo = "ask whoever runs the server to fix its certificate"
	case errors.As(err, &record):
		c.Found = host + " did not answer in TLS"
		c.Todo = "check the scheme of api_url: the server may speak plain http on that port"
	default:
		return check{}, false
	}
	return c, true
}

func certName(cert *x509.Certificate) string {
	if cert.Subject.CommonName != "" {
		return fmt.Sprintf("%q", cert.Subject.CommonName)
	}
	return fmt.Sprintf("%q", cert.Subject.String())
}

func days(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	if n == 0 {
		return "less than a day"
	}
	return fmt.Sprintf("%d days", n)
}

func (d *doctor) signInCheck(signInErr error, first *probe) check {
	c := check{Name: "sign-in"}
	answered := first.answered()
	refused := first.status() == 401
	switch d.client.AuthMode() {
	case api.AuthTokenSource:
		who := fmt.Sprintf("user %s at %s", d.cfg.Username, d.cfg.AuthURL)
		switch {
		case signInErr != nil:
			c.Status = checkFail
			if e := api.AsError(signInErr); e != nil && e.Kind == api.KindUnauthorized {
				c.Found = "the auth server refused " + who + ": " + errorDetail(signInErr)
				c.Todo = "check username and BOXOFFICE_PASSWORD (and client_id, if the tenant gave you one)"
			} else {
				c.Found = "signing in as " + who + " failed: " + errorDetail(signInErr)
				c.Todo = "check auth_url and that this machine can reach the auth server"
			}
		case refused:
			c.Status = checkFail
			c.Found = "signed in as " + who + ", but the server refused the token it issued (401)"
			c.Todo = "check that auth_url is the auth server of this tenant's api_url"
		case answered:
			c.Status, c.Found = checkOK, "signed in as "+who+" (password grant); the server accepted the token"
		default:
			c.Status, c.Found = checkOK, "signed in as "+who+" (password grant); the server did not answer to try the token"
		}
	case api.AuthToken:
		switch {
		case refused:
			c.Status = checkFail
			c.Found = "the server refused the pre-issued token (401): it is wrong or has expired"
			c.Todo = "get a new token and set BOXOFFICE_TOKEN (or token in the config file), or sign in with auth_url and username"
		case answered:
			c.Status, c.Found = checkOK, "the server accepted the pre-issued token"
		default:
			c.Status, c.Found = checkSkip, "the token was not tried: the server did not answer"
		}
	default:
		switch {
		case refused:
			c.Status = checkFail
			c.Found = "the server wants a token (401), and none is set"
			c.Todo = "set BOXOFFICE_TOKEN, or auth_url and username for the password grant"
		case answered:
			c.Status, c.Found = checkOK, "no token is set, and the server asked for none"
		default:
			c.Status, c.Found = checkSkip, "not tried: the server did not answer"
		}
	}
	return c
}

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

// Clock thresholds. The counter counts an order's expiry (the server's
// expiresAt) on this machine's clock and warns two minutes before it, and it
// shows PIN-block ends the same way. A clock kept by NTP is within a second;
// past 5s, more than the Date header's whole seconds and a slow answer
// explain, this machine's clock is simply not being kept. Past a minute the
// two-minute warning has lost half its time, or an order the server has
// released still looks open.
const (
	clockWarnSkew = 5 * time.Second
	clockFailSkew = time.Minute
)

func clockCheck(reads []*probe) check {
	c := check{Name: "clock"}
	var best *api.ProbeResult
	anyAnswer := false
	for _, p := range reads {
		if !p.answered() {
			continue
		}
		anyAnswer = true
		if p.res.Date.IsZero() {
			continue
		}
		// The quickest answer pins the server's clock down best.
		if best == nil || p.res.ReceivedAt.Sub(p.res.SentAt) < best.ReceivedAt.Sub(best.SentAt) {
			best = p.res
		}
	}
	switch {
	case !anyAnswer:
		c.Status, c.Found = checkSkip, "the server did not answer, so its clock could not be read"
		return c
	case best == nil:
		c.Status = checkWarn
		c.Found = "the server's answers carry no Date header, so its clock cannot be compared with ours"
		c.Todo = "keep this machine's clock synchronised (NTP): order expiry is counted on it"
		return c
	}
	estimate, least := clockSkew(best.Date, best.SentAt, best.ReceivedAt)
	side := "ahead of"
	if estimate < 0 {
		side = "behind"
	}
	abs := estimate.Abs().Round(time.Second)
	switch {
	case least > clockFailSkew:
		c.Status = checkFail
		c.Found = fmt.Sprintf("the server's clock is about %s %s this machine's (Date header)", abs, side)
		c.Todo = "set this machine's clock right (turn on NTP): order expiry and PIN blocks are counted on it"
	case least > clockWarnSkew:
		c.Status = checkWarn
		c.Found = fmt.Sprintf("the server's clock is about %s %s this machine's (Date header)", abs, side)
		c.Todo = "synchronise this machine's clock (NTP) before it drifts further"
	default:
		c.Status = checkOK
		c.Found = "the server's clock agrees with this machine's within " + clockWarnSkew.String() + " (Date header)"
	}
	return c
}

// clockSkew reads how far the server's clock is from ours. The server wrote
// Date, truncated to the second, somewhere between sent and received, so
// its offset lies in [date-received, date+1s-sent]; estimate is the middle
// and least the smallest offset the observation allows, which is what the
// thresholds judge so that a slow answer cannot raise a false alarm.
func clockSkew(date, sent, received time.Time) (estimate, least time.Duration) {
	lo := date.Sub(received)
	hi := date.Add(time.Second).Sub(sent)
	estimate = lo + (hi-lo)/2
	switch {
	case lo > 0:
		least = lo
	case hi < 0:
		least = -hi
	}
	return estimate, least
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
