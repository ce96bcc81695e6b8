package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// keysFromBytes turns fuzz input into the key messages a terminal would
// deliver: printable runs become one burst, control bytes become keys.
func keysFromBytes(b []byte) []tea.KeyMsg {
	var keys []tea.KeyMsg
	var run []rune
	flush := func() {
		if len(run) > 0 {
			keys = append(keys, tea.KeyMsg{Type: tea.KeyRunes, Runes: run})
			run = nil
		}
	}
	for _, c := range string(b) {
		switch c {
		case '\r':
			flush()
			keys = append(keys, tea.KeyMsg{Type: tea.KeyEnter})
		case '\n':
			flush()
			keys = append(keys, tea.KeyMsg{Type: tea.KeyCtrlJ})
		case '\t':
			flush()
			keys = append(keys, tea.KeyMsg{Type: tea.KeyTab})
		case 0x1b:
			flush()
			keys = append(keys, tea.KeyMsg{Type: tea.KeyEsc})
		case 0x1d:
			flush()
			keys = append(keys, tea.KeyMsg{Type: tea.KeyCtrlCloseBracket})
		default:
			if c < 0x20 {
				flush()
				continue
			}
			run = append(run, c)
		}
	}
	flush()
	return keys
}

// loadedModel is a counter whose order is already on screen, with no server
// behind it: commands are built but never run.
func loadedModel(pin PinPrompt, now func() time.Time) Model {
	m := New(Options{OrderID: seedOrderID, SiteID: "0001", PinPrompt: pin, Now: now})
	order := api.Order{ID: seedOrderID, Status: api.OrderInProgress, SiteID: "0001",
		Showtimes: []api.OrderShowtime{{ShowtimeID: "0001-2681"}}}
	m.order = &order
	m.orderLoading = false
	m.status.spinning = false
	return m
}

func FuzzScanInput(f *testing.F) {
	for _, s := range []string{
		"ADTMM0000111\r1234\r",
		"ADTMM0000111\t\t",
		"ADTMM0000111\r\nADTMM0000222\r\n",
		"\r\r\n\n\t",
		"ADT\x1dMM0001\r",
		"ADTMM0000111\rADTMM0000222\r\r",
		"\x1b\x1bABC\x1b\r",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, input []byte, never bool) {
		pin := PinAsk
		if never {
			pin = PinNever
		}
		clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
		m := loadedModel(pin, clock.Now)
		terminators := 0
		for _, k := range keysFromBytes(input) {
			if k.Type == tea.KeyEnter || k.Type == tea.KeyTab || k.Type == tea.KeyCtrlJ {
				terminators++
			}
			next, _ := m.Update(k)
			m = next.(Model)
			_ = m.View()
		}
		sent := len(m.scans.queue)
		if m.scans.inFlight != nil {
			sent++
		}
		if sent > terminators {
			t.Fatalf("%d scans queued from %d terminators", sent, terminators)
		}
		seen := map[string]bool{}
		all := m.scans.queue
		if m.scans.inFlight != nil {
			all = append(all, *m.scans.inFlight)
		}
		for _, item := range all {
			if seen[item.barcode] {
				t.Fatalf("barcode queued twice: %q", item.barcode)
			}
			seen[item.barcode] = true
			if _, err := validateBarcode(item.barcode); err != nil {
				t.Fatalf("invalid barcode queued: %q: %v", item.barcode, err)
			}
			if item.pin != nil && validatePin(*item.pin) != nil {
				t.Fatal("invalid PIN queued")
			}
		}
	})
}

func TestCRLFSubmitsOnce(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinNever, clock.Now)
	for _, k := range keysFromBytes([]byte("ADTMM0000111\r\nADTMM0000222\r\n")) {
		next, _ := m.Update(k)
		m = next.(Model)
	}
	got := len(m.scans.queue)
	if m.scans.inFlight != nil {
		got++
	}
	if got != 2 || m.status.kind == statusFailure {
		t.Fatalf("queued %d scans, status %+v; want 2 and no failure", got, m.status)
	}
}

