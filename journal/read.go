package journal

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"time"
)

// Why a line needs checking, as Line.Check says.
const (
	// CheckUnknown: the call got no answer, so whether it went through is
	// not known.
	CheckUnknown = "unknown"
	// CheckAbandoned: the scan was given up when the counter quit.
	CheckAbandoned = "abandoned"
	// CheckNoOutcome: an attempt with no outcome after it (same order,
	// action and barcode): the program may have stopped while it was sent.
	CheckNoOutcome = "no_outcome"
	// CheckNoTransaction: the order was completed but its transaction
	// number was not recorded, so it must be looked up in Vista.
	CheckNoTransaction = "no_transaction"
	// CheckNotSent: a scan was queued and neither sent nor given up after
	// it: the program stopped while it waited its turn.
	CheckNotSent = "not_sent"
	// CheckMatchedByMask: the answer was lost and the order held a voucher
	// matching the barcode's mask that may be another writer's.
	CheckMatchedByMask = "matched_by_mask"
)

// Line is one entry read back from the journal.
type Line struct {
	Entry
	// File and Number say where the line is: the file's path and the
	// line's number in it, from 1.
	File   string
	Number int
	// Check says why the line needs checking, "" when it does not.
	Check string
	// SettledBy is the first later line that tells what Check asks (the
	// voucher attached or removed after all, the order's completion
	// confirmed), nil when none does.
	SettledBy *Entry
}

// Open reports whether the line needs checking and nothing later settled it.
func (l Line) Open() bool { return l.Check != "" && l.SettledBy == nil }

// Unreadable is a line of the journal that is not an entry: torn by a
// crash while it was written, damaged, or edited by hand.
type Unreadable struct {
	File    string
	Number  int
	Problem string
	// After is the time of the last readable line before it in its file,
	// zero when there is none: about when it was written.
	After time.Time
}

// Log is what Read found.
type Log struct {
	// Files are the files read, oldest first.
	Files      []string
	Lines      []Line
	Unreadable []Unreadable
}

// Read reads the journal at path and its rotated files, oldest first, and
// returns the lines written at or after since (every line when since is
// zero) in the order they were written. Rotated files whose every line is
// older than since are not opened.
//
// Barcodes are masked, and a full barcode in a line (a hand-edited file)
// is masked in its message too, as Record does. Whether a line needs
// checking is decided with the lines after it, however late: an attempt
// is answered, or an unknown settled, by a line written after the window a
// caller shows.
func Read(path string, since time.Time) (*Log, error) {
	fromDate := ""
	if !since.IsZero() {
		// A rotated file is named for the day of its last line in the
		// writer's time zone, which may not be the reader's: two days
		// covers any.
		fromDate = since.UTC().Add(-48 * time.Hour).Format(dateLayout)
	}
	files, err := walkFiles(path, false, fromDate, "fix the file's permissions, or name the journal with --journal")
	if err != nil {
		return nil, err
	}
	defer files.close()

	log := &Log{}
	r := bufio.NewReaderSize(nil, 64<<10)
	var long []byte
	for files.next() {
		f := files.current()
		name := f.Name()
		log.Files = append(log.Files, name)
		r.Reset(f)
		var last time.Time
		for n := 1; ; n++ {
			line, tooLong, err := readLine(r, &long)
			atEnd := errors.Is(err, io.EOF)
			if err != nil && !atEnd {
				return nil, files.readErr(name, err)
			}
			problem := ""
			switch {
			case tooLong:
				problem = "longer than 1 MiB"
			case len(bytes.TrimSpace(line)) == 0:
				// A blank line holds nothing to lose.
			default:
				e, ok := decodeEntry(line)
				switch {
				case !ok && atEnd:
					problem = "unfinished: the program stopped while writing it"
				case !ok:
					problem = "not a journal entry: cut short by a crash, or damaged"
				case e.Time.IsZero() || e.Outcome == "" || e.OrderID == "":
					problem = "not a journal entry: no time, order or outcome"
				default:
					last = e.Time
					if !e.Time.Before(since) {
						log.Lines = append(log.Lines, Line{Entry: masked(e), File: name, Number: n})
					}
				}
			}
			if problem != "" && (last.IsZero() || !last.Before(since)) {
				log.Unreadable = append(log.Unreadable, Unreadable{File: name, Number: n, Problem: problem, After: last})
			}
			if atEnd {
				break
			}
		}
	}
	if files.err != nil {
		return nil, files.err
	}
	markChecks(log.Lines)
	return log, nil
}

