package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/notattached"
	"github.com/boxoffice/boxoffice/ui/orderview"
	"github.com/boxoffice/boxoffice/ui/picker"
	"github.com/boxoffice/boxoffice/ui/scanform"
	"github.com/boxoffice/boxoffice/ui/seatmap"
	"github.com/boxoffice/boxoffice/ui/status"
	"github.com/boxoffice/boxoffice/ui/tickets"
	"github.com/boxoffice/boxoffice/ui/vouchers"
)

// Model is the counter screen's root. It routes messages to the part they
// are for, holds focus and layout, and owns what belongs to the run (the
// orders opened, the keys, the help bar, the bell); everything about the
// customer at the counter is in cust, replaced as a whole when the order
// changes.
type Model struct {
	run  *run
	keys *keyMap
	help help.Model
	// cust is the customer at the counter; nil before any order is open.
	cust    *customer
	layout  layout
	frame   frame
	bar     helpBar
	signal  terminalSignal
	restart restartReport
}

// New builds the counter screen.
func New(opts Options) *Model {
	if opts.VoucherType == "" {
		opts.VoucherType = api.VoucherTicket
	}
	if opts.PinPrompt == "" {
		opts.PinPrompt = PinAsk
	}
	if opts.Bell == "" {
		opts.Bell = BellRefusals
	}
	ctx := common.NewContext(opts.Now)
	r := &run{ctx: ctx, opts: opts, backend: opts.Backend, status: status.New(ctx), book: newOrderBook(ctx), sites: map[string]site{}}
	m := &Model{run: r, keys: newKeyMap(), help: help.New(), layout: layout{width: 80, height: 24}}
	if opts.OrderID != "" {
		m.cust = newCustomer(r, opts.OrderID, handover{known: m.run.book.entry(opts.OrderID)})
		m.cust.loading = true
		m.cust.loadSeq = m.cust.nextSeq()
	} else {
		m.run.book.Show(opts.SiteID, false)
	}
	m.afterUpdate(true)
	return m
}

// Init reads the order and starts the clock.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.run.ctx.ClockTick(), m.keepAliveTick()}
	if c := m.cust; c != nil {
		// The run's first read also brings what the last run left
		// unfinished.
		cmds = append(cmds, m.run.backend.LoadOrder(c.orderID, c.loadSeq, true, true), m.run.ctx.Spinner.Start(m.run.ctx))
	}
	return tea.Batch(cmds...)
}

func (m *Model) keepAliveTick() tea.Cmd {
	if m.run.opts.KeepAlive <= 0 {
		return nil
	}
	return m.run.ctx.After(m.run.opts.KeepAlive, keepAliveMsg{})
}

// Update routes a message to the part it is for.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	_, resized := msg.(tea.WindowSizeMsg)
	m.afterUpdate(resized)
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	c := m.cust
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.layout.width, m.layout.height = msg.Width, msg.Height
		return nil
	case tea.KeyMsg:
		return m.key(msg)
	case common.SpinMsg:
		m.run.status.Update(msg)
		return m.run.ctx.Spinner.Tick(m.run.ctx, c != nil && c.busy())
	case keepAliveMsg:
		return tea.Batch(m.run.backend.KeepAlive(c != nil && c.open()), m.keepAliveTick())
	case signalDoneMsg:
		m.signal.done(msg)
		return nil
	case ringMsg:
		return m.signal.ring(m.run.ctx)
	case common.AnnounceMsg:
		if c != nil {
			return c.announce(msg.Kind, msg.Text)
		}
		return m.run.status.Announce(msg.Kind, msg.Text)
	case openMsg:
		return m.open(msg.id)
	case orderCreatedMsg:
		return m.created(msg)
	case notedMsg:
		if msg.err != nil {
			m.run.journalBroken = msg.err
		}
		return nil
	}
	if common.IsClockDue(msg) {
		return m.tick()
	}
	if c == nil {
		return nil
	}
	return m.forCustomer(msg)
}

