package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// echo is a secret a request carried (a barcode, a PIN, a token, a
// password) that the answer to it, or a later answer, may repeat where no
// key names it: a barcode quoted in an error message, a tenant that sends
// the whole barcode as maskedBarcode. The mock's own answers never do, so
// its journal needs none; a recording of a real tenant masks each wherever
// it appears.
type echo struct {
	value, mask string
	// inner and maskInner are value and mask as they read inside a JSON
	// string.
	inner, maskInner []byte
	// word masks only where no letter or digit touches the value: a
	// short secret's digits (a PIN's) may also be part of an id.
	word bool
}

// shortSecret is the length under which a secret is masked only where it
// stands alone.
const shortSecret = 8

func newEcho(value, mask string) echo {
	return echo{value: value, mask: mask, inner: jsonInner(value), maskInner: jsonInner(mask), word: len(value) < shortSecret}
}

// jsonInner is s encoded as a JSON string, without its quotes.
func jsonInner(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := bytes.TrimSpace(b.Bytes())
	return out[1 : len(out)-1]
}

// writeEchoed writes a JSON string token (quotes included) with every echo
// in it masked.
func writeEchoed(b *bytes.Buffer, raw []byte, echoes []echo) {
	if len(echoes) == 0 || len(raw) < 2 {
		b.Write(raw)
		return
	}
	inner := raw[1 : len(raw)-1]
	for _, e := range echoes {
		inner = replaceSecret(inner, e.inner, e.maskInner, e.word)
	}
	b.WriteByte('"')
	b.Write(inner)
	b.WriteByte('"')
}

// scrubEchoes masks every echo in s (a header, a path, a form).
func scrubEchoes(s string, echoes []echo) string {
	if len(echoes) == 0 {
		return s
	}
	b := []byte(s)
	for _, e := range echoes {
		b = replaceSecret(b, []byte(e.value), []byte(e.mask), e.word)
	}
	return string(b)
}

// replaceSecret replaces value in s with mask; with word, only where no
// letter or digit touches it. s is returned as it is when it holds none.
func replaceSecret(s, value, mask []byte, word bool) []byte {
	if len(value) == 0 || !bytes.Contains(s, value) {
		return s
	}
	out := make([]byte, 0, len(s))
	for {
		i := bytes.Index(s, value)
		if i < 0 {
			return append(out, s...)
		}
		out = append(out, s[:i]...)
		after := s[i+len(value):]
		if word && (endsAlnumByte(out) || startsAlnumByte(after)) {
			out = append(out, value...)
		} else {
			out = append(out, mask...)
		}
		s = after
	}
}

func isAlnumByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func endsAlnumByte(b []byte) bool   { return len(b) > 0 && isAlnumByte(b[len(b)-1]) }
func startsAlnumByte(b []byte) bool { return len(b) > 0 && isAlnumByte(b[0]) }

// requestEchoes are the secrets a request carries: the bearer token, and
// the values of secret keys and barcodes in its JSON or form body and its
// query, each with the mask the journal gives it.
func requestEchoes(r *http.Request, body []byte, p *Profile) []echo {
	var out []echo
	add := func(key, value string) {
		switch lower := strings.ToLower(key); {
		case value == "":
		case lower == "barcode":
			out = append(out, newEcho(value, p.mask(value)))
		case secretKeys[lower]:
			out = append(out, newEcho(value, "****"))
		}
	}
	if r != nil {
		if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
			add("token", strings.TrimSpace(cred))
		}
		for k, vs := range r.URL.Query() {
			for _, v := range vs {
				add(k, v)
			}
		}
	}
	if len(body) == 0 {
		return out
	}
	if r != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		form, _ := url.ParseQuery(string(body))
		for k, vs := range form {
			for _, v := range vs {
				add(k, v)
			}
		}
		return out
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		walkSecrets(v, "", add)
	}
	return out
}

// walkSecrets calls add with each scalar of v and the key it is under.
func walkSecrets(v any, key string, add func(key, value string)) {
	switch t := v.(type) {
	case map[string]any:
		for k, inner := range t {
			walkSecrets(inner, k, add)
		}
	case []any:
		for _, inner := range t {
			walkSecrets(inner, key, add)
		}
	case string:
		add(key, t)
	case json.Number:
		add(key, t.String())
	case float64:
		b, _ := json.Marshal(t)
		add(key, string(b))
	}
}
