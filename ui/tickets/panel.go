// Package tickets is the tickets panel: the operator's draft of one
// showtime's tickets, a row per ticket type (and per voucher for the types
// vouchers pay for). ←/→ set how many of a row; a voucher's row takes a
// ticket from the ordinary type it stands in for and gives it back. Nothing
// changes on the server until F7 applies the whole showtime at once.
package tickets

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/vouchers"
)

// ApplyMsg asks the counter to set the showtime's tickets (F7).
type ApplyMsg struct {
	ShowtimeID string
	Tickets    []api.TicketRequest
	// Summary says what the tickets are, for the outcome.
	Summary string
}

// Panel is the tickets panel.
type Panel struct {
	ctx   *common.Context
	keys  keyMap
	data  Data
	draft draft
	list  list.Model
	width int
	// nameWidth is the ticket type's column at the width set.
	nameWidth int
}

// New opens the panel on a showtime's data.
func New(ctx *common.Context, data Data) *Panel {
	p := &Panel{ctx: ctx, keys: newKeyMap()}
	p.list = common.NewList(p.drawRow)
	p.SetData(data, true)
	p.SetSize(78, 10)
	return p
}

// ShowtimeID is the showtime the panel is for.
func (p *Panel) ShowtimeID() string { return p.data.ShowtimeID }

// OnOrder reports whether the showtime is on the order yet.
func (p *Panel) OnOrder() bool { return p.data.OnOrder }

// Dirty reports whether the draft differs from the order.
func (p *Panel) Dirty() bool { return p.draft.dirty() }

// SetData redraws the panel from fresh data; the draft survives unless reset.
func (p *Panel) SetData(data Data, reset bool) {
	p.data = data
	p.draft.build(data, reset)
	selected := p.list.Index()
	items := make([]list.Item, len(p.draft.rows))
	for i, r := range p.draft.rows {
		items[i] = r
	}
	p.list.SetItems(items)
	p.list.Select(min(selected, max(len(items)-1, 0)))
}

func (p *Panel) voucher(id string) Voucher {
	for _, v := range p.data.Vouchers {
		if v.ID == id {
			return v
		}
	}
	return Voucher{ID: id, Masked: "a voucher", Capacity: -1}
}

func (p *Panel) selected() (Row, bool) {
	it := p.list.SelectedItem()
	if it == nil {
		return Row{}, false
	}
	return it.(Row), true
}

// Update takes the panel's keys.
func (p *Panel) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, p.keys.Up):
		p.list.CursorUp()
	case key.Matches(k, p.keys.Down):
		p.list.CursorDown()
	case key.Matches(k, p.keys.Left):
		return p.count(-1)
	case key.Matches(k, p.keys.Right):
		return p.count(1)
	case key.Matches(k, p.keys.Apply):
		return p.apply()
	case key.Matches(k, p.keys.Remove):
		r, ok := p.selected()
		if !ok || r.voucherID == "" {
			return common.Announce(common.Failure, "Select a row paid by the voucher to remove, or close the panel (F4) and pick it in the voucher list.")
		}
		if p.Dirty() {
			return common.Announce(common.Failure, "The ticket changes are not applied yet: F7 applies them, esc discards them. Then F8.")
		}
		return common.Intent(vouchers.RemoveMsg{ID: r.voucherID})
	}
	return nil
}

