package mock

import (
	"cmp"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// corsPolicy lets browser clients call the mock: a preflight is answered,
// and an allowed origin is told so on every answer. With no origins given
// the loopback origins (http or https on localhost, 127.0.0.0/8 or ::1, any
// port) are allowed, so a web app under development on this machine can
// call the mock with nothing set. The admin API is same-origin only.
type corsPolicy struct {
	any     bool
	origins []string // lower case, as "scheme://host[:port]"
}

func newCORSPolicy(origins []string) *corsPolicy {
	p := &corsPolicy{}
	for _, o := range origins {
		o = strings.TrimRight(strings.ToLower(strings.TrimSpace(o)), "/")
		if o == "*" {
			p.any = true
		} else if o != "" {
			p.origins = append(p.origins, o)
		}
	}
	return p
}

// ParseOrigin checks an origin given by a person: "*" or scheme://host[:port].
func ParseOrigin(o string) error {
	if o == "*" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return &url.Error{Op: "origin", URL: o, Err: errOrigin}
	}
	return nil
}

type originError struct{}

func (originError) Error() string {
	return "want * or scheme://host[:port], like http://localhost:3000"
}

var errOrigin = originError{}

func (p *corsPolicy) allows(origin string) bool {
	if p.any {
		return true
	}
	o := strings.ToLower(origin)
	if len(p.origins) > 0 {
		return slices.Contains(p.origins, o)
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// corsAllowHeaders are the request headers a browser client may send.
const corsAllowHeaders = "Authorization, Content-Type, Connect-Region-Code"

// corsExposeHeaders are the answer's headers a browser client may read.
var corsExposeHeaders = "Retry-After, WWW-Authenticate, " + ViolationHeader

// handle answers a preflight (true: nothing more to do) and marks the
// answer of an allowed origin's request.
func (p *corsPolicy) handle(x *exchange, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := x.Header()
	h.Add("Vary", "Origin")
	allowed := p.allows(origin)
	if allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
	}
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	x.preflight = true
	if !allowed {
		// The browser refuses the call without the headers; the status and
		// body say why to whoever looks at the network tab.
		writeRaw(x, http.StatusForbidden, []byte(`{"errorCode":"OriginNotAllowed","message":"This origin may not call the mock; start it with --cors-origin naming it."}`))
		return true
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
	// What the browser asks for is granted: the mock plays a tenant, not
	// a gatekeeper, and a refused preflight only hides the real call.
	h.Set("Access-Control-Allow-Headers", cmp.Or(r.Header.Get("Access-Control-Request-Headers"), corsAllowHeaders))
	h.Set("Access-Control-Max-Age", strconv.Itoa(600))
	writeRaw(x, http.StatusNoContent, nil)
	return true
}
