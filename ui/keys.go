package ui

import (
	"github.com/charmbracelet/bubbles/key"
)

// keyMap holds the keys the root handles itself: the run's (orders, help,
// quitting) and the customer's order-level actions. The parts of the screen
// hold their own. Only ctrl combinations, F-keys, esc and arrows are used,
// because a barcode scanner types printable text into whatever has focus: a
// printable action key would fire in the middle of a scan. For the same
// reason Enter only ever ends a field, and never confirms anything.
type keyMap struct {
	Quit      key.Binding
	Help      key.Binding
	NewOrder  key.Binding
	OpenOrder key.Binding
	NextOrder key.Binding
	CopyTxn   key.Binding
	Refresh   key.Binding
	Outcomes  key.Binding
	Tickets   key.Binding
	Seats     key.Binding
	Showtime  key.Binding
	Cancel    key.Binding
	Complete  key.Binding
	Retry     key.Binding
	Clear     key.Binding
	Arrows    key.Binding
	Sides     key.Binding
	Apply     key.Binding
	Remove    key.Binding
}

func newKeyMap() *keyMap {
	return &keyMap{
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "all keys")),
		NewOrder:  key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "new order")),
		OpenOrder: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "open order")),
		NextOrder: key.NewBinding(key.WithKeys("f6"), key.WithHelp("f6", "next open order")),
		CopyTxn:   key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "copy transaction")),
		Refresh:   key.NewBinding(key.WithKeys("f5"), key.WithHelp("f5", "reload")),
		Outcomes:  key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "more/fewer outcomes")),
		Tickets:   key.NewBinding(key.WithKeys("f4"), key.WithHelp("f4", "tickets")),
		Seats:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "seats")),
		Showtime:  key.NewBinding(key.WithKeys("f3"), key.WithHelp("f3", "next showtime")),
		Cancel:    key.NewBinding(key.WithKeys("f9"), key.WithHelp("f9", "cancel order")),
		Complete:  key.NewBinding(key.WithKeys("f10"), key.WithHelp("f10", "complete")),
		Retry:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "retry failed")),
		Clear:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear / keep")),
		// The keys the middle of the screen takes, named once for the
		// full help: each part matches them itself.
		Arrows: key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("↑/↓", "select")),
		Sides:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "count / date")),
		Apply:  key.NewBinding(key.WithKeys("f7"), key.WithHelp("f7", "apply tickets")),
		Remove: key.NewBinding(key.WithKeys("f8"), key.WithHelp("f8", "remove voucher")),
	}
}

// help is the help bar: the keys that work now, for the part that has
// them, and every key with F1.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }
