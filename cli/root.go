// Package cli is boxoffice's command line: the counter screen, the
// standalone demo server, and commands for scripts.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/boxoffice/boxoffice/config"
)

// Version is set at build time with
// -ldflags "-X github.com/boxoffice/boxoffice/cli.Version=1.2.3".
var Version string

// version is the build-time version, else the module version of an installed
// binary (go install ...@v1.2.3), else "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Env is what a run of the command line takes from its process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// SetMemoryLimit sets the process's soft memory limit
	// (debug.SetMemoryLimit) once the command is known; nil leaves it.
	SetMemoryLimit func(int64) int64
}

// Main runs the command line with the process's arguments and streams and
// returns the exit code.
func Main() int {
	return Run(context.Background(), os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		SetMemoryLimit: debug.SetMemoryLimit})
}

// Run runs the command line with args and returns the exit code. Failures
// are printed to env.Stderr as "boxoffice: <what> — <what to do>".
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	a := &app{env: env}
	root := a.counterCommand()
	if namesCommand(root, args) {
		a.addCommands(root)
	}
	noFileArguments(root)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if !a.parsed {
		// Cobra refused the command line before any command ran.
		var ce *Error
		if !errors.As(err, &ce) {
			err = usageError(err, "run 'boxoffice --help' for usage")
		}
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(env.Stderr, "boxoffice: %s\n", line)
	}
	return ExitCode(err)
}

// app carries what the commands of one run share.
type app struct {
	env        Env
	configFile string
	// parsed is set once cobra has accepted the command line; errors before
	// that are usage errors.
	parsed bool
	// jsonOutput is --json of the scripting commands.
	jsonOutput bool
}

const rootExamples = `  # Try it: the counter screen against the built-in demo server
  boxoffice

  # Rehearse a flaky network with the demo server
  boxoffice --demo-faults 'latency=800ms,drop=0.1'

  # A real tenant, opening one order
  BOXOFFICE_TOKEN=... boxoffice --api-url https://mytenant-digital-api.app.vista.co --order 3f9c2a7be1d84c6f9a0b5e2d7c1f4a86

  # The demo server on its own, for scripts and other tools
  boxoffice mock --listen 127.0.0.1:8080

  # Scripting against it
  export BOXOFFICE_API_URL=http://127.0.0.1:8080 BOXOFFICE_ORDER=3f9c2a7be1d84c6f9a0b5e2d7c1f4a86
  printf '1234\n' | boxoffice voucher add ADTMM0000111 --pin-stdin

  # What settings are in effect, and where each came from
  boxoffice config show`

// counterCommand is the counter screen, the command line's root, alone.
func (a *app) counterCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "boxoffice",
		Short: "Attach cinema vouchers to Vista OCAPI orders at the box office",
		Long: `boxoffice is the box-office counter screen for attaching vouchers to an
in-progress Vista OCAPI order: scan or type a barcode and PIN, and it adds
the voucher to the order and shows what each attached voucher can still pay for.

Without an API URL it runs against a built-in demo server with demo data.

Settings come from defaults, then the config file, then BOXOFFICE_*
environment variables, then flags. Secrets (token, password) are never taken
as flags. The config file is the one --config names, else the one
BOXOFFICE_CONFIG names, else $XDG_CONFIG_HOME/boxoffice/config.toml
(~/.config/boxoffice/config.toml).

NO_COLOR (set to anything) draws the counter screen without colour, bold or
reverse video; every state is also in words and symbols (CLICOLOR=0 does the
same unless CLICOLOR_FORCE is set).

` + seeExitCodes,
		Example:       rootExamples,
		Version:       version(),
		Args:          cobra.NoArgs,
		SilenceErrors: true,
		// A mistyped command gets one line naming the mistake and pointing
		// to --help; the whole usage on standard output would bury that
		// line, and would land in the output a script is reading.
		SilenceUsage: true,
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			a.parsed = true
			a.applyMemoryLimit(cmd)
		},
		RunE: a.runCounter,
	}
	root.SetVersionTemplate("boxoffice {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError(err, "run 'boxoffice --help' for usage")
	})

	a.addSettingsFlags(root, root.Flags())
	return root
}

// addCommands adds every command beside the counter.
func (a *app) addCommands(root *cobra.Command) {
	root.AddCommand(a.mockCommand(), a.proxyCommand(), a.orderCommand(), a.voucherCommand(), a.configCommand(), a.doctorCommand(), a.journalCommand(), exitCodesTopic())
}

// namesCommand reports whether args, read against the counter's own
// flags, name a command (or anything else cobra would not take as the
// counter's flags and their values) or ask for help, which lists the
// commands. The counter starts without building the other commands: each
// defines its own flags, and building them all cost a cold process about
// 3 ms before the counter could dial its server.
func namesCommand(counter *cobra.Command, args []string) bool {
	flags := counter.Flags()
	takesValue := func(f *pflag.Flag) bool { return f != nil && f.NoOptDefVal == "" }
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--":
			return i+1 < len(args)
		case arg == "--help" || arg == "-h":
			return true
		case arg == "-" || !strings.HasPrefix(arg, "-"):
			return true
		case strings.Contains(arg, "="):
		case strings.HasPrefix(arg, "--"):
			if takesValue(flags.Lookup(arg[2:])) {
				i++
			}
		case len(arg) == 2:
			if takesValue(flags.ShorthandLookup(arg[1:])) {
				i++
			}
		}
	}
	return false
}

// loadConfig reads the settings for cmd and prints their warnings.
func (a *app) loadConfig(cmd *cobra.Command) (*config.Config, error) {
	cfg, err := config.Load(config.LoadOptions{ConfigFile: a.configFile, Getenv: a.env.Getenv, Flags: cmd.Flags()})
	if err != nil {
		return nil, &Error{Code: ExitUsage, What: err.Error(), Err: err}
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(a.env.Stderr, "boxoffice: warning: %s\n", w)
	}
	return cfg, nil
}
