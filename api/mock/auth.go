package mock

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// handleToken is the password grant of Vista's auth server. Without an auth
// block any credentials are welcome, so an app configured to sign in still
// works against the default demo data.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_request", ErrorDescription: "The body must be form-encoded."})
		return
	}
	if r.PostForm.Get("grant_type") != "password" {
		s.writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_grant", ErrorDescription: "Only grant_type=password is supported."})
		return
	}
	if strings.TrimSpace(r.PostForm.Get("client_id")) == "" {
		s.writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_client", ErrorDescription: "client_id is required."})
		return
	}
	user, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	if s.authOn {
		want, ok := s.users[user]
		if !ok || user == "" || subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 {
			s.writeJSON(w, http.StatusBadRequest, oauthError{Error: "invalid_grant", ErrorDescription: "The user name or password is wrong."})
			return
		}
	}
	token := randomID() + randomID()
	now := s.now()
	s.tokMu.Lock()
	for t, exp := range s.issued {
		if !now.Before(exp) {
			delete(s.issued, t)
		}
	}
	s.issued[token] = now.Add(s.tokenLifetime)
	s.tokMu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	s.writeJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", AccessToken: token, ExpiresIn: int(s.tokenLifetime / time.Second)})
}

func (s *Server) authorized(r *http.Request, now time.Time) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return false
	}
	if s.staticTokens[token] {
		return true
	}
	s.tokMu.Lock()
	exp, ok := s.issued[token]
	s.tokMu.Unlock()
	return ok && now.Before(exp)
}
