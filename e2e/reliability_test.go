package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
)

// squeezed is the screen's text with its line breaks and runs of spaces
// made single spaces, so that a wrapped message reads as one.
func squeezed(screen string) string { return strings.Join(strings.Fields(screen), " ") }

// The counter killed (SIGKILL) mid-burst, against a server that outlives it:
// the next start says what the last run left, and a voucher attached before
// the kill reads as attached when scanned again.
func TestKilledMidBurstIsSettledAtTheNextStart(t *testing.T) {
	t.Parallel()
	server := mock.New(mock.DefaultData(), mock.Options{Faults: mock.Faults{Latency: 500 * time.Millisecond}})
	running, err := mock.Start("127.0.0.1:0", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { running.Close(context.Background()) })
	args := []string{"--api-url", running.URL, "--order", server.FirstOrderID(), "--pin-prompt", "never"}

	first := Start(t, Options{Args: args})
	waitForOrder(first)
	for _, b := range []string{"ADTMM0001001", "ADTMM0001002", "ADTMM0001003", "ADTMM0001004"} {
		first.WriteString(b + "\r")
	}
	// The first is attached; the second is on its way, two wait their turn.
	first.WaitForText("Attached AD......1001", WaitTimeout)
	first.stop()

	// The second is on the order: the server applied it, though its answer
	// never reached the counter (or, if the kill stopped the request
	// first, it is added here, as another server might have done).
	client, err := api.New(api.Options{BaseURL: running.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.AddVoucher(context.Background(), server.FirstOrderID(), api.AddVoucherRequest{Type: api.VoucherTicket,
		ShowtimeID: "0001-2681", Credentials: api.VoucherCredentials{Barcode: "ADTMM0001002"}})
	if e := api.AsError(err); err != nil && (e == nil || e.Code != api.CodeVoucherAlreadyOnOrder) {
		t.Fatal(err)
	}

	second := Start(t, Options{Args: append([]string{"--journal", first.JournalPath}, args...)})
	want := "The last run stopped with 3 scans unfinished: 1 attached; " +
		"2 not attached (AD......1003, AD......1004): scan them again."
	second.WaitFor("the last run's scans settled", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), want) })
	second.WriteString("ADTMM0001001\r")
	second.WaitFor("the voucher attached before the kill read as attached", WaitTimeout, func(s string) bool {
		return strings.Contains(squeezed(s), "Voucher AD......1001 is already on this order (selected above)")
	})
	if code := second.Close(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	var settled []string
	for _, e := range first.JournalEntries() { // the journal both runs wrote
		if e.Message != "" && strings.Contains(e.Message, "counter") {
			settled = append(settled, e.MaskedBarcode+" "+e.Outcome)
		}
	}
	for _, w := range []string{"AD......1002 attached", "AD......1003 abandoned", "AD......1004 abandoned"} {
		if !strings.Contains(strings.Join(settled, "\n"), w) {
			t.Errorf("the journal does not settle %q; lines with a message about the counter:\n%s", w, strings.Join(settled, "\n"))
		}
	}
}

// ctrl+c with scans queued asks first; the second press quits, and every
// scan is in the journal: the one sent with its attempt, the ones waiting
// as queued and then abandoned.
func TestQuitWithScansQueuedLosesNone(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "never", "--demo-faults", "latency=800ms"}})
	waitForOrder(term)
	barcodes := []string{"ADTMM0001001", "ADTMM0001002", "ADTMM0001003", "ADTMM0001004", "ADTMM0001005", "ADTMM0001006"}
	for _, b := range barcodes {
		term.WriteString(b + "\r")
	}
	term.WaitFor("the scans queued", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), "waiting") })
	term.WriteString("\x03")
	term.WaitFor("the question", WaitTimeout, func(s string) bool {
		return strings.Contains(squeezed(s), "Press ctrl+c again to quit anyway")
	})
	term.WriteString("\x03")
	if code := term.Close(); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
	for _, b := range barcodes {
		masked := api.MaskBarcode(b)
		var outcomes []string
		for _, e := range term.JournalEntries() {
			if e.MaskedBarcode == masked {
				outcomes = append(outcomes, e.Outcome)
			}
		}
		if len(outcomes) == 0 {
			t.Errorf("%s is not in the journal", masked)
		}
		if last := outcomes[len(outcomes)-1]; len(outcomes) > 1 && last == "queued" {
			t.Errorf("%s is left queued in the journal: %v", masked, outcomes)
		}
	}
	assertNoSecrets(t, term, barcodes...)
}

// A six-digit PIN typed fast into the PIN field is the PIN: never shown,
// never sent as a barcode, never journalled.
func TestFastPinBurstStaysAPin(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--pin-prompt", "ask"}})
	waitForOrder(term)
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("Type the PIN of", WaitTimeout)
	term.WriteString("654321")
	term.WriteString("\r")
	term.WaitFor("the wrong PIN refused", WaitTimeout, func(s string) bool {
		return strings.Contains(squeezed(s), "wrong PIN") && idle(s) && strings.Contains(s, "AD......0111")
	})
	if strings.Contains(term.OutputText(), "654321") || strings.Contains(term.OutputText(), "4321") {
		t.Errorf("the PIN was drawn on the screen:\n%s", frame(term.Screen()))
	}
	if code := term.Close(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	for _, e := range term.JournalEntries() {
		if e.MaskedBarcode != "AD......0111" {
			t.Errorf("journal has a line for %q: only the voucher was sent", e.MaskedBarcode)
		}
	}
	assertNoSecrets(t, term, "654321", "4321", "ADTMM0000111")
}
