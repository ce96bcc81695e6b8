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
	"time"
)

// Running is a mock server listening on a real port.
type Running struct {
	// URL is the base URL to give a client, like "http://127.0.0.1:41234".
	URL string

	srv       *http.Server
	done      chan error
	closeOnce sync.Once
	closeErr  error
	// unused holds the connections that have not yet sent a request.
	unused sync.Map // net.Conn -> struct{}
}

// Start listens on addr (for example "127.0.0.1:0" for any free port) and
// serves h until Close.
func Start(addr string, h http.Handler) (*Running, error) {
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
	run := &Running{
		URL: "http://" + net.JoinHostPort(host, fmt.Sprint(port)),
		srv: &http.Server{
			Handler: h,
			// A server for others: a client that stalls, trickles a body
			// or never reads the answer cannot hold a connection for long.
			// The write timeout leaves room for the longest latency fault.
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      2 * time.Minute,
			IdleTimeout:       2 * time.Minute,
			// net/http's own complaints would land on stderr, which is the
			// screen when the mock runs inside the full-screen app.
			ErrorLog: log.New(io.Discard, "", 0),
		},
		done: make(chan error, 1),
	}
	run.srv.ConnState = func(c net.Conn, state http.ConnState) {
		if state == http.StateNew {
			run.unused.Store(c, struct{}{})
		} else {
			run.unused.Delete(c)
		}
	}
	go func() {
		err := run.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		run.done <- err
	}()
	return run, nil
}

// Close stops accepting requests and waits, until ctx ends, for those in
// flight; after that it cuts the remaining connections. A connection that
// has not sent a request is closed at once: it carries no call, but
// http.Server.Shutdown would wait five seconds for it, and an HTTP client
// often holds one, dialled for a request that another connection then took.
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
