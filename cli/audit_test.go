package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// interceptor serves the demo world, with a hook run on each voucher add
// before the mock sees it: when the hook answers, the mock never does.
type interceptor struct {
	mock  *mock.Server
	mu    sync.Mutex
	adds  []string // barcodes sent, in order
	onAdd func(w http.ResponseWriter, barcode string) (answered bool)
}

func (i *interceptor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/vouchers") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req struct {
			Credentials struct{ Barcode string } `json:"credentials"`
		}
		_ = json.Unmarshal(body, &req)
		i.mu.Lock()
		i.adds = append(i.adds, req.Credentials.Barcode)
		hook := i.onAdd
		i.mu.Unlock()
		if hook != nil && hook(w, req.Credentials.Barcode) {
			return
		}
	}
	i.mock.ServeHTTP(w, r)
}

func (i *interceptor) sent() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.adds...)
}

func intercepted(t *testing.T, d *mock.Data) (*interceptor, string) {
	t.Helper()
	if d == nil {
		d = mock.DefaultData()
	}
	i := &interceptor{mock: mock.New(d, mock.Options{})}
	srv := httptest.NewServer(i)
	t.Cleanup(srv.Close)
	return i, srv.URL
}

func journalEntries(t *testing.T, path string) []journal.Entry {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []journal.Entry
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e journal.Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("journal line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// Finding 1: the add never reached the server (a gateway's 502) while
// another writer added a voucher with the same first two and last four
// characters: voucher add does not say "Added", and exits 4 with what to
// check; the journal says matched_by_mask, which summary lists to check.
func TestVoucherAddNeverTakesALookAlikeForOurs(t *testing.T) {
	d := mock.DefaultData()
	for _, b := range []string{"ADXXX0007001", "ADYYY0007001"} {
		d.Vouchers = append(d.Vouchers, mock.Voucher{Barcode: b, Type: "Ticket", VoucherTypeCode: "ADTMM", Description: "Adult Movie Money", Redemptions: 1})
	}
	i, url := intercepted(t, d)
	i.onAdd = func(w http.ResponseWriter, barcode string) bool {
		if barcode != "ADXXX0007001" {
			return false
		}
		// The other writer's look-alike lands; ours never reaches it.
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/ocapi/v1/orders/"+orderOneShowtime+"/vouchers",
			strings.NewReader(`{"type":"Ticket","showtimeId":"0001-2681","credentials":{"barcode":"ADYYY0007001"}}`))
		i.mock.ServeHTTP(rec, req)
		w.WriteHeader(http.StatusBadGateway)
		return true
	}
	inv := scripted(t, url)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	inv.env["BOXOFFICE_JOURNAL"] = journalPath
	inv.stdin = strings.NewReader("1234\n")
	stderr := inv.mustFail(ExitUnavailable, "voucher", "add", "ADXXX0007001", "--order", orderOneShowtime, "--pin-stdin")
	if strings.Contains(inv.stdout.String(), "Added") {
		t.Errorf("said added:\n%s", inv.stdout)
	}
	assertContains(t, "stderr", stderr, "voucher AD......7001: the answer was lost, and the order now holds a voucher matching its masked barcode",
		"may be another writer's, so it is not counted as attached")
	entries := journalEntries(t, journalPath)
	if last := entries[len(entries)-1]; last.Outcome != journal.OutcomeMatchedByMask || last.HTTPStatus != 502 {
		t.Errorf("journal's outcome %+v", last)
	}
	summary := newJournalReader(t, journalPath)
	summary.mustFail(ExitNeedsChecking, "journal", "summary", "--server", "all")
	assertContains(t, "summary", summary.stdout.String(), "To check (1)", "matched by mask", "a voucher matching its masked barcode is on the order")
}

// Finding 2: a barcode given twice to one command is sent once; the repeat
// is journalled as a repeat, not as a refusal.
func TestVoucherAddSendsEachBarcodeOnce(t *testing.T) {
	i, url := intercepted(t, nil)
	inv := scripted(t, url)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	inv.env["BOXOFFICE_JOURNAL"] = journalPath
	out := inv.mustRun("voucher", "add", "ADTMM0000444", "ADTMM0000666", "ADTMM0000444", "--order", orderOneShowtime, "--no-pin")
	if sent := i.sent(); len(sent) != 2 {
		t.Fatalf("adds sent: %v, want each barcode once", sent)
	}
	assertContains(t, "stdout", out, "Added Ticket voucher AD......0444", "Added Ticket voucher AD......0666",
		"Voucher AD......0444 was given again: it is already attached to order "+orderOneShowtime)
	var outcomes []string
	for _, e := range journalEntries(t, journalPath) {
		outcomes = append(outcomes, e.Outcome)
	}
	if got := strings.Join(outcomes, " "); got != "attempt attached attempt attached repeat" {
		t.Errorf("journal outcomes %q", got)
	}
}

// Findings 3 and 4: the journal is pulled away while an add is on its way.
// The add went through: voucher add says so, says it could not be
// recorded, and exits 6 ("done, but not recorded"); the next barcode is not
// sent, as the journal is no longer the journal's file.
func TestVoucherAddDoneButNotRecorded(t *testing.T) {
	i, url := intercepted(t, nil)
	dir := t.TempDir()
	journalPath := filepath.Join(dir, "journal.jsonl")
	i.onAdd = func(http.ResponseWriter, string) bool {
		os.Rename(journalPath, filepath.Join(dir, "elsewhere.jsonl"))
		return false
	}
	inv := scripted(t, url)
	inv.env["BOXOFFICE_JOURNAL"] = journalPath
	stderr := inv.mustFail(ExitNotRecorded, "voucher", "add", "ADTMM0000444", "ADTMM0000666", "--order", orderOneShowtime, "--no-pin")
	assertContains(t, "stdout", inv.stdout.String(), "Added Ticket voucher AD......0444")
	assertContains(t, "stderr", stderr, "voucher AD......0444 was attached as", "but the journal could not record it",
		"the journal file was removed or replaced while in use")
	if sent := i.sent(); len(sent) != 1 {
		t.Errorf("adds sent: %v; nothing may be sent once the journal is gone", sent)
	}
	if !strings.Contains(inv.mustRun("help", "exit-codes"), "6  done on the server, but the journal could not record it") {
		t.Error("help exit-codes does not say what 6 means")
	}
}

// Finding 5: every line says which server, counter, operator and version
// wrote it; refusals carry their reason and HTTP status, and the wrong PIN
// that starts a block is journalled blocked with its end. journal list and
// summary show them.
func TestJournalLinesAnAuditorCanUse(t *testing.T) {
	url := demoServer(t, nil)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	for range 3 {
		inv := scripted(t, url)
		inv.env["BOXOFFICE_JOURNAL"] = journalPath
		inv.stdin = strings.NewReader("0000\n")
		inv.mustFail(ExitRejected, "voucher", "add", "ADTMM0000222", "--order", orderOneShowtime, "--pin-stdin",
			"--operator", "ann", "--counter-name", "till-1")
	}
	entries := journalEntries(t, journalPath)
	for _, e := range entries {
		if !strings.HasPrefix(e.Server, "mock:built-in@") || e.Counter != "till-1" || e.Operator != "ann" || e.Version == "" {
			t.Errorf("line without who and where: %+v", e)
		}
	}
	if last := entries[len(entries)-1]; last.Outcome != journal.OutcomeBlocked || last.BlockedUntil.IsZero() || last.Reason != "wrong_pin" || last.HTTPStatus != 400 {
		t.Errorf("the attempt that started the block: %+v", last)
	}
	list := newJournalReader(t, journalPath).mustRun("journal", "list", "--server", "mock")
	assertMatches(t, "list", list,
		`(?m)AD\.{6}0222 +Ticket +rejected +wrong PIN; HTTP 400; Voucher AD\.{6}0222 was given a wrong PIN; 2 attempt\(s\) left`,
		`(?m)AD\.{6}0222 +Ticket +blocked +wrong PIN; rejected; HTTP 400; blocked until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)
	summary := newJournalReader(t, journalPath).mustRun("journal", "summary", "--server", "mock")
	assertMatches(t, "summary", summary,
		`(?m)^attach +rejected +2 +2$`, `(?m)^attach +blocked +1 +1$`,
		`Refused, by the server's reason:`, `(?m)^ACTION +REASON +TICKET +TOTAL$`, `(?m)^attach +wrong PIN +3 +3$`)
}

// Finding 6: practice (boxoffice mock, which names itself) is journalled
// apart from a tenant's journal by default, config show says so,
// and journal list and summary leave it out unless asked.
func TestPracticeIsJournalledApart(t *testing.T) {
	url := demoServer(t, nil)
	inv := scripted(t, url)
	inv.mustRun("voucher", "add", "ADTMM0000444", "--order", orderOneShowtime, "--no-pin")
	state := filepath.Join(inv.home, ".local", "state", "boxoffice")
	if _, err := os.Stat(filepath.Join(state, "journal.jsonl")); !os.IsNotExist(err) {
		t.Errorf("practice was written to the tenant's journal: %v", err)
	}
	practice := filepath.Join(state, "journal-demo.jsonl")
	if e := journalEntries(t, practice); len(e) != 2 || !strings.HasPrefix(e[1].Server, "mock:built-in@") {
		t.Fatalf("practice journal: %+v", e)
	}
	reader := newInvocation(t)
	reader.home, reader.env["HOME"] = inv.home, inv.home
	assertContains(t, "config show", reader.mustRun("config", "show"), "is journalled apart, in "+practice)
	reader.stdout = &syncBuffer{}
	assertContains(t, "summary", reader.mustRun("journal", "summary"), "Vouchers: none.", "practice left out")
	reader.stdout = &syncBuffer{}
	assertMatches(t, "summary --server practice", reader.mustRun("journal", "summary", "--server", "practice"), `(?m)^attach +attached +1 +1$`)
}

// A server on this machine that does not name itself as boxoffice mock
// (boxoffice proxy in front of a tenant, a tunnel) carries a tenant's work:
// its lines go to the tenant's journal, named by its origin, and count in
// the reports.
func TestALocalServerThatIsNoMockIsATenant(t *testing.T) {
	srv := httptest.NewServer(testkit.WithoutHeader(mock.New(mock.DefaultData(), mock.Options{}), mock.MockHeader))
	t.Cleanup(srv.Close)
	inv := scripted(t, srv.URL)
	inv.mustRun("voucher", "add", "ADTMM0000444", "--order", orderOneShowtime, "--no-pin")
	state := filepath.Join(inv.home, ".local", "state", "boxoffice")
	if _, err := os.Stat(filepath.Join(state, "journal-demo.jsonl")); !os.IsNotExist(err) {
		t.Errorf("a tenant's work was journalled as practice: %v", err)
	}
	e := journalEntries(t, filepath.Join(state, "journal.jsonl"))
	if len(e) != 2 || e[1].Server != srv.URL {
		t.Fatalf("tenant journal: %+v, want two lines naming %s", e, srv.URL)
	}
	reader := newInvocation(t)
	reader.home, reader.env["HOME"] = inv.home, inv.home
	assertMatches(t, "summary", reader.mustRun("journal", "summary"), `(?m)^attach +attached +1 +1$`)
}

// Finding 7: journal verify holds for a journal as written, and names the
// line edited, deleted or inserted afterwards, exiting 1.
func TestJournalVerify(t *testing.T) {
	url := demoServer(t, nil)
	journalPath := filepath.Join(t.TempDir(), "journal.jsonl")
	for _, b := range []string{"ADTMM0000444", "ADTMM0000666", "9300000000017"} {
		inv := scripted(t, url)
		inv.env["BOXOFFICE_JOURNAL"] = journalPath
		args := []string{"voucher", "add", b, "--order", orderOneShowtime, "--no-pin"}
		if strings.HasPrefix(b, "93") {
			args = append(args, "--voucher-type", "Deal")
		}
		inv.mustRun(args...)
	}
	out := newJournalReader(t, journalPath).mustRun("journal", "verify")
	assertContains(t, "verify", out, "6 lines read", "The chain holds: lines 1 to 6 follow each other")

	original, err := os.ReadFile(journalPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(original), "\n")
	for _, tt := range []struct {
		name   string
		tamper func() string
		want   string
	}{
		{"edited", func() string {
			return lines[0] + strings.Replace(lines[1], `"outcome":"attached"`, `"outcome":"rejected"`, 1) + strings.Join(lines[2:], "")
		}, "journal.jsonl line 2: line 2 of journal.jsonl was changed"},
		{"deleted", func() string { return lines[0] + lines[1] + strings.Join(lines[3:], "") },
			"journal.jsonl line 3: 1 line was removed before line 3 of journal.jsonl (numbers 3 to 3 are missing)"},
		{"inserted", func() string { return lines[0] + lines[1] + lines[1] + strings.Join(lines[2:], "") },
			"journal.jsonl line 3: line 3 of journal.jsonl is a copy of line 2 of journal.jsonl: it was inserted"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(journalPath, []byte(tt.tamper()), 0o600); err != nil {
				t.Fatal(err)
			}
			inv := newJournalReader(t, journalPath)
			assertContains(t, "stderr", inv.mustFail(ExitNeedsChecking, "journal", "verify"), tt.want, "keep a copy of its files as they are")
		})
	}
	if err := os.WriteFile(journalPath, original, 0o600); err != nil {
		t.Fatal(err)
	}
}
