package api

import (
	"fmt"
	"strings"
	"unicode"
)

// Limits on what a voucher's credentials can be. Real barcodes are far
// shorter than MaxBarcodeLength, so anything longer is a paste gone wrong.
const (
	MaxBarcodeLength = 128
	MaxPinLength     = 16
)

// InputProblem says what is wrong with a barcode or PIN.
type InputProblem int

const (
	BarcodeEmpty InputProblem = iota + 1
	BarcodeTooLong
	BarcodeUnprintable
	PinTooLong
	PinNotDigits
)

// InputError is a barcode or PIN that will not be sent, found before anything
// is. Its text never repeats the barcode or the PIN.
type InputError struct {
	Problem InputProblem
	// Length is the barcode's length, for BarcodeTooLong.
	Length int
}

func (e *InputError) Error() string {
	switch e.Problem {
	case BarcodeEmpty:
		return "the barcode is empty"
	case BarcodeTooLong:
		return fmt.Sprintf("the barcode is %d characters long; voucher barcodes are at most %d", e.Length, MaxBarcodeLength)
	case BarcodeUnprintable:
		return "the barcode has a character that cannot be printed"
	case PinTooLong:
		return fmt.Sprintf("a PIN has at most %d digits", MaxPinLength)
	case PinNotDigits:
		return "a PIN is digits only"
	}
	return "the voucher's credentials cannot be sent"
}

// ValidateBarcode returns the barcode to send, surrounding spaces trimmed, or
// why it cannot be sent. The screen and the scripting commands both check
// with it before anything reaches the server, and so does every add.
func ValidateBarcode(raw string) (string, error) {
	barcode := strings.TrimSpace(raw)
	if barcode == "" {
		return "", &InputError{Problem: BarcodeEmpty}
	}
	if n := len([]rune(barcode)); n > MaxBarcodeLength {
		return "", &InputError{Problem: BarcodeTooLong, Length: n}
	}
	for _, r := range barcode {
		if unicode.IsControl(r) || !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return "", &InputError{Problem: BarcodeUnprintable}
		}
	}
	return barcode, nil
}

// ValidatePin checks a PIN as it was typed: digits only, nothing around them.
// An empty PIN means the voucher has none.
func ValidatePin(pin string) error {
	if pin == "" {
		return nil
	}
	if len(pin) > MaxPinLength {
		return &InputError{Problem: PinTooLong}
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return &InputError{Problem: PinNotDigits}
		}
	}
	return nil
}
