package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/boxoffice/boxoffice/api"
)

// keyMap holds every action key of the counter screen. Only ctrl
// combinations, F-keys, esc and arrows are used, because a barcode scanner
// types printable text into whatever has focus: a printable action key would
// fire in the middle of a scan. For the same reason Enter only ever ends a
// field: a scan ends with Enter, so Enter never confirms anything.
type keyMap struct {
	Next          key.Binding
	Back          key.Binding
	CycleType     key.Binding
	CycleShowtime key.Binding
	Tickets       key.Binding
	NextOrder     key.Binding
	Apply         key.Binding
	Up            key.Binding
	Down          key.Binding
	Left          key.Binding
	Right         key.Binding
	Remove        key.Binding
	CancelOrder   key.Binding
	Complete      key.Binding
	Retry         key.Binding
	Clear         key.Binding
	Refresh       key.Binding
	OpenOrder     key.Binding
	NewOrder      key.Binding
	Help          key.Binding
	Outcomes      key.Binding
	CopyTxn       key.Binding
	Quit          key.Binding

	// Help-only entries: the same arrow keys read differently in the
	// tickets panel and the showtime picker.
	rows     key.Binding
	counts   key.Binding
	dates    key.Binding
	discard  key.Binding
	drop     key.Binding
	openID   key.Binding
	takeIt   key.Binding
	remove   key.Binding
	apply    key.Binding
	showtime key.Binding
	// The "Not attached" list's bar, while ↑/↓ are in it.
	scans      key.Binding
	retryIt    key.Binding
	toVouchers key.Binding
	// The scan form's bar: enabled only while what they do can be done
	// (sync), so the bar shows only what works. The keys themselves stay
	// live, to say why when they cannot.
	tickets  key.Binding
	complete key.Binding
	cancel   key.Binding
	copyTxn  key.Binding
	// nextOpen is F6 in the bars, offered only while another of this run's
	// orders is open.
	nextOpen key.Binding
	// The full help's entries for what changes an order: enabled, as the
	// bar's are, only while the order on screen can change.
	fullShowtime key.Binding
	fullTickets  key.Binding
	fullApply    key.Binding
	fullRemove   key.Binding
	fullCancel   key.Binding
	fullComplete key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Next: key.NewBinding(
			key.WithKeys("enter", "tab"),
			key.WithHelp("enter", "attach"),
		),
		Back: key.NewBinding(
			key.WithKeys("shift+tab"),
			key.WithHelp("shift+tab", "back"),
		),
		CycleType: key.NewBinding(
			key.WithKeys("f2"),
			key.WithHelp("f2", "voucher type"),
		),
		CycleShowtime: key.NewBinding(
			key.WithKeys("f3"),
			key.WithHelp("f3", "next showtime"),
		),
		Tickets: key.NewBinding(
			key.WithKeys("f4"),
			key.WithHelp("f4", "tickets"),
		),
		NextOrder: key.NewBinding(
			key.WithKeys("f6"),
			key.WithHelp("f6", "next open order"),
		),
		Apply: key.NewBinding(
			key.WithKeys("f7"),
			key.WithHelp("f7", "apply tickets"),
		),
		Up: key.NewBinding(
			key.WithKeys("up"),
			key.WithHelp("↑/↓", "select"),
		),
		Down: key.NewBinding(
			key.WithKeys("down"),
		),
		Left: key.NewBinding(
			key.WithKeys("left"),
			key.WithHelp("←/→", "count / date"),
		),
		Right: key.NewBinding(
			key.WithKeys("right"),
		),
		Remove: key.NewBinding(
			key.WithKeys("f8"),
			key.WithHelp("f8", "remove voucher"),
		),
		CancelOrder: key.NewBinding(
			key.WithKeys("f9"),
			key.WithHelp("f9", "cancel order"),
		),
		Complete: key.NewBinding(
			key.WithKeys("f10"),
			key.WithHelp("f10", "complete"),
		),
		Retry: key.NewBinding(
			key.WithKeys("ctrl+r"),
			key.WithHelp("ctrl+r", "retry failed"),
		),
		Clear: key.NewBinding(
			key.WithKeys("esc"),
			key.WithHelp("esc", "clear / keep"),
		),
		Refresh: key.NewBinding(
			key.WithKeys("f5"),
			key.WithHelp("f5", "reload"),
		),
		OpenOrder: key.NewBinding(
			key.WithKeys("ctrl+o"),
			key.WithHelp("ctrl+o", "open order"),
		),
		NewOrder: key.NewBinding(
			key.WithKeys("ctrl+n"),
			key.WithHelp("ctrl+n", "new order"),
		),
		Help: key.NewBinding(
			key.WithKeys("f1"),
			key.WithHelp("f1", "all keys"),
		),
		Outcomes: key.NewBinding(
			key.WithKeys("ctrl+l"),
			key.WithHelp("ctrl+l", "more/fewer outcomes"),
		),
		CopyTxn: key.NewBinding(
			key.WithKeys("ctrl+t"),
			key.WithHelp("ctrl+t", "copy transaction"),
		),
		Quit: key.NewBinding(
			key.WithKeys("ctrl+c"),
			key.WithHelp("ctrl+c", "quit"),
		),
		rows:       key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "row")),
		counts:     key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "count")),
		dates:      key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "date")),
		discard:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		drop:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "discard")),
		openID:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		takeIt:     key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "take showtime")),
		remove:     key.NewBinding(key.WithKeys("f8"), key.WithHelp("f8", "remove")),
		apply:      key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "apply")),
		showtime:   key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "showtime")),
		scans:      key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "pick a failed scan")),
		retryIt:    key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "retry it")),
		toVouchers: key.NewBinding(key.WithKeys("up"), key.WithHelp("↑ at the top", "vouchers")),
		tickets:    key.NewBinding(key.WithKeys("f4"), key.WithHelp("f4", "tickets")),
		complete:   key.NewBinding(key.WithKeys("f10"), key.WithHelp("f10", "complete")),
		cancel:     key.NewBinding(key.WithKeys("f9"), key.WithHelp("f9", "cancel order")),
		// Off until an order is completed, when the four before it are off.
		copyTxn:  key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "copy transaction"), key.WithDisabled()),
		nextOpen: key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", "next open order")),

		fullShowtime: key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "next showtime")),
		fullTickets:  key.NewBinding(key.WithKeys("f4"), key.WithHelp("f4", "tickets")),
		fullApply:    key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "apply tickets")),
		fullRemove:   key.NewBinding(key.WithKeys("f8"), key.WithHelp("f8", "remove voucher")),
		fullCancel:   key.NewBinding(key.WithKeys("f9"), key.WithHelp("f9", "cancel order")),
		fullComplete: key.NewBinding(key.WithKeys("f10"), key.WithHelp("f10", "complete")),
	}
}

