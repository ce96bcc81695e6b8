package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"
)

// Trust is the authorities a client checks its server's certificate
// against: this machine's, and those of a PEM file when one is named
// (ca_file).
//
// Reading this machine's authorities means parsing some 300 certificates
// (the bundle, and the folder beside it): 15 to 35 ms of a small machine's
// processor, longer than a counter takes to reach its first call. Nothing
// needs them before the server's certificate arrives, a round trip after
// the handshake's first flight, so a Trust's connections start reading them
// once that flight is out and check the certificate when it comes. Read
// before the dial (as crypto/tls wants a finished pool) they delay it; read
// beside the start they compete with it for the processor, and the dial
// still waits.
//
// A ca_file's certificates are parsed with them: the file is read at once,
// so that a missing file or one without a certificate is reported before
// anything starts, but parsing a certificate is the x509 parser's first
// use in a counter's process, about a millisecond that would come before
// the dial.
type Trust struct {
	// extra is the DER of each certificate in ca_file.
	extra [][]byte
	// authorities reads this machine's authorities once and adds extra.
	authorities func() *x509.CertPool
	// unparsed is why a certificate of extra could not be used, once
	// authorities has run; nil when each could.
	unparsed error
}

// SystemTrust trusts this machine's authorities.
func SystemTrust() *Trust { return newTrust(nil) }

// TrustFile trusts this machine's authorities and the certificates of the
// PEM file at path. The file is read now: one that cannot be read or holds
// no certificate is an error.
func TrustFile(path string) (*Trust, error) {
	blocks, err := readCertificateBlocks(path)
	if err != nil {
		return nil, err
	}
	return newTrust(blocks), nil
}

func newTrust(extra [][]byte) *Trust {
	t := &Trust{extra: extra}
	t.authorities = sync.OnceValue(func() *x509.CertPool {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			// No system store (some minimal containers): the file alone.
			pool = x509.NewCertPool()
		}
		for _, der := range extra {
			cert, err := x509.ParseCertificate(der)
			if err != nil {
				t.unparsed = err
				continue
			}
			pool.AddCert(cert)
		}
		return pool
	})
	return t
}

// readCertificateBlocks is the DER of each certificate in the PEM file at
// path.
func readCertificateBlocks(path string) ([][]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var blocks [][]byte
	for len(raw) > 0 {
		var block *pem.Block
		if block, raw = pem.Decode(raw); block == nil {
			break
		}
		if block.Type == "CERTIFICATE" && len(block.Headers) == 0 {
			blocks = append(blocks, block.Bytes)
		}
	}
	if len(blocks) == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate (a block beginning -----BEGIN CERTIFICATE-----)", path)
	}
	return blocks, nil
}

// TrustedRoots is this machine's trusted authorities plus the certificates
// in the PEM file at path, read at once: for a long-running server (boxoffice
// proxy) whose start is not waited for. A file that cannot be read or holds
// no certificate is an error.
func TrustedRoots(path string) (*x509.CertPool, error) {
	trust, err := TrustFile(path)
	if err != nil {
		return nil, err
	}
	pool := trust.authorities()
	if trust.unparsed != nil {
		return nil, fmt.Errorf("a certificate in %s could not be read: %w", path, trust.unparsed)
	}
	return pool, nil
}

// Transport is net/http's default transport trusting t, for calls to
// server (a URL; only its scheme and host matter). Its TLS connections
// check the server's certificate as crypto/tls does by default, against
// authorities read while the handshake is under way. Through an HTTP proxy
// net/http makes the server's TLS connection itself, from TLSClientConfig,
// so there the authorities are read now.
func (t *Trust) Transport(server string) *http.Transport {
	return t.onto(http.DefaultTransport.(*http.Transport).Clone(), server)
}

func (t *Trust) onto(tr *http.Transport, server string) *http.Transport {
	base := &tls.Config{}
	if tr.TLSClientConfig != nil {
		base = tr.TLSClientConfig.Clone()
	}
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	handshakeTimeout := tr.TLSHandshakeTimeout
	tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		// The server's certificate is a round trip away: the authorities
		// are read meanwhile, once the first flight is on its way, so that
		// reading them does not hold it up.
		inFlight, _ := ctx.Value(firstFlightKey{}).(func())
		conn := tls.Client(&afterFirstWrite{Conn: raw, then: func() {
			go t.authorities()
			if inFlight != nil {
				inFlight()
			}
		}}, t.config(base, addr))
		hctx, cancel := ctx, context.CancelFunc(func() {})
		if handshakeTimeout > 0 {
			hctx, cancel = context.WithTimeout(ctx, handshakeTimeout)
		}
		defer cancel()
		if err := conn.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, err
		}
		return conn, nil
	}
	if t.extra != nil && viaProxy(tr, server) {
		base.RootCAs = t.authorities()
	}
	tr.TLSClientConfig = base
	// A TLS config or dialer of our own would otherwise turn HTTP/2 off.
	tr.ForceAttemptHTTP2 = true
	return tr
}

