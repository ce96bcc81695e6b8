package seatmap

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

// The map opens with the order's seats chosen and the cursor on the first
// of them; the header says the choice against the tickets.
func TestOpensOnTheOrdersSeats(t *testing.T) {
	d := demoWith(t, repeat(2, adult), "F12", "F13")
	m := d.open(80, 24)
	if got := header(m); got != "Seats · 2 seats for 2 Standard tickets: 2 chosen (F13, F12)" {
		t.Errorf("header %q", got)
	}
	m.SetTitle("Paper Moons 22:40, Screen 4")
	if got := header(m); got != "Seats · 2 seats for 2 Standard tickets: 2 chosen (F13, F12) · Paper Moons 22:40…" {
		t.Errorf("header with a title %q", got)
	}
	if got := m.Plan().Names(m.Chosen()); !slices.Equal(got, []string{"F13", "F12"}) {
		t.Errorf("chosen %v", got)
	}
	// Screen 4 numbers its seats from the right: F13 is left of F12.
	if got := rowOf(t, m, "F"); !strings.Contains(got, "x o[#]# o") {
		t.Errorf("row F: %q", got)
	}
	if row, sym := cursor(m); row != "F" || sym != "#" {
		t.Errorf("cursor on row %q at %q", row, sym)
	}
	if got := status(m); !strings.HasPrefix(got, "F13: this order's seat · Stalls (Standard) · enter frees · F7 sends") {
		t.Errorf("status %q", got)
	}
	// Given the lines it wants, it draws the whole house without scrolling.
	m.SetSize(120, m.Want())
	if view := m.View(); len(lines(m)) != m.Want() || strings.ContainsAny(view, "↑↓") || !strings.Contains(view, "SCREEN") || !strings.Contains(view, " R ") {
		t.Errorf("in the %d lines it wants:\n%s", m.Want(), view)
	}
	// Esc closes, saying nothing was changed.
	if msg, ok := commontest.Find[CloseMsg](press(m, tea.KeyEsc)); !ok || msg.Changed {
		t.Errorf("esc: %+v %v", msg, ok)
	}
	var help []string
	for _, b := range m.ShortHelp() {
		help = append(help, b.Help().Key+" "+b.Help().Desc)
	}
	if got := strings.Join(help, " · "); got != "←↑↓→ move · enter/space take or free · a-z 0-9 ⌫ type a seat's name · f7 send seats · esc close" || len(m.FullHelp()[0]) != 5 {
		t.Errorf("help %q", got)
	}
}

// Without seats, the cursor opens on a free seat near the middle of the
// area the tickets may use, two thirds of the way back.
func TestOpensNearTheMiddle(t *testing.T) {
	d := demoWith(t, repeat(2, premiumAdult))
	m := d.open(80, 24)
	if got := status(m); !strings.HasPrefix(got, "Q9: free · Premium · enter takes") {
		t.Errorf("status %q", got)
	}
	if row, sym := cursor(m); row != "Q" || sym != "o" {
		t.Errorf("cursor on row %q at %q", row, sym)
	}
	d = demoWith(t, repeat(2, adult))
	if got := status(d.open(80, 24)); !strings.HasPrefix(got, "K12: free · Stalls (Standard)") {
		t.Errorf("for Standard tickets: %q", got)
	}
}

// Arrows move seat by seat as the seats are drawn, across aisles and from
// one area into the next; at the edge of the plan they stay.
func TestArrowsMove(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(80, 24)
	steps := []struct {
		key  tea.KeyType
		seat string
	}{
		// Screen 4 numbers its stalls from the right.
		{tea.KeyRight, "K11"}, {tea.KeyLeft, "K12"}, {tea.KeyUp, "J12"}, {tea.KeyDown, "K12"},
		{tea.KeyDown, "L12"}, {tea.KeyDown, "M12"}, {tea.KeyDown, "N12"}, {tea.KeyDown, "O12"},
		// Into Premium, numbered from the left, whose grid lines up with
		// the stalls'.
		{tea.KeyDown, "P10"}, {tea.KeyDown, "Q10"}, {tea.KeyDown, "R11"}, {tea.KeyDown, "R11"},
	}
	for i, st := range steps {
		press(m, st.key)
		if got := status(m); !strings.HasPrefix(got, st.seat+":") {
			t.Fatalf("step %d: status %q, want %s:\n%s", i, got, st.seat, m.View())
		}
	}
	for range 30 {
		press(m, tea.KeyRight)
	}
	if got := status(m); !strings.HasPrefix(got, "R20:") {
		t.Errorf("at the right end: %q", got)
	}
	typeKeys(m, "B5")
	press(m, tea.KeyRight)
	// B5 is left of the stalls' right aisle; the next seat is across it.
	if got := status(m); !strings.HasPrefix(got, "B4:") {
		t.Errorf("across the aisle: %q", got)
	}
}

