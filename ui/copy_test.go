package ui

import (
	"strings"
	"testing"

	osc52 "github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// After completion the transaction number stays on screen, the help bar
// offers ctrl+t, and ctrl+t writes it to the terminal as an OSC 52
// clipboard sequence, once. The next order no longer shows it.
func TestTransactionNumberCanBeCopied(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = emptyOrderID }})
	// Before completion there is nothing to copy, and nothing is sent.
	c.key(tea.KeyCtrlT)
	c.waitStatus("Nothing to copy: an order gets its transaction number when F10 completes it.")
	txn := c.completeWithOneVoucherTicket()
	c.waitFor("✓ Completed, transaction " + txn + " · ctrl+n new order")
	c.waitFor("ctrl+t copy transaction")
	clip := osc52.New(txn).String()
	if strings.Contains(c.out.read(), "\x1b]52;") {
		t.Fatal("the clipboard was set before ctrl+t")
	}
	c.key(tea.KeyCtrlT)
	c.waitStatus("Sent transaction " + txn + " to the clipboard")
	if !eventually(func() bool { return strings.Count(c.out.read(), clip) == 1 }) {
		t.Fatalf("the output holds %d clipboard sequences for %s, want 1", strings.Count(c.out.read(), clip), txn)
	}
	c.key(tea.KeyCtrlN)
	c.waitState("a new order", func(s modelState) bool { return s.orderID != emptyOrderID && s.orderStatus != "" })
	screen := c.final().View()
	if strings.Contains(screen, "transaction "+txn) || strings.Contains(screen, "ctrl+t copy") {
		t.Fatalf("the next order still shows the transaction:\n%s", screen)
	}
	if n := strings.Count(c.out.read(), "\x1b]52;"); n != 1 {
		t.Fatalf("%d clipboard sequences in all, want 1", n)
	}
}
