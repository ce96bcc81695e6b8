// Package barcode masks voucher barcodes for everything that shows, logs or
// keeps them: the client's logs, the journal, the proxy's report. It has no
// imports of the project, so that the storage packages need not import the
// client to mask what they keep.
package barcode

import "strings"

// Mask masks a barcode the way Vista's documented example does
// (12.......6789): the first two and the last four characters kept, so two
// vouchers that end alike still look different. A barcode of nine characters
// or fewer keeps only its last four, and one of four or fewer is fully masked,
// so that no more than half of a short code is ever shown. Masking a masked
// barcode changes nothing.
func Mask(barcode string) string {
	r := []rune(barcode)
	switch n := len(r); {
	case n <= 4:
		return strings.Repeat(".", n)
	case n < 10:
		return strings.Repeat(".", n-4) + string(r[n-4:])
	default:
		return string(r[:2]) + strings.Repeat(".", n-6) + string(r[n-4:])
	}
}

// LooksMasked reports whether s is already masked as Mask masks: masking it
// again would change nothing. A dot-free string is a barcode given in full,
// however short: a short code is never shown whole.
func LooksMasked(s string) bool { return Mask(s) == s }
