package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/config"
)

// Seeded orders of the built-in demo world.
const (
	orderOneShowtime  = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"
	orderTwoShowtimes = "7d2e4b9c0a1f4e6d8b3c5a7e9f1d2c4b"
	unknownOrder      = "00000000000000000000000000000bad"
)

// demoServer serves a fresh demo world over HTTP. Its ids count up from 1
// so that no id can look like a PIN or barcode a test checks is not shown.
func demoServer(t *testing.T, data *mock.Data) string {
	t.Helper()
	if data == nil {
		data = mock.DefaultData()
	}
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(mock.New(data, mock.Options{IDSource: func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("%032x", n)
	}}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// scripted is an invocation aimed at a demo server.
func scripted(t *testing.T, url string) *invocation {
	t.Helper()
	inv := newInvocation(t)
	inv.env["BOXOFFICE_API_URL"] = url
	return inv
}

func (inv *invocation) mustRun(args ...string) string {
	inv.t.Helper()
	if code := inv.run(args...); code != ExitOK {
		inv.t.Fatalf("boxoffice %v: exit %d\nstderr: %s", args, code, inv.stderr)
	}
	return inv.stdout.String()
}

func (inv *invocation) mustFail(want int, args ...string) string {
	inv.t.Helper()
	if code := inv.run(args...); code != want {
		inv.t.Fatalf("boxoffice %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, inv.stdout, inv.stderr)
	}
	return inv.stderr.String()
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, s)
	}
	return v
}

func assertMatches(t *testing.T, what, got string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(got) {
			t.Errorf("%s does not match %q:\n%s", what, p, got)
		}
	}
}

func TestScriptingNeedsAServer(t *testing.T) {
	for _, args := range [][]string{{"order", "show", orderOneShowtime}, {"voucher", "list", "--order", orderOneShowtime}} {
		inv := newInvocation(t)
		stderr := inv.mustFail(ExitUsage, args...)
		assertContains(t, "stderr", stderr, "this command needs an OCAPI server, and no api_url is set", "boxoffice mock", "--api-url")
	}
}

func TestOrderShow(t *testing.T) {
	url := demoServer(t, nil)

	out := scripted(t, url).mustRun("order", "show", orderOneShowtime)
	assertMatches(t, "order show", out,
		`Order\s+`+orderOneShowtime,
		`Status\s+InProgress`,
		`Site\s+0001`,
		`Expires\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d .*\(in \d+m`,
		`Total\s+51\.00 \(tax 8\.09\)`,
		`Showtime The Long Night, \w{3} \d+ \w{3} 19:30, Screen 1 \(0001-2681\): 3 ticket\(s\)`,
		`(?m)^  Adult\s+19\.50\s+-$`,
		`(?m)^  Child\s+12\.00\s+-$`,
		`No vouchers on this order\.`,
	)

	inv := scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	order := decodeJSON[api.Order](t, inv.mustRun("order", "show", "--json"))
	if order.ID != orderOneShowtime || len(order.Showtimes) != 1 || len(order.Showtimes[0].Tickets) != 3 {
		t.Errorf("order show --json = %+v", order)
	}

	stderr := scripted(t, url).mustFail(ExitUsage, "order", "show")
	assertContains(t, "stderr", stderr, "boxoffice: no order given — pass --order ID")

	stderr = scripted(t, url).mustFail(ExitNotFound, "order", "show", unknownOrder)
	assertContains(t, "stderr", stderr, "boxoffice: get order: not_found (HTTP 404)", "does not exist or has expired")
}

