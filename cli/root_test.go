package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

func TestVersion(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("--version"); code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, inv.stderr)
	}
	if got, want := inv.stdout.String(), "boxoffice "+version()+"\n"; got != want {
		t.Errorf("--version printed %q, want %q", got, want)
	}

	old := Version
	Version = "1.2.3"
	t.Cleanup(func() { Version = old })
	inv = newInvocation(t)
	inv.run("--version")
	if got := inv.stdout.String(); got != "boxoffice 1.2.3\n" {
		t.Errorf("--version with a build-time version printed %q", got)
	}
}

func TestVersionFallsBackToDev(t *testing.T) {
	old := Version
	Version = ""
	t.Cleanup(func() { Version = old })
	// A test binary has no module version of its own.
	if got := version(); got != "dev" && !strings.HasPrefix(got, "v") {
		t.Errorf("version() = %q, want dev or a module version", got)
	}
}

func TestHelp(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("--help"); code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, inv.stderr)
	}
	help := inv.stdout.String()
	assertContains(t, "--help", help,
		"Examples:", "boxoffice mock --listen 127.0.0.1:8080", "boxoffice config show",
		"Exit codes: see 'boxoffice help exit-codes'.", "Additional help topics:", "boxoffice exit-codes",
		"BOXOFFICE_CONFIG names", "NO_COLOR",
		"--config file", "--api-url URL", "--allow-insecure-http", "--region code", "--site site",
		"--order id", "--demo-data file", "--demo-faults spec", "--journal file", "--log file",
		"--log-format format", "--log-level level", "--pin-prompt mode", "--voucher-type type",
		"--scan-idle-gap pause", "--timeout duration", "--version",
	)
	if strings.Contains(help, "--token") || strings.Contains(help, "--password") {
		t.Errorf("--help offers a secret as a flag:\n%s", help)
	}
}

// The counter starts without building the other commands, yet help lists
// them after any of the counter's flags, and a command named after them
// runs.
func TestCommandsAfterTheCountersFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-h"},
		{"--order", "abc", "--help"},
		{"--pin-prompt=never", "--timeout", "2s", "-h"},
	} {
		inv := newInvocation(t)
		if code := inv.run(args...); code != ExitOK {
			t.Fatalf("%v: exit %d, stderr %s", args, code, inv.stderr)
		}
		assertContains(t, fmt.Sprintf("help of %v", args), inv.stdout.String(), "Available Commands:", "doctor", "journal", "mock", "voucher")
	}
	inv := newInvocation(t)
	if code := inv.run("--timeout", "2s", "config", "show"); code != ExitOK {
		t.Fatalf("config show after --timeout 2s: exit %d, stderr %s", code, inv.stderr)
	}
	assertContains(t, "config show", inv.stdout.String(), "timeout", "2s")
}

