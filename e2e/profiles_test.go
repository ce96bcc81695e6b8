package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// Keys as an xterm sends them.
const (
	keyF4, keyF7, keyF8, keyF10 = "\x1bOS", "\x1b[18~", "\x1b[19~", "\x1b[21~"
	keyDown, keyRight           = "\x1b[B", "\x1b[C"
)

// bench is a mock the test starts in-process, seen as an integrator sees it:
// through its admin API.
type bench struct {
	t   *testing.T
	url string
}

func startBench(t *testing.T, d *mock.Data, opts mock.Options) *bench {
	t.Helper()
	running, err := mock.Start("127.0.0.1:0", mock.New(d, opts))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { running.Close(context.Background()) })
	return &bench{t: t, url: running.URL}
}

func (b *bench) call(method, path string, body, out any) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, b.url+path, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		b.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

func (b *bench) state() mock.State {
	var st mock.State
	b.call("GET", "/_admin/state?vouchers=active", nil, &st)
	return st
}

func (b *bench) journal(query string) []mock.JournalEntry {
	var p mock.JournalPage
	b.call("GET", "/_admin/journal?limit=1000&"+query, nil, &p)
	return p.Entries
}

// waitState polls the mock's state until ok holds for it.
func (b *bench) waitState(what string, ok func(mock.State) bool) mock.State {
	b.t.Helper()
	var st mock.State
	if !testkit.Eventually(WaitTimeout, pollInterval, func() bool { st = b.state(); return ok(st) }) {
		raw, _ := json.MarshalIndent(st, "", "  ")
		b.t.Fatalf("waited %s for %s; the mock's state:\n%s", WaitTimeout, what, raw)
	}
	return st
}

// orderVoucher finds a voucher of the order by the profile's mask.
func orderVoucher(o mock.OrderState, masked string) (mock.OrderVoucherState, bool) {
	for _, v := range o.Vouchers {
		if v.MaskedBarcode == masked {
			return v, true
		}
	}
	return mock.OrderVoucherState{}, false
}

// addsOf are the journal's adds of one voucher, by its masked barcode in
// the masked request body.
func addsOf(entries []mock.JournalEntry, masked string) []mock.JournalEntry {
	var out []mock.JournalEntry
	for _, e := range entries {
		if e.Operation == "OcapiOrderVouchers_AddVoucher" && bytes.Contains(e.Request.Body, []byte(`"barcode":"`+masked+`"`)) {
			out = append(out, e)
		}
	}
	return out
}

// counterOutcomes are the counter's own journal outcomes of one barcode
// (the counter masks as api.MaskBarcode, whatever the server's mask).
func counterOutcomes(term *Terminal, barcode string) []string {
	var out []string
	for _, e := range term.JournalEntries() {
		if e.Action == journal.ActionAttach && e.MaskedBarcode == counterMask(barcode) && e.Outcome != journal.OutcomeAttempt {
			out = append(out, e.Outcome)
		}
	}
	return out
}

func counterMask(barcode string) string { return barcode[:2] + "......" + barcode[8:] }

// The counter's core flow against every tenant profile: attach with a PIN,
// a lost answer, remove, tickets paid by a voucher, wrong PINs to a block,
// and completion. Outcomes are read from the mock's state and journal; the
// screen is only read for where the keys go.
func TestCoreFlowAgainstEveryProfile(t *testing.T) {
	for _, p := range mock.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			coreFlow(t, p)
		})
	}
}

func coreFlow(t *testing.T, p mock.Profile) {
	b := startProfileBench(t, p)
	runCoreFlow(t, p, b, b.url)
}

// startProfileBench is the mock of the core flow, playing profile p.
func startProfileBench(t *testing.T, p mock.Profile) *bench {
	d := mock.DefaultData()
	// One adult ticket, so that one voucher pays for the whole order.
	d.Orders[0].Showtimes[0].Tickets = d.Orders[0].Showtimes[0].Tickets[:1]
	return startBench(t, d, mock.Options{Profile: p.Name})
}

