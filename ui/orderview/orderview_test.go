package orderview

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

const orderID = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

func newView(t *testing.T) (*View, *commontest.Harness) {
	t.Helper()
	h := commontest.New()
	return New(h.Ctx, orderID), h
}

// loaded is the demo's order: two showtimes, three ticket lines, expiring
// in half an hour.
func loaded(h *commontest.Harness) Data {
	return Data{State: Loaded, ID: orderID, Status: api.OrderInProgress, Site: "Riverside Cinema",
		ExpiresAt: h.Clock.Now().Add(30 * time.Minute), Total: 63, Tax: 8.22,
		Showtimes: []Showtime{
			{Title: "The Long Night · Screen 1 · Sat 28 Nov 19:30", Tickets: []string{"2 × Adult   39.00", "1 × Child   12.00"}},
			{Title: "The Lighthouse Keeper's Daughter · Gold Lounge · Sat 28 Nov 18:00", Tickets: []string{"1 × Adult Movie Money    0.00  paid by AD......0333"}},
		}}
}

func lines(v *View) []string { return strings.Split(v.View(), "\n") }

// Before the order is read, and when it cannot be, the block says so and
// what to do.
func TestStates(t *testing.T) {
	v, h := newView(t)
	if got := v.View(); got != h.Ctx.Spinner.Frame()+" Loading order 3f9c2a7b…4a86…" {
		t.Fatalf("loading: %q", got)
	}
	tests := []struct {
		data Data
		want []string
	}{
		{Data{State: NotLoaded, ID: orderID}, []string{"✗ Order 3f9c2a7b…4a86 could not be read.", "F5 tries again · ctrl+o opens another · ctrl+n starts a new order"}},
		{Data{State: Unknown, ID: orderID}, []string{"✗ There is no order 3f9c2a7b…4a86 on the server.", "ctrl+o opens another · ctrl+n starts a new order"}},
		{Data{State: Ended, ID: orderID, Hint: "ctrl+n starts a new order"}, []string{"✗ Order 3f9c2a7b…4a86 has expired or no longer exists.",
			"  Its tickets and vouchers were released; the vouchers can be used again.", "ctrl+n starts a new order"}},
		{Data{State: Ended, ID: orderID, Cancelled: true, Hint: "ctrl+n starts a new order"}, []string{"Order 3f9c2a7b…4a86  Cancelled",
			"  Its tickets and vouchers were released; the vouchers can be used again.", "ctrl+n starts a new order"}},
	}
	for _, tt := range tests {
		v.SetData(tt.data)
		for _, m := range []Mode{Full, Folded, Compact} {
			v.SetMode(m)
			if got := lines(v); strings.Join(got, "\n") != strings.Join(tt.want, "\n") || v.Height(m) != len(tt.want) {
				t.Errorf("state %d, mode %d:\n%s\nwant:\n%s", tt.data.State, m, v.View(), strings.Join(tt.want, "\n"))
			}
		}
	}
}

// Full shows every ticket line, Folded the showtimes, Compact the head and
// the total; never without the head or the total.
func TestModes(t *testing.T) {
	v, h := newView(t)
	v.SetData(loaded(h))
	head := "Order 3f9c2a7b…4a86  In progress  expires in 30:00  Riverside Cinema"
	total := "Total 63.00 incl. tax 8.22"
	want := map[Mode][]string{
		Full: {head, "The Long Night · Screen 1 · Sat 28 Nov 19:30", "   2 × Adult   39.00", "   1 × Child   12.00",
			"The Lighthouse Keeper's Daughter · Gold Lounge · Sat 28 Nov 18:00", "   1 × Adult Movie Money    0.00  paid by AD......0333", total},
		Folded:  {head, "The Long Night · Screen 1 · Sat 28 Nov 19:30", "The Lighthouse Keeper's Daughter · Gold Lounge · Sat 28 Nov 18:00", total},
		Compact: {head, total},
	}
	for _, m := range []Mode{Full, Folded, Compact} {
		v.SetMode(m)
		if got := lines(v); strings.Join(got, "\n") != strings.Join(want[m], "\n") || v.Height(m) != len(want[m]) {
			t.Errorf("mode %d (Height %d):\n%s\nwant:\n%s", m, v.Height(m), v.View(), strings.Join(want[m], "\n"))
		}
	}

	// No showtime yet: the body says so.
	d := loaded(h)
	d.Showtimes = nil
	v.SetData(d)
	v.SetMode(Full)
	if got := lines(v); len(got) != 3 || got[1] != "No showtime or tickets yet." {
		t.Fatalf("no showtime:\n%s", v.View())
	}

	// A big order keeps to eight body lines, the last saying how many more.
	d = loaded(h)
	d.Showtimes = nil
	for i := range 4 {
		d.Showtimes = append(d.Showtimes, Showtime{Title: fmt.Sprintf("Film %d", i), Tickets: []string{"1 × Adult", "1 × Child"}})
	}
	v.SetData(d)
	got := lines(v)
	if len(got) != 10 || got[8] != "   … 5 more lines" || v.Height(Full) != 10 || v.Height(Folded) != 6 {
		t.Fatalf("a big order (Folded %d):\n%s", v.Height(Folded), v.View())
	}
}

