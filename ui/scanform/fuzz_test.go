package scanform

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

// The bytes of a fuzz input that are not keys. Printable bytes next to each
// other arrive in one read; 0x00–0x1f are control keys (Enter, Tab, LF,
// Esc...), 0x7f is backspace.
const (
	gapFirst   = 0x80 // 0x80–0xef: the clock moves on (b-0x80)*3ms
	gapLast    = 0xef
	keyF2      = 0xf0
	keyBack    = 0xf1 // shift+tab
	nextPaste  = 0xf2 // the next read is a paste
	keyRetry   = 0xf3 // ctrl+r: the last scan kept comes back
	groupSep   = 0xf4 // a GS inside the read
	longPause  = 0xf5 // 0xf5–0xff: a second passes
	ctrlLast   = 0x1f
	backspace  = 0x7f
	firstPrint = 0x20
)

// scanDriver plays the counter's part around a form fed arbitrary keys, and
// checks what the form reports against what was typed.
type scanDriver struct {
	ft *formTest
	// closings counts what may end a field: Enter, Tab, an LF that is not
	// the second half of CR LF, and the idle gap's timers.
	closings, submitted int
	lastWasEnter        bool
	kept                *Scan
}

func (d *scanDriver) event(ev Event) {
	t, f := d.ft.t, d.ft.f
	switch ev.Kind {
	case BarcodeDone:
		if f.PinPrompt() == PinAsk {
			f.AskPin()
			return
		}
		d.submit(f.SendWithoutPin(ev.Scan))
	case Submitted:
		d.submit(ev)
	case Displaced, LeftAtPin:
		s := ev.Scan
		d.kept = &s
		if ev.Kind == LeftAtPin && ev.Scan.Pin != nil {
			t.Fatalf("a scan left at its PIN carries a PIN")
		}
	}
}

func (d *scanDriver) submit(ev Event) {
	t := d.ft.t
	d.submitted++
	if d.submitted > d.closings {
		t.Fatalf("%d scans submitted after %d terminators", d.submitted, d.closings)
	}
	s := ev.Scan
	if got, err := ValidateBarcode(s.Barcode); err != nil || got != s.Barcode || s.Tainted {
		t.Fatalf("submitted barcode %q is not one to send (%v, tainted %v)", s.Barcode, err, s.Tainted)
	}
	if s.Pin != nil && validatePin(*s.Pin) != nil {
		t.Fatalf("submitted PIN is not one to send")
	}
	d.ft.f.Reset()
}

// key sends a key and acts on what the form reports.
func (d *scanDriver) key(msg tea.KeyMsg) {
	f := d.ft.f
	switch msg.Type {
	case tea.KeyEnter, tea.KeyTab:
		d.closings++
	case tea.KeyCtrlJ:
		if !d.lastWasEnter {
			d.closings++
		}
	case tea.KeyEsc:
		// The counter's Esc empties the form.
		d.lastWasEnter = false
		f.Reset()
		return
	}
	d.lastWasEnter = msg.Type == tea.KeyEnter
	wasPin := f.Field() == Pin
	d.event(d.ft.send(msg))
	if wasPin && msg.Type == tea.KeyRunes && !msg.Paste && f.Field() == Barcode && CouldBePin(f.Value()) {
		d.ft.t.Fatalf("what came in at the PIN became the barcode although it could be a PIN")
	}
}

// wait moves the clock on by gap, firing the timers that come due.
func (d *scanDriver) wait(gap time.Duration) {
	ft := d.ft
	until := ft.h.Clock.Now().Add(gap)
	for len(ft.pending) > 0 && !ft.pending[0].Due.After(until) {
		next := ft.pending[0]
		ft.pending = ft.pending[1:]
		if w := next.Due.Sub(ft.h.Clock.Now()); w > 0 {
			ft.h.Clock.Advance(w)
		}
		d.closings++
		d.event(ft.send(next.Msg))
	}
	ft.h.Clock.Set(until)
}

