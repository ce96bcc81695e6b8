package cli

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api/mock"
)

// complete runs `boxoffice __complete args...`, as a shell's completion
// script does, and returns the values offered (without descriptions), the
// descriptions by value, and the directive.
func complete(t *testing.T, args ...string) (values []string, docs map[string]string, directive cobra.ShellCompDirective) {
	t.Helper()
	inv := newInvocation(t)
	if code := inv.run(append([]string{cobra.ShellCompRequestCmd}, args...)...); code != ExitOK {
		t.Fatalf("__complete %q: exit %d, stderr %s", args, code, inv.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(inv.stdout.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	d, err := strconv.Atoi(strings.TrimPrefix(last, ":"))
	if !strings.HasPrefix(last, ":") || err != nil {
		t.Fatalf("__complete %q: no directive in %q", args, inv.stdout)
	}
	docs = map[string]string{}
	for _, line := range lines[:len(lines)-1] {
		value, doc, _ := strings.Cut(line, "\t")
		values = append(values, value)
		docs[value] = doc
	}
	return values, docs, cobra.ShellCompDirective(d)
}

func TestFlagValuesComplete(t *testing.T) {
	const (
		noFiles   = cobra.ShellCompDirectiveNoFileComp
		byExt     = cobra.ShellCompDirectiveFilterFileExt
		anyFile   = cobra.ShellCompDirectiveDefault
		described = "described"
	)
	tests := []struct {
		args      []string
		want      []string // values, or extensions for byExt
		directive cobra.ShellCompDirective
		docs      string // described: every value has a description
	}{
		{[]string{"--voucher-type", ""}, []string{"Ticket", "Deal", "Subscription"}, noFiles, described},
		{[]string{"--pin-prompt", ""}, []string{"ask", "never"}, noFiles, described},
		{[]string{"--log-format", ""}, []string{"text", "json"}, noFiles, described},
		{[]string{"--log-level", ""}, []string{"debug", "info", "warn", "error"}, noFiles, described},
		{[]string{"--config", ""}, []string{"toml"}, byExt, ""},
		{[]string{"--demo-data", ""}, []string{"json"}, byExt, ""},
		{[]string{"--journal", ""}, []string{"jsonl"}, byExt, ""},
		{[]string{"--log", ""}, nil, anyFile, ""},
		{[]string{"--api-url", ""}, nil, noFiles, ""},
		{[]string{"--timeout", ""}, nil, noFiles, ""},
		{[]string{"--site", ""}, nil, noFiles, ""},
		// The same flags on the commands that take the settings.
		{[]string{"order", "show", "--log-format", ""}, []string{"text", "json"}, noFiles, described},
		{[]string{"voucher", "add", "--voucher-type", ""}, []string{"Ticket", "Deal", "Subscription"}, noFiles, described},
		{[]string{"voucher", "add", "--journal", ""}, []string{"jsonl"}, byExt, ""},
		{[]string{"voucher", "add", "--showtime", ""}, nil, noFiles, ""},
		{[]string{"doctor", "--log-level", ""}, []string{"debug", "info", "warn", "error"}, noFiles, described},
		{[]string{"config", "show", "--config", ""}, []string{"toml"}, byExt, ""},
		{[]string{"config", "init", "--config", ""}, []string{"toml"}, byExt, ""},
		// The mock's own.
		{[]string{"mock", "--data", ""}, []string{"json"}, byExt, ""},
		{[]string{"mock", "--missing-licence", ""}, []string{"Vista.Ocapi", "Vista.Ocapi.EmbeddedPayment", "Vista.Ocapi.TicketPricesForShowtime"}, noFiles, described},
		{[]string{"mock", "--listen", ""}, nil, noFiles, ""},
		{[]string{"mock", "--faults", ""}, nil, noFiles, ""},
		// Arguments are ids and barcodes, not files.
		{[]string{"voucher", "add", ""}, nil, noFiles, ""},
		{[]string{"order", "show", ""}, nil, noFiles, ""},
		{[]string{"mock", ""}, nil, noFiles, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			values, docs, directive := complete(t, tt.args...)
			if !slices.Equal(values, tt.want) {
				t.Errorf("offered %q, want %q", values, tt.want)
			}
			if directive != tt.directive {
				t.Errorf("directive %d, want %d", directive, tt.directive)
			}
			if tt.docs == described {
				for _, v := range values {
					if docs[v] == "" {
						t.Errorf("%s has no description", v)
					}
				}
			}
		})
	}
}

// The flags mock does not take are not offered to it, and the counter's
// are offered to the counter.
func TestFlagNamesComplete(t *testing.T) {
	tests := []struct {
		args      []string
		want, not []string
	}{
		{[]string{"mock", "--"}, []string{"--listen", "--data", "--faults", "--missing-licence"},
			[]string{"--demo-data", "--demo-faults", "--api-url", "--config", "--journal", "--log", "--token"}},
		{[]string{"--"}, []string{"--config", "--demo-data", "--voucher-type", "--journal"}, []string{"--listen", "--token", "--password"}},
		{[]string{"config", "init", "--"}, []string{"--config", "--force"}, []string{"--api-url"}},
	}
	for _, tt := range tests {
		values, _, _ := complete(t, tt.args...)
		for _, want := range tt.want {
			if !slices.Contains(values, want) {
				t.Errorf("%q offers %q, without %s", tt.args, values, want)
			}
		}
		for _, not := range tt.not {
			if slices.Contains(values, not) {
				t.Errorf("%q offers %s", tt.args, not)
			}
		}
	}
}

func TestEveryLicenceHasADescription(t *testing.T) {
	for _, l := range mock.Licences() {
		if mockLicenceDocs[l] == "" {
			t.Errorf("licence %s has no description for completion", l)
		}
	}
}

// Every command takes only the flags it uses: the counter's own settings
// (--bell, --pin-prompt, the demo's) are not in a scripting command's
// --help, its completion or its command line.
func TestCommandsTakeOnlyTheFlagsTheyUse(t *testing.T) {
	counterOnly := []string{"--bell", "--pin-prompt", "--demo-data", "--demo-faults", "--demo-tls", "--scan-idle-gap",
		"--keep-alive", "--voucher-prefixes"}
	for _, tt := range []struct {
		cmd      []string
		takes    []string
		notTakes []string
	}{
		{[]string{"order", "show"}, []string{"--api-url", "--order", "--journal", "--json"}, append([]string{"--site", "--voucher-type", "--operator"}, counterOnly...)},
		{[]string{"order", "new"}, []string{"--api-url", "--site"}, append([]string{"--order", "--journal", "--voucher-type"}, counterOnly...)},
		{[]string{"order", "complete"}, []string{"--order", "--journal", "--operator", "--counter-name"}, append([]string{"--site", "--voucher-type"}, counterOnly...)},
		{[]string{"order", "cancel"}, []string{"--order", "--journal", "--operator"}, append([]string{"--site"}, counterOnly...)},
		{[]string{"voucher", "add"}, []string{"--voucher-type", "--pin-stdin", "--no-pin", "--showtime", "--operator"}, append([]string{"--site"}, counterOnly...)},
		{[]string{"voucher", "list"}, []string{"--order", "--journal"}, append([]string{"--voucher-type", "--operator", "--site"}, counterOnly...)},
		{[]string{"voucher", "remove"}, []string{"--order", "--journal", "--operator"}, append([]string{"--voucher-type", "--site"}, counterOnly...)},
		{[]string{"doctor"}, []string{"--api-url", "--site", "--order", "--demo-data"}, []string{"--bell", "--pin-prompt", "--journal", "--voucher-type", "--keep-alive"}},
		{[]string{"journal", "verify"}, []string{"--journal"}, []string{"--since", "--server", "--api-url"}},
		{[]string{"journal", "summary"}, []string{"--since", "--server"}, []string{"--api-url", "--order"}},
	} {
		name := strings.Join(tt.cmd, " ")
		inv := newInvocation(t)
		help := inv.mustRun(append(tt.cmd, "--help")...)
		_, docs, _ := complete(t, append(tt.cmd, "--")...)
		for _, f := range tt.takes {
			if !strings.Contains(help, f+" ") {
				t.Errorf("%s --help does not list %s", name, f)
			}
			if _, offered := docs[f]; !offered {
				t.Errorf("%s does not complete %s", name, f)
			}
		}
		for _, f := range tt.notTakes {
			if strings.Contains(help, f+" ") {
				t.Errorf("%s --help lists %s, which it does not use", name, f)
			}
			if _, offered := docs[f]; offered {
				t.Errorf("%s completes %s, which it does not use", name, f)
			}
			bad := newInvocation(t)
			if code := bad.run(append(append([]string{}, tt.cmd...), f, "x")...); code != ExitUsage || !strings.Contains(bad.stderr.String(), "unknown flag: "+f) {
				t.Errorf("%s %s: exit %d, %s", name, f, code, bad.stderr)
			}
		}
	}
}
