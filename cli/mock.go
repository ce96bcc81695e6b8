package cli

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
)

func (a *app) mockCommand() *cobra.Command {
	var listen, dataFile, faultSpec string
	var missingLicences []string
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Run the OCAPI demo server on its own",
		Long: `Run the OCAPI demo server (the one the counter screen uses when no API URL
is set) on its own, for scripts, other tools and trying requests by hand.
It logs one line per request to standard error and stops on Ctrl+C.

The demo server has no real security: keep it on this machine.`,
		Example: `  boxoffice mock
  boxoffice mock --listen 127.0.0.1:9000 --data demo-data.json
  boxoffice mock --faults 'latency=300ms,drop=0.1'
  boxoffice mock --missing-licence Vista.Ocapi.TicketPricesForShowtime`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			host, _, err := net.SplitHostPort(listen)
			if err != nil {
				return usageError(fmt.Errorf("--listen %q is not host:port: %v", listen, err), "write it like 127.0.0.1:8080")
			}
			data := mock.DefaultData()
			if dataFile != "" {
				if data, err = mock.LoadData(dataFile); err != nil {
					return usageError(err, "fix the demo-data file, or leave out --data for the built-in demo world")
				}
			}
			faults, err := mock.ParseFaults(faultSpec)
			if err != nil {
				return usageError(err, "see 'boxoffice mock --help'")
			}
			licences, err := mock.ParseLicences(missingLicences)
			if err != nil {
				return usageError(fmt.Errorf("--missing-licence: %w", err), "see 'boxoffice mock --help'")
			}
			if !config.IsLoopbackHost(host) {
				fmt.Fprintf(a.env.Stderr, "boxoffice: warning: listening on %s, not only on this machine — the demo server has no real security: anyone who can reach it can use it\n", listen)
			}

			server := mock.New(data, mock.Options{Faults: faults, Log: a.env.Stderr, MissingLicences: licences})
			running, err := mock.Start(listen, server)
			if err != nil {
				return &Error{Code: ExitUnavailable, What: "the demo server cannot listen on " + listen + ": " + err.Error(),
					Todo: "choose another address with --listen (port 0 picks a free one)", Err: err}
			}
			fmt.Fprintf(a.env.Stdout, "OCAPI mock listening on %s\n", running.URL)
			if first := server.FirstOrderID(); first != "" {
				fmt.Fprintf(a.env.Stdout, "Try: curl %s/ocapi/v1/orders/%s    (Ctrl+C stops)\n", running.URL, first)
			} else if sites := server.SiteIDs(); len(sites) > 0 {
				fmt.Fprintf(a.env.Stdout, "Try: curl -H 'Content-Type: application/json' -d '{\"siteId\":\"%s\",\"bookingMode\":\"Paid\"}' %s/ocapi/v1/orders/standard/booking    (Ctrl+C stops)\n", sites[0], running.URL)
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
	cmd.Flags().StringVar(&dataFile, "data", "", "demo-data JSON `file` (default: the built-in demo world)")
	cmd.Flags().StringVar(&faultSpec, "faults", "", "faults to inject: `spec` of comma-separated latency=DURATION, error=FRACTION, drop=FRACTION, seed=N")
	cmd.Flags().StringArrayVar(&missingLicences, "missing-licence", nil, "answer 403, as a tenant without it would, to operations needing this Vista `licence` (repeatable): "+strings.Join(mock.Licences(), ", "))
	return cmd
}
