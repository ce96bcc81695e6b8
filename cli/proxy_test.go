package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/api/proxy"
)

var proxyLine = regexp.MustCompile(`boxoffice proxy listening on (http://\S+),`)

// startProxyCommand runs `boxoffice proxy` with args and returns its URL
// and stop.
func startProxyCommand(t *testing.T, inv *invocation, args ...string) (string, func() int) {
	t.Helper()
	stop := inv.start(append([]string{"proxy", "--listen", "127.0.0.1:0"}, args...)...)
	var u string
	eventually(t, "the proxy to say where it listens", func() bool {
		if m := proxyLine.FindStringSubmatch(inv.stdout.String()); m != nil {
			u = m[1]
			return true
		}
		return false
	})
	return u, stop
}

func startTenant(t *testing.T, profile string) string {
	t.Helper()
	running, err := mock.Start("127.0.0.1:0", mock.New(mock.DefaultData(), mock.Options{Profile: profile}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { running.Close(context.Background()) })
	return running.URL
}

func addThrough(t *testing.T, base, barcode, pin string) int {
	t.Helper()
	body := `{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"` + barcode + `","pin":"` + pin + `"}}`
	req, _ := http.NewRequest("POST", base+"/ocapi/v1/orders/3f9c2a7be1d84c6f9a0b5e2d7c1f4a86/vouchers", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer cli-secret-token-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestProxyCommandReportsRecordsAndDoctorReadsIt(t *testing.T) {
	tenant := startTenant(t, mock.ProfileRepeatAdd)
	dir := t.TempDir()
	report, rec := filepath.Join(dir, "first-day.md"), filepath.Join(dir, "rec")
	inv := newInvocation(t)
	u, stop := startProxyCommand(t, inv, "--upstream", tenant, "--report", report, "--record", rec)
	assertContains(t, "the banner", inv.stdout.String(), "Report: "+report, "Recording: "+rec, "BOXOFFICE_API_URL="+u)
	for range 2 {
		if status := addThrough(t, u, "ADTMM0000111", "1234"); status != 200 {
			t.Fatalf("an add through the proxy: %d", status)
		}
	}
	if code := stop(); code != ExitOK {
		t.Fatalf("the proxy stopped with %d: %s", code, inv.stderr)
	}
	assertContains(t, "the last words", inv.stdout.String(), "Report written to "+report+": 2 exchange(s), 0 documented fact(s) violated")
	assertContains(t, "the log", inv.stderr.String(), "#2 POST /ocapi/v1/orders/3f9c2a7be1d84c6f9a0b5e2d7c1f4a86/vouchers 200")

	everything := inv.stdout.String() + inv.stderr.String()
	for _, f := range append(mustGlob(t, filepath.Join(rec, "*.json")), report) {
		raw, _ := os.ReadFile(f)
		everything += string(raw)
	}
	for _, secret := range []string{"cli-secret-token-42", "ADTMM0000111", `"1234"`} {
		if strings.Contains(everything, secret) {
			t.Errorf("the output, the report or the recording holds %q", secret)
		}
	}

	doctor := newInvocation(t)
	if code := doctor.run("doctor", "--contract", report); code != ExitOK {
		t.Fatalf("doctor --contract exited %d: %s", code, doctor.stderr)
	}
	assertContains(t, "doctor's table", doctor.stdout.String(), "ok          report ", "warn        voucher.repeat-add",
		"the same id", "ok          voucher.mask", "not checked voucher.429-body")

	replay := newInvocation(t)
	replayed, stopReplay := startMock(t, replay, "--listen", "127.0.0.1:0", "--replay", rec)
	assertContains(t, "the mock's banner", replay.stdout.String(), "Replaying 2 recorded exchange(s)")
	for i := range 2 {
		if status := addThrough(t, replayed, "ADTMM0000111", "1234"); status != 200 {
			t.Errorf("replayed add %d: %d", i+1, status)
		}
	}
	if status := addThrough(t, replayed, "ADTMM0000111", "1234"); status != http.StatusNotImplemented {
		t.Errorf("an add past the recording: %d, want 501", status)
	}
	stopReplay()
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files %s (%v)", pattern, err)
	}
	return files
}

func TestProxyCommandRefusesWhatTheCounterRefuses(t *testing.T) {
	report := filepath.Join(t.TempDir(), "r.md")
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--upstream", "http://tenant.example", "--report", report}, "would send tokens and PINs unencrypted to another machine"},
		{[]string{"--upstream", "https://user:pw@tenant.example", "--report", report}, "carries credentials"},
		{[]string{"--upstream", "https://tenant.example", "--report", report, "--listen", "0.0.0.0:0"}, "would take tokens and PINs unencrypted from other machines"},
		{[]string{"--upstream", "https://tenant.example", "--report", report, "--ca-file", "/nonexistent.pem"}, "--ca-file"},
		{[]string{"--upstream", "https://tenant.example", "--report", "/nonexistent/dir/r.md"}, "does not exist"},
		{[]string{"--upstream", "https://tenant.example"}, `--report is required`},
	} {
		inv := newInvocation(t)
		if code := inv.run(append([]string{"proxy"}, tc.args...)...); code != ExitUsage {
			t.Errorf("%v: exit %d, want 2; %s", tc.args, code, inv.stderr)
		}
		assertContains(t, "stderr", inv.stderr.String(), tc.says)
	}

	inv := newInvocation(t)
	_, stop := startProxyCommand(t, inv, "--upstream", "http://tenant.example", "--report", report, "--allow-insecure-http")
	if code := stop(); code != ExitOK {
		t.Errorf("with --allow-insecure-http: exit %d: %s", code, inv.stderr)
	}
}

// doctor --contract fails when the tenant broke a documented fact, in its
// table and in JSON.
func TestDoctorContractFailsOnADocumentedViolation(t *testing.T) {
	tenant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusConflict)
	}))
	defer tenant.Close()
	upstream, _ := url.Parse(tenant.URL)
	report := filepath.Join(t.TempDir(), "r.json")
	p, err := proxy.New(proxy.Options{Upstream: upstream, Report: report, JSON: true})
	if err != nil {
		t.Fatal(err)
	}
	served, err := mock.Start("127.0.0.1:0", p)
	if err != nil {
		t.Fatal(err)
	}
	addThrough(t, served.URL, "ADTMM0000111", "1234")
	served.Close(context.Background())
	p.Close()

	inv := newInvocation(t)
	if code := inv.run("doctor", "--contract", report); code != ExitCheckFailed {
		t.Fatalf("exit %d, want 1: %s", code, inv.stderr)
	}
	assertContains(t, "the table", inv.stdout.String(),
		"FAIL        violation      [doc] OcapiOrderVouchers_AddVoucher: the tenant's answer: status: the operation does not list this status")
	assertContains(t, "stderr", inv.stderr.String(), "1 documented fact(s) of the contract were violated", "send the report back")

	inv = newInvocation(t)
	inv.run("doctor", "--contract", report, "--json")
	var out struct {
		Passed bool
		Checks []struct{ Name, Status string }
	}
	if err := json.Unmarshal([]byte(inv.stdout.String()), &out); err != nil || out.Passed || out.Checks[1].Status != "fail" {
		t.Errorf("JSON: %v %+v", err, out)
	}

	notAReport := filepath.Join(t.TempDir(), "notes.md")
	os.WriteFile(notAReport, []byte("# my notes\n"), 0o600)
	inv = newInvocation(t)
	if code := inv.run("doctor", "--contract", notAReport); code != ExitUsage {
		t.Errorf("a file that is no report: exit %d", code)
	}
	assertContains(t, "stderr", inv.stderr.String(), "not a report of boxoffice proxy")
}