func (d *scanDriver) run(data []byte) {
	var read []rune
	paste := false
	flush := func() {
		if len(read) > 0 {
			d.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: read, Paste: paste})
			read, paste = nil, false
		}
	}
	for _, b := range data {
		switch {
		case b >= firstPrint && b < backspace:
			read = append(read, rune(b))
			continue
		case b == groupSep:
			read = append(read, 0x1d)
			continue
		}
		flush()
		switch {
		case b <= ctrlLast:
			d.key(tea.KeyMsg{Type: tea.KeyType(b)})
		case b == backspace:
			d.key(tea.KeyMsg{Type: tea.KeyBackspace})
		case b >= gapFirst && b <= gapLast:
			d.wait(time.Duration(b-gapFirst) * 3 * time.Millisecond)
		case b == keyF2:
			d.key(tea.KeyMsg{Type: tea.KeyF2})
		case b == keyBack:
			d.key(tea.KeyMsg{Type: tea.KeyShiftTab})
		case b == nextPaste:
			paste = true
		case b == keyRetry && d.kept != nil:
			d.ft.f.Restore(*d.kept)
			d.kept = nil
		case b >= longPause:
			d.wait(time.Second)
		}
	}
	flush()
	d.wait(time.Minute)
}

// Arbitrary keys at arbitrary times: never more scans submitted than
// terminators, every submitted barcode one to send, and nothing that came
// in at the PIN and could be a PIN ever turned into a barcode.
func FuzzScanInput(f *testing.F) {
	scanThenPin := append([]byte("\x00ADTMM0000111\r"), 0x80+100)
	scanThenPin = append(scanThenPin, "1234\r"...)
	f.Add(scanThenPin)
	f.Add([]byte("\x01ADTMM0000111\r\n9300000000017\n"))
	f.Add([]byte{0x00, 'A', 'D', 'T', 'M', 'M', '0', '0', '0', '0', '1', '1', '1', 0x80 + 40, '\r', 0x80 + 10, '\n'})
	f.Add([]byte{0x01, 'A', 0x81, 'D', 0x81, 'T', 0x81, 'M', 0x81, 'M', 0x81, '0', 0x81, '0', 0x81, '1', 0xff, '\r'})
	f.Add([]byte{0x00, 'A', 'D', 'T', 'M', 'M', '0', '0', '0', '0', '1', '1', '1', '\r', 0xff, 'A', 0xff, 'B', 0xff, '1', '2', '3', '4', '5', '6', '\r'})
	f.Add([]byte{0x00, nextPaste, 'A', 'D', 'T', 'M', 'M', '0', '0', '0', '0', '1', '1', '1', 0xff, '\r', 0xff, '\r'})
	f.Add([]byte{0x01, 'A', 'D', 'T', groupSep, 'M', 'M', '0', '0', '0', '1', 0x1d, 'x', 0xff, '\r', 0x1b, keyRetry, '\r'})
	f.Add([]byte{0x00, keyF2, keyF2, 'A', 'D', 'T', 'M', 'M', '0', '0', '0', '0', '1', '1', '1', '\t', keyBack, 0x7f, '\r', '\r'})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		opts := Options{}
		if data[0]&1 == 1 {
			opts.PinPrompt = PinNever
		}
		ft := newFormTest(t, opts)
		d := &scanDriver{ft: ft}
		d.run(data[1:])
	})
}

// ValidateBarcode either refuses or gives a barcode to send: trimmed, not
// empty and not too long.
func FuzzValidateBarcode(f *testing.F) {
	for _, s := range []string{"ADTMM0000111", "", " ", "\x00", strings.Repeat("x", 200), "9300000000017\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ValidateBarcode(in)
		if err != nil {
			if got != "" {
				t.Fatalf("a refused barcode came back as %q", got)
			}
			return
		}
		if got == "" || len([]rune(got)) > api.MaxBarcodeLength || got != strings.TrimSpace(got) {
			t.Fatalf("accepted a bad barcode %q", got)
		}
	})
}
