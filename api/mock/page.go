package mock

import (
	_ "embed"
	"net/http"
	"strconv"
)

//go:embed page.html
var pageHTML []byte

// servePage serves the live page: one HTML file with its script and style
// inline, embedded in the binary, so nothing is built or fetched.
func (s *Server) servePage(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	// The page runs only its own inline script and talks only to this server.
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
	h.Set("Content-Length", strconv.Itoa(len(pageHTML)))
	w.WriteHeader(http.StatusOK)
	w.Write(pageHTML)
}
