package ui

import (
	"time"

	"github.com/boxoffice/boxoffice/api"
)

// maxFailedKept bounds the scans kept under "Not attached" for retry.
const maxFailedKept = 50

// duplicateScanWindow is how long a second scan of the same barcode counts
// as the scanner firing twice rather than a new intent.
const duplicateScanWindow = 3 * time.Second

// scanQueue is a customer's scan pipeline: it owns every scan from the
// moment the form hands it over until its outcome is on disk and may be
// reported. It sends one scan at a time, in the order they were made, and
// holds each outcome until the journal has it, so nothing is reported that a
// crash could lose. It also keeps what is known of barcodes on this order:
// attached, blocked, recently submitted, and the scans that failed.
type scanQueue struct {
	queue    []sending
	inFlight *sending
	seq      int
	// unsynced holds outcomes waiting for the journal's disk, in scan
	// order; syncing is set while a sync for them runs.
	unsynced []attachDoneMsg
	syncing  bool

	failed []failedScan
	// dropped counts the failed scans let go to keep the list bounded.
	dropped int
	// attached maps full barcodes attached to voucher ids; it is held in
	// memory only, to refuse a second scan of the same voucher.
	attached map[string]string
	// lastScan is when each barcode was last taken, to absorb a scanner
	// that fires twice.
	lastScan map[string]time.Time
	// blocked holds when a block ends for a barcode.
	blocked map[string]time.Time
}

func newScanQueue(attached map[string]string) *scanQueue {
	if attached == nil {
		attached = map[string]string{}
	}
	return &scanQueue{attached: attached, lastScan: map[string]time.Time{}, blocked: map[string]time.Time{}}
}

// sending reports whether scans are queued, in flight or waiting for the
// journal.
func (q *scanQueue) sending() bool {
	return q.inFlight != nil || len(q.queue) > 0 || len(q.unsynced) > 0
}

// take queues a scan.
func (q *scanQueue) take(s sending, now time.Time) sending {
	q.lastScan[s.Barcode] = now
	q.seq++
	s.seq = q.seq
	q.queue = append(q.queue, s)
	return s
}

// waitingLast reports whether the scan taken last is still in the queue.
// A scan joins at the end and leaves from the front, so it is there as long
// as it is the last one: a burst does not pay for its queue's length.
func (q *scanQueue) waitingLast(seq int) bool {
	return len(q.queue) > 0 && q.queue[len(q.queue)-1].seq == seq
}

// holding reports whether a barcode is on its way: queued, in flight, or
// waiting for the journal.
func (q *scanQueue) holding(barcode string) bool {
	if q.inFlight != nil && q.inFlight.Barcode == barcode {
		return true
	}
	for _, s := range q.queue {
		if s.Barcode == barcode {
			return true
		}
	}
	for _, u := range q.unsynced {
		if u.scan.Barcode == barcode && u.err == nil {
			return true
		}
	}
	return false
}

// next takes the oldest queued scan off the queue to send it, when nothing
// else is in flight and no refusal waits to be reported (what it means, an
// ended order say, may change what comes next).
func (q *scanQueue) next() (sending, bool) {
	if q.inFlight != nil || len(q.queue) == 0 {
		return sending{}, false
	}
	for _, u := range q.unsynced {
		if u.err != nil {
			return sending{}, false
		}
	}
	s := q.queue[0]
	q.queue = q.queue[1:]
	q.inFlight = &s
	return s, true
}

// answered takes a scan's answer: it is settled at once when its line is on
// disk, else it waits for a sync (and the caller starts one).
func (q *scanQueue) answered(msg attachDoneMsg, synced bool) (settled []attachDoneMsg, needSync bool) {
	if q.inFlight != nil && q.inFlight.seq == msg.scan.seq {
		q.inFlight = nil
	}
	if msg.line > 0 && msg.journalErr == nil && !synced {
		q.unsynced = append(q.unsynced, msg)
		return nil, !q.syncing
	}
	return []attachDoneMsg{msg}, false
}

// synced takes a journal sync's answer: the outcomes now on disk are
// settled, in scan order; needSync says some are still waiting.
func (q *scanQueue) synced(err error, isSynced func(uint64) bool) (settled []attachDoneMsg, needSync bool) {
	q.syncing = false
	pending := q.unsynced
	q.unsynced = nil
	for i, p := range pending {
		if err != nil {
			p.journalErr = err
		} else if !isSynced(p.line) {
			q.unsynced = append(q.unsynced, pending[i:]...)
			break
		}
		p.line = 0
		settled = append(settled, p)
	}
	return settled, len(q.unsynced) > 0
}

// drain empties the queue and returns what was in it: nothing more is sent
// (an ended order, a journal that cannot be written, quitting).
func (q *scanQueue) drain() []sending {
	out := q.queue
	q.queue = nil
	return out
}

// failedScan is a scan the counter could not attach. It stays listed so the
// operator can retry it; its PIN is not kept.
type failedScan struct {
	barcode    string
	vtype      api.VoucherType
	showtimeID string
	reason     string
	// blockedUntil is when a block ends; the list counts down to it.
	// blockNote says what started it, when the server said.
	blockedUntil time.Time
	blockNote    string
	// tainted is set for a scan that carried a character the text field
	// dropped: what is kept of it is not the barcode scanned.
	tainted bool
	// orderEnded is set for a scan the order could not take because it
	// ended: the next customer's order takes it over.
	orderEnded bool
	// rightType is the type the server said the voucher is, when it
	// refused it as another: ctrl+r brings it back as that.
	rightType api.VoucherType
}

func (q *scanQueue) addFailed(f failedScan) {
	q.removeFailed(f.barcode)
	q.failed = append(q.failed, f)
	if over := len(q.failed) - maxFailedKept; over > 0 {
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

func (q *scanQueue) failedScan(barcode string) (failedScan, bool) {
	for _, f := range q.failed {
		if f.barcode == barcode {
			return f, true
		}
	}
	return failedScan{}, false
}
