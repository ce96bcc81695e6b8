package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"

	"github.com/boxoffice/boxoffice/internal/testkit"
)

// pacedModel is a loaded counter, drawn once, with a 10 ms redraw interval
// on a clock of its own, sending a scan: drawings are held back only while
// scans are queued or in flight.
func pacedModel() (Model, *testkit.Clock) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinAsk, clock.Now)
	m.pacer = newFramePacer(10 * time.Millisecond)
	m.pacer.now = clock.Now
	m.scans.inFlight = &scanItem{seq: 1, barcode: "ADTMM0001001", vtype: api.VoucherTicket, showtimeID: "0001-2681"}
	m.View()
	return m, clock
}

func update(t *testing.T, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	return next.(Model), cmd
}

func TestPacedViewPutsOffADrawingAndRedrawsLater(t *testing.T) {
	m, clock := pacedModel()
	first := m.View()

	clock.Advance(time.Millisecond)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM00")})
	if !m.pacer.pending {
		t.Fatal("a change within the interval must send a redraw for later")
	}
	if got := m.View(); got != first {
		t.Fatalf("a View within the interval drew again:\n%s", got)
	}

	// More keys in the same interval share the one redraw.
	clock.Advance(time.Millisecond)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("00111")})
	if got := m.View(); got != first {
		t.Fatalf("a second View within the interval drew again:\n%s", got)
	}

	clock.Advance(8 * time.Millisecond)
	m, cmd := update(t, m, redrawMsg{})
	if m.pacer.pending || cmd != nil {
		t.Fatalf("the redraw is due: nothing more should wait (pending %v, cmd %v)", m.pacer.pending, cmd != nil)
	}
	if got := m.View(); !strings.Contains(got, "ADTMM0000111") {
		t.Fatalf("the redraw does not show what was typed meanwhile:\n%s", got)
	}
}

func TestPacedViewDrawsAtOnceAfterAQuietSpell(t *testing.T) {
	m, clock := pacedModel()

	clock.Advance(time.Second)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM0000111")})
	if m.pacer.pending {
		t.Fatal("a change after a quiet spell needs no redraw for later")
	}
	if got := m.View(); !strings.Contains(got, "ADTMM0000111") {
		t.Fatalf("a change after a quiet spell is not drawn at once:\n%s", got)
	}
	// Nothing changed since: the same drawing, without drawing again.
	if !m.pacer.drawn || m.pacer.dirty {
		t.Fatalf("the drawing should be current: %+v", m.pacer)
	}
}

func TestPacedViewNeverHoldsAChangeWithoutARedrawOnItsWay(t *testing.T) {
	m, clock := pacedModel()
	for i := range 50 {
		clock.Advance(time.Duration(i%4) * time.Millisecond)
		if i%10 == 0 {
			// Short enough to be shown whole in the field.
			m.form.barcode.SetValue("")
		}
		m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune('A' + i%26)}})
		typed := m.form.barcode.Value()
		if got := m.View(); !strings.Contains(got, typed) && !m.pacer.pending {
			t.Fatalf("key %d: %q is not drawn and no redraw is on its way", i, typed)
		}
		if m.pacer.pending && clock.Now().Sub(m.pacer.drawnAt) >= 10*time.Millisecond {
			if m, _ = update(t, m, redrawMsg{}); !strings.Contains(m.View(), typed) {
				t.Fatalf("key %d: the redraw did not draw %q", i, typed)
			}
		}
	}
}

func TestPacedViewDrawsAtOnceWhenNoScanIsLeft(t *testing.T) {
	m, clock := pacedModel()
	clock.Advance(time.Millisecond)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM00")})
	if !m.pacer.pending {
		t.Fatal("with a scan in flight, a change within the interval is held")
	}
	// The last answer of a burst: nothing is left to send, so its outcome
	// is drawn now, though the interval is not up and a redraw is on its way.
	m.scans.inFlight = nil
	clock.Advance(time.Millisecond)
	m, _ = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("00111")})
	if got := m.View(); !strings.Contains(got, "ADTMM0000111") {
		t.Fatalf("with no scan left, the change is not drawn at once:\n%s", got)
	}
}

func TestUnpacedViewDrawsEveryTime(t *testing.T) {
	clock := testkit.NewClock(time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC))
	m := loadedModel(PinAsk, clock.Now)
	m.View()
	m, cmd := update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ADTMM0000111")})
	if m.pacer.pending {
		t.Fatal("without an interval nothing is put off")
	}
	_ = cmd
	if got := m.View(); !strings.Contains(got, "ADTMM0000111") {
		t.Fatalf("an unpaced View must draw the change at once:\n%s", got)
	}
}

// With the program's own timing, a burst ends with its last state on screen:
// the redraw that follows the last message draws it.
func TestPacedCounterShowsTheEndOfABurst(t *testing.T) {
	c := startCounter(t, counterSetup{opts: func(o *Options) {
		o.PinPrompt = PinNever
		o.RedrawInterval = 50 * time.Millisecond
	}})
	const n = 12
	for i := range n {
		c.scan(fmt.Sprintf("ADTMM0001%03d", 1+i))
		c.key(tea.KeyEnter)
	}
	c.waitFor(fmt.Sprintf("Vouchers on this order (%d)", n))
	m := c.final()
	if got := m.vouchers.len(); got != n {
		t.Fatalf("%d vouchers listed, want %d", got, n)
	}
}