func sendKeys(m Model, input string) Model {
	for _, k := range keysFromBytes([]byte(input)) {
		next, _ := m.Update(k)
		m = next.(Model)
	}
	return m
}

func TestRefusedTextIsReplacedByTheNextScan(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinNever, clock.Now)
	tooLong := strings.Repeat("A", 129)
	m = sendKeys(m, tooLong+"\r")
	if m.status.kind != statusFailure || m.form.barcode.Value() != tooLong {
		t.Fatalf("a too-long barcode should be refused and stay visible: status %+v", m.status)
	}
	m = sendKeys(m, "ADTMM0001001\r")
	if m.scans.inFlight == nil || m.scans.inFlight.barcode != "ADTMM0001001" {
		t.Fatalf("the next scan was not sent as itself: in flight %+v, field %q", m.scans.inFlight, m.form.barcode.Value())
	}
	if len(m.scans.failed) != 1 || m.scans.failed[0].barcode != tooLong {
		t.Fatalf("the refused text is not kept for retry: %+v", m.scans.failed)
	}
}

func TestScanBeforeTheOrderLoadsWaitsForIt(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := New(Options{OrderID: seedOrderID, SiteID: "0001", PinPrompt: PinNever, Now: clock.Now})
	if !m.orderLoading {
		t.Fatal("a counter opened on an order starts by loading it")
	}
	m = sendKeys(m, "ADTMM0001001\r")
	if len(m.scans.queue) != 1 || m.scans.inFlight != nil || m.status.kind == statusFailure {
		t.Fatalf("the scan should wait in the queue: queue %d, status %+v", len(m.scans.queue), m.status)
	}
	order := api.Order{ID: seedOrderID, Status: api.OrderInProgress, SiteID: "0001",
		Showtimes: []api.OrderShowtime{{ShowtimeID: "0001-2681"}}}
	next, _ := m.Update(orderLoadedMsg{orderID: seedOrderID, seq: m.loadSeq, resp: &api.OrderResponse{Order: order}})
	m = next.(Model)
	if m.scans.inFlight == nil || m.scans.inFlight.barcode != "ADTMM0001001" || m.scans.inFlight.showtimeID != "0001-2681" {
		t.Fatalf("the waiting scan did not go with the order's showtime: %+v", m.scans.inFlight)
	}
}

func TestNewScanReplacesARestoredFailedScan(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinAsk, clock.Now)
	m.addFailed(failedScan{barcode: "ADTMM0000999", vtype: api.VoucherTicket, reason: "used up"})
	m.restoreFailed("ADTMM0000999")
	if m.form.focus != focusPin || m.form.barcode.Value() != "ADTMM0000999" {
		t.Fatalf("the failed scan is not back in the form: focus %v field %q", m.form.focus, m.form.barcode.Value())
	}
	// The operator scans the next voucher instead of retrying.
	m = sendKeys(m, "ADTMM0000222\r")
	if m.scans.inFlight != nil || len(m.scans.queue) != 0 {
		t.Fatalf("the restored scan was resent without a PIN: %+v", m.scans.inFlight)
	}
	if m.form.barcode.Value() != "ADTMM0000222" || m.form.focus != focusPin || m.form.restored {
		t.Fatalf("the new scan should wait for its PIN: field %q focus %v", m.form.barcode.Value(), m.form.focus)
	}
	if len(m.scans.failed) != 1 {
		t.Fatalf("the failed scan is no longer listed: %+v", m.scans.failed)
	}
}

