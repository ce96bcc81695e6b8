package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

	"github.com/boxoffice/boxoffice/ui/orderview"
)

// helpBar is the help bar's keys for what the screen is doing, and its
// drawing. Both are made again only when what they depend on changes:
// drawing the bar is a fifth of a frame, and it changes far less often.
type helpBar struct {
	made  barState
	keys  helpKeys
	drawn string
	width int
	all   bool
}

// barState is what decides the bar's keys.
type barState struct {
	page, noOrder, notLoaded, ended, txn, otherOpen, vouchers, naFocused, all, unseated, seatMap bool
	middle                                                                                       middle
}

func (m *Model) barState() barState {
	st := barState{page: m.run.book.showing, all: m.help.ShowAll, noOrder: m.cust == nil}
	if c := m.cust; c != nil {
		st.notLoaded = c.state == orderview.NotLoaded || c.state == orderview.Loading && c.order == nil
		st.ended, st.txn, st.middle = c.ended(), c.txn != "", c.middle
		st.vouchers, st.naFocused = c.list.Len() > 0, c.notAttached.Focused()
		st.unseated, st.seatMap = c.anyUnseated(), c.seatWork != nil && c.seatWork.m != nil
		_, st.otherOpen = m.run.book.nextOpen(c.orderID)
	}
	return st
}

// update makes the bar's keys again when what decides them changed.
func (b *helpBar) update(m *Model) {
	if st := m.barState(); st != b.made || b.keys.short == nil {
		b.made, b.keys, b.drawn = st, m.helpKeys(), ""
	}
}

// view is the bar drawn at h's width.
func (b *helpBar) view(h *help.Model) string {
	if b.drawn == "" || b.width != h.Width || b.all != h.ShowAll {
		b.drawn, b.width, b.all = h.View(b.keys), h.Width, h.ShowAll
	}
	return b.drawn
}

// helpKeys is the help bar for what the screen is doing: the short bar
// lists the keys that work now, from the part that has them; F1 lists every
// key in three columns (four would not fit 78 columns).
func (m *Model) helpKeys() helpKeys {
	k := m.keys
	c := m.cust
	help := k.Help
	if m.help.ShowAll {
		help.SetHelp("f1", "fewer keys")
	}
	otherOpen := false
	if c != nil {
		_, otherOpen = m.run.book.nextOpen(c.orderID)
	}
	next := k.NextOrder
	next.SetEnabled(otherOpen)
	full := [][]key.Binding{
		{k.Showtime, k.Seats, k.Retry},
		{k.Tickets, k.Arrows, k.Sides, k.Apply, k.Remove, k.Cancel, k.Complete},
		{k.Refresh, k.NewOrder, k.OpenOrder, next, k.CopyTxn, k.Outcomes, help, k.Quit},
	}
	var short []key.Binding
	switch {
	case m.run.book.showing:
		short = append(m.run.book.ShortHelp(), help)
	case c == nil:
		short = []key.Binding{k.NewOrder, k.OpenOrder, help}
	case c.state == orderview.NotLoaded || c.state == orderview.Loading && c.order == nil:
		short = []key.Binding{k.Refresh, k.OpenOrder, k.NewOrder, next, help}
	case c.ended():
		// Nothing on the order can change: what is left is the next one.
		short = []key.Binding{k.NewOrder, k.OpenOrder, next}
		if c.txn != "" {
			short = append(short, k.CopyTxn)
		}
		short = append(short, help)
	case c.middle == middleTickets:
		short = append(c.tickets.ShortHelp(), help)
	case c.middle == middlePicker:
		short = append(c.picker.ShortHelp(), help)
	case c.middle == middleSeats:
		if c.seatWork.m != nil {
			short = c.seatWork.m.ShortHelp()
		}
		short = append(short, help)
	case c.notAttached.Focused():
		short = append(c.notAttached.ShortHelp(), help)
	default:
		short = append(short, k.Tickets)
		if c.anyUnseated() {
			short = append(short, k.Seats)
		}
		short = append(short, c.list.ShortHelp()...)
		short = append(short, k.Complete, k.Cancel, next, help)
	}
	if c != nil {
		// The form's own keys head the first column; Esc is among them.
		full[0] = append(c.form.FullHelp()[0], full[0]...)
	} else {
		full[0] = append([]key.Binding{k.Clear}, full[0]...)
	}
	return helpKeys{short: short, full: full}
}
