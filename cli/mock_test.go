package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
)

var listeningLine = regexp.MustCompile(`OCAPI mock listening on (https?://\S+)\n`)

// startMock runs `boxoffice mock` with args and returns its URL and stop.
func startMock(t *testing.T, inv *invocation, args ...string) (string, func() int) {
	t.Helper()
	stop := inv.start(append([]string{"mock"}, args...)...)
	var url string
	eventually(t, "the mock to say where it listens", func() bool {
		if m := listeningLine.FindStringSubmatch(inv.stdout.String()); m != nil {
			url = m[1]
			return true
		}
		return false
	})
	return url, stop
}

func TestMockCommandServesTheDemoWorld(t *testing.T) {
	inv := newInvocation(t)
	url, stop := startMock(t, inv, "--listen", "127.0.0.1:0")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("listening on %s, want 127.0.0.1", url)
	}

	firstOrder := mock.New(mock.DefaultData(), mock.Options{}).FirstOrderID()
	assertContains(t, "stdout", inv.stdout.String(), "curl "+url+"/ocapi/v1/orders/"+firstOrder)

	resp, err := http.Get(url + "/ocapi/v1/orders/" + firstOrder)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), firstOrder) {
		t.Errorf("GET the seeded order: %d %s", resp.StatusCode, body)
	}
	eventually(t, "a request log line on stderr", func() bool {
		return strings.Contains(inv.stderr.String(), "/ocapi/v1/orders/"+firstOrder)
	})
	if strings.Contains(inv.stderr.String(), "warning") {
		t.Errorf("loopback listen warned: %s", inv.stderr)
	}

	if code := stop(); code != ExitOK {
		t.Errorf("exit %d after stop, stderr %s", code, inv.stderr)
	}
	if _, err := http.Get(url + "/ocapi/v1/orders/" + firstOrder); err == nil {
		t.Error("the mock still answers after it stopped")
	}
}

func TestMockCommandWarnsWhenNotLoopback(t *testing.T) {
	inv := newInvocation(t)
	_, stop := startMock(t, inv, "--listen", "0.0.0.0:0")
	assertContains(t, "stderr", inv.stderr.String(), "boxoffice: warning: listening on 0.0.0.0:0", "no real security")
	if code := stop(); code != ExitOK {
		t.Errorf("exit %d", code)
	}
}

func TestMockCommandRefusesBadInput(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want []string
	}{
		{[]string{"--faults", "bogus!"}, nil, []string{`boxoffice: faults "bogus!": each item must be key=value`}},
		{[]string{"--listen", "nonsense"}, nil, []string{`boxoffice: --listen "nonsense" is not host:port`}},
		{[]string{"--data", "/nonexistent/demo.json"}, nil, []string{"boxoffice: demo data /nonexistent/demo.json: ", "fix the demo-data file, or leave out --data"}},
		{nil, map[string]string{"BOXOFFICE_DEMO_DATA": "/nonexistent"}, []string{
			"boxoffice: demo_data (from environment variable BOXOFFICE_DEMO_DATA): demo data /nonexistent: ",
			"fix the demo-data file, or unset BOXOFFICE_DEMO_DATA for the built-in demo world"}},
		{nil, map[string]string{"BOXOFFICE_DEMO_FAULTS": "bogus!"}, []string{`boxoffice: demo_faults (from environment variable BOXOFFICE_DEMO_FAULTS): faults "bogus!": each item must be key=value`}},
		{[]string{"--faults", "bogus!"}, map[string]string{"BOXOFFICE_DEMO_FAULTS": "latency=1ms"}, []string{`boxoffice: faults "bogus!": each item must be key=value`}},
		{[]string{"--profile", "lenient"}, nil, []string{`boxoffice: --profile: unknown profile "lenient" (want one of vista-reference, vista-guide, sparse`, "see the profiles in 'boxoffice mock --help'"}},
		{[]string{"--cors-origin", "localhost:3000"}, nil, []string{`boxoffice: --cors-origin "localhost:3000": want * or scheme://host[:port]`}},
		{[]string{"--journal-size", "-1"}, nil, []string{`--journal-size must not be negative`}},
	}
	for _, tt := range tests {
		inv := newInvocation(t)
		for k, v := range tt.env {
			inv.env[k] = v
		}
		args := append([]string{"mock", "--listen", "127.0.0.1:0"}, tt.args...)
		if code := inv.run(args...); code != ExitUsage {
			t.Errorf("%v %v: exit %d, want %d", tt.env, tt.args, code, ExitUsage)
		}
		assertContains(t, "stderr", inv.stderr.String(), tt.want...)
		if inv.stdout.String() != "" {
			t.Errorf("%v: the mock started: %s", tt.args, inv.stdout)
		}
	}
}

