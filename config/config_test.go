package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/boxoffice/boxoffice/api"
)

// world is a hermetic home directory, environment and flag set for one Load.
type world struct {
	t    *testing.T
	home string
	env  map[string]string
	args []string
	file string // --config
}

func newWorld(t *testing.T) *world {
	t.Helper()
	home := t.TempDir()
	return &world{t: t, home: home, env: map[string]string{"HOME": home}}
}

// writeDefaultFile writes the file Load reads without --config.
func (w *world) writeDefaultFile(content string) string {
	w.t.Helper()
	return writeFile(w.t, filepath.Join(w.home, ".config", "boxoffice", "config.toml"), content, 0o600)
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is filtered by the umask; tests need the exact mode.
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func (w *world) load() (*Config, error) {
	w.t.Helper()
	fs := pflag.NewFlagSet("boxoffice", pflag.ContinueOnError)
	BindFlags(fs)
	if err := fs.Parse(w.args); err != nil {
		w.t.Fatalf("parse flags %v: %v", w.args, err)
	}
	return Load(LoadOptions{
		ConfigFile: w.file,
		Getenv:     func(k string) string { return w.env[k] },
		Flags:      fs,
	})
}

func (w *world) mustLoad() *Config {
	w.t.Helper()
	c, err := w.load()
	if err != nil {
		w.t.Fatalf("Load: %v", err)
	}
	return c
}

func (w *world) loadErr() string {
	w.t.Helper()
	c, err := w.load()
	if err == nil {
		w.t.Fatalf("Load succeeded (%+v), want an error", c)
	}
	return err.Error()
}

func TestDefaults(t *testing.T) {
	w := newWorld(t)
	c := w.mustLoad()

	if c.APIURL != "" || c.Token != "" || c.Order != "" || c.LogFile != "" {
		t.Errorf("unexpected non-empty settings: %+v", c)
	}
	checks := []struct{ name, got, want string }{
		{"site", c.Site, "0001"},
		{"client_id", c.ClientID, "boxoffice"},
		{"log_format", c.LogFormat, LogText},
		{"pin_prompt", c.PinPrompt, PinAsk},
		{"voucher_type", string(c.VoucherType), string(api.VoucherTicket)},
		{"journal", c.Journal, filepath.Join(w.home, ".local", "state", "boxoffice", "journal.jsonl")},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if c.LogLevel != slog.LevelInfo {
		t.Errorf("log level = %v, want info", c.LogLevel)
	}
	if c.ScanIdleGap != 100*time.Millisecond || c.Timeout != 10*time.Second {
		t.Errorf("durations = %v, %v; want 100ms, 10s", c.ScanIdleGap, c.Timeout)
	}
	if c.AllowInsecureHTTP {
		t.Error("allow_insecure_http defaults to true")
	}
	if c.File != "" || len(c.Warnings) != 0 {
		t.Errorf("file %q warnings %q, want none", c.File, c.Warnings)
	}
	for _, s := range c.Settings() {
		if s.Source != SourceDefault {
			t.Errorf("%s source = %s, want default", s.Key, s.Source)
		}
	}
}

func TestXDGDirectories(t *testing.T) {
	w := newWorld(t)
	xdgConfig, xdgState := t.TempDir(), t.TempDir()
	w.env["XDG_CONFIG_HOME"] = xdgConfig
	w.env["XDG_STATE_HOME"] = xdgState
	writeFile(t, filepath.Join(xdgConfig, "boxoffice", "config.toml"), `site = "0042"`, 0o600)
	// The file under HOME must be ignored when XDG_CONFIG_HOME is set.
	w.writeDefaultFile(`site = "0099"`)

	c := w.mustLoad()
	if c.Site != "0042" || c.File != filepath.Join(xdgConfig, "boxoffice", "config.toml") {
		t.Errorf("site %q from %q, want 0042 from the XDG_CONFIG_HOME file", c.Site, c.File)
	}
	if want := filepath.Join(xdgState, "boxoffice", "journal.jsonl"); c.Journal != want {
		t.Errorf("journal = %q, want %q", c.Journal, want)
	}

	// A relative XDG path is ignored, as the XDG spec requires.
	w.env["XDG_CONFIG_HOME"] = "relative/dir"
	w.env["XDG_STATE_HOME"] = "relative/state"
	c = w.mustLoad()
	if c.Site != "0099" {
		t.Errorf("site = %q, want 0099 from ~/.config", c.Site)
	}
	if want := filepath.Join(w.home, ".local", "state", "boxoffice", "journal.jsonl"); c.Journal != want {
		t.Errorf("journal = %q, want %q", c.Journal, want)
	}
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		file, env  bool
		flag       bool
		want       string
		wantSource Source
	}{
		{"default", false, false, false, "0001", SourceDefault},
		{"file over default", true, false, false, "0002", SourceFile},
		{"env over file", true, true, false, "0003", SourceEnv},
		{"env without file", false, true, false, "0003", SourceEnv},
		{"flag over env and file", true, true, true, "0004", SourceFlag},
		{"flag over file", true, false, true, "0004", SourceFlag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.file {
				w.writeDefaultFile("site = \"0002\"\ntimeout = \"30s\"\n")
			}
			if tt.env {
				w.env["BOXOFFICE_SITE"] = "0003"
			}
			if tt.flag {
				w.args = []string{"--site", "0004"}
			}
			c := w.mustLoad()
			if c.Site != tt.want || c.Source("site") != tt.wantSource {
				t.Errorf("site = %q from %s, want %q from %s", c.Site, c.Source("site"), tt.want, tt.wantSource)
			}
			// A setting only the file sets keeps its file value under env and flags for others.
			if tt.file && (c.Timeout != 30*time.Second || c.Source("timeout") != SourceFile) {
				t.Errorf("timeout = %v from %s, want 30s from file", c.Timeout, c.Source("timeout"))
			}
		})
	}
}

