package api_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/internal/testkit"
)

// silentServer reads what its connections send and never answers: a
// tenant a round trip away, caught before its first answer leaves.
type silentServer struct {
	ln    net.Listener
	first atomic.Int32 // the first byte received, -1 before any
	mu    sync.Mutex
	conns []net.Conn
}

func startSilentServer(t *testing.T) *silentServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentServer{ln: ln}
	s.first.Store(-1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			go func() {
				buf := make([]byte, 1)
				if n, _ := c.Read(buf); n == 1 {
					s.first.CompareAndSwap(-1, int32(buf[0]))
				}
				_, _ = c.Read(make([]byte, 64<<10))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, c := range s.conns {
			c.Close()
		}
	})
	return s
}

// warmClient is a client of url whose log the test reads.
func warmClient(t *testing.T, url string) (*api.Client, *testkit.Buffer) {
	t.Helper()
	logs := &testkit.Buffer{}
	c, err := api.New(api.Options{BaseURL: url, Version: "test", Timeout: 10 * time.Second,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	return c, logs
}

// waitLimit is how long a wait may take before the test fails: a loaded
// machine may need seconds for what takes microseconds.
const waitLimit = 30 * time.Second

// waitClosed fails the test unless ch is closed within a generous deadline.
func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitLimit):
		t.Fatalf("StartWarm's channel was not closed %s", what)
	}
}

// StartWarm says so once the ClientHello is on its way, long before the
// server answers: the counter's start waits for that, not for the server.
func TestStartWarmTellsOnceTheClientHelloIsOut(t *testing.T) {
	srv := startSilentServer(t)
	c, logs := warmClient(t, "https://"+srv.ln.Addr().String())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waitClosed(t, c.StartWarm(ctx), "while the server had not answered")
	// A warm-up that has ended has logged how; this one is still waiting.
	if strings.Contains(logs.String(), "warm-up") {
		t.Fatalf("the channel was closed only when the warm-up ended:\n%s", logs)
	}
	testkit.WaitFor(t, "the ClientHello at the server", waitLimit, func() bool { return srv.first.Load() == 0x16 })
}

// Over plain HTTP the first packets are the TCP handshake's.
func TestStartWarmTellsOnceThePlainConnectionIsMade(t *testing.T) {
	srv := startSilentServer(t)
	c, logs := warmClient(t, "http://"+srv.ln.Addr().String())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waitClosed(t, c.StartWarm(ctx), "once the connection was made")
	if strings.Contains(logs.String(), "warm-up") {
		t.Fatalf("the channel was closed only when the warm-up ended:\n%s", logs)
	}
}

// A warm-up that cannot connect ends, and says so through the channel too:
// the start it holds up goes on at once.
func TestStartWarmTellsWhenTheWarmUpFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, logs := warmClient(t, "https://"+addr)
	waitClosed(t, c.StartWarm(context.Background()), "when nothing listened")
	if !strings.Contains(logs.String(), "ocapi warm-up failed") {
		t.Errorf("no failed warm-up in the log:\n%s", logs)
	}
}
