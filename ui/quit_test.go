package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
)

// An order in progress holds its customer's tickets and vouchers until it
// expires: ctrl+c asks before leaving it, and the second ctrl+c quits.
func TestQuitWithAnOrderInProgressAsksFirst(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.attach("ADTMM0000111", "1234")
	mark := len(c.out.read())
	c.key(tea.KeyCtrlC)
	c.waitForSince(mark, "Order 3f9c2a7b…4a86 is still in progress: quitting leaves its 3")
	c.waitStatus("Press ctrl+c again to quit, Esc to stay; F10 completes it, F9 cancels it.")
	// Esc stays, and says so; the next ctrl+c asks again rather than quits.
	c.key(tea.KeyEsc)
	c.waitStatus("Not quitting; the counter carries on.")
	asked := c.statusMark()
	c.key(tea.KeyCtrlC)
	c.waitStatusSince(asked, "Press ctrl+c again to quit")
	c.key(tea.KeyCtrlC)
	c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// Another action key between the two presses drops the question, as every
// other question on the status line is dropped.
func TestQuitQuestionIsDroppedByAnotherKey(t *testing.T) {
	c := startCounter(t, counterSetup{now: saturdayEvening().Now})
	c.key(tea.KeyCtrlC)
	c.waitState("the question", func(s modelState) bool { return s.confirm == confirmQuit })
	c.key(tea.KeyF5)
	c.waitState("the question dropped", func(s modelState) bool { return s.confirm == 0 })
	c.key(tea.KeyCtrlC)
	c.waitState("asked again", func(s modelState) bool { return s.confirm == confirmQuit })
	if !strings.Contains(c.state.statusText(), "is still in progress") {
		t.Fatalf("the second question reads %q", c.state.statusText())
	}
}

// Nothing left undone quits at once: no order, a completed one, a
// cancelled one.
func TestQuitWithNothingInProgressQuitsAtOnce(t *testing.T) {
	t.Run("no order open", func(t *testing.T) {
		c := startCounter(t, counterSetup{opts: func(o *Options) { o.OrderID = "" }, ready: "Open an order"})
		c.key(tea.KeyCtrlC)
		c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	})
	t.Run("cancelled", func(t *testing.T) {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now})
		c.key(tea.KeyF9)
		c.waitState("the cancel question", func(s modelState) bool { return s.confirm == confirmCancelOrder })
		c.key(tea.KeyF9)
		c.waitState("the order cancelled", func(s modelState) bool { return s.orderGone && s.ended == "cancelled" })
		c.key(tea.KeyCtrlC)
		c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	})
	t.Run("completed", func(t *testing.T) {
		c := startCounter(t, counterSetup{now: saturdayEvening().Now, opts: func(o *Options) { o.OrderID = emptyOrderID }})
		c.completeWithOneVoucherTicket()
		c.key(tea.KeyCtrlC)
		c.tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	})
}

// completeWithOneVoucherTicket lets ADTMM0000111 pay for one ticket of the
// empty demo order and completes it, returning its transaction number.
func (c *counterTest) completeWithOneVoucherTicket() string {
	c.t.Helper()
	c.attach("ADTMM0000111", "1234")
	s := c.openTickets()
	c.selectRow(s, adultMMType+"/")
	c.key(tea.KeyRight)
	c.applyTickets()
	c.waitState("a free ticket", func(s modelState) bool { return s.tickets == 1 && s.total == 0 })
	c.key(tea.KeyF10)
	c.waitState("the question", func(s modelState) bool { return s.confirm == confirmComplete })
	c.key(tea.KeyF10)
	s = c.waitState("completed", func(s modelState) bool { return s.txn != "" && s.orderStatus == api.OrderCompleted })
	return s.txn
}