func TestEmptyEnvironmentValueCountsAsUnset(t *testing.T) {
	w := newWorld(t)
	w.writeDefaultFile(`site = "0002"`)
	w.env["BOXOFFICE_SITE"] = ""
	if c := w.mustLoad(); c.Site != "0002" {
		t.Errorf("site = %q, want the file's 0002", c.Site)
	}
}

func TestBoolFlagFalseOverridesEnvironment(t *testing.T) {
	w := newWorld(t)
	w.env["BOXOFFICE_ALLOW_INSECURE_HTTP"] = "true"
	w.args = []string{"--allow-insecure-http=false"}
	c := w.mustLoad()
	if c.AllowInsecureHTTP || c.Source("allow_insecure_http") != SourceFlag {
		t.Errorf("allow_insecure_http = %v from %s, want false from flag", c.AllowInsecureHTTP, c.Source("allow_insecure_http"))
	}
}

func TestEverySettingFromEachLayer(t *testing.T) {
	w := newWorld(t)
	w.file = writeFile(t, filepath.Join(t.TempDir(), "my.toml"), `
api_url = "https://tenant-digital-api.app.vista.co/"
allow_insecure_http = true
region = "NZ"
order = "abc"
token = "file-token"
client_id = "till"
demo_faults = "x"
journal = "/tmp/j.jsonl"
log = "/tmp/b.log"
log_format = "JSON"
log_level = "debug"
pin_prompt = "never"
voucher_type = "deal"
scan_idle_gap = "50ms"
timeout = "3s"
`, 0o600)
	w.env["BOXOFFICE_PASSWORD"] = "pw"
	c := w.mustLoad()
	if c.APIURL != "https://tenant-digital-api.app.vista.co" {
		t.Errorf("api_url = %q, want the trailing slash dropped", c.APIURL)
	}
	if !c.AllowInsecureHTTP || c.Region != "NZ" || c.Order != "abc" || c.Token != "file-token" || c.ClientID != "till" {
		t.Errorf("file values not applied: %+v", c)
	}
	if c.LogFormat != LogJSON || c.LogLevel != slog.LevelDebug || c.PinPrompt != PinNever || c.VoucherType != api.VoucherDeal {
		t.Errorf("enums = %q %v %q %q, want json debug never Deal", c.LogFormat, c.LogLevel, c.PinPrompt, c.VoucherType)
	}
	if c.ScanIdleGap != 50*time.Millisecond || c.Timeout != 3*time.Second {
		t.Errorf("durations = %v %v", c.ScanIdleGap, c.Timeout)
	}
	if c.Password != "pw" || c.Source("password") != SourceEnv {
		t.Errorf("password from %s", c.Source("password"))
	}
	if c.File != w.file {
		t.Errorf("File = %q, want %q", c.File, w.file)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "demo_faults") {
		t.Errorf("warnings = %q, want one about demo_faults being ignored with api_url", c.Warnings)
	}
}

