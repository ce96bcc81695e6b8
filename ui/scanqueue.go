package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/journal"
)

// maxFailedShown bounds the failed-scan list kept for retry.
const maxFailedShown = 50

// scanQueue is the scan pipeline: it owns every scan from the moment the form
// hands it over (take) until its outcome is on disk and may be reported. It
// sends one scan at a time, in the order they were made, and holds each
// outcome until the journal has it (Update), so nothing is reported that a
// crash could lose. It also keeps what is known about barcodes in this run:
// attached, blocked, recently submitted, and the scans that failed.
type scanQueue struct {
	queue    []scanItem
	inFlight *scanItem
	scanSeq  int
	// unsynced holds outcomes waiting for the journal's disk, in scan
	// order; syncing is set while a sync for them runs.
	unsynced []attachDoneMsg
	syncing  bool

	failed []failedScan
	// dropped counts the failed scans let go to keep the list bounded, so
	// the screen can say so.
	dropped int
	// attached maps full barcodes attached in this run to voucher ids; it is
	// held in memory only, to refuse a second scan of the same voucher.
	attached map[string]string
	// lastScan is when each barcode was last submitted, to absorb a
	// scanner that fires twice.
	lastScan map[string]time.Time
	// blocked holds when a 429 block ends for a barcode.
	blocked map[string]time.Time
	// journalBroken stops all attaching: records must never be lost.
	journalBroken error
	// unsent are scans that left the queue without being sent, until the
	// journal has a line for each.
	unsent []unsentScan
}

// unsentScan is a scan taken off the queue unsent, and why.
type unsentScan struct {
	item   scanItem
	reason string
}

func newScanQueue() *scanQueue {
	return &scanQueue{
		attached: map[string]string{},
		lastScan: map[string]time.Time{},
		blocked:  map[string]time.Time{},
	}
}

// sending reports whether scans are queued, in flight or waiting for the
// journal: while they are, the screen's drawings are paced.
func (q *scanQueue) sending() bool {
	return q.inFlight != nil || len(q.queue) > 0 || len(q.unsynced) > 0
}

// idle reports whether the pipeline has nothing left to do.
func (q *scanQueue) idle() bool { return !q.sending() }

// take queues a scan the form and the order have accepted, and returns it
// as queued.
func (q *scanQueue) take(item scanItem, now time.Time) scanItem {
	q.lastScan[item.barcode] = now
	q.scanSeq++
	item.seq = q.scanSeq
	q.queue = append(q.queue, item)
	return item
}

// waitingLast reports whether the scan taken last is still in the queue.
// A scan joins at the end and leaves from the front, so it is there as long
// as it is the last one: a burst does not pay for its queue's length.
func (q *scanQueue) waitingLast(seq int) bool {
	return len(q.queue) > 0 && q.queue[len(q.queue)-1].seq == seq
}

// next takes the oldest queued scan off the queue to send it, when nothing
// else is in flight and no refusal waits to be reported (what it means, an
// ended order say, may change what comes next). A Ticket voucher scanned
// before the order had loaded gets the showtime chosen now; without one it
// is listed as failed and the next scan is tried.
func (q *scanQueue) next(showtimeID func() string) (item scanItem, ok bool) {
	if q.inFlight != nil {
		return scanItem{}, false
	}
	for _, u := range q.unsynced {
		if u.err != nil {
			return scanItem{}, false
		}
	}
	for len(q.queue) > 0 {
		item = q.queue[0]
		q.queue = q.queue[1:]
		if item.vtype == api.VoucherTicket && item.showtimeID == "" {
			item.showtimeID = showtimeID()
			if item.showtimeID == "" {
				reason := "the order has no showtime for a Ticket voucher"
				q.addFailed(failedScan{barcode: item.barcode, vtype: item.vtype, reason: reason})
				q.unsent = append(q.unsent, unsentScan{item, reason})
				continue
			}
		}
		q.inFlight = &item
		return item, true
	}
	return scanItem{}, false
}

// Update handles the pipeline's own messages: a scan's answer and a journal
// sync. It returns, in scan order, the outcomes now safe to report, and the
// sync to run for those that are not yet on disk. A good outcome waiting for
// the disk lets the next scan go out meanwhile, so a burst of scans shares
// fsyncs instead of waiting for one each.
// j is the journal the outcomes were written to.
func (q *scanQueue) Update(msg tea.Msg, j *journal.Journal) (settled []attachDoneMsg, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case attachDoneMsg:
		if q.inFlight != nil && q.inFlight.seq == msg.item.seq {
			q.inFlight = nil
		}
		if msg.line > 0 && msg.journalErr == nil && !j.Synced(msg.line) {
			q.unsynced = append(q.unsynced, msg)
			return nil, q.sync(j)
		}
		return []attachDoneMsg{msg}, nil
	case journalSyncedMsg:
		q.syncing = false
		pending := q.unsynced
		q.unsynced = nil
		for i, p := range pending {
			if msg.err != nil {
				p.journalErr = msg.err
			} else if !j.Synced(p.line) {
				q.unsynced = append(q.unsynced, pending[i:]...)
				break
			}
			p.line = 0
			settled = append(settled, p)
		}
		if len(q.unsynced) > 0 {
			cmd = q.sync(j)
		}
		return settled, cmd
	}
	return nil, nil
}

