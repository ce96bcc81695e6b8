// Package config gathers boxoffice's settings from built-in defaults, a TOML
// file, the environment and command-line flags (each overriding the one
// before), validates them, and remembers where each value came from so that
// an operator can find out why the app talks to the server it does.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/spf13/pflag"

	"github.com/boxoffice/boxoffice/api"
)

// Source says which layer a setting's value came from.
type Source string

const (
	SourceDefault Source = "default"
	SourceFile    Source = "file"
	SourceEnv     Source = "env"
	SourceFlag    Source = "flag"
)

// Log formats and PIN prompt modes, as written in settings.
const (
	LogText = "text"
	LogJSON = "json"

	PinAsk   = "ask"
	PinNever = "never"

	// When the counter screen rings the terminal bell.
	BellRefusals = "refusals"
	BellAll      = "all"
	BellNever    = "never"
)

// Config is the validated set of settings one run of boxoffice uses.
type Config struct {
	// APIURL is the OCAPI server; "" means run against the embedded mock.
	APIURL            string
	AllowInsecureHTTP bool
	// CAFile is a PEM file of certificates trusted besides the system's.
	CAFile string
	// Region is sent as Connect-Region-Code when not "".
	Region string
	Site   string
	// Order is the order to open; "" lets the operator pick or create one.
	Order string
	// Token is a pre-issued bearer token. Never printed.
	Token string
	// AuthURL, ClientID, Username and Password drive the password grant.
	AuthURL  string
	ClientID string
	Username string
	// Password comes only from the environment (or a prompt the caller runs).
	Password string
	// DemoData is a demo-data JSON file for the embedded mock; "" is the built-in world.
	DemoData string
	// DemoFaults is a fault spec for the embedded mock.
	DemoFaults string
	// DemoTLS serves the embedded mock over https.
	DemoTLS bool
	Journal string
	// JournalKeepDays is how many days of rotated journal files are kept.
	JournalKeepDays int
	// CounterName and Operator are written in every journal line.
	CounterName string
	Operator    string
	// LogFile is where logs go; "" discards them (never the terminal).
	LogFile     string
	LogFormat   string // LogText or LogJSON
	LogLevel    slog.Level
	PinPrompt   string // PinAsk or PinNever
	VoucherType api.VoucherType
	// VoucherPrefixes maps barcode prefixes to the voucher type a scan
	// starting with one is sent as.
	VoucherPrefixes map[string]api.VoucherType
	Bell            string // BellRefusals, BellAll or BellNever
	ScanIdleGap     time.Duration
	Timeout         time.Duration
	// KeepAlive is how often an idle counter keeps its connection open; 0 never.
	KeepAlive time.Duration

	// File is the config file that was read, "" when there was none.
	File string
	// Warnings are worth telling the operator but do not stop a start.
	Warnings []string
	// Problems are what Load with KeepGoing found wrong.
	Problems []error

	sources map[string]Source
}

// Setting describes one setting for display, with secrets masked.
type Setting struct {
	Key string `json:"key"`
	Env string `json:"env"`
	// Flag is "--name", or "" when the setting cannot be given as a flag.
	Flag   string `json:"flag,omitempty"`
	Value  string `json:"value"`
	Source Source `json:"source"`
}

// Masked values of secret settings.
const (
	SecretSet    = "set (hidden)"
	SecretNotSet = "not set"
)

// LoadOptions are the inputs of Load beyond the file system.
type LoadOptions struct {
	// ConfigFile is a file given explicitly (--config); it must exist. ""
	// reads the file BOXOFFICE_CONFIG names, which must exist too, else the
	// default file if there is one.
	ConfigFile string
	// Getenv reads the environment; nil means os.Getenv. An empty value
	// counts as unset.
	Getenv func(string) string
	// Flags holds the flags BindFlags registered; only flags the user set
	// (Changed) count. nil means no flags.
	Flags *pflag.FlagSet
	// KeepGoing returns what can be loaded despite problems, which are in
	// Config.Problems rather than the error: a setting with a problem keeps
	// its default. For showing the settings, never for using them.
	KeepGoing bool
}

// Error is a setting that cannot be used: which one, where its value came
// from, and what is wrong with it.
type Error struct {
	Key string
	// Origin names the source precisely, e.g. "flag --timeout".
	Origin  string
	Problem string
}

func (e *Error) Error() string {
	if e.Origin == notSet {
		return fmt.Sprintf("%s (%s): %s", e.Key, notSet, e.Problem)
	}
	return fmt.Sprintf("%s (from %s): %s", e.Key, e.Origin, e.Problem)
}

// Load reads every layer, validates the result and reports all problems at
// once, so that a broken setup is fixed in one go rather than one error per run.
func Load(opts LoadOptions) (*Config, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	l := loader{getenv: getenv, chosen: map[string]layerValue{}}

	for _, s := range settings {
		if s.def != nil {
			l.chosen[s.key] = layerValue{value: s.def(getenv), source: SourceDefault}
		}
	}

	file, namedBy := ChooseFile(opts.ConfigFile, getenv)
	var warnings []string
	if file != "" {
		read, w, err := l.readFile(file, namedBy)
		switch {
		case err != nil && !opts.KeepGoing:
			return nil, err
		case err != nil:
			if joined, ok := err.(interface{ Unwrap() []error }); ok {
				l.problems = append(l.problems, joined.Unwrap()...)
			} else {
				l.problems = append(l.problems, err)
			}
		}
		if !read {
			file = ""
		}
		warnings = append(warnings, w...)
	}

	for _, s := range settings {
		if v := getenv(s.env); v != "" {
			l.chosen[s.key] = layerValue{value: v, source: SourceEnv}
		}
	}
	l.readFlags(opts.Flags)

	c := &Config{File: file, sources: map[string]Source{}}
	for _, s := range settings {
		lv, ok := l.chosen[s.key]
		if !ok {
			continue
		}
		c.sources[s.key] = lv.source
		if err := s.set(c, strings.TrimSpace(lv.value)); err != nil {
			l.problem(s.key, err.Error())
			if opts.KeepGoing && s.def != nil {
				c.sources[s.key] = SourceDefault
				_ = s.set(c, s.def(getenv))
			}
		}
	}
	l.checkCombinations(c)
	if len(l.problems) > 0 && !opts.KeepGoing {
		return nil, errors.Join(l.problems...)
	}
	c.Problems = l.problems
	c.Warnings = append(warnings, c.combinationWarnings()...)
	return c, nil
}

type layerValue struct {
	value  string
	source Source
}

type loader struct {
	getenv   func(string) string
	file     string
	chosen   map[string]layerValue
	problems []error
	// failed holds the settings with a problem, whose values later checks
	// must not trust.
	failed map[string]bool
}

func (l *loader) problem(key, problem string) {
	if l.failed == nil {
		l.failed = map[string]bool{}
	}
	l.failed[key] = true
	l.problems = append(l.problems, &Error{Key: key, Origin: l.origin(key), Problem: problem})
}

func (l *loader) origin(key string) string {
	return origin(lookup(key), l.chosen[key].source, l.file)
}

// notSet is the origin of a setting that has no default and was not given.
const notSet = "not set"

func origin(s *setting, src Source, file string) string {
	switch src {
	case SourceFile:
		return "config file " + file
	case SourceEnv:
		return "environment variable " + s.env
	case SourceFlag:
		return "flag --" + s.flag
	}
	if s.def == nil {
		return notSet
	}
	return "the default"
}

