package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// Every journal line names the counter (the host name unless set) and the
// operator when one is set; a name that would not print is refused.
func TestCounterNameAndOperator(t *testing.T) {
	w := newWorld(t)
	c, err := w.load()
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if c.CounterName == "" || host != "" && c.CounterName != host || c.Operator != "" {
		t.Errorf("defaults: counter %q (host %q), operator %q", c.CounterName, host, c.Operator)
	}
	w.env["BOXOFFICE_COUNTER_NAME"] = "till-1"
	w.args = []string{"--operator", "ann"}
	if c, err = w.load(); err != nil || c.CounterName != "till-1" || c.Operator != "ann" {
		t.Errorf("set: %+v, %v", c, err)
	}
	w.args = []string{"--operator", "ann\x1b[2J"}
	if _, err = w.load(); err == nil || !strings.Contains(err.Error(), "operator") {
		t.Errorf("an operator that does not print: %v", err)
	}
}

// Practice is journalled apart while the journal is left at its default;
// a journal named in the settings takes it too.
func TestPracticeJournal(t *testing.T) {
	w := newWorld(t)
	c, err := w.load()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(w.home, ".local", "state", "boxoffice")
	if c.JournalFor(false) != filepath.Join(dir, "journal.jsonl") || c.JournalFor(true) != filepath.Join(dir, "journal-demo.jsonl") {
		t.Errorf("default: %s, practice %s", c.JournalFor(false), c.JournalFor(true))
	}
	w.args = []string{"--journal", "/var/lib/boxoffice/j.jsonl"}
	if c, err = w.load(); err != nil || c.JournalFor(true) != "/var/lib/boxoffice/j.jsonl" {
		t.Errorf("named: %s, %v", c.JournalFor(true), err)
	}
}

// Loaded to be shown, a broken configuration keeps what can be read and
// says what is wrong, each setting with a problem at its default.
func TestKeepGoing(t *testing.T) {
	w := newWorld(t)
	w.writeDefaultFile("site = \"0002\"\ntimout = \"5s\"\ntimeout = \"soon\"\n")
	if _, err := w.load(); err == nil {
		t.Fatal("a broken file loads")
	}
	c, err := Load(LoadOptions{Getenv: func(k string) string { return w.env[k] }, KeepGoing: true})
	if err != nil {
		t.Fatal(err)
	}
	if c.Site != "0002" || c.Timeout.String() != "10s" || len(c.Problems) != 2 ||
		!strings.Contains(c.Problems[0].Error(), "timout") || !strings.Contains(c.Problems[1].Error(), "soon") {
		t.Errorf("site %q, timeout %v, problems %v", c.Site, c.Timeout, c.Problems)
	}
}

// A command binds only the settings it uses.
func TestBindFlagsForSomeSettings(t *testing.T) {
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	BindFlags(fs, "api_url", "journal")
	if fs.Lookup("api-url") == nil || fs.Lookup("journal") == nil || fs.Lookup("bell") != nil || fs.Lookup("demo-data") != nil {
		t.Error("BindFlags with keys bound others")
	}
	if f := fs.Lookup("token"); f == nil || !f.Hidden {
		t.Error("the refused --token is not there to refuse")
	}
}
