package cli

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
)

// mockSettings are the settings boxoffice mock takes: each from its own
// flag, else from the environment variable of the counter's setting for its
// built-in demo server. The mock reads no config file, so that the counter's
// settings on this machine cannot change or stop it.
var mockSettings = []struct{ flag, key string }{
	{"data", "demo_data"},
	{"faults", "demo_faults"},
}

// mockLicenceDocs says what each licence the mock can withhold is needed
// for, for shell completion.
var mockLicenceDocs = map[string]string{
	mock.LicenceOcapi:                   "every OCAPI call",
	mock.LicenceEmbeddedPayment:         "completing an order",
	mock.LicenceTicketPricesForShowtime: "reading a showtime's ticket prices",
}

// mockFlags are boxoffice mock's flags.
type mockFlags struct {
	listen, data, faults, certOut, profile, adminToken, replay string
	serveTLS, validate                                         bool
	missingLicences, corsOrigins                               []string
	journalSize                                                int
}

// mockAdminTokenEnv names the admin token's environment variable.
const mockAdminTokenEnv = "BOXOFFICE_MOCK_ADMIN_TOKEN"

func (a *app) mockCommand() *cobra.Command {
	var f mockFlags
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Run the OCAPI demo server on its own",
		Long: `Run the OCAPI demo server (the one the counter screen uses when no API URL
is set) on its own, for scripts, other tools, browser clients and trying
requests by hand. It logs one line per request to standard error and stops
on Ctrl+C.

Beside OCAPI it serves a live page at / (orders, vouchers, blocks, the last
requests and switches for faults), its admin API under /_admin/ (state,
reset, request journal, faults at run time, clock), and /openapi.json (the
OCAPI contract with the admin API under its own tag). docs/mock.md shows
each from curl and the browser.

It takes only the flags below, and from the environment only
BOXOFFICE_DEMO_DATA (for --data), BOXOFFICE_DEMO_FAULTS (for --faults) and
` + mockAdminTokenEnv + ` (for --admin-token); a flag wins over its
variable. It reads no config file and none of the counter's other settings.

Profiles (--profile, or "profile" in the data file; the flag wins) play the
ways a tenant may answer where Vista documents two ways or none:
` + profileHelp() + `
With --tls it serves https (HTTP/2 and HTTP/1.1) with a self-signed
certificate made at start, valid for localhost, 127.0.0.1, ::1 and the
--listen host, and prints where its PEM file is: give that file to the
counter as ca_file (BOXOFFICE_CA_FILE), or to curl as --cacert.

On loopback the admin API is open. Listening anywhere else, it needs its
admin token (--admin-token, else one made at start and printed) as
"Authorization: Bearer <token>"; the page takes it once as /?token=<token>.
The demo server has no real security: keep it on this machine.

` + seeExitCodes,
		Example: `  boxoffice mock
  boxoffice mock --listen 127.0.0.1:9000 --data demo-data.json
  boxoffice mock --profile sparse --validate
  boxoffice mock --replay ./tenant-recording
  boxoffice mock --faults 'latency=300ms,drop=0.1'
  boxoffice mock --cors-origin http://localhost:5173
  boxoffice mock --tls --tls-cert-out /tmp/mock.pem
  BOXOFFICE_DEMO_FAULTS='error=0.2' boxoffice mock
  boxoffice mock --missing-licence Vista.Ocapi.TicketPricesForShowtime`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runMock(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "`address` to listen on (port 0 picks a free port)")
	fl.StringVar(&f.data, "data", "", "demo-data JSON `file` (default $BOXOFFICE_DEMO_DATA, else the built-in demo world)")
	fl.StringVar(&f.faults, "faults", "", "faults to inject: `spec` of comma-separated latency=DURATION, error=FRACTION, drop=FRACTION, seed=N (default $BOXOFFICE_DEMO_FAULTS)")
	fl.StringVar(&f.profile, "profile", "", "tenant `profile`: "+strings.Join(mock.ProfileNames(), ", ")+" (default the data file's, else "+mock.DefaultProfile+")")
	fl.StringVar(&f.replay, "replay", "", "answer OCAPI from the exchanges recorded in `folder` (boxoffice proxy --record) instead of the demo world, each request getting the next recorded answer to it")
	fl.BoolVar(&f.validate, "validate", false, "check every request and answer against /openapi.json; violations go in the "+mock.ViolationHeader+" header and the journal")
	fl.StringArrayVar(&f.corsOrigins, "cors-origin", nil, "browser `origin` allowed to call OCAPI, like http://localhost:5173, or * for any (repeatable; default: loopback origins)")
	fl.StringVar(&f.adminToken, "admin-token", "", "`token` the admin API needs when not listening on loopback (default $"+mockAdminTokenEnv+", else one made at start)")
	fl.IntVar(&f.journalSize, "journal-size", mock.DefaultJournalSize, "how many requests the journal keeps, `n` (0: none)")
	fl.BoolVar(&f.serveTLS, "tls", false, "serve https with a self-signed certificate made at start, and print where its PEM file is")
	fl.StringVar(&f.certOut, "tls-cert-out", "", "with --tls, write the certificate's PEM to `file` (default: a new file in the temporary folder, removed at stop)")
	fl.StringArrayVar(&f.missingLicences, "missing-licence", nil, "answer 403, as a tenant without it would, to operations needing this Vista `licence` (repeatable): "+strings.Join(mock.Licences(), ", "))

	licences := make([]cobra.Completion, 0, len(mock.Licences()))
	for _, l := range mock.Licences() {
		licences = append(licences, cobra.CompletionWithDesc(l, mockLicenceDocs[l]))
	}
	mustRegister(cmd, "missing-licence", cobra.FixedCompletions(licences, cobra.ShellCompDirectiveNoFileComp))
	profiles := make([]cobra.Completion, 0, len(mock.ProfileNames()))
	for _, p := range mock.Profiles() {
		profiles = append(profiles, cobra.CompletionWithDesc(p.Name, p.Summary))
	}
	mustRegister(cmd, "profile", cobra.FixedCompletions(profiles, cobra.ShellCompDirectiveNoFileComp))
	completeFlags(cmd, cmd.Flags(), map[string][]string{"data": {"json"}})
	cmd.SetFlagErrorFunc(mockFlagError)
	return cmd
}

