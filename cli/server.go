package cli

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
)

// openLog opens the log file for appending (0600), or discards logs when
// none is set. Logs never go to the terminal: a full-screen app shares it.
func openLog(cfg *config.Config) (*slog.Logger, io.Closer, error) {
	if cfg.LogFile == "" {
		return slog.New(slog.DiscardHandler), io.NopCloser(nil), nil
	}
	if err := os.MkdirAll(filepath.Dir(cfg.LogFile), 0o700); err != nil {
		return nil, nil, cfg.Invalid("log", fmt.Sprintf("cannot create the folder of %s: %v — choose another log file", cfg.LogFile, err))
	}
	f, err := os.OpenFile(cfg.LogFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, cfg.Invalid("log", fmt.Sprintf("cannot open %s for writing: %v — fix its permissions or choose another log file", cfg.LogFile, err))
	}
	// The log names orders and masked barcodes: an existing file that others
	// may read is tightened, as the journal is.
	if info, err := f.Stat(); err == nil && info.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, nil, cfg.Invalid("log", fmt.Sprintf("%s can be read by others and cannot be made private: %v — fix its permissions or choose another log file", cfg.LogFile, err))
		}
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(f, opts)
	if cfg.LogFormat == config.LogJSON {
		h = slog.NewJSONHandler(f, opts)
	}
	return slog.New(h), f, nil
}

// prepareDemo builds the built-in demo server from the demo data and fault
// spec the settings name, so that mistakes in them are reported before
// anything starts listening. When the demo data demands a token and none is
// configured, the client is given one of the demo's own.
func prepareDemo(cfg *config.Config, requestLog io.Writer) (*mock.Server, error) {
	var data *mock.Data
	if cfg.DemoData == "" {
		data = mock.DefaultDataAround(time.Now())
	} else {
		var err error
		if data, err = mock.LoadData(cfg.DemoData); err != nil {
			return nil, cfg.Invalid("demo_data", err.Error())
		}
	}
	faults, err := mock.ParseFaults(cfg.DemoFaults)
	if err != nil {
		return nil, cfg.Invalid("demo_faults", err.Error())
	}
	if cfg.Token == "" && cfg.AuthURL == "" && data.Auth != nil && len(data.Auth.Tokens) > 0 {
		cfg.Token = data.Auth.Tokens[0]
	}
	return mock.New(data, mock.Options{Faults: faults, Log: requestLog, Name: demoDataName(cfg)}), nil
}

// demoDataName names the built-in demo server's data, as its journal lines
// and its answers say it: the demo-data file's name, or "built-in".
func demoDataName(cfg *config.Config) string {
	if cfg.DemoData == "" {
		return mock.BuiltInData
	}
	return filepath.Base(cfg.DemoData)
}

// demoRequestLog is where the demo server writes its request lines: the
// log, at info. When the log keeps nothing at info there is none, as
// building a line per request would be work for nothing.
func demoRequestLog(ctx context.Context, log *slog.Logger) io.Writer {
	if !log.Enabled(ctx, slog.LevelInfo) {
		return nil
	}
	return &lineLogger{log: log}
}

// lineLogger turns the demo server's request log, written line by line,
// into log records, so that the log file keeps one format.
type lineLogger struct {
	log *slog.Logger
	mu  sync.Mutex
	buf []byte
}

func (w *lineLogger) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		if line := strings.TrimSpace(string(w.buf[:i])); line != "" {
			w.log.Info("demo server", "request", line)
		}
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

// runningDemo is the built-in demo server of one command, running on this
// machine.
type runningDemo struct {
	running *mock.Running
	// cert is the certificate it serves with demo_tls, else nil.
	cert *mock.Certificate
	// certFile holds cert's PEM, for curl and other tools, until close.
	certFile string
}

