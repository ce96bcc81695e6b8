package cli

import (
	"context"
	"net/url"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/config"
	"github.com/boxoffice/boxoffice/journal"
)

// Practice is the built-in demo and boxoffice mock (it names itself in its
// answers): its work is journalled apart from a tenant's while the journal
// setting is left at its default, and every journal line names its server.
// A server's place is not enough to tell: boxoffice proxy on this machine
// carries a tenant's work.

// onThisMachine reports whether a server's URL names this machine.
func onThisMachine(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && config.IsLoopbackHost(u.Hostname())
}

// origin is a URL's scheme, host and port: a tenant as its lines name it.
func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	return u.Scheme + "://" + u.Host
}

// serverName names the server in the journal's lines as each is written:
// "demo:<data>@<start>" for the built-in demo server; "mock:<data>@<start>"
// for boxoffice mock once it has answered; the server's origin otherwise.
func serverName(cfg *config.Config, demo bool, client *api.Client, baseURL string) func() string {
	if demo {
		// The demo's world is new at each start: the start tells one
		// run's orders from another's, which reuse the same ids.
		name := journal.ServerDemo + ":" + demoDataName(cfg) + "@" + time.Now().UTC().Format(time.RFC3339)
		return func() string { return name }
	}
	var (
		mu    sync.Mutex
		named string
	)
	fallback := origin(baseURL)
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		if named != "" {
			return named
		}
		if data, ok := client.MockData(); ok {
			named = journal.ServerMock + ":" + data
			return named
		}
		return fallback
	}
}

// practice reports whether a scripting command's server is practice: a
// server that has not answered yet is asked (a HEAD, which changes
// nothing), so that a mock is known before its journal is chosen.
func (s *session) practice(ctx context.Context) bool {
	s.identify(ctx)
	_, mock := s.client.MockData()
	return mock
}

// identify asks a server that has not answered yet what it is (a HEAD,
// which changes nothing): a mock names itself, and the journal's first
// line then names it as the last does.
func (s *session) identify(ctx context.Context) {
	if !s.client.Answered() {
		_ = s.client.Warm(ctx)
	}
}

// journalStamp is who writes the journal, where.
func journalStamp(cfg *config.Config) journal.Stamp {
	return journal.Stamp{Counter: cfg.CounterName, Operator: cfg.Operator, Version: version()}
}