// profileHelp lists the profiles for --help, each choice with its source.
func profileHelp() string {
	var b strings.Builder
	for _, p := range mock.Profiles() {
		fmt.Fprintf(&b, "\n  %s: %s\n", p.Name, p.Summary)
		for _, c := range p.Choices {
			fmt.Fprintf(&b, "    - %s\n", c)
		}
	}
	return b.String()
}

// mockOptions reads the flags and the environment into the server's
// options and data.
func (a *app) mockOptions(cmd *cobra.Command, f mockFlags, host string) (*mock.Data, mock.Options, error) {
	var err error
	data, dataName := mock.DefaultDataAround(time.Now()), mock.BuiltInData
	if dataFile, env := a.flagOrEnv(cmd, "data", f.data); dataFile != "" {
		dataName = filepath.Base(dataFile)
		if data, err = mock.LoadData(dataFile); err != nil && env != "" {
			return nil, mock.Options{}, usageError(fromEnvError(env, err), "fix the demo-data file, or unset "+env+" for the built-in demo world")
		} else if err != nil {
			return nil, mock.Options{}, usageError(err, "fix the demo-data file, or leave out --data for the built-in demo world")
		}
	}
	faultSpec, env := a.flagOrEnv(cmd, "faults", f.faults)
	faults, err := mock.ParseFaults(faultSpec)
	if err != nil && env != "" {
		return nil, mock.Options{}, usageError(fromEnvError(env, err), "see 'boxoffice mock --help'")
	} else if err != nil {
		return nil, mock.Options{}, usageError(err, "see 'boxoffice mock --help'")
	}
	licences, err := mock.ParseLicences(f.missingLicences)
	if err != nil {
		return nil, mock.Options{}, usageError(fmt.Errorf("--missing-licence: %w", err), "see 'boxoffice mock --help'")
	}
	if f.profile != "" {
		if _, err := mock.LookupProfile(f.profile); err != nil {
			return nil, mock.Options{}, usageError(fmt.Errorf("--profile: %w", err), "see the profiles in 'boxoffice mock --help'")
		}
	}
	for _, o := range f.corsOrigins {
		if err := mock.ParseOrigin(o); err != nil {
			return nil, mock.Options{}, usageError(fmt.Errorf("--cors-origin %q: %w", o, errors.Unwrap(err)), "write it like http://localhost:5173, or * for any origin")
		}
	}
	if f.journalSize < 0 {
		return nil, mock.Options{}, usageError(errors.New("--journal-size must not be negative"), "0 keeps no journal")
	}
	opts := mock.Options{Faults: faults, Log: a.env.Stderr, MissingLicences: licences, Profile: f.profile, Name: dataName,
		Validate: f.validate, AllowedOrigins: f.corsOrigins, JournalSize: cmp.Or(f.journalSize, -1)}
	if f.replay != "" {
		if opts.Replay, err = mock.LoadRecording(f.replay); err != nil {
			return nil, mock.Options{}, usageError(fmt.Errorf("--replay: %w", err), "give the folder boxoffice proxy --record wrote")
		}
	}
	if !config.IsLoopbackHost(host) {
		opts.AdminToken = cmp.Or(f.adminToken, a.env.Getenv(mockAdminTokenEnv))
		if opts.AdminToken == "" {
			opts.AdminToken = newAdminToken()
		}
	}
	return data, opts, nil
}