func TestOrderNewAndCancel(t *testing.T) {
	url := demoServer(t, nil)

	out := scripted(t, url).mustRun("order", "new")
	m := regexp.MustCompile(`Started order ([0-9a-f]{32})\.`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("order new printed no order id:\n%s", out)
	}
	assertMatches(t, "order new", out, `Site\s+0001`, `Status\s+InProgress`)

	created := decodeJSON[api.Order](t, scripted(t, url).mustRun("order", "new", "--site", "0002", "--json"))
	if created.ID == "" || created.SiteID != "0002" || created.Status != api.OrderInProgress {
		t.Errorf("order new --json = %+v", created)
	}

	cancelling := scripted(t, url)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	cancelling.env["BOXOFFICE_JOURNAL"] = journalPath
	out = cancelling.mustRun("order", "cancel", m[1])
	if out != "Cancelled order "+m[1]+".\n" {
		t.Errorf("order cancel printed %q", out)
	}
	// Every cancel is journalled, from the command line as from the screen.
	recorded, _ := os.ReadFile(journalPath)
	assertContains(t, "journal", string(recorded), `"orderId":"`+m[1]+`","action":"cancel"`, `"outcome":"attempt"`, `"outcome":"cancelled"`)
	scripted(t, url).mustFail(ExitNotFound, "order", "show", m[1])

	inv := scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = created.ID
	got := decodeJSON[map[string]any](t, inv.mustRun("order", "cancel", "--json"))
	if got["orderId"] != created.ID || got["cancelled"] != true {
		t.Errorf("order cancel --json = %v", got)
	}

	stderr := scripted(t, url).mustFail(ExitRejected, "order", "new", "--site", "9999")
	assertContains(t, "stderr", stderr, "boxoffice: create order: rejected (HTTP 400)", "nothing was changed")
}

func TestVoucherAdd(t *testing.T) {
	url := demoServer(t, nil)

	inv := scripted(t, url)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	inv.env["BOXOFFICE_JOURNAL"] = journalPath
	inv.stdin = strings.NewReader("1234\n")
	out := inv.mustRun("voucher", "add", "ADTMM0000111", "--order", orderOneShowtime, "--pin-stdin")
	assertContains(t, "voucher add", out,
		"Added Ticket voucher AD......0111 (Adult Movie Money) to order "+orderOneShowtime+".",
		"Voucher id: ",
		"It may pay for 2 ticket(s) on this order.",
	)
	recorded, err := os.ReadFile(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, "journal", string(recorded), `"outcome":"attempt"`, `"outcome":"attached"`, `"maskedBarcode":"AD......0111"`)
	for _, secret := range []string{"ADTMM0000111", "1234"} {
		if strings.Contains(out+inv.stderr.String()+string(recorded), secret) {
			t.Errorf("output or journal shows %q:\n%s%s%s", secret, out, inv.stderr, recorded)
		}
	}

	// A Deal voucher without a PIN, JSON out.
	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	type added struct {
		OrderID              string           `json:"orderId"`
		Voucher              api.OrderVoucher `json:"voucher"`
		AvailableRedemptions *int             `json:"availableRedemptions"`
		Outcome              string           `json:"outcome"`
		Attempts             int              `json:"attempts"`
		Recovered            bool             `json:"recovered"`
	}
	got := decodeJSON[added](t, inv.mustRun("voucher", "add", "9300000000017", "--voucher-type", "deal", "--json", "--no-pin"))
	if got.OrderID != orderOneShowtime || got.Voucher.Type != api.VoucherDeal || got.Voucher.MaskedBarcode != "93.......0017" ||
		got.Voucher.ID == "" || got.AvailableRedemptions == nil || *got.AvailableRedemptions != 1 ||
		got.Outcome != "added" || got.Attempts != 1 || got.Recovered {
		t.Errorf("voucher add --json = %+v", got)
	}

	// An order with two showtimes needs --showtime for a Ticket voucher.
	stderr := scripted(t, url).mustFail(ExitUsage, "voucher", "add", "ADTMM0000444", "--order", orderTwoShowtimes, "--no-pin")
	assertContains(t, "stderr", stderr, "order "+orderTwoShowtimes+" has 2 showtimes — say which one the voucher is for with --showtime (0001-2710, 0001-2715)")
	stderr = scripted(t, url).mustFail(ExitUsage, "voucher", "add", "ADTMM0000444", "--order", orderTwoShowtimes, "--showtime", "0001-9999", "--no-pin")
	assertContains(t, "stderr", stderr, "showtime 0001-9999 is not on order")
	out = scripted(t, url).mustRun("voucher", "add", "ADTMM0000444", "--order", orderTwoShowtimes, "--showtime", "0001-2710", "--no-pin")
	assertContains(t, "voucher add --showtime", out, "Added Ticket voucher AD......0444")
}

