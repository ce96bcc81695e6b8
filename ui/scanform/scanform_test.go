package scanform

import (
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

const idleGap = 100 * time.Millisecond

// formTest drives a form as the counter does, with the clock standing still
// until the test moves it and every idle-gap timer kept until it fires.
type formTest struct {
	t       *testing.T
	h       *commontest.Harness
	f       *Form
	pending []commontest.Timer
	// armed counts the idle-gap timers the form armed.
	armed int
}

func newFormTest(t *testing.T, opts Options) *formTest {
	t.Helper()
	if opts.IdleGap == 0 {
		opts.IdleGap = idleGap
	}
	h := commontest.New()
	return &formTest{t: t, h: h, f: New(h.Ctx, opts)}
}

// send gives the form one message and returns what it reported; a timer the
// form armed must also be in the command it returned, or it would never
// fire.
func (ft *formTest) send(msg tea.Msg) Event {
	ft.t.Helper()
	ev, cmd := ft.f.Update(msg)
	armed := ft.h.Timers.Take()
	ft.pending = append(ft.pending, armed...)
	ft.armed += len(armed)
	if len(ft.pending) > 1 {
		ft.t.Fatalf("%d idle timers on their way at once, want one at most", len(ft.pending))
	}
	if len(armed) > 0 {
		if _, ok := commontest.Find[IdleMsg](cmd); !ok {
			ft.t.Fatalf("the form armed a timer but did not return it")
		}
	}
	return ev
}

func (ft *formTest) key(t tea.KeyType) Event { return ft.send(commontest.Key(t)) }

// scan is a scanner's burst in one read.
func (ft *formTest) scan(text string) Event { return ft.send(commontest.Runes(text)) }

// typeEach sends text one rune a message, gap apart, and returns the events
// that were not None.
func (ft *formTest) typeEach(text string, gap time.Duration) []Event {
	var evs []Event
	for i, r := range text {
		if i > 0 {
			ft.h.Clock.Advance(gap)
		}
		if ev := ft.scan(string(r)); ev.Kind != None {
			evs = append(evs, ev)
		}
	}
	return evs
}

// settle lets the timers fire in turn, moving the clock to each, until none
// is left, and returns the events that were not None.
func (ft *formTest) settle() []Event {
	var evs []Event
	for len(ft.pending) > 0 {
		sort.SliceStable(ft.pending, func(i, j int) bool { return ft.pending[i].Due.Before(ft.pending[j].Due) })
		next := ft.pending[0]
		ft.pending = ft.pending[1:]
		if d := next.Due.Sub(ft.h.Clock.Now()); d > 0 {
			ft.h.Clock.Advance(d)
		}
		if ev := ft.send(next.Msg); ev.Kind != None {
			evs = append(evs, ev)
		}
	}
	return evs
}

// barcodeDone asks for the barcode's PIN, as the counter does.
func (ft *formTest) barcodeDone(ev Event, want string) {
	ft.t.Helper()
	if ev.Kind != BarcodeDone || ev.Scan.Barcode != want {
		ft.t.Fatalf("event %+v, want BarcodeDone %q", ev, want)
	}
	ft.f.AskPin()
}

func wantKind(t *testing.T, ev Event, kind EventKind) {
	t.Helper()
	if ev.Kind != kind {
		t.Fatalf("event %+v, want kind %d", ev, kind)
	}
}

func onlyEvent(t *testing.T, evs []Event, kind EventKind, barcode string) Event {
	t.Helper()
	if len(evs) != 1 || evs[0].Kind != kind || evs[0].Scan.Barcode != barcode {
		t.Fatalf("events %+v, want one of kind %d for %q", evs, kind, barcode)
	}
	return evs[0]
}

// A scanner's burst that ends without a terminator is closed by the idle
// gap; what a person types is never closed for them.
func TestIdleGapClosesOnlyAScannersBurst(t *testing.T) {
	const barcode = "ADTMM0000111"
	tests := []struct {
		name    string
		typeIn  func(ft *formTest)
		scanner bool
		// typed is what the field holds, barcode when "".
		typed string
	}{
		{"twelve runes in one read", func(ft *formTest) { ft.scan(barcode) }, true, ""},
		{"one rune a message 5ms apart", func(ft *formTest) { ft.typeEach(barcode, 5*time.Millisecond) }, true, ""},
		{"six runes in one read", func(ft *formTest) { ft.scan("930001") }, true, "930001"},
		{"a person 120ms a key", func(ft *formTest) { ft.typeEach(barcode, 120*time.Millisecond) }, false, ""},
		{"fast pairs between pauses", func(ft *formTest) {
			for i := 0; i < len(barcode); i += 2 {
				ft.h.Clock.Advance(200 * time.Millisecond)
				ft.typeEach(barcode[i:i+2], 5*time.Millisecond)
			}
		}, false, ""},
		{"a burst after a slow start", func(ft *formTest) {
			ft.typeEach(barcode[:3], 150*time.Millisecond)
			ft.h.Clock.Advance(150 * time.Millisecond)
			ft.typeEach(barcode[3:], 2*time.Millisecond)
		}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ft := newFormTest(t, Options{})
			tt.typeIn(ft)
			typed := common.OrDefault(tt.typed, barcode)
			evs := ft.settle()
			if !tt.scanner {
				if len(evs) != 0 || ft.armed != 0 {
					t.Fatalf("typing was closed for the person: %d timers, events %+v", ft.armed, evs)
				}
				// A stray timer does not close it either.
				wantKind(t, ft.send(IdleMsg{}), None)
				ft.barcodeDone(ft.key(tea.KeyEnter), typed)
				return
			}
			onlyEvent(t, evs, BarcodeDone, typed)
		})
	}
}