func TestOneStatusTimerAtATime(t *testing.T) {
	m := loadedModel(PinNever, time.Now)
	var cmds int
	for i := range 3 {
		cmd := m.announce(statusSuccess, fmt.Sprintf("Attached %d", i))
		if cmd != nil {
			cmds++
		}
	}
	if cmds != 1 {
		t.Fatalf("%d status timers started for 3 messages, want 1", cmds)
	}
	// The timer fires for the first message: the newest gets a timer of
	// its own and stays on screen.
	next, cmd := m.Update(statusExpireMsg{seq: m.status.seq - 2})
	m = next.(Model)
	if cmd == nil || m.status.text != "Attached 2" {
		t.Fatalf("newest status %q lost its timer (cmd %v)", m.status.text, cmd)
	}
	next, _ = m.Update(statusExpireMsg{seq: m.status.seq})
	if m = next.(Model); m.status.text != "" {
		t.Fatalf("status %q outlived its timer", m.status.text)
	}
}

func TestOneSpinnerChainAtATime(t *testing.T) {
	m := loadedModel(PinNever, time.Now)
	if m.spin() == nil {
		t.Fatal("the first spin did not start the spinner")
	}
	if m.spin() != nil {
		t.Fatal("a second spinner chain was started")
	}
}

// journalledModel is loadedModel with a journal, for the outcomes that wait
// for its disk.
func journalledModel(t *testing.T) (Model, *journal.Journal) {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	m := loadedModel(PinNever, time.Now)
	m.calls.journal = j
	return m, j
}

// outcome writes an attach outcome line as the attach command does, without
// syncing it.
func outcome(t *testing.T, j *journal.Journal, item scanItem, id string, err error) attachDoneMsg {
	t.Helper()
	line, werr := j.Write(journal.Entry{OrderID: seedOrderID, Action: journal.ActionAttach,
		MaskedBarcode: api.MaskBarcode(item.barcode), Outcome: journal.OutcomeAttached})
	if werr != nil {
		t.Fatal(werr)
	}
	msg := attachDoneMsg{item: item, err: err, line: line}
	if err == nil {
		msg.result = api.AttachResult{Voucher: api.OrderVoucher{ID: id, MaskedBarcode: api.MaskBarcode(item.barcode)}, AvailableRedemptions: 1, Outcome: api.AttachAdded}
	}
	return msg
}

func TestOutcomesWaitForTheJournalWhileTheNextScanGoes(t *testing.T) {
	m, j := journalledModel(t)
	m = sendKeys(m, "ADTMM0001001\rADTMM0001002\r")
	first := *m.scans.inFlight
	next, _ := m.Update(outcome(t, j, first, "v1", nil))
	m = next.(Model)
	if m.scans.inFlight == nil || m.scans.inFlight.barcode != "ADTMM0001002" {
		t.Fatalf("the next scan did not go out while the first outcome waited for the disk: %+v", m.scans.inFlight)
	}
	if m.vouchers.len() != 0 || strings.Contains(m.status.text, "Attached") {
		t.Fatalf("an outcome was reported before it was on disk: %q", m.status.text)
	}
	m.scans.inFlight, m.scans.queue = nil, nil
	if m.cannotLeave() == "" {
		t.Fatal("the screen may switch orders while an outcome of this one waits for the disk")
	}
	next, _ = m.Update(journalSyncedMsg{err: j.Sync()})
	m = next.(Model)
	if m.vouchers.len() != 1 || !strings.Contains(m.status.text, "Attached AD......1001") || len(m.scans.unsynced) != 0 {
		t.Fatalf("the synced outcome was not reported: list %d, status %q", m.vouchers.len(), m.status.text)
	}
}

func TestARefusalWaitingForTheJournalHoldsTheQueue(t *testing.T) {
	m, j := journalledModel(t)
	m = sendKeys(m, "ADTMM0001001\rADTMM0001002\r")
	first := *m.scans.inFlight
	next, _ := m.Update(outcome(t, j, first, "", &api.Error{Op: "add voucher", Status: 404, Kind: api.KindNotFound}))
	m = next.(Model)
	if m.scans.inFlight != nil {
		t.Fatalf("a scan went out while a refusal was unreported: %+v", m.scans.inFlight)
	}
	next, _ = m.Update(journalSyncedMsg{err: j.Sync()})
	m = next.(Model)
	if !m.orderGone || len(m.scans.failed) != 2 {
		t.Fatalf("after the order ended both scans should be kept for retry: gone %v, failed %+v", m.orderGone, m.scans.failed)
	}
}

