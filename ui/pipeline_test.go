package ui

// The scan pipeline, driven by messages: one scan in flight at a time, each
// outcome reported only once its journal line is on disk, refusals holding
// the queue, and nothing scanned ever lost.

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// scanKeys sends text as a terminal would: a burst of runes, and Enter for
// "\r" and ctrl+j for "\n".
func (d *driver) scanKeys(text string) {
	run := ""
	flush := func() {
		if run != "" {
			d.scan(run)
			run = ""
		}
	}
	for _, r := range text {
		switch r {
		case '\r':
			flush()
			d.key(tea.KeyEnter)
		case '\n':
			flush()
			d.key(tea.KeyCtrlJ)
		case 0x1d:
			flush()
			d.key(tea.KeyCtrlCloseBracket)
		default:
			run += string(r)
		}
	}
	flush()
}

// attached is an attach's answer: the voucher on the order, its outcome at
// journal line line.
func attached(s sending, id string, line uint64) attachDoneMsg {
	return attachedTo(seedOrderID, s, id, line)
}

// attachedTo is attached for another order.
func attachedTo(orderID string, s sending, id string, line uint64) attachDoneMsg {
	return attachDoneMsg{orderID: orderID, scan: s, line: line, result: api.AttachResult{
		Voucher: api.OrderVoucher{ID: id, MaskedBarcode: api.MaskBarcode(s.Barcode), Type: s.Type}, AvailableRedemptions: 1, Outcome: api.AttachAdded}}
}

func TestCRLFSubmitsOnce(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0000111\r\nADTMM0000222\r\n")
	if strings.Contains(d.screen(), "✗") {
		t.Fatalf("a terminator was taken for a second scan:\n%s", d.screen())
	}
	d.mustShow("Sending AD......0111", "1 waiting: AD......0222")
}

func TestRefusedTextIsReplacedByTheNextScan(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	tooLong := strings.Repeat("A", 129)
	d.scanKeys(tooLong + "\r")
	d.mustShow("129 characters", "Barcode [AAAA")
	d.scanKeys("ADTMM0001001\r")
	if got := d.lastCall("attach").scan.Barcode; got != "ADTMM0001001" {
		t.Fatalf("the next scan was not sent as itself: %q", got)
	}
	d.mustShow("Not attached (1)", "refused before sending")
}