func TestExplicitConfigFileMustExist(t *testing.T) {
	w := newWorld(t)
	w.file = filepath.Join(t.TempDir(), "missing.toml")
	msg := w.loadErr()
	for _, want := range []string{w.file, "does not exist", "boxoffice config init"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}

func TestMalformedFile(t *testing.T) {
	w := newWorld(t)
	path := w.writeDefaultFile("site = \n")
	msg := w.loadErr()
	if !strings.Contains(msg, path) || !strings.Contains(msg, "not valid TOML") {
		t.Errorf("error %q should name the file and say it is not TOML", msg)
	}
}

func TestUnknownFileKeys(t *testing.T) {
	tests := []struct {
		content string
		want    []string
	}{
		{`api-url = "https://x.example"`, []string{`api-url (from config file`, `unknown key`, `did you mean "api_url"?`}},
		{`apiurl = "https://x.example"`, []string{`did you mean "api_url"?`}},
		{`colour = "red"`, []string{`colour (from config file`, `unknown key`, `boxoffice config show`}},
		{"[server]\nurl = \"https://x.example\"", []string{`server (from config file`, `unknown key`}},
	}
	for _, tt := range tests {
		w := newWorld(t)
		w.writeDefaultFile(tt.content)
		msg := w.loadErr()
		for _, want := range tt.want {
			if !strings.Contains(msg, want) {
				t.Errorf("%q: error %q does not contain %q", tt.content, msg, want)
			}
		}
	}
}

func TestPasswordIsNeverReadFromTheFile(t *testing.T) {
	w := newWorld(t)
	w.writeDefaultFile(`password = "hunter2"`)
	msg := w.loadErr()
	if !strings.Contains(msg, "password (from config file") || !strings.Contains(msg, "BOXOFFICE_PASSWORD") {
		t.Errorf("error %q should refuse the password key and point at BOXOFFICE_PASSWORD", msg)
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("error %q shows the password", msg)
	}
}

func TestSecretsAreNotFlags(t *testing.T) {
	for _, name := range []string{"token", "password"} {
		w := newWorld(t)
		w.args = []string{"--" + name, "s3cret"}
		msg := w.loadErr()
		want := "BOXOFFICE_" + strings.ToUpper(name)
		if !strings.Contains(msg, name+" (from flag --"+name+")") || !strings.Contains(msg, want) {
			t.Errorf("error %q should refuse --%s and point at %s", msg, name, want)
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("error %q shows the secret", msg)
		}
	}

	fs := pflag.NewFlagSet("boxoffice", pflag.ContinueOnError)
	BindFlags(fs)
	if usage := fs.FlagUsages(); strings.Contains(usage, "--token") || strings.Contains(usage, "--password") {
		t.Errorf("help lists a secret flag:\n%s", usage)
	}
}

func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		file string
		args []string
		want string
	}{
		{"relative url", map[string]string{"BOXOFFICE_API_URL": "example.com/ocapi"}, "", nil,
			`api_url (from environment variable BOXOFFICE_API_URL): "example.com/ocapi" is not an absolute URL`},
		{"ftp url", nil, `api_url = "ftp://example.com"`, nil,
			`api_url (from config file `},
		{"ftp url problem", nil, "", []string{"--api-url", "ftp://example.com"},
			`api_url (from flag --api-url): "ftp://example.com": the scheme must be https:// (or http://), not ftp://`},
		{"no host", nil, "", []string{"--api-url", "https://"},
			`api_url (from flag --api-url): "https://" has no host name`},
		{"credentials in url", nil, "", []string{"--api-url", "https://me:pw@example.com"},
			`api_url (from flag --api-url): "https://me:xxxxx@example.com" carries credentials`},
		{"query in url", nil, "", []string{"--api-url", "https://example.com/?a=b"},
			`must not have a query or fragment`},
		{"auth url", map[string]string{"BOXOFFICE_AUTH_URL": "auth.example.com", "BOXOFFICE_USERNAME": "u"}, "", nil,
			`auth_url (from environment variable BOXOFFICE_AUTH_URL): "auth.example.com" is not an absolute URL`},
		{"bool", map[string]string{"BOXOFFICE_ALLOW_INSECURE_HTTP": "sometimes"}, "", nil,
			`allow_insecure_http (from environment variable BOXOFFICE_ALLOW_INSECURE_HTTP): "sometimes" is not true or false`},
		{"bool type in file", nil, `allow_insecure_http = "yes"`, nil,
			`want true or false (unquoted), got a string`},
		{"number for a string in file", nil, `timeout = 10`, nil,
			`timeout (from config file `},
		{"number for a string in file problem", nil, `timeout = 10`, nil,
			`want a quoted string such as "10s", got a number`},
		{"region", nil, "", []string{"--region", "N Z"},
			`region (from flag --region): must not contain spaces or control characters`},
		{"empty site", nil, "", []string{"--site", ""},
			`site (from flag --site): must not be empty`},
		{"empty client id", nil, `client_id = ""`, nil,
			`client_id (from config file `},
		{"log format", map[string]string{"BOXOFFICE_LOG_FORMAT": "xml"}, "", nil,
			`log_format (from environment variable BOXOFFICE_LOG_FORMAT): "xml" is not one of text, json`},
		{"log level", nil, "", []string{"--log-level", "verbose"},
			`log_level (from flag --log-level): "verbose" is not one of debug, info, warn, error`},
		{"pin prompt", nil, "", []string{"--pin-prompt", "sometimes"},
			`pin_prompt (from flag --pin-prompt): "sometimes" is not one of ask, never`},
		{"voucher type", map[string]string{"BOXOFFICE_VOUCHER_TYPE": "coupon"}, "", nil,
			`voucher_type (from environment variable BOXOFFICE_VOUCHER_TYPE): "coupon" is not one of Ticket, Deal, Subscription`},
		{"duration without unit", nil, "", []string{"--timeout", "10"},
			`timeout (from flag --timeout): "10" is not a duration — write a number with a unit, e.g. 250ms or 10s`},
		{"zero timeout", nil, "", []string{"--timeout", "0s"},
			`timeout (from flag --timeout): 0s is out of range — use 1ms to 10m0s`},
		{"scan gap too short", map[string]string{"BOXOFFICE_SCAN_IDLE_GAP": "5ms"}, "", nil,
			`scan_idle_gap (from environment variable BOXOFFICE_SCAN_IDLE_GAP): 5ms is out of range — use 10ms to 2s`},
		{"scan gap too long", nil, `scan_idle_gap = "3s"`, nil,
			`3s is out of range — use 10ms to 2s`},
		{"scan gap not a duration", nil, "", []string{"--scan-idle-gap", "fast"},
			`scan_idle_gap (from flag --scan-idle-gap): "fast" is not a duration`},
		{"empty journal", nil, "", []string{"--journal", ""},
			`journal (from flag --journal): must not be empty`},
		{"auth url without username", map[string]string{"BOXOFFICE_AUTH_URL": "https://auth.example.com"}, "", nil,
			`username (not set): auth_url is set (from environment variable BOXOFFICE_AUTH_URL) but no username`},
		{"username without auth url", map[string]string{"BOXOFFICE_USERNAME": "till1"}, "", nil,
			`auth_url (not set): username is set (from environment variable BOXOFFICE_USERNAME) but not auth_url`},
		{"token and auth url", map[string]string{"BOXOFFICE_AUTH_URL": "https://auth.example.com", "BOXOFFICE_USERNAME": "u", "BOXOFFICE_TOKEN": "t"}, "", nil,
			`auth_url (from environment variable BOXOFFICE_AUTH_URL): a token is also set (from environment variable BOXOFFICE_TOKEN)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for k, v := range tt.env {
				w.env[k] = v
			}
			if tt.file != "" {
				w.writeDefaultFile(tt.file)
			}
			w.args = tt.args
			if msg := w.loadErr(); !strings.Contains(msg, tt.want) {
				t.Errorf("error:\n  %s\nwant it to contain:\n  %s", msg, tt.want)
			}
		})
	}
}

func TestAllProblemsReportedTogether(t *testing.T) {
	w := newWorld(t)
	w.env["BOXOFFICE_TIMEOUT"] = "soon"
	w.args = []string{"--log-level", "loud"}
	msg := w.loadErr()
	if !strings.Contains(msg, "timeout (from") || !strings.Contains(msg, "log_level (from") {
		t.Errorf("error %q should report both problems", msg)
	}
}

func TestInsecureHTTP(t *testing.T) {
	refused := []string{"http://example.com", "http://10.0.0.5:8080", "http://[2001:db8::1]/", "http://localhost.example.com"}
	for _, u := range refused {
		w := newWorld(t)
		w.args = []string{"--api-url", u}
		msg := w.loadErr()
		for _, want := range []string{"api_url (from flag --api-url)", "unencrypted", "https://", "allow_insecure_http"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: error %q does not contain %q", u, msg, want)
			}
		}

		w.env["BOXOFFICE_ALLOW_INSECURE_HTTP"] = "1"
		if c := w.mustLoad(); c.APIURL == "" {
			t.Errorf("%s with allow_insecure_http: api_url not kept", u)
		}
	}

	allowed := []string{"http://127.0.0.1:8080", "http://127.10.20.30", "http://[::1]:9000", "http://localhost:8080", "http://LOCALHOST", "https://example.com"}
	for _, u := range allowed {
		w := newWorld(t)
		w.args = []string{"--api-url", u}
		if c := w.mustLoad(); c.APIURL != u {
			t.Errorf("api_url = %q, want %q", c.APIURL, u)
		}
	}

	w := newWorld(t)
	w.env["BOXOFFICE_AUTH_URL"] = "http://auth.example.com"
	w.env["BOXOFFICE_USERNAME"] = "till1"
	if msg := w.loadErr(); !strings.Contains(msg, "auth_url (from environment variable BOXOFFICE_AUTH_URL)") || !strings.Contains(msg, "unencrypted") {
		t.Errorf("plain-http auth_url: error %q", msg)
	}
}

func TestSettingsMaskSecrets(t *testing.T) {
	w := newWorld(t)
	w.env["BOXOFFICE_TOKEN"] = "tok-123456"
	c := w.mustLoad()
	byKey := map[string]Setting{}
	for _, s := range c.Settings() {
		byKey[s.Key] = s
		if strings.Contains(s.Value, "tok-123456") {
			t.Errorf("%s shows the token", s.Key)
		}
	}
	if s := byKey["token"]; s.Value != SecretSet || s.Source != SourceEnv || s.Env != "BOXOFFICE_TOKEN" || s.Flag != "" {
		t.Errorf("token setting = %+v", s)
	}
	if s := byKey["password"]; s.Value != SecretNotSet || s.Source != SourceDefault {
		t.Errorf("password setting = %+v", s)
	}
	if s := byKey["timeout"]; s.Value != "10s" || s.Flag != "--timeout" || s.Env != "BOXOFFICE_TIMEOUT" {
		t.Errorf("timeout setting = %+v", s)
	}
	if len(c.Settings()) != len(settings) {
		t.Errorf("Settings lists %d of %d settings", len(c.Settings()), len(settings))
	}

	w.env["BOXOFFICE_TOKEN"] = ""
	w.env["BOXOFFICE_AUTH_URL"] = "https://auth.example.com"
	w.env["BOXOFFICE_USERNAME"] = "till1"
	w.env["BOXOFFICE_PASSWORD"] = "pw-987"
	for _, s := range w.mustLoad().Settings() {
		if s.Key == "password" && (s.Value != SecretSet || s.Source != SourceEnv) {
			t.Errorf("password setting = %+v", s)
		}
		if strings.Contains(s.Value, "pw-987") {
			t.Errorf("%s shows the password", s.Key)
		}
	}
}

func TestFilePermissionWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes do not express who can read a file on Windows")
	}
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		warn    bool
	}{
		{"token readable by others", `token = "t"`, 0o644, true},
		{"token readable by group", `token = "t"`, 0o640, true},
		{"token private", `token = "t"`, 0o600, false},
		{"no token", `site = "0002"`, 0o644, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.file = writeFile(t, filepath.Join(t.TempDir(), "c.toml"), tt.content, tt.mode)
			c := w.mustLoad()
			if !tt.warn {
				if len(c.Warnings) != 0 {
					t.Errorf("warnings = %q, want none", c.Warnings)
				}
				return
			}
			if len(c.Warnings) != 1 {
				t.Fatalf("warnings = %q, want one", c.Warnings)
			}
			for _, want := range []string{w.file, "token", "chmod 600"} {
				if !strings.Contains(c.Warnings[0], want) {
					t.Errorf("warning %q does not mention %q", c.Warnings[0], want)
				}
			}
		})
	}
}

func TestOriginAndInvalid(t *testing.T) {
	w := newWorld(t)
	w.env["BOXOFFICE_DEMO_FAULTS"] = "bogus"
	c := w.mustLoad()
	if got := c.Origin("demo_faults"); got != "environment variable BOXOFFICE_DEMO_FAULTS" {
		t.Errorf("Origin = %q", got)
	}
	err := c.Invalid("demo_faults", "unknown fault \"bogus\"")
	if got, want := err.Error(), `demo_faults (from environment variable BOXOFFICE_DEMO_FAULTS): unknown fault "bogus"`; got != want {
		t.Errorf("Invalid = %q, want %q", got, want)
	}
	if got := c.Origin("site"); got != "the default" {
		t.Errorf("Origin(site) = %q", got)
	}
}

func TestExampleFile(t *testing.T) {
	example := ExampleFile()
	for _, s := range settings {
		line := "# " + s.key + " = "
		if s.noFile != !strings.Contains(example, line) {
			t.Errorf("example file and %s: want listed = %v", s.key, !s.noFile)
		}
	}

	// As written (all commented out) it loads cleanly.
	w := newWorld(t)
	w.file = writeFile(t, filepath.Join(t.TempDir(), "example.toml"), example, 0o600)
	if c := w.mustLoad(); len(c.Warnings) != 0 {
		t.Errorf("warnings = %q", c.Warnings)
	}

	// Every example value is valid; token is left out because it cannot
	// stand beside auth_url.
	var uncommented []string
	for _, line := range strings.Split(example, "\n") {
		if strings.HasPrefix(line, "# ") && strings.Contains(line, " = ") && !strings.HasPrefix(line, "# token") {
			line = strings.TrimPrefix(line, "# ")
		}
		uncommented = append(uncommented, line)
	}
	w.file = writeFile(t, filepath.Join(t.TempDir(), "uncommented.toml"), strings.Join(uncommented, "\n"), 0o600)
	if _, err := w.load(); err != nil {
		t.Errorf("uncommented example does not load: %v", err)
	}
}

// The settings of TLS and of the connection's keep-alive, from each layer,
// shown as they were read.
func TestTLSAndKeepAliveSettings(t *testing.T) {
	w := newWorld(t)
	c := w.mustLoad()
	if c.CAFile != "" || c.DemoTLS || c.KeepAlive != 20*time.Second {
		t.Errorf("defaults ca_file %q demo_tls %v keep_alive %v, want none, false, 20s", c.CAFile, c.DemoTLS, c.KeepAlive)
	}

	w = newWorld(t)
	w.writeDefaultFile("ca_file = \"/etc/proxy.pem\"\ndemo_tls = true\nkeep_alive = \"0\"\n")
	c = w.mustLoad()
	if c.CAFile != "/etc/proxy.pem" || !c.DemoTLS || c.KeepAlive != 0 {
		t.Errorf("from the file: ca_file %q demo_tls %v keep_alive %v", c.CAFile, c.DemoTLS, c.KeepAlive)
	}

	w = newWorld(t)
	w.env["BOXOFFICE_CA_FILE"] = "/env.pem"
	w.env["BOXOFFICE_KEEP_ALIVE"] = "45s"
	w.args = []string{"--demo-tls", "--ca-file", "/flag.pem"}
	c = w.mustLoad()
	if c.CAFile != "/flag.pem" || c.Source("ca_file") != SourceFlag || !c.DemoTLS || c.KeepAlive != 45*time.Second || c.Source("keep_alive") != SourceEnv {
		t.Errorf("env and flags: ca_file %q (%s) demo_tls %v keep_alive %v (%s)", c.CAFile, c.Source("ca_file"), c.DemoTLS, c.KeepAlive, c.Source("keep_alive"))
	}
	shown := map[string]string{}
	for _, s := range c.Settings() {
		shown[s.Key] = s.Value
	}
	if shown["ca_file"] != "/flag.pem" || shown["demo_tls"] != "true" || shown["keep_alive"] != "45s" {
		t.Errorf("config show: ca_file %q demo_tls %q keep_alive %q", shown["ca_file"], shown["demo_tls"], shown["keep_alive"])
	}

	for _, bad := range []string{"10ms", "11m", "soon"} {
		w = newWorld(t)
		w.env["BOXOFFICE_KEEP_ALIVE"] = bad
		if _, err := w.load(); err == nil || !strings.Contains(err.Error(), "keep_alive (from environment variable BOXOFFICE_KEEP_ALIVE)") {
			t.Errorf("keep_alive %q: %v", bad, err)
		}
	}

	w = newWorld(t)
	w.env["BOXOFFICE_API_URL"] = "https://tenant.example.com"
	w.args = []string{"--demo-tls"}
	if c := w.mustLoad(); len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "demo_tls (from flag --demo-tls) is ignored because api_url is set") {
		t.Errorf("warnings %q", c.Warnings)
	}
}