func TestAFailedSyncStopsAttaching(t *testing.T) {
	m, j := journalledModel(t)
	m = sendKeys(m, "ADTMM0001001\r")
	first := *m.scans.inFlight
	next, _ := m.Update(outcome(t, j, first, "v1", nil))
	m = next.(Model)
	next, _ = m.Update(journalSyncedMsg{err: errors.New("disk gone")})
	m = next.(Model)
	if m.scans.journalBroken == nil || m.vouchers.len() != 1 || len(m.scans.failed) != 0 {
		t.Fatalf("an attached voucher whose outcome could not be saved: broken %v, list %d, failed %+v",
			m.scans.journalBroken, m.vouchers.len(), m.scans.failed)
	}
	if m.status.kind != statusFailure || !strings.Contains(m.status.text, "journal cannot be written") {
		t.Fatalf("status = %+v", m.status)
	}
}

// No scan leaves the "Not attached" list without a word: the list says how
// many it holds, how many it does not show, and how many it let go.
func TestNotAttachedSaysWhatItDoesNotShow(t *testing.T) {
	m := loadedModel(PinNever, time.Now)
	m.addFailed(failedScan{barcode: "ADTMM0000999", vtype: api.VoucherTicket, reason: "used up"})
	if view := m.View(); !strings.Contains(view, "Not attached (1) · ctrl+r") {
		t.Fatalf("one failed scan:\n%s", view)
	}
	for i := range maxFailedShown + 3 {
		m.addFailed(failedScan{barcode: fmt.Sprintf("ADTMM%07d", i), vtype: api.VoucherTicket, reason: "used up"})
	}
	want := fmt.Sprintf("Not attached (%d, %d not shown, 4 older no longer kept)", maxFailedShown, maxFailedShown-m.failedRows(m.innerWidth()))
	if view := m.View(); !strings.Contains(view, want) {
		t.Fatalf("the screen does not say what it let go; want %q in:\n%s", want, view)
	}
}

// A scan refused for a control character comes back with ctrl+r still
// refused: what the field kept of it is not the barcode that was scanned.
func TestRetriedScanWithAControlCharacterIsStillRefused(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinNever, clock.Now)
	m = sendKeys(m, "ADT\x1dMM0001\r")
	if !strings.Contains(m.status.text, "a character that cannot be sent") {
		t.Fatalf("status = %q", m.status.text)
	}
	m = sendKeys(m, "ADTMM0001002\r") // the next scan replaces it; it is listed
	next, _ := m.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	m = next.(Model)
	if m.form.barcode.Value() != "ADTMM0001" {
		t.Fatalf("ctrl+r brought back %q", m.form.barcode.Value())
	}
	queued := len(m.scans.queue)
	m = sendKeys(m, "\r")
	if len(m.scans.queue) != queued || !strings.Contains(m.status.text, "a character that cannot be sent") {
		t.Fatalf("the retried scan was sent without its control character: queue %d, status %q", len(m.scans.queue), m.status.text)
	}
}

// With no PIN step, a failed scan comes back into the barcode field; the
// next scan typed over it takes the field whole instead of joining it, and
// the failed one stays listed.
func TestNextScanTakesTheFieldFromARestoredScan(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinNever, clock.Now)
	m.addFailed(failedScan{barcode: "ADTMM0000999", vtype: api.VoucherTicket, reason: "no answer"})
	m.restoreFailed("ADTMM0000999")
	m = sendKeys(m, "ADTMM0000222")
	if got := m.form.barcode.Value(); got != "ADTMM0000222" {
		t.Fatalf("barcode field holds %q after the next scan, want that scan alone", got)
	}
	if !strings.Contains(m.View(), "AD......0999") {
		t.Fatalf("the failed scan is no longer listed:\n%s", m.View())
	}
}