// namesCommand tells the counter's command lines, which need no other
// command built, from the rest.
func TestNamesCommand(t *testing.T) {
	counter := (&app{}).counterCommand()
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--order", "mock"}, false},
		{[]string{"--order=abc", "--pin-prompt", "never", "--allow-insecure-http"}, false},
		{[]string{"--version"}, false},
		{[]string{"--bogus"}, false},
		{[]string{"mock"}, true},
		{[]string{"--order", "abc", "voucher", "list"}, true},
		{[]string{"--allow-insecure-http", "doctor"}, true},
		{[]string{"--json", "order", "show"}, true},
		{[]string{"-h"}, true},
		{[]string{"--", "x"}, true},
		{[]string{"-"}, true},
	} {
		if got := namesCommand(counter, tc.args); got != tc.want {
			t.Errorf("namesCommand(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// The exit codes are told in one help topic; the commands' help points to
// it rather than repeating the table.
func TestExitCodesHelpTopic(t *testing.T) {
	topic := exitCodesHelp(t)
	for _, e := range exitCodeMeanings {
		assertContains(t, "help exit-codes", topic, fmt.Sprintf("  %d  %s\n", e.code, e.meaning))
	}
	for _, args := range [][]string{{"--help"}, {"order", "--help"}, {"voucher", "--help"}, {"mock", "--help"}} {
		inv := newInvocation(t)
		if code := inv.run(args...); code != ExitOK {
			t.Fatalf("%v: exit %d, stderr %s", args, code, inv.stderr)
		}
		help := inv.stdout.String()
		assertContains(t, fmt.Sprint(args), help, "Exit codes: see 'boxoffice help exit-codes'.")
		for _, e := range exitCodeMeanings {
			if strings.Contains(help, e.meaning) {
				t.Errorf("%v repeats the exit-code table (%q)", args, e.meaning)
			}
		}
	}
}

// exitCodesHelp is what 'boxoffice help exit-codes' prints.
func exitCodesHelp(t *testing.T) string {
	t.Helper()
	inv := newInvocation(t)
	if code := inv.run("help", "exit-codes"); code != ExitOK {
		t.Fatalf("help exit-codes: exit %d, stderr %s", code, inv.stderr)
	}
	return inv.stdout.String()
}

// BOXOFFICE_CONFIG chooses the file the commands read and config init
// writes, below --config.
func TestConfigFileFromTheEnvironment(t *testing.T) {
	inv := newInvocation(t)
	named := filepath.Join(inv.home, "till", "boxoffice.toml")
	inv.env["BOXOFFICE_CONFIG"] = named
	if out := inv.mustRun("config", "init"); out != "Wrote an example config to "+named+".\n" {
		t.Errorf("config init printed %q", out)
	}
	if err := os.WriteFile(named, []byte("site = \"0042\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inv.stdout = &syncBuffer{}
	out := inv.mustRun("config", "show")
	assertContains(t, "config show", out, "Config file: "+named+" (read; named by BOXOFFICE_CONFIG)")
	assertMatches(t, "config show", out, `site\s+file\s+0042\n`)

	flagFile := writeConfig(t, t.TempDir(), "site = \"0007\"\n")
	inv.stdout = &syncBuffer{}
	out = inv.mustRun("config", "show", "--config", flagFile)
	assertContains(t, "config show --config", out, "Config file: "+flagFile+" (read)\n")
	assertMatches(t, "config show --config", out, `site\s+file\s+0007\n`)

	inv = newInvocation(t)
	inv.env["BOXOFFICE_CONFIG"] = filepath.Join(inv.home, "nope.toml")
	stderr := inv.mustFail(ExitUsage, "config", "show")
	assertContains(t, "stderr", stderr, "boxoffice: config file "+inv.env["BOXOFFICE_CONFIG"]+" (named by BOXOFFICE_CONFIG) does not exist — check the path in BOXOFFICE_CONFIG")
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "boxoffice: unknown flag: --bogus — run 'boxoffice --help' for usage"},
		{[]string{"frobnicate"}, `boxoffice: unknown command "frobnicate" for "boxoffice"`},
		{[]string{"mock", "extra"}, `boxoffice: unknown command "extra" for "boxoffice mock"`},
	}
	for _, tt := range tests {
		inv := newInvocation(t)
		if code := inv.run(tt.args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, code, ExitUsage)
		}
		assertContains(t, fmt.Sprintf("stderr of %v", tt.args), inv.stderr.String(), tt.want)
		if out := inv.stdout.String(); out != "" {
			t.Errorf("%v printed to standard output, where a script reads results:\n%s", tt.args, out)
		}
	}
}

func TestSecretFlagsRefused(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("--token", "abc123"); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	stderr := inv.stderr.String()
	assertContains(t, "stderr", stderr, "boxoffice: token (from flag --token):", "BOXOFFICE_TOKEN")
	if strings.Contains(stderr, "abc123") {
		t.Errorf("stderr shows the token: %s", stderr)
	}
}

func TestConfigErrorsExitWithUsage(t *testing.T) {
	inv := newInvocation(t)
	inv.env["BOXOFFICE_TIMEOUT"] = "10"
	inv.env["BOXOFFICE_API_URL"] = "http://ocapi.example.com"
	if code := inv.run(); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	assertContains(t, "stderr", inv.stderr.String(),
		"boxoffice: timeout (from environment variable BOXOFFICE_TIMEOUT): \"10\" is not a duration",
		"boxoffice: api_url (from environment variable BOXOFFICE_API_URL): http://ocapi.example.com would send tokens and PINs unencrypted",
	)
}

func TestMissingConfigFile(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("--config", inv.home+"/nope.toml"); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	assertContains(t, "stderr", inv.stderr.String(), "boxoffice: config file "+inv.home+"/nope.toml does not exist")
}

func TestCounterNeedsATerminal(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run(); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	assertContains(t, "stderr", inv.stderr.String(), "boxoffice: the counter screen needs a terminal — run boxoffice in a terminal")
}

func TestBadDemoSettingsRefused(t *testing.T) {
	inv := newInvocation(t)
	if code := inv.run("--demo-faults", "bogus!"); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	assertContains(t, "stderr", inv.stderr.String(), "boxoffice: demo_faults (from flag --demo-faults): ")

	inv = newInvocation(t)
	inv.env["BOXOFFICE_DEMO_DATA"] = inv.home + "/missing.json"
	if code := inv.run(); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	assertContains(t, "stderr", inv.stderr.String(), "boxoffice: demo_data (from environment variable BOXOFFICE_DEMO_DATA): ", "missing.json")
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{&api.Error{Kind: api.KindRejected, Status: 400}, ExitRejected},
		{&api.Error{Kind: api.KindRateLimited, Status: 429}, ExitRejected},
		{&api.Error{Kind: api.KindInvalidInput}, ExitUsage},
		{&api.Error{Kind: api.KindUnauthorized, Status: 401}, ExitAuth},
		{&api.Error{Kind: api.KindForbidden, Status: 403}, ExitAuth},
		{&api.Error{Kind: api.KindServer, Status: 503, OutcomeUnknown: true}, ExitUnavailable},
		{&api.Error{Kind: api.KindServer, Status: 500}, ExitUnavailable},
		{&api.Error{Kind: api.KindNetwork}, ExitUnavailable},
		{&api.Error{Kind: api.KindTimeout, OutcomeUnknown: true}, ExitUnavailable},
		{&api.Error{Kind: api.KindNotFound, Status: 404}, ExitNotFound},
		{fmt.Errorf("wrapped: %w", &api.Error{Kind: api.KindNotFound}), ExitNotFound},
		{&Error{Code: ExitUsage, What: "x"}, ExitUsage},
		{errors.New("anything else"), ExitRejected},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
		if tt.err == nil {
			continue
		}
		if got := ExitCode(explainAPIError(tt.err, "http://x")); got != tt.want {
			t.Errorf("ExitCode(explainAPIError(%v)) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