// forCustomer routes the messages about the customer's order. An answer
// about another order (one left while its call was under way) goes nowhere.
func (m *Model) forCustomer(msg tea.Msg) tea.Cmd {
	c := m.cust
	switch msg := msg.(type) {
	case scanform.IdleMsg:
		ev, cmd := c.form.Update(msg)
		return tea.Batch(cmd, c.formEvent(ev))
	case vouchers.RemoveMsg:
		return c.askRemove(msg.ID)
	case vouchers.LeaveMsg:
		if c.notAttached.Len() > 0 {
			c.list.SetActive(false)
			c.notAttached.Focus()
		}
	case notattached.LeaveMsg:
		c.list.SetActive(true)
	case notattached.RetryMsg:
		c.list.SetActive(true)
		return c.retry(msg.Key)
	case tickets.ApplyMsg:
		return c.applyTickets(msg)
	case picker.ListMsg:
		return m.run.backend.ListShowtimes(msg.SiteID, msg.Date, msg.Seq)
	case picker.TakeMsg:
		return c.takeShowtime(msg)
	case orderLoadedMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		if msg.unfinishedRead {
			m.restart.take(msg.unfinished)
		}
		cmd := c.loaded(msg)
		return tea.Batch(cmd, m.restart.settle(c, msg.journalled), c.checkSeats())
	case showtimeLoadedMsg:
		c.showtimeLoaded(msg)
		return c.checkSeats()
	case pricesLoadedMsg:
		return tea.Batch(c.pricesLoaded(msg), c.checkSeats())
	case seatsLoadedMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		return c.seatsLoaded(msg)
	case seatmap.SendMsg:
		return c.sendSeats(msg)
	case seatmap.CloseMsg:
		return c.closeSeats()
	case showtimesListedMsg:
		return c.showtimesListed(msg)
	case attachDoneMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		return c.attachDone(msg)
	case journalSyncedMsg:
		return c.journalSynced(msg)
	case ticketsSetMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		return tea.Batch(c.ticketsSet(msg), c.checkSeats())
	case removeDoneMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		return c.removeDone(msg)
	case orderCancelledMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		return c.cancelDone(msg)
	case orderCompletedMsg:
		if msg.orderID != c.orderID {
			return nil
		}
		return c.completeDone(msg)
	}
	return nil
}

// tick is the clock: every countdown on screen is worded again.
func (m *Model) tick() tea.Cmd {
	now := m.run.ctx.Now()
	tick := common.TickMsg(now)
	m.run.status.Update(tick)
	cmds := []tea.Cmd{m.run.ctx.ClockTick()}
	if c := m.cust; c != nil {
		c.notAttached.Update(tick)
		cmds = append(cmds, c.tick(now))
	}
	return tea.Batch(cmds...)
}

// key routes a key: the run's keys first, then the open-order page, then
// the customer's actions, the part in the middle of the screen, and what is
// left to the scan form.
func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	m.run.status.DisarmOn(k)
	c := m.cust
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit()
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return nil
	case key.Matches(k, m.keys.NewOrder):
		return m.newOrder()
	case key.Matches(k, m.keys.NextOrder):
		return m.nextOrder()
	case key.Matches(k, m.keys.OpenOrder):
		if c != nil {
			if why := c.cannotLeave(); why != "" {
				return c.announce(common.Failure, why)
			}
		}
		m.run.book.Show(m.siteForNewOrder(), c != nil)
		return nil
	case key.Matches(k, m.keys.CopyTxn):
		return m.copyTransaction()
	case key.Matches(k, m.keys.Refresh):
		return m.refresh()
	}
	if m.run.book.showing {
		if key.Matches(k, m.keys.Clear) && c != nil {
			m.run.book.Hide()
			return nil
		}
		return m.run.book.Update(k)
	}
	if c == nil {
		return nil
	}
	return m.customerKey(k)
}

// customerKey routes a key about the customer's order.
func (m *Model) customerKey(k tea.KeyMsg) tea.Cmd {
	c := m.cust
	switch {
	case key.Matches(k, m.keys.Clear):
		return m.clear()
	case key.Matches(k, m.keys.Outcomes):
		return c.outcomes.Update(k)
	case key.Matches(k, m.keys.Tickets):
		return c.toggleTickets()
	case key.Matches(k, m.keys.Seats):
		return c.toggleSeats()
	case key.Matches(k, m.keys.Showtime):
		return c.cycleShowtime()
	case key.Matches(k, m.keys.Cancel):
		return c.askCancel()
	case key.Matches(k, m.keys.Complete):
		return c.askComplete()
	case key.Matches(k, m.keys.Retry):
		barcode, ok := c.notAttached.Retry()
		if !ok {
			return c.announce(common.Failure, "There is no failed scan to retry.")
		}
		c.notAttached.Blur()
		c.list.SetActive(true)
		return c.retry(barcode)
	case key.Matches(k, m.keys.Arrows, m.keys.Apply, m.keys.Remove):
		return m.middleKey(k)
	}
	if c.middle == middleSeats && c.form.Empty() {
		if cmd, taken := c.seatKey(k); taken {
			return cmd
		}
	}
	ev, cmd := c.form.Update(k)
	return tea.Batch(cmd, c.formEvent(ev))
}

// middleKey gives arrows, F7 and F8 to the part in the middle of the screen.
func (m *Model) middleKey(k tea.KeyMsg) tea.Cmd {
	c := m.cust
	switch {
	case c.middle == middleTickets:
		return c.tickets.Update(k)
	case c.middle == middlePicker:
		return c.picker.Update(k)
	case c.middle == middleSeats:
		if c.seatWork.m == nil {
			return c.announce(common.Info, "The seats are still being read.")
		}
		return c.seatWork.m.Update(k)
	case key.Matches(k, m.keys.Apply):
		return c.announce(common.Failure, "F7 applies ticket changes: press F4 to open the tickets panel first.")
	case c.notAttached.Focused():
		if key.Matches(k, m.keys.Remove) {
			return c.announce(common.Failure, "F8 removes a voucher, and the selection is in the Not attached list: ↑ back to the vouchers first.")
		}
		return c.notAttached.Update(k)
	case key.Matches(k, m.keys.Remove) && c.list.Len() == 0:
		return c.announce(common.Failure, "No voucher is selected. Use ↑/↓ to pick one, then F8.")
	}
	return c.list.Update(k)
}

