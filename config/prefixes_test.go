package config

import (
	"maps"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// voucher_prefixes reads the same from every layer: a table in the file,
// PREFIX=TYPE pairs in the environment and the flag, and `config show`
// prints it back in the pairs' form.
func TestVoucherPrefixesFromEveryLayer(t *testing.T) {
	want := map[string]api.VoucherType{"9300": api.VoucherDeal, "93001": api.VoucherTicket, "SUBS": api.VoucherSubscription}
	tests := []struct {
		name string
		env  map[string]string
		file string
		args []string
		from string
	}{
		{"file table", nil, "voucher_prefixes = { \"9300\" = \"Deal\", \"93001\" = \"ticket\", SUBS = \"Subscription\" }", nil, "file"},
		{"file section", nil, "[voucher_prefixes]\n9300 = \"Deal\"\n93001 = \"Ticket\"\nSUBS = \"Subscription\"\n", nil, "file"},
		{"environment", map[string]string{"BOXOFFICE_VOUCHER_PREFIXES": "SUBS=Subscription, 9300=deal,93001=Ticket"}, "", nil, "env"},
		{"flag", nil, "", []string{"--voucher-prefixes", "9300=Deal,93001=Ticket,SUBS=Subscription"}, "flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			maps.Copy(w.env, tt.env)
			if tt.file != "" {
				w.writeDefaultFile(tt.file)
			}
			w.args = tt.args
			c := w.mustLoad()
			if !maps.Equal(c.VoucherPrefixes, want) {
				t.Errorf("VoucherPrefixes = %v, want %v", c.VoucherPrefixes, want)
			}
			shown := showOf(c, "voucher_prefixes")
			if shown.Value != "9300=Deal,93001=Ticket,SUBS=Subscription" || string(shown.Source) != tt.from {
				t.Errorf("config show: %+v", shown)
			}
		})
	}
	w := newWorld(t)
	if c := w.mustLoad(); len(c.VoucherPrefixes) != 0 || showOf(c, "voucher_prefixes").Value != "" {
		t.Errorf("by default there are no prefixes: %v", c.VoucherPrefixes)
	}
}

// A prefix the counter could not use stops the start, naming the setting,
// where it came from and the prefix.
func TestVoucherPrefixesRefused(t *testing.T) {
	tests := []struct {
		name string
		env  string
		file string
		want string
	}{
		{"unknown type in the file", "", `voucher_prefixes = { "9300" = "Dael" }`,
			`voucher_prefixes (from config file `},
		{"unknown type", "9300=Dael", "",
			`voucher_prefixes (from environment variable BOXOFFICE_VOUCHER_PREFIXES): prefix "9300": "Dael" is not one of Ticket, Deal, Subscription`},
		{"no type", "9300=", "", `prefix "9300": no type is not one of Ticket, Deal, Subscription`},
		{"empty prefix", "=Deal", "", `an empty prefix (for "Deal") would match every barcode`},
		{"empty prefix in the file", "", `voucher_prefixes = { "" = "Deal" }`, `voucher_prefixes (from config file `},
		{"duplicate", "9300=Deal,9300=Ticket", "", `prefix "9300" is given twice`},
		{"duplicate in another case", "", `voucher_prefixes = { subs = "Subscription", SUBS = "Deal" }`,
			`prefixes "SUBS" and "subs" are the same (prefixes match barcodes in any case)`},
		{"duplicate key in the file", "", "[voucher_prefixes]\n9300 = \"Deal\"\n9300 = \"Ticket\"\n", `voucher_prefixes.9300`},
		{"not a pair", "9300", "", `"9300" is not PREFIX=TYPE`},
		{"space in a prefix", "93 00=Deal", "", `prefix "93 00" is not the start of a barcode`},
		{"not a table", "", `voucher_prefixes = "9300=Deal"`, `want a table such as { "9300" = "Deal", "SUBS" = "Subscription" }, got a string`},
		{"a type that is not a string", "", `voucher_prefixes = { "9300" = 1 }`, `prefix "9300": want a quoted voucher type such as "Deal", got a number`},
		{"a comma in the file", "", `voucher_prefixes = { "93,00" = "Deal" }`, `a prefix or type cannot hold a comma or =`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.env != "" {
				w.env["BOXOFFICE_VOUCHER_PREFIXES"] = tt.env
			}
			if tt.file != "" {
				w.writeDefaultFile(tt.file)
			}
			msg := w.loadErr()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "voucher_prefixes") {
				t.Errorf("error:\n  %s\nwant it to name voucher_prefixes and contain:\n  %s", msg, tt.want)
			}
		})
	}
}

// The bell rings for refusals unless told otherwise, and only the three
// modes are taken.
func TestBell(t *testing.T) {
	w := newWorld(t)
	c := w.mustLoad()
	if c.Bell != BellRefusals || showOf(c, "bell").Value != "refusals" {
		t.Errorf("default bell %q, shown %+v", c.Bell, showOf(c, "bell"))
	}
	w.env["BOXOFFICE_BELL"] = "Never"
	if c := w.mustLoad(); c.Bell != BellNever {
		t.Errorf("BOXOFFICE_BELL=Never gives %q", c.Bell)
	}
	w.writeDefaultFile(`bell = "sometimes"`)
	delete(w.env, "BOXOFFICE_BELL")
	if msg := w.loadErr(); !strings.Contains(msg, `bell (from config file`) || !strings.Contains(msg, `"sometimes" is not one of refusals, all, never`) {
		t.Errorf("error %q", msg)
	}
}

func showOf(c *Config, key string) Setting {
	for _, s := range c.Settings() {
		if s.Key == key {
			return s
		}
	}
	return Setting{}
}
