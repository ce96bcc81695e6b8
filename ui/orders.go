package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/orderview"
)

// maxOpenedShown bounds the list of this run's orders on the open-order page.
const maxOpenedShown = 5

// openedOrder is an order opened or created in this run: what F6 cycles
// through, with what the counter last knew of it.
type openedOrder struct {
	id     string
	siteID string
	status string
	total  float64
	// ended says why an order is gone: "cancelled" by this counter, or
	// "expired" when the server no longer knows it.
	ended string
	// txn is the completion's transaction number.
	txn string
	// attached is the order's barcodes attached in this run (full barcodes,
	// in memory only), and voucherShowtimes the showtime each Ticket
	// voucher was added for, kept while another order is on screen.
	attached         map[string]string
	voucherShowtimes map[string]string
}

// stillOpen reports whether F6 may go to the order.
func (e openedOrder) stillOpen() bool { return e.ended == "" && e.status != api.OrderCompleted }

// openMsg asks to open an order by id (the open-order page's Enter).
type openMsg struct{ id string }

// orderBook is the run's orders, and the open-order page (ctrl+o) that
// lists them and takes an id.
type orderBook struct {
	ctx    *common.Context
	keys   bookKeys
	opened []openedOrder
	// showing is set while the page is on screen.
	showing bool
	input   textinput.Model
	// pick is the order picked with ↑/↓ on the page, an index into opened;
	// -1 when none is.
	pick int
	// newSite is where ctrl+n creates an order, and back whether esc has
	// an order to go back to, for the page's hint.
	newSite string
	back    bool
	// creating is set while a new order is on its way: one press, one
	// order.
	creating bool
	width    int
}

func newOrderBook(ctx *common.Context) *orderBook {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "order id"
	in.Cursor.SetMode(cursor.CursorStatic)
	return &orderBook{ctx: ctx, keys: newBookKeys(), input: in, pick: -1, width: 78}
}

func (b *orderBook) index(id string) int {
	for i := range b.opened {
		if b.opened[i].id == id {
			return i
		}
	}
	return -1
}

// entry is the run's record of an order, added once.
func (b *orderBook) entry(id string) *openedOrder {
	if i := b.index(id); i >= 0 {
		return &b.opened[i]
	}
	b.opened = append(b.opened, openedOrder{id: id})
	return &b.opened[len(b.opened)-1]
}

// forget takes an order off the run's list: one the server never knew.
func (b *orderBook) forget(id string) {
	if i := b.index(id); i >= 0 {
		b.opened = append(b.opened[:i], b.opened[i+1:]...)
	}
}

// note keeps what the list shows of an order.
func (b *orderBook) note(o api.Order) {
	e := b.entry(o.ID)
	e.siteID, e.status, e.total, e.ended = o.SiteID, o.Status, o.TotalPrice.ValueIncludingTax, ""
}

// nextOpen is the next order after id that is still open, in the order they
// were opened.
func (b *orderBook) nextOpen(id string) (int, bool) {
	at := b.index(id)
	for step := 1; step <= len(b.opened); step++ {
		j := (at + step + len(b.opened)) % len(b.opened)
		if e := b.opened[j]; e.id != id && e.stillOpen() {
			return j, true
		}
	}
	return -1, false
}

// position is where an order sits among the run's orders, for the order
// block: "order 2 of 3 · F6 next"; "" with one.
func (b *orderBook) position(id string) string {
	if len(b.opened) < 2 {
		return ""
	}
	return fmt.Sprintf("order %d of %d · F6 next", b.index(id)+1, len(b.opened))
}

// Show opens the page; site is where ctrl+n creates an order, and back
// whether an order is on screen to go back to.
func (b *orderBook) Show(site string, back bool) {
	b.showing, b.pick, b.newSite, b.back = true, -1, site, back
	b.input.SetValue("")
	b.input.Focus()
}

// Hide closes the page.
func (b *orderBook) Hide() {
	b.showing = false
	b.input.Blur()
}

// Update takes the page's keys: an id typed and Enter, or one of this run's
// orders picked with ↑/↓ and Enter.
func (b *orderBook) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case k.Type == tea.KeyUp || k.Type == tea.KeyDown:
		b.movePick(k.Type == tea.KeyUp)
		return nil
	case key.Matches(k, b.keys.Open):
		id := strings.TrimSpace(b.input.Value())
		if id == "" && b.pick >= 0 && b.pick < len(b.opened) {
			id = b.opened[b.pick].id
		}
		b.pick = -1
		if id == "" {
			if len(b.opened) > 0 {
				return common.Announce(common.Failure, "Type an order id and press Enter, pick one of this run's orders with ↑/↓ and Enter, or press ctrl+n to create a new order.")
			}
			return common.Announce(common.Failure, "Type an order id and press Enter, or press ctrl+n to create a new order.")
		}
		b.input.SetValue("")
		return common.Intent(openMsg{id: id})
	case k.Type == tea.KeyCtrlJ:
		return nil
	}
	var cmd tea.Cmd
	b.input, cmd = b.input.Update(msg)
	if k.Type == tea.KeyRunes {
		// A typed id is what Enter opens.
		b.pick = -1
	}
	return cmd
}

// movePick moves the pick among the orders the page lists (the newest
// maxOpenedShown): ↑ from no pick takes the newest, ↓ the oldest.
func (b *orderBook) movePick(up bool) {
	from := max(len(b.opened)-maxOpenedShown, 0)
	last := len(b.opened) - 1
	if last < 0 {
		return
	}
	switch {
	case b.pick < from && up:
		b.pick = last
	case b.pick < from:
		b.pick = from
	case up:
		b.pick = max(b.pick-1, from)
	default:
		b.pick = min(b.pick+1, last)
	}
}

// SetSize sets the page's width.
func (b *orderBook) SetSize(width, _ int) {
	b.width = width
	b.input.Width = max(min(width-20, 40), 10)
}

// Height is how many lines the page takes.
func (b *orderBook) Height() int { return len(b.lines(nil)) }

// View draws the page, marking the order on screen with current.
func (b *orderBook) View(current string) string {
	lines := b.lines(&current)
	for i := range lines {
		lines[i] = common.Fit(lines[i], b.width)
	}
	return strings.Join(lines, "\n")
}

func (b *orderBook) lines(current *string) []string {
	s := b.ctx.Styles
	hint := "Enter opens it"
	if b.newSite != "" {
		hint += " · ctrl+n creates a new order for site " + b.newSite
	}
	if b.back {
		hint += " · esc goes back"
	}
	lines := []string{s.Title.Render("Open an order"), s.Label.Render("Order id ") + "[" + b.input.View() + "]", s.Muted.Render(hint)}
	if len(b.opened) == 0 {
		return lines
	}
	lines = append(lines, s.Label.Render("Opened in this run (↑/↓ and Enter open one, F6 the next):"))
	from := max(len(b.opened)-maxOpenedShown, 0)
	for i, e := range b.opened[from:] {
		cursor := "  "
		switch {
		case from+i == b.pick:
			cursor = "> "
		case current != nil && e.id == *current:
			cursor = "• "
		}
		state := orderview.StatusWord(e.status)
		switch {
		case e.ended == "cancelled":
			state = "Cancelled"
		case e.ended != "":
			state = "Expired"
		case e.txn != "":
			state += ", transaction " + e.txn
		case state == "":
			state = "not read yet"
		}
		line := fmt.Sprintf("%s%s  %-28s", cursor, common.ShortID(e.id), state)
		if e.ended == "" && e.status != "" {
			line += " total " + common.Money(e.total)
		}
		lines = append(lines, line)
	}
	return lines
}

type bookKeys struct{ Open, Pick, New, Next, Back key.Binding }

func newBookKeys() bookKeys {
	return bookKeys{
		Open: key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter", "open")),
		Pick: key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "this run's orders")),
		New:  key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "new order")),
		Next: key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", "next open order")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp is the page's bar.
func (b *orderBook) ShortHelp() []key.Binding {
	keys := []key.Binding{b.keys.Open}
	if len(b.opened) > 0 {
		keys = append(keys, b.keys.Pick)
	}
	keys = append(keys, b.keys.New)
	if b.back {
		keys = append(keys, b.keys.Back)
	}
	return keys
}

// FullHelp is the page's bar.
func (b *orderBook) FullHelp() [][]key.Binding { return [][]key.Binding{b.ShortHelp()} }
