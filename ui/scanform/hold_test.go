package scanform

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// atPin is a form waiting for the PIN of ADTMM0000111.
func atPin(t *testing.T, opts Options) *formTest {
	t.Helper()
	ft := newFormTest(t, opts)
	ft.scan("ADTMM0000111")
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")
	ft.h.Clock.Advance(time.Second)
	return ft
}

// A scan that lands at the PIN is the next voucher: the waiting one is
// reported left at its PIN (unsent), and no part of the scan is a PIN.
func TestScanAtThePinBecomesTheNextBarcode(t *testing.T) {
	typeIns := map[string]func(ft *formTest) []Event{
		"in one read": func(ft *formTest) []Event {
			if ev := ft.scan("ADTMM0000222"); ev.Kind != None {
				return []Event{ev}
			}
			return nil
		},
		"a rune a message": func(ft *formTest) []Event { return ft.typeEach("ADTMM0000222", 4*time.Millisecond) },
		"after a person's digits": func(ft *formTest) []Event {
			ft.typeEach("12", 200*time.Millisecond)
			ft.h.Clock.Advance(200 * time.Millisecond)
			return ft.typeEach("ADTMM0000222", 4*time.Millisecond)
		},
	}
	for name, typeIn := range typeIns {
		t.Run(name, func(t *testing.T) {
			ft := atPin(t, Options{Prefixes: map[string]api.VoucherType{"AD": api.VoucherDeal}})
			ev := onlyEvent(t, typeIn(ft), LeftAtPin, "ADTMM0000111")
			if ev.Scan.Type != api.VoucherDeal || ev.Scan.Prefix != "AD" || ev.Scan.Pin != nil {
				t.Fatalf("the scan left at its PIN: %+v", ev.Scan)
			}
			if ft.f.Field() != Barcode || ft.f.Value() != "ADTMM0000222" {
				t.Fatalf("field %d holds %q, want the new scan in the barcode", ft.f.Field(), ft.f.Value())
			}
			// It closes as a scan does, without its terminator.
			onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0000222")
		})
	}

	// Nine digits are more than a PIN written in one go.
	ft := atPin(t, Options{})
	onlyEvent(t, []Event{ft.scan("930000000")}, LeftAtPin, "ADTMM0000111")
	if ft.f.Value() != "930000000" {
		t.Fatalf("barcode %q", ft.f.Value())
	}
}

// A scan typed over refused text takes the field whole, and the refused
// text goes back to the counter to keep; editing the text instead keeps it.
func TestScanOverRefusedTextDisplacesIt(t *testing.T) {
	long := strings.Repeat("A", 200)
	ft := newFormTest(t, Options{})
	ft.scan(long)
	if ev := ft.key(tea.KeyEnter); ev.Kind != Refused || !strings.Contains(ev.Text, "200 characters") {
		t.Fatalf("a 200-character scan: %+v", ev)
	}
	ft.h.Clock.Advance(time.Second)
	ev := ft.scan("ADTMM0000222")
	if ev.Kind != Displaced || ev.Scan.Barcode != long || ev.Scan.Type != api.VoucherTicket {
		t.Fatalf("a scan over refused text: %+v", ev)
	}
	if ft.f.Value() != "ADTMM0000222" || ft.f.HoldsText() {
		t.Fatalf("the field holds %q", ft.f.Value())
	}

	// Held by the counter (a barcode it would not send now).
	ft = newFormTest(t, Options{})
	ft.scan("ADTMM0000111")
	wantKind(t, ft.key(tea.KeyEnter), BarcodeDone)
	ft.f.Hold()
	if !ft.f.HoldsText() {
		t.Fatal("Hold keeps nothing")
	}
	ft.h.Clock.Advance(time.Second)
	onlyEvent(t, []Event{ft.scan("ADTMM0000222")}, Displaced, "ADTMM0000111")

	// The operator corrects the held text: what they type joins it.
	ft = newFormTest(t, Options{})
	ft.scan("ADTMM0000111")
	wantKind(t, ft.key(tea.KeyEnter), BarcodeDone)
	ft.f.Hold()
	ft.h.Clock.Advance(time.Second)
	ft.key(tea.KeyBackspace)
	ft.h.Clock.Advance(time.Second)
	wantKind(t, ft.scan("2"), None)
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000112")
}