// sync enables the bar's entries for what the order on screen allows, and
// reports which are enabled, for the help bar's cache. It runs in Update.
func (k *keyMap) sync(m *Model) (enabled uint8) {
	open := m.order != nil && m.order.Status != api.OrderCompleted && !m.orderGone
	otherOpen := false
	for _, e := range m.opened {
		if e.id != m.orderID && e.ended == "" && e.status != api.OrderCompleted {
			otherOpen = true
		}
	}
	for i, e := range []struct {
		b  *key.Binding
		on bool
	}{
		{&k.tickets, open},
		{&k.remove, open && m.vouchers.len() > 0},
		{&k.complete, open},
		{&k.cancel, open},
		{&k.copyTxn, m.transactionNumber() != ""},
		{&k.nextOpen, otherOpen},
	} {
		e.b.SetEnabled(e.on)
		if e.on {
			enabled |= 1 << i
		}
	}
	for _, b := range []*key.Binding{&k.fullShowtime, &k.fullTickets, &k.fullApply, &k.fullCancel, &k.fullComplete} {
		b.SetEnabled(open)
	}
	k.fullRemove.SetEnabled(open && m.vouchers.len() > 0)
	return enabled
}

// ShortHelp is the one-line help bar of the scan form: the keys an operator
// needs most. It must fit 78 columns; Enter is left to the form's own hint.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.tickets, k.remove, k.complete, k.cancel, k.copyTxn, k.Help}
}

// FullHelp is shown with F1 and lists every key.
func (k keyMap) FullHelp() [][]key.Binding {
	// Three columns: four would not fit 78 columns.
	return [][]key.Binding{
		{k.Next, k.Back, k.CycleType, k.fullShowtime, k.Clear, k.Retry, k.Refresh},
		{k.fullTickets, k.Up, k.Left, k.fullApply, k.fullRemove, k.fullCancel, k.fullComplete},
		{k.NewOrder, k.OpenOrder, k.NextOrder, k.CopyTxn, k.Outcomes, k.Help, k.Quit},
	}
}
