package ui

import (
	"context"
	"errors"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/journal"
)

// counterAttachAttempts is how often the counter sends one scan whose answer
// was lost or refused by a failing server, re-reading the order between
// sends. A busy counter would rather wait a few seconds than hand the scan
// back to the operator.
const counterAttachAttempts = 8

// calls starts the screen's calls to the server and the journal, each as a
// command whose answer comes back as a message. Every call is bounded by
// callTimeout within the program's context, so quitting abandons what is
// under way rather than leaving it to finish unseen.
type calls struct {
	ctx     context.Context
	client  *api.Client
	journal *journal.Journal
	// clerk performs the journalled operations.
	clerk *desk.Clerk
	// keepAliveEvery is Options.KeepAlive.
	keepAliveEvery time.Duration
	// unfinished is Options.Unfinished.
	unfinished func() []journal.Line
}

func newCalls(ctx context.Context, client *api.Client, j *journal.Journal) *calls {
	if ctx == nil {
		ctx = context.Background()
	}
	return &calls{ctx: ctx, client: client, journal: j, clerk: desk.New(client, j)}
}

func (c *calls) keepingAlive(every time.Duration) *calls {
	c.keepAliveEvery = every
	return c
}

func (c *calls) settling(unfinished func() []journal.Line) *calls {
	c.unfinished = unfinished
	return c
}

// keepAliveFor is how long after its last call a counter keeps its
// connection open: the minutes between two customers, not a night.
const keepAliveFor = 15 * time.Minute

// keepAliveMsg is the keep-alive's tick (calls.keepAlive).
type keepAliveMsg struct{}

// keepAliveTick arms the next keep-alive; nil when it is off.
func (c *calls) keepAliveTick() tea.Cmd {
	if c.keepAliveEvery <= 0 || c.client == nil {
		return nil
	}
	return tea.Tick(c.keepAliveEvery, func(time.Time) tea.Msg { return keepAliveMsg{} })
}

// keepAlive keeps the connection to the server open while an order is open
// and the counter has been quiet for a while, but not for longer than
// keepAliveFor. A server or load balancer closes a connection that carries
// nothing for its idle timeout, and then the next scan waits for a new TCP
// and TLS handshake: two round trips or more before its add even leaves,
// which at a distant tenant is most of what the operator waits for. A
// scanner types a whole barcode in less than one round trip, so opening the
// connection at a scan's first key would come too late; it must already be
// open. The warm-up changes nothing on the server and its failure is only
// logged: the scan then dials as it would have.
func (c *calls) keepAlive(orderOpen bool) tea.Cmd {
	next := c.keepAliveTick()
	last := c.client.LastCall()
	quiet := time.Since(last)
	// A call in the last half interval has kept the connection open itself.
	if !orderOpen || last.IsZero() || quiet < c.keepAliveEvery/2 || quiet > keepAliveFor {
		return next
	}
	return tea.Batch(next, func() tea.Msg {
		c.client.Warm(c.ctx)
		return nil
	})
}

// context is one call's context.
func (c *calls) context() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, callTimeout)
}

// callTimeout bounds one screen action, retries and re-reads included, so a
// dead server never leaves the spinner turning for ever.
const callTimeout = 45 * time.Second

// scanItem is one scan waiting to be attached. The PIN lives here only until
// the request is sent, and is never written anywhere.
type scanItem struct {
	seq int
	// orderID is the order the scan was taken for.
	orderID string
	barcode string
	pin     *string
	vtype   api.VoucherType
	// prefix is the voucher_prefixes entry that chose vtype, "" when F2
	// or the default did.
	prefix     string
	showtimeID string
}

func (s scanItem) request() api.AddVoucherRequest {
	req := api.AddVoucherRequest{
		Type:        s.vtype,
		Credentials: api.VoucherCredentials{Barcode: s.barcode, Pin: s.pin},
	}
	if s.vtype == api.VoucherTicket {
		req.ShowtimeID = s.showtimeID
	}
	return req
}

// loadOrder reads an order. The journal j is read too when restore is
// set (the first load of the order in this run) or when the order does not
// list its vouchers: Vista does not document order.vouchers[], and without it
// the journal is the record of what this counter attached.
func (c *calls) loadOrder(orderID string, restore bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err := c.client.GetOrder(ctx, orderID)
		msg := orderLoadedMsg{orderID: orderID, resp: resp, err: err}
		if restore && c.unfinished != nil {
			msg.unfinished, msg.unfinishedRead = c.unfinished(), true
		}
		unlisted := err == nil && !resp.Order.VouchersListed
		if err != nil || c.journal == nil || !(restore || unlisted) {
			return msg
		}
		states, rerr := journal.Restore(c.journal.Path(), orderID)
		if rerr != nil {
			return msg
		}
		// The journal remembers what each voucher could pay for, which an
		// order read back from a server may not say.
		msg.restored = make(map[string]int, len(states))
		msg.journalled = make(map[string]bool, len(states))
		for id, st := range states {
			if st.Removed {
				continue
			}
			msg.journalled[id] = true
			if st.AvailableRedemptions != nil {
				msg.restored[id] = *st.AvailableRedemptions
			}
			if unlisted {
				msg.recorded = append(msg.recorded, api.OrderVoucher{ID: id, Type: api.VoucherType(st.VoucherType), MaskedBarcode: st.MaskedBarcode})
			}
		}
		// Map order is random; the journal's order is the order they came in.
		slices.SortFunc(msg.recorded, func(a, b api.OrderVoucher) int { return states[a.ID].Time.Compare(states[b.ID].Time) })
		return msg
	}
}