// A four-digit write (a keypad's PIN into the barcode field) is no scan.
func TestShortBurstIsNoScan(t *testing.T) {
	ft := newFormTest(t, Options{})
	ft.scan("1234")
	if evs := ft.settle(); len(evs) != 0 || ft.armed != 0 {
		t.Fatalf("a four-digit write was closed: %+v", evs)
	}
}

// One idle timer at a time: one that fires while keys still come waits out
// the rest of the gap from the last of them, and one that fires after Enter
// ended the scan does nothing.
func TestOneIdleTimerAtATime(t *testing.T) {
	ft := newFormTest(t, Options{})
	ft.scan("ADTMM00")
	ft.h.Clock.Advance(10 * time.Millisecond)
	ft.scan("01")
	ft.h.Clock.Advance(10 * time.Millisecond)
	ft.scan("009")
	last := ft.h.Clock.Now()
	if ft.armed != 1 {
		t.Fatalf("%d timers for one burst", ft.armed)
	}
	ft.h.Clock.Advance(idleGap - 20*time.Millisecond)
	early := ft.pending[0]
	ft.pending = ft.pending[1:]
	wantKind(t, ft.send(early.Msg), None)
	if ft.armed != 2 || !ft.pending[0].Due.Equal(last.Add(idleGap)) {
		t.Fatalf("an early timer should wait for the rest of the gap: %+v", ft.pending)
	}
	onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0001009")

	ft.f.Reset()
	ft.h.Clock.Advance(time.Second)
	ft.scan("ADTMM0001010")
	wantKind(t, ft.key(tea.KeyEnter), BarcodeDone)
	ft.f.Reset()
	if evs := ft.settle(); len(evs) != 0 {
		t.Fatalf("a timer after Enter acted: %+v", evs)
	}
}

// Enter, Tab and LF each end a field; the LF of CR LF is swallowed once.
func TestTerminators(t *testing.T) {
	for _, term := range []tea.KeyType{tea.KeyEnter, tea.KeyTab, tea.KeyCtrlJ} {
		ft := newFormTest(t, Options{})
		ft.scan("ADTMM0000111")
		ft.barcodeDone(ft.key(term), "ADTMM0000111")
		ft.scan("1234")
		ev := ft.key(term)
		if ev.Kind != Submitted || ev.Scan.Barcode != "ADTMM0000111" || ev.Scan.Pin == nil || *ev.Scan.Pin != "1234" {
			t.Fatalf("%v at the PIN: %+v", term, ev)
		}
	}

	ft := newFormTest(t, Options{})
	ft.scan("ADTMM0000111")
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")
	wantKind(t, ft.key(tea.KeyCtrlJ), None)
	if ft.f.Field() != Pin {
		t.Fatal("the LF of CR LF moved the form off the PIN")
	}
	ev := ft.key(tea.KeyEnter)
	if ev.Kind != Submitted || ev.Scan.Pin != nil {
		t.Fatalf("Enter alone at the PIN: %+v, want a scan with no PIN", ev)
	}

	// With text left in the field (refused), the LF right after CR does
	// nothing, and a second LF is a terminator of its own.
	ft = newFormTest(t, Options{})
	ft.scan(strings.Repeat("A", 200))
	wantKind(t, ft.key(tea.KeyEnter), Refused)
	wantKind(t, ft.key(tea.KeyCtrlJ), None)
	wantKind(t, ft.key(tea.KeyCtrlJ), Refused)

	// Enter on an empty field is no scan.
	ft = newFormTest(t, Options{})
	if ev := ft.key(tea.KeyEnter); ev.Kind != Empty || !strings.Contains(ev.Text, "No barcode") {
		t.Fatalf("Enter on an empty field: %+v", ev)
	}
	wantKind(t, ft.key(tea.KeyCtrlJ), None)
}

