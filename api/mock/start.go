package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Running is a mock server listening on a real port.
type Running struct {
	// URL is the base URL to give a client, like "http://127.0.0.1:41234"
	// (https:// when it serves TLS).
	URL string

	srv       *http.Server
	done      chan error
	closeOnce sync.Once
	closeErr  error
	// unused holds the connections that have not yet sent a request.
	unused         sync.Map // net.Conn -> struct{}
	opened, closed atomic.Int64
	// inFlight counts the requests being answered.
	inFlight atomic.Int64
	// servesTLS is set once, before serving: the server's own TLSConfig is
	// rewritten by net/http as it starts to serve, so Close does not read it.
	servesTLS bool
}

// ServeOptions say how Start serves. The zero value is plain http with a
// two-minute idle timeout.
type ServeOptions struct {
	// TLS, when set, serves https (HTTP/2 or HTTP/1.1) with this certificate.
	TLS *Certificate
	// IdleTimeout closes a keep-alive connection that carried no request for
	// this long, as a tenant's load balancer does; 0 means two minutes.
	IdleTimeout time.Duration
}

// defaultIdleTimeout is how long the mock keeps an idle connection open.
const defaultIdleTimeout = 2 * time.Minute

// Start listens on addr (for example "127.0.0.1:0" for any free port) and
// serves h over plain http until Close.
func Start(addr string, h http.Handler) (*Running, error) {
	return StartWith(addr, h, ServeOptions{})
}

// StartWith is Start with the choices of o.
func StartWith(addr string, h http.Handler, o ServeOptions) (*Running, error) {
	idle := o.IdleTimeout
	if idle <= 0 {
		idle = defaultIdleTimeout
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mock server: listen on %s: %w", addr, err)
	}
	host := "127.0.0.1"
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if ok && !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	port := 0
	if ok {
		port = tcp.Port
	}
	scheme := "http://"
	if o.TLS != nil {
		scheme = "https://"
	}
	run := &Running{
		URL: scheme + net.JoinHostPort(host, fmt.Sprint(port)),
		srv: &http.Server{
			// A server for others: a client that stalls, trickles a body
			// or never reads the answer cannot hold a connection for long.
			// The write timeout leaves room for the longest latency fault.
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      2 * time.Minute,
			IdleTimeout:       idle,
			// net/http's own complaints would land on stderr, which is the
			// screen when the mock runs inside the full-screen app.
			ErrorLog: log.New(io.Discard, "", 0),
		},
		done: make(chan error, 1),
	}
	run.srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		run.inFlight.Add(1)
		defer run.inFlight.Add(-1)
		h.ServeHTTP(w, req)
	})
	run.srv.ConnState = func(c net.Conn, state http.ConnState) {
		if state == http.StateNew {
			run.opened.Add(1)
			run.unused.Store(c, struct{}{})
		} else {
			if state == http.StateClosed || state == http.StateHijacked {
				run.closed.Add(1)
			}
			run.unused.Delete(c)
		}
	}
	serve := run.srv.Serve
	if o.TLS != nil {
		run.servesTLS = true
		run.srv.TLSConfig = o.TLS.tlsConfig()
		serve = func(ln net.Listener) error { return run.srv.ServeTLS(ln, "", "") }
	}
	go func() {
		err := serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		run.done <- err
	}()
	return run, nil
}

// ConnectionsOpened is how many connections clients have opened so far:
// what a client's keep-alive and HTTP/2 save shows here.
func (r *Running) ConnectionsOpened() int64 { return r.opened.Load() }

// ConnectionsOpen is how many connections are open now.
func (r *Running) ConnectionsOpen() int64 { return r.opened.Load() - r.closed.Load() }

// Close stops accepting requests and waits, until ctx ends, for those in
// flight; after that it cuts the remaining connections. A connection that
// has not sent a request is closed at once: it carries no call, but
// http.Server.Shutdown would wait five seconds for it, and an HTTP client
// often holds one, dialled for a request that another connection then took.
// Once no request is in flight the rest are closed too: an idle HTTP/2
// connection would otherwise hold Shutdown for a second after its GOAWAY.
// Calling it again returns the first call's result.
func (r *Running) Close(ctx context.Context) error {
	r.closeOnce.Do(func() {
		shut := make(chan error, 1)
		go func() { shut <- r.srv.Shutdown(ctx) }()
		// Shutdown closes the listener first, so after a few rounds no new
		// connection can appear.
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var err error
	wait:
		for {
			r.unused.Range(func(c, _ any) bool {
				c.(net.Conn).Close()
				return true
			})
			if r.inFlight.Load() == 0 && r.servesTLS {
				r.srv.Close()
			}
			select {
			case err = <-shut:
				break wait
			case <-tick.C:
			}
		}
		if err != nil {
			r.srv.Close()
			<-r.done
			r.closeErr = fmt.Errorf("mock server: shut down: %w", err)
			return
		}
		r.closeErr = <-r.done
	})
	return r.closeErr
}
