// Package scanform is the scan form: the barcode and PIN fields, which of
// them takes what is typed, the voucher type of the next scan, and the timing
// of what is typed, which tells a scanner's burst from a person. A scanner
// acts as a keyboard: a scan arrives as one burst of characters and may end
// with Enter, Tab, CR LF or nothing at all (the idle gap ends it then).
//
// The form only holds and edits text. What a finished field means (a scan
// to send, one to refuse) is the counter's to decide, and the form reports a
// finished field in what Update returns rather than by a message: the
// counter must decide on a barcode (already on the order? blocked?) before
// the next keystroke is read, or the PIN field would open for a scan that is
// refused anyway.
package scanform

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// Field is which field takes what is typed.
type Field int

const (
	Barcode Field = iota
	Pin
)

// PinPrompt says whether the form asks for a PIN after each barcode.
type PinPrompt string

const (
	// PinAsk moves to the PIN field after a barcode; Enter there submits.
	PinAsk PinPrompt = "ask"
	// PinNever sends each barcode at once without a PIN.
	PinNever PinPrompt = "never"
)

// Options are the run's settings for the form.
type Options struct {
	PinPrompt PinPrompt
	// IdleGap closes a scanner burst that arrives without a terminator.
	IdleGap     time.Duration
	DefaultType api.VoucherType
	// Prefixes maps barcode prefixes to the type a scan starting with one
	// is sent as, unless F2 chose another; the longest wins.
	Prefixes map[string]api.VoucherType
	// Pinned is the type F2 pinned on the last customer's form: pinning is
	// the operator's, and outlives a customer.
	Pinned api.VoucherType
}

// holdKind is why the barcode field holds text the counter did not take.
type holdKind int

const (
	holdNone holdKind = iota
	// holdRefused: the text was refused; a new scan replaces it, and the
	// counter keeps it for ctrl+r.
	holdRefused
	// holdRestored: a failed scan brought back by ctrl+r or by the counter;
	// a new scan replaces it, and it is still listed for ctrl+r.
	holdRestored
)

// Form is the scan form.
type Form struct {
	ctx     *common.Context
	opts    Options
	keys    keyMap
	barcode textinput.Model
	pin     textinput.Model
	field   Field
	burst   burst
	types   typeChoice
	tainted bool
	// idleArmed is set while an idle-gap timer is on its way. There is one
	// at a time, not one per burst: a scanner's Enter makes most of them
	// needless.
	idleArmed bool
	// idleClosedAt is when a burst was last closed by the idle gap, so a
	// slow scanner's terminator that follows is not taken as a second submit.
	idleClosedAt time.Time
	hold         holdKind
	// lastKeyWasEnter lets the LF of a CR LF terminator be swallowed.
	lastKeyWasEnter bool
	// showtime and showtimeHint are the second line's showtime for Ticket
	// vouchers ("19:30 The Long Night", "(F3)"); "" when there is none to show.
	showtime, showtimeHint string
	width                  int
	labels                 labels
}

// IdleMsg is the idle gap's timer.
type IdleMsg struct{}

// New returns an empty form with focus on the barcode.
func New(ctx *common.Context, opts Options) *Form {
	if opts.IdleGap <= 0 {
		opts.IdleGap = 100 * time.Millisecond
	}
	if opts.DefaultType == "" {
		opts.DefaultType = api.VoucherTicket
	}
	if opts.PinPrompt == "" {
		opts.PinPrompt = PinAsk
	}
	barcode := textinput.New()
	barcode.Prompt = ""
	barcode.Placeholder = "scan or type"
	barcode.Cursor.SetMode(cursor.CursorStatic)

	pin := textinput.New()
	pin.Prompt = ""
	pin.Placeholder = "none"
	pin.EchoMode = textinput.EchoPassword
	pin.EchoCharacter = '•'
	pin.Cursor.SetMode(cursor.CursorStatic)

	f := &Form{ctx: ctx, opts: opts, keys: newKeyMap(), barcode: barcode, pin: pin, types: newTypeChoice(opts.DefaultType, opts.Prefixes),
		labels: newLabels(ctx.Styles)}
	f.types.pinned = opts.Pinned
	f.SetSize(80, 2)
	f.setField(Barcode)
	return f
}