// The mock takes only its own flags: the counter's settings given to it are
// refused with what to use instead, rather than ignored.
func TestMockRefusesFlagsItDoesNotTake(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--demo-data", "/nonexistent"}, []string{"boxoffice: unknown flag: --demo-data — boxoffice mock takes demo_data as --data (or BOXOFFICE_DEMO_DATA)"}},
		{[]string{"--demo-faults=latency=1s"}, []string{"boxoffice: unknown flag: --demo-faults — boxoffice mock takes demo_faults as --faults (or BOXOFFICE_DEMO_FAULTS)"}},
		{[]string{"--api-url", "http://127.0.0.1:1"}, []string{"boxoffice: unknown flag: --api-url — --api-url belongs to the counter", "takes only --admin-token, --cors-origin, --data, --faults, --journal-size, --listen, --missing-licence, --profile, --replay, --tls, --tls-cert-out and --validate"}},
		{[]string{"--config", "/nonexistent.toml"}, []string{"unknown flag: --config — --config belongs to the counter"}},
		{[]string{"--journal", "/tmp/j.jsonl"}, []string{"unknown flag: --journal — --journal belongs to the counter"}},
		{[]string{"--token", "abc123"}, []string{"boxoffice: unknown flag: --token — run 'boxoffice mock --help' for its flags"}},
		{[]string{"--bogus"}, []string{"boxoffice: unknown flag: --bogus — run 'boxoffice mock --help' for its flags"}},
	}
	for _, tt := range tests {
		inv := newInvocation(t)
		args := append([]string{"mock", "--listen", "127.0.0.1:0"}, tt.args...)
		if code := inv.run(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, code, ExitUsage)
		}
		assertContains(t, fmt.Sprintf("stderr of %v", tt.args), inv.stderr.String(), tt.want...)
		if inv.stdout.String() != "" {
			t.Errorf("%v: the mock started: %s", tt.args, inv.stdout)
		}
	}
}

// writeDemoData saves d as a demo-data file.
func writeDemoData(t *testing.T, d *mock.Data) string {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo-data.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The mock takes --data and --faults from the counter's variables for its
// demo server when the flags are not given, and a flag wins over its
// variable.
func TestMockTakesItsSettingsFromTheEnvironment(t *testing.T) {
	const ownOrder = "0123456789abcdef0123456789abcdef"
	own := mock.DefaultData()
	own.Orders = own.Orders[:1]
	own.Orders[0].ID = ownOrder
	ownFile := writeDemoData(t, own)
	builtIn := mock.New(mock.DefaultData(), mock.Options{}).FirstOrderID()

	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		wantOrder  string // the order the mock offers to curl
		wantStatus int    // of GET wantOrder
	}{
		{"built-in world", nil, nil, builtIn, http.StatusOK},
		{"BOXOFFICE_DEMO_DATA", map[string]string{"BOXOFFICE_DEMO_DATA": ownFile}, nil, ownOrder, http.StatusOK},
		{"--data wins over BOXOFFICE_DEMO_DATA", map[string]string{"BOXOFFICE_DEMO_DATA": "/nonexistent/demo.json"}, []string{"--data", ownFile}, ownOrder, http.StatusOK},
		{"--data '' wins over BOXOFFICE_DEMO_DATA", map[string]string{"BOXOFFICE_DEMO_DATA": "/nonexistent/demo.json"}, []string{"--data", ""}, builtIn, http.StatusOK},
		{"BOXOFFICE_DEMO_FAULTS", map[string]string{"BOXOFFICE_DEMO_FAULTS": "error=1"}, nil, builtIn, http.StatusServiceUnavailable},
		{"--faults wins over BOXOFFICE_DEMO_FAULTS", map[string]string{"BOXOFFICE_DEMO_FAULTS": "error=1"}, []string{"--faults", "none"}, builtIn, http.StatusOK},
		{"the counter's other variables are not read", map[string]string{"BOXOFFICE_TIMEOUT": "bogus", "BOXOFFICE_CONFIG": "/nonexistent.toml", "BOXOFFICE_API_URL": "http://ocapi.example.com"}, nil, builtIn, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := newInvocation(t)
			for k, v := range tt.env {
				inv.env[k] = v
			}
			url, stop := startMock(t, inv, append([]string{"--listen", "127.0.0.1:0"}, tt.args...)...)
			assertContains(t, "stdout", inv.stdout.String(), "curl "+url+"/ocapi/v1/orders/"+tt.wantOrder)
			resp, err := http.Get(url + "/ocapi/v1/orders/" + tt.wantOrder)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("GET order %s: %d, want %d", tt.wantOrder, resp.StatusCode, tt.wantStatus)
			}
			if code := stop(); code != ExitOK {
				t.Errorf("exit %d, stderr %s", code, inv.stderr)
			}
			if strings.Contains(inv.stderr.String(), "boxoffice:") {
				t.Errorf("stderr: %s", inv.stderr)
			}
		})
	}
}