// readFile reads a TOML config file into the file layer. namedBy is what
// named the file (FileNamedByFlag, FileNamedByEnv), "" for the default
// file. It reports false when the default file does not exist, which is not
// an error: a file someone named that is missing is.
func (l *loader) readFile(path, namedBy string) (bool, []string, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && namedBy == "" {
			return false, nil, nil
		}
		if errors.Is(err, os.ErrNotExist) && namedBy == FileNamedByEnv {
			return false, nil, fmt.Errorf("config file %s (named by %s) does not exist — check the path in %s, or run 'boxoffice config init' to create the file", path, FileEnv, FileEnv)
		}
		if errors.Is(err, os.ErrNotExist) {
			return false, nil, fmt.Errorf("config file %s does not exist — check the --config path, or run 'boxoffice config init' to create one", path)
		}
		return false, nil, fmt.Errorf("config file %s: %w", path, err)
	}
	if info.IsDir() {
		return false, nil, fmt.Errorf("config file %s is a directory — give the path of a TOML file", path)
	}
	var raw map[string]any
	if _, err := toml.DecodeFile(path, &raw); err != nil {
		return false, nil, fmt.Errorf("config file %s is not valid TOML: %w", path, err)
	}
	l.file = path

	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []error
	fileProblem := func(key, problem string) {
		problems = append(problems, &Error{Key: key, Origin: "config file " + path, Problem: problem})
	}
	for _, k := range keys {
		s := lookup(k)
		switch {
		case k == "password":
			fileProblem(k, "a password is never read from the config file — remove it, and set BOXOFFICE_PASSWORD or let boxoffice ask for it")
			continue
		case s == nil:
			msg := "unknown key"
			if guess := suggestKey(k); guess != "" {
				msg += fmt.Sprintf(" — did you mean %q?", guess)
			} else {
				// config show lists the settings even while this one is wrong.
				msg += " — run 'boxoffice config show' for the list of settings"
			}
			fileProblem(k, msg)
			continue
		}
		v, err := fileValue(s, raw[k])
		if err != nil {
			fileProblem(k, err.Error())
			continue
		}
		l.chosen[k] = layerValue{value: v, source: SourceFile}
	}
	if len(problems) > 0 {
		// The keys that could be read are kept, for a caller that goes on.
		return true, nil, errors.Join(problems...)
	}

	var warnings []string
	if _, hasToken := raw["token"]; hasToken && runtime.GOOS != "windows" && info.Mode().Perm()&0o044 != 0 {
		warnings = append(warnings, fmt.Sprintf("config file %s holds a token and other users can read it (mode %04o) — run: chmod 600 %s", path, info.Mode().Perm(), path))
	}
	return true, warnings, nil
}

// fileValue turns a TOML value into the text every other layer also gives,
// so that one parser per setting serves all layers.
func fileValue(s *setting, v any) (string, error) {
	if s.isTable {
		return prefixTableValue(v)
	}
	if s.isBool {
		b, ok := v.(bool)
		if !ok {
			return "", fmt.Errorf("want true or false (unquoted), got %s", tomlType(v))
		}
		if b {
			return "true", nil
		}
		return "false", nil
	}
	if s.isNumber {
		n, ok := v.(int64)
		if !ok {
			return "", fmt.Errorf("want a whole number such as %s (unquoted), got %s", s.example, tomlType(v))
		}
		return strconv.FormatInt(n, 10), nil
	}
	str, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a quoted string such as %s, got %s", s.example, tomlType(v))
	}
	return str, nil
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64:
		return "a number"
	case float64:
		return "a number"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "a list"
	}
	return "a date"
}

func suggestKey(k string) string {
	norm := strings.ToLower(strings.ReplaceAll(k, "-", "_"))
	for _, s := range settings {
		if s.key == norm || strings.ReplaceAll(s.key, "_", "") == strings.ReplaceAll(norm, "_", "") {
			if s.noFile {
				return ""
			}
			return s.key
		}
	}
	// A typo: the one setting a letter or two away.
	best, bestDist := "", 3
	for _, s := range settings {
		if d := editDistance(norm, s.key); !s.noFile && d < bestDist {
			best, bestDist = s.key, d
		}
	}
	return best
}

