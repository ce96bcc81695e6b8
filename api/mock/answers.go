package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What the mock answers: its errors, its JSON, and what it reads from a
// request body.

type apiError struct {
	status       int
	code, msg    string
	blockedUntil time.Time
}

func (s *Server) fail(w http.ResponseWriter, e *apiError) {
	if e.status == http.StatusTooManyRequests && s.profile.Bare429 {
		w.Header().Del("Retry-After")
	}
	if s.profile.NoErrorBodies || e.status == http.StatusTooManyRequests && s.profile.Bare429 {
		writeRaw(w, e.status, nil)
		return
	}
	body := errorBody{ErrorCode: e.code, Message: e.msg}
	if !e.blockedUntil.IsZero() {
		body.BlockedUntilUTC = vistaTime(e.blockedUntil)
	}
	s.writeJSON(w, e.status, body)
}

// writeJSON writes v as the answer, shaped by the profile: an order's
// answer loses what the profile's tenant does not send.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	switch o := v.(type) {
	case orderResponse:
		s.profile.shapeOrder(&o)
		v = o
	case *orderResponse:
		s.profile.shapeOrder(o)
	}
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errorCode":"InternalError","message":"The mock server could not encode its answer."}`)
	}
	if x, ok := w.(*exchange); ok {
		_, token := v.(tokenResponse)
		x.ownJSON = !token
	}
	writeBody(w, status, b)
}

func writeBody(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// writeRaw answers status with body as it is: no body at all when empty.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	if len(body) > 0 && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// decodeBody reads a JSON request body. The problem it returns names fields
// and JSON types but never echoes a value, which could be a PIN.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) string {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			return "The request body has data after its JSON object."
		}
		return ""
	}
	var te *json.UnmarshalTypeError
	var me *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return "The request body is empty; a JSON object is required."
	case errors.As(err, &te) && te.Field != "":
		return fmt.Sprintf("Field %s has the wrong type: want %s, got %s.", te.Field, jsonTypeName(te.Type.String()), te.Value)
	case errors.As(err, &te):
		return "The request body must be a JSON object."
	case errors.As(err, &me):
		return "The request body is too large."
	}
	return "The request body is not valid JSON."
}

func jsonTypeName(goType string) string {
	switch {
	case goType == "string", goType == "*string":
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "mock."):
		return "an object"
	}
	return goType
}

// safe prepares client input for an error message: short, and masked if it
// is a barcode someone typed into the wrong field.
func (s *Server) safe(v string) string {
	if s.barcodes[v] {
		return s.profile.mask(v)
	}
	if len(v) > 64 {
		v = v[:64] + "..."
	}
	return v
}