// Pinned is the type F2 has pinned, "" when none: the next customer's form
// takes it over.
func (f *Form) Pinned() api.VoucherType { return f.types.pinned }

// Field is the field that takes what is typed.
func (f *Form) Field() Field { return f.field }

// Empty reports whether nothing is typed and the barcode field has focus.
func (f *Form) Empty() bool {
	return f.field == Barcode && f.barcode.Value() == "" && f.pin.Value() == ""
}

// HoldsText reports whether the barcode field holds text the counter did
// not take (refused, or brought back for retry).
func (f *Form) HoldsText() bool { return f.hold != holdNone && f.barcode.Value() != "" }

// Value is the text in the barcode field.
func (f *Form) Value() string { return f.barcode.Value() }

// TypeOf is the type barcode would be sent as now.
func (f *Form) TypeOf(barcode string) api.VoucherType {
	t, _ := f.types.of(barcode)
	return t
}

// Update takes a key or the idle gap's timer, and reports what finished.
func (f *Form) Update(msg tea.Msg) (Event, tea.Cmd) {
	switch msg := msg.(type) {
	case IdleMsg:
		return f.idle()
	case tea.KeyMsg:
		return f.key(msg)
	}
	return Event{}, nil
}

func (f *Form) key(msg tea.KeyMsg) (Event, tea.Cmd) {
	wasEnter := f.lastKeyWasEnter
	f.lastKeyWasEnter = msg.Type == tea.KeyEnter
	now := f.ctx.Now()
	switch {
	case msg.Type == tea.KeyCtrlJ:
		// The LF of a CR LF terminator, or a terminator with nothing before
		// it: either way the scan it ends was already taken.
		if wasEnter || f.fieldValue() == "" {
			return Event{}, nil
		}
		return f.terminate(), nil
	case key.Matches(msg, f.keys.Next):
		if f.recentlyIdleClosed(now) && f.fieldValue() == "" {
			// A slow scanner's own terminator after the idle gap closed its
			// scan: the scan is already taken.
			f.idleClosedAt = time.Time{}
			return Event{}, nil
		}
		return f.terminate(), nil
	case key.Matches(msg, f.keys.Back):
		f.setField(Barcode)
		return Event{}, nil
	case key.Matches(msg, f.keys.Type):
		f.types.cycle()
		return Event{}, nil
	case msg.Type == tea.KeyRunes:
		return f.runes(msg)
	}
	if isControlKey(msg.Type) && f.burst.fresh(now) {
		// A control key in the middle of a scanner burst is part of the
		// barcode (a GS1 separator, say) that a text field cannot hold.
		f.tainted = true
	}
	return Event{}, f.edit(msg)
}

// edit passes a key to the field with focus.
func (f *Form) edit(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch f.field {
	case Barcode:
		if k, ok := msg.(tea.KeyMsg); ok && k.Type != tea.KeyRunes {
			// The operator is editing the held text to fix it: what is
			// typed next joins it.
			f.hold = holdNone
		}
		f.barcode, cmd = f.barcode.Update(msg)
		if f.barcode.Value() == "" {
			f.tainted = false
		}
	case Pin:
		f.pin, cmd = f.pin.Update(msg)
	}
	return cmd
}

