package mock

import (
	"bytes"
	"encoding/json"
)

// maskJSON copies a JSON body with every secret masked: the values of
// secretKeys become "****" (whatever their JSON type), and string values of
// "barcode" keys are masked as the profile masks them. ok is false when body is not valid JSON,
// which must then not be kept: it could hold a PIN in a shape not found
// here. It scans the bytes once rather than decoding, as it runs on every
// journalled exchange.
func maskJSON(body []byte, p *Profile) (out []byte, ok bool) {
	return maskJSONEchoes(body, p, nil)
}

// maskJSONEchoes is maskJSON that also masks echoes wherever a string (a
// key or a value) repeats one.
func maskJSONEchoes(body []byte, p *Profile, echoes []echo) (out []byte, ok bool) {
	if !json.Valid(body) {
		return nil, false
	}
	if !bytes.Contains(body, []byte(`"`)) {
		return body, true
	}
	var b bytes.Buffer
	b.Grow(len(body))
	// Each open container: whether it is an object, and whether it is (in)
	// a secret's value, where every value is masked.
	type frame struct{ object, secret bool }
	var stack []frame
	secret := func() bool { return len(stack) > 0 && stack[len(stack)-1].secret }
	expectKey := false
	key := keyPlain
	for i := 0; i < len(body); {
		c := body[i]
		switch c {
		case '{', '[':
			stack = append(stack, frame{object: c == '{', secret: key == keySecret || secret()})
			expectKey, key = c == '{', keyPlain
		case '}', ']':
			stack = stack[:len(stack)-1]
			expectKey, key = false, keyPlain
		case ',':
			expectKey, key = len(stack) > 0 && stack[len(stack)-1].object, keyPlain
		case ':':
			expectKey = false
		case '"':
			end := stringEnd(body, i)
			raw := body[i:end]
			i = end
			switch {
			case expectKey:
				key, expectKey = kindOfKey(raw[1:len(raw)-1]), false
				writeEchoed(&b, raw, echoes)
				continue
			case key == keySecret || secret():
				b.WriteString(`"****"`)
			case key == keyBarcode:
				writeMasked(&b, raw, p)
			default:
				writeEchoed(&b, raw, echoes)
			}
			key = keyPlain
			continue
		default:
			if (key == keySecret || secret()) && isValueStart(c) {
				// A secret sent as a number or true/false (null stays null).
				j := i
				for j < len(body) && !isDelimiter(body[j]) {
					j++
				}
				if string(body[i:j]) == "null" {
					b.WriteString("null")
				} else {
					b.WriteString(`"****"`)
				}
				i, key = j, keyPlain
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.Bytes(), true
}

// writeMasked writes a JSON string (quotes included) masked as a barcode.
func writeMasked(b *bytes.Buffer, raw []byte, p *Profile) {
	inner := raw[1 : len(raw)-1]
	if isPlainASCII(inner) {
		// Unescaped, so its mask needs no escaping either: masked in place,
		// without the copies p.mask makes.
		b.WriteByte('"')
		appendMask(b, inner, p.GuideMask)
		b.WriteByte('"')
		return
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		b.WriteString(`"****"`)
		return
	}
	enc, _ := json.Marshal(p.mask(v))
	b.Write(enc)
}

// appendMask writes an ASCII barcode masked as maskBarcode does, or with
// guide as the ticket-voucher guide does (all but the last four).
func appendMask(b *bytes.Buffer, s []byte, guide bool) {
	n := len(s)
	switch {
	case n <= 4:
		dots(b, n)
	case guide || n < 10:
		dots(b, n-4)
		b.Write(s[n-4:])
	default:
		b.Write(s[:2])
		dots(b, n-6)
		b.Write(s[n-4:])
	}
}

func dots(b *bytes.Buffer, n int) {
	for range n {
		b.WriteByte('.')
	}
}

func isPlainASCII(s []byte) bool {
	for _, c := range s {
		if c < 0x20 || c >= 0x80 || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

// Kinds of JSON key, by what their value is.
const (
	keyPlain = iota
	keySecret
	keyBarcode
)

// kindOfKey compares a key with secretKeys and "barcode" in any letter case,
// as encoding/json matches keys, without allocating.
func kindOfKey(k []byte) int {
	var buf [16]byte
	if len(k) > len(buf) {
		return keyPlain
	}
	for i, c := range k {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	lower := buf[:len(k)]
	switch {
	case string(lower) == "barcode":
		return keyBarcode
	case secretKeys[string(lower)]:
		return keySecret
	}
	return keyPlain
}

// stringEnd is the index just past the JSON string starting at body[i].
func stringEnd(body []byte, i int) int {
	for j := i + 1; j < len(body); j++ {
		switch body[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(body)
}

func isValueStart(c byte) bool {
	return c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n'
}

func isDelimiter(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
