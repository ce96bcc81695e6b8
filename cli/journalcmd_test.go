package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/config"
	"github.com/boxoffice/boxoffice/journal"
)

// A shift at the counter, written by the scripting commands against the
// demo server, then read back by a supervisor.
func TestJournalSummaryOfAShift(t *testing.T) {
	url := demoServer(t, nil)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	run := func(stdin string, args ...string) string {
		t.Helper()
		inv := scripted(t, url)
		inv.env["BOXOFFICE_JOURNAL"] = journalPath
		inv.stdin = strings.NewReader(stdin)
		return inv.mustRun(args...)
	}
	run("1234\n", "voucher", "add", "ADTMM0000111", "--order", orderOneShowtime, "--pin-stdin")
	run("", "voucher", "add", "9300000000017", "--order", "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b", "--voucher-type", "Deal", "--no-pin")
	inv := scripted(t, url)
	inv.env["BOXOFFICE_JOURNAL"] = journalPath
	inv.stdin = strings.NewReader("0000\n")
	inv.mustFail(ExitRejected, "voucher", "add", "ADTMM0000222", "--order", orderOneShowtime, "--pin-stdin")
	run("", "order", "complete", "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b")

	// A shift against the mock is practice: left out unless asked for.
	practice := newJournalReader(t, journalPath).mustRun("journal", "summary")
	assertContains(t, "summary without --server", practice, "practice left out", "Vouchers: none.", "Orders: 0 (0 completed, 0 cancelled)")

	supervisor := newInvocation(t)
	supervisor.env["BOXOFFICE_JOURNAL"] = journalPath
	out := supervisor.mustRun("journal", "summary", "--server", "mock")
	assertContains(t, "summary", out,
		"Journal "+journalPath+", "+time.Now().Format("2006-01-02")+" 00:00 to now, boxoffice mock",
		"Nothing needs checking.",
		"Orders: 2 (1 completed, 0 cancelled)",
		"c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b  100001\n",
	)
	assertMatches(t, "summary", out,
		`(?m)^ACTION +OUTCOME +TICKET +DEAL +TOTAL$`,
		`(?m)^attach +attached +1 +1 +2$`,
		`(?m)^attach +rejected +1 +0 +1$`,
	)

	type summary struct {
		NeedsChecking int `json:"needsChecking"`
		Vouchers      []struct {
			Action, Outcome, Type string
			Count                 int
		} `json:"vouchers"`
		Orders struct {
			Count     int `json:"count"`
			Completed []struct {
				OrderID           string `json:"orderId"`
				TransactionNumber string `json:"transactionNumber"`
			} `json:"completed"`
		} `json:"orders"`
	}
	s := decodeJSON[summary](t, newJournalReader(t, journalPath).mustRun("journal", "summary", "--json", "--server", "mock:built-in"))
	if s.NeedsChecking != 0 || len(s.Vouchers) != 3 || s.Orders.Count != 2 || len(s.Orders.Completed) != 1 || s.Orders.Completed[0].TransactionNumber != "100001" {
		t.Errorf("summary --json: %+v", s)
	}

	list := newJournalReader(t, journalPath).mustRun("journal", "list", "--order", orderOneShowtime, "--server", "practice")
	assertMatches(t, "list", list,
		`(?m)^TIME +ORDER +ACTION +BARCODE +TYPE +OUTCOME +REASON$`,
		`(?m)^\S+ \S+  `+orderOneShowtime+`  attach +AD\.\.\.\.\.\.0111 +Ticket +attempt +-$`,
		`(?m)^\S+ \S+  `+orderOneShowtime+`  attach +AD\.\.\.\.\.\.0222 +Ticket +rejected +wrong PIN; HTTP 400; Voucher AD\.\.\.\.\.\.0222 was given a wrong PIN`,
	)
	if strings.Contains(list, "complete") {
		t.Errorf("--order lists another order's lines:\n%s", list)
	}
}

