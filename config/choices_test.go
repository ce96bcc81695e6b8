package config

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// Every value a setting offers for completion is one Load takes, in the
// spelling offered, and every setting that refuses values outside a set
// offers that set.
func TestFlagChoicesAreWhatLoadAccepts(t *testing.T) {
	tests := []struct {
		flag string
		want []string
	}{
		{"log-format", []string{"text", "json"}},
		{"log-level", []string{"debug", "info", "warn", "error"}},
		{"pin-prompt", []string{"ask", "never"}},
		{"voucher-type", []string{"Ticket", "Deal", "Subscription"}},
		{"api-url", nil},
		{"timeout", nil},
		{"no-such-flag", nil},
	}
	for _, tt := range tests {
		choices := FlagChoices(tt.flag)
		if got := values(choices); !slices.Equal(got, tt.want) && !(len(got) == 0 && tt.want == nil) {
			t.Errorf("FlagChoices(%q) = %q, want %q", tt.flag, got, tt.want)
		}
		for _, c := range choices {
			if c.Doc == "" {
				t.Errorf("--%s %s has no description", tt.flag, c.Value)
			}
			w := newWorld(t)
			w.args = []string{"--" + tt.flag, c.Value}
			cfg := w.mustLoad()
			var shown string
			for _, s := range cfg.Settings() {
				if s.Flag == "--"+tt.flag {
					shown = s.Value
				}
			}
			if shown != c.Value {
				t.Errorf("--%s %s is shown as %q", tt.flag, c.Value, shown)
			}
		}
		if len(choices) > 0 {
			w := newWorld(t)
			w.args = []string{"--" + tt.flag, "bogus"}
			if msg := w.loadErr(); !strings.Contains(msg, strings.Join(tt.want, ", ")) {
				t.Errorf("--%s bogus: %q does not list %q", tt.flag, msg, tt.want)
			}
		}
	}
}

func TestVoucherTypeChoicesFollowTheClient(t *testing.T) {
	var want []string
	for _, v := range api.VoucherTypes {
		want = append(want, string(v))
	}
	if got := values(FlagChoices("voucher-type")); !slices.Equal(got, want) {
		t.Errorf("voucher-type choices %q, want api.VoucherTypes %q", got, want)
	}
}

func TestEnvOfAndFlagOf(t *testing.T) {
	tests := []struct{ key, env, flag string }{
		{"demo_data", "BOXOFFICE_DEMO_DATA", "demo-data"},
		{"demo_faults", "BOXOFFICE_DEMO_FAULTS", "demo-faults"},
		{"token", "BOXOFFICE_TOKEN", ""},
		{"nope", "", ""},
	}
	for _, tt := range tests {
		if got := EnvOf(tt.key); got != tt.env {
			t.Errorf("EnvOf(%q) = %q, want %q", tt.key, got, tt.env)
		}
		if got := FlagOf(tt.key); got != tt.flag {
			t.Errorf("FlagOf(%q) = %q, want %q", tt.key, got, tt.flag)
		}
	}
}

// BOXOFFICE_CONFIG chooses the config file below --config and above the
// default file, and a file it names must exist.
func TestConfigFileFromEnvironment(t *testing.T) {
	tests := []struct {
		name     string
		flag     bool   // give --config
		env      string // "file", "missing" or "" (unset)
		wantSite string
		wantErr  []string
	}{
		{name: "the variable names the file", env: "file", wantSite: "0002"},
		{name: "--config wins over the variable", flag: true, env: "file", wantSite: "0003"},
		{name: "--config wins over a missing file in the variable", flag: true, env: "missing", wantSite: "0003"},
		{name: "without either, the default file", wantSite: "0001"},
		{name: "a missing file in the variable is an error", env: "missing",
			wantErr: []string{"missing.toml", "named by BOXOFFICE_CONFIG", "does not exist", "check the path in BOXOFFICE_CONFIG", "boxoffice config init"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.writeDefaultFile(`site = "0001"` + "\n")
			envFile := writeFile(t, filepath.Join(w.home, "env.toml"), `site = "0002"`+"\n", 0o600)
			flagFile := writeFile(t, filepath.Join(w.home, "flag.toml"), `site = "0003"`+"\n", 0o600)
			switch tt.env {
			case "file":
				w.env[FileEnv] = envFile
			case "missing":
				w.env[FileEnv] = filepath.Join(w.home, "missing.toml")
			}
			if tt.flag {
				w.file = flagFile
			}
			if tt.wantErr != nil {
				msg := w.loadErr()
				for _, want := range tt.wantErr {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q does not mention %q", msg, want)
					}
				}
				return
			}
			c := w.mustLoad()
			if c.Site != tt.wantSite {
				t.Errorf("site = %q, want %q (file %s)", c.Site, tt.wantSite, c.File)
			}
			if c.Source("site") != SourceFile {
				t.Errorf("site source = %s, want file", c.Source("site"))
			}
		})
	}
}

func TestChooseFile(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		flag, env             string
		wantPath, wantNamedBy string
	}{
		{"/a.toml", "/b.toml", "/a.toml", FileNamedByFlag},
		{"", "/b.toml", "/b.toml", FileNamedByEnv},
		{"", "", filepath.Join(home, ".config", "boxoffice", "config.toml"), ""},
	}
	for _, tt := range tests {
		getenv := func(k string) string {
			return map[string]string{"HOME": home, FileEnv: tt.env}[k]
		}
		path, namedBy := ChooseFile(tt.flag, getenv)
		if path != tt.wantPath || namedBy != tt.wantNamedBy {
			t.Errorf("ChooseFile(%q) with BOXOFFICE_CONFIG=%q = %q, %q; want %q, %q", tt.flag, tt.env, path, namedBy, tt.wantPath, tt.wantNamedBy)
		}
	}
}
