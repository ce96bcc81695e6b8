// Package testkit holds the few helpers the tests of several packages need:
// a buffer goroutines may share, a clock that moves only when a test says
// so, a poll for a state with a generous deadline (tests never sleep a
// fixed time and then look), and a server that hides a header.
package testkit

import (
	"bytes"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Buffer is a bytes.Buffer that a program under test and the test may use at
// once (a log destination, a command's output), as the race detector wants.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Clock is a settable clock: it stands still until Advance or Set.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time; pass it where code takes a func() time.Time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Eventually polls ok every interval until it holds or timeout passes, and
// reports whether it came to hold, so that a caller can say what it last saw.
func Eventually(timeout, interval time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if ok() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(interval)
	}
}

// WaitFor is Eventually that fails the test, naming what it waited for.
func WaitFor(t testing.TB, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	if !Eventually(timeout, 5*time.Millisecond, ok) {
		t.Fatalf("waited %s for %s", timeout, what)
	}
}

// WithoutHeader serves next with the answer header name taken out of every
// answer: given the header boxoffice mock names itself by, the mock as a
// tenant's server looks to a client.
func WithoutHeader(next http.Handler, name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(headerless{ResponseWriter: w, name: name}, r)
	})
}

type headerless struct {
	http.ResponseWriter
	name string
}

func (h headerless) WriteHeader(code int) {
	h.Header().Del(h.name)
	h.ResponseWriter.WriteHeader(code)
}

func (h headerless) Write(b []byte) (int, error) {
	h.Header().Del(h.name)
	return h.ResponseWriter.Write(b)
}