// newJournalReader is a supervisor's invocation reading the journal at path.
func newJournalReader(t *testing.T, path string) *invocation {
	t.Helper()
	inv := newInvocation(t)
	inv.env["BOXOFFICE_JOURNAL"] = path
	return inv
}

// writeJournal writes lines to a journal file, each line's time given as
// minutes after today's 08:00 in this machine's time zone.
func writeJournal(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func todayAt(minutes int) string {
	y, m, d := time.Now().Date()
	return time.Date(y, m, d, 8, minutes, 0, 0, time.Local).UTC().Format(time.RFC3339Nano)
}

func jline(minutes int, rest string) string {
	return `{"time":"` + todayAt(minutes) + `",` + rest + "}\n"
}

const (
	orderA = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"
	orderB = "7d2e4b9c0a1f4e6d8b3c5a7e9f1d2c4b"
)

// What needs checking comes first, with what to do, and the exit code says
// it is there.
func TestJournalThingsToCheck(t *testing.T) {
	path := writeJournal(t,
		jline(0, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"AD......0111","type":"Ticket","outcome":"attempt"`),
		jline(1, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"AD......0111","type":"Ticket","voucherId":"v1","outcome":"attached","availableRedemptions":2`),
		jline(2, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"AD......0333","type":"Deal","outcome":"attempt"`),
		jline(3, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"AD......0333","type":"Deal","outcome":"unknown","errorKind":"timeout"`),
		jline(4, `"orderId":"`+orderA+`","action":"complete","maskedBarcode":"","outcome":"attempt"`),
		jline(5, `"orderId":"`+orderA+`","action":"complete","maskedBarcode":"","outcome":"completed"`),
		`{"time":"`+todayAt(6)+`","orderId":"`+orderB+`","act`+"\n", // torn by a crash
		jline(7, `"orderId":"`+orderB+`","action":"attach","maskedBarcode":"AD......0444","type":"Ticket","outcome":"attempt"`),
		jline(8, `"orderId":"`+orderB+`","action":"attach","maskedBarcode":"AD......0555","type":"Ticket","outcome":"abandoned","message":"not sent: the counter was quit"`),
		"garbage\n",
		jline(9, `"orderId":"`+orderB+`","action":"attach","maskedBarcode":"AD......0666","type":"Ticket","outcome":"unknown"`),
		jline(10, `"orderId":"`+orderB+`","action":"attach","maskedBarcode":"AD......0666","type":"Ticket","voucherId":"v6","outcome":"already_attached"`),
	)
	inv := newJournalReader(t, path)
	if code := inv.run("journal", "summary"); code != ExitNeedsChecking || ExitNeedsChecking != 1 {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitNeedsChecking, inv.stdout, inv.stderr)
	}
	out := inv.stdout.String()
	assertContains(t, "stderr", inv.stderr.String(), "boxoffice: 6 things in the journal need checking")
	toCheck, vouchers := strings.Index(out, "To check (6):"), strings.Index(out, "Vouchers:")
	if toCheck < 0 || vouchers < toCheck {
		t.Fatalf("what needs checking is not listed first:\n%s", out)
	}
	assertMatches(t, "summary", out,
		`AD\.\.\.\.\.\.0333  Deal +no answer: whether it went through is not known; timeout +check in Vista whether the voucher is on the order`,
		`AD\.\.\.\.\.\.0444  Ticket +no outcome recorded: the program may have stopped while sending it`,
		`AD\.\.\.\.\.\.0555  Ticket +given up when the counter quit; not sent: the counter was quit +it was not sent`,
		orderA+`  complete +- +- +its transaction number was lost +look the completion up in Vista`,
		`line 7: not a journal entry`,
		`line 10: not a journal entry`,
		`Settled by a later line \(1\):\n.*\n.*AD\.\.\.\.\.\.0666 .*no answer: whether it went through is not known; settled: attach already_attached at `,
		`(?m)^attach +no outcome +1 +0 +1$`,
		`lost: look it up in Vista`,
	)

	type listed struct {
		Lines []struct {
			MaskedBarcode string `json:"maskedBarcode"`
			Outcome       string `json:"outcome"`
			Check         string `json:"check"`
		} `json:"lines"`
		Unreadable    []map[string]any `json:"unreadable"`
		NeedsChecking int              `json:"needsChecking"`
	}
	inv = newJournalReader(t, path)
	if code := inv.run("journal", "list", "--outcome", "unknown,Abandoned", "--json"); code != ExitNeedsChecking {
		t.Fatalf("list: exit %d\n%s", code, inv.stderr)
	}
	got := decodeJSON[listed](t, inv.stdout.String())
	var outcomes []string
	for _, l := range got.Lines {
		outcomes = append(outcomes, l.MaskedBarcode+" "+l.Outcome+" "+l.Check)
	}
	want := []string{"AD......0333 unknown unknown", "AD......0555 abandoned abandoned", "AD......0666 unknown unknown"}
	if !slices.Equal(outcomes, want) || got.NeedsChecking != 2 || len(got.Unreadable) != 0 {
		t.Errorf("list --outcome: %v (needs checking %d, unreadable %v), want %v", outcomes, got.NeedsChecking, got.Unreadable, want)
	}

	// Only what is settled, or nothing to check: exit 0.
	inv = newJournalReader(t, path)
	inv.mustRun("journal", "list", "--outcome", "attached,already_attached")
}

