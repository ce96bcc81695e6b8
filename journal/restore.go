package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// VoucherState is the last thing the journal knows about one voucher on an order.
type VoucherState struct {
	VoucherID     string
	MaskedBarcode string
	VoucherType   string
	// AvailableRedemptions is nil when no outcome for the voucher carried it.
	AvailableRedemptions *int
	// Removed is true when the voucher's last known outcome is its removal.
	Removed bool
	// Time is when the last outcome for the voucher was recorded.
	Time time.Time
}

// maxLine bounds one line in memory. Real entries are a few hundred bytes;
// a longer line is damage and is skipped, not a reason to give up.
const maxLine = 1 << 20

// restoreHorizon is how far before an order's earliest line (or before now,
// for an order the journal has not seen) Restore reads. An order takes
// vouchers only while it is in progress, and Vista releases an order in
// progress after its expiry, minutes to a few hours; its completion is
// followed up within minutes. So every line of an order lies within hours
// of its others, and of now while it is still open. A day leaves room for
// a clock set wrong by a time zone, or moved by an hour in spring.
const restoreHorizon = 24 * time.Hour

// Restore reads the journal at path and returns, per voucher id, the last
// known state of each voucher of orderID, in the order lines were written
// (not by their timestamps, which a clock change could reorder).
//
// It reads the current file and the rotated files beside it, newest first,
// and stops after the first file that begins more than restoreHorizon
// before the order's earliest line, or before now when none was found:
// lines older than that cannot be the order's, so the cost of a restore is
// that of the last day or two, however long the counter has been in
// service. An order whose every line is older than that (a completed
// order opened again days later) restores nothing; the server's order is
// then all there is, as for an order attached from another counter.
//
// A missing file is an empty journal. A torn last line (a crash mid-write),
// malformed lines and overlong lines are skipped. Attempts, rejections and
// failures leave the state as it was: only attached, already_attached and
// removed outcomes that name a voucher change it.
func Restore(path, orderID string) (map[string]VoucherState, error) {
	states, _, err := restore(path, orderID, time.Now())
	return states, err
}

// restore is Restore at now, also saying which files it read.
func restore(path, orderID string, now time.Time) (states map[string]VoucherState, read []string, err error) {
	if orderID == "" {
		return nil, nil, fmt.Errorf("audit journal %s: no order id to restore vouchers for", path)
	}
	// The id as it appears encoded in a line: most lines of a long journal
	// belong to other orders and are passed over without decoding.
	needle, err := json.Marshal(orderID)
	if err != nil {
		return nil, nil, fmt.Errorf("audit journal %s: order id %q cannot be searched for: %w", path, orderID, err)
	}
	files, err := walkFiles(path, true, "", "the order's vouchers must be checked on the server: "+
		"fix the file's permissions or choose another journal path")
	if err != nil {
		return nil, nil, err
	}
	defer files.close()

	// Files are read newest first, so that the walk can stop. Each file's
	// lines are folded in the order they were written, and each older
	// file's states fill in only what the newer ones left unknown: every
	// field of a state is that of its newest line that has one.
	earliest := now
	r := bufio.NewReaderSize(nil, 64<<10)
	var long []byte
	for files.next() {
		f := files.current()
		read = append(read, f.Name())
		r.Reset(f)
		rf := restoreFile{orderID: orderID, needle: needle[1 : len(needle)-1]}
		for {
			line, tooLong, err := readLine(r, &long)
			if !tooLong && len(line) > 0 {
				rf.take(line)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, nil, fmt.Errorf("audit journal %s: reading failed: %w; "+
					"the order's vouchers must be checked on the server", f.Name(), err)
			}
		}
		states = fillIn(states, rf.fold())
		if !rf.earliest.IsZero() {
			earliest = minTime(earliest, rf.earliest)
		}
		if !rf.begun.IsZero() && rf.begun.Before(earliest.Add(-restoreHorizon)) {
			break
		}
	}
	if err := files.err; err != nil {
		return nil, nil, err
	}
	if states == nil {
		states = make(map[string]VoucherState)
	}
	return states, read, nil
}

// restoreFile is what a restore takes from one file: the lines that change
// a voucher's state, decoded, kept until the file is read so that the
// states are built knowing how many there are (a map grown one voucher at
// a time cost a fifth of a restore at 10,000 vouchers).
type restoreFile struct {
	orderID string
	needle  []byte // the encoded order id, without its quotes
	// begun is the time of the file's first line; earliest that of its
	// first line of the order.
	begun, earliest time.Time
	e               restoreLine
	// changes come in blocks that are never copied: a slice grown by
	// doubling copied each change twice on average.
	changes [][]stateChange
	n       int
}

// stateChange is one line that changes a voucher's state.
type stateChange struct {
	time                      time.Time
	voucherID, barcode, vtype string
	removed                   bool
	hasRedemptions            bool
	redemptions               int
}