// editDistance is the number of letters to insert, remove or change to
// turn a into b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func (l *loader) readFlags(fs *pflag.FlagSet) {
	if fs == nil {
		return
	}
	for _, name := range refusedFlags {
		if f := fs.Lookup(name); f != nil && f.Changed {
			l.problems = append(l.problems, &Error{Key: name, Origin: "flag --" + name,
				Problem: "secrets are not taken as flags, where other users of this machine can read them — set BOXOFFICE_" + strings.ToUpper(name) + refusedFlagHint[name]})
		}
	}
	for _, s := range settings {
		if s.flag == "" {
			continue
		}
		if f := fs.Lookup(s.flag); f != nil && f.Changed {
			l.chosen[s.key] = layerValue{value: f.Value.String(), source: SourceFlag}
		}
	}
}

var refusedFlags = []string{"token", "password"}

var refusedFlagHint = map[string]string{
	"token":    ", or token in the config file (chmod 600)",
	"password": ", or let boxoffice ask for it",
}

// checkCombinations validates what only makes sense across settings whose
// own values are valid.
func (l *loader) checkCombinations(c *Config) {
	if l.failed["allow_insecure_http"] || l.failed["api_url"] || l.failed["auth_url"] {
		return
	}
	for _, u := range []struct{ key, raw string }{{"api_url", c.APIURL}, {"auth_url", c.AuthURL}} {
		key, raw := u.key, u.raw
		if raw == "" || c.AllowInsecureHTTP || !plainHTTPToRemote(raw) {
			continue
		}
		l.problem(key, fmt.Sprintf("%s would send tokens and PINs unencrypted to another machine — use https://, or set allow_insecure_http = true if the network is trusted", raw))
	}
	switch {
	case c.AuthURL != "" && c.Username == "":
		l.problem("username", fmt.Sprintf("auth_url is set (from %s) but no username — set username (BOXOFFICE_USERNAME), or unset auth_url to use a token", l.origin("auth_url")))
	case c.AuthURL == "" && c.Username != "":
		l.problem("auth_url", fmt.Sprintf("username is set (from %s) but not auth_url, the server that issues tokens — set auth_url (BOXOFFICE_AUTH_URL), or unset username", l.origin("username")))
	case c.AuthURL != "" && c.Token != "":
		l.problem("auth_url", fmt.Sprintf("a token is also set (from %s) — keep either the token or auth_url and username", l.origin("token")))
	}
}

func (c *Config) combinationWarnings() []string {
	var w []string
	if c.APIURL != "" {
		for _, key := range []string{"demo_data", "demo_faults", "demo_tls"} {
			if c.sources[key] != SourceDefault && c.sources[key] != "" {
				w = append(w, fmt.Sprintf("%s (from %s) is ignored because api_url is set: the embedded demo server only runs without one", key, c.Origin(key)))
			}
		}
	}
	return w
}

// Source returns where a setting's value came from.
func (c *Config) Source(key string) Source {
	if src, ok := c.sources[key]; ok {
		return src
	}
	return SourceDefault
}

// Origin names where a setting's value came from precisely enough to act on,
// e.g. "environment variable BOXOFFICE_TIMEOUT".
func (c *Config) Origin(key string) string {
	s := lookup(key)
	if s == nil {
		return "unknown setting " + key
	}
	return origin(s, c.Source(key), c.File)
}

// Invalid reports a problem with a setting that is checked outside this
// package (a demo-data file, a fault spec), in the same words as Load's.
func (c *Config) Invalid(key, problem string) error {
	return &Error{Key: key, Origin: c.Origin(key), Problem: problem}
}