// The journal command prints no full barcode and no PIN, even from a
// hand-edited journal, and nothing that would drive the terminal.
func TestJournalNeverShowsAFullBarcodeOrAPIN(t *testing.T) {
	path := writeJournal(t,
		jline(0, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"ADTMM0000111","type":"Ticket","pin":"4321","outcome":"attempt"`),
		jline(1, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"ADTMM0000111","type":"Ticket","pin":"4321","outcome":"unknown",`+
			`"errorKind":"timeout","message":"ADTMM0000111 timed out \u001b[31mred\u001b[0m \u202eevil"`),
	)
	for _, args := range [][]string{
		{"journal", "list"}, {"journal", "list", "--json"}, {"journal", "summary", "--since", "all"}, {"journal", "summary", "--json"},
	} {
		inv := newJournalReader(t, path)
		inv.run(args...)
		out := inv.stdout.String() + inv.stderr.String()
		for _, secret := range []string{"ADTMM0000111", "4321"} {
			if strings.Contains(out, secret) {
				t.Errorf("%v shows %q:\n%s", args, secret, out)
			}
		}
		if !strings.Contains(out, "AD......0111") {
			t.Errorf("%v does not show the masked barcode:\n%s", args, out)
		}
		if !slices.Contains(args, "--json") && (strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, "?[31mred")) {
			t.Errorf("%v prints control characters:\n%q", args, out)
		}
	}
}

