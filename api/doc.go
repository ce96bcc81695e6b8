// Package api is the client of Vista's Digital Platform (OCAPI) as boxoffice
// uses it: orders, showtimes and ticket prices, seats, vouchers, completion
// and sign-in, over resty with typed requests and answers.
//
// Its files: client.go builds a Client (New, Options) and makes every call
// through one path that sets the base URL, the bearer token (auth.go), the
// user agent and retries for reads; transport.go is the HTTP transport and its
// TLS trust (system store or a CA file); calls.go and seatcalls.go are the
// typed calls; types.go and seats.go the shapes of Vista's JSON; errors.go
// and seaterrors.go turn every failure into an *Error whose kind says what
// the caller can do (refused, unknown outcome, unreachable, ...);
// completion.go follows a completion to its end; preflight.go checks a set-up
// for `boxoffice doctor`; input.go checks barcodes and PINs before they are
// sent.
//
// attach.go is the exactly-once attach: AttachVoucher sends an add once and,
// when its answer is lost, reads the order back to find out whether it was
// applied rather than sending it again, so that no voucher is attached twice
// and none is reported attached unless the order shows it. An answer it cannot
// settle is reported as unknown.
//
// Every fact of the API the client relies on is in api/contract, each with
// its source. The package never writes the journal and never draws: package
// desk journals each step, and the counter and the commands say what it
// means. A PIN is sent and never logged; barcodes are logged masked.
package api
