package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

func TestScannerTerminators(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "never"}})
	waitForOrder(term)

	// Each scan arrives as one write, as a scanner sends it, ended the three
	// ways scanners end a scan.
	scans := []string{"ADTMM0001001\r", "ADTMM0001002\t", "ADTMM0001003\r\n"}
	for _, s := range scans {
		term.WriteString(s)
	}
	screen := term.WaitFor("three vouchers attached and nothing waiting", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(3)) && idle(s)
	})
	for _, masked := range []string{"AD......1001", "AD......1002", "AD......1003"} {
		if n := listed(screen, masked); n != 1 {
			t.Errorf("%s is on %d rows of the list, want 1:\n%s", masked, n, frame(screen))
		}
	}
	if out := term.OutputText(); strings.Contains(out, "No barcode") {
		t.Errorf("a terminator was taken for an empty scan: the screen showed \"No barcode\"")
	}
	if strings.Contains(term.OutputText(), "Not attached") {
		t.Errorf("a scan failed:\n%s", frame(screen))
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	assertNoSecrets(t, term, "ADTMM0001001", "ADTMM0001002", "ADTMM0001003")
}

func TestPinFlow(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "ask"}})
	waitForOrder(term)

	term.WriteString("ADTMM0000111\r")
	term.WaitForText("Type the PIN of", WaitTimeout)
	term.WriteString("1234\r")
	// The list row says what the voucher can still pay for ("2 remaining",
	// or "2 left" where the row is short of room).
	twoLeft := regexp.MustCompile(`AD\.{6}0111 .*\b2 (remaining|left)\b`)
	screen := term.WaitFor("the voucher listed with 2 remaining", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(1)) && idle(s) && twoLeft.MatchString(strings.Join(voucherRows(s), "\n"))
	})
	if strings.Contains(term.OutputText(), "1234") {
		t.Errorf("the PIN was drawn on the screen:\n%s", frame(screen))
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	assertNoSecrets(t, term, "ADTMM0000111", "1234")
}

// TestFaultyNetworkAttachesEachScanOnce scans 20 vouchers back to back
// while the demo server is slow, fails requests and loses answers, and
// checks through the API that the order holds each voucher exactly once.
func TestFaultyNetworkAttachesEachScanOnce(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{
		"--demo-faults", "latency=50ms,error=0.2,drop=0.2,seed=7",
		"--pin-prompt", "never",
	}})
	waitForOrder(term)

	var barcodes, masked []string
	for n := 1011; n <= 1030; n++ {
		b := fmt.Sprintf("ADTMM000%d", n)
		barcodes = append(barcodes, b)
		masked = append(masked, api.MaskBarcode(b))
	}
	for _, b := range barcodes {
		term.WriteString(b + "\r")
	}
	term.WaitFor("20 vouchers attached and nothing waiting", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(20)) && idle(s)
	})

	client, err := api.New(api.Options{BaseURL: term.ServerURL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), WaitTimeout)
	defer cancel()
	var order *api.OrderResponse
	// The server still loses answers; a read whose answer was lost is
	// simply asked again.
	for attempt := 1; ; attempt++ {
		order, err = client.GetOrder(ctx, demoOrderID)
		if err == nil {
			break
		}
		if attempt == 10 || ctx.Err() != nil {
			t.Fatalf("read the order back: %v", err)
		}
	}
	var onOrder []string
	for _, v := range order.Order.Vouchers {
		onOrder = append(onOrder, v.MaskedBarcode)
	}
	slices.Sort(onOrder)
	if !slices.Equal(onOrder, masked) {
		t.Errorf("the order holds vouchers\n%v\nwant each of\n%v\nonce", onOrder, masked)
	}

	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	outcomes := map[string]int{}
	attachedTimes := map[string]int{}
	for _, e := range term.JournalEntries() {
		if e.Action != journal.ActionAttach {
			continue
		}
		outcomes[e.Outcome]++
		if e.Outcome == journal.OutcomeAttached || e.Outcome == journal.OutcomeAlreadyAttached {
			attachedTimes[e.MaskedBarcode]++
		}
	}
	if got := outcomes[journal.OutcomeAttached] + outcomes[journal.OutcomeAlreadyAttached]; got != 20 {
		t.Errorf("the journal has %d attached or already_attached outcomes, want 20 (all outcomes: %v)", got, outcomes)
	}
	for _, m := range masked {
		if attachedTimes[m] != 1 {
			t.Errorf("the journal records %s attached %d times, want 1", m, attachedTimes[m])
		}
	}
	t.Logf("journal outcomes: %v", outcomes)
	assertNoSecrets(t, term, barcodes...)
}