// A scan brought back for retry is still listed where it came from: a new
// scan replaces it without a word, at the PIN or at the barcode.
func TestScanOverRestoredTextIsNotDisplaced(t *testing.T) {
	restored := Scan{Barcode: "ADTMM0000111", Type: api.VoucherTicket}
	ft := newFormTest(t, Options{})
	ft.f.Restore(restored)
	if ft.f.Field() != Pin || ft.f.Value() != "ADTMM0000111" || !ft.f.HoldsText() {
		t.Fatalf("restored: field %d, barcode %q", ft.f.Field(), ft.f.Value())
	}
	if evs := ft.typeEach("ADTMM0000222", 4*time.Millisecond); len(evs) != 0 {
		t.Fatalf("a scan over a restored one at the PIN: %+v", evs)
	}
	onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0000222")

	ft = newFormTest(t, Options{PinPrompt: PinNever})
	ft.f.Restore(restored)
	if ft.f.Field() != Barcode {
		t.Fatal("with no PIN step a restored scan waits at the barcode")
	}
	wantKind(t, ft.scan("ADTMM0000222"), None)
	onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0000222")

	// Sent as it is, it goes as the type it went as.
	ft = newFormTest(t, Options{})
	ft.f.Restore(Scan{Barcode: "9300000000017", Type: api.VoucherDeal})
	ft.scan("1234")
	ev := ft.key(tea.KeyEnter)
	if ev.Kind != Submitted || ev.Scan.Barcode != "9300000000017" || ev.Scan.Type != api.VoucherDeal || *ev.Scan.Pin != "1234" {
		t.Fatalf("a restored scan sent: %+v", ev)
	}

}

// Shift+tab goes back from the PIN to the barcode; Reset empties the form.
func TestBackAndReset(t *testing.T) {
	ft := atPin(t, Options{})
	if !strings.Contains(ft.f.Hint(), "Type the PIN") {
		t.Fatalf("the hint at the PIN: %q", ft.f.Hint())
	}
	ft.key(tea.KeyShiftTab)
	if ft.f.Field() != Barcode || ft.f.Value() != "ADTMM0000111" || ft.f.Hint() != "" {
		t.Fatalf("shift+tab: field %d, %q", ft.f.Field(), ft.f.Value())
	}
	if ft.f.Empty() {
		t.Fatal("a form with a barcode is not empty")
	}
	ft.f.Reset()
	if !ft.f.Empty() || ft.f.Value() != "" {
		t.Fatal("Reset left text")
	}
}

