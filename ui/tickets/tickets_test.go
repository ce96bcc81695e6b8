package tickets

import (
	"os"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/common/commontest"
	"github.com/boxoffice/boxoffice/ui/vouchers"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

const (
	adult, child, senior      = "0001-0050", "0001-0051", "0001-0052"
	adultMM, childMM, unltd   = "0001-0077", "0001-0078", "0001-0079"
	adultVoucher, childVouch  = "v-adult", "v-child"
	adultMasked, childMasked  = "AD......0111", "CH......0111"
	showtimeID, showtimeTitle = "0001-2701", "19:30 The Long Night · Sat 28 Nov"
)

func money(v float64) api.MonetaryValue { return api.MonetaryValue{ValueIncludingTax: v} }

// prices is the demo's 19:30 showtime: three ordinary types and three that
// vouchers pay for.
func prices() *api.TicketPricesResponse {
	p := &api.TicketPricesResponse{TicketPrices: []api.TicketPrice{
		{TicketTypeID: adult, Price: money(19.5)},
		{TicketTypeID: child, Price: money(12)},
		{TicketTypeID: senior, Price: money(14.5)},
		{TicketTypeID: adultMM, Restrictions: []string{"Voucher"}, VoucherTypeCodes: []string{"ADTMM"}},
		{TicketTypeID: childMM, Restrictions: []string{"Voucher"}, VoucherTypeCodes: []string{"CHDMM"}},
		{TicketTypeID: unltd, Restrictions: []string{"Voucher"}, VoucherTypeCodes: []string{"UNLTD"}},
	}}
	for id, name := range map[string]string{adult: "Adult", child: "Child", senior: "Senior", adultMM: "Adult Movie Money",
		childMM: "Child Movie Money", unltd: "Unlimited Pass"} {
		p.RelatedData.TicketTypes = append(p.RelatedData.TicketTypes, api.TicketType{ID: id, Description: api.Text(name)})
	}
	return p
}

// data is the showtime with two Adults and a Child on the order (51.00)
// and the vouchers given.
func data(vs ...Voucher) Data {
	return Data{ShowtimeID: showtimeID, Title: showtimeTitle, OnOrder: true, Prices: prices(), Open: true, OrderTotal: 51,
		Tickets: []api.Ticket{
			{ID: "t1", TicketTypeID: adult, Price: money(19.5)},
			{ID: "t2", TicketTypeID: adult, Price: money(19.5)},
			{ID: "t3", TicketTypeID: child, Price: money(12)},
		},
		Vouchers: vs}
}

func adultV(capacity int) Voucher {
	return Voucher{ID: adultVoucher, Masked: adultMasked, Type: api.VoucherTicket, TypeCode: "ADTMM", Capacity: capacity}
}

func childV(capacity int) Voucher {
	return Voucher{ID: childVouch, Masked: childMasked, Type: api.VoucherTicket, TypeCode: "CHDMM", Capacity: capacity}
}

func newPanel(t *testing.T, d Data) *Panel {
	t.Helper()
	p := New(commontest.New().Ctx, d)
	p.SetSize(78, 12)
	return p
}

func press(p *Panel, k tea.KeyType) tea.Cmd { return p.Update(tea.KeyMsg{Type: k}) }

// rowsOf is the panel's rows as drawn, without the padding after them.
func rowsOf(p *Panel) []string {
	lines := strings.Split(p.View(), "\n")
	var out []string
	for _, l := range lines[1:] {
		if l = strings.TrimRight(l, " "); l != "" {
			out = append(out, l)
		}
	}
	return out[:len(out)-1] // the footer
}

// row is the row that names name (and paidBy, when given).
func row(t *testing.T, p *Panel, name, paidBy string) string {
	t.Helper()
	for _, r := range rowsOf(p) {
		if strings.Contains(r, " "+name+" ") && strings.Contains(r, paidBy) {
			return r
		}
	}
	t.Fatalf("no row for %s %s:\n%s", name, paidBy, p.View())
	return ""
}

// count is the count a row shows.
func count(t *testing.T, p *Panel, name, paidBy string) string {
	t.Helper()
	f := strings.Fields(strings.NewReplacer("◂", " ", "▸", " ").Replace(row(t, p, name, paidBy)))
	for i, w := range f {
		if strings.Contains(w, ".") && i+1 < len(f) {
			return f[i+1]
		}
	}
	return ""
}

// selectRow moves the selection to the row that names name and paidBy.
func selectRow(t *testing.T, p *Panel, name, paidBy string) {
	t.Helper()
	for range 20 {
		press(p, tea.KeyUp)
	}
	for range 20 {
		r := row(t, p, name, paidBy)
		if strings.HasPrefix(r, "> ") {
			return
		}
		press(p, tea.KeyDown)
	}
	t.Fatalf("cannot select %s %s", name, paidBy)
}

func announced(t *testing.T, cmd tea.Cmd, kind common.Kind, text string) {
	t.Helper()
	k, got := commontest.Announced(cmd)
	if k != kind || !strings.Contains(got, text) {
		t.Fatalf("announced %d %q, want %d %q", k, got, kind, text)
	}
}

// Each attached voucher the price list accepts gets a row of its own; a
// type only vouchers pay for, with none attached, a row that cannot be
// counted; a Deal none.
func TestVoucherRows(t *testing.T) {
	second := adultV(2)
	second.ID, second.Masked = "v-adult2", "AD......0222"
	deal := Voucher{ID: "v-deal", Masked: "93.......0017", Type: api.VoucherDeal, TypeCode: "ADTMM", Capacity: 1}
	p := newPanel(t, data(adultV(2), second, deal))
	p.SetSize(120, 12)
	var names []string
	for _, r := range rowsOf(p) {
		names = append(names, strings.Join(strings.Fields(strings.NewReplacer("◂", "", "▸", "").Replace(r[2:])), " "))
	}
	want := []string{
		"Adult 19.50 2", "Child 12.00 1", "Senior 14.50 0",
		"Adult Movie Money 0.00 0 AD......0111", "Adult Movie Money 0.00 0 AD......0222",
		"Child Movie Money — CHDMM vouchers only 0.00 –", "Unlimited Pass — UNLTD vouchers only 0.00 –",
	}
	for i := range want {
		if i >= len(names) || !strings.HasPrefix(names[i], want[i]) {
			t.Fatalf("rows:\n%s\nwant rows starting %q", strings.Join(rowsOf(p), "\n"), want)
		}
	}
	if strings.Contains(p.View(), "93.......0017") {
		t.Fatalf("a Deal has a row:\n%s", p.View())
	}
	selectRow(t, p, "Child Movie Money", "vouchers only")
	announced(t, press(p, tea.KeyRight), common.Failure, "Child Movie Money is paid with CHDMM vouchers only. Scan one and it gets its own row here.")
	if p.Dirty() {
		t.Fatal("a voucher-only row was counted")
	}
}

// → on a voucher's row takes a ticket from the ordinary type it stands in
// for (a Child voucher a Child ticket, never an Adult one); ← gives it back.
func TestVoucherRowStandsInForItsType(t *testing.T) {
	p := newPanel(t, data(adultV(2), childV(1)))
	selectRow(t, p, "Child Movie Money", childMasked)
	announced(t, press(p, tea.KeyRight), common.Info, "One Child ticket (12.00) is now paid by CH......0111. F7 applies.")
	if c, a, cm := count(t, p, "Child", ""), count(t, p, "Adult", ""), count(t, p, "Child Movie Money", childMasked); c != "0" || a != "2" || cm != "1" {
		t.Fatalf("Child %s, Adult %s, Child Movie Money %s:\n%s", c, a, cm, p.View())
	}
	announced(t, press(p, tea.KeyLeft), common.Info, "That ticket goes back to Child at 12.00; ← on Child takes it off. F7 applies.")
	if c, cm := count(t, p, "Child", ""), count(t, p, "Child Movie Money", childMasked); c != "1" || cm != "0" || p.Dirty() {
		t.Fatalf("given back: Child %s, Child Movie Money %s", c, cm)
	}
	if press(p, tea.KeyLeft) != nil || count(t, p, "Child", "") != "1" {
		t.Fatal("← on a voucher row at 0 did something")
	}

	// The Adult voucher takes both Adults, then adds a ticket of its own
	// once no Adult is left... until its limit.
	p = newPanel(t, data(adultV(3)))
	selectRow(t, p, "Adult Movie Money", adultMasked)
	press(p, tea.KeyRight)
	press(p, tea.KeyRight)
	announced(t, press(p, tea.KeyRight), common.Info, "Added one Adult Movie Money ticket paid by AD......0111. F7 applies.")
	if a, am := count(t, p, "Adult", ""), count(t, p, "Adult Movie Money", adultMasked); a != "0" || am != "3" {
		t.Fatalf("Adult %s, Adult Movie Money %s", a, am)
	}
	announced(t, press(p, tea.KeyRight), common.Failure, "Voucher AD......0111 can pay for 3 tickets on this order, not 4.")
	if count(t, p, "Adult Movie Money", adultMasked) != "3" {
		t.Fatal("the limit let a ticket through")
	}
}

// The limits, in words the customer can be told.
func TestLimitProblem(t *testing.T) {
	tests := []struct {
		capacity, elsewhere, want int
		says                      string
	}{
		{-1, 5, 40, ""},
		{2, 0, 2, ""},
		{2, 1, 1, ""},
		{0, 0, 1, "Voucher AD......0111 has no redemptions left, so it cannot pay for a ticket. Take payment for it, or scan another voucher."},
		{1, 0, 2, "Voucher AD......0111 can pay for 1 ticket on this order, not 2. Nothing was sent: take payment for the rest, or scan another voucher."},
		{2, 1, 2, "Voucher AD......0111 can pay for 2 tickets on this order and already pays for 1 on another showtime, so not 2 here. Nothing was sent"},
	}
	for _, tt := range tests {
		got := LimitProblem(adultMasked, tt.capacity, tt.elsewhere, tt.want)
		if tt.says == "" && got != "" || !strings.HasPrefix(got, tt.says) {
			t.Errorf("LimitProblem(%d, %d, %d) = %q, want %q", tt.capacity, tt.elsewhere, tt.want, got, tt.says)
		}
	}

	// Tickets it pays for on another showtime count against it here.
	v := adultV(2)
	v.Elsewhere = 1
	p := newPanel(t, data(v))
	selectRow(t, p, "Adult Movie Money", adultMasked)
	press(p, tea.KeyRight)
	announced(t, press(p, tea.KeyRight), common.Failure, "already pays for 1 on another showtime, so not 2 here")
	if note := row(t, p, "Adult Movie Money", adultMasked); !strings.HasSuffix(note, "0 left (+1)") {
		t.Fatalf("the row: %q", note)
	}

	// A limit that shrank since the draft was made is caught at F7.
	p = newPanel(t, data(adultV(2)))
	selectRow(t, p, "Adult Movie Money", adultMasked)
	press(p, tea.KeyRight)
	press(p, tea.KeyRight)
	p.SetData(data(adultV(1)), false)
	announced(t, press(p, tea.KeyF7), common.Failure, "can pay for 1 ticket on this order, not 2")
}

// F7 asks for the whole showtime's tickets, with the ids of the tickets
// that stay.
func TestApply(t *testing.T) {
	p := newPanel(t, data(adultV(2), childV(1)))
	announced(t, press(p, tea.KeyF7), common.Info, "Nothing to apply: the counts are as on the order.")
	selectRow(t, p, "Child Movie Money", childMasked)
	press(p, tea.KeyRight)
	selectRow(t, p, "Senior", "")
	press(p, tea.KeyRight)
	msg, ok := commontest.Find[ApplyMsg](press(p, tea.KeyF7))
	if !ok || msg.ShowtimeID != showtimeID {
		t.Fatalf("F7: %+v", msg)
	}
	want := []api.TicketRequest{
		{ID: "t1", TicketTypeID: adult}, {ID: "t2", TicketTypeID: adult},
		{TicketTypeID: senior}, {TicketTypeID: childMM, VoucherID: childVouch},
	}
	if !slices.Equal(msg.Tickets, want) {
		t.Fatalf("tickets %+v, want %+v", msg.Tickets, want)
	}
	if msg.Summary != "2 × Adult, 1 × Senior, 1 × Child Movie Money paid by CH......0111" {
		t.Fatalf("summary %q", msg.Summary)
	}

	closed := data()
	closed.Open = false
	p = newPanel(t, closed)
	announced(t, press(p, tea.KeyRight), common.Failure, "This order can no longer change.")
	announced(t, press(p, tea.KeyF7), common.Failure, "This order can no longer change.")
}

// F8 on a voucher's row asks to remove that voucher, once the draft is
// applied or discarded.
func TestRemoveFromTheVoucherRow(t *testing.T) {
	p := newPanel(t, data(adultV(2)))
	announced(t, press(p, tea.KeyF8), common.Failure, "Select a row paid by the voucher to remove")
	selectRow(t, p, "Adult Movie Money", adultMasked)
	msg, ok := commontest.Find[vouchers.RemoveMsg](press(p, tea.KeyF8))
	if !ok || msg.ID != adultVoucher {
		t.Fatalf("F8 on the voucher's row: %+v", msg)
	}
	press(p, tea.KeyRight)
	announced(t, press(p, tea.KeyF8), common.Failure, "The ticket changes are not applied yet: F7 applies them, esc discards them. Then F8.")
}

// The note says what the voucher can still pay for and what the row will
// change, never what it "was".
func TestNoteColumn(t *testing.T) {
	d := data(adultV(2))
	d.Tickets = append(d.Tickets, api.Ticket{ID: "t4", TicketTypeID: adultMM, VoucherID: adultVoucher})
	d.OrderTotal = 51
	p := newPanel(t, d)
	if r := row(t, p, "Adult Movie Money", adultMasked); !strings.HasSuffix(r, adultMasked+" 1 left") {
		t.Fatalf("on the order: %q", r)
	}
	selectRow(t, p, "Adult Movie Money", adultMasked)
	press(p, tea.KeyRight)
	if r := row(t, p, "Adult Movie Money", adultMasked); !strings.HasSuffix(r, "0 left (+1)") {
		t.Fatalf("one more: %q", r)
	}
	press(p, tea.KeyLeft)
	press(p, tea.KeyLeft)
	if r := row(t, p, "Adult Movie Money", adultMasked); !strings.HasSuffix(r, "2 left (-1)") {
		t.Fatalf("one fewer: %q", r)
	}
	if r := row(t, p, "Adult", ""); !strings.HasSuffix(r, "(+1)") {
		t.Fatalf("the Adult it went back to: %q", r)
	}
	if strings.Contains(p.View(), "was") {
		t.Fatalf("a row says what it was:\n%s", p.View())
	}
}

// The footer says what the order costs, and with the draft what it would.
func TestFooter(t *testing.T) {
	p := newPanel(t, data(childV(1)))
	footer := func() string { lines := strings.Split(p.View(), "\n"); return lines[len(lines)-1] }
	if got := footer(); got != "3 tickets here, order total 51.00 · ←/→ sets how many · F7 applies" {
		t.Fatalf("footer %q", got)
	}
	selectRow(t, p, "Child Movie Money", childMasked)
	press(p, tea.KeyRight)
	selectRow(t, p, "Adult", "")
	press(p, tea.KeyRight)
	if got := footer(); got != "Not applied: total 51.00 → 58.50, 4 tickets here · F7 applies · esc discards" {
		t.Fatalf("footer %q", got)
	}
}

// Until the prices are read the panel says so; without them nothing can be
// counted.
func TestLoadingAndErrors(t *testing.T) {
	d := data()
	d.Prices = nil
	p := newPanel(t, d)
	if got := strings.Split(p.View(), "\n")[1]; got != "| Loading ticket prices…" {
		t.Fatalf("loading: %q", got)
	}
	d.PricesErr = os.ErrDeadlineExceeded
	p.SetData(d, false)
	if got := strings.Split(p.View(), "\n")[1]; got != "✗ The ticket prices could not be read. F5 tries again." {
		t.Fatalf("failed: %q", got)
	}
	empty := Data{ShowtimeID: showtimeID, Title: showtimeTitle, Prices: &api.TicketPricesResponse{}, Open: true}
	p = newPanel(t, empty)
	if !strings.HasSuffix(p.View(), "No tickets are on sale for this showtime.") || !strings.Contains(p.View(), "not on the order yet") {
		t.Fatalf("no prices:\n%s", p.View())
	}
	announced(t, press(p, tea.KeyRight), common.Failure, "The ticket types are not loaded yet.")
}

// The draft survives fresh data unless reset; a voucher that leaves takes
// its draft tickets with it; a ticket the price list does not know stays.
func TestDraftAcrossSetData(t *testing.T) {
	p := newPanel(t, data(childV(1)))
	selectRow(t, p, "Adult", "")
	press(p, tea.KeyRight)
	p.SetData(data(childV(1)), false)
	if count(t, p, "Adult", "") != "3" || !p.Dirty() {
		t.Fatal("fresh data lost the draft")
	}
	p.SetData(data(childV(1)), true)
	if count(t, p, "Adult", "") != "2" || p.Dirty() {
		t.Fatal("reset kept the draft")
	}
	selectRow(t, p, "Child Movie Money", childMasked)
	press(p, tea.KeyRight)
	p.SetData(data(), false)
	if strings.Contains(p.View(), childMasked) || count(t, p, "Child", "") != "0" {
		t.Fatalf("the voucher left; its row:\n%s", p.View())
	}

	// Not changed by the operator, the draft follows the order.
	d := data()
	d.Tickets = append(d.Tickets, api.Ticket{ID: "t9", TicketTypeID: "0001-0099", Price: money(9)})
	p = newPanel(t, data())
	p.SetData(d, false)
	if r := row(t, p, "0001-0099", ""); !strings.Contains(r, "9.00    1") || p.Dirty() {
		t.Fatalf("a ticket the prices do not list: %q", r)
	}
	msg, _ := commontest.Find[ApplyMsg](func() tea.Cmd { selectRow(t, p, "Adult", ""); press(p, tea.KeyRight); return press(p, tea.KeyF7) }())
	if !slices.Contains(msg.Tickets, api.TicketRequest{ID: "t9", TicketTypeID: "0001-0099"}) {
		t.Fatalf("the unknown ticket was not sent back: %+v", msg.Tickets)
	}
}

func TestAtMostFiftyARow(t *testing.T) {
	p := newPanel(t, data())
	selectRow(t, p, "Senior", "")
	for range 50 {
		press(p, tea.KeyRight)
	}
	announced(t, press(p, tea.KeyRight), common.Failure, "At most 50 Senior tickets can be set at once here.")
	if count(t, p, "Senior", "") != "50" {
		t.Fatal("more than 50")
	}
}

func TestTicketsGolden(t *testing.T) {
	p := newPanel(t, data(adultV(2), childV(1)))
	selectRow(t, p, "Child Movie Money", childMasked)
	press(p, tea.KeyRight)
	golden.RequireEqual(t, []byte(p.View()))
}

// When the rows do not all fit, the title says which are shown; no line is
// wider than the panel.
func TestShowingAndWidth(t *testing.T) {
	p := newPanel(t, data(adultV(2)))
	p.SetSize(78, 5)
	if title := strings.Split(p.View(), "\n")[0]; !strings.HasSuffix(title, "showing 1–3 of 6") {
		t.Fatalf("title %q", title)
	}
	for _, w := range []int{38, 60, 78, 120} {
		p.SetSize(w, 12)
		for _, line := range strings.Split(p.View(), "\n") {
			if lipgloss.Width(line) > w {
				t.Errorf("width %d: a line of %d columns: %q", w, lipgloss.Width(line), line)
			}
		}
	}
	var keys []string
	for _, b := range p.ShortHelp() {
		keys = append(keys, b.Keys()...)
	}
	if strings.Join(keys, " ") != "up left f7 f3 esc" {
		t.Fatalf("keys %v", keys)
	}
	// Typed text (a scanner's, going to the form) changes nothing here.
	view := p.View()
	for _, r := range "jkhlgGq/ +1" {
		if p.Update(commontest.Runes(string(r))) != nil || p.View() != view {
			t.Fatalf("typing %q acted on the panel", r)
		}
	}
}