// runes routes typed or scanned text into the field with focus, watching
// its timing to tell a scanner from a person.
func (f *Form) runes(msg tea.KeyMsg) (Event, tea.Cmd) {
	f.idleClosedAt = time.Time{}
	if msg.Paste {
		// A paste is a person's deliberate act: it never ends a field.
		f.burst.reset()
		if strings.ContainsFunc(string(msg.Runes), isUnsendable) {
			f.tainted = true
		}
		return Event{}, f.edit(msg)
	}
	for _, r := range msg.Runes {
		if r < 0x20 || r == 0x7f {
			f.tainted = true
		}
	}
	var ev Event
	if f.field == Barcode && f.hold != holdNone && f.barcode.Value() != "" {
		// The field holds text the counter did not take, and the next scan
		// is typed over it: the new scan takes the field whole. Refused
		// text goes back to the counter to keep; restored text is still
		// listed where it came from.
		if f.hold == holdRefused {
			ev = Event{Kind: Displaced, Scan: Scan{Barcode: f.barcode.Value(), Type: f.TypeOf(f.barcode.Value()), Tainted: f.tainted}}
		}
		f.clearText()
	}
	now := f.ctx.Now()
	f.burst.add(now, len(msg.Runes), len([]rune(f.fieldValue())))
	if f.field == Pin && f.burst.scannerLike() && !CouldBePin(f.pinBurst(msg.Runes)) {
		return f.scanIntoPin(msg)
	}
	cmd := f.edit(msg)
	if f.field == Barcode && f.burst.scannerLike() && f.burst.wholeField() {
		cmd = tea.Batch(cmd, f.armIdle(f.opts.IdleGap))
	}
	return ev, cmd
}

// scanIntoPin handles a scan that lands while the PIN field has focus: the
// new scan becomes the next voucher, so a scan is never taken for a PIN. The
// barcode that waited for its PIN is not sent: without its PIN a voucher
// that has one would lose one of its few PIN attempts, which nobody chose to
// spend. The counter keeps it for ctrl+r.
func (f *Form) scanIntoPin(msg tea.KeyMsg) (Event, tea.Cmd) {
	scanned := f.pinBurst(msg.Runes)
	var ev Event
	if f.hold != holdRestored {
		if barcode, err := ValidateBarcode(f.barcode.Value()); err == nil {
			vtype, prefix := f.types.of(barcode)
			ev = Event{Kind: LeftAtPin, Scan: Scan{Barcode: barcode, Type: vtype, Prefix: prefix}}
		}
	}
	// A control character in the burst goes with the scan: the field
	// drops it, so what it keeps is not the barcode scanned.
	tainted := f.tainted
	f.Reset()
	f.tainted = tainted
	f.barcode.SetValue(scanned)
	f.barcode.CursorEnd()
	f.burst = burst{runes: len([]rune(scanned)), last: f.ctx.Now()}
	return ev, f.armIdle(f.opts.IdleGap)
}

// pinBurst is the burst at the PIN with runes added: what the PIN field got
// of it since it began, without what was typed there before it. Whether the
// burst could be a PIN is its own text's to say: a slip typed before a
// keypad's write does not make the PIN a barcode.
func (f *Form) pinBurst(runes []rune) string {
	typed := []rune(f.pin.Value())
	start := min(f.burst.startLen, len(typed))
	return string(typed[start:]) + string(runes)
}

// armIdle starts the idle-gap timer, to fire after wait, unless one is
// already on its way: that one looks again when it fires.
func (f *Form) armIdle(wait time.Duration) tea.Cmd {
	if f.idleArmed {
		return nil
	}
	f.idleArmed = true
	return f.ctx.After(wait, IdleMsg{})
}

// idle closes a scanner burst that ended without a terminator.
func (f *Form) idle() (Event, tea.Cmd) {
	f.idleArmed = false
	if f.field != Barcode || !f.burst.scannerLike() || !f.burst.wholeField() {
		return Event{}, nil
	}
	if quiet := f.ctx.Now().Sub(f.burst.last); quiet < f.opts.IdleGap {
		// More characters came after this timer was set: wait out the
		// rest of the gap from the last of them.
		return Event{}, f.armIdle(f.opts.IdleGap - quiet)
	}
	ev := f.terminate()
	f.idleClosedAt = f.ctx.Now()
	return ev, nil
}

// recentlyIdleClosed reports whether the idle gap closed a burst so lately
// that a terminator now is the slow scanner's own, not a second submit.
func (f *Form) recentlyIdleClosed(now time.Time) bool {
	return !f.idleClosedAt.IsZero() && now.Sub(f.idleClosedAt) <= max(lateTerminatorWindow, 2*f.opts.IdleGap)
}