func TestHugePaste(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "never"}})
	waitForOrder(term)

	term.Paste(strings.Repeat("0123456789", 1000))
	term.WriteString("\r")
	term.WaitForText("That barcode is 10000 characters long", WaitTimeout)

	// The app keeps up: Esc clears the form and the next scan attaches.
	term.WriteString("\x1b")
	term.WaitFor("the form to be cleared", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "[scan or type") && strings.Contains(s, ready)
	})
	term.WriteString("ADTMM0001004\r")
	screen := term.WaitFor("the next scan attached", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(1)) && idle(s)
	})
	if n := listed(screen, "AD......1004"); n != 1 {
		t.Errorf("AD......1004 is on %d rows of the list, want 1:\n%s", n, frame(screen))
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestResizeRedraws(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "never"}})
	waitForOrder(term)
	term.WriteString("ADTMM0001005\r")
	term.WaitFor("the voucher attached", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(1)) && idle(s)
	})

	for _, size := range [][2]int{{100, 30}, {80, 24}, {60, 20}} {
		cols, rows := size[0], size[1]
		term.Resize(cols, rows)
		// Every rule spans the new width, less a column each side.
		rule := " " + strings.Repeat("─", cols-2)
		screen := term.WaitFor(fmt.Sprintf("the screen redrawn at %dx%d", cols, rows), WaitTimeout, func(s string) bool {
			return wholeScreenAt(s, rule)
		})
		for _, text := range []string{"boxoffice", "DEMO SERVER", "Order 3f9c2a7b", "Total ", voucherCount(1), "Barcode ["} {
			if n := countLinesWith(screen, text); n != 1 {
				t.Errorf("at %dx%d %q is on %d rows, want 1:\n%s", cols, rows, text, n, frame(screen))
			}
		}
		if n := listed(screen, "AD......1005"); n != 1 {
			t.Errorf("at %dx%d AD......1005 is on %d rows of the list, want 1:\n%s", cols, rows, n, frame(screen))
		}
		if strings.Contains(screen, "needs at least") {
			t.Errorf("at %dx%d the app says the window is too small:\n%s", cols, rows, frame(screen))
		}
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// wholeScreenAt reports whether the screen is drawn for the width of rule:
// it has the three rules of the layout, each exactly rule wide (the one
// above the form may name the outcome list), the header on the first row,
// the form, and the key help on the last row.
func wholeScreenAt(screen, rule string) bool {
	lines := strings.Split(screen, "\n")
	rules := 0
	for _, l := range lines {
		if strings.Contains(l, "──") {
			named := strings.HasPrefix(l, " ── Last outcomes") && strings.HasSuffix(l, "─") && ansi.StringWidth(l) == ansi.StringWidth(rule)
			if l != rule && !named {
				return false
			}
			rules++
		}
	}
	return rules == 3 &&
		strings.HasPrefix(lines[0], " boxoffice") &&
		strings.Contains(screen, "Barcode [") &&
		strings.TrimSpace(lines[len(lines)-1]) != ""
}

func TestCtrlCRestoresTerminal(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	if !term.AltScreen() {
		t.Errorf("the counter screen is not on the alternate screen")
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code after ctrl+c %d, want 0", code)
	}
	out := string(term.Output())
	const leaveAlt, showCursor, enterAlt, hideCursor = "\x1b[?1049l", "\x1b[?25h", "\x1b[?1049h", "\x1b[?25l"
	if i, j := strings.LastIndex(out, leaveAlt), strings.LastIndex(out, enterAlt); i < 0 || i < j {
		t.Errorf("the output does not end on the main screen: last %q at %d, last %q at %d", leaveAlt, i, enterAlt, j)
	}
	if i, j := strings.LastIndex(out, showCursor), strings.LastIndex(out, hideCursor); i < 0 || i < j {
		t.Errorf("the output does not end with the cursor shown: last %q at %d, last %q at %d", showCursor, i, hideCursor, j)
	}
	// Nothing is drawn after leaving the alternate screen: the operator's
	// shell gets the screen back as it was.
	if i := strings.LastIndex(out, leaveAlt); i >= 0 {
		if rest := out[i:]; strings.TrimSpace(ansi.Strip(rest)) != "" {
			t.Errorf("text was drawn after leaving the alternate screen: %q", rest)
		}
	}
	if term.AltScreen() || term.CursorHidden() {
		t.Errorf("after exit the terminal is on the alternate screen (%v) or has the cursor hidden (%v)", term.AltScreen(), term.CursorHidden())
	}
	if strings.Contains(out, "\x1b[?2004h") && strings.LastIndex(out, "\x1b[?2004l") < strings.LastIndex(out, "\x1b[?2004h") {
		t.Errorf("bracketed paste is left on after exit")
	}
}

// TestScanWhileWaitingForPin scans a second voucher while the first waits
// for its PIN: the first is kept unsent for ctrl+r rather than sent without
// its PIN, and the second waits in its place.
func TestScanWhileWaitingForPin(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "ask"}})
	waitForOrder(term)

	term.WriteString("ADTMM0001040\r")
	term.WaitForText("Type the PIN of", WaitTimeout)
	term.WriteString("ADTMM0001041\r")
	// The first is not sent without its PIN: it could lose a PIN attempt.
	term.WaitFor("the first kept unsent and the second waiting for its PIN", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "AD......1040 Ticket: not sent: the next scan came before its PIN") &&
			strings.Contains(s, "Barcode [ADTMM0001041") && strings.Contains(s, "▸ PIN")
	})
	term.WriteString("\r")
	term.WaitFor("the second attached", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(1)) && idle(s)
	})
	// ctrl+r brings the first back for its PIN; it has none.
	term.WriteString("\x12")
	term.WaitForText("Retrying AD......1040", WaitTimeout)
	term.WriteString("\r")
	screen := term.WaitFor("both vouchers attached", WaitTimeout, func(s string) bool {
		return strings.Contains(s, voucherCount(2)) && idle(s)
	})
	for _, m := range []string{"AD......1040", "AD......1041"} {
		if n := listed(screen, m); n != 1 {
			t.Errorf("%s is on %d rows of the list, want 1:\n%s", m, n, frame(screen))
		}
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// TestScanWhileOrderLoads scans before the order has loaded, as a scanner
// at a busy counter will, then scans again once it has. The first scan
// waits for the order and both attach as themselves; they are never sent
// glued together.
func TestScanWhileOrderLoads(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--demo-faults", "latency=1500ms", "--pin-prompt", "never"}})
	term.WaitForText("Barcode [", WaitTimeout)
	term.WriteString("ADTMM0001042\r")
	term.WaitForText("Total ", WaitTimeout)
	term.WriteString("ADTMM0001043\r")
	screen := term.WaitFor("both scans answered", WaitTimeout, func(s string) bool {
		return idle(s) && listed(s, "AD......1042") == 1 && listed(s, "AD......1043") == 1
	})
	if strings.Contains(screen, "Not attached") || strings.Contains(screen, "....................") {
		t.Errorf("a scan made while the order loaded was not attached as itself:\n%s", frame(screen))
	}
	if strings.Contains(term.OutputText(), "ADTMM0001042ADTMM0001043") {
		t.Errorf("two scans were joined into one barcode:\n%s", frame(screen))
	}
	for _, e := range term.JournalEntries() {
		if len(e.MaskedBarcode) != len("ADTMM0001043") {
			t.Errorf("the journal records an attach of %s, which is no scanned barcode", e.MaskedBarcode)
		}
	}
}

// sgrColour matches a Select Graphic Rendition sequence that sets a colour:
// 30–37, 40–47, 90–97, 100–107, or 38/48 with a palette or RGB value.
var sgrColour = regexp.MustCompile(`\x1b\[(?:[0-9]*;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9]*)*m`)

// TestNoColor runs the counter with NO_COLOR: the screen carries no colour
// at all, and everything still reads, status symbols included.
func TestNoColor(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{NoColor: true})
	waitForOrder(term)
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("▸ PIN", WaitTimeout)
	term.WriteString("9999\r")
	term.WaitForText("✗ Voucher AD......0111 rejected", WaitTimeout)
	term.WriteString("1234\r")
	term.WaitForText("✓ Attached AD......0111", WaitTimeout)
	if m := sgrColour.FindString(string(term.Output())); m != "" {
		t.Errorf("NO_COLOR is set, yet the app drew in colour: %q", m)
	}
}

// A refusal rings the terminal's bell, written through the screen's own
// frames, and ctrl+c then asks before leaving the order in progress.
func TestRefusalRingsTheBellAndQuitAsks(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "never"}})
	waitForOrder(term)
	oscs := regexp.MustCompile("\x1b\\][^\x07\x1b]*(\x07|\x1b\\\\)")
	bells := func() int { return strings.Count(oscs.ReplaceAllString(string(term.Output()), ""), "\a") }
	term.WriteString("ADTMM0000888\r")
	term.WaitForText("✗ Voucher AD......0888", WaitTimeout)
	term.WaitFor("the bell", WaitTimeout, func(string) bool { return bells() == 1 })
	term.WriteString("\x03")
	term.WaitForText("is still in progress", WaitTimeout)
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if n := bells(); n != 1 {
		t.Errorf("%d bells for one refusal, want 1", n)
	}
}
