package scanform

// What the form reports: a finished field and the scan it holds.

import "github.com/boxoffice/boxoffice/api"

// Scan is a barcode the form finished, as it would be sent. Its PIN lives
// here only until the scan is sent, and is never written anywhere.
type Scan struct {
	Barcode string
	Pin     *string
	Type    api.VoucherType
	// Prefix is the voucher_prefixes entry that chose Type, "" when F2 or
	// the default did.
	Prefix string
	// Tainted is set for a scan that carried a character the text field
	// dropped: what is kept of it is not the barcode scanned.
	Tainted bool
}

// EventKind says what a finished field asks of the counter.
type EventKind int

const (
	// None: nothing finished.
	None EventKind = iota
	// BarcodeDone: the barcode field is finished and valid. The counter
	// refuses it (Reset or Hold), sends it at once (no PIN step), or asks
	// for its PIN (AskPin).
	BarcodeDone
	// Submitted: the PIN was entered; the scan is ready to send.
	Submitted
	// Refused: what is in the barcode field cannot be sent (Text says why);
	// it stays there to be corrected, and the next scan replaces it.
	Refused
	// Empty: Enter on an empty field (Text says what to do).
	Empty
	// Displaced: a new scan was typed over a refused one, which the counter
	// must keep for ctrl+r.
	Displaced
	// LeftAtPin: a new scan arrived while the last barcode waited for its
	// PIN; that one is not sent (it would spend a PIN attempt nobody chose).
	LeftAtPin
	// PinStarted: the form moved to the PIN field for Scan.
	PinStarted
)

// Event is what Update reports.
type Event struct {
	Kind EventKind
	Scan Scan
	Text string
}
