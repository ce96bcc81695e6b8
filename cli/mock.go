package cli

import (
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

func (a *app) mockCommand() *cobra.Command {
	var listen, dataFlag, faultsFlag, certOut string
	var serveTLS bool
	var missingLicences []string
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Run the OCAPI demo server on its own",
		Long: `Run the OCAPI demo server (the one the counter screen uses when no API URL
is set) on its own, for scripts, other tools and trying requests by hand.
It logs one line per request to standard error and stops on Ctrl+C.

It takes only the flags below, and from the environment only
BOXOFFICE_DEMO_DATA (for --data) and BOXOFFICE_DEMO_FAULTS (for --faults); a
flag wins over its variable. It reads no config file and none of the
counter's other settings.

With --tls it serves https (HTTP/2 and HTTP/1.1) with a self-signed
certificate made at start, valid for localhost, 127.0.0.1, ::1 and the
--listen host, and prints where its PEM file is: give that file to the
counter as ca_file (BOXOFFICE_CA_FILE), or to curl as --cacert.

The demo server has no real security: keep it on this machine.

` + seeExitCodes,
		Example: `  boxoffice mock
  boxoffice mock --listen 127.0.0.1:9000 --data demo-data.json
  boxoffice mock --faults 'latency=300ms,drop=0.1'
  boxoffice mock --tls --tls-cert-out /tmp/mock.pem
  BOXOFFICE_DEMO_FAULTS='error=0.2' boxoffice mock
  boxoffice mock --missing-licence Vista.Ocapi.TicketPricesForShowtime`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			host, _, err := net.SplitHostPort(listen)
			if err != nil {
				return usageError(fmt.Errorf("--listen %q is not host:port: %v", listen, err), "write it like 127.0.0.1:8080")
			}
			data, dataName := mock.DefaultDataAround(time.Now()), mock.BuiltInData
			if dataFile, env := a.flagOrEnv(cmd, "data", dataFlag); dataFile != "" {
				dataName = filepath.Base(dataFile)
				if data, err = mock.LoadData(dataFile); err != nil && env != "" {
					return usageError(fromEnvError(env, err), "fix the demo-data file, or unset "+env+" for the built-in demo world")
				} else if err != nil {
					return usageError(err, "fix the demo-data file, or leave out --data for the built-in demo world")
				}
			}
			faultSpec, env := a.flagOrEnv(cmd, "faults", faultsFlag)
			faults, err := mock.ParseFaults(faultSpec)
			if err != nil && env != "" {
				return usageError(fromEnvError(env, err), "see 'boxoffice mock --help'")
			} else if err != nil {
				return usageError(err, "see 'boxoffice mock --help'")
			}
			licences, err := mock.ParseLicences(missingLicences)
			if err != nil {
				return usageError(fmt.Errorf("--missing-licence: %w", err), "see 'boxoffice mock --help'")
			}
			if !config.IsLoopbackHost(host) {
				fmt.Fprintf(a.env.Stderr, "boxoffice: warning: listening on %s, not only on this machine — the demo server has no real security: anyone who can reach it can use it\n", listen)
			}

			if certOut != "" && !serveTLS {
				return usageError(errors.New("--tls-cert-out needs --tls"), "add --tls, or leave out --tls-cert-out")
			}

			server := mock.New(data, mock.Options{Faults: faults, Log: a.env.Stderr, MissingLicences: licences, Name: dataName})
			var serve mock.ServeOptions
			curl, certPath := "curl", ""
			if serveTLS {
				cert, path, err := mockCertificate(host, certOut)
				if err != nil {
					return err
				}
				if certOut == "" {
					defer os.Remove(path)
				}
				serve.TLS = cert
				certPath, curl = path, "curl --cacert "+path
			}
			running, err := mock.StartWith(listen, server, serve)
			if err != nil {
				return &Error{Code: ExitUnavailable, What: "the demo server cannot listen on " + listen + ": " + err.Error(),
					Todo: "choose another address with --listen (port 0 picks a free one)", Err: err}
			}
			fmt.Fprintf(a.env.Stdout, "OCAPI mock listening on %s\n", running.URL)
			if certPath != "" {
				fmt.Fprintf(a.env.Stdout, "TLS certificate (PEM): %s    (the counter trusts it with ca_file or BOXOFFICE_CA_FILE)\n", certPath)
			}
			if first := server.FirstOrderID(); first != "" {
				fmt.Fprintf(a.env.Stdout, "Try: %s %s/ocapi/v1/orders/%s    (Ctrl+C stops)\n", curl, running.URL, first)
			} else if sites := server.SiteIDs(); len(sites) > 0 {
				fmt.Fprintf(a.env.Stdout, "Try: %s -H 'Content-Type: application/json' -d '{\"siteId\":\"%s\",\"bookingMode\":\"Paid\"}' %s/ocapi/v1/orders/standard/booking    (Ctrl+C stops)\n", curl, sites[0], running.URL)
			}

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			<-ctx.Done()
			if err := closeServer(running); err != nil {
				return &Error{Code: ExitRejected, What: "the demo server did not stop cleanly: " + err.Error(), Err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "`address` to listen on (port 0 picks a free port)")
	cmd.Flags().StringVar(&dataFlag, "data", "", "demo-data JSON `file` (default $BOXOFFICE_DEMO_DATA, else the built-in demo world)")
	cmd.Flags().StringVar(&faultsFlag, "faults", "", "faults to inject: `spec` of comma-separated latency=DURATION, error=FRACTION, drop=FRACTION, seed=N (default $BOXOFFICE_DEMO_FAULTS)")
	cmd.Flags().BoolVar(&serveTLS, "tls", false, "serve https with a self-signed certificate made at start, and print where its PEM file is")
	cmd.Flags().StringVar(&certOut, "tls-cert-out", "", "with --tls, write the certificate's PEM to `file` (default: a new file in the temporary folder, removed at stop)")
	cmd.Flags().StringArrayVar(&missingLicences, "missing-licence", nil, "answer 403, as a tenant without it would, to operations needing this Vista `licence` (repeatable): "+strings.Join(mock.Licences(), ", "))

	licences := make([]cobra.Completion, 0, len(mock.Licences()))
	for _, l := range mock.Licences() {
		licences = append(licences, cobra.CompletionWithDesc(l, mockLicenceDocs[l]))
	}
	mustRegister(cmd, "missing-licence", cobra.FixedCompletions(licences, cobra.ShellCompDirectiveNoFileComp))
	completeFlags(cmd, cmd.Flags(), map[string][]string{"data": {"json"}})
	cmd.SetFlagErrorFunc(mockFlagError)
	return cmd
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