func newAdminToken() string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (a *app) runMock(cmd *cobra.Command, f mockFlags) error {
	host, _, err := net.SplitHostPort(f.listen)
	if err != nil {
		return usageError(fmt.Errorf("--listen %q is not host:port: %v", f.listen, err), "write it like 127.0.0.1:8080")
	}
	data, opts, err := a.mockOptions(cmd, f, host)
	if err != nil {
		return err
	}
	if !config.IsLoopbackHost(host) {
		fmt.Fprintf(a.env.Stderr, "boxoffice: warning: listening on %s, not only on this machine — the demo server has no real security: anyone who can reach it can use it\n", f.listen)
	}
	if f.certOut != "" && !f.serveTLS {
		return usageError(errors.New("--tls-cert-out needs --tls"), "add --tls, or leave out --tls-cert-out")
	}
	server := mock.New(data, opts)
	var serve mock.ServeOptions
	curl, certPath := "curl", ""
	if f.serveTLS {
		cert, path, err := mockCertificate(host, f.certOut)
		if err != nil {
			return err
		}
		if f.certOut == "" {
			defer os.Remove(path)
		}
		serve.TLS = cert
		certPath, curl = path, "curl --cacert "+path
	}
	running, err := mock.StartWith(f.listen, server, serve)
	if err != nil {
		return &Error{Code: ExitUnavailable, What: "the demo server cannot listen on " + f.listen + ": " + err.Error(),
			Todo: "choose another address with --listen (port 0 picks a free one)", Err: err}
	}
	a.mockBanner(server, running.URL, curl, certPath, opts)
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	if err := closeServer(running); err != nil {
		return &Error{Code: ExitRejected, What: "the demo server did not stop cleanly: " + err.Error(), Err: err}
	}
	return nil
}