func TestVoucherAddFailures(t *testing.T) {
	url := demoServer(t, nil)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"wrong PIN", "0000\n", []string{"ADTMM0000222", "--pin-stdin"}, ExitRejected, "add voucher: rejected (HTTP 400)"},
		{"used up", "", []string{"ADTMM0000999", "--no-pin"}, ExitRejected, "add voucher: rejected (HTTP 400)"},
		{"empty stdin", "", []string{"ADTMM0000222", "--pin-stdin"}, ExitUsage, "--pin-stdin: standard input has no line for the PIN of AD......0222"},
		{"no order", "", []string{"ADTMM0000222", "--order", "", "--no-pin"}, ExitUsage, "no order given"},
		{"unknown order", "", []string{"ADTMM0000222", "--order", unknownOrder, "--no-pin"}, ExitNotFound, "does not exist or has expired"},
		{"no barcode", "", nil, ExitUsage, "requires at least 1 arg(s), only received 0"},
		{"PIN as an argument", "", []string{"ADTMM0000222", "4321"}, ExitUsage, "argument 2 looks like a PIN, and a PIN is never an argument"},
		{"neither --pin-stdin nor --no-pin", "", []string{"ADTMM0000222"}, ExitUsage, "no PIN was given and none can be asked for — give the PINs with --pin-stdin"},
		{"both --pin-stdin and --no-pin", "1234\n", []string{"ADTMM0000222", "--pin-stdin", "--no-pin"}, ExitUsage, "--pin-stdin and --no-pin say different things"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := scripted(t, url)
			inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
			inv.stdin = strings.NewReader(tt.stdin)
			stderr := inv.mustFail(tt.code, append([]string{"voucher", "add"}, tt.args...)...)
			assertContains(t, "stderr", stderr, tt.want)
			if strings.Contains(stderr, "ADTMM0000222") {
				t.Errorf("stderr shows the barcode: %s", stderr)
			}
		})
	}
}

func TestVoucherListAndRemove(t *testing.T) {
	url := demoServer(t, nil)
	inv := scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	if out := inv.mustRun("voucher", "list"); out != "No vouchers on this order.\n" {
		t.Errorf("voucher list on an empty order printed %q", out)
	}

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	inv.stdin = strings.NewReader("2424\n")
	inv.mustRun("voucher", "add", "SUBS00042424", "--voucher-type", "Subscription", "--pin-stdin")
	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	inv.mustRun("voucher", "add", "9300000000017", "--voucher-type", "Deal", "--no-pin")

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	out := inv.mustRun("voucher", "list")
	assertMatches(t, "voucher list", out,
		`VOUCHER ID\s+TYPE\s+BARCODE\s+CODE\s+DESCRIPTION\s+TICKETS\s+LEFT`,
		`[0-9a-f]{32}\s+Subscription\s+SU\.{6}2424\s+UNLTD\s+Unlimited monthly pass\s+0\s+`,
		`[0-9a-f]{32}\s+Deal\s+93\.{7}0017\s+POPSM\s+Free small popcorn\s+0\s+`,
	)
	if strings.Contains(out, "SUBS00042424") {
		t.Errorf("voucher list shows a full barcode:\n%s", out)
	}

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	type listed struct {
		OrderID  string `json:"orderId"`
		Vouchers []struct {
			api.OrderVoucher
			Tickets int `json:"tickets"`
		} `json:"vouchers"`
	}
	list := decodeJSON[listed](t, inv.mustRun("voucher", "list", "--json"))
	if list.OrderID != orderOneShowtime || len(list.Vouchers) != 2 || list.Vouchers[1].MaskedBarcode != "93.......0017" {
		t.Fatalf("voucher list --json = %+v", list)
	}
	dealID := list.Vouchers[1].ID

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	if out := inv.mustRun("voucher", "remove", dealID); out != "Removed voucher "+dealID+" from order "+orderOneShowtime+".\n" {
		t.Errorf("voucher remove printed %q", out)
	}

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	got := decodeJSON[map[string]any](t, inv.mustRun("voucher", "remove", list.Vouchers[0].ID, "--json"))
	if got["orderId"] != orderOneShowtime || got["voucherId"] != list.Vouchers[0].ID || got["removed"] != true {
		t.Errorf("voucher remove --json = %v", got)
	}

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	stderr := inv.mustFail(ExitRejected, "voucher", "remove", dealID)
	assertContains(t, "stderr", stderr, "voucher "+dealID+" is not on order "+orderOneShowtime)

	inv = scripted(t, url)
	inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
	if list := decodeJSON[listed](t, inv.mustRun("voucher", "list", "--json")); len(list.Vouchers) != 0 {
		t.Errorf("vouchers left after removing both: %+v", list.Vouchers)
	}
}

