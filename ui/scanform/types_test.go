package scanform

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/boxoffice/boxoffice/api"
)

// typeLine is the form's second line, as drawn.
func typeLine(f *Form) string {
	lines := strings.Split(f.View(), "\n")
	if len(lines) < 2 {
		return ""
	}
	return strings.TrimSpace(lines[1])
}

// F2 goes from the default to each other type for one scan, then pins it,
// then moves on, and back to the default. A choice for one scan goes with
// it; a pinned one stays for every scan, and for the next customer's form.
func TestF2Cycle(t *testing.T) {
	ft := newFormTest(t, Options{})
	steps := []struct {
		line  string
		vtype api.VoucherType
	}{
		{"Type Deal · this scan (F2 again pins it)", api.VoucherDeal},
		{"Type Deal · pinned (F2)", api.VoucherDeal},
		{"Type Subscription · this scan (F2 again pins it)", api.VoucherSubscription},
		{"Type Subscription · pinned (F2)", api.VoucherSubscription},
		{"Type Ticket (F2)", api.VoucherTicket},
	}
	for i, st := range steps {
		ft.key(tea.KeyF2)
		if got := typeLine(ft.f); got != st.line {
			t.Fatalf("after %d F2: %q, want %q", i+1, got, st.line)
		}
		if got := ft.f.TypeOf("ADTMM0000111"); got != st.vtype {
			t.Fatalf("after %d F2 a scan goes as %s", i+1, got)
		}
	}

	// Once: the scan goes as Deal, the next as the default.
	ft = newFormTest(t, Options{PinPrompt: PinNever})
	ft.key(tea.KeyF2)
	ft.scan("9300000000017")
	ev := ft.key(tea.KeyEnter)
	if ev.Kind != BarcodeDone || ev.Scan.Type != api.VoucherDeal || ev.Scan.Prefix != "" {
		t.Fatalf("a scan after F2: %+v", ev)
	}
	ft.f.Reset()
	if got := typeLine(ft.f); got != "Type Ticket (F2)   no PIN step" {
		t.Fatalf("after the scan: %q", got)
	}

	// Pinned: it outlasts the scan and the form.
	ft.key(tea.KeyF2)
	ft.key(tea.KeyF2)
	for _, barcode := range []string{"9300000000017", "9300000000024"} {
		ft.scan(barcode)
		if ev := ft.key(tea.KeyEnter); ev.Scan.Type != api.VoucherDeal {
			t.Fatalf("%s went as %s with Deal pinned", barcode, ev.Scan.Type)
		}
		ft.f.Reset()
	}
	if ft.f.Pinned() != api.VoucherDeal {
		t.Fatalf("Pinned() = %q", ft.f.Pinned())
	}
	next := newFormTest(t, Options{Pinned: ft.f.Pinned()})
	if got := typeLine(next.f); got != "Type Deal · pinned (F2)" {
		t.Fatalf("the next customer's form: %q", got)
	}

	// The cycle starts from the configured default.
	ft = newFormTest(t, Options{DefaultType: api.VoucherDeal})
	ft.key(tea.KeyF2)
	if got := typeLine(ft.f); got != "Type Subscription · this scan (F2 again pins it)" {
		t.Fatalf("F2 from a Deal default: %q", got)
	}
}

// A scan brought back for retry goes as it went, unless F2 chose a type
// for it before; F2 on it moves on from there.
func TestRestoreAndF2(t *testing.T) {
	ft := newFormTest(t, Options{})
	ft.key(tea.KeyF2)
	ft.f.Restore(Scan{Barcode: "ADTMM0000111", Type: api.VoucherTicket})
	if got := ft.f.TypeOf("ADTMM0000111"); got != api.VoucherDeal {
		t.Fatalf("F2's Deal before the retry became %s", got)
	}
	ft.scan("1234")
	if ev := ft.key(tea.KeyEnter); ev.Kind != Submitted || ev.Scan.Type != api.VoucherDeal {
		t.Fatalf("the retried scan: %+v", ev)
	}

	ft = newFormTest(t, Options{})
	ft.f.Restore(Scan{Barcode: "SUBS00070707", Type: api.VoucherSubscription})
	if got := typeLine(ft.f); got != "Type Subscription · this scan (F2 again pins it)" {
		t.Fatalf("a Subscription scan brought back: %q", got)
	}
	ft.f.Reset()
	ft.f.Restore(Scan{Barcode: "ADTMM0000111", Type: api.VoucherTicket})
	ft.key(tea.KeyF2)
	if got := typeLine(ft.f); got != "Type Deal · this scan (F2 again pins it)" {
		t.Fatalf("F2 on a scan brought back as the default: %q", got)
	}
}

