package mock

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/api/contract"
	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// AdminTag is the tag of the admin API's operations in /openapi.json.
const AdminTag = "Mock administration"

//go:embed admin.openapi.json
var adminDocument []byte

var (
	servedOnce sync.Once
	served     []byte

	opsOnce   sync.Once
	servedOps *validate.Routes

	validatorOnce sync.Once
	validatorV    *validate.Validator
)

// ServedDocument is what the mock serves at /openapi.json: the OCAPI
// contract transcribed from Vista's pages with the mock's admin API merged
// in under its own tag.
func ServedDocument() []byte {
	servedOnce.Do(func() {
		doc, err := mergeDocuments(contract.Document, adminDocument)
		if err != nil {
			panic(err) // both are embedded; a test holds them to this
		}
		served = doc
	})
	return served
}

// servedRoutes routes by the served document's paths, read from its two
// parts: every server needs them at New, and the merged document only when
// it is asked for or validated against.
func servedRoutes() *validate.Routes {
	opsOnce.Do(func() {
		var err error
		if servedOps, err = validate.NewRoutes(contract.Document, adminDocument); err != nil {
			panic(err) // both are embedded; a test holds them to this
		}
	})
	return servedOps
}

// servedValidator loads the served document for --validate once per process.
func servedValidator() *validate.Validator {
	validatorOnce.Do(func() {
		v, err := validate.New(ServedDocument())
		if err != nil {
			panic(fmt.Errorf("the served OpenAPI document: %w", err))
		}
		validatorV = v
	})
	return validatorV
}

// mergeDocuments adds extra's paths, tags and components to base's. A name
// in both is an error: neither may shadow the other.
func mergeDocuments(base, extra []byte) ([]byte, error) {
	var b, e map[string]any
	if err := json.Unmarshal(base, &b); err != nil {
		return nil, fmt.Errorf("the contract: %w", err)
	}
	if err := json.Unmarshal(extra, &e); err != nil {
		return nil, fmt.Errorf("the admin document: %w", err)
	}
	if err := mergeMaps(b, e, "paths"); err != nil {
		return nil, err
	}
	bc, _ := b["components"].(map[string]any)
	ec, _ := e["components"].(map[string]any)
	if bc == nil {
		bc = map[string]any{}
		b["components"] = bc
	}
	for section := range ec {
		if err := mergeMaps(bc, ec, section); err != nil {
			return nil, err
		}
	}
	tags, _ := b["tags"].([]any)
	extraTags, _ := e["tags"].([]any)
	b["tags"] = append(tags, extraTags...)
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

func mergeMaps(into, from map[string]any, key string) error {
	src, _ := from[key].(map[string]any)
	dst, _ := into[key].(map[string]any)
	if dst == nil {
		dst = map[string]any{}
		into[key] = dst
	}
	for k, v := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("%s %q is in both the contract and the admin document", key, k)
		}
		dst[k] = v
	}
	return nil
}

// serveDocument hands out the served document for Postman, Prism or a code
// generator. It needs no token and meets no faults: it is about the server,
// not of it.
func serveDocument(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "openapi.json", time.Time{}, bytes.NewReader(ServedDocument()))
}