// config is base for one connection to addr: its name is checked against
// the certificate, and the certificate against t's authorities, by
// VerifyConnection once they are read, instead of by crypto/tls before.
func (t *Trust) config(base *tls.Config, addr string) *tls.Config {
	cfg := base.Clone()
	if cfg.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		cfg.ServerName = host
	}
	if len(cfg.NextProtos) == 0 {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	}
	name := cfg.ServerName
	// Skips only crypto/tls's own check of the chain, made before the
	// authorities could be read: VerifyConnection makes the same check and
	// is still called, and the server's proof that it holds the
	// certificate's key is checked either way.
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error { return t.verify(cs, name) }
	return cfg
}

// verify is crypto/tls's check of a server's chain and name, against t's
// authorities, failing as crypto/tls fails.
func (t *Trust) verify(cs tls.ConnectionState, name string) error {
	_, err := t.chains(cs, name)
	return err
}

// chains are the server's certificates verified for name against t's
// authorities: what crypto/tls puts in VerifiedChains when it checks them
// itself.
func (t *Trust) chains(cs tls.ConnectionState, name string) ([][]*x509.Certificate, error) {
	if len(cs.PeerCertificates) == 0 {
		return nil, errors.New("tls: the server sent no certificate")
	}
	opts := x509.VerifyOptions{Roots: t.authorities(), DNSName: name, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	chains, err := cs.PeerCertificates[0].Verify(opts)
	if err != nil {
		if t.unparsed != nil {
			err = &unreadableCAFile{verify: err, parse: t.unparsed}
		}
		return nil, &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
	}
	return chains, nil
}

// unreadableCAFile is a refused certificate when a certificate of ca_file
// could not be read: the likelier cause of the two.
type unreadableCAFile struct{ verify, parse error }

func (e *unreadableCAFile) Error() string {
	return e.verify.Error() + " (a certificate in ca_file could not be read: " + e.parse.Error() + ")"
}

func (e *unreadableCAFile) Unwrap() error { return e.verify }

// withChains is st with its VerifiedChains filled in, as crypto/tls fills
// them, when the client's Trust checked the certificate itself: the chain
// up to the trusted authority is what boxoffice doctor reads expiry dates
// from.
func (c *Client) withChains(st *tls.ConnectionState) *tls.ConnectionState {
	if st == nil || len(st.VerifiedChains) > 0 || c.trust == nil {
		return st
	}
	u, err := url.Parse(c.baseURL)
	if err != nil {
		return st
	}
	chains, err := c.trust.chains(*st, u.Hostname())
	if err != nil {
		return st
	}
	filled := *st
	filled.VerifiedChains = chains
	return &filled
}

// afterFirstWrite is a connection that calls then once its first write
// is done.
type afterFirstWrite struct {
	net.Conn
	then func()
	once sync.Once
}

func (c *afterFirstWrite) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.once.Do(c.then)
	return n, err
}

// viaProxy reports whether tr reaches server through a proxy.
func viaProxy(tr *http.Transport, server string) bool {
	if tr.Proxy == nil {
		return false
	}
	u, err := url.Parse(server)
	if err != nil {
		return false
	}
	p, err := tr.Proxy(&http.Request{URL: u})
	return err != nil || p != nil
}

// TransportTrusting is net/http's default transport, trusting roots
// instead of the system's authorities, for a client that must trust a pool
// it was given (the demo server's own certificate).
func TransportTrusting(roots *x509.CertPool) *http.Transport {
	return trusting(http.DefaultTransport.(*http.Transport).Clone(), roots)
}

func trusting(t *http.Transport, roots *x509.CertPool) *http.Transport {
	cfg := &tls.Config{}
	if t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	}
	cfg.RootCAs = roots
	t.TLSClientConfig = cfg
	// A TLS config of our own would otherwise turn HTTP/2 off.
	t.ForceAttemptHTTP2 = true
	return t
}

// withTransport gives hc the transport build makes from hc's own, cloned
// and never changed, or from net/http's default.
func withTransport(hc *http.Client, build func(*http.Transport) *http.Transport) error {
	switch base := hc.Transport.(type) {
	case nil:
		hc.Transport = build(http.DefaultTransport.(*http.Transport).Clone())
	case *http.Transport:
		hc.Transport = build(base.Clone())
	default:
		return errors.New("extra trusted certificates need an *http.Transport")
	}
	return nil
}
