// Package contract holds the OpenAPI 3.0.3 description of the part of Vista's
// Digital Platform (OCAPI v1) that this project talks to: token, standard order
// create/read/cancel, voucher add/remove, set showtime tickets, order
// completion, completed order, showtimes, ticket prices, seat layout and
// seat availability.
//
// The document, openapi.json, was transcribed from Vista's published reference
// and guide pages at developer.vista.co (Vista Digital Platform (V1)); every
// operation and schema links the page it was read from in externalDocs, and
// SOURCES.md lists the pages per operation. It is not Vista's own file.
//
// Where Vista is silent (a path, a status code, a required or nullable flag the
// page does not show), the description says "[unverified]" together with what
// this project assumes, and the schema is written permissively: properties are
// optional and accept null, additionalProperties are allowed, and error
// responses carry no content schema, because Vista documents no error body.
// Facts seen only in public clients of real tenants are tagged "[client]".
//
// Page samples are embedded as examples named "page" or "guide..."; examples
// named "realistic..." are the project's own, built from documented fields.
// Document is served as is by the mock server at GET /openapi.json.
package contract

import _ "embed"

// Document is openapi.json, byte for byte (JSON, 2-space indent).
//
//go:embed openapi.json
var Document []byte