// sync starts a journal sync unless one is running: it will cover every line
// written before it started, and is run again for any left over.
func (q *scanQueue) sync(j *journal.Journal) tea.Cmd {
	if q.syncing {
		return nil
	}
	q.syncing = true
	return syncJournalCmd(j)
}

// stopAll lists the queued scans as failed for reason and empties the queue:
// nothing more is sent (a journal that cannot be written, an ended order).
func (q *scanQueue) stopAll(reason string) {
	for _, item := range q.queue {
		q.addFailed(failedScan{barcode: item.barcode, vtype: item.vtype, showtimeID: item.showtimeID, reason: reason})
		q.unsent = append(q.unsent, unsentScan{item, reason})
	}
	q.queue = nil
}

func (q *scanQueue) addFailed(f failedScan) {
	q.removeFailed(f.barcode)
	q.failed = append(q.failed, f)
	if over := len(q.failed) - maxFailedShown; over > 0 {
		q.failed = q.failed[over:]
		q.dropped += over
	}
}

// removeFailed reports whether the barcode was listed.
func (q *scanQueue) removeFailed(barcode string) bool {
	for i := range q.failed {
		if q.failed[i].barcode == barcode {
			q.failed = append(q.failed[:i], q.failed[i+1:]...)
			return true
		}
	}
	return false
}

// handleScanMsg routes the pipeline's messages to it and reports each outcome
// it settles, in scan order, sending the next scan after each as the queue
// allows. Once the queue has drained the order is read back, so tickets and
// totals match the server.
func (m *Model) handleScanMsg(msg tea.Msg) tea.Cmd {
	settled, sync := m.scans.Update(msg, m.calls.journal)
	cmds := []tea.Cmd{sync}
	if _, ok := msg.(attachDoneMsg); ok && len(settled) == 0 {
		// Held for the disk: the next scan may go meanwhile.
		return tea.Batch(sync, m.startNext())
	}
	for _, outcome := range settled {
		cmd := m.report(outcome)
		cmds = append(cmds, cmd, m.startNext())
		if m.scans.idle() && !m.orderGone && !m.orderLoading {
			cmds = append(cmds, m.loadOrder())
		}
	}
	return tea.Batch(cmds...)
}

// startNext sends the next scan, if the pipeline and the order allow.
func (m *Model) startNext() tea.Cmd {
	if m.order == nil {
		return nil
	}
	before := len(m.scans.failed)
	item, ok := m.scans.next(m.scanShowtimeID)
	if len(m.scans.failed) != before {
		m.layout()
	}
	if !ok {
		return nil
	}
	cmd := m.calls.attach(m.orderID, item, m.knownVoucherIDs(), m.vouchers.othersAdding)
	return tea.Batch(cmd, m.spin())
}

// failedScan is a scan the app could not attach. It stays listed so the
// operator can retry it; its PIN is not kept.
type failedScan struct {
	barcode    string
	vtype      api.VoucherType
	showtimeID string
	reason     string
	// blockedUntil is when a too-many-attempts block ends; the list counts
	// down to it. blockNote says what started it, when the server said.
	blockedUntil time.Time
	blockNote    string
	// tainted is set for a scan that carried a character the text field
	// dropped: what is kept of it is not the barcode scanned.
	tainted bool
}

// describe says why the scan is listed, counting down a block.
func (f failedScan) describe(now time.Time) string {
	if f.blockedUntil.IsZero() {
		return f.reason
	}
	if passed(f.blockedUntil, now) {
		return "block ended, ctrl+r to retry"
	}
	text := "blocked until " + f.blockedUntil.Local().Format("15:04:05") + " (" + untilText(f.blockedUntil, now) + ")"
	if f.blockNote != "" {
		text = f.blockNote + "; " + text
	}
	return text
}