// mockBanner says where the mock is and what to try first.
func (a *app) mockBanner(server *mock.Server, url, curl, certPath string, opts mock.Options) {
	out := a.env.Stdout
	fmt.Fprintf(out, "OCAPI mock listening on %s\n", url)
	if certPath != "" {
		fmt.Fprintf(out, "TLS certificate (PEM): %s    (the counter trusts it with ca_file or BOXOFFICE_CA_FILE)\n", certPath)
	}
	fmt.Fprintf(out, "Profile: %s%s\n", server.Profile(), map[bool]string{true: "; every exchange checked against /openapi.json (--validate)"}[opts.Validate])
	if n := len(opts.Replay); n > 0 {
		fmt.Fprintf(out, "Replaying %d recorded exchange(s): OCAPI answers come from the recording, not the demo world\n", n)
	}
	if opts.AdminToken != "" {
		fmt.Fprintf(out, "Live page: %s/?token=%s    admin API: %s/_admin/ with Authorization: Bearer %s\n", url, opts.AdminToken, url, opts.AdminToken)
	} else {
		fmt.Fprintf(out, "Live page: %s/    admin API: %s/_admin/state, /_admin/journal, /_admin/faults, /_admin/clock, /_admin/reset\n", url, url)
	}
	if first := server.FirstOrderID(); first != "" {
		fmt.Fprintf(out, "Try: %s %s/ocapi/v1/orders/%s    (Ctrl+C stops)\n", curl, url, first)
	} else if sites := server.SiteIDs(); len(sites) > 0 {
		fmt.Fprintf(out, "Try: %s -H 'Content-Type: application/json' -d '{\"siteId\":\"%s\",\"bookingMode\":\"Paid\"}' %s/ocapi/v1/orders/standard/booking    (Ctrl+C stops)\n", curl, sites[0], url)
	}
}

// mockCertificate makes the mock's certificate for host and writes its PEM
// to path ("" for a new temporary file), returning where it went.
func mockCertificate(host, path string) (*mock.Certificate, string, error) {
	cert, err := mock.NewCertificate(host)
	if err != nil {
		return nil, "", &Error{Code: ExitUnavailable, What: "the demo server cannot make its TLS certificate: " + err.Error(), Err: err}
	}
	written, err := cert.WritePEM(path)
	if err != nil {
		todo := "check that the temporary folder (" + os.TempDir() + ") is writable, or give --tls-cert-out"
		if path != "" {
			todo = "choose a --tls-cert-out in a folder you can write to"
		}
		return nil, "", &Error{Code: ExitUsage, What: "the demo server cannot save its TLS certificate: " + err.Error(), Todo: todo, Err: err}
	}
	return cert, written, nil
}

// flagOrEnv is the value of one of mockSettings' flags when it was given
// (flagValue), else that of its setting's environment variable, whose name
// env then is.
func (a *app) flagOrEnv(cmd *cobra.Command, flag, flagValue string) (value, env string) {
	if cmd.Flags().Changed(flag) {
		return flagValue, ""
	}
	for _, s := range mockSettings {
		if s.flag == flag {
			env = config.EnvOf(s.key)
			if v := a.env.Getenv(env); v != "" {
				return v, env
			}
		}
	}
	return "", ""
}

// fromEnvError is a problem with a value from env in the words the counter
// uses for the same variable: nothing on the command line shows the value.
func fromEnvError(env string, err error) error {
	for _, s := range mockSettings {
		if config.EnvOf(s.key) == env {
			return &config.Error{Key: s.key, Origin: "environment variable " + env, Problem: err.Error()}
		}
	}
	return err
}

// mockFlagError explains a flag the mock does not take. The counter's
// settings are the likely mistake: name the mock's own flag for the two it
// has, and say that it takes none of the others.
func mockFlagError(cmd *cobra.Command, err error) error {
	var unknown *pflag.NotExistError
	if !errors.As(err, &unknown) {
		return usageError(err, "run 'boxoffice mock --help' for its flags")
	}
	name := unknown.GetSpecifiedName()
	for _, s := range mockSettings {
		if config.FlagOf(s.key) == name {
			return usageError(err, fmt.Sprintf("boxoffice mock takes %s as --%s (or %s); run 'boxoffice mock --help' for its flags", s.key, s.flag, config.EnvOf(s.key)))
		}
	}
	settings := pflag.NewFlagSet("settings", pflag.ContinueOnError)
	settings.String("config", "", "")
	config.BindFlags(settings)
	if f := settings.Lookup(name); f == nil || f.Hidden {
		return usageError(err, "run 'boxoffice mock --help' for its flags")
	}
	var own []string
	cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name != "help" {
			own = append(own, "--"+f.Name)
		}
	})
	last := len(own) - 1
	list := strings.Join(own[:last], ", ") + " and " + own[last]
	return usageError(err, fmt.Sprintf("--%s belongs to the counter and the commands that read its settings; boxoffice mock takes only %s (run 'boxoffice mock --help')", name, list))
}
