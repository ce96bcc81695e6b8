package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// syncBuffer is a buffer a command and a test may use at once.
type syncBuffer = testkit.Buffer

// invocation is one hermetic run of the command line: its own home
// directory, environment and streams.
type invocation struct {
	t      *testing.T
	home   string
	env    map[string]string
	stdin  io.Reader
	stdout *syncBuffer
	stderr *syncBuffer
}

func newInvocation(t *testing.T) *invocation {
	t.Helper()
	home := t.TempDir()
	return &invocation{
		t:      t,
		home:   home,
		env:    map[string]string{"HOME": home},
		stdin:  strings.NewReader(""),
		stdout: &syncBuffer{},
		stderr: &syncBuffer{},
	}
}

func (inv *invocation) cliEnv() Env {
	return Env{
		Stdin:  inv.stdin,
		Stdout: inv.stdout,
		Stderr: inv.stderr,
		Getenv: func(k string) string { return inv.env[k] },
	}
}

// run runs the command line to the end and returns its exit code.
func (inv *invocation) run(args ...string) int {
	inv.t.Helper()
	return Run(context.Background(), args, inv.cliEnv())
}

// start runs the command line in the background until stop is called;
// stop returns the exit code.
func (inv *invocation) start(args ...string) (stop func() int) {
	inv.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Run(ctx, args, inv.cliEnv()) }()
	stopped := false
	stop = func() int {
		inv.t.Helper()
		cancel()
		select {
		case code := <-done:
			stopped = true
			return code
		case <-time.After(20 * time.Second):
			inv.t.Fatalf("boxoffice %v did not stop after its context was cancelled", args)
			return -1
		}
	}
	inv.t.Cleanup(func() {
		if !stopped {
			cancel()
			<-done
		}
	})
	return stop
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, what, 15*time.Second, cond)
}

func assertContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("%s does not contain %q:\n%s", what, want, got)
		}
	}
}
