package proxy

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// exchange is one request through the proxy and what came back.
type exchange struct {
	seq     uint64
	start   time.Time
	latency time.Duration

	method string
	url    url.URL
	header http.Header
	// reqBody is the request's body; reqUnchecked is set when it was too
	// large to keep.
	reqBody      []byte
	reqUnchecked bool

	// answered: the tenant sent a status line; complete: and its whole
	// body reached the client.
	answered, complete bool
	status             int
	respHeader         http.Header
	proto              string
	body               *teeBody
	respBody           []byte
	respUnchecked      bool

	// lost: the client got no whole answer though the tenant may have
	// acted; unreached: nothing reached the tenant.
	lost, unreached bool
	// note says what went wrong, in words that quote no value.
	note string
}

// request is the request as the validator reads it.
func (x *exchange) request() *http.Request {
	u := x.url
	return &http.Request{Method: x.method, URL: &u, Header: x.header, Host: x.url.Host}
}

// decodedBody is the answer's body without its Content-Encoding, or false
// when the encoding is one this package cannot read.
func (x *exchange) decodedBody() ([]byte, bool) {
	enc := strings.ToLower(strings.TrimSpace(x.respHeader.Get("Content-Encoding")))
	var r io.Reader
	switch enc {
	case "", "identity":
		return x.respBody, true
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(x.respBody))
		if err != nil {
			return nil, false
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(x.respBody))
	default:
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(r, maxBody))
	if err != nil {
		return nil, false
	}
	return out, true
}

// outcome is what one exchange says of a fact.
type outcome int

const (
	says outcome = iota // nothing
	confirms
	contradicts
)

// observation is an exchange as the fact rules read it: its operation,
// its bodies decoded, and what earlier exchanges taught (k, as it was
// before this one).
type observation struct {
	x      *exchange
	op     *validate.Operation
	opID   string
	params map[string]string
	// status is the answer's status when the whole answer was read; 0
	// otherwise, so that no rule decides from half an answer.
	status int
	body   []byte // the answer's body, decoded
	// violations are the answer's, against the contract.
	violations []validate.Violation
	k          *knowledge

	reqJSON, respJSON     any
	reqDecoded, respDone  bool
	reqIsJSON, respIsJSON bool
}

func (o *observation) is(opID string) bool { return o.opID == opID }

func (o *observation) ok() bool { return o.status >= 200 && o.status < 300 }

// reqValue finds a value in the request's JSON body by keys.
func (o *observation) reqValue(keys ...string) (any, bool) {
	if !o.reqDecoded {
		o.reqDecoded = true
		o.reqIsJSON = json.Unmarshal(o.x.reqBody, &o.reqJSON) == nil
	}
	return dig(o.reqJSON, keys...)
}

// respValue finds a value in the answer's JSON body by keys.
func (o *observation) respValue(keys ...string) (any, bool) {
	if !o.respDone {
		o.respDone = true
		o.respIsJSON = json.Unmarshal(o.body, &o.respJSON) == nil
	}
	return dig(o.respJSON, keys...)
}

// respString is respValue for a string.
func (o *observation) respString(keys ...string) (string, bool) {
	v, ok := o.respValue(keys...)
	s, isString := v.(string)
	return s, ok && isString
}

// reqString is reqValue for a string.
func (o *observation) reqString(keys ...string) (string, bool) {
	v, ok := o.reqValue(keys...)
	s, isString := v.(string)
	return s, ok && isString
}

// order is what this run knows of the order in the path, nil if nothing.
func (o *observation) order() *orderFacts { return o.k.orders[o.params["orderId"]] }

// at is when the exchange started.
func (o *observation) at() time.Time { return o.x.start }

func dig(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// bodyShape says what an answer's body is, naming its top-level fields but
// never a value: "no body", "a body that is not JSON (text/html)", "JSON
// with fields errorCode, message".
func (o *observation) bodyShape() string {
	if len(bytes.TrimSpace(o.body)) == 0 {
		return "no body"
	}
	if _, _ = o.respValue(); !o.respIsJSON {
		ct := o.x.respHeader.Get("Content-Type")
		if ct == "" {
			return "a body that is not JSON"
		}
		return "a body that is not JSON (" + safeWord(strings.TrimSpace(strings.Split(ct, ";")[0])) + ")"
	}
	m, isObject := o.respJSON.(map[string]any)
	if !isObject {
		return "JSON that is not an object"
	}
	if len(m) == 0 {
		return "an empty JSON object"
	}
	return "JSON with fields " + strings.Join(fieldNames(m), ", ")
}

// bodyMentions reports whether the answer's body holds word, in any letter
// case (an error body naming the field it refused).
func (o *observation) bodyMentions(word string) bool {
	return bytes.Contains(bytes.ToLower(o.body), []byte(strings.ToLower(word)))
}