func TestJournalFlags(t *testing.T) {
	path := writeJournal(t, jline(0, `"orderId":"`+orderA+`","action":"attach","maskedBarcode":"AD......0111","type":"Ticket","voucherId":"v1","outcome":"attached"`))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"journal", "list", "--since", "last tuesday"}, `--since "last tuesday" is not a time — write a date (2026-12-01)`},
		{[]string{"journal", "list", "--until", "all"}, `--until "all" is not a time`},
		{[]string{"journal", "summary", "--since", "today", "--until", "yesterday"}, "--until yesterday is not after --since today"},
		{[]string{"journal", "list", "--outcome", "attached,lost"}, `"lost" is not an outcome of the journal — use one or more of attempt, attached,`},
		// The server's settings are not the journal command's.
		{[]string{"journal", "summary", "--api-url", "http://127.0.0.1:1"}, "unknown flag: --api-url"},
		{[]string{"journal", "list", "extra"}, `unknown command "extra"`},
	} {
		inv := newJournalReader(t, path)
		assertContains(t, fmt.Sprint(tt.args), inv.mustFail(ExitUsage, tt.args...), tt.want)
	}

	// A journal that is not there is an empty one; one that cannot be read
	// is exit 2.
	inv := newInvocation(t)
	inv.env["BOXOFFICE_JOURNAL"] = filepath.Join(t.TempDir(), "none", "journal.jsonl")
	assertContains(t, "missing journal", inv.mustRun("journal", "summary"), "Nothing needs checking.", "Vouchers: none.")
	dir := t.TempDir()
	inv = newInvocation(t)
	assertContains(t, "a folder", inv.mustFail(ExitUsage, "journal", "list", "--journal", dir), "audit journal "+dir)

	// --journal wins over the environment, as every setting's flag does.
	inv = newJournalReader(t, filepath.Join(t.TempDir(), "other.jsonl"))
	assertContains(t, "--journal", inv.mustRun("journal", "list", "--journal", path), "AD......0111")
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 30, 0, 0, time.Local)
	midnight := time.Date(2026, 12, 1, 0, 0, 0, 0, time.Local)
	for _, tt := range []struct {
		in      string
		isSince bool
		want    time.Time
	}{
		{"today", true, midnight},
		{"", true, midnight},
		{"", false, time.Time{}},
		{"yesterday", true, midnight.AddDate(0, 0, -1)},
		{"all", true, time.Time{}},
		{"8h", true, now.Add(-8 * time.Hour)},
		{"90m", true, now.Add(-90 * time.Minute)},
		{"2d", true, now.AddDate(0, 0, -2)},
		{"2026-11-20", true, time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local)},
		{"2026-11-20T14:00", false, time.Date(2026, 11, 20, 14, 0, 0, 0, time.Local)},
		{"2026-11-20 14:00:30", false, time.Date(2026, 11, 20, 14, 0, 30, 0, time.Local)},
		{"2026-11-20T14:00:00Z", true, time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)},
	} {
		got, err := parseWhen("--since", tt.in, now, tt.isSince)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseWhen(%q, since=%v) = %v, %v; want %v", tt.in, tt.isSince, got, err, tt.want)
		}
	}
	for _, in := range []string{"-8h", "0d", "tomorrowish", "2026-13-01", "all"} {
		if _, err := parseWhen("--until", in, now, false); err == nil {
			t.Errorf("parseWhen(%q) took it", in)
		}
	}
}

func TestJournalFlagsComplete(t *testing.T) {
	values, docs, directive := complete(t, "journal", "list", "--outcome", "attached,")
	if !slices.Contains(values, "attached,abandoned") || slices.Contains(values, "attached,attached") || docs["attached,unknown"] == "" ||
		directive&cobra.ShellCompDirectiveNoFileComp == 0 {
		t.Errorf("--outcome completes %v (%v)", values, directive)
	}
	if values, _, directive := complete(t, "journal", "summary", "--journal", ""); !slices.Equal(values, []string{"jsonl"}) || directive != cobra.ShellCompDirectiveFilterFileExt {
		t.Errorf("--journal completes %v (%v)", values, directive)
	}
	if _, _, directive := complete(t, "journal", "summary", "--since", ""); directive != cobra.ShellCompDirectiveNoFileComp {
		t.Errorf("--since completes files (%v)", directive)
	}
}

// The retention the counter and the scripting commands open the journal
// with is the setting, whose default is the journal's.
func TestJournalKeepDaysSetting(t *testing.T) {
	cfg, err := config.Load(config.LoadOptions{Getenv: func(k string) string {
		if k == "HOME" {
			return t.TempDir()
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.JournalKeepDays != journal.DefaultKeepDays {
		t.Errorf("journal_keep_days defaults to %d, the journal keeps %d", cfg.JournalKeepDays, journal.DefaultKeepDays)
	}
	inv := newInvocation(t)
	inv.env["BOXOFFICE_JOURNAL_KEEP_DAYS"] = "0"
	assertContains(t, "keep 0 days", inv.mustFail(ExitUsage, "journal", "summary"),
		"journal_keep_days (from environment variable BOXOFFICE_JOURNAL_KEEP_DAYS): \"0\" is not a number of days from 1 to 36500")
}
