package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/boxoffice/boxoffice/api"
)

// setting is one row of the table every layer, the flags, `config show` and
// the example file are built from, so that they cannot drift apart.
type setting struct {
	key  string // file key, and the name in messages
	env  string
	flag string // "" when the setting cannot be a flag
	// usage is the flag help; a `word` in back quotes names the value.
	usage string
	// doc explains the setting in the example file.
	doc string
	// example is a TOML value shown in the example file.
	example     string
	flagDefault string
	isBool      bool
	// isNumber settings take a whole number, unquoted in the file.
	isNumber bool
	// isTable settings are a TOML table in the file and PREFIX=TYPE pairs
	// elsewhere (voucher_prefixes).
	isTable bool
	secret  bool
	noFile  bool
	// choices is the closed set of values the setting takes, nil when its
	// values are open; parsing and shell completion both go by it.
	choices []Choice
	def     func(getenv func(string) string) string
	// defaultDoc says the default where it depends on the machine.
	defaultDoc string
	set        func(c *Config, v string) error
	show       func(c *Config) string
}

// Choice is one value of a setting that takes a closed set of values.
type Choice struct {
	Value string
	// Doc says what the value does, in a few words.
	Doc string
}

func values(choices []Choice) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Value
	}
	return out
}

var (
	logFormatChoices = []Choice{
		{LogText, "key=value lines"},
		{LogJSON, "one JSON object per line"},
	}
	logLevelChoices = []Choice{
		{"debug", "adds one line per OCAPI call"},
		{"info", "the start, and the demo server's requests"},
		{"warn", "warnings and failures only"},
		{"error", "failures only"},
	}
	pinPromptChoices = []Choice{
		{PinAsk, "after each barcode, ask for the voucher's PIN"},
		{PinNever, "send each barcode at once, without a PIN"},
	}
	// voucherTypeChoices follows api.VoucherTypes, in the order F2 cycles
	// through them.
	voucherTypeChoices = []Choice{
		{string(api.VoucherTicket), "pays for a ticket of one showtime of the order"},
		{string(api.VoucherDeal), "a deal, such as a combo; needs no showtime"},
		{string(api.VoucherSubscription), "a subscription's tickets; needs no showtime"},
	}
	bellChoices = []Choice{
		{BellRefusals, "ring for every outcome marked ✗: a scan not attached, a failed removal, completion or cancel"},
		{BellAll, "ring for every outcome the counter lists, attached ones too"},
		{BellNever, "never ring"},
	}
)

// FlagChoices returns the values the setting behind a flag (named without
// dashes) takes, or nil when its values are not a closed set.
func FlagChoices(flag string) []Choice {
	for _, s := range settings {
		if s.flag != "" && s.flag == flag {
			return s.choices
		}
	}
	return nil
}

// EnvOf returns the environment variable of the setting key, or "" when
// there is no such setting.
func EnvOf(key string) string {
	if s := lookup(key); s != nil {
		return s.env
	}
	return ""
}

// FlagOf returns the flag of the setting key, without dashes, or "" when
// the setting cannot be a flag or there is no such setting.
func FlagOf(key string) string {
	if s := lookup(key); s != nil {
		return s.flag
	}
	return ""
}

func lookup(key string) *setting {
	for i := range settings {
		if settings[i].key == key {
			return &settings[i]
		}
	}
	return nil
}

func constant(v string) func(func(string) string) string {
	return func(func(string) string) string { return v }
}

const (
	minScanIdleGap = 10 * time.Millisecond
	maxScanIdleGap = 2 * time.Second
	maxTimeout     = 10 * time.Minute
	minKeepAlive   = 100 * time.Millisecond
	maxKeepAlive   = 10 * time.Minute
)

