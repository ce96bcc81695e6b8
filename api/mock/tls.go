package mock

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Certificate is a self-signed certificate the mock serves TLS with, made
// fresh at each start: the demo server has no real security, so there is no
// key worth keeping. Clients trust it through its PEM (the counter's
// ca_file) or Pool.
type Certificate struct {
	// PEM is the certificate alone, for a client's trust store.
	PEM []byte
	// Pool holds only this certificate.
	Pool *x509.CertPool
	// Hosts are the names and addresses it is valid for.
	Hosts []string

	pair tls.Certificate
}

// certificateLife is long for a certificate made at every start, so that
// boxoffice doctor, which warns two weeks before a certificate expires,
// passes against a mock that has run for days.
const certificateLife = 30 * 24 * time.Hour

// NewCertificate makes an ECDSA P-256 certificate for localhost, 127.0.0.1,
// ::1 and the given hosts (names or addresses; "" and unspecified addresses
// such as 0.0.0.0 are left out, as no client dials them).
func NewCertificate(hosts ...string) (*Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("mock certificate: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("mock certificate: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "boxoffice OCAPI mock", Organization: []string{"boxoffice demo"}},
		// An hour back, for a client whose clock is a little behind.
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certificateLife),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		// Its own authority: a client given its PEM as a root trusts it.
		IsCA: true,
	}
	names := []string{"localhost", "127.0.0.1", "::1"}
	for _, h := range hosts {
		h = strings.Trim(h, "[]")
		if ip := net.ParseIP(h); h == "" || ip != nil && ip.IsUnspecified() || slices.Contains(names, h) {
			continue
		}
		names = append(names, h)
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("mock certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("mock certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &Certificate{
		PEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Pool:  pool,
		Hosts: names,
		pair:  tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
	}, nil
}

// WritePEM saves the certificate (never its key) to path, readable by all
// (0644): it is public, and a client run by another user must trust it too.
// "" writes it to a new file in the system's temporary folder. It returns
// the path written.
func (c *Certificate) WritePEM(path string) (string, error) {
	if path == "" {
		f, err := os.CreateTemp("", "boxoffice-mock-*.pem")
		if err != nil {
			return "", fmt.Errorf("mock certificate: %w", err)
		}
		path = f.Name()
		f.Close()
	}
	if err := os.WriteFile(path, c.PEM, 0o644); err != nil {
		return "", fmt.Errorf("mock certificate: %w", err)
	}
	// WriteFile keeps the mode of a file that exists; CreateTemp's is 0600.
	if err := os.Chmod(path, 0o644); err != nil {
		return "", fmt.Errorf("mock certificate: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path, nil
	}
	return abs, nil
}

func (c *Certificate) tlsConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{c.pair},
		MinVersion:   tls.VersionTLS12,
		// HTTP/2 first, as Vista's cloud offers it; http/1.1 for curl -1.1
		// and older tools.
		NextProtos: []string{"h2", "http/1.1"},
	}
}