// A burst the idle gap closed may still get the slow scanner's own
// terminator: it does not submit the scan again, nor send it without the
// PIN it was about to be asked. A terminator long after is the operator's.
func TestLateTerminatorAfterTheIdleGap(t *testing.T) {
	for _, term := range []tea.KeyType{tea.KeyEnter, tea.KeyTab, tea.KeyCtrlJ} {
		ft := newFormTest(t, Options{})
		ft.scan("ADTMM0000111")
		ft.barcodeDone(onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0000111"), "ADTMM0000111")
		ft.h.Clock.Advance(40 * time.Millisecond)
		wantKind(t, ft.key(term), None)
		if ft.f.Field() != Pin {
			t.Fatalf("%v after the idle gap left the PIN", term)
		}
		ft.scan("1234")
		if ev := ft.key(tea.KeyEnter); ev.Kind != Submitted || ev.Scan.Pin == nil || *ev.Scan.Pin != "1234" {
			t.Fatalf("the PIN after a late terminator: %+v", ev)
		}
	}

	ft := newFormTest(t, Options{PinPrompt: PinNever})
	ft.scan("ADTMM0000111")
	ev := onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0000111")
	if sent := ft.f.SendWithoutPin(ev.Scan); sent.Kind != Submitted || sent.Scan.Barcode != "ADTMM0000111" || sent.Scan.Pin != nil {
		t.Fatalf("SendWithoutPin: %+v", sent)
	}
	ft.f.Reset()
	ft.h.Clock.Advance(40 * time.Millisecond)
	wantKind(t, ft.key(tea.KeyEnter), None)
	wantKind(t, ft.key(tea.KeyCtrlJ), None)

	ft = newFormTest(t, Options{})
	ft.scan("ADTMM0000111")
	ft.barcodeDone(onlyEvent(t, ft.settle(), BarcodeDone, "ADTMM0000111"), "ADTMM0000111")
	ft.h.Clock.Advance(2 * time.Second)
	if ev := ft.key(tea.KeyEnter); ev.Kind != Submitted || ev.Scan.Pin != nil {
		t.Fatalf("Enter two seconds after the scan: %+v, want it sent with no PIN", ev)
	}
}

// A paste is a person's act: it never ends a field on its own, not even
// one that looks like a scan.
func TestPasteNeverAutoSubmits(t *testing.T) {
	ft := newFormTest(t, Options{})
	wantKind(t, ft.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM0000111"), Paste: true}), None)
	if evs := ft.settle(); len(evs) != 0 || ft.armed != 0 {
		t.Fatalf("a paste was closed: %d timers, %+v", ft.armed, evs)
	}
	wantKind(t, ft.send(IdleMsg{}), None)
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")

	// Pasted at the PIN, it stays there: never moved to the barcode.
	wantKind(t, ft.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM0000222"), Paste: true}), None)
	if ft.f.Field() != Pin || ft.f.Value() != "ADTMM0000111" {
		t.Fatalf("a paste at the PIN moved: field %d, barcode %q", ft.f.Field(), ft.f.Value())
	}
	if ev := ft.key(tea.KeyEnter); ev.Kind != Refused || !strings.Contains(ev.Text, "digits only") {
		t.Fatalf("a pasted text as PIN: %+v", ev)
	}

	// A paste with a character the field drops is refused.
	ft = newFormTest(t, Options{})
	ft.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM\x1d0000111"), Paste: true})
	wantKind(t, ft.key(tea.KeyEnter), Refused)
}

// A control character in a scanner's burst (a GS1 separator, say) cannot be
// held by the field: the scan is refused, never sent without it. The same
// key pressed by a person long after typing is an edit.
func TestControlCharacterTaintsABurst(t *testing.T) {
	ft := newFormTest(t, Options{})
	ft.scan("ADTMM00")
	ft.h.Clock.Advance(5 * time.Millisecond)
	ft.key(tea.KeyCtrlCloseBracket)
	ft.h.Clock.Advance(5 * time.Millisecond)
	ft.scan("00111")
	if ev := ft.key(tea.KeyEnter); ev.Kind != Refused || !strings.Contains(ev.Text, "cannot be sent") {
		t.Fatalf("a burst with GS in it: %+v", ev)
	}
	if !ft.f.HoldsText() {
		t.Fatal("the refused scan is not held for correction")
	}
	// The next scan replaces it; the refused one goes back to be kept,
	// marked as the scan it was not.
	ft.h.Clock.Advance(time.Second)
	ev := ft.scan("ADTMM0000222")
	if ev.Kind != Displaced || !ev.Scan.Tainted || ev.Scan.Barcode != "ADTMM0000111" {
		t.Fatalf("a scan over the tainted one: %+v", ev)
	}
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000222")

	// In one read, closed by the idle gap.
	ft = newFormTest(t, Options{})
	ft.scan("ADTMM\x1d0000111")
	if evs := ft.settle(); len(evs) != 1 || evs[0].Kind != Refused {
		t.Fatalf("a read with GS in it: %+v", evs)
	}
	ft.f.Reset()
	ft.scan("ADTMM0000111")
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")

	// A person's ctrl+a (to the start of the field) a second later.
	ft = newFormTest(t, Options{})
	ft.typeEach("ADTMM0000111", 150*time.Millisecond)
	ft.h.Clock.Advance(time.Second)
	ft.key(tea.KeyCtrlA)
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")
}

// A keypad's six-digit PIN in one write at the PIN is the PIN.
func TestFastPinBurstStaysAPin(t *testing.T) {
	for _, pin := range []string{"123456", "12345678"} {
		for _, typeIn := range []func(ft *formTest){
			func(ft *formTest) { ft.scan(pin) },
			func(ft *formTest) { ft.typeEach(pin, 3*time.Millisecond) },
		} {
			ft := newFormTest(t, Options{})
			ft.scan("ADTMM0000111")
			ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")
			typeIn(ft)
			if evs := ft.settle(); len(evs) != 0 || ft.f.Field() != Pin || ft.f.Value() != "ADTMM0000111" {
				t.Fatalf("PIN %s: events %+v, field %d, barcode %q", pin, evs, ft.f.Field(), ft.f.Value())
			}
			if strings.Contains(ft.f.View(), pin) {
				t.Fatalf("the PIN is on screen:\n%s", ft.f.View())
			}
			if ev := ft.key(tea.KeyEnter); ev.Kind != Submitted || ev.Scan.Pin == nil || *ev.Scan.Pin != pin {
				t.Fatalf("PIN %s: %+v", pin, ev)
			}
		}
	}
}

// A PIN's fast write after a slip typed at the PIN is still a PIN: it never
// becomes the barcode, to be shown, sent and journalled as one.
func TestPinBurstAfterATypedSlipStaysAPin(t *testing.T) {
	ft := newFormTest(t, Options{})
	ft.scan("ADTMM0000111")
	ft.barcodeDone(ft.key(tea.KeyEnter), "ADTMM0000111")
	ft.typeEach("AB", 150*time.Millisecond)
	ft.h.Clock.Advance(time.Second)
	if ev := ft.scan("123456"); ev.Kind != None {
		t.Fatalf("a PIN's write after a slip: %+v", ev)
	}
	if ft.f.Field() != Pin || ft.f.Value() != "ADTMM0000111" || strings.Contains(ft.f.View(), "123456") {
		t.Fatalf("the PIN was taken for a barcode: field %d\n%s", ft.f.Field(), ft.f.View())
	}
	if ev := ft.key(tea.KeyEnter); ev.Kind != Refused || !strings.Contains(ev.Text, "digits only") {
		t.Fatalf("a PIN with a slip in it: %+v", ev)
	}

	// Nor does a control character in the write, which the field drops.
	ft = atPin(t, Options{})
	if ev := ft.scan("\x1d123456"); ev.Kind != None || ft.f.Field() != Pin || strings.Contains(ft.f.View(), "123456") {
		t.Fatalf("a PIN's write with GS in it: %+v\n%s", ev, ft.f.View())
	}
}