func TestScriptingExitCodesForAuthAndOutages(t *testing.T) {
	data := mock.DefaultData()
	data.Auth = &mock.Auth{Tokens: []string{"good-token"}}
	url := demoServer(t, data)

	inv := scripted(t, url)
	inv.env["BOXOFFICE_TOKEN"] = "bad-token"
	stderr := inv.mustFail(ExitAuth, "order", "show", orderOneShowtime)
	assertContains(t, "stderr", stderr, "unauthorized (HTTP 401)", "check the token (BOXOFFICE_TOKEN)")
	if strings.Contains(stderr, "bad-token") {
		t.Errorf("stderr shows the token: %s", stderr)
	}

	inv = scripted(t, url)
	inv.env["BOXOFFICE_TOKEN"] = "good-token"
	inv.mustRun("order", "show", orderOneShowtime)

	down := httptest.NewServer(nil)
	down.Close()
	stderr = scripted(t, down.URL).mustFail(ExitUnavailable, "order", "show", orderOneShowtime)
	assertContains(t, "stderr", stderr, "get order: network", "check that the server at "+down.URL+" is up and reachable")
}

func TestConfigShow(t *testing.T) {
	inv := newInvocation(t)
	inv.env["BOXOFFICE_SITE"] = "0002"
	inv.env["BOXOFFICE_TOKEN"] = "tok-secret"
	out := inv.mustRun("config", "show", "--timeout", "30s")
	path := filepath.Join(inv.home, ".config", "boxoffice", "config.toml")
	assertContains(t, "config show", out, "Config file: "+path+" (not found)")
	assertMatches(t, "config show", out,
		`SETTING\s+FROM\s+VALUE`,
		`site\s+env BOXOFFICE_SITE\s+0002\n`,
		`timeout\s+flag --timeout\s+30s\n`,
		`client_id\s+default\s+boxoffice\n`,
		`token\s+env BOXOFFICE_TOKEN\s+set \(hidden\)\n`,
		`password\s+default\s+not set\n`,
		`api_url\s+default\s+-\n`,
	)
	if strings.Contains(out, "tok-secret") {
		t.Errorf("config show shows the token:\n%s", out)
	}

	inv = newInvocation(t)
	file := writeConfig(t, inv.home, "site = \"0003\"\n")
	inv.env["BOXOFFICE_TOKEN"] = "tok-secret"
	type shown struct {
		File     string           `json:"file"`
		FileRead bool             `json:"fileRead"`
		Settings []config.Setting `json:"settings"`
	}
	got := decodeJSON[shown](t, inv.mustRun("config", "show", "--json"))
	if got.File != file || !got.FileRead {
		t.Errorf("file %q read %v, want %q read", got.File, got.FileRead, file)
	}
	byKey := map[string]config.Setting{}
	for _, s := range got.Settings {
		byKey[s.Key] = s
	}
	if s := byKey["site"]; s.Value != "0003" || s.Source != config.SourceFile || s.Flag != "--site" || s.Env != "BOXOFFICE_SITE" {
		t.Errorf("site = %+v", s)
	}
	if s := byKey["token"]; s.Value != config.SecretSet || s.Source != config.SourceEnv {
		t.Errorf("token = %+v", s)
	}

	inv = newInvocation(t)
	inv.env["BOXOFFICE_LOG_LEVEL"] = "loud"
	stderr := inv.mustFail(ExitUsage, "config", "show")
	assertContains(t, "stderr", stderr, "boxoffice: log_level (from environment variable BOXOFFICE_LOG_LEVEL)")
	assertContains(t, "stdout", inv.stdout.String(), "log_level (from environment variable BOXOFFICE_LOG_LEVEL)")
}

