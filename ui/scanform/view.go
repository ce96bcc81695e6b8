package scanform

// What the form draws: its two lines, its height at a width and its keys.

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
)

// SetShowtime sets the showtime the second line names for Ticket vouchers
// ("19:30 The Long Night") with the key that changes it ("(F3)"); "" shows
// none.
func (f *Form) SetShowtime(choice, hint string) { f.showtime, f.showtimeHint = choice, hint }

// SetSize fits the fields to the width.
func (f *Form) SetSize(width, _ int) {
	f.width = width
	f.barcode.Width = max(min(width/2-14, 40), 8)
	f.pin.Width = 8
}

// Height is how many lines the form takes at width: two, or three when the
// showtime does not fit beside the voucher type. It is worked out from the
// texts' widths, not by drawing the form.
func (f *Form) Height(width int) int {
	if f.TypeOf(f.barcode.Value()) != api.VoucherTicket || f.showtime == "" {
		return 2
	}
	typeText, how, _ := strings.Cut(f.types.label(f.barcode.Value()), " ")
	line2 := len("  Type ") + ansi.StringWidth(typeText) + 1 + ansi.StringWidth(how)
	noPin := 0
	if f.opts.PinPrompt == PinNever {
		noPin = len("   no PIN step")
	}
	room := width - line2 - len("   Showtime ") - len(f.showtimeHint) - 1 - noPin
	if _, ok := fitShowtimeChoice(f.showtime, room); ok {
		return 2
	}
	return 3
}

// View draws the form.
func (f *Form) View() string { return strings.Join(f.lines(f.width), "\n") }

// labels are the form's fixed words, drawn once.
type labels struct {
	barcodeOn, barcodeOff, pinOn, pinOff, typeLabel, noPin, showtimeShared, showtimeOwn string
}

func newLabels(s *common.Styles) labels {
	return labels{
		barcodeOn: s.FieldFocus.Render("▸ Barcode"), barcodeOff: s.FieldBlur.Render("  Barcode"),
		pinOn: s.FieldFocus.Render("▸ PIN"), pinOff: s.FieldBlur.Render("  PIN"),
		typeLabel: s.Label.Render("  Type "), noPin: s.Muted.Render("   no PIN step"),
		showtimeShared: s.Label.Render("   Showtime "), showtimeOwn: s.Label.Render("  Showtime "),
	}
}

func (f *Form) lines(w int) []string {
	s := f.ctx.Styles
	l := &f.labels
	barcode, pin := l.barcodeOff, l.pinOff
	if f.field == Barcode {
		barcode = l.barcodeOn
	} else {
		pin = l.pinOn
	}
	line1 := barcode + " [" + f.barcode.View() + "]"
	if f.opts.PinPrompt == PinAsk {
		line1 += "  " + pin + " [" + f.pin.View() + "]"
	}
	typeText, how, _ := strings.Cut(f.types.label(f.barcode.Value()), " ")
	line2 := l.typeLabel + typeText + s.Muted.Render(" "+how)
	noPin := ""
	if f.opts.PinPrompt == PinNever {
		noPin = l.noPin
	}
	if f.TypeOf(f.barcode.Value()) != api.VoucherTicket || f.showtime == "" {
		return []string{line1, line2 + noPin}
	}
	shared := "   Showtime "
	room := w - lipgloss.Width(line2) - len(shared) - len(f.showtimeHint) - 1 - lipgloss.Width(noPin)
	if fitted, ok := fitShowtimeChoice(f.showtime, room); ok {
		return []string{line1, line2 + l.showtimeShared + fitted + s.Muted.Render(" "+f.showtimeHint) + noPin}
	}
	// Too narrow to share the line: the showtime gets one of its own.
	own := "  Showtime "
	fitted, _ := fitShowtimeChoice(f.showtime, w-len(own)-len(f.showtimeHint)-1)
	return []string{line1, line2 + noPin, l.showtimeOwn + fitted + s.Muted.Render(" "+f.showtimeHint)}
}

// fitShowtimeChoice fits "19:30 The Long Night" into room columns: the film's
// title gives way, never the time. It reports false when not even the time
// and a little of the title fit.
func fitShowtimeChoice(choice string, room int) (string, bool) {
	if ansi.StringWidth(choice) <= room {
		return choice, true
	}
	start, title := "", choice
	if len(choice) > 6 && choice[2] == ':' && choice[5] == ' ' {
		start, title = choice[:6], choice[6:]
	}
	const minTitle = 8
	if room-len(start) < minTitle {
		return ansi.Truncate(choice, max(room, len(start)+minTitle), "…"), false
	}
	return start + ansi.Truncate(title, room-len(start), "…"), true
}

// Hint is what the status line says while nothing else is announced and
// the form is waiting: "" when the counter has its own words.
func (f *Form) Hint() string {
	if f.field == Pin {
		return "Type the PIN and press Enter (Enter alone if the voucher has none)."
	}
	return ""
}

type keyMap struct {
	Next, Back, Type, Clear key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next:  key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter", "attach")),
		Back:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back")),
		Type:  key.NewBinding(key.WithKeys("f2"), key.WithHelp("f2", "voucher type")),
		Clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear / keep")),
	}
}

// ShortHelp is the form's own keys for the bar: none, as its hint says what
// Enter does.
func (f *Form) ShortHelp() []key.Binding { return nil }

// FullHelp lists the form's keys.
func (f *Form) FullHelp() [][]key.Binding {
	return [][]key.Binding{{f.keys.Next, f.keys.Back, f.keys.Type, f.keys.Clear}}
}
