package cli

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/api/proxy"
	"github.com/boxoffice/boxoffice/config"
)

// proxyFlags are boxoffice proxy's flags.
type proxyFlags struct {
	upstream, listen, report, record, caFile string
	json, allowInsecure                      bool
}

func (a *app) proxyCommand() *cobra.Command {
	var f proxyFlags
	cmd := &cobra.Command{
		Use:   "proxy --upstream URL --report FILE",
		Short: "Stand between a counter and a tenant, and report how the tenant keeps the contract",
		Long: `Stand between a counter (or a script, or any OCAPI client) and a tenant's
server: every request is forwarded unchanged, its token included, and
every answer streamed back. Each exchange is checked against the OCAPI
contract (api/contract/openapi.json), and the report file says, as
traffic passes:

  - which operations were used, and what they answered;
  - each [unverified] fact of the contract that the tenant's answers
    confirmed or contradicted, with the status or field that decided it,
    and what the tenant sends where the contract's flags are unverified;
  - each violation of a documented fact ([doc], [client]);
  - what could not be decided, or was not seen.

The report is Markdown (JSON with --json), rewritten whole as traffic
passes. 'boxoffice doctor --contract FILE' prints its verdicts and exits
1 when a documented fact was violated. With --record, every exchange is
also kept in a folder, masked, and 'boxoffice mock --replay FOLDER'
answers from it.

No PIN, token or password is ever written to the report, the log or a
recording, and barcodes appear only masked. Plain http to the tenant is
refused unless it is this machine or --allow-insecure-http is given, as
for the counter; the proxy itself listens on this machine unless
--allow-insecure-http is given. It stops on Ctrl+C, writing the report's
last state. docs/proxy.md is the guide to a first day at a new tenant.

` + seeExitCodes,
		Example: `  boxoffice proxy --upstream https://mytenant-digital-api.app.vista.co --report first-day.md
  boxoffice proxy --upstream https://host/WSVistaWebClient --listen 127.0.0.1:8081 --report day.json --json --record ./day
  BOXOFFICE_API_URL=http://127.0.0.1:8081 boxoffice          # the counter, through the proxy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runProxy(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.upstream, "upstream", "", "the tenant's OCAPI base `URL`, as api_url would name it")
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8081", "`address` to listen on (port 0 picks a free port)")
	fl.StringVar(&f.report, "report", "", "the report `file`, rewritten as traffic passes")
	fl.BoolVar(&f.json, "json", false, "write the report as JSON instead of Markdown")
	fl.StringVar(&f.record, "record", "", "also keep every exchange, masked, in this new `folder`, for 'boxoffice mock --replay'")
	fl.BoolVar(&f.allowInsecure, "allow-insecure-http", false, "allow plain http to a tenant on another machine, and listening beyond this machine")
	fl.StringVar(&f.caFile, "ca-file", "", "also trust the certificates in this PEM `file` for the tenant (a private authority or a TLS proxy), as ca_file does")
	completeFlags(cmd, fl, map[string][]string{"report": {"md", "json"}, "ca-file": {"pem", "crt"}, "record": nil})
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError(err, "run 'boxoffice proxy --help' for its flags")
	})
	return cmd
}

// proxyOptions checks the flags and turns them into the proxy's options.
func (a *app) proxyOptions(f proxyFlags) (proxy.Options, error) {
	switch {
	case f.upstream == "":
		return proxy.Options{}, usageError(errors.New("--upstream is required: the tenant to forward to"), "give the tenant's base URL, like https://mytenant-digital-api.app.vista.co")
	case f.report == "":
		return proxy.Options{}, usageError(errors.New("--report is required: the file the report is kept in"), "give a file name, like --report first-day.md")
	}
	raw, err := config.CheckServerURL(f.upstream, f.allowInsecure)
	if err != nil {
		return proxy.Options{}, usageError(fmt.Errorf("--upstream: %w", err), "give the tenant's base URL, like https://mytenant-digital-api.app.vista.co")
	}
	upstream, _ := url.Parse(raw)
	host, _, err := net.SplitHostPort(f.listen)
	if err != nil {
		return proxy.Options{}, usageError(fmt.Errorf("--listen %q is not host:port: %v", f.listen, err), "write it like 127.0.0.1:8081")
	}
	if !config.IsLoopbackHost(host) && !f.allowInsecure {
		return proxy.Options{}, usageError(fmt.Errorf("--listen %s would take tokens and PINs unencrypted from other machines", f.listen),
			"listen on 127.0.0.1, or give --allow-insecure-http if the network is trusted")
	}
	var roots *x509.CertPool
	if f.caFile != "" {
		if roots, err = api.TrustedRoots(f.caFile); err != nil {
			return proxy.Options{}, usageError(fmt.Errorf("--ca-file: %w", err), "give a PEM file of the authority that signs the tenant's certificate")
		}
	}
	if dir := filepath.Dir(f.report); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return proxy.Options{}, usageError(fmt.Errorf("--report %s: its folder %s does not exist", f.report, dir), "choose a file in a folder that exists")
		}
	}
	return proxy.Options{Upstream: upstream, RootCAs: roots, Report: f.report, JSON: f.json, RecordDir: f.record, Log: a.env.Stderr}, nil
}

func (a *app) runProxy(cmd *cobra.Command, f proxyFlags) error {
	opts, err := a.proxyOptions(f)
	if err != nil {
		return err
	}
	p, err := proxy.New(opts)
	if err != nil {
		return &Error{Code: ExitUsage, What: "the proxy cannot start: " + err.Error(),
			Todo: "choose a --report file you can write, and a new --record folder", Err: err}
	}
	running, err := mock.Start(f.listen, p)
	if err != nil {
		p.Close()
		return &Error{Code: ExitUnavailable, What: "the proxy cannot listen on " + f.listen + ": " + err.Error(),
			Todo: "choose another address with --listen (port 0 picks a free one)", Err: err}
	}
	out := a.env.Stdout
	fmt.Fprintf(out, "boxoffice proxy listening on %s, forwarding to %s\n", running.URL, opts.Upstream.Redacted())
	format := "Markdown"
	if f.json {
		format = "JSON"
	}
	fmt.Fprintf(out, "Report: %s (%s, rewritten as traffic passes; 'boxoffice doctor --contract %s' reads it)\n", f.report, format, f.report)
	if f.record != "" {
		fmt.Fprintf(out, "Recording: %s (masked; 'boxoffice mock --replay %s' answers from it)\n", f.record, f.record)
	}
	fmt.Fprintf(out, "Point the counter at it: BOXOFFICE_API_URL=%s boxoffice    (Ctrl+C stops)\n", running.URL)

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	serveErr := closeServer(running)
	reportErr := p.Close()
	if err := errors.Join(serveErr, reportErr); err != nil {
		return &Error{Code: ExitRejected, What: "the proxy did not stop cleanly: " + err.Error(), Err: err}
	}
	r := p.Report()
	fmt.Fprintf(out, "Report written to %s: %d exchange(s), %d documented fact(s) violated, %d [unverified] fact(s) confirmed, %d contradicted\n",
		f.report, r.Counts.Exchanges, r.Counts.DocumentedViolations, r.Counts.Confirmed, r.Counts.Contradicted+r.Counts.BothWays)
	return nil
}