var settings = []setting{
	{
		key: "api_url", env: "BOXOFFICE_API_URL", flag: "api-url",
		usage:   "`URL` of the OCAPI server (unset: run the built-in demo server)",
		doc:     "The OCAPI server, e.g. https://<tenant>-digital-api.app.vista.co. Leave unset to run the built-in demo server.",
		example: `"https://example-digital-api.app.vista.co"`,
		set:     func(c *Config, v string) (err error) { c.APIURL, err = parseURL(v); return },
		show:    func(c *Config) string { return c.APIURL },
	},
	{
		key: "allow_insecure_http", env: "BOXOFFICE_ALLOW_INSECURE_HTTP", flag: "allow-insecure-http", isBool: true,
		usage:   "allow plain http:// to a server that is not this machine",
		doc:     "Allow plain http:// to a server other than this machine. Tokens and PINs then cross the network unencrypted.",
		example: "false",
		def:     constant("false"),
		set:     func(c *Config, v string) (err error) { c.AllowInsecureHTTP, err = parseBool(v); return },
		show:    func(c *Config) string { return strconv.FormatBool(c.AllowInsecureHTTP) },
	},
	{
		key: "ca_file", env: "BOXOFFICE_CA_FILE", flag: "ca-file",
		usage:   "also trust the certificates in PEM `file` (a TLS proxy's or private authority's)",
		doc:     "A PEM file of certificates to trust besides this machine's authorities: a corporate TLS proxy's or a tenant's private authority, or the certificate boxoffice mock --tls prints.",
		example: `"/etc/ssl/certs/corporate-proxy.pem"`,
		set:     func(c *Config, v string) error { c.CAFile = v; return nil },
		show:    func(c *Config) string { return c.CAFile },
	},
	{
		key: "region", env: "BOXOFFICE_REGION", flag: "region",
		usage:   "region `code` for the Connect-Region-Code header (tenants with regions only)",
		doc:     "Connect-Region-Code sent on every call; only tenants that use regions need it.",
		example: `"NZ"`,
		set: func(c *Config, v string) error {
			if strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0 {
				return errors.New("must not contain spaces or control characters")
			}
			c.Region = v
			return nil
		},
		show: func(c *Config) string { return c.Region },
	},
	{
		key: "site", env: "BOXOFFICE_SITE", flag: "site",
		usage:   "`site` id where new orders are created",
		doc:     "The cinema (site id) where new orders are created.",
		example: `"0001"`, flagDefault: "0001",
		def:  constant("0001"),
		set:  func(c *Config, v string) (err error) { c.Site, err = nonEmpty(v); return },
		show: func(c *Config) string { return c.Site },
	},
	{
		key: "order", env: "BOXOFFICE_ORDER", flag: "order",
		usage:   "`id` of the order to open (demo: the first seeded order)",
		doc:     "The order to open at start; unset lets the operator choose.",
		example: `"3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"`,
		set:     func(c *Config, v string) error { c.Order = v; return nil },
		show:    func(c *Config) string { return c.Order },
	},
	{
		key: "token", env: "BOXOFFICE_TOKEN", secret: true,
		doc:     "A pre-issued bearer token. Keep this file private (chmod 600) when it holds one.",
		example: `"<access token>"`,
		set:     func(c *Config, v string) error { c.Token = v; return nil },
		show:    func(c *Config) string { return c.Token },
	},
	{
		key: "auth_url", env: "BOXOFFICE_AUTH_URL",
		doc:     "The server that issues tokens (password grant). Set it with username instead of a token; the password comes from BOXOFFICE_PASSWORD or a prompt.",
		example: `"https://auth.example.com"`,
		set:     func(c *Config, v string) (err error) { c.AuthURL, err = parseURL(v); return },
		show:    func(c *Config) string { return c.AuthURL },
	},
	{
		key: "client_id", env: "BOXOFFICE_CLIENT_ID",
		doc:     "The client_id the password grant names the app with.",
		example: `"boxoffice"`,
		def:     constant("boxoffice"),
		set:     func(c *Config, v string) (err error) { c.ClientID, err = nonEmpty(v); return },
		show:    func(c *Config) string { return c.ClientID },
	},
	{
		key: "username", env: "BOXOFFICE_USERNAME",
		doc:     "The user of the password grant.",
		example: `"boxoffice-till-1"`,
		set:     func(c *Config, v string) error { c.Username = v; return nil },
		show:    func(c *Config) string { return c.Username },
	},
	{
		key: "password", env: "BOXOFFICE_PASSWORD", secret: true, noFile: true,
		doc:  "The password of the password grant. Only from the environment, or asked for on the terminal when unset; never from the config file or a flag.",
		set:  func(c *Config, v string) error { c.Password = v; return nil },
		show: func(c *Config) string { return c.Password },
	},
	{
		key: "demo_data", env: "BOXOFFICE_DEMO_DATA", flag: "demo-data",
		usage:   "demo-data JSON `file` for the built-in demo server",
		doc:     "A demo-data JSON file for the built-in demo server (unset: the built-in demo world).",
		example: `"/path/to/demo-data.json"`,
		set:     func(c *Config, v string) error { c.DemoData = v; return nil },
		show:    func(c *Config) string { return c.DemoData },
	},
	{
		key: "demo_faults", env: "BOXOFFICE_DEMO_FAULTS", flag: "demo-faults",
		usage:   "`spec` of faults for the built-in demo server to inject",
		doc:     "Faults the built-in demo server injects, to rehearse slow or failing networks: comma-separated latency=DURATION, error=FRACTION (answered 503), drop=FRACTION (applied, answer lost), seed=N.",
		example: `"latency=300ms,error=0.1,drop=0.1"`,
		set:     func(c *Config, v string) error { c.DemoFaults = v; return nil },
		show:    func(c *Config) string { return c.DemoFaults },
	},
	{
		key: "demo_tls", env: "BOXOFFICE_DEMO_TLS", flag: "demo-tls", isBool: true,
		usage:   "serve the built-in demo server over TLS, with a certificate made at start",
		doc:     "Serve the built-in demo server over https with a self-signed certificate made at start (its PEM file is named in the log); the counter trusts it by itself.",
		example: "false",
		def:     constant("false"),
		set:     func(c *Config, v string) (err error) { c.DemoTLS, err = parseBool(v); return },
		show:    func(c *Config) string { return strconv.FormatBool(c.DemoTLS) },
	},
	{
		key: "journal", env: "BOXOFFICE_JOURNAL", flag: "journal",
		usage:   "keep the voucher journal in `file` (default $XDG_STATE_HOME/boxoffice/journal.jsonl; practice: journal-demo.jsonl beside it)",
		doc:     "Where the journal of voucher operations is kept (default: $XDG_STATE_HOME/boxoffice/journal.jsonl, else ~/.local/state/boxoffice/journal.jsonl). Left at its default, practice (the built-in demo, boxoffice mock) is kept apart in journal-demo.jsonl beside it; a journal set here takes practice too, each line naming its server.",
		example: `"/var/lib/boxoffice/journal.jsonl"`,
		def:     DefaultJournal,
		set:     func(c *Config, v string) (err error) { c.Journal, err = nonEmpty(v); return },
		show:    func(c *Config) string { return c.Journal },
	},
	{
		key: "journal_keep_days", env: "BOXOFFICE_JOURNAL_KEEP_DAYS",
		doc:      "How many days of the journal's earlier files (journal-YYYY-MM-DD.jsonl beside it; it moves to a new file every day) are kept besides today's. Older ones are deleted. 1 to 36500.",
		example:  `400`,
		isNumber: true,
		def:      constant("400"), // journal.DefaultKeepDays
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 36500 {
				return fmt.Errorf("%q is not a number of days from 1 to 36500", v)
			}
			c.JournalKeepDays = n
			return nil
		},
		show: func(c *Config) string { return strconv.Itoa(c.JournalKeepDays) },
	},
	{
		key: "counter_name", env: "BOXOFFICE_COUNTER_NAME", flag: "counter-name",
		usage:   "this counter's `name` in every journal line (default: the host name)",
		doc:     "This counter's name, written in every journal line so that an auditor can tell the counters apart (default: this machine's host name).",
		example: `"till-1"`,
		def:     hostName, defaultDoc: "the host name",
		set:  func(c *Config, v string) (err error) { c.CounterName, err = label(v); return },
		show: func(c *Config) string { return c.CounterName },
	},
	{
		key: "operator", env: "BOXOFFICE_OPERATOR", flag: "operator",
		usage:   "`name` of the operator at the counter, written in every journal line",
		doc:     "Who is at the counter, written in every journal line when set: a name or a staff number, never a password.",
		example: `"ann"`,
		set: func(c *Config, v string) (err error) {
			if v == "" {
				c.Operator = ""
				return nil
			}
			c.Operator, err = label(v)
			return
		},
		show: func(c *Config) string { return c.Operator },
	},
	{
		key: "log", env: "BOXOFFICE_LOG", flag: "log",
		usage:   "append logs to `file` (unset: no logs; never the terminal)",
		doc:     "Append logs to this file (unset: no logs). Logs never go to the terminal.",
		example: `"/var/log/boxoffice.log"`,
		set:     func(c *Config, v string) error { c.LogFile = v; return nil },
		show:    func(c *Config) string { return c.LogFile },
	},
	{
		key: "log_format", env: "BOXOFFICE_LOG_FORMAT", flag: "log-format",
		usage:   "log `format`: text or json",
		doc:     "text or json.",
		example: `"text"`, flagDefault: LogText,
		choices: logFormatChoices,
		def:     constant(LogText),
		set: func(c *Config, v string) (err error) {
			c.LogFormat, err = oneOf(v, values(logFormatChoices)...)
			return
		},
		show: func(c *Config) string { return c.LogFormat },
	},
	{
		key: "log_level", env: "BOXOFFICE_LOG_LEVEL", flag: "log-level",
		usage:   "log `level`: debug, info, warn or error",
		doc:     "debug, info, warn or error.",
		example: `"info"`, flagDefault: "info",
		choices: logLevelChoices,
		def:     constant("info"),
		set: func(c *Config, v string) error {
			v, err := oneOf(v, values(logLevelChoices)...)
			if err != nil {
				return err
			}
			return c.LogLevel.UnmarshalText([]byte(v))
		},
		show: func(c *Config) string { return strings.ToLower(c.LogLevel.String()) },
	},
	{
		key: "pin_prompt", env: "BOXOFFICE_PIN_PROMPT", flag: "pin-prompt",
		usage:   "`mode` after a barcode: ask for a PIN (ask) or send at once (never)",
		doc:     "ask: after each barcode, ask for the voucher's PIN. never: send each barcode at once.",
		example: `"ask"`, flagDefault: PinAsk,
		choices: pinPromptChoices,
		def:     constant(PinAsk),
		set: func(c *Config, v string) (err error) {
			c.PinPrompt, err = oneOf(v, values(pinPromptChoices)...)
			return
		},
		show: func(c *Config) string { return c.PinPrompt },
	},
	{
		key: "voucher_type", env: "BOXOFFICE_VOUCHER_TYPE", flag: "voucher-type",
		usage:   "voucher `type` each scan starts with: Ticket, Deal or Subscription",
		doc:     "The voucher type each scan is sent as unless voucher_prefixes or F2 says otherwise: Ticket, Deal or Subscription. After each scan the form goes back to it, unless F2 pinned another type.",
		example: `"Ticket"`, flagDefault: string(api.VoucherTicket),
		choices: voucherTypeChoices,
		def:     constant(string(api.VoucherTicket)),
		set: func(c *Config, v string) error {
			t, err := api.ParseVoucherType(v)
			if err != nil {
				return fmt.Errorf("%q is not one of %s", v, strings.Join(values(voucherTypeChoices), ", "))
			}
			c.VoucherType = t
			return nil
		},
		show: func(c *Config) string { return string(c.VoucherType) },
	},
	{
		key: "voucher_prefixes", env: "BOXOFFICE_VOUCHER_PREFIXES", flag: "voucher-prefixes",
		usage:   "barcode prefixes and the voucher type each is sent as, as a `list` like 9300=Deal,SUBS=Subscription",
		doc:     "Barcode prefixes and the voucher type a scan that starts with one is sent as, so that it needs no F2; the longest matching prefix wins, in any case, and F2 still chooses another. In the file a table; in the environment or the flag PREFIX=TYPE pairs separated by commas.",
		example: `{ "9300" = "Deal", "SUBS" = "Subscription" }`,
		isTable: true,
		set: func(c *Config, v string) (err error) {
			c.VoucherPrefixes, err = parseVoucherPrefixes(v)
			return
		},
		show: func(c *Config) string { return formatVoucherPrefixes(c.VoucherPrefixes) },
	},
	{
		key: "bell", env: "BOXOFFICE_BELL", flag: "bell",
		usage:   "`when` the counter rings the terminal bell: refusals, all or never",
		doc:     "When the counter screen rings the terminal bell: refusals (every outcome marked ✗: a scan not attached, a failed removal, completion or cancel), all (every outcome, attached ones too) or never.",
		example: `"refusals"`, flagDefault: BellRefusals,
		choices: bellChoices,
		def:     constant(BellRefusals),
		set: func(c *Config, v string) (err error) {
			c.Bell, err = oneOf(v, values(bellChoices)...)
			return
		},
		show: func(c *Config) string { return c.Bell },
	},
	{
		key: "scan_idle_gap", env: "BOXOFFICE_SCAN_IDLE_GAP", flag: "scan-idle-gap",
		usage:   "`pause` that ends a scanner burst sent without Enter, 10ms to 2s",
		doc:     "The pause that ends a barcode scanner's burst when it sends no Enter (10ms to 2s).",
		example: `"100ms"`, flagDefault: "100ms",
		def: constant("100ms"),
		set: func(c *Config, v string) (err error) {
			c.ScanIdleGap, err = parseDuration(v, minScanIdleGap, maxScanIdleGap)
			return
		},
		show: func(c *Config) string { return c.ScanIdleGap.String() },
	},
	{
		key: "timeout", env: "BOXOFFICE_TIMEOUT", flag: "timeout",
		usage:   "`duration` to wait for the server on each call",
		doc:     "How long to wait for the server on each call.",
		example: `"10s"`, flagDefault: "10s",
		def: constant("10s"),
		set: func(c *Config, v string) (err error) {
			c.Timeout, err = parseDuration(v, time.Millisecond, maxTimeout)
			return
		},
		show: func(c *Config) string { return c.Timeout.String() },
	},
	{
		key: "keep_alive", env: "BOXOFFICE_KEEP_ALIVE", flag: "keep-alive",
		usage:   "`interval` at which an idle counter keeps its connection open, 0 for never",
		doc:     "While an order is open and the counter has made a call in the last 15 minutes, it touches the server this often (a HEAD without a token) so that its connection stays open and the next scan waits for no new TLS handshake. Keep it below the idle timeout of the tenant's server or load balancer. 0 turns it off; otherwise 100ms to 10m.",
		example: `"20s"`, flagDefault: "20s",
		def: constant("20s"),
		set: func(c *Config, v string) (err error) {
			if d, perr := time.ParseDuration(v); perr == nil && d == 0 {
				c.KeepAlive = 0
				return nil
			}
			c.KeepAlive, err = parseDuration(v, minKeepAlive, maxKeepAlive)
			return
		},
		show: func(c *Config) string { return c.KeepAlive.String() },
	},
}

