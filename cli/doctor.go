package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
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
		demoServer, err := prepareDemo(cfg, demoRequestLog(ctx, log))
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