// count is ←/→ on the selected row.
func (p *Panel) count(delta int) tea.Cmd {
	r, ok := p.selected()
	switch {
	case !ok:
		return common.Announce(common.Failure, "The ticket types are not loaded yet. Press F5 if they do not appear.")
	case !p.data.Open:
		return common.Announce(common.Failure, "This order can no longer change. ctrl+n starts a new order.")
	case r.voucherOnly:
		return common.Announce(common.Failure, fmt.Sprintf("%s is paid with %s vouchers only. Scan one and it gets its own row here.", r.name, strings.Join(r.codes, " or ")))
	case r.voucherID == "":
		n := p.draft.counts[r.rowKey] + delta
		if n < 0 {
			return nil
		}
		if n > maxPerRow {
			return common.Announce(common.Failure, fmt.Sprintf("At most %d %s tickets can be set at once here.", maxPerRow, r.name))
		}
		p.draft.counts[r.rowKey] = n
		return nil
	}
	v := p.voucher(r.voucherID)
	normal, hasNormal := p.draft.standIn(p.data.Prices, r)
	if delta > 0 {
		if why := LimitProblem(v.Masked, v.Capacity, v.Elsewhere, p.draft.voucherCount(v.ID)+1); why != "" {
			return common.Announce(common.Failure, why)
		}
		p.draft.counts[r.rowKey]++
		if hasNormal && p.draft.counts[normal.rowKey] > 0 {
			p.draft.counts[normal.rowKey]--
			return common.Announce(common.Info, fmt.Sprintf("One %s ticket (%s) is now paid by %s. F7 applies.", normal.name, common.Money(normal.price.ValueIncludingTax), v.Masked))
		}
		return common.Announce(common.Info, fmt.Sprintf("Added one %s ticket paid by %s. F7 applies.", r.name, v.Masked))
	}
	if p.draft.counts[r.rowKey] == 0 {
		return nil
	}
	p.draft.counts[r.rowKey]--
	if hasNormal {
		p.draft.counts[normal.rowKey]++
		return common.Announce(common.Info, fmt.Sprintf("That ticket goes back to %s at %s; ← on %s takes it off. F7 applies.", normal.name, common.Money(normal.price.ValueIncludingTax), normal.name))
	}
	return common.Announce(common.Info, fmt.Sprintf("Took off one %s ticket. F7 applies.", r.name))
}

// apply checks the draft against the vouchers' limits and asks the counter
// to set it.
func (p *Panel) apply() tea.Cmd {
	if !p.data.Open {
		return common.Announce(common.Failure, "This order can no longer change. ctrl+n starts a new order.")
	}
	if !p.Dirty() {
		return common.Announce(common.Info, "Nothing to apply: the counts are as on the order. ←/→ changes them.")
	}
	checked := map[string]bool{}
	for k := range p.draft.counts {
		if k.voucherID == "" || checked[k.voucherID] {
			continue
		}
		checked[k.voucherID] = true
		v := p.voucher(k.voucherID)
		if why := LimitProblem(v.Masked, v.Capacity, v.Elsewhere, p.draft.voucherCount(k.voucherID)); why != "" {
			return common.Announce(common.Failure, why)
		}
	}
	summary := p.draft.summary(func(id string) string { return p.voucher(id).Masked })
	return common.Intent(ApplyMsg{ShowtimeID: p.data.ShowtimeID, Tickets: p.draft.request(), Summary: summary})
}

// SetSize gives the panel its lines: a title, the rows and a footer.
func (p *Panel) SetSize(width, height int) {
	p.width = width
	// The marker, the price, the count and the voucher's columns are
	// fixed; the ticket type's name takes the rest.
	p.nameWidth = max(width-2-1-7-1-7-1-12-1-noteWidth, 12)
	p.list.SetSize(width, max(height-2, 1))
}

// Want is how many lines the panel would like.
func (p *Panel) Want() int { return 2 + max(len(p.draft.rows), 1) }

// View draws the panel.
func (p *Panel) View() string {
	s := p.ctx.Styles
	title := "Tickets · " + p.data.Title
	if !p.data.OnOrder {
		title += " · not on the order yet"
	}
	head := s.Title.Render(title)
	var body string
	switch {
	case p.data.Prices == nil && p.data.PricesErr != nil:
		body = s.Failure.Render("✗ The ticket prices could not be read. F5 tries again.")
	case p.data.Prices == nil:
		body = p.ctx.Spinner.Frame() + " Loading ticket prices…"
	case len(p.draft.rows) == 0:
		body = s.Muted.Render("No tickets are on sale for this showtime.")
	}
	if body != "" {
		return common.Fit(head, p.width) + "\n" + body
	}
	if showing := common.Showing(p.list); showing != "" {
		head += s.Muted.Render("  " + showing)
	}
	return common.Fit(head, p.width) + "\n" + p.list.View() + "\n" + p.footer()
}

