package barcode

import "testing"

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"ADTMM0000111":   "AD......0111",
		"123456789":      ".....6789",
		"1234":           "....",
		"":               "",
		"AD......0111":   "AD......0111",
		"12345678906789": "12........6789",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLooksMasked(t *testing.T) {
	for s, want := range map[string]bool{
		"AD......0111":  true,
		"........0111":  true,
		"12.......6789": true,
		"...A0111":      false,
		"ADTMM0000111":  false,
		"0111":          false,
		"ADTMM.0000111": false,
		"":              true,
	} {
		if got := LooksMasked(s); got != want {
			t.Errorf("LooksMasked(%q) = %v, want %v", s, got, want)
		}
	}
}
