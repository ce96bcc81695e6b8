package mock

import (
	"bytes"
	"encoding/json"
	"strings"
)

// maskJSON copies a JSON body with every secret masked: the values of
// secretKeys become "****" (whatever their JSON type), and string values of
// "barcode" keys are masked by mask. ok is false when body is not valid JSON,
// which must then not be kept: it could hold a PIN in a shape not found
// here. It scans the bytes once rather than decoding, as it runs on every
// journalled exchange.
func maskJSON(body []byte, mask func(string) string) (out []byte, ok bool) {
	if !json.Valid(body) {
		return nil, false
	}
	if !bytes.Contains(body, []byte(`"`)) {
		return body, true
	}
	var b bytes.Buffer
	b.Grow(len(body))
	// stack holds, per open container, whether it is an object; expectKey
	// is set where an object's next string is a key.
	var stack []bool
	expectKey := false
	lastKey := ""
	for i := 0; i < len(body); {
		c := body[i]
		switch c {
		case '{':
			stack = append(stack, true)
			expectKey = true
		case '[':
			stack = append(stack, false)
			expectKey = false
		case '}', ']':
			stack = stack[:len(stack)-1]
			expectKey = false
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1]
		case ':':
			expectKey = false
		case '"':
			end := stringEnd(body, i)
			raw := body[i:end]
			if expectKey {
				lastKey = strings.ToLower(string(raw[1 : len(raw)-1]))
				b.Write(raw)
				i, expectKey = end, false
				continue
			}
			i = end
			switch {
			case secretKeys[lastKey]:
				b.WriteString(`"****"`)
			case lastKey == "barcode":
				var v string
				if json.Unmarshal(raw, &v) == nil {
					enc, _ := json.Marshal(mask(v))
					b.Write(enc)
				} else {
					b.WriteString(`"****"`)
				}
			default:
				b.Write(raw)
			}
			lastKey = ""
			continue
		default:
			if isValueStart(c) && lastKey != "" && secretKeys[lastKey] {
				// A secret sent as a number or true/false/null.
				j := i
				for j < len(body) && !isDelimiter(body[j]) {
					j++
				}
				if string(body[i:j]) == "null" {
					b.WriteString("null")
				} else {
					b.WriteString(`"****"`)
				}
				i, lastKey = j, ""
				continue
			}
		}
		if c == ',' || c == '}' || c == ']' {
			lastKey = ""
		}
		b.WriteByte(c)
		i++
	}
	return b.Bytes(), true
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