// runCoreFlow runs the core flow with the counter calling apiURL: the
// mock b itself, or something in front of it.
func runCoreFlow(t *testing.T, p mock.Profile, b *bench, apiURL string) {
	mask := func(barcode string) string {
		if p.GuideMask {
			return "........" + barcode[8:]
		}
		return counterMask(barcode)
	}
	term := Start(t, Options{Args: []string{"--api-url", apiURL, "--order", demoOrderID, "--pin-prompt", "ask"}})
	waitForOrder(term)
	first := func(st mock.State) mock.OrderState { return st.Orders[0] }

	// Attach, with the PIN.
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("1234\r")
	b.waitState("ADTMM0000111 on the order", func(st mock.State) bool { _, ok := orderVoucher(first(st), mask("ADTMM0000111")); return ok })
	term.WaitFor("the attach shown", WaitTimeout, func(s string) bool { return strings.Contains(s, "Attached") && idle(s) })

	lostAnswer(t, b, term, p, mask)

	// Remove: the newest voucher is the one selected.
	term.WriteString("ADTMM0001002\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("\r")
	b.waitState("ADTMM0001002 on the order", func(st mock.State) bool { _, ok := orderVoucher(first(st), mask("ADTMM0001002")); return ok })
	term.WaitFor("nothing waiting", WaitTimeout, idle)
	pressTwice(term, keyF8, "F8 again", func() bool { _, ok := orderVoucher(first(b.state()), mask("ADTMM0001002")); return !ok })

	payTicketWithVoucher(t, b, term, mask("ADTMM0000111"))
	wrongPinsToBlock(t, b, term, mask)

	// Complete.
	completed := func(st mock.State) bool {
		return len(st.Orders) > 0 && first(st).Completion != nil && first(st).Completion.Status == "Completed"
	}
	pressTwice(term, keyF10, "F10 again", func() bool { return completed(b.state()) })
	st := b.state()
	if v, _ := orderVoucher(first(st), mask("ADTMM0000111")); v.RedemptionsLeft != 1 {
		t.Errorf("after completion ADTMM0000111 has %d redemptions left, want 1", v.RedemptionsLeft)
	}
	// The flow ends as a shift does: ctrl+c on a completed order quits at
	// once, with nothing to ask.
	term.Close()
	assertNoSecrets(t, term, "ADTMM0000111", "ADTMM0001001", "ADTMM0001002", "ADTMM0000222", "1234")
}

// lostAnswer: the next add's answer is lost after it was applied. The
// counter must not attach it twice: it may send it again only to a server
// known to refuse a repeat (the mock names itself), whose answer decides,
// and says attached only when the order shows it (a profile without
// order.vouchers[] leaves it unknown).
func lostAnswer(t *testing.T, b *bench, term *Terminal, p mock.Profile, mask func(string) string) {
	b.call("POST", "/_admin/faults/queue", map[string]any{"route": "OcapiOrderVouchers_AddVoucher", "fault": mock.CueLost}, nil)
	term.WriteString("ADTMM0001001\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("\r")
	b.waitState("ADTMM0001001 on the order", func(st mock.State) bool { _, ok := orderVoucher(st.Orders[0], mask("ADTMM0001001")); return ok })
	var outcomes []string
	term.WaitFor("the counter's outcome of the lost answer", WaitTimeout, func(string) bool {
		outcomes = counterOutcomes(term, "ADTMM0001001")
		return len(outcomes) > 0
	})
	want := []string{journal.OutcomeAlreadyAttached, journal.OutcomeAttached}
	if p.NoOrderVouchers {
		want = []string{journal.OutcomeUnknown}
	}
	if !strings.Contains(strings.Join(want, " "), outcomes[0]) {
		t.Errorf("the counter's outcome after the lost answer: %v, want one of %v", outcomes, want)
	}
	term.WaitFor("nothing waiting", WaitTimeout, idle)
	adds := addsOf(b.journal("operation=OcapiOrderVouchers_AddVoucher"), mask("ADTMM0001001"))
	if len(adds) == 0 || adds[0].Answered || adds[0].Status != 200 {
		t.Errorf("the mock saw %d adds of ADTMM0001001, want the first applied and unanswered: %+v", len(adds), adds)
	}
	for _, a := range adds[min(1, len(adds)):] {
		if !a.Answered {
			t.Errorf("a resend of ADTMM0001001 went unanswered, so it decided nothing: %+v", a)
		}
	}
	st := b.state()
	n := 0
	for _, v := range st.Orders[0].Vouchers {
		if v.MaskedBarcode == mask("ADTMM0001001") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("ADTMM0001001 is on the order %d times", n)
	}
}

// payTicketWithVoucher opens the tickets panel, moves to the row paid by the
// voucher, counts it up and applies, until the first order on the mock has
// the voucher paying for a ticket and costs nothing more.
func payTicketWithVoucher(t *testing.T, b *bench, term *Terminal, masked string) {
	payWithVoucher(t, b, term, masked, func(st mock.State) bool {
		v, ok := orderVoucher(st.Orders[0], masked)
		return ok && v.PaysFor == 1 && st.Orders[0].TotalPrice.ValueIncludingTax == 0
	})
}

// payWithVoucher is payTicketWithVoucher until paid holds for the mock's
// state.
func payWithVoucher(t *testing.T, b *bench, term *Terminal, masked string, paid func(mock.State) bool) {
	last4 := masked[len(masked)-4:]
	// The panel's selected row is the one with the count arrows (◂ n ▸);
	// a voucher's row names the voucher, on its line or the next.
	panelOpen := func(s string) bool { return strings.Contains(s, "◂") }
	onRow := func(s string) bool {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if strings.Contains(l, "◂") {
				if i+1 < len(lines) && !strings.Contains(lines[i+1], "◂") && strings.HasPrefix(lines[i+1], "    ") {
					l += lines[i+1]
				}
				return strings.Contains(l, last4)
			}
		}
		return false
	}
	term.WriteString(keyF4)
	term.WaitFor("the tickets panel", WaitTimeout, panelOpen)
	for i := 0; !onRow(term.Screen()); i++ {
		if i == 12 {
			t.Fatalf("no row of the tickets panel is paid by %s:\n%s", masked, frame(term.Screen()))
		}
		before := term.Screen()
		term.WriteString(keyDown)
		term.WaitFor("the selection moved", WaitTimeout, func(s string) bool { return s != before })
	}
	before := term.Screen()
	term.WriteString(keyRight)
	term.WaitFor("the count changed", WaitTimeout, func(s string) bool { return s != before })
	term.WriteString(keyF7)
	b.waitState("a ticket paid by "+masked, paid)
	// F4 again closes the panel once the screen has the change applied; a
	// press before that is refused, so it is pressed until the panel goes.
	for try := 1; panelOpen(term.Screen()); try++ {
		if try > 6 {
			t.Fatalf("F4 did not close the tickets panel:\n%s", frame(term.Screen()))
		}
		term.WriteString(keyF4)
		testkit.Eventually(WaitTimeout/6, pollInterval, func() bool { return !panelOpen(term.Screen()) })
	}
}

// wrongPinsToBlock gives ADTMM0000222 wrong PINs until the mock blocks it.
// A wrong PIN's refusal brings the barcode back for its PIN. The wait for
// that reads a screen that differs from the one the PIN was typed on, so
// that a frame drawn before the refusal cannot pass for it.
func wrongPinsToBlock(t *testing.T, b *bench, term *Terminal, mask func(string) string) {
	term.WaitFor("nothing waiting", WaitTimeout, idle)
	term.WriteString("ADTMM0000222\r")
	refused := func() int {
		n := 0
		for _, o := range counterOutcomes(term, "ADTMM0000222") {
			if o == journal.OutcomeRejected || o == journal.OutcomeBlocked || o == journal.OutcomeFailed {
				n++
			}
		}
		return n
	}
	screen := term.WaitForText("▸ PIN [none", WaitTimeout)
	for n := 1; n <= 3; n++ {
		typedOn := screen
		term.WriteString("0000\r")
		screen = term.WaitFor(fmt.Sprintf("wrong PIN %d refused", n), WaitTimeout, func(s string) bool {
			settled := strings.Contains(s, "▸ PIN [none") || n == 3 && strings.Contains(s, "▸ Barcode [scan or type")
			return s != typedOn && settled && refused() == n
		})
	}
	// A refusal that does not say the voucher is blocked leaves the
	// barcode waiting for its PIN: Esc empties the form for the keys next.
	if strings.Contains(screen, "▸ PIN") {
		term.WriteString("\x1b")
		term.WaitForText("▸ Barcode [scan or type", WaitTimeout)
	}
	st := b.waitState("ADTMM0000222 blocked", func(st mock.State) bool {
		return len(st.Blocks) == 1 && st.Blocks[0].MaskedBarcode == mask("ADTMM0000222")
	})
	if left := st.Blocks[0].BlockedUntil.Sub(st.Now); left <= 0 || left > time.Minute {
		t.Errorf("blocked until %s at %s", st.Blocks[0].BlockedUntil, st.Now)
	}
	if adds := addsOf(b.journal("status=400"), mask("ADTMM0000222")); len(adds) != 3 {
		t.Errorf("the mock refused %d adds of ADTMM0000222, want 3", len(adds))
	}
}

// pressTwice presses key, which asks a question (words, which the screen
// may wrap), and key again to confirm it, until done. A question a reload
// of the order took away before the second press is asked again.
func pressTwice(term *Terminal, key, words string, done func() bool) {
	term.tb.Helper()
	asking := func() bool { return strings.Contains(squeezed(term.Screen()), words) }
	deadline := time.Now().Add(WaitTimeout)
	for !done() {
		if time.Now().After(deadline) {
			term.tb.Fatalf("pressed %q for %s and it was not done; the screen shows:\n%s", key, WaitTimeout, frame(term.Screen()))
		}
		confirming := asking()
		term.WriteString(key)
		testkit.Eventually(WaitTimeout/6, pollInterval, func() bool { return done() || !confirming && asking() })
	}
}
