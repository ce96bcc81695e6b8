package journal

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Lines are decoded by hand when they are as the journal writes them: a
// restore decodes the lines of an order, and encoding/json, at 3 µs a line,
// was most of a restore's time. Anything the hand decoder is not
// sure of (an escape where a value is needed, a nested value, an unknown
// key, a fraction) goes to encoding/json, so that what a line means never
// depends on which decoder read it; FuzzDecode holds the two together.

// text is a string member's value, when the hand decoder may take it as is.
func text(val []byte, kind valueKind) (string, bool) {
	if kind != plainString && (kind != wideString || !utf8.Valid(val)) {
		return "", false
	}
	return string(val), true
}

func redemptions(val []byte, kind valueKind) (*int, bool) {
	switch kind {
	case null:
		return nil, true
	case integer:
		n, err := strconv.Atoi(string(val))
		if err != nil {
			return nil, false
		}
		return &n, true
	}
	return nil, false
}

// decodeEntry decodes one line as encoding/json decodes it into an Entry;
// ok is false when encoding/json would fail.
func decodeEntry(line []byte) (e Entry, ok bool) {
	if fastEntry(line, &e) {
		return e, true
	}
	e = Entry{}
	if json.Unmarshal(line, &e) != nil {
		return Entry{}, false
	}
	return e, true
}

func fastEntry(line []byte, e *Entry) bool {
	m := members{b: line}
	for m.next() {
		ok := false
		switch string(m.key) {
		case "time":
			ok = m.kind == plainString && e.Time.UnmarshalText(m.val) == nil
		case "orderId":
			e.OrderID, ok = text(m.val, m.kind)
		case "action":
			e.Action, ok = text(m.val, m.kind)
		case "maskedBarcode":
			e.MaskedBarcode, ok = text(m.val, m.kind)
		case "type":
			e.VoucherType, ok = text(m.val, m.kind)
		case "voucherId":
			e.VoucherID, ok = text(m.val, m.kind)
		case "outcome":
			e.Outcome, ok = text(m.val, m.kind)
		case "availableRedemptions":
			e.AvailableRedemptions, ok = redemptions(m.val, m.kind)
		case "errorKind":
			e.ErrorKind, ok = text(m.val, m.kind)
		case "message":
			e.Message, ok = text(m.val, m.kind)
		case "reason":
			e.Reason, ok = text(m.val, m.kind)
		case "httpStatus":
			if m.kind == integer {
				n, err := strconv.Atoi(string(m.val))
				e.HTTPStatus, ok = n, err == nil
			}
		case "blockedUntil":
			ok = m.kind == plainString && e.BlockedUntil.UnmarshalText(m.val) == nil
		case "server":
			e.Server, ok = text(m.val, m.kind)
		case "counter":
			e.Counter, ok = text(m.val, m.kind)
		case "operator":
			e.Operator, ok = text(m.val, m.kind)
		case "version":
			e.Version, ok = text(m.val, m.kind)
		case "seq":
			if m.kind == integer {
				n, err := strconv.ParseUint(string(m.val), 10, 64)
				e.Seq, ok = n, err == nil
			}
		case "prev":
			e.Prev, ok = text(m.val, m.kind)
		}
		if !ok {
			return false
		}
	}
	return !m.bad
}

// restoreLine is what a restore takes from one line. Its bytes belong to
// the line, so that a line read costs no copies until it adds a voucher.
type restoreLine struct {
	time                                              time.Time
	orderID, maskedBarcode, vtype, voucherID, outcome []byte
	redemptions                                       int
	hasRedemptions                                    bool
}

// decodeRestoreLine decodes one line as encoding/json decodes it into a
// restoredEntry.
func decodeRestoreLine(line []byte, e *restoreLine) bool {
	*e = restoreLine{}
	if writtenRestoreLine(line, e) {
		return true
	}
	*e = restoreLine{}
	if fastRestoreLine(line, e) {
		return true
	}
	*e = restoreLine{}
	var r restoredEntry
	if json.Unmarshal(line, &r) != nil {
		return false
	}
	e.time = r.Time
	e.orderID, e.maskedBarcode, e.vtype = []byte(r.OrderID), []byte(r.MaskedBarcode), []byte(r.VoucherType)
	e.voucherID, e.outcome = []byte(r.VoucherID), []byte(r.Outcome)
	if r.AvailableRedemptions != nil {
		e.redemptions, e.hasRedemptions = *r.AvailableRedemptions, true
	}
	return true
}

func fastRestoreLine(line []byte, e *restoreLine) bool {
	m := members{b: line}
	for m.next() {
		ok := false
		switch string(m.key) {
		case "time":
			ok = m.kind == plainString && e.time.UnmarshalText(m.val) == nil
		case "orderId":
			e.orderID, ok = rawText(m.val, m.kind)
		case "maskedBarcode":
			e.maskedBarcode, ok = rawText(m.val, m.kind)
		case "type":
			e.vtype, ok = rawText(m.val, m.kind)
		case "voucherId":
			e.voucherID, ok = rawText(m.val, m.kind)
		case "outcome":
			e.outcome, ok = rawText(m.val, m.kind)
		case "availableRedemptions":
			switch m.kind {
			case null:
				e.hasRedemptions, ok = false, true
			case integer:
				n, err := strconv.Atoi(string(m.val))
				e.redemptions, e.hasRedemptions, ok = n, true, err == nil
			}
		case "action", "errorKind", "message", "reason", "httpStatus", "blockedUntil",
			"server", "counter", "operator", "version", "seq", "prev":
			// Not fields of restoredEntry: encoding/json passes over them
			// whatever they hold.
			ok = true
		}
		if !ok {
			return false
		}
	}
	return !m.bad
}