// startDemo starts server on demoListen, over TLS with a certificate made
// now when demo_tls is set.
func startDemo(cfg *config.Config, server *mock.Server) (*runningDemo, error) {
	d := &runningDemo{}
	var serve mock.ServeOptions
	if cfg.DemoTLS {
		cert, err := mock.NewCertificate()
		if err != nil {
			return nil, &Error{Code: ExitUnavailable, What: "the demo server cannot make its TLS certificate: " + err.Error(), Err: err}
		}
		if d.certFile, err = cert.WritePEM(""); err != nil {
			return nil, &Error{Code: ExitUnavailable, What: "the demo server cannot save its TLS certificate: " + err.Error(),
				Todo: "check that the temporary folder (" + os.TempDir() + ") is writable, or unset demo_tls", Err: err}
		}
		d.cert, serve.TLS = cert, cert
	}
	running, err := mock.StartWith(demoListen, server, serve)
	if err != nil {
		d.close()
		return nil, &Error{Code: ExitUnavailable, What: "the demo server cannot start: " + err.Error(),
			Todo: "check that this machine allows listening on 127.0.0.1, or set api_url to a real server", Err: err}
	}
	d.running = running
	return d, nil
}

// trust is what a client of the demo server must trust: its certificate
// alone, or nil (the system's) for plain http.
func (d *runningDemo) trust() *x509.CertPool {
	if d == nil || d.cert == nil {
		return nil
	}
	return d.cert.Pool
}

func (d *runningDemo) close() {
	if d.running != nil {
		closeServer(d.running)
	}
	if d.certFile != "" {
		os.Remove(d.certFile)
	}
}

// newClient builds the OCAPI client the settings describe. A password grant
// without BOXOFFICE_PASSWORD asks for the password on the terminal. demo is
// the built-in demo server the client talks to, nil for a real one.
func (a *app) newClient(cfg *config.Config, baseURL string, demo *runningDemo, log *slog.Logger) (*api.Client, error) {
	opts := api.Options{
		BaseURL:    baseURL,
		Token:      cfg.Token,
		RegionCode: cfg.Region,
		Version:    version(),
		Timeout:    cfg.Timeout,
		Logger:     log,
		RootCAs:    demo.trust(),
	}
	if opts.RootCAs == nil && cfg.CAFile != "" {
		trust, err := api.TrustFile(cfg.CAFile)
		if err != nil {
			return nil, &Error{Code: ExitUsage, What: cfg.Invalid("ca_file", err.Error()).Error(),
				Todo: "point ca_file at a readable PEM file of the certificates to trust, or unset it"}
		}
		opts.Trust = trust
	}
	if cfg.AuthURL != "" {
		// The auth server sits behind the same proxy or authority.
		var grantClient *http.Client
		switch {
		case opts.RootCAs != nil:
			grantClient = &http.Client{Transport: api.TransportTrusting(opts.RootCAs)}
		case opts.Trust != nil:
			grantClient = &http.Client{Transport: opts.Trust.Transport(cfg.AuthURL)}
		}
		password := cfg.Password
		if password == "" {
			var err error
			prompt := fmt.Sprintf("Password for %s at %s: ", cfg.Username, cfg.AuthURL)
			if password, err = a.readSecret(prompt); err != nil {
				return nil, &Error{Code: ExitUsage, What: "no password for " + cfg.Username + ": " + err.Error(),
					Todo: "set BOXOFFICE_PASSWORD, or run boxoffice in a terminal to be asked for it", Err: err}
			}
		}
		opts.TokenSource = api.NewPasswordGrant(cfg.AuthURL, cfg.ClientID, cfg.Username, password, grantClient)
	}
	client, err := api.New(opts)
	if err != nil {
		return nil, &Error{Code: ExitUsage, What: err.Error(), Todo: "check api_url, token and region (boxoffice config show)", Err: err}
	}
	return client, nil
}

// terminal returns the file descriptor of r when it is a terminal.
func terminal(r any) (uintptr, bool) {
	f, ok := r.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	return f.Fd(), true
}

// readSecret asks for a secret on the terminal without echoing it.
func (a *app) readSecret(prompt string) (string, error) {
	fd, ok := terminal(a.env.Stdin)
	if !ok {
		return "", fmt.Errorf("standard input is not a terminal")
	}
	fmt.Fprint(a.env.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(a.env.Stderr)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// shutdownGrace bounds how long a stopping server waits for calls in flight.
const shutdownGrace = 5 * time.Second

func closeServer(r *mock.Running) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return r.Close(ctx)
}