// The countdown warns in its last two minutes and says when the order has
// expired.
func TestCountdown(t *testing.T) {
	v, h := newView(t)
	v.SetData(loaded(h))
	v.SetMode(Compact)
	s := h.Ctx.Styles
	steps := []struct {
		after time.Duration
		words string
	}{
		{0, "  expires in 30:00"},
		{27*time.Minute + 59*time.Second, "  expires in 02:01"},
		{2 * time.Second, "  ! expires in 01:59"},
		{118 * time.Second, "  ! expires in 00:01"},
		// Expired at the second the countdown would show 00:00, as the
		// rest of the counter counts it.
		{600 * time.Millisecond, "  ✗ expired"},
	}
	for _, st := range steps {
		h.Clock.Advance(st.after)
		if head := lines(v)[0]; !strings.HasSuffix(strings.TrimSuffix(head, "  Riverside Cinema"), st.words) {
			t.Fatalf("at %s the head is %q, want it to end %q", h.Clock.Now().Format("15:04:05"), head, st.words)
		}
	}

	// In colour: the warning and the expiry in theirs, the countdown before
	// them plain.
	defer lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetColorProfile(termenv.ANSI)
	h.Clock.Set(commontest.Start)
	site := s.Muted.Render("  Riverside Cinema")
	if head := strings.TrimSuffix(lines(v)[0], site); !strings.HasSuffix(head, s.Muted.Render("  expires in ")+"30:00") {
		t.Fatalf("the countdown in colour: %q", head)
	}
	h.Clock.Advance(29 * time.Minute)
	if head := strings.TrimSuffix(lines(v)[0], site); !strings.HasSuffix(head, s.Warning.Render("! expires in 01:00")) || s.Warning.Render("x") == "x" {
		t.Fatalf("the warning in colour: %q", head)
	}
	h.Clock.Advance(time.Hour)
	if head := strings.TrimSuffix(lines(v)[0], site); !strings.HasSuffix(head, s.Failure.Render("✗ expired")) {
		t.Fatalf("the expiry in colour: %q", head)
	}
}

// A completed order counts nothing down and gives its transaction.
func TestCompleted(t *testing.T) {
	v, h := newView(t)
	d := loaded(h)
	d.Status, d.Txn = api.OrderCompleted, "118204"
	v.SetData(d)
	v.SetMode(Compact)
	want := []string{"Order 3f9c2a7b…4a86  Completed  Riverside Cinema",
		"Total 63.00 incl. tax 8.22   ✓ Completed, transaction 118204 · ctrl+n new order"}
	v.SetSize(100, 0)
	if got := lines(v); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("completed:\n%s", v.View())
	}
	d.Txn = ""
	v.SetData(d)
	if got := lines(v)[1]; !strings.HasSuffix(got, "✓ Completed · ctrl+n new order") {
		t.Fatalf("completed without a transaction: %q", got)
	}
}

// The order's place among the run's orders sits at the right of the total,
// when there is room for it.
func TestPositionAtTheRight(t *testing.T) {
	v, h := newView(t)
	d := loaded(h)
	d.Position = "order 2 of 3 · F6 next"
	v.SetData(d)
	v.SetMode(Compact)
	total := lines(v)[1]
	if lipgloss.Width(total) != 78 || !strings.HasPrefix(total, "Total 63.00 incl. tax 8.22 ") || !strings.HasSuffix(total, " order 2 of 3 · F6 next") {
		t.Fatalf("the total: %q", total)
	}
	v.SetSize(40, 0)
	if total := lines(v)[1]; strings.Contains(total, "order 2") {
		t.Fatalf("no room, yet: %q", total)
	}
}

// Every line keeps to the width.
func TestFitsTheWidth(t *testing.T) {
	v, h := newView(t)
	d := loaded(h)
	d.Position = "order 2 of 3 · F6 next"
	v.SetData(d)
	for _, w := range []int{38, 50, 78} {
		v.SetSize(w, 0)
		for _, line := range lines(v) {
			if lipgloss.Width(line) > w {
				t.Errorf("width %d: a line of %d columns: %q", w, lipgloss.Width(line), line)
			}
		}
	}
	if StatusWord(api.OrderInProgress) != "In progress" || StatusWord("Reserved") != "Reserved" {
		t.Fatal("StatusWord")
	}
	if v.ShortHelp() != nil || v.FullHelp() != nil || v.Update(nil) != nil {
		t.Fatal("the block has keys")
	}
}

func TestOrderViewGolden(t *testing.T) {
	v, h := newView(t)
	d := loaded(h)
	d.Position = "order 2 of 3 · F6 next"
	v.SetData(d)
	h.Clock.Advance(28*time.Minute + 30*time.Second)
	golden.RequireEqual(t, []byte(v.View()))
}