// voucher_prefixes choose a scan's type: the longest prefix wins, in any
// case, and F2 is the operator's word over the prefix's.
func TestPrefixesChooseTheType(t *testing.T) {
	prefixes := map[string]api.VoucherType{"93": api.VoucherSubscription, "9300": api.VoucherDeal, "subs": api.VoucherSubscription}
	tests := []struct {
		barcode, prefix string
		vtype           api.VoucherType
		line            string
	}{
		{"9300000000017", "9300", api.VoucherDeal, "Type Deal · prefix 9300 (F2)"},
		{"9312000000017", "93", api.VoucherSubscription, "Type Subscription · prefix 93 (F2)"},
		{"SUBS00070707", "SUBS", api.VoucherSubscription, "Type Subscription · prefix SUBS (F2)"},
		{"subs00070707", "SUBS", api.VoucherSubscription, "Type Subscription · prefix SUBS (F2)"},
		{"ADTMM0000444", "", api.VoucherTicket, "Type Ticket (F2)"},
	}
	for _, tt := range tests {
		ft := newFormTest(t, Options{Prefixes: prefixes})
		ft.scan(tt.barcode)
		if got := typeLine(ft.f); got != tt.line {
			t.Errorf("%s: the form says %q, want %q", tt.barcode, got, tt.line)
		}
		ev := ft.key(tea.KeyEnter)
		if ev.Scan.Type != tt.vtype || ev.Scan.Prefix != tt.prefix {
			t.Errorf("%s went as %s by prefix %q, want %s by %q", tt.barcode, ev.Scan.Type, ev.Scan.Prefix, tt.vtype, tt.prefix)
		}
	}
	ft := newFormTest(t, Options{Prefixes: prefixes})
	for range 3 {
		ft.key(tea.KeyF2)
	}
	ft.scan("9300000000024")
	if ev := ft.key(tea.KeyEnter); ev.Scan.Type != api.VoucherSubscription || ev.Scan.Prefix != "" {
		t.Fatalf("F2 over a prefix: %+v", ev.Scan)
	}
}

// The second line names the showtime a Ticket voucher goes to: its time is
// never cut, the film's title gives way, and when even that does not fit
// the showtime gets a line of its own.
func TestSecondLineFitsTheShowtime(t *testing.T) {
	const choice = "19:30 The Lighthouse Keeper's Daughter"
	for _, opts := range []Options{{}, {PinPrompt: PinNever}} {
		for w := 38; w <= 120; w++ {
			ft := newFormTest(t, opts)
			ft.f.SetShowtime(choice, "(F3)")
			ft.f.SetSize(w, 0)
			lines := strings.Split(ft.f.View(), "\n")
			if len(lines) != ft.f.Height(w) {
				t.Fatalf("width %d: Height %d, View %d lines", w, ft.f.Height(w), len(lines))
			}
			last := lines[len(lines)-1]
			if !strings.Contains(last, "Showtime 19:30 The") || !strings.Contains(last, " (F3)") {
				t.Fatalf("width %d: the showtime line is %q", w, last)
			}
			for _, l := range lines {
				if lw := lipgloss.Width(l); lw > w {
					t.Errorf("width %d: a line of %d columns: %q", w, lw, l)
				}
			}
			// Shared while the time and eight columns of the title fit
			// beside the type (and "no PIN step").
			shared, wide := len(lines) == 2, w >= 49
			if opts.PinPrompt == PinNever {
				wide = w >= 49+len("   no PIN step")
			}
			if wide != shared {
				t.Errorf("width %d: the showtime shares the type's line: %v\n%s", w, shared, ft.f.View())
			}
			if strings.Contains(ft.f.View(), "no PIN step") != (opts.PinPrompt == PinNever) {
				t.Errorf("width %d: no PIN step is said wrongly:\n%s", w, ft.f.View())
			}
		}
	}

	ft := newFormTest(t, Options{})
	ft.f.SetShowtime(choice, "(F3)")
	ft.f.SetSize(120, 0)
	if got := typeLine(ft.f); got != "Type Ticket (F2)   Showtime "+choice+" (F3)" {
		t.Fatalf("at 120 columns: %q", got)
	}
	ft.f.SetSize(60, 0)
	if got := typeLine(ft.f); got != "Type Ticket (F2)   Showtime 19:30 The Lighthouse Kee… (F3)" {
		t.Fatalf("at 60 columns: %q", got)
	}
	// Not a Ticket voucher: no showtime to name.
	ft.key(tea.KeyF2)
	if strings.Contains(ft.f.View(), "Showtime") || ft.f.Height(60) != 2 {
		t.Fatalf("a Deal scan names a showtime:\n%s", ft.f.View())
	}
}

// The form's keys are never printable: a scanner types into it whatever
// is on screen.
func TestFormKeysAreNotPrintable(t *testing.T) {
	f := newFormTest(t, Options{}).f
	for _, col := range f.FullHelp() {
		for _, b := range col {
			for _, k := range b.Keys() {
				if len([]rune(k)) == 1 || k == "space" {
					t.Errorf("%q (%s) is a printable key", k, b.Help().Desc)
				}
			}
		}
	}
}
