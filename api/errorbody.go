package api

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ReadableErrorBody reports whether the client finds a code or a message
// in an error body: what `boxoffice proxy` judges a tenant's error bodies
// by, so that its verdict is the client's own reading.
func ReadableErrorBody(body []byte) bool {
	code, message := errorText(body, nil)
	return code != "" || message != ""
}

// Field names, in order of preference, that carry human text or a machine
// code in the error bodies of OCAPI, our mock, OAuth and ASP.NET problem details.
var (
	messageFields = []string{"message", "errorMessage", "error_description", "detail", "title"}
	codeFields    = []string{"errorCode", "code", "error"}
)

// errorText pulls a code and a message out of an error body, or returns ""s.
// The text is cleaned for a terminal (no control characters, bounded length)
// and any secret the request carried is masked.
func errorText(body []byte, secrets []secret) (code, message string) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return "", ""
	}
	code, message = pickString(m, codeFields), pickString(m, messageFields)
	if nested, ok := lookup(m, "error").(map[string]any); ok {
		if code == "" {
			code = pickString(nested, codeFields)
		}
		if message == "" {
			message = pickString(nested, messageFields)
		}
	}
	return cleanText(code, secrets), cleanText(message, secrets)
}

func pickString(m map[string]any, keys []string) string {
	for _, k := range keys {
		switch v := lookup(m, k).(type) {
		case string:
			if strings.TrimSpace(v) != "" {
				return v
			}
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// lookup finds key exactly, else case-insensitively (Message, ErrorCode).
func lookup(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func cleanText(s string, secrets []secret) string {
	for _, sec := range secrets {
		switch {
		case sec.value == "":
		case sec.word:
			s = replaceWord(s, sec.value, sec.mask)
		default:
			s = strings.ReplaceAll(s, sec.value, sec.mask)
		}
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return isControl(r) || r == ' ' }), " ")
	if r := []rune(s); len(r) > maxMessageRunes {
		s = string(r[:maxMessageRunes-1]) + "…"
	}
	return s
}

// replaceWord replaces the occurrences of word in s that no letter or digit
// touches on either side.
func replaceWord(s, word, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, word)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, after := s[:i], s[i+len(word):]
		alone := !endsAlnum(before) && !startsAlnum(after)
		b.WriteString(before)
		if alone {
			b.WriteString(with)
		} else {
			b.WriteString(word)
		}
		s = after
	}
}

func endsAlnum(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func startsAlnum(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}