// taintedText refuses a scan that carried a character the field dropped.
const taintedText = "The scan had a character that cannot be sent (a scanner setting?). Press Esc to clear it and scan again."

// terminate ends the field with focus: Enter, Tab, LF or the idle gap.
func (f *Form) terminate() Event {
	f.burst.reset()
	switch f.field {
	case Barcode:
		raw := f.barcode.Value()
		if f.tainted {
			f.hold = holdRefused
			return Event{Kind: Refused, Text: taintedText}
		}
		barcode, err := ValidateBarcode(raw)
		if err != nil {
			if strings.TrimSpace(raw) == "" {
				// Enter on an empty field is no scan to keep.
				return Event{Kind: Empty, Text: err.Error()}
			}
			f.hold = holdRefused
			return Event{Kind: Refused, Text: err.Error()}
		}
		vtype, prefix := f.types.of(barcode)
		return Event{Kind: BarcodeDone, Scan: Scan{Barcode: barcode, Type: vtype, Prefix: prefix}}
	case Pin:
		if f.tainted && f.hold == holdRestored {
			// A scan brought back that had a character the field dropped:
			// with or without its PIN it is not the barcode scanned.
			return Event{Kind: Refused, Text: taintedText}
		}
		pin := f.pin.Value()
		if err := validatePin(pin); err != nil {
			return Event{Kind: Refused, Text: err.Error()}
		}
		barcode, err := ValidateBarcode(f.barcode.Value())
		if err != nil {
			f.setField(Barcode)
			return Event{Kind: Refused, Text: err.Error()}
		}
		vtype, prefix := f.types.of(barcode)
		s := Scan{Barcode: barcode, Type: vtype, Prefix: prefix}
		if pin != "" {
			s.Pin = &pin
		}
		return Event{Kind: Submitted, Scan: s}
	}
	return Event{}
}

// SendWithoutPin is BarcodeDone answered with "send it now": the scan as it
// goes without a PIN step.
func (f *Form) SendWithoutPin(s Scan) Event {
	return Event{Kind: Submitted, Scan: s}
}

// AskPin moves to the PIN field for the barcode in the form.
func (f *Form) AskPin() { f.setField(Pin) }

// PinPrompt is the run's setting.
func (f *Form) PinPrompt() PinPrompt { return f.opts.PinPrompt }

// Hold keeps the refused text in the barcode field to be corrected: the next
// scan replaces it (and reports it Displaced).
func (f *Form) Hold() {
	f.hold = holdRefused
	f.setField(Barcode)
}

// Restore puts a failed scan back in the form for retry, at the PIN unless
// the counter asks no PIN. It goes as the type it went as, unless F2 chose
// another since.
func (f *Form) Restore(s Scan) {
	f.clearText()
	f.barcode.SetValue(s.Barcode)
	f.barcode.CursorEnd()
	f.hold = holdRestored
	f.types.retrying(s.Type)
	// A scan refused for a character the field could not hold is still
	// that scan: brought back without it, it would send another barcode.
	f.tainted = s.Tainted
	if f.opts.PinPrompt == PinNever {
		f.setField(Barcode)
	} else {
		f.setField(Pin)
	}
}

// Reset empties the form for the next scan. A type chosen for one scan goes
// with it; a pinned one stays.
func (f *Form) Reset() {
	f.types.taken()
	f.clearText()
	f.setField(Barcode)
}

func (f *Form) clearText() {
	f.hold = holdNone
	f.barcode.SetValue("")
	f.pin.SetValue("")
	f.tainted = false
	f.burst.reset()
}

func (f *Form) setField(to Field) {
	f.field = to
	f.barcode.Blur()
	f.pin.Blur()
	switch to {
	case Barcode:
		f.barcode.Focus()
	case Pin:
		f.pin.Focus()
	}
	f.burst.reset()
}

func (f *Form) fieldValue() string {
	if f.field == Pin {
		return f.pin.Value()
	}
	return f.barcode.Value()
}