func writeConfig(t *testing.T, home, content string) string {
	t.Helper()
	path := filepath.Join(home, ".config", "boxoffice", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigInit(t *testing.T) {
	inv := newInvocation(t)
	path := filepath.Join(inv.home, ".config", "boxoffice", "config.toml")
	if out := inv.mustRun("config", "init"); out != "Wrote an example config to "+path+".\n" {
		t.Errorf("config init printed %q", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != config.ExampleFile() {
		t.Error("the written file is not the example file")
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", info.Mode().Perm())
	}

	// The file it wrote is one boxoffice reads.
	inv = newInvocation(t)
	inv.home, inv.env["HOME"] = filepath.Dir(filepath.Dir(filepath.Dir(path))), filepath.Dir(filepath.Dir(filepath.Dir(path)))
	assertContains(t, "config show", inv.mustRun("config", "show"), "Config file: "+path+" (read)")

	inv.stdout, inv.stderr = &syncBuffer{}, &syncBuffer{}
	stderr := inv.mustFail(ExitUsage, "config", "init")
	assertContains(t, "stderr", stderr, "boxoffice: config file "+path+" already exists — add --force")

	if err := os.WriteFile(path, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv.stdout, inv.stderr = &syncBuffer{}, &syncBuffer{}
	inv.mustRun("config", "init", "--force")
	if b, _ := os.ReadFile(path); string(b) != config.ExampleFile() {
		t.Error("--force did not replace the file")
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode after --force %04o, want 0600", info.Mode().Perm())
	}

	inv = newInvocation(t)
	custom := filepath.Join(inv.home, "elsewhere", "box.toml")
	inv.mustRun("config", "init", "--config", custom)
	if _, err := os.Stat(custom); err != nil {
		t.Errorf("--config path not written: %v", err)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		inv := newInvocation(t)
		out := inv.mustRun("completion", shell)
		if !strings.Contains(out, "boxoffice") || len(out) < 200 {
			t.Errorf("completion %s printed %d bytes", shell, len(out))
		}
	}
}

// order complete asks once and says only what the server settled: Completed
// with its transaction number, a Pending completion followed until it
// settles, and a Failed one as a refusal with nothing redeemed. The order
// is then read at Vista's completed-order path.
func TestOrderComplete(t *testing.T) {
	const emptyOrder = "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b" // nothing to pay
	for _, tt := range []struct {
		name, completion string
		code             int
		want             string
	}{
		{"completed", "", ExitOK, "Completed order " + emptyOrder + ", transaction 1000"},
		{"pending, then completed", mock.CompletionPending, ExitOK, "Completed order " + emptyOrder + ", transaction 1000"},
		{"failed", mock.CompletionFailed, ExitRejected, "the server says the completion failed, and nothing was redeemed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(mock.New(mock.DefaultData(), mock.Options{Faults: mock.Faults{Completion: tt.completion}}))
			t.Cleanup(srv.Close)
			journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
			// A Deal voucher pays for no ticket; completing spends it.
			deal := scripted(t, srv.URL)
			deal.env["BOXOFFICE_JOURNAL"] = journalPath
			deal.mustRun("voucher", "add", "9300000000017", "--order", emptyOrder, "--voucher-type", "Deal", "--no-pin")
			inv := scripted(t, srv.URL)
			inv.env["BOXOFFICE_JOURNAL"] = journalPath
			code := inv.run("order", "complete", emptyOrder)
			if code != tt.code || !strings.Contains(inv.stdout.String()+inv.stderr.String(), tt.want) {
				t.Fatalf("exit %d, want %d; output %s%s\nwant %q", code, tt.code, inv.stdout, inv.stderr, tt.want)
			}
			assertContains(t, "order complete", inv.stdout.String(),
				"Completing order "+emptyOrder+": 0 tickets, 0 paid by vouchers; spends 93.......0017 (Deal, pays for no ticket).")
			if tt.code == ExitOK {
				assertContains(t, "order complete", inv.stdout.String(), "It spent 93.......0017 (Deal, pays for no ticket).")
			}
			recorded, _ := os.ReadFile(journalPath)
			status := "InProgress"
			if tt.code == ExitOK {
				status = "Completed"
				assertContains(t, "journal", string(recorded), `"outcome":"completed","message":"transaction 1000`)
			} else {
				assertContains(t, "journal", string(recorded), `"outcome":"failed","message":"completion failed"`)
			}
			shown := decodeJSON[api.Order](t, scripted(t, srv.URL).mustRun("order", "show", emptyOrder, "--json"))
			if shown.Status != status {
				t.Errorf("order show after completion: status %q, want %q", shown.Status, status)
			}
			// A completed order does not expire.
			if text := scripted(t, srv.URL).mustRun("order", "show", emptyOrder); strings.Contains(text, "Expires") != (status != "Completed") {
				t.Errorf("order show of a %s order:\n%s", status, text)
			}
		})
	}
	// An order that no longer exists is not completed, and nothing was redeemed.
	url := demoServer(t, nil)
	stderr := scripted(t, url).mustFail(ExitNotFound, "order", "complete", unknownOrder)
	assertContains(t, "stderr", stderr, "does not exist or has expired, and the server has no completion of it, so nothing was redeemed")
}

// order complete applies the counter's rules, the screen's own
// (pricing.PlanCompletion), before anything is sent: an order with nothing
// on it, or with something still to pay, is not completed.
func TestOrderCompleteRefusesWhatTheCounterRefuses(t *testing.T) {
	const emptyOrder = "c4e1a9b7d3f54c2e8a6b0d9f7e5c3a1b"
	var completions int
	demo := mock.New(mock.DefaultData(), mock.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/completion") {
			completions++
		}
		demo.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct{ order, want string }{
		{emptyOrder, "there is nothing on order " + emptyOrder + " to complete (no ticket, no voucher), so nothing was sent"},
		{orderOneShowtime, "order " + orderOneShowtime + " still has 51.00 to pay (2 × Adult at 19.50, 1 × Child at 12.00), so nothing was sent"},
	} {
		inv := scripted(t, srv.URL)
		inv.env["BOXOFFICE_JOURNAL"] = filepath.Join(t.TempDir(), "journal.jsonl")
		assertContains(t, "stderr", inv.mustFail(ExitRejected, "order", "complete", tt.order), tt.want)
	}
	if completions != 0 {
		t.Errorf("%d completions sent", completions)
	}
}

// A server that does not list an order's vouchers (Vista does not document
// order.vouchers[]) is not taken to have none: the journal's record stands in.
func TestVouchersOfAnOrderTheServerDoesNotList(t *testing.T) {
	demo := mock.New(mock.DefaultData(), mock.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			demo.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		demo.ServeHTTP(rec, r)
		var body map[string]map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &body) == nil && body["order"] != nil {
			delete(body["order"], "vouchers")
			b, _ := json.Marshal(body)
			w.WriteHeader(rec.Code)
			_, _ = w.Write(b)
			return
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	run := func(args ...string) string {
		inv := scripted(t, srv.URL)
		inv.env["BOXOFFICE_JOURNAL"] = journalPath
		inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
		return inv.mustRun(args...)
	}
	run("voucher", "add", "9300000000017", "--voucher-type", "Deal", "--no-pin")
	out := run("voucher", "list")
	assertContains(t, "voucher list", out, "The server does not list this order's vouchers; these are the ones the journal records as attached.", "93.......0017")
	if strings.Contains(out, "No vouchers on this order") {
		t.Errorf("an absent list was read as empty:\n%s", out)
	}
	listed := decodeJSON[struct {
		Vouchers       []api.OrderVoucher `json:"vouchers"`
		VouchersListed bool               `json:"vouchersListed"`
	}](t, run("voucher", "list", "--json"))
	if len(listed.Vouchers) != 1 || listed.VouchersListed {
		t.Errorf("voucher list --json = %+v", listed)
	}
	id := listed.Vouchers[0].ID
	assertContains(t, "voucher remove", run("voucher", "remove", id), "Removed voucher "+id)
	assertContains(t, "voucher list after remove", run("voucher", "list"), "The journal records no voucher on this order.")
}

// voucher add checks the barcode and PIN as the counter does, before
// anything is sent: not even the order is read.
func TestVoucherAddRefusesWhatTheCounterRefuses(t *testing.T) {
	calls := 0
	demo := mock.New(mock.DefaultData(), mock.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		demo.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, barcode, pin, want string
	}{
		{"a barcode of 10,000 characters", strings.Repeat("A", 10000), "", "the barcode is 10000 characters long; voucher barcodes are at most 128"},
		{"an unprintable barcode", "ADTMM\u00000111", "", "the barcode has a character that cannot be printed"},
		{"letters for a PIN", "ADTMM0000111", "abcd", "a PIN is digits only"},
		{"spaces around a PIN", "ADTMM0000111", " 4321 ", "a PIN is digits only"},
		{"a PIN of 100,000 digits", "ADTMM0000111", strings.Repeat("1", 100000), "a PIN has at most 16 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := scripted(t, srv.URL)
			inv.env["BOXOFFICE_ORDER"] = orderOneShowtime
			args := []string{"voucher", "add", tt.barcode, "--no-pin"}
			if tt.pin != "" {
				inv.stdin = strings.NewReader(tt.pin + "\n")
				args[len(args)-1] = "--pin-stdin"
			}
			stderr := inv.mustFail(ExitUsage, args...)
			assertContains(t, "stderr", stderr, tt.want)
			if strings.Contains(stderr, tt.pin) && tt.pin != "" || strings.Contains(stderr, "ADTMM0000111") {
				t.Errorf("stderr repeats a secret: %s", stderr)
			}
		})
	}
	if calls != 0 {
		t.Fatalf("the server saw %d requests for credentials that cannot be sent", calls)
	}
}

// An unknown key in the config file points to config show, and config show
// then works: it lists every setting as it stands and says what is wrong.
// It also says where practice is journalled.
func TestConfigShowWorksWithAWrongSetting(t *testing.T) {
	inv := newInvocation(t)
	path := filepath.Join(inv.home, "box.toml")
	if err := os.WriteFile(path, []byte("site = \"0002\"\nfrobnicate = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr := inv.mustFail(ExitUsage, "order", "show", "--config", path, "--api-url", "http://127.0.0.1:1", "--order", orderOneShowtime)
	assertContains(t, "stderr", stderr, "frobnicate", "unknown key — run 'boxoffice config show' for the list of settings")

	show := newInvocation(t)
	show.home, show.env["HOME"] = inv.home, inv.home
	if code := show.run("config", "show", "--config", path); code != ExitUsage {
		t.Fatalf("config show: exit %d\n%s%s", code, show.stdout, show.stderr)
	}
	assertMatches(t, "config show", show.stdout.String(),
		`(?m)^SETTING\s+FROM\s+VALUE$`,
		`(?m)^site\s+file\s+0002$`,
		`(?m)^timeout\s+default\s+10s$`,
		`Problems \(1\)`,
		`frobnicate \(from config file .*box\.toml\): unknown key`,
		`Practice \(the built-in demo and boxoffice mock\) is journalled apart, in .*/\.local/state/boxoffice/journal-demo\.jsonl\.`,
	)
	assertContains(t, "stderr", show.stderr.String(), "boxoffice: frobnicate (from config file")
}
