package api

// ReadableErrorBody reports whether the client finds a code or a message
// in an error body: what `boxoffice proxy` judges a tenant's error bodies
// by, so that its verdict is the client's own reading.
func ReadableErrorBody(body []byte) bool {
	code, message := errorText(body, nil)
	return code != "" || message != ""
}