func (rf *restoreFile) take(line []byte) {
	if rf.begun.IsZero() {
		rf.begun, _ = decodeTime(line)
	}
	if !containsQuoted(line, rf.needle) {
		return
	}
	// Half an order's lines are attempts: of them, only the first line's
	// time is wanted.
	changes := mayChangeState(line)
	if !changes && !rf.earliest.IsZero() {
		return
	}
	e := &rf.e
	if !decodeRestoreLine(line, e) || string(e.orderID) != rf.orderID {
		return
	}
	if rf.earliest.IsZero() {
		rf.earliest = e.time
	}
	if !changes || len(e.voucherID) == 0 {
		return
	}
	c := stateChange{time: e.time, hasRedemptions: e.hasRedemptions, redemptions: e.redemptions}
	switch string(e.outcome) {
	case OutcomeAttached, OutcomeAlreadyAttached:
	case OutcomeRemoved:
		c.removed, c.hasRedemptions = true, false
	default:
		return
	}
	c.voucherID = string(e.voucherID)
	c.barcode = string(e.maskedBarcode)
	if len(e.vtype) > 0 {
		c.vtype = voucherType(e.vtype)
	}
	if k := len(rf.changes); k == 0 || len(rf.changes[k-1]) == cap(rf.changes[k-1]) {
		// Small first, as most orders have a few vouchers.
		size := 1024
		if k == 0 {
			size = 32
		}
		rf.changes = append(rf.changes, make([]stateChange, 0, size))
	}
	last := &rf.changes[len(rf.changes)-1]
	*last = append(*last, c)
	rf.n++
}

// fold applies the file's changes in the order they were written. A
// removal leaves what the voucher could pay for as it was; the barcode and
// type are the last ones given.
func (rf *restoreFile) fold() map[string]VoucherState {
	if rf.n == 0 {
		return nil
	}
	counts := 0
	for _, block := range rf.changes {
		for _, c := range block {
			if c.hasRedemptions {
				counts++
			}
		}
	}
	// Every count gets its own int, handed out from one block.
	ints := make([]int, 0, counts)
	states := make(map[string]VoucherState, rf.n)
	for _, block := range rf.changes {
		for i := range block {
			c := &block[i]
			id := c.voucherID
			s, known := states[id]
			s.Removed = c.removed
			if c.hasRedemptions && (s.AvailableRedemptions == nil || *s.AvailableRedemptions != c.redemptions) {
				ints = append(ints, c.redemptions)
				s.AvailableRedemptions = &ints[len(ints)-1]
			}
			if !known {
				s.VoucherID = id
			}
			if c.barcode != "" {
				s.MaskedBarcode = c.barcode
			}
			if c.vtype != "" {
				s.VoucherType = c.vtype
			}
			s.Time = c.time
			states[id] = s
		}
	}
	return states
}

// fillIn completes the states of newer lines with those of older ones.
func fillIn(newer, older map[string]VoucherState) map[string]VoucherState {
	if newer == nil {
		return older
	}
	for id, o := range older {
		n, ok := newer[id]
		if !ok {
			newer[id] = o
			continue
		}
		if n.AvailableRedemptions == nil {
			n.AvailableRedemptions = o.AvailableRedemptions
		}
		if n.MaskedBarcode == "" {
			n.MaskedBarcode = o.MaskedBarcode
		}
		if n.VoucherType == "" {
			n.VoucherType = o.VoucherType
		}
		newer[id] = n
	}
	return newer
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// readLine returns the next line, or its start and tooLong when it is over
// maxLine. A line that fits the reader's buffer is returned without copying;
// a longer one is gathered in *long.
func readLine(r *bufio.Reader, long *[]byte) (line []byte, tooLong bool, err error) {
	line, err = r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, false, err
	}
	*long = append((*long)[:0], line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = r.ReadSlice('\n')
		if len(*long)+len(line) > maxLine {
			tooLong = true
		} else if !tooLong {
			*long = append(*long, line...)
		}
	}
	return *long, tooLong, err
}

// restoredEntry is the part of an Entry that Restore needs.
type restoredEntry struct {
	Time                 time.Time `json:"time"`
	OrderID              string    `json:"orderId"`
	MaskedBarcode        string    `json:"maskedBarcode"`
	VoucherType          string    `json:"type"`
	VoucherID            string    `json:"voucherId"`
	Outcome              string    `json:"outcome"`
	AvailableRedemptions *int      `json:"availableRedemptions"`
}

// mayChangeState reports whether a line can change a voucher's state. Such
// a line names the voucher, and without an escape a JSON key is its bytes,
// so it holds voucherId (in any case, as encoding/json matches keys). An
// attempt to attach names no voucher: half an order's lines are passed
// over by a few byte searches rather than decoded. Each v a line holds
// (in its server's name, "server", "version", "prev") is looked at.
func mayChangeState(line []byte) bool {
	if bytes.IndexByte(line, '\\') >= 0 {
		return true
	}
	for _, v := range []byte{'v', 'V'} {
		for i := 0; ; {
			k := bytes.IndexByte(line[i:], v)
			if k < 0 {
				break
			}
			at := i + k
			if len(line)-at >= len(voucherIDKey) && bytes.EqualFold(line[at:at+len(voucherIDKey)], voucherIDKey) {
				return true
			}
			i = at + 1
		}
	}
	return false
}

var voucherIDKey = []byte("voucherid")

// containsQuoted reports whether line holds id between quotes, as the
// encoded order id: the same as searching for the quoted id, but a search
// starting with a quote, of which a line has dozens, is several times slower.
func containsQuoted(line, id []byte) bool {
	for from := 0; ; {
		i := bytes.Index(line[from:], id)
		if i < 0 {
			return false
		}
		i += from
		if i > 0 && line[i-1] == '"' && i+len(id) < len(line) && line[i+len(id)] == '"' {
			return true
		}
		from = i + 1
	}
}

// voucherTypes are the types of voucher Vista has.
var voucherTypes = []string{"Ticket", "Deal", "Subscription"}

// voucherType shares the strings of the types Vista has.
func voucherType(b []byte) string {
	for _, t := range voucherTypes {
		if string(b) == t {
			return t
		}
	}
	return string(b)
}
