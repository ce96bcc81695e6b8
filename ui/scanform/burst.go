package scanform

import (
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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
	// lateTerminatorWindow is how long after an idle-closed scan a terminator
	// still belongs to that scan (a slow scanner's Enter after the gap).
	lateTerminatorWindow = 250 * time.Millisecond
	// maxBurstPin is the longest fast burst into the PIN field still taken for
	// a PIN: a person or a keypad can send a six-digit PIN in one go, and
	// voucher PINs are short, while a barcode scanned there is longer or has
	// letters.
	maxBurstPin = 8
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
// then may the form close the field on its own after the idle gap.
func (b *burst) wholeField() bool { return b.startLen == 0 }

// fresh reports whether the burst's last character came within the gap of
// now, so a control key now is part of it.
func (b *burst) fresh(now time.Time) bool { return b.runes > 0 && now.Sub(b.last) <= scannerKeyGap }

func (b *burst) reset() { *b = burst{} }

// CouldBePin reports whether text typed fast into the PIN field may be its
// PIN rather than the next voucher's barcode. A PIN must never be taken for a
// barcode: it would be shown, sent and journalled as one.
func CouldBePin(text string) bool {
	digits := 0
	for _, r := range text {
		switch {
		case r < 0x20 || r == 0x7f:
			// The field drops it: the digits around it are what would be
			// on screen.
		case r < '0' || r > '9':
			return false
		default:
			digits++
		}
	}
	return digits <= maxBurstPin
}

// isControlKey reports whether a key is a control character other than the
// ones a scan ends with or a person edits with.
func isControlKey(t tea.KeyType) bool {
	switch t {
	case tea.KeyTab, tea.KeyEnter, tea.KeyCtrlJ, tea.KeyEsc, tea.KeyBackspace, tea.KeyCtrlH:
		return false
	}
	return t >= 0 && t < 32
}

func isUnsendable(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f
}

// inputError is a problem with what was scanned or typed, found before any
// request is sent, in the words of the counter.
type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

// ValidateBarcode returns the barcode to send (surrounding spaces trimmed) or
// a reason it cannot be sent, as api.ValidateBarcode decides. The reason
// never repeats the barcode whole.
func ValidateBarcode(raw string) (string, error) {
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