// report puts a settled outcome on screen: the voucher listed, or the scan
// kept for retry with the reason, and the status line saying which.
func (m *Model) report(msg attachDoneMsg) tea.Cmd {
	item := msg.item
	masked := api.MaskBarcode(item.barcode)
	now := m.now()
	var cmds []tea.Cmd

	if msg.journalErr != nil {
		m.scans.journalBroken = msg.journalErr
		// Keep the scan and everything behind it for after the fix.
		m.addFailed(failedScan{barcode: item.barcode, vtype: item.vtype, showtimeID: item.showtimeID, reason: "journal cannot be written"})
		m.scans.stopAll("journal cannot be written")
		if msg.err == nil && msg.result.Voucher.ID != "" {
			// On the order, though not in the journal: listed as attached,
			// not as a scan to retry.
			m.removeFailed(item.barcode)
			m.scans.attached[item.barcode] = msg.result.Voucher.ID
			m.noteVoucherShowtime(item, msg.result.Voucher.ID)
			m.addVoucher(msg.result.Voucher, msg.result.AvailableRedemptions)
		}
		return m.outcome(statusFailure, "Attaching stopped: the journal cannot be written ("+msg.journalErr.Error()+"). Fix it and restart.")
	}

	if v, ok := m.listedAsThisScan(item, msg.err); ok {
		// Attached before: by another counter, a script, or this counter
		// before it restarted. It is listed above, so it is no failure.
		m.removeFailed(item.barcode)
		m.scans.attached[item.barcode] = v.ID
		return m.announce(statusWarning, "Voucher "+masked+" is already on this order (listed above): it was attached before, so nothing more is needed.")
	}
	if msg.err != nil {
		reason := describeError("Voucher "+masked, msg.err, now)
		e := api.AsError(msg.err)
		failed := failedScan{barcode: item.barcode, vtype: item.vtype, showtimeID: item.showtimeID, reason: desk.OutcomeOf(msg.err)}
		var words func(time.Time) string
		switch {
		case e != nil && !e.BlockedUntil.IsZero():
			// Blocked by a 429, or by the refusal of its last wrong PIN:
			// the line and the list count down to the end of the block.
			m.scans.blocked[item.barcode] = e.BlockedUntil
			failed.blockedUntil = e.BlockedUntil
			lead := "Voucher " + masked + ": too many attempts."
			if e.Kind == api.KindRejected {
				failed.blockNote = "wrong PIN"
				lead = refusalBlockLead("Voucher "+masked, e)
			}
			words = blockedWords(masked, lead, e.BlockedUntil)
		case e != nil && e.Message != "":
			failed.reason = reasonAbout(e, "voucher "+masked)
		}
		// A failed scan may be retried at once: it is not a double scan.
		delete(m.scans.lastScan, item.barcode)
		m.addFailed(failed)
		if api.KindOf(msg.err) == api.KindNotFound {
			m.markOrderGone("")
		} else if m.form.focus == focusBarcode && m.form.barcode.Value() == "" && len(m.scans.queue) == 0 && pinMayHelp(msg.err) {
			// Nothing else is being typed, and a PIN typed again may get it
			// on: put the scan back in the form for it. Any other refusal
			// leaves the barcode field waiting for the next scan.
			m.restoreFailed(item.barcode)
		}
		cmd := m.outcome(statusFailure, reason+takenAs(item))
		if words != nil {
			cmd = tea.Batch(m.announceLive(statusFailure, words), m.record(statusFailure, words(now)+takenAs(item)))
		}
		cmds = append(cmds, cmd)
	} else {
		m.scans.attached[item.barcode] = msg.result.Voucher.ID
		m.noteVoucherShowtime(item, msg.result.Voucher.ID)
		m.addVoucher(msg.result.Voucher, msg.result.AvailableRedemptions)
		text := "Attached " + masked
		if d := msg.result.Voucher.VoucherTypeDescription; d != "" {
			text += " (" + d + ")"
		}
		if msg.result.AvailableRedemptions >= 0 {
			text += ": " + remainingText(msg.result.AvailableRedemptions)
		}
		if msg.result.Recovered {
			text += ". The first answer was lost; the order shows it once."
		}
		text += takenAs(item)
		cmd := m.outcome(statusSuccess, text)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// takenAs says which voucher type a prefix made a scan, so that a wrong
// entry in voucher_prefixes shows itself.
func takenAs(item scanItem) string {
	if item.prefix == "" {
		return ""
	}
	return " (sent as " + string(item.vtype) + " by its prefix " + item.prefix + ")"
}

func remainingText(n int) string {
	switch n {
	case 0:
		return "none remaining"
	case 1:
		return "1 remaining"
	}
	return itoa(n) + " remaining"
}

func (m *Model) addVoucher(v api.OrderVoucher, available int) {
	if available >= 0 {
		m.vouchers.redemptions[v.ID] = available
	}
	m.vouchers.upsert(v)
	// A new voucher may pay for tickets: give it its rows in the panel.
	m.syncTickets(false)
}

// addFailed and removeFailed change the "Not attached" list, whose height
// the layout counts.
func (m *Model) addFailed(f failedScan) {
	m.scans.addFailed(f)
	m.layout()
}

func (m *Model) removeFailed(barcode string) {
	if m.scans.removeFailed(barcode) {
		m.layout()
	}
}

func (m Model) queueLines(w int) []string {
	s := m.styles
	var lines []string
	if m.scans.inFlight != nil || len(m.scans.queue) > 0 {
		line := ""
		if m.scans.inFlight != nil {
			line = m.status.spinner.View() + " Sending " + api.MaskBarcode(m.scans.inFlight.barcode)
		}
		if len(m.scans.queue) > 0 {
			waiting := make([]string, 0, min(len(m.scans.queue), 6))
			for i, q := range m.scans.queue {
				if i == 6 {
					break
				}
				waiting = append(waiting, api.MaskBarcode(q.barcode))
			}
			more := ""
			if len(m.scans.queue) > 6 {
				more = fmt.Sprintf(" +%d", len(m.scans.queue)-6)
			}
			line += s.Pending.Render(fmt.Sprintf("  %d waiting: %s%s", len(m.scans.queue), strings.Join(waiting, " "), more))
		}
		lines = append(lines, strings.TrimLeft(line, " "))
	}
	return append(lines, m.notAttachedLines(w)...)
}

// quitKey is ctrl+c. With scans still on their way, or an order in
// progress, it asks first, as the other questions do; the second press
// quits, and every scan still waiting is written to the journal as
// abandoned, so none is gone without a trace. The scan being sent has its
// attempt in the journal already: its outcome is what the next start finds
// on the order.
func (m *Model) quitKey() tea.Cmd {
	question := m.quitQuestion()
	if question == "" {
		return tea.Quit
	}
	if !m.armed(confirmQuit, "") {
		return m.ask(confirmQuit, api.OrderVoucher{}, question)
	}
	for _, item := range m.scans.queue {
		m.journalWaiting(item, journal.OutcomeAbandoned, "not sent: the counter was quit")
	}
	m.scans.queue = nil
	// Quitting goes on even if the disk fails now: the operator asked twice.
	_ = m.calls.journal.Sync()
	return tea.Quit
}

// knownVoucherIDs are the vouchers this counter knows to be on the order:
// those listed, and those whose outcome waits for the journal's disk. A lost
// answer is read against them, so a voucher of our own not yet on screen is
// not taken for another writer's.
func (m *Model) knownVoucherIDs() []string {
	ids := m.vouchers.ids()
	waiting := m.unlistedOwnVoucherIDs()
	if len(waiting) == 0 {
		return ids
	}
	return append(slices.Clone(ids), waiting...)
}

// unlistedOwnVoucherIDs are the vouchers this counter attached whose
// outcome waits for the journal's disk, and so is not listed yet.
func (m *Model) unlistedOwnVoucherIDs() []string {
	var waiting []string
	for _, u := range m.scans.unsynced {
		if u.err == nil && u.result.Voucher.ID != "" {
			waiting = append(waiting, u.result.Voucher.ID)
		}
	}
	return waiting
}

// journalWaiting writes a line for a scan that waits, or waited, in the
// queue: queued when it cannot go at once, so that a program killed before
// its turn still leaves a trace of it; abandoned when it leaves the queue
// unsent. A failure to write changes nothing here: the next attempt line
// fails too, and that stops attaching.
func (m *Model) journalWaiting(item scanItem, outcome, message string) {
	if item.orderID == "" {
		return
	}
	_, _ = m.calls.journal.Write(journal.Entry{OrderID: item.orderID, Action: journal.ActionAttach,
		MaskedBarcode: api.MaskBarcode(item.barcode), VoucherType: string(item.vtype), Outcome: outcome, Message: message})
}

// journalUnsent writes a line for each scan that left the queue unsent.
func (m *Model) journalUnsent() {
	for _, u := range m.scans.unsent {
		m.journalWaiting(u.item, journal.OutcomeAbandoned, "not sent: "+u.reason)
	}
	m.scans.unsent = nil
}

// listedAsThisScan finds the listed voucher a refusal is about when the
// server says the voucher is already on the order: the one listed with the
// scan's type and masked barcode. Two such (look-alikes) leave it a refusal.
func (m *Model) listedAsThisScan(item scanItem, err error) (api.OrderVoucher, bool) {
	e := api.AsError(err)
	if e == nil || e.Kind != api.KindRejected || e.Code != api.CodeVoucherAlreadyOnOrder {
		return api.OrderVoucher{}, false
	}
	masked := api.MaskBarcode(item.barcode)
	var found []api.OrderVoucher
	for _, v := range m.vouchers.items {
		if v.MaskedBarcode == masked && (v.Type == "" || v.Type == item.vtype) {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		return api.OrderVoucher{}, false
	}
	return found[0], true
}
