package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
)

// At a terminal, the counter refuses to start with the first of its
// problems, in order: the settings, the demo data, the client's settings,
// then the journal; each refusal says what is wrong and what to do.
func TestCounterRefusalsAtATerminal(t *testing.T) {
	dir := t.TempDir()
	notPEM, badDemo := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "demo.json")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(badDemo, []byte(`{"vouchers": [], "sites": [{"id": "1"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	folder := t.TempDir() // a journal cannot be a folder
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"the settings before the demo data", map[string]string{"BOXOFFICE_TIMEOUT": "10", "BOXOFFICE_DEMO_DATA": badDemo},
			`boxoffice: timeout (from environment variable BOXOFFICE_TIMEOUT): "10" is not a duration — write a number with a unit, e.g. 250ms or 10s`},
		{"the demo data before the client", map[string]string{"BOXOFFICE_DEMO_DATA": badDemo, "BOXOFFICE_CA_FILE": notPEM},
			"boxoffice: demo_data (from environment variable BOXOFFICE_DEMO_DATA): " + badDemo + ": $.sites[0].name: must not be empty"},
		{"the client before the journal", map[string]string{"BOXOFFICE_CA_FILE": notPEM, "BOXOFFICE_JOURNAL": folder},
			"boxoffice: ca_file (from environment variable BOXOFFICE_CA_FILE): " + notPEM +
				" holds no PEM certificate (a block beginning -----BEGIN CERTIFICATE-----) — point ca_file at a readable PEM file of the certificates to trust, or unset it"},
		{"the journal", map[string]string{"BOXOFFICE_JOURNAL": folder},
			"boxoffice: audit journal " + folder + ": is not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer ptmx.Close()
			defer tty.Close()
			go io.Copy(io.Discard, ptmx)
			inv := newInvocation(t)
			for k, v := range tc.env {
				inv.env[k] = v
			}
			env := inv.cliEnv()
			env.Stdin, env.Stdout = tty, tty
			// A counter that starts after all is stopped rather than waited for.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if code := Run(ctx, nil, env); code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			assertContains(t, "stderr", inv.stderr.String(), tc.want)
		})
	}
}
