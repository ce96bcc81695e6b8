package journal

import "encoding/binary"

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
// says whether the line was not one members reads whole). A member is a key
// without escapes, a colon, a value (a string, an integer or null) and a
// comma, or the closing brace that ends the line.
func (m *members) next() bool {
	if m.done || m.bad {
		return false
	}
	b, i := m.b, m.i
	if i == 0 {
		first, empty, ok := openObject(b)
		switch {
		case !ok:
			return m.fail()
		case empty:
			return m.end(first)
		}
		i = first
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
	// The value is read here, not by a function of its own: one call more
	// a member made reading a line some 5% slower (BenchmarkDecode).
	switch c := b[i]; {
	case c == '"':
		end, escaped, wide, ok := scanString(b, i+1)
		if !ok {
			return m.fail()
		}
		m.val, m.kind = b[i+1:end], stringKind(escaped, wide)
		i = end + 1
	case c == '-' || c >= '0' && c <= '9':
		end, ok := integerEnd(b, i)
		if !ok {
			return m.fail()
		}
		m.val, m.kind, i = b[i:end], integer, end
	case c == 'n' && len(b)-i >= 4 && string(b[i:i+4]) == "null":
		m.val, m.kind, i = nil, null, i+4
	default:
		return m.fail()
	}
	m.key = b[keyStart:keyEnd]
	return m.endMember(i)
}

// openObject reads a line's opening brace: first is where its first member
// starts, or its closing brace when the object is empty.
func openObject(b []byte) (first int, empty, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, false, false
	}
	i = skipSpace(b, i+1)
	return i, i < len(b) && b[i] == '}', true
}

func stringKind(escaped, wide bool) valueKind {
	switch {
	case escaped:
		return escapedString
	case wide:
		return wideString
	}
	return plainString
}

// integerEnd is the index past the integer at b[start], written as JSON
// writes one: -?(0|[1-9][0-9]*). Not ok for anything else, a fraction or
// an exponent included.
func integerEnd(b []byte, start int) (int, bool) {
	i := start
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return 0, false
	}
	if i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, false
	}
	return i, true
}

// endMember reads what follows a member at b[i]: a comma before the next,
// or the object's closing brace, after which the line must end.
func (m *members) endMember(i int) bool {
	b := m.b
	i = skipSpace(b, i)
	if i >= len(b) {
		return m.fail()
	}
	switch b[i] {
	case ',':
		m.i = skipSpace(b, i+1)
	case '}':
		m.i = i
		if skipSpace(b, i+1) != len(b) {
			return m.fail()
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
