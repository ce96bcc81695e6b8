package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// PasswordGrant is a TokenSource that signs in with OAuth's password grant,
// as Vista's Digital Platform does, and keeps the token in memory only.
// It is safe for concurrent use: callers that need a token while one is being
// fetched wait for that fetch instead of starting their own.
type PasswordGrant struct {
	authURL  string
	clientID string
	username string
	password string
	rc       *resty.Client
	now      func() time.Time // swapped in tests

	// fetching admits one fetch at a time; a channel rather than a mutex so
	// that a waiting caller can give up when its context ends.
	fetching chan struct{}

	mu        sync.Mutex
	token     string
	refreshAt time.Time // zero: no expiry was given, keep until refused
}

// Refresh margin: a token is replaced once fewer than 60s remain, or 10% of
// its lifetime when that is shorter, so a short-lived token is still used
// for most of its life instead of being refetched on every call.
const tokenRefreshMargin = 60 * time.Second

// NewPasswordGrant returns a TokenSource that posts
// grant_type=password to authURL + "/connect/token". authURL is the auth
// host's base URL. clientID is free text naming the app. A nil httpClient
// means a default one with a 10s timeout.
func NewPasswordGrant(authURL, clientID, username, password string, httpClient *http.Client) *PasswordGrant {
	hc := &http.Client{}
	if httpClient != nil {
		copied := *httpClient
		hc = &copied
	}
	if hc.Timeout == 0 {
		hc.Timeout = defaultTimeout
	}
	rc := resty.NewWithClient(hc).
		// Nothing from the sign-in exchange is logged anywhere: it carries the
		// password going out and the token coming back.
		SetLogger(restyLogger{slog.New(slog.DiscardHandler)}).
		SetDisableWarn(true).
		SetResponseBodyLimit(maxResponseBytes).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", "boxoffice")
	return &PasswordGrant{
		authURL:  strings.TrimSpace(authURL),
		clientID: clientID,
		username: username,
		password: password,
		rc:       rc,
		now:      time.Now,
		fetching: make(chan struct{}, 1),
	}
}

// Token returns the cached token, fetching a new one when there is none or
// it is about to expire.
func (g *PasswordGrant) Token(ctx context.Context) (string, error) {
	if tok, ok := g.cached(); ok {
		return tok, nil
	}
	select {
	case g.fetching <- struct{}{}:
	case <-ctx.Done():
		return "", contextError(tokenOp, ctx.Err())
	}
	defer func() { <-g.fetching }()
	// Whoever held the fetch before us may have just stored a fresh token.
	if tok, ok := g.cached(); ok {
		return tok, nil
	}
	tok, lifetime, err := g.fetch(ctx)
	if err != nil {
		return "", err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.token = tok
	g.refreshAt = time.Time{}
	if lifetime > 0 {
		margin := min(tokenRefreshMargin, lifetime/10)
		g.refreshAt = g.now().Add(lifetime - margin)
	}
	return tok, nil
}

// Invalidate forgets token if it is still the cached one.
func (g *PasswordGrant) Invalidate(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if token != "" && g.token == token {
		g.token = ""
		g.refreshAt = time.Time{}
	}
}

func (g *PasswordGrant) cached() (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.token == "" {
		return "", false
	}
	if !g.refreshAt.IsZero() && !g.now().Before(g.refreshAt) {
		return "", false
	}
	return g.token, true
}

const tokenOp = OpToken

func (g *PasswordGrant) fetch(ctx context.Context) (string, time.Duration, error) {
	base, err := normaliseBaseURL(g.authURL)
	if err != nil {
		return "", 0, &Error{Op: tokenOp, Kind: KindInvalidInput, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return "", 0, contextError(tokenOp, err)
	}
	resp, err := g.rc.R().
		SetContext(ctx).
		SetFormData(map[string]string{
			"grant_type": "password",
			"client_id":  g.clientID,
			"username":   g.username,
			"password":   g.password,
		}).
		Post(base + "/connect/token")
	if err != nil {
		e := &Error{Op: tokenOp, Kind: KindNetwork, Err: err}
		if isTimeout(err) {
			e.Kind = KindTimeout
		}
		return "", 0, e
	}
	secrets := []secret{{value: g.password, mask: "********"}}
	if status := resp.StatusCode(); status < 200 || status > 299 {
		e := statusError(tokenOp, status, resp.Body(), resp.Header(), false, secrets)
		if status == http.StatusUnauthorized || (status == http.StatusBadRequest && refusedCredentials(e.Code)) {
			e.Kind = KindUnauthorized
		}
		return "", 0, e
	}
	var tr TokenResponse
	if e := decodeBody(&call{op: tokenOp, method: http.MethodPost}, resp.StatusCode(), resp.Body(), &tr); e != nil {
		// A token that cannot be read was never issued to us: nothing to reconcile.
		e.OutcomeUnknown, e.Applied = false, false
		return "", 0, e
	}
	if tr.AccessToken == "" {
		return "", 0, &Error{Op: tokenOp, Kind: KindServer, Status: resp.StatusCode(),
			Err: errors.New("the auth server answered without an access token")}
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "Bearer") {
		return "", 0, &Error{Op: tokenOp, Kind: KindServer, Status: resp.StatusCode(),
			Err: errors.New("the auth server issued a " + cleanText(tr.TokenType, nil) + " token, not a Bearer token")}
	}
	return tr.AccessToken, time.Duration(tr.ExpiresIn) * time.Second, nil
}

// refusedCredentials: OAuth error codes that mean "these credentials will not
// do", as opposed to a malformed request.
func refusedCredentials(code string) bool {
	switch code {
	case "invalid_grant", "invalid_client", "unauthorized_client":
		return true
	}
	return false
}