// markChecks sets Check and SettledBy on the lines, in the order they were
// written.
func markChecks(lines []Line) {
	type attemptKey struct{ order, action, barcode string }
	unanswered := map[attemptKey][]int{}
	// waiting holds the queued lines not yet sent or given up, oldest
	// first: two scans may share a masked barcode, so each attempt or
	// abandonment takes one.
	waiting := map[attemptKey][]int{}
	takeWaiting := func(k attemptKey) {
		if q := waiting[k]; len(q) > 0 {
			waiting[k] = q[1:]
		}
	}
	for i := range lines {
		l := &lines[i]
		k := attemptKey{l.OrderID, l.Action, l.MaskedBarcode}
		switch l.Outcome {
		case OutcomeQueued:
			waiting[k] = append(waiting[k], i)
			continue
		case OutcomeAttempt:
			takeWaiting(k)
			unanswered[k] = append(unanswered[k], i)
			continue
		case OutcomeAbandoned:
			takeWaiting(k)
		}
		delete(unanswered, k)
		switch {
		case l.Outcome == OutcomeUnknown:
			l.Check = CheckUnknown
		case l.Outcome == OutcomeMatchedByMask:
			l.Check = CheckMatchedByMask
		case l.Outcome == OutcomeAbandoned:
			l.Check = CheckAbandoned
		case l.Action == ActionComplete && l.Outcome == OutcomeCompleted:
			if _, ok := Transaction(l.Entry); !ok {
				l.Check = CheckNoTransaction
			}
		}
	}
	for _, attempts := range unanswered {
		for _, i := range attempts {
			lines[i].Check = CheckNoOutcome
		}
	}
	for _, queued := range waiting {
		for _, i := range queued {
			lines[i].Check = CheckNotSent
		}
	}
	// From the end, so that each check meets the nearest later line that
	// settles it.
	settling := map[string]int{}
	for i := len(lines) - 1; i >= 0; i-- {
		l := &lines[i]
		key := settleKey(l.Entry)
		if j, ok := settling[key]; ok && l.Check != "" {
			e := lines[j].Entry
			l.SettledBy = &e
		}
		if settles(l.Entry) {
			settling[key] = i
		}
	}
}

// settleKey is what a check is about: a voucher on an order (whichever the
// action), or an order.
func settleKey(e Entry) string {
	switch e.Action {
	case ActionAttach, ActionRemove:
		return e.OrderID + "\x00" + e.MaskedBarcode
	}
	return e.OrderID
}

// settles reports whether e tells what a check of its voucher or order
// asks: that the voucher is on the order or off it, or that the order was
// completed (with its number), cancelled, or not completed.
func settles(e Entry) bool {
	switch e.Action {
	case ActionAttach, ActionRemove:
		switch e.Outcome {
		case OutcomeAttached, OutcomeAlreadyAttached, OutcomeRemoved:
			return true
		case OutcomeRejected:
			// The server said the voucher is on the order.
			return e.Reason == "already_on_order"
		}
	case ActionCancel, ActionComplete:
		switch e.Outcome {
		case OutcomeCancelled, OutcomeFailed:
			return true
		case OutcomeCompleted:
			_, ok := Transaction(e)
			return ok
		}
	}
	return false
}

// Transaction returns the transaction number of a completion, as
// CompletionEntry writes it; ok is false for any other line, and for a
// completion whose number was lost.
func Transaction(e Entry) (number string, ok bool) {
	if e.Action != ActionComplete || e.Outcome != OutcomeCompleted {
		return "", false
	}
	number, found := strings.CutPrefix(e.Message, "transaction ")
	number = strings.TrimSpace(number)
	return number, found && number != ""
}

// Unfinished returns the scans the journal at path holds no outcome for,
// written in the day before now (an order is long gone after that): queued
// and never sent (Check CheckNotSent), or sent with no answer recorded
// (Check CheckNoOutcome), and nothing later settled them. With now the
// counter's start, they are what the last run left when it was killed or
// lost its power; the lines this run writes meanwhile are not among them.
func Unfinished(path string, now time.Time) ([]Line, error) {
	log, err := Read(path, now.Add(-restoreHorizon))
	if err != nil {
		return nil, err
	}
	var open []Line
	for _, l := range log.Lines {
		if l.Action == ActionAttach && l.Open() && l.Time.Before(now) && (l.Check == CheckNotSent || l.Check == CheckNoOutcome) {
			open = append(open, l)
		}
	}
	return open, nil
}
