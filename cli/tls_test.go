package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

var certLine = regexp.MustCompile(`TLS certificate \(PEM\): (\S+)`)

// `boxoffice mock --tls` serves https, says where its certificate is, and
// a client trusting that file (curl's --cacert, the counter's ca_file)
// reads from it; one that does not is refused.
func TestMockCommandServesTLS(t *testing.T) {
	inv := newInvocation(t)
	url, stop := startMock(t, inv, "--listen", "127.0.0.1:0", "--tls")
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("listening on %s, want https://127.0.0.1:", url)
	}
	m := certLine.FindStringSubmatch(inv.stdout.String())
	if m == nil {
		t.Fatalf("stdout names no certificate:\n%s", inv.stdout)
	}
	pemPath := m[1]
	assertContains(t, "stdout", inv.stdout.String(), "ca_file", "curl --cacert "+pemPath+" "+url+"/ocapi/v1/orders/"+demoOrder)
	if info, err := os.Stat(pemPath); err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("certificate file %s: %v %v", pemPath, info, err)
	}

	// The order command, as a script runs it against the mock.
	show := newInvocation(t)
	show.env["BOXOFFICE_API_URL"] = url
	show.env["BOXOFFICE_CA_FILE"] = pemPath
	if code := show.run("order", "show", "--order", demoOrder); code != ExitOK {
		t.Errorf("order show with ca_file: exit %d\n%s", code, show.stderr)
	}
	assertContains(t, "order show", show.stdout.String(), demoOrder)

	refused := newInvocation(t)
	refused.env["BOXOFFICE_API_URL"] = url
	if code := refused.run("order", "show", "--order", demoOrder); code == ExitOK {
		t.Error("order show without ca_file trusted the mock's certificate")
	}
	assertContains(t, "stderr", refused.stderr.String(), "the certificate of "+strings.TrimPrefix(url, "https://")+" is not trusted", "set ca_file")

	if code := stop(); code != ExitOK {
		t.Errorf("exit %d after stop, stderr %s", code, inv.stderr)
	}
	if _, err := os.Stat(pemPath); !os.IsNotExist(err) {
		t.Errorf("the temporary certificate file is left behind: %v", err)
	}
}

func TestMockCommandWritesTheCertificateWhereAsked(t *testing.T) {
	inv := newInvocation(t)
	out := filepath.Join(t.TempDir(), "mock.pem")
	url, stop := startMock(t, inv, "--listen", "127.0.0.1:0", "--tls", "--tls-cert-out", out)
	// The certificate's line follows the one that says where the mock
	// listens, which is all startMock waits for.
	eventually(t, "the mock to name its certificate", func() bool {
		return strings.Contains(inv.stdout.String(), "TLS certificate (PEM): "+out)
	})
	roots, err := api.TrustedRoots(out)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Options{BaseURL: url, RootCAs: roots})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetOrder(context.Background(), demoOrder); err != nil {
		t.Errorf("GetOrder trusting %s: %v", out, err)
	}
	stop()
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the certificate asked for with --tls-cert-out is gone after stop: %v", err)
	}

	bad := newInvocation(t)
	if code := bad.run("mock", "--listen", "127.0.0.1:0", "--tls-cert-out", out); code != ExitUsage {
		t.Errorf("--tls-cert-out without --tls: exit %d", code)
	}
	assertContains(t, "stderr", bad.stderr.String(), "--tls-cert-out needs --tls")
}

// With demo_tls the built-in demo server serves https and the commands
// that start it trust it by themselves; the doctor reads it over TLS.
func TestDemoTLSIsTrustedByItself(t *testing.T) {
	inv := newInvocation(t)
	r, code := doctorJSON(t, inv, "--demo-tls")
	if code != ExitOK || !r.Passed || !strings.HasPrefix(r.Server, "https://127.0.0.1:") {
		t.Fatalf("exit %d, report %+v\nstderr %s", code, r, inv.stderr)
	}
	if c := r.check(t, "tls"); c.Status != checkOK || !strings.Contains(c.Found, "is trusted") {
		t.Errorf("tls check %+v", c)
	}
}

func TestCAFileThatCannotBeUsedIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.pem")
	if err := os.WriteFile(path, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := newInvocation(t)
	inv.env["BOXOFFICE_CA_FILE"] = path
	if code := inv.run("order", "show", "--api-url", "https://127.0.0.1:1", "--order", demoOrder); code != ExitUsage {
		t.Errorf("exit %d", code)
	}
	assertContains(t, "stderr", inv.stderr.String(), "ca_file", "BOXOFFICE_CA_FILE", "holds no PEM certificate")
}
