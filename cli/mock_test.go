package cli

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
)

var listeningLine = regexp.MustCompile(`OCAPI mock listening on (http://\S+)\n`)

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
		want string
	}{
		{[]string{"--faults", "bogus!"}, `boxoffice: faults "bogus!": each item must be key=value`},
		{[]string{"--listen", "nonsense"}, `boxoffice: --listen "nonsense" is not host:port`},
		{[]string{"--data", "/nonexistent/demo.json"}, `/nonexistent/demo.json`},
	}
	for _, tt := range tests {
		inv := newInvocation(t)
		args := append([]string{"mock", "--listen", "127.0.0.1:0"}, tt.args...)
		if code := inv.run(args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, code, ExitUsage)
		}
		assertContains(t, "stderr", inv.stderr.String(), tt.want)
		if inv.stdout.String() != "" {
			t.Errorf("%v: the mock started: %s", tt.args, inv.stdout)
		}
	}
}