// hostName is this machine's name, the default counter name; "counter"
// when the system does not say.
func hostName(func(string) string) string {
	if h, err := os.Hostname(); err == nil && strings.TrimSpace(h) != "" {
		return strings.TrimSpace(h)
	}
	return "counter"
}

// label is a name written in the journal: printable, on one line, short.
func label(v string) (string, error) {
	switch {
	case v == "":
		return "", errors.New("must not be empty")
	case len([]rune(v)) > 64:
		return "", fmt.Errorf("%q is longer than 64 characters", v)
	case strings.IndexFunc(v, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "", fmt.Errorf("%q holds characters that cannot be printed", v)
	}
	return v, nil
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

func nonEmpty(v string) (string, error) {
	if v == "" {
		return "", errors.New("must not be empty")
	}
	return v, nil
}

func oneOf(v string, allowed ...string) (string, error) {
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a, nil
		}
	}
	return "", fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
}

func parseDuration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration — write a number with a unit, e.g. 250ms or 10s", v)
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("%s is out of range — use %s to %s", d, lo, hi)
	}
	return d, nil
}

// parseURL accepts an absolute http(s) URL with a host and no credentials,
// and drops a trailing slash so that paths join cleanly.
func parseURL(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || !u.IsAbs() {
		return "", fmt.Errorf("%q is not an absolute URL — write it like https://example-digital-api.app.vista.co", v)
	}
	if u.User != nil {
		return "", fmt.Errorf("%q carries credentials — remove them; use token, or auth_url with username", u.Redacted())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%q: the scheme must be https:// (or http://), not %s://", v, u.Scheme)
	}
	if u.Hostname() == "" {
		return "", fmt.Errorf("%q has no host name", v)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must not have a query or fragment", v)
	}
	return strings.TrimRight(v, "/"), nil
}

// plainHTTPToRemote reports whether a validated URL is http:// to a host
// other than this machine.
func plainHTTPToRemote(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return false
	}
	return !IsLoopbackHost(u.Hostname())
}

// IsLoopbackHost reports whether host names this machine: localhost, an
// address in 127.0.0.0/8, or ::1.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