// clear is Esc: it answers a question with no, then empties the form, then
// closes the panel.
func (m *Model) clear() tea.Cmd {
	c := m.cust
	st := m.run.status
	if q := st.Asking(); q != status.NoQuestion {
		st.Answered()
		switch q {
		case status.RemoveVoucher:
			return c.announce(common.Info, "Kept the voucher.")
		case status.CancelOrder:
			return c.announce(common.Info, "Kept the order.")
		case status.Quit:
			return c.announce(common.Info, "Not quitting; the counter carries on.")
		}
		return c.announce(common.Info, "Not completed; the order is as it was.")
	}
	if !c.form.Empty() {
		c.form.Reset()
		st.Clear()
		return nil
	}
	switch c.middle {
	case middleSeats:
		if c.seatWork.m == nil {
			return c.closeSeats()
		}
		// The map clears a seat's name being typed, else closes.
		return c.seatWork.m.Update(tea.KeyMsg{Type: tea.KeyEsc})
	case middlePicker:
		c.closePanel()
		st.Clear()
		return nil
	case middleTickets:
		dirty := c.tickets.Dirty()
		c.closePanel()
		if dirty {
			return c.announce(common.Info, "Discarded the ticket changes; the order is as it was.")
		}
		st.Clear()
		return nil
	}
	c.form.Reset()
	st.Clear()
	return nil
}

// copyTransaction is ctrl+t: the transaction number goes to the terminal's
// clipboard, for the till or a refund form.
func (m *Model) copyTransaction() tea.Cmd {
	c := m.cust
	switch {
	case c == nil:
		return nil
	case c.txn != "":
	case c.order != nil && c.order.Status == api.OrderCompleted:
		return c.announce(common.Failure, "The transaction number of order "+common.ShortID(c.orderID)+" was lost with the answer, so there is nothing to copy: look it up in Vista.")
	default:
		return c.announce(common.Failure, "Nothing to copy: an order gets its transaction number when F10 completes it.")
	}
	// The terminal does not answer OSC 52: the screen cannot know it worked,
	// and says what it did.
	return tea.Batch(m.signal.copy(m.run.ctx, c.txn),
		c.announce(common.Info, "Sent transaction "+c.txn+" to the clipboard, for terminals that let programs set it (OSC 52)."))
}

// afterUpdate tells the parts what changed around them: the status line its
// hint, the help bar its keys, and the layout their sizes.
func (m *Model) afterUpdate(resized bool) {
	if c := m.cust; c != nil {
		_, otherOpen := m.run.book.nextOpen(c.orderID)
		c.setRun(m.run.book.position(c.orderID), otherOpen)
	}
	busy := m.cust != nil && m.cust.busy()
	m.run.status.SetHint(m.idleHint(), busy)
	m.help.Width = m.layout.inner()
	m.bar.update(m)
	m.layout.arrange(m, resized)
}

// idleHint is what the status line says when nothing is announced.
func (m *Model) idleHint() string {
	c := m.cust
	switch {
	case m.run.book.showing:
		return "Open an order to start."
	case c == nil:
		return ""
	case c.form.Hint() != "":
		return c.form.Hint()
	case c.state == orderview.NotLoaded:
		return "The order is not loaded: F5 tries again."
	case c.middle == middleTickets:
		return "↑/↓ picks a row, ←/→ sets how many, F7 applies. Scans still attach."
	case c.middle == middlePicker:
		return "↑/↓ picks the showtime, ←/→ changes the day, F7 takes it."
	case c.middle == middleSeats:
		return "Arrows move, Enter or space takes a seat, type a seat (F12) to go to it; F7 sends. Scans still attach."
	case c.ended():
		return "Press ctrl+n to start the next order."
	}
	return "Ready: scan a voucher or type its barcode and press Enter."
}

// seatKey gives the seat map the keys it takes while the scan form is
// empty: Enter and space take or free a seat, backspace edits a seat's name
// being typed, and typed text goes to it as a seat's name, unless it cannot
// be one and is as long as a barcode: that, with what the map took of it,
// goes to the form as a scan. taken is false for a key the map leaves.
func (c *customer) seatKey(k tea.KeyMsg) (cmd tea.Cmd, taken bool) {
	sm := c.seatWork.m
	if sm == nil {
		return nil, false
	}
	switch k.Type {
	case tea.KeyEnter, tea.KeySpace, tea.KeyBackspace:
		return sm.Update(k), true
	case tea.KeyRunes:
		if k.Paste {
			return nil, false
		}
		handed := sm.TypeOrHand(k.Runes)
		if handed == "" {
			return nil, true
		}
		ev, cmd := c.form.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(handed)})
		return tea.Batch(cmd, c.formEvent(ev)), true
	}
	return nil, false
}