// Every PIN and barcode refusal says what to do, and never repeats what was
// typed.
func TestValidateBarcode(t *testing.T) {
	tests := []struct{ in, want, errPart string }{
		{"ADTMM0000111", "ADTMM0000111", ""},
		{"  ADTMM0000111 ", "ADTMM0000111", ""},
		{"", "", "No barcode: scan the voucher or type its barcode"},
		{"   ", "", "No barcode"},
		{strings.Repeat("A", 128), strings.Repeat("A", 128), ""},
		{strings.Repeat("A", 129), "", "That barcode is 129 characters long; voucher barcodes are at most 128. Clear it with Esc"},
		{"ADT\x01MM", "", "cannot be printed (a scanner setting?)"},
		{"ADT\u200bMM", "", "cannot be printed"},
		{"ADT\uFFFDMM", "", "cannot be printed"},
	}
	for _, tt := range tests {
		got, err := ValidateBarcode(tt.in)
		if tt.errPart == "" {
			if err != nil || got != tt.want {
				t.Errorf("ValidateBarcode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || got != "" || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("ValidateBarcode(%q) = %q, %v; want an error saying %q", tt.in, got, err, tt.errPart)
		}
		if err != nil && len(tt.in) > 4 && strings.Contains(err.Error(), tt.in) {
			t.Errorf("the error repeats the barcode: %v", err)
		}
	}
}

func TestValidatePin(t *testing.T) {
	tests := []struct{ in, errPart string }{
		{"", ""},
		{"1234", ""},
		{strings.Repeat("9", 16), ""},
		{strings.Repeat("9", 17), "A PIN has at most 16 digits. Clear it and type it again."},
		{"12a4", "A PIN is digits only. Clear it and type it again."},
		{"12 4", "digits only"},
		{"１２３４", "digits only"}, // full-width digits are not what a PIN pad sends
	}
	for _, tt := range tests {
		err := validatePin(tt.in)
		if tt.errPart == "" {
			if err != nil {
				t.Errorf("validatePin(%q) = %v", tt.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("validatePin(%q) = %v, want %q", tt.in, err, tt.errPart)
		}
		if err != nil && strings.Contains(err.Error(), tt.in) {
			t.Errorf("the error repeats the PIN: %v", err)
		}
	}
	// At the form, a bad PIN is refused and the form stays at the PIN.
	ft := atPin(t, Options{})
	ft.typeEach("12a4", 200*time.Millisecond)
	if ev := ft.key(tea.KeyEnter); ev.Kind != Refused || strings.Contains(ev.Text, "12a4") || ft.f.Field() != Pin {
		t.Fatalf("a bad PIN: %+v, field %d", ev, ft.f.Field())
	}
}

// A scan with a control character in it that lands at the PIN is refused
// as it would be at the barcode: what the field keeps of it is not the
// barcode scanned.
func TestTaintedScanAtThePinIsRefused(t *testing.T) {
	typeIns := map[string]func(ft *formTest){
		"in one read": func(ft *formTest) { ft.scan("ADTMM\x1d0000222") },
		"GS as a key": func(ft *formTest) {
			ft.typeEach("ADTMM", 4*time.Millisecond)
			ft.h.Clock.Advance(4 * time.Millisecond)
			ft.key(tea.KeyCtrlCloseBracket)
			ft.h.Clock.Advance(4 * time.Millisecond)
			ft.typeEach("0000222", 4*time.Millisecond)
		},
	}
	for name, typeIn := range typeIns {
		t.Run(name, func(t *testing.T) {
			ft := atPin(t, Options{})
			typeIn(ft)
			if ft.f.Field() != Barcode {
				t.Fatalf("the scan stayed at the PIN")
			}
			if evs := ft.settle(); len(evs) != 1 || evs[0].Kind != Refused {
				t.Fatalf("a scan with GS in it, at the PIN: %+v", evs)
			}
		})
	}
}

// A scan refused for a character the field dropped is refused again when
// brought back, with or without a PIN step: what the field holds is not the
// barcode scanned.
func TestRestoredTaintedScanIsRefusedAgain(t *testing.T) {
	for _, opts := range []Options{{PinPrompt: PinNever}, {PinPrompt: PinAsk}} {
		ft := newFormTest(t, opts)
		ft.f.Restore(Scan{Barcode: "ADTMM0000111", Type: api.VoucherTicket, Tainted: true})
		if ft.f.Field() == Pin {
			ft.scan("1234")
		}
		if ev := ft.key(tea.KeyEnter); ev.Kind != Refused || !strings.Contains(ev.Text, "cannot be sent") {
			t.Fatalf("PIN prompt %q: a tainted scan brought back and sent: %+v", opts.PinPrompt, ev)
		}
		if ev := ft.key(tea.KeyEnter); ev.Kind != Refused {
			t.Fatalf("PIN prompt %q: the second Enter: %+v", opts.PinPrompt, ev)
		}
	}
}
