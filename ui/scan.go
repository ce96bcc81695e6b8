package ui

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

const (
	// maxBarcodeLength bounds what is sent: real voucher barcodes are far
	// shorter, and anything longer is a paste gone wrong.
	maxBarcodeLength = 128
	// maxPinLength is the longest PIN a voucher carries.
	maxPinLength = 16
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
// request is sent.
type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

// validateBarcode returns the barcode to send (surrounding spaces trimmed) or
// a reason it cannot be sent. The reason never repeats the barcode whole.
func validateBarcode(raw string) (string, error) {
	barcode := strings.TrimSpace(raw)
	if barcode == "" {
		return "", inputError{"No barcode: scan the voucher or type its barcode, then press Enter."}
	}
	if n := len([]rune(barcode)); n > maxBarcodeLength {
		return "", inputError{fmt.Sprintf("That barcode is %d characters long; voucher barcodes are at most %d. Clear it with Esc and scan again.", n, maxBarcodeLength)}
	}
	for _, r := range barcode {
		if unicode.IsControl(r) || !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return "", inputError{"The barcode has a character that cannot be printed (a scanner setting?). Clear it with Esc and scan again."}
		}
	}
	return barcode, nil
}

// validatePin checks a PIN typed at the counter. An empty PIN means the
// voucher has none.
func validatePin(pin string) error {
	if pin == "" {
		return nil
	}
	if len(pin) > maxPinLength {
		return inputError{fmt.Sprintf("A PIN has at most %d digits. Clear it and type it again.", maxPinLength)}
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return inputError{"A PIN is digits only. Clear it and type it again."}
		}
	}
	return nil
}
