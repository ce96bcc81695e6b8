package ui

import (
	"errors"
	"fmt"
	"time"

	"github.com/boxoffice/boxoffice/api"
)

const (
	// scannerKeyGap is the widest gap between two keys of one scanner burst.
	// Scanners type a character every few milliseconds; even fast typists
	// leave 60 ms or more between keys.
	scannerKeyGap = 35 * time.Millisecond
	// minScanRunes is how many fast characters make a burst a scan. Shorter
	// bursts (a four-digit PIN sent in one write) stay a person's typing.
	minScanRunes = 6
	// duplicateScanWindow is how long a second scan of the same barcode counts
	// as the scanner firing twice rather than a new intent.
	duplicateScanWindow = 3 * time.Second
	// lateTerminatorWindow is how long after an idle-closed scan a terminator
	// still belongs to that scan (a slow scanner's Enter after the gap).
	lateTerminatorWindow = 250 * time.Millisecond
)

// burst follows the timing of the characters typed into one field, to tell a
// scanner's bursts from a person's typing.
type burst struct {
	// startLen is how long the field's text was when this burst began, so the
	// burst's own text is text[startLen:].
	startLen int
	runes    int
	last     time.Time
}

// add records n runes arriving at now into a field that held fieldLen runes
// before them. Runes that arrive in one message arrived together, which is
// itself scanner timing.
func (b *burst) add(now time.Time, n, fieldLen int) {
	if b.last.IsZero() || now.Sub(b.last) > scannerKeyGap || now.Before(b.last) {
		b.startLen = fieldLen
		b.runes = 0
	}
	b.runes += n
	b.last = now
}

// scannerLike reports whether the current burst looks like a scanner.
func (b *burst) scannerLike() bool { return b.runes >= minScanRunes }

// wholeField reports whether the burst is all of the field's text: only
// then may the app close the field on its own after the idle gap.
func (b *burst) wholeField() bool { return b.startLen == 0 }

func (b *burst) reset() { *b = burst{} }

// inputError is a problem with what was scanned or typed, found before any
// request is sent, in the words of the counter.
type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

// validateBarcode returns the barcode to send (surrounding spaces trimmed) or
// a reason it cannot be sent, as api.ValidateBarcode decides. The reason
// never repeats the barcode whole.
func validateBarcode(raw string) (string, error) {
	barcode, err := api.ValidateBarcode(raw)
	if err == nil {
		return barcode, nil
	}
	var e *api.InputError
	errors.As(err, &e)
	switch e.Problem {
	case api.BarcodeEmpty:
		return "", inputError{"No barcode: scan the voucher or type its barcode, then press Enter."}
	case api.BarcodeTooLong:
		return "", inputError{fmt.Sprintf("That barcode is %d characters long; voucher barcodes are at most %d. Clear it with Esc and scan again.", e.Length, api.MaxBarcodeLength)}
	}
	return "", inputError{"The barcode has a character that cannot be printed (a scanner setting?). Clear it with Esc and scan again."}
}

// validatePin checks a PIN typed at the counter, as api.ValidatePin decides.
// An empty PIN means the voucher has none.
func validatePin(pin string) error {
	err := api.ValidatePin(pin)
	var e *api.InputError
	if !errors.As(err, &e) {
		return nil
	}
	if e.Problem == api.PinTooLong {
		return inputError{fmt.Sprintf("A PIN has at most %d digits. Clear it and type it again.", api.MaxPinLength)}
	}
	return inputError{"A PIN is digits only. Clear it and type it again."}
}