func rawText(val []byte, kind valueKind) ([]byte, bool) {
	if kind != plainString && (kind != wideString || !utf8.Valid(val)) {
		return nil, false
	}
	return val, true
}

// decodeTime reads only a line's time, for telling how old a file is; ok
// is false when the line has none or is not an entry.
func decodeTime(line []byte) (t time.Time, ok bool) {
	m := members{b: line}
	fast := true
	for m.next() {
		if string(m.key) != "time" {
			// encoding/json matches keys regardless of case.
			if bytes.EqualFold(m.key, []byte("time")) {
				fast = false
				break
			}
			continue
		}
		if m.kind != plainString || t.UnmarshalText(m.val) != nil {
			fast = false
			break
		}
	}
	if !fast || m.bad {
		var e struct {
			Time time.Time `json:"time"`
		}
		if json.Unmarshal(line, &e) != nil {
			return time.Time{}, false
		}
		t = e.Time
	}
	return t, !t.IsZero()
}

// writtenRestoreLine reads a line laid out as json.Marshal writes an Entry:
// every key once, in the struct's order, the empty ones left out. Matching
// the keys as they stand saves scanning them, two fifths of a line's cost; a
// line laid out any other way is left to fastRestoreLine.
func writtenRestoreLine(b []byte, e *restoreLine) bool {
	i, ok := expect(b, 0, `{"time":"`)
	if !ok {
		return false
	}
	var t []byte
	if t, i, ok = plain(b, i); !ok || e.time.UnmarshalText(t) != nil {
		return false
	}
	if i, ok = expect(b, i, `,"orderId":"`); !ok {
		return false
	}
	if e.orderID, i, ok = plain(b, i); !ok {
		return false
	}
	if i, ok = expect(b, i, `,"action":"`); !ok {
		return false
	}
	if _, i, ok = plain(b, i); !ok {
		return false
	}
	if i, ok = expect(b, i, `,"maskedBarcode":"`); !ok {
		return false
	}
	if e.maskedBarcode, i, ok = plain(b, i); !ok {
		return false
	}
	if j, found := expect(b, i, `,"type":"`); found {
		if e.vtype, i, ok = plain(b, j); !ok {
			return false
		}
	}
	if j, found := expect(b, i, `,"voucherId":"`); found {
		if e.voucherID, i, ok = plain(b, j); !ok {
			return false
		}
	}
	if i, ok = expect(b, i, `,"outcome":"`); !ok {
		return false
	}
	if e.outcome, i, ok = plain(b, i); !ok {
		return false
	}
	if j, found := expect(b, i, `,"availableRedemptions":`); found {
		k := j
		if k < len(b) && b[k] == '-' {
			k++
		}
		start := k
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		if k == start || b[start] == '0' && k > start+1 {
			return false
		}
		n, err := strconv.Atoi(string(b[j:k]))
		if err != nil {
			return false
		}
		e.redemptions, e.hasRedemptions, i = n, true, k
	}
	if i, ok = skipWrittenTail(b, i); !ok {
		return false
	}
	if i, ok = expect(b, i, "}"); !ok {
		return false
	}
	return skipSpace(b, i) == len(b)
}

// writtenTail are the members after outcome and availableRedemptions, in the
// order Entry has them, none of which a restore reads: strings, and two
// numbers (their keys end in a colon).
var writtenTail = []string{`,"errorKind":"`, `,"message":"`, `,"reason":"`, `,"httpStatus":`, `,"blockedUntil":"`,
	`,"server":"`, `,"counter":"`, `,"operator":"`, `,"version":"`, `,"seq":`, `,"prev":"`}

// skipWrittenTail passes over the writtenTail members a line holds.
func skipWrittenTail(b []byte, i int) (int, bool) {
	for _, key := range writtenTail {
		if i < len(b) && b[i] == '}' {
			break // most lines end early
		}
		j, found := expect(b, i, key)
		switch {
		case !found:
		case key[len(key)-1] == ':':
			// As JSON has them: no leading zero.
			if i = digits(b, j); i == j || b[j] == '0' && i > j+1 {
				return i, false
			}
		default:
			end, _, _, ok := scanString(b, j)
			if !ok {
				return i, false
			}
			i = end + 1
		}
	}
	return i, true
}

// digits is the index after the digits that begin b[i:].
func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func expect(b []byte, i int, lit string) (int, bool) {
	if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
		return i + len(lit), true
	}
	return i, false
}

// plain is a string value with neither escapes nor bytes past ASCII, and
// the index after its closing quote.
func plain(b []byte, i int) ([]byte, int, bool) {
	end, escaped, wide, ok := scanString(b, i)
	if !ok || escaped || wide {
		return nil, i, false
	}
	return b[i:end], end + 1, true
}