// Enter or space takes the seat under the cursor, and frees it again.
func TestTakeAndFree(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(80, 24)
	press(m, tea.KeyEnter)
	if row, sym := cursor(m); row != "K" || sym != "*" {
		t.Fatalf("after enter the cursor is on %q at %q", row, sym)
	}
	if got := header(m); got != "Seats · 2 seats for 2 Standard tickets: 1 chosen (K12)" {
		t.Errorf("header %q", got)
	}
	if got := status(m); !strings.HasPrefix(got, "K12: chosen, not yet sent · Stalls (Standard) · enter frees · esc closes") {
		t.Errorf("status %q", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	if _, sym := cursor(m); sym != "o" || !strings.HasSuffix(header(m), "0 chosen") {
		t.Errorf("space did not free it: %q, %q", sym, header(m))
	}
	// A seat taken by another order is refused in words.
	typeKeys(m, "K13")
	press(m, tea.KeyEnter)
	if got := status(m); got != "✗ K13 is taken." || !strings.HasSuffix(header(m), "0 chosen") {
		t.Errorf("taking a sold seat: %q, %q", got, header(m))
	}
}

// A sofa is taken and freed whole, from either of its seats; half a sofa
// whose other seat is sold is refused.
func TestSofaWhole(t *testing.T) {
	d := demoWith(t, repeat(2, premiumAdult))
	m := d.open(80, 24)
	typeKeys(m, "R1")
	press(m, tea.KeyEnter)
	if got := rowOf(t, m, "R"); !strings.Contains(got, "[*]* x x") {
		t.Errorf("row R: %q", got)
	}
	if got := status(m); got != "Took sofa R1, R2 whole: its seats go together." {
		t.Errorf("status %q", got)
	}
	if got := header(m); !strings.HasSuffix(got, "2 chosen (R1, R2)") {
		t.Errorf("header %q", got)
	}
	press(m, tea.KeyRight, tea.KeyEnter)
	if got := rowOf(t, m, "R"); !strings.Contains(got, "s[s]x x") || !strings.HasSuffix(header(m), "0 chosen") {
		t.Errorf("freed from its other seat: %q, %q", got, header(m))
	}
	press(m, tea.KeyRight, tea.KeyEnter)
	if got := status(m); got != "✗ R3 is taken." {
		t.Errorf("a sold sofa: %q", got)
	}
}

// Typing a seat's name goes to it as it is typed, in either case, and
// shows what is typed; backspace edits; enter then takes the seat.
func TestGoToATypedSeat(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(80, 24)
	typeKeys(m, "f")
	if got := status(m); got != "Go to: f… · type the rest of the seat's name, row and number (F12)" {
		t.Errorf("after f: %q", got)
	}
	typeKeys(m, "1")
	if got := status(m); !strings.HasPrefix(got, "Go to: f1 → F1: free · Stalls (Standard) · enter takes it") {
		t.Errorf("after f1: %q", got)
	}
	typeKeys(m, "2")
	if row, _ := cursor(m); row != "F" || !strings.HasPrefix(status(m), "Go to: f12 → F12: free") {
		t.Errorf("after f12 the cursor is on row %q: %q", row, status(m))
	}
	press(m, tea.KeyBackspace)
	if got := status(m); !strings.HasPrefix(got, "Go to: f1 → F1: free") {
		t.Errorf("after backspace: %q", got)
	}
	press(m, tea.KeyEnter)
	if got := header(m); !strings.HasSuffix(got, "1 chosen (F1)") || !strings.HasPrefix(status(m), "F1: chosen, not yet sent") {
		t.Errorf("enter after f1: %q, %q", got, status(m))
	}
	// A name arriving in one read, as a fast typist's does.
	m.Update(commontest.Runes("G7"))
	if got := status(m); !strings.HasPrefix(got, "Go to: G7 → G7: taken") {
		t.Errorf("a burst: %q", got)
	}
	// The next name starts over what found its seat.
	typeKeys(m, "K12")
	if got := status(m); !strings.HasPrefix(got, "Go to: K12 → K12: free") {
		t.Errorf("K12 after G7: %q", got)
	}
	// Esc clears what is typed and closes nothing; the next esc closes.
	if cmd := press(m, tea.KeyEsc); cmd != nil || strings.HasPrefix(status(m), "Go to") {
		t.Errorf("esc with a name typed: %v, %q", cmd, status(m))
	}
	msg, ok := commontest.Find[CloseMsg](press(m, tea.KeyEsc))
	if !ok || !msg.Changed {
		t.Errorf("esc closes with %+v %v", msg, ok)
	}
}

// A name that matches no seat says so plainly, and enter takes nothing.
func TestTypedSeatNotFound(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(80, 24)
	row, _ := cursor(m)
	typeKeys(m, "z99")
	want := "✗ Go to: z99 · there is no seat z99 in this showtime's layout. Backspace edits, esc clears."
	if got := said(m); !strings.Contains(got, want) {
		t.Errorf("z99:\n%s", m.View())
	}
	press(m, tea.KeyEnter)
	if got := said(m); !strings.Contains(got, "✗ There is no seat z99 in this showtime's layout. Backspace edits, esc clears.") || !strings.HasSuffix(header(m), "0 chosen") {
		t.Errorf("enter on z99:\n%s", m.View())
	}
	if r, _ := cursor(m); r != row {
		t.Errorf("the cursor moved to row %q", r)
	}
	press(m, tea.KeyBackspace, tea.KeyBackspace, tea.KeyBackspace)
	if strings.Contains(m.View(), "z") {
		t.Errorf("backspace did not edit:\n%s", m.View())
	}
}

// F7 sends only a choice as many as the tickets that need seats, and
// says plainly how far the choice is from it.
func TestSendWaitsForTheCount(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(80, 24)
	typeKeys(m, "F12")
	press(m, tea.KeyEnter)
	if _, ok := commontest.Find[SendMsg](press(m, tea.KeyF7)); ok {
		t.Fatal("one seat for two tickets was sent")
	}
	if got := said(m); !strings.Contains(got, "✗ 2 seats for 2 Standard tickets: 1 chosen. Take 1 seat more, then F7 sends them.") {
		t.Errorf("one of two:\n%s", m.View())
	}
	typeKeys(m, "F13")
	press(m, tea.KeyEnter)
	typeKeys(m, "F14")
	press(m, tea.KeyEnter)
	press(m, tea.KeyF7)
	if got := said(m); !strings.Contains(got, "✗ 2 seats for 2 Standard tickets: 3 chosen. Free 1 seat, then F7 sends them.") {
		t.Errorf("three of two:\n%s", m.View())
	}
	press(m, tea.KeyEnter)
	msg, ok := commontest.Find[SendMsg](press(m, tea.KeyF7))
	if !ok || !slices.Equal(m.Plan().Names(msg.Seats), []string{"F13", "F12"}) || !slices.Equal(msg.IDs, m.Plan().IDs(msg.Seats)) {
		t.Fatalf("sent %+v %v", msg, ok)
	}
	if got := status(m); got != "… Sending F13, F12…" || !m.Sending() {
		t.Errorf("while sending: %q", got)
	}
	if _, ok := commontest.Find[SendMsg](press(m, tea.KeyF7)); ok {
		t.Error("sent twice")
	}
	press(m, tea.KeyEnter)
	if got := status(m); got != "… The seats are being sent: wait for the answer." || !strings.HasSuffix(header(m), "2 chosen (F13, F12)") {
		t.Errorf("enter while sending: %q", got)
	}
	// The seats are on the order: the map drawn afresh shows them as its own.
	if _, err := d.client.SetShowtime(context.Background(), d.orderID, demoShowtime,
		[]api.TicketRequest{{TicketTypeID: adult}, {TicketTypeID: adult}}, api.ChooseSeats(msg.IDs...)); err != nil {
		t.Fatal(err)
	}
	m.SetPlan(d.plan(d.orderID))
	if got := rowOf(t, m, "F"); !strings.Contains(got, "x[o]# # o") || m.Sending() {
		t.Errorf("after the send: %q", got)
	}
}

// While placing Standard tickets, the Premium area is marked as not for
// them, its free seats are shown as not offered, and taking one is refused.
func TestAreaNotForTheseTickets(t *testing.T) {
	d := demoWith(t, repeat(2, adult))
	m := d.open(120, 40)
	view := m.View()
	for _, want := range []string{" Stalls (Standard) — for 2 tickets here", " Premium — not for these tickets (-)", "- not for these tickets"} {
		if !strings.Contains(view, want) {
			t.Errorf("no %q:\n%s", want, view)
		}
	}
	if got := rowOf(t, m, "Q"); !strings.Contains(got, "- - - - - - - - - - - x - - - - - -") {
		t.Errorf("row Q: %q", got)
	}
	typeKeys(m, "q5")
	if got := status(m); !strings.HasPrefix(got, "Go to: q5 → Q5: free, but not for these tickets · Premium") {
		t.Errorf("q5: %q", got)
	}
	press(m, tea.KeyEnter)
	if got := status(m); got != "✗ Q5 is in Premium, where none of these tickets may sit: they may sit in Stalls (Standard)." {
		t.Errorf("taking Q5: %q", got)
	}
	if !strings.HasSuffix(header(m), "0 chosen") {
		t.Errorf("header %q", header(m))
	}
	// Tickets of both categories: both areas are for them, and the header
	// says how many of each.
	m.SetNeed(plus(d.need(d.orderID), "0000000002", 1))
	if got := header(m); got != "Seats · 3 seats for 3 tickets (1 Premium, 2 Standard): 0 chosen" {
		t.Errorf("header %q", got)
	}
	if got := said(m); !strings.Contains(got, "Premium — for 1 ticket here") || strings.Contains(got, "not for these") {
		t.Errorf("both areas:\n%s", m.View())
	}
}

// The map is a part of the screen like the others.
var _ common.Component = (*Map)(nil)

// A barcode scanned while the map is open is handed back whole, the part
// the map took for a seat's name included; a seat's name and a short typing
// mistake stay on the map.
func TestTypeOrHandGivesBackAScan(t *testing.T) {
	m := demoWith(t, []string{adult, adult}).open(80, 16)
	if got := m.TypeOrHand([]rune("A")); got != "" {
		t.Fatalf("the start of a seat's name was handed back: %q", got)
	}
	for _, r := range "DTMM" {
		if got := m.TypeOrHand([]rune{r}); got != "" {
			if got != "ADTM" {
				t.Fatalf("handed back %q, want ADTM: the letters taken first must go with it", got)
			}
			if m.Typing() {
				t.Fatal("the map still holds typed text after handing it back")
			}
			return
		}
	}
	t.Fatal("a barcode typed into the map was never handed back")
}

func TestTypeOrHandKeepsSeatsAndSlips(t *testing.T) {
	m := demoWith(t, []string{adult, adult}).open(80, 16)
	for _, text := range []string{"F12", "z9"} {
		for _, r := range text {
			if got := m.TypeOrHand([]rune{r}); got != "" {
				t.Fatalf("%q: handed back %q", text, got)
			}
		}
		m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	}
	if got := m.TypeOrHand([]rune("ADTMM0000111")); got != "ADTMM0000111" {
		t.Fatalf("a scan arriving in one burst: handed back %q", got)
	}
}
