package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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

// Restore reads the journal at path and returns, per voucher id, the last
// known state of each voucher of orderID, in the order lines were written
// (not by their timestamps, which a clock change could reorder).
//
// A missing file is an empty journal. A torn last line (a crash mid-write),
// malformed lines and overlong lines are skipped. Attempts, rejections and
// failures leave the state as it was: only attached, already_attached and
// removed outcomes that name a voucher change it.
func Restore(path, orderID string) (map[string]VoucherState, error) {
	states := make(map[string]VoucherState)
	if orderID == "" {
		return nil, fmt.Errorf("audit journal %s: no order id to restore vouchers for", path)
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return states, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit journal %s: cannot read it: %w; "+
			"the order's vouchers must be checked on the server: fix the file's permissions or choose another journal path", path, err)
	}
	defer f.Close()

	// The id as it appears encoded in a line: most lines of a long journal
	// belong to other orders and are passed over without decoding.
	needle, err := json.Marshal(orderID)
	if err != nil {
		return nil, fmt.Errorf("audit journal %s: order id %q cannot be searched for: %w", path, orderID, err)
	}

	r := bufio.NewReaderSize(f, 64<<10)
	var long []byte
	for {
		line, tooLong, err := readLine(r, &long)
		if !tooLong && len(line) > 0 && bytes.Contains(line, needle) {
			apply(states, line, orderID)
		}
		if errors.Is(err, io.EOF) {
			return states, nil
		}
		if err != nil {
			return nil, fmt.Errorf("audit journal %s: reading failed: %w; "+
				"the order's vouchers must be checked on the server", path, err)
		}
	}
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

func apply(states map[string]VoucherState, line []byte, orderID string) {
	var e restoredEntry
	if json.Unmarshal(line, &e) != nil {
		return // torn or damaged: the lines around it still count
	}
	if e.OrderID != orderID || e.VoucherID == "" {
		return
	}
	s, known := states[e.VoucherID]
	switch e.Outcome {
	case OutcomeAttached, OutcomeAlreadyAttached:
		s.Removed = false
		if e.AvailableRedemptions != nil {
			n := *e.AvailableRedemptions
			s.AvailableRedemptions = &n
		}
	case OutcomeRemoved:
		s.Removed = true
	default:
		return
	}
	if !known {
		s.VoucherID = e.VoucherID
	}
	if e.MaskedBarcode != "" {
		s.MaskedBarcode = e.MaskedBarcode
	}
	if e.VoucherType != "" {
		s.VoucherType = e.VoucherType
	}
	s.Time = e.Time
	states[e.VoucherID] = s
}
