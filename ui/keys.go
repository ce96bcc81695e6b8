package ui

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every action key of the counter screen. Only ctrl
// combinations, F-keys, esc and arrows are used, because a barcode scanner
// types printable text into whatever has focus: a printable action key would
// fire in the middle of a scan.
type keyMap struct {
	Next          key.Binding
	Back          key.Binding
	CycleType     key.Binding
	CycleShowtime key.Binding
	Up            key.Binding
	Down          key.Binding
	Remove        key.Binding
	Retry         key.Binding
	Clear         key.Binding
	Refresh       key.Binding
	OpenOrder     key.Binding
	NewOrder      key.Binding
	Help          key.Binding
	Quit          key.Binding
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
			key.WithHelp("f2", "type"),
		),
		CycleShowtime: key.NewBinding(
			key.WithKeys("f3"),
			key.WithHelp("f3", "showtime"),
		),
		Up: key.NewBinding(
			key.WithKeys("up"),
			key.WithHelp("↑/↓", "select"),
		),
		Down: key.NewBinding(
			key.WithKeys("down"),
		),
		Remove: key.NewBinding(
			key.WithKeys("f8"),
			key.WithHelp("f8", "remove"),
		),
		Retry: key.NewBinding(
			key.WithKeys("ctrl+r"),
			key.WithHelp("ctrl+r", "retry failed"),
		),
		Clear: key.NewBinding(
			key.WithKeys("esc"),
			key.WithHelp("esc", "clear / cancel"),
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
		Quit: key.NewBinding(
			key.WithKeys("ctrl+c"),
			key.WithHelp("ctrl+c", "quit"),
		),
	}
}

// ShortHelp is the one-line help bar: the keys an operator needs most.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.CycleType, k.Up, k.Remove, k.Help, k.Quit}
}

// FullHelp is shown with F1.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Back, k.CycleType, k.CycleShowtime},
		{k.Up, k.Remove, k.Retry, k.Clear},
		{k.Refresh, k.OpenOrder, k.NewOrder, k.Help, k.Quit},
	}
}