func (c *calls) createOrder(siteID string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err := c.client.CreateOrder(ctx, siteID, api.BookingPaid)
		return orderCreatedMsg{siteID: siteID, seq: seq, resp: resp, err: err}
	}
}

func (c *calls) listShowtimes(siteID, date string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err := c.client.ShowtimesByBusinessDate(ctx, date, siteID)
		return showtimesListedMsg{siteID: siteID, date: date, seq: seq, resp: resp, err: err}
	}
}

// setTickets replaces one showtime's tickets. A PUT replaces rather than
// adds, so it is safe to send again; the screen still re-reads the order
// after an unknown outcome rather than guess.
func (c *calls) setTickets(orderID, showtimeID string, tickets []api.TicketRequest, seq int, summary string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err := c.client.SetShowtimeTickets(ctx, orderID, showtimeID, tickets)
		return ticketsSetMsg{orderID: orderID, showtimeID: showtimeID, seq: seq, summary: summary, resp: resp, err: err}
	}
}

func (c *calls) cancelOrder(orderID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		err, journalErr := c.clerk.Cancel(ctx, orderID)
		return orderCancelledMsg{orderID: orderID, sent: !errors.Is(journalErr, desk.ErrNothingSent), err: err, journalErr: journalErr}
	}
}

// completeOrder completes an order once. Completion takes the vouchers'
// redemptions, so it is never resent blindly: an answer that is Pending or
// lost is followed up with followCompletionCmd, which only reads.
func (c *calls) completeOrder(orderID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err, journalErr := c.clerk.Complete(ctx, orderID)
		return orderCompletedMsg{orderID: orderID, sent: !errors.Is(journalErr, desk.ErrNothingSent), resp: resp, err: err, journalErr: journalErr}
	}
}

// followCompletion reads, never sends, what became of a completion that
// answered Pending or whose answer was lost.
func (c *calls) followCompletion(orderID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err, journalErr := c.clerk.FollowCompletion(ctx, orderID, api.CompletionPolicy{})
		return orderCompletedMsg{orderID: orderID, sent: true, followed: true, resp: resp, err: err, journalErr: journalErr}
	}
}

func (c *calls) loadShowtime(id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err := c.client.GetShowtime(ctx, id)
		return showtimeLoadedMsg{id: id, resp: resp, err: err}
	}
}

func (c *calls) loadTicketPrices(showtimeID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		resp, err := c.client.GetTicketPrices(ctx, showtimeID)
		return ticketPricesLoadedMsg{showtimeID: showtimeID, resp: resp, err: err}
	}
}

// attach sends one scan exactly once: the client re-reads the order after
// an unknown outcome instead of resending blindly. The journal line for the
// outcome is on disk before the screen hears of it.
// othersAdding says another writer has been seen adding to the order, so a
// look-alike after a lost answer is never taken for ours.
func (c *calls) attach(orderID string, item scanItem, knownIDs []string, othersAdding bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.context()
		defer cancel()
		policy := api.AttachPolicy{MaxAttempts: counterAttachAttempts, KnownVoucherIDs: knownIDs, OthersAdding: othersAdding}
		// The outcome line is written, not yet synced: the screen sends the
		// next scan while the disk catches up, and reports this outcome once
		// a sync covers its line.
		result, line, err, journalErr := c.clerk.AttachUnsynced(ctx, orderID, item.request(), policy)
		return attachDoneMsg{item: item, result: result, err: err, journalErr: journalErr, line: line}
	}
}

// syncJournalCmd puts every journal line written so far on disk.
func syncJournalCmd(j *journal.Journal) tea.Cmd {
	return func() tea.Msg { return journalSyncedMsg{err: j.Sync()} }
}

// remove takes a voucher off the order. When it still pays for tickets,
// release first sets each of those showtimes' tickets again without it; the
// voucher is removed only once that has worked.
func (c *calls) remove(orderID string, v api.OrderVoucher, release []showtimeRelease, seq int) tea.Cmd {
	return func() tea.Msg {
		msg := removeDoneMsg{voucher: v, release: release, seq: seq}
		ctx, cancel := c.context()
		defer cancel()
		for _, r := range release {
			resp, err := c.client.SetShowtimeTickets(ctx, orderID, r.showtimeID, r.tickets)
			if err != nil {
				msg.releaseErr = err
				return msg
			}
			msg.order = resp
		}
		policy := api.AttachPolicy{MaxAttempts: counterAttachAttempts}
		msg.err, msg.journalErr = c.clerk.Detach(ctx, orderID, v, policy)
		msg.detachSent = !errors.Is(msg.journalErr, desk.ErrNothingSent)
		return msg
	}
}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return clockTickMsg(t) })
}