// Settings lists every setting with its value and source, secrets masked.
func (c *Config) Settings() []Setting {
	out := make([]Setting, 0, len(settings))
	for _, s := range settings {
		st := Setting{Key: s.key, Env: s.env, Value: s.show(c), Source: c.Source(s.key)}
		if s.flag != "" {
			st.Flag = "--" + s.flag
		}
		if s.secret {
			st.Value = SecretNotSet
			if s.show(c) != "" {
				st.Value = SecretSet
			}
		}
		out = append(out, st)
	}
	return out
}

// BindFlags registers a flag for each setting that may be given as one, or
// for the settings keys names when it names any, and hidden --token and
// --password flags that Load refuses with a way forward. A command takes
// only the settings it uses, so that a flag it would ignore is refused.
func BindFlags(fs *pflag.FlagSet, keys ...string) {
	for _, s := range settings {
		if s.flag == "" || len(keys) > 0 && !slices.Contains(keys, s.key) {
			continue
		}
		if s.isBool {
			fs.Bool(s.flag, false, s.usage)
			continue
		}
		fs.String(s.flag, s.flagDefault, s.usage)
	}
	for _, name := range refusedFlags {
		fs.String(name, "", "not accepted: secrets come from the environment or the config file")
		_ = fs.MarkHidden(name)
	}
}

// FileEnv is the environment variable that names the config file when
// --config does not.
const FileEnv = "BOXOFFICE_CONFIG"

// What named the config file, as ChooseFile reports it.
const (
	FileNamedByFlag = "--config"
	FileNamedByEnv  = FileEnv
)

// ChooseFile returns the config file a run reads: the one --config names
// (flagFile), else the one BOXOFFICE_CONFIG names, else DefaultFile. namedBy
// is FileNamedByFlag or FileNamedByEnv, or "" for the default file, which
// alone may be missing. An empty BOXOFFICE_CONFIG counts as unset, as every
// other variable does.
func ChooseFile(flagFile string, getenv func(string) string) (path, namedBy string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if flagFile != "" {
		return flagFile, FileNamedByFlag
	}
	if f := getenv(FileEnv); f != "" {
		return f, FileNamedByEnv
	}
	return DefaultFile(getenv), ""
}

// DefaultFile is the config file read when neither --config nor
// BOXOFFICE_CONFIG names one:
// $XDG_CONFIG_HOME/boxoffice/config.toml, else ~/.config/boxoffice/config.toml.
// It is "" when no home directory can be found.
func DefaultFile(getenv func(string) string) string {
	dir := xdgDir(getenv, "XDG_CONFIG_HOME", ".config")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "boxoffice", "config.toml")
}

// JournalFor is the journal a run keeps: the journal setting, except that
// practice (the built-in demo, boxoffice mock) goes to PracticeJournal
// while the setting is left at its default.
func (c *Config) JournalFor(practice bool) string {
	if practice {
		return c.PracticeJournal()
	}
	return c.Journal
}

// PracticeJournal is where practice is journalled: journal-demo.jsonl beside
// the default journal, or the journal itself when the setting names one.
func (c *Config) PracticeJournal() string {
	if c.Source("journal") != SourceDefault {
		return c.Journal
	}
	ext := filepath.Ext(c.Journal)
	return strings.TrimSuffix(c.Journal, ext) + "-demo" + ext
}

// DefaultJournal is $XDG_STATE_HOME/boxoffice/journal.jsonl, else
// ~/.local/state/boxoffice/journal.jsonl.
func DefaultJournal(getenv func(string) string) string {
	dir := xdgDir(getenv, "XDG_STATE_HOME", filepath.Join(".local", "state"))
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "boxoffice", "journal.jsonl")
}

// xdgDir follows the XDG base-directory rule that a relative path in the
// variable is ignored.
func xdgDir(getenv func(string) string, env, underHome string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	if d := getenv(env); d != "" && filepath.IsAbs(d) {
		return d
	}
	home := getenv("HOME")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return ""
		}
	}
	return filepath.Join(home, underHome)
}
