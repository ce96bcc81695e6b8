package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/internal/testkit"
)

func TestBurstTellsScannerFromPerson(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		gaps    []time.Duration // gap before each message
		sizes   []int           // runes in each message
		scanner bool
	}{
		{"one message of twelve runes", []time.Duration{0}, []int{12}, true},
		{"twelve runes 5ms apart", repeat(5*time.Millisecond, 12), repeat(1, 12), true},
		{"four-digit PIN in one write", []time.Duration{0}, []int{4}, false},
		{"person typing 120ms apart", repeat(120*time.Millisecond, 12), repeat(1, 12), false},
		{"fast pair then pause then fast pair", []time.Duration{0, 5 * time.Millisecond, 200 * time.Millisecond, 5 * time.Millisecond}, []int{2, 2, 2, 2}, false},
		{"burst after slow start", append(repeat(150*time.Millisecond, 3), repeat(2*time.Millisecond, 8)...), repeat(1, 11), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b burst
			now := t0
			field := 0
			for i, gap := range tt.gaps {
				now = now.Add(gap)
				b.add(now, tt.sizes[i], field)
				field += tt.sizes[i]
			}
			if got := b.scannerLike(); got != tt.scanner {
				t.Fatalf("scannerLike() = %v, want %v (burst %+v)", got, tt.scanner, b)
			}
		})
	}
}

func TestBurstWholeField(t *testing.T) {
	t0 := time.Now()
	var b burst
	b.add(t0, 2, 0)
	b.add(t0.Add(300*time.Millisecond), 8, 2)
	if b.wholeField() {
		t.Fatal("a burst that began after typed text must not count as the whole field")
	}
	b.reset()
	b.add(t0, 10, 0)
	if !b.wholeField() || !b.scannerLike() {
		t.Fatalf("a ten-rune burst into an empty field is a whole scan: %+v", b)
	}
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestValidateBarcode(t *testing.T) {
	tests := []struct {
		in, want, errPart string
	}{
		{"ADTMM0000111", "ADTMM0000111", ""},
		{"  ADTMM0000111 ", "ADTMM0000111", ""},
		{"", "", "No barcode"},
		{"   ", "", "No barcode"},
		{strings.Repeat("A", 128), strings.Repeat("A", 128), ""},
		{strings.Repeat("A", 129), "", "129 characters"},
		{"ADT\x01MM", "", "cannot be printed"},
		{"ADT\u200bMM", "", "cannot be printed"},
		{"ADT\uFFFDMM", "", "cannot be printed"},
	}
	for _, tt := range tests {
		got, err := validateBarcode(tt.in)
		if tt.errPart == "" {
			if err != nil || got != tt.want {
				t.Errorf("validateBarcode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("validateBarcode(%q) error = %v, want it to mention %q", tt.in, err, tt.errPart)
		}
		if err != nil && len(tt.in) > 4 && strings.Contains(err.Error(), tt.in) {
			t.Errorf("error repeats the barcode: %v", err)
		}
	}
}

func TestValidatePin(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
	}{
		{"", false},
		{"1234", false},
		{strings.Repeat("9", 16), false},
		{strings.Repeat("9", 17), true},
		{"12a4", true},
		{"12 4", true},
		{"１２３４", true}, // full-width digits are not what a PIN pad sends
	}
	for _, tt := range tests {
		err := validatePin(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("validatePin(%q) = %v, wantErr %v", tt.in, err, tt.wantErr)
		}
		if err != nil && tt.in != "" && strings.Contains(err.Error(), tt.in) {
			t.Errorf("error repeats the PIN: %v", err)
		}
	}
}

func FuzzValidateBarcode(f *testing.F) {
	for _, s := range []string{"ADTMM0000111", "", " ", "\x00", strings.Repeat("x", 200), "9300000000017\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := validateBarcode(in)
		if err != nil {
			if got != "" {
				t.Fatalf("rejected input returned %q", got)
			}
			return
		}
		if got == "" || len([]rune(got)) > api.MaxBarcodeLength || got != strings.TrimSpace(got) {
			t.Fatalf("accepted bad barcode %q", got)
		}
	})
}

// A scanner's burst arms one idle-gap timer, not one per message; a timer
// that fires while keys are still coming waits out the rest of the gap, and
// one that fires after the scan was ended does nothing.
func TestOneIdleTimerAtATime(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinNever, clock.Now)
	gap := m.opts.ScanIdleGap

	m, armed := update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM00")})
	if armed == nil || !m.form.idleArmed {
		t.Fatal("a scanner-like burst with no terminator yet should arm the idle gap")
	}
	clock.Advance(10 * time.Millisecond)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("01")})
	clock.Advance(10 * time.Millisecond)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("009")})

	// The timer set with the first keys fires a gap after them: the last
	// keys came only gap-20ms ago, so it waits for the rest.
	clock.Advance(gap - 20*time.Millisecond)
	m, again := update(t, m, scanIdleMsg{})
	if again == nil || !m.form.idleArmed || m.scans.inFlight != nil {
		t.Fatalf("an early timer should wait out the gap, not send: armed %v, in flight %+v", m.form.idleArmed, m.scans.inFlight)
	}
	clock.Advance(20 * time.Millisecond)
	m, _ = update(t, m, scanIdleMsg{})
	if m.scans.inFlight == nil || m.scans.inFlight.barcode != "ADTMM0001009" || m.form.idleArmed {
		t.Fatalf("the gap is over: the scan should go: in flight %+v, armed %v", m.scans.inFlight, m.form.idleArmed)
	}

	// A scan ended by Enter leaves its timer nothing to do.
	m.scans.inFlight = nil
	clock.Advance(time.Second)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM0001010")})
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	sent := m.scans.inFlight
	clock.Advance(gap)
	m, cmd := update(t, m, scanIdleMsg{})
	if cmd != nil || m.form.idleArmed || m.scans.inFlight != sent || len(m.scans.queue) != 0 {
		t.Fatalf("a timer after Enter should do nothing: cmd %v, queue %d", cmd != nil, len(m.scans.queue))
	}
}
