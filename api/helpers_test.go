package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// hit is one request as the test server saw it.
type hit struct {
	Method     string
	RequestURI string
	Header     http.Header
	Body       []byte
}

// recorder is an httptest server that records every request and answers
// through a handler that knows which hit (0-based) it is serving.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	hits []hit
}

func newRecorder(t *testing.T, serve func(w http.ResponseWriter, r *http.Request, n int)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		n := len(rec.hits)
		rec.hits = append(rec.hits, hit{Method: r.Method, RequestURI: r.RequestURI, Header: r.Header.Clone(), Body: body})
		rec.mu.Unlock()
		serve(w, r, n)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.hits)
}

func (r *recorder) hit(t *testing.T, n int) hit {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if n >= len(r.hits) {
		t.Fatalf("want at least %d requests, server saw %d", n+1, len(r.hits))
	}
	return r.hits[n]
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serveJSON answers with status and body.
func serveJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// hangUp closes the connection without answering: to the client the request
// left and no answer came back.
func hangUp(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot be hijacked")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close()
}

// testClient builds a client with quick GET retries and every header option set.
func testClient(t *testing.T, baseURL string, tweak ...func(*Options)) (*Client, *testkit.Buffer) {
	t.Helper()
	logs := &testkit.Buffer{}
	opts := Options{
		BaseURL:      baseURL,
		Token:        "secret-token",
		RegionCode:   "NZ",
		Version:      "1.2.3",
		Timeout:      5 * time.Second,
		GetRetryWait: time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range tweak {
		f(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, logs
}

// jsonEqual compares two JSON documents by value.
func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %q: %v", want, err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("request body\n got %s\nwant %s", gb, wb)
	}
}

func fastPolicy(max int) AttachPolicy {
	return AttachPolicy{MaxAttempts: max, Backoff: func(int) time.Duration { return time.Millisecond }}
}

func ptr[T any](v T) *T { return &v }
