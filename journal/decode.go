package journal

import (
	"bytes"
	"encoding/binary"
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

type valueKind uint8

const (
	plainString   valueKind = iota // ASCII without escapes: the bytes are the value
	wideString                     // no escapes, but bytes past ASCII: the value if valid UTF-8
	escapedString                  // valid escapes inside; only encoding/json may unescape it
	integer                        // -?(0|[1-9][0-9]*)
	null
)

// members reads a line as one JSON object whose members are strings,
// integers or null, with nothing but white space around it:
//
//	m := members{b: line}
//	for m.next() { ... m.key, m.val, m.kind ... }
//	if m.bad { the line is something else }
//
// It is an iterator rather than a function taking a callback so that what
// the caller decodes into stays on the stack.
type members struct {
	b         []byte
	i         int
	key, val  []byte
	kind      valueKind
	bad, done bool
}

// next reads the next member; false at the end of the object (then bad
// says whether the line was not one members reads whole).
func (m *members) next() bool {
	if m.done || m.bad {
		return false
	}
	b, i := m.b, m.i
	if i == 0 {
		i = skipSpace(b, 0)
		if i >= len(b) || b[i] != '{' {
			return m.fail()
		}
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == '}' {
			return m.end(i)
		}
	}
	if i >= len(b) || b[i] != '"' {
		return m.fail()
	}
	keyStart := i + 1
	keyEnd, escaped, _, ok := scanString(b, keyStart)
	if !ok || escaped {
		return m.fail()
	}
	i = skipSpace(b, keyEnd+1)
	if i >= len(b) || b[i] != ':' {
		return m.fail()
	}
	i = skipSpace(b, i+1)
	if i >= len(b) {
		return m.fail()
	}
	switch c := b[i]; {
	case c == '"':
		start := i + 1
		end, escaped, wide, ok := scanString(b, start)
		if !ok {
			return m.fail()
		}
		m.val, m.kind = b[start:end], plainString
		switch {
		case escaped:
			m.kind = escapedString
		case wide:
			m.kind = wideString
		}
		i = end + 1
	case c == '-' || c >= '0' && c <= '9':
		start := i
		if c == '-' {
			i++
		}
		switch {
		case i < len(b) && b[i] == '0':
			i++
		case i < len(b) && b[i] >= '1' && b[i] <= '9':
			for i < len(b) && b[i] >= '0' && b[i] <= '9' {
				i++
			}
		default:
			return m.fail()
		}
		if i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
			return m.fail()
		}
		m.val, m.kind = b[start:i], integer
	case c == 'n':
		if len(b)-i < 4 || string(b[i:i+4]) != "null" {
			return m.fail()
		}
		i += 4
		m.val, m.kind = nil, null
	default:
		return m.fail()
	}
	m.key = b[keyStart:keyEnd]
	i = skipSpace(b, i)
	if i >= len(b) {
		return m.fail()
	}
	switch b[i] {
	case ',':
		m.i = skipSpace(b, i+1)
	case '}':
		// The member is good; the next call reports whether the line ends here.
		m.i = i
		if skipSpace(b, i+1) != len(b) {
			m.bad = true
			return false
		}
		m.done = true
	default:
		return m.fail()
	}
	return true
}

func (m *members) fail() bool {
	m.bad = true
	return false
}

func (m *members) end(i int) bool {
	if skipSpace(m.b, i+1) != len(m.b) {
		m.bad = true
	}
	m.done = true
	return false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// stringStop marks the bytes a string's scan must look at: its end, an
// escape, a control character (which JSON forbids raw) and the start of a
// multi-byte character (which must be valid UTF-8 to be taken as is).
var stringStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// scanString finds the closing quote of the string whose content starts at
// b[start], checking its escapes as JSON defines them. wide reports bytes
// past ASCII, whose UTF-8 is still to be checked.
func scanString(b []byte, start int) (end int, escaped, wide, ok bool) {
	i := start
	for {
		// Eight bytes at a time while none of them is one to stop at
		// (the tests for a zero byte and for bytes below a value from
		// Hacker's Delight; each is exact about whether any byte is).
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			quote, backslash := w^(ones*'"'), w^(ones*'\\')
			stop := (quote-ones)&^quote | (backslash-ones)&^backslash | (w-ones*0x20)&^w | w
			if stop&highs != 0 {
				break
			}
			i += 8
		}
		for i < len(b) && !stringStop[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, false, false
		}
		switch c := b[i]; {
		case c == '"':
			return i, escaped, wide, true
		case c >= 0x80:
			wide = true
			i++
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				return 0, false, false, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+5 >= len(b) {
					return 0, false, false, false
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						return 0, false, false, false
					}
				}
				i += 6
			default:
				return 0, false, false, false
			}
		default: // a control character
			return 0, false, false, false
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

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
