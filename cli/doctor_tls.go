package cli

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/boxoffice/boxoffice/config"
)

// What config's rule for api_url lets through over plain http without
// allow_insecure_http.
const loopbackOnly = "(plain http is accepted only to localhost, 127.0.0.0/8 and ::1)"

func (d *doctor) tlsCheck(reads []*probe) check {
	c := check{Name: "tls"}
	u, err := url.Parse(d.url)
	if err != nil {
		c.Status, c.Found = checkFail, "the server URL cannot be read: "+err.Error()
		return c
	}
	host := u.Hostname()
	if u.Scheme == "http" {
		switch {
		case d.demo:
			c.Status, c.Found = checkOK, "plain http to the built-in demo server on this machine "+loopbackOnly
		case config.IsLoopbackHost(host):
			c.Status, c.Found = checkOK, "plain http to this machine, "+host+" "+loopbackOnly
		default:
			c.Status = checkWarn
			c.Found = "plain http to " + host + " (allow_insecure_http is set): tokens and PINs cross the network unencrypted"
			c.Todo = "use an https:// api_url and unset allow_insecure_http"
		}
		return c
	}
	for _, p := range reads {
		if p.answered() && p.res.TLS != nil {
			return tlsStateCheck(host, p.res.TLS, time.Now())
		}
	}
	for _, p := range reads {
		if tc, ok := tlsErrorCheck(host, p.err); ok {
			return tc
		}
	}
	c.Status, c.Found = checkSkip, "no TLS connection was made: the server did not answer"
	return c
}

// certWarning is how long before a certificate expires the doctor starts
// warning: two weeks leaves time to get a renewal through a change process.
const certWarning = 14 * 24 * time.Hour

func tlsStateCheck(host string, st *tls.ConnectionState, now time.Time) check {
	c := check{Name: "tls"}
	version := tls.VersionName(st.Version)
	if len(st.PeerCertificates) == 0 {
		c.Status, c.Found = checkWarn, version+", but the server showed no certificate"
		c.Todo = "ask whoever runs the server to check its TLS set-up"
		return c
	}
	leaf := st.PeerCertificates[0]
	chain := st.PeerCertificates
	if len(st.VerifiedChains) > 0 {
		chain = st.VerifiedChains[0]
	}
	// An intermediate that runs out first breaks the connection as surely
	// as the server's own certificate.
	soonest := leaf
	for _, cert := range chain {
		if cert.NotAfter.Before(soonest.NotAfter) {
			soonest = cert
		}
	}
	which := "the certificate of " + host
	if soonest != leaf {
		which = "the certificate " + certName(soonest) + " in the chain of " + host
	}
	left := soonest.NotAfter.Sub(now)
	switch {
	case left <= 0:
		c.Status = checkFail
		c.Found = fmt.Sprintf("%s, but %s expired on %s", version, which, soonest.NotAfter.UTC().Format(time.DateOnly))
		c.Todo = "the server's certificate must be renewed (or this machine's clock is wrong: see the clock check)"
	case left < certWarning:
		c.Status = checkWarn
		c.Found = fmt.Sprintf("%s; %s expires on %s, in %s", version, which, soonest.NotAfter.UTC().Format(time.DateOnly), days(left))
		c.Todo = "ask whoever runs the server to renew it before then"
	default:
		c.Status = checkOK
		c.Found = fmt.Sprintf("%s; %s is trusted and valid until %s (%s)", version, which, soonest.NotAfter.UTC().Format(time.DateOnly), days(left))
	}
	return c
}

// tlsErrorCheck explains a failed handshake; false when err is not about TLS.
func tlsErrorCheck(host string, err error) (check, bool) {
	if err == nil {
		return check{}, false
	}
	c := check{Name: "tls", Status: checkFail}
	var (
		invalid   x509.CertificateInvalidError
		hostErr   x509.HostnameError
		unknown   x509.UnknownAuthorityError
		verifyErr *tls.CertificateVerificationError
		record    tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c.Found = "the certificate of " + host + " has expired"
		if invalid.Cert != nil {
			c.Found += " (on " + invalid.Cert.NotAfter.UTC().Format(time.DateOnly) + ")"
		}
		c.Todo = "the server's certificate must be renewed (or this machine's clock is wrong)"
	case errors.As(err, &hostErr):
		c.Found = "the certificate is not for " + host + ": " + hostErr.Error()
		c.Todo = "check the host name in api_url"
	case errors.As(err, &unknown):
		c.Found = "the certificate of " + host + " is not trusted: it is signed by an authority this machine does not know"
		c.Todo = "if a TLS proxy or a private CA signs it, set ca_file to that authority's certificate (PEM); otherwise the server is not who it claims"
	case errors.As(err, &verifyErr):
		c.Found = "the certificate of " + host + " is not trusted: " + verifyErr.Err.Error()
		c.Todo = "ask whoever runs the server to fix its certificate"
	case errors.As(err, &record):
		c.Found = host + " did not answer in TLS"
		c.Todo = "check the scheme of api_url: the server may speak plain http on that port"
	default:
		return check{}, false
	}
	return c, true
}

func certName(cert *x509.Certificate) string {
	if cert.Subject.CommonName != "" {
		return fmt.Sprintf("%q", cert.Subject.CommonName)
	}
	return fmt.Sprintf("%q", cert.Subject.String())
}

func days(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	if n == 0 {
		return "less than a day"
	}
	return fmt.Sprintf("%d days", n)
}