func TestScanBeforeTheOrderLoadsWaitsForIt(t *testing.T) {
	d := newDriver(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\r")
	d.mustShow("1 waiting for the order: AD......1001", "waits until order 3f9c2a7b…4a86 has loaded")
	if n := len(d.backend.made("attach")); n != 0 {
		t.Fatalf("a scan went before its order was read")
	}
	if n := len(d.backend.made("note")); n != 1 || d.backend.made("note")[0].entries[0].Outcome != "queued" {
		t.Fatalf("the waiting scan is not journalled as queued: %+v", d.backend.made("note"))
	}
	d.backend.answer = demoBackend(t, nil)
	d.send(orderLoadedMsg{orderID: seedOrderID, seq: d.lastCall("load").seq, resp: seedOrder(t)})
	a := d.lastCall("attach")
	if a.scan.Barcode != "ADTMM0001001" || a.scan.showtimeID != "0001-2681" {
		t.Fatalf("the waiting scan did not go with the order's showtime: %+v", a.scan)
	}
}

func TestNewScanReplacesARestoredFailedScan(t *testing.T) {
	d := loaded(t, nil)
	d.scanKeys("ADTMM0000999\r9999\r")
	a := d.lastCall("attach")
	d.send(attachDoneMsg{orderID: seedOrderID, scan: a.scan, err: &api.Error{Op: api.OpAddVoucher, Kind: api.KindTimeout, OutcomeUnknown: true}})
	// A lost answer may be tried again: the scan is back at its PIN.
	d.mustShow("Barcode [ADTMM0000999", "▸ PIN")
	// The operator scans the next voucher instead of retrying.
	d.scanKeys("ADTMM0000222\r")
	if n := len(d.backend.made("attach")); n != 1 {
		t.Fatalf("the restored scan was resent without a PIN")
	}
	d.mustShow("Barcode [ADTMM0000222", "▸ PIN", "Not attached (1)", "AD......0999")
}

func TestOutcomesWaitForTheJournalWhileTheNextScanGoes(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\rADTMM0001002\r")
	first := d.lastCall("attach").scan
	d.backend.unsynced[7] = true
	d.send(attached(first, "v1", 7))
	if got := d.lastCall("attach").scan.Barcode; got != "ADTMM0001002" {
		t.Fatalf("the next scan did not go out while the first outcome waited for the disk: %q", got)
	}
	if strings.Contains(d.screen(), "Attached AD......1001") || rowOf(d.screen(), "AD......1001") != "" {
		t.Fatalf("an outcome was reported before it was on disk:\n%s", d.screen())
	}
	if len(d.backend.made("sync")) != 1 {
		t.Fatal("no sync was asked for the waiting outcome")
	}
	d.key(tea.KeyCtrlN)
	d.mustShow("Wait: scans are still being sent")
	delete(d.backend.unsynced, 7)
	d.send(journalSyncedMsg{})
	d.mustShow("Attached AD......1001")
	if rowOf(d.screen(), "AD......1001") == "" {
		t.Fatalf("the synced outcome was not listed:\n%s", d.screen())
	}
}

func TestARefusalWaitingForTheJournalHoldsTheQueue(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\rADTMM0001002\r")
	first := d.lastCall("attach").scan
	d.backend.unsynced[3] = true
	d.send(attachDoneMsg{orderID: seedOrderID, scan: first, line: 3, err: &api.Error{Op: api.OpAddVoucher, Status: 404, Kind: api.KindNotFound}})
	if n := len(d.backend.made("attach")); n != 1 {
		t.Fatalf("a scan went out while a refusal was unreported")
	}
	delete(d.backend.unsynced, 3)
	d.send(journalSyncedMsg{})
	d.mustShow("has expired or no longer exists", "Not attached (2)")
}

func TestAFailedSyncStopsAttaching(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.backend.answer = nil
	d.scanKeys("ADTMM0001001\r")
	d.backend.unsynced[2] = true
	d.send(attached(d.lastCall("attach").scan, "v1", 2))
	d.send(journalSyncedMsg{err: errors.New("disk gone")})
	d.mustShow("Attached AD......1001, but the journal could not record it, so attaching is stopped", "(disk gone)")
	if rowOf(d.screen(), "AD......1001") == "" || strings.Contains(d.screen(), "Not attached") {
		t.Fatalf("an attached voucher whose outcome could not be saved is not listed as attached:\n%s", d.screen())
	}
	d.scanKeys("ADTMM0001002\r")
	d.mustShow("Attaching is stopped")
	if n := len(d.backend.made("attach")); n != 1 {
		t.Fatalf("%d adds after the journal failed", n)
	}
}

// No scan leaves the "Not attached" list without a word: the list says how
// many it holds, how many it does not show, and how many it let go.
func TestNotAttachedSaysWhatItDoesNotShow(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	refuse := func(barcode string) {
		d.scanKeys(barcode + "\r")
		a := d.lastCall("attach")
		d.send(attachDoneMsg{orderID: seedOrderID, scan: a.scan, err: &api.Error{Op: api.OpAddVoucher, Kind: api.KindRejected, Status: 400, Message: "Voucher is used up."}})
	}
	refuse("ADTMM0000999")
	d.mustShow("Not attached (1) · ctrl+r")
	for i := range maxFailedKept + 3 {
		refuse(fmt.Sprintf("ADTMM%07d", 5000+i))
	}
	d.mustShow(fmt.Sprintf("Not attached (%d, ", maxFailedKept), "not shown, 4 older no longer kept)")
}

// A scan refused for a control character comes back with ctrl+r still
// refused: what the field kept of it is not the barcode that was scanned.
func TestRetriedScanWithAControlCharacterIsStillRefused(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADT\x1dMM0001\r")
	if !strings.Contains(d.status(), "a character that cannot be sent") {
		t.Fatalf("status = %q", d.status())
	}
	d.scanKeys("ADTMM0001002\r") // the next scan replaces it; it is listed
	d.key(tea.KeyCtrlR)
	d.mustShow("Barcode [ADTMM0001")
	sent := len(d.backend.made("attach"))
	d.scanKeys("\r")
	if len(d.backend.made("attach")) != sent || !strings.Contains(d.status(), "a character that cannot be sent") {
		t.Fatalf("the retried scan was sent without its control character: status %q", d.status())
	}
}

// With no PIN step, a failed scan comes back into the barcode field; the
// next scan typed over it takes the field whole instead of joining it, and
// the failed one stays listed.
func TestNextScanTakesTheFieldFromARestoredScan(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0000999\r")
	d.send(attachDoneMsg{orderID: seedOrderID, scan: d.lastCall("attach").scan, err: &api.Error{Op: api.OpAddVoucher, Kind: api.KindTimeout, OutcomeUnknown: true}})
	d.mustShow("Barcode [ADTMM0000999")
	d.scan("ADTMM0000222")
	d.mustShow("Barcode [ADTMM0000222 ", "AD......0999")
	d.mustNotShow("ADTMM0000999ADTMM")
}

// A barcode scanned again while its first scan is still on its way is one
// send: checked against the scans in flight and waiting, not only against
// the vouchers attached.
func TestARepeatWhileTheFirstIsOnItsWayIsNotSentTwice(t *testing.T) {
	d := loaded(t, func(o *Options) { o.PinPrompt = PinNever })
	d.scanKeys("ADTMM0001001\rADTMM0001002\r")
	d.advance(5 * 1e9) // past the double-scan window
	d.scanKeys("ADTMM0001002\r")
	d.mustShow("was scanned again: it is already on its way to this order, and is sent once")
	notes := d.backend.made("note")
	if len(notes) == 0 || notes[len(notes)-1].entries[0].Outcome != journal.OutcomeRepeat {
		t.Fatalf("the repeat is not in the journal: %+v", notes)
	}
	d.send(attached(d.lastCall("attach").scan, "v1", 0))
	d.send(attached(d.lastCall("attach").scan, "v2", 0))
	if n := len(d.backend.made("attach")); n != 2 {
		t.Fatalf("%d adds for two vouchers, one scanned twice", n)
	}
}
