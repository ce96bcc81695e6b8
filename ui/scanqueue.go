package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
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

// take queues a scan the form and the order have accepted.
func (q *scanQueue) take(item scanItem, now time.Time) {
	q.lastScan[item.barcode] = now
	q.scanSeq++
	item.seq = q.scanSeq
	q.queue = append(q.queue, item)
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
				q.addFailed(failedScan{barcode: item.barcode, vtype: item.vtype, reason: "the order has no showtime for a Ticket voucher"})
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
	}
	q.queue = nil
}

func (q *scanQueue) addFailed(f failedScan) {
	q.removeFailed(f.barcode)
	q.failed = append(q.failed, f)
	if len(q.failed) > maxFailedShown {
		q.failed = q.failed[len(q.failed)-maxFailedShown:]
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
func (m Model) handleScanMsg(msg tea.Msg) (tea.Model, tea.Cmd) {
	settled, sync := m.scans.Update(msg, m.journal)
	cmds := []tea.Cmd{sync}
	if _, ok := msg.(attachDoneMsg); ok && len(settled) == 0 {
		// Held for the disk: the next scan may go meanwhile.
		return m, tea.Batch(sync, m.startNext())
	}
	for _, outcome := range settled {
		next, cmd := m.report(outcome)
		m = next.(Model)
		cmds = append(cmds, cmd, m.startNext())
		if m.scans.idle() && !m.orderGone && !m.orderLoading {
			cmds = append(cmds, m.loadOrder())
		}
	}
	return m, tea.Batch(cmds...)
}

// startNext sends the next scan, if the pipeline and the order allow.
func (m *Model) startNext() tea.Cmd {
	if m.order == nil {
		return nil
	}
	before := len(m.scans.failed)
	item, ok := m.scans.next(m.currentShowtimeID)
	if len(m.scans.failed) != before {
		m.layout()
	}
	if !ok {
		return nil
	}
	cmd := attachCmd(m.client, m.journal, m.orderID, item, m.vouchers.ids())
	return tea.Batch(cmd, m.spin())
}
