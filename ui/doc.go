// Package ui is the counter screen: a Bubble Tea program that shows the
// customer's order, attaches the vouchers scanned into its form, and lets the
// operator set tickets, remove vouchers and complete or cancel the order.
//
// The root, Model, routes messages, holds focus and the layout, and owns the
// run (settings, clock, styles, the Backend, the status line, the orders
// opened) and one customer: everything about the customer in front of the
// counter, replaced as a whole when the order changes (customer.go). What the
// next customer takes over from the last is handed over explicitly
// (handover).
//
// The parts of the screen live in sub-packages (scanform, status, orderview,
// vouchers, notattached, outcomes, tickets, picker, seatmap). Each owns its
// state, Update, View, SetSize, its height and its keys, and asks for work by
// returning commands or intent messages, never by calling the root. The
// layout (layout.go) shares the window out from the parts' heights, only when
// one changes.
//
// Every call to the server and every journal line starts as a command of the
// Backend (backend.go) and comes back as a typed message (messages.go):
// Update never waits on the network or the disk. Live is the real Backend, on
// a desk.Clerk.
//
// The life of a scan and of a key, step by step, is in docs/architecture.md.
package ui