func (p *Panel) drawRow(w io.Writer, _ int, item list.Item, selected bool) {
	s := p.ctx.Styles
	r := item.(Row)
	name := r.name
	paidBy := ""
	switch {
	case r.voucherID != "":
		paidBy = p.voucher(r.voucherID).Masked
	case r.voucherOnly:
		name += " — " + strings.Join(r.codes, "/") + " vouchers only"
	}
	count := p.draft.counts[r.rowKey]
	cell := fmt.Sprintf("  %2d   ", count)
	switch {
	case r.voucherOnly:
		cell = "   –   "
	case selected:
		cell = fmt.Sprintf("◂ %2d ▸ ", count)
	}
	row := fmt.Sprintf("%s%-*s %7s %s %-12s %s", common.Marker(selected), p.nameWidth, ansi.Truncate(name, p.nameWidth, "…"),
		common.Money(r.price.ValueIncludingTax), cell, paidBy, p.note(r))
	row = common.Fit(strings.TrimRight(row, " "), p.width)
	switch {
	case selected:
		row = s.Selected.Render(row)
	case r.voucherOnly:
		row = s.Muted.Render(row)
	}
	io.WriteString(w, row)
}

// noteWidth is the note column: "2 left (+1)".
const noteWidth = 12

// note says what a voucher row's voucher can still pay for, and by how many
// the row differs from the order until F7 applies it.
func (p *Panel) note(r Row) string {
	var parts []string
	if r.voucherID != "" {
		if v := p.voucher(r.voucherID); v.Capacity >= 0 {
			parts = append(parts, fmt.Sprintf("%d left", max(v.Capacity-v.Elsewhere-p.draft.voucherCount(r.voucherID), 0)))
		}
	}
	if change := p.draft.counts[r.rowKey] - p.draft.base[r.rowKey]; change != 0 {
		parts = append(parts, fmt.Sprintf("(%+d)", change))
	}
	return strings.Join(parts, " ")
}

// footer says what the order would cost with the draft applied.
func (p *Panel) footer() string {
	s := p.ctx.Styles
	now := p.data.OrderTotal
	var here float64
	for _, t := range p.data.Tickets {
		here += t.Price.ValueIncludingTax
	}
	after := now - here + p.draft.total()
	n := common.Plural(p.draft.ticketCount(), "ticket")
	if !p.Dirty() {
		return common.Fit(s.Muted.Render(fmt.Sprintf("%s here, order total %s · ←/→ sets how many · F7 applies", n, common.Money(now))), p.width)
	}
	return common.Fit(s.Warning.Render(fmt.Sprintf("Not applied: total %s → %s, %s here", common.Money(now), common.Money(after), n))+
		s.Muted.Render(" · F7 applies · esc discards"), p.width)
}

type keyMap struct{ Up, Down, Left, Right, Apply, Remove, Showtime, Discard key.Binding }

func newKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "row")),
		Down:     key.NewBinding(key.WithKeys("down")),
		Left:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "count")),
		Right:    key.NewBinding(key.WithKeys("right")),
		Apply:    key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "apply")),
		Remove:   key.NewBinding(key.WithKeys("f8"), key.WithHelp("f8", "remove voucher")),
		Showtime: key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "showtime")),
		Discard:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "discard")),
	}
}

// ShortHelp is the bar while the panel is open.
func (p *Panel) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Left, p.keys.Apply, p.keys.Showtime, p.keys.Discard}
}

// FullHelp lists the panel's keys.
func (p *Panel) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Left, p.keys.Apply, p.keys.Remove}}
}