// The mock's help names the variables it reads, for the flags they stand in for.
func TestMockHelpNamesItsVariables(t *testing.T) {
	inv := newInvocation(t)
	help := inv.mustRun("mock", "--help")
	for _, s := range mockSettings {
		env := config.EnvOf(s.key)
		assertContains(t, "mock --help", help, env+" (for --"+s.flag+")", "(default $"+env)
	}
	assertContains(t, "mock --help", help, "It reads no config file")
}

// The profiles, the page, the admin API and --validate from the command line.
func TestMockCommandProfilePageAndAdmin(t *testing.T) {
	inv := newInvocation(t)
	url, stop := startMock(t, inv, "--listen", "127.0.0.1:0", "--profile", "sparse", "--validate")
	assertContains(t, "stdout", inv.stdout.String(), "Profile: sparse; every exchange checked against /openapi.json (--validate)", "Live page: "+url+"/ ")
	for path, want := range map[string]string{"/": "<!doctype html>", "/_admin/state": `"profile":"sparse"`} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	resp, err := http.Post(url+"/ocapi/v1/orders/x/vouchers", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if v := resp.Header.Get(mock.ViolationHeader); !strings.Contains(v, "request of OcapiOrderVouchers_AddVoucher") {
		t.Errorf("--validate: %s = %q", mock.ViolationHeader, v)
	}
	if code := stop(); code != ExitOK {
		t.Errorf("exit %d", code)
	}
}

var tokenLine = regexp.MustCompile(`Authorization: Bearer (\S+)`)

// Beyond loopback the admin API needs the token the mock prints.
func TestMockCommandAdminTokenBeyondLoopback(t *testing.T) {
	inv := newInvocation(t)
	url, stop := startMock(t, inv, "--listen", "0.0.0.0:0")
	m := tokenLine.FindStringSubmatch(inv.stdout.String())
	if m == nil {
		t.Fatalf("no admin token printed: %s", inv.stdout)
	}
	get := func(token string) int {
		req, _ := http.NewRequest("GET", url+"/_admin/state", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(""); got != http.StatusUnauthorized {
		t.Errorf("without the token: %d", got)
	}
	if got := get(m[1]); got != http.StatusOK {
		t.Errorf("with the token: %d", got)
	}
	if code := stop(); code != ExitOK {
		t.Errorf("exit %d", code)
	}

	inv = newInvocation(t)
	inv.env["BOXOFFICE_MOCK_ADMIN_TOKEN"] = "chosen-token"
	_, stop = startMock(t, inv, "--listen", "0.0.0.0:0")
	assertContains(t, "stdout", inv.stdout.String(), "Authorization: Bearer chosen-token")
	stop()
}

func TestMockHelpListsEveryProfileWithItsSources(t *testing.T) {
	inv := newInvocation(t)
	inv.run("mock", "--help")
	for _, p := range mock.Profiles() {
		assertContains(t, "help", inv.stdout.String(), "  "+p.Name+": "+p.Summary)
		for _, c := range p.Choices {
			assertContains(t, "help", strings.Join(strings.Fields(inv.stdout.String()), " "), strings.Join(strings.Fields(c), " "))
		}
	}
}
