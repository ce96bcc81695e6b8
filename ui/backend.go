package ui

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/journal"
)

// Backend is what the counter screen needs of the server and the journal.
// Every method starts a call and returns it as a command, whose answer comes
// back as a typed message: Update never waits on the network or the disk,
// and never writes the journal itself. The screen runs on Live; its tests
// run on a fake that records what was asked and answers with the messages a
// test chooses.
type Backend interface {
	// LoadOrder reads an order; withJournal also reads what the journal
	// holds of its vouchers (the first read of an order in a run, or a
	// server that does not list them), and, on the run's first read, what
	// the last run left unfinished. Answers orderLoadedMsg.
	LoadOrder(orderID string, seq int, withJournal, unfinished bool) tea.Cmd
	// CreateOrder starts an order at a site. Answers orderCreatedMsg.
	CreateOrder(siteID string, seq int) tea.Cmd
	// LoadShowtime reads a showtime's names. Answers showtimeLoadedMsg.
	LoadShowtime(id string) tea.Cmd
	// LoadPrices reads a showtime's ticket prices. Answers pricesLoadedMsg.
	LoadPrices(showtimeID string) tea.Cmd
	// ListShowtimes lists a site's showtimes of a date. Answers
	// showtimesListedMsg.
	ListShowtimes(siteID, date string, seq int) tea.Cmd
	// SetTickets replaces a showtime's tickets. Answers ticketsSetMsg.
	SetTickets(orderID, showtimeID string, tickets []api.TicketRequest, seq int, summary string) tea.Cmd
	// SetSeats replaces a showtime's tickets and puts them on the seats
	// named by id (names are the same seats for people). Answers
	// ticketsSetMsg.
	SetSeats(orderID, showtimeID string, tickets []api.TicketRequest, seatIDs, names []string, seq int, summary string) tea.Cmd
	// LoadSeats reads a showtime's seat layout and its seats' availability
	// as the order sees them. Answers seatsLoadedMsg.
	LoadSeats(orderID, showtimeID string, seq int) tea.Cmd
	// Attach sends one scan once, journalled; its outcome line is written
	// but may not be on disk yet (Synced). Answers attachDoneMsg.
	Attach(orderID string, s sending, known []string, othersAdding bool) tea.Cmd
	// Synced reports whether a journal line is on disk.
	Synced(line uint64) bool
	// Sync puts every line written so far on disk. Answers
	// journalSyncedMsg.
	Sync() tea.Cmd
	// Remove sets the showtimes in release again without a voucher, then
	// removes it, journalled. Answers removeDoneMsg.
	Remove(orderID string, v api.OrderVoucher, release []showtimeRelease, seq int) tea.Cmd
	// Cancel, Complete and FollowCompletion change an order, journalled.
	// They answer orderCancelledMsg and orderCompletedMsg.
	Cancel(orderID string) tea.Cmd
	Complete(orderID string) tea.Cmd
	FollowCompletion(orderID string) tea.Cmd
	// Note writes journal lines for what the screen did without a call (a
	// scan queued, scans given up, a stopped run's scans settled). Answers
	// notedMsg.
	Note(entries ...journal.Entry) tea.Cmd
	// KeepAlive keeps the connection warm while an order is open and the
	// counter is quiet. It answers nothing.
	KeepAlive(orderOpen bool) tea.Cmd
}

// counterAttachAttempts is how often the counter sends one scan whose answer
// was lost or refused by a failing server, re-reading the order between
// sends. A busy counter would rather wait a few seconds than hand the scan
// back to the operator.
const counterAttachAttempts = 8

// callTimeout bounds one screen action, retries and re-reads included, so a
// dead server never leaves the spinner turning for ever.
const callTimeout = 45 * time.Second

// keepAliveFor is how long after its last call a counter keeps its
// connection open: the minutes between two customers, not a night.
const keepAliveFor = 15 * time.Minute

// Live is the Backend of a real run: calls through a desk.Clerk, bounded by
// callTimeout within ctx, so quitting abandons what is under way rather than
// leaving it to finish unseen.
type Live struct {
	ctx   context.Context
	clerk *desk.Clerk
	// unfinished returns the scans the journal held no outcome for when the
	// counter started; nil when there is no journal to read.
	unfinished func() []journal.Line
	// keepAliveEvery is how often an idle counter with an order open warms
	// its connection; 0 never does.
	keepAliveEvery time.Duration
	// lines keeps the journal's lines in the order the screen asked for
	// them (see inTurn).
	lines turns
}

// turns puts commands that write journal lines in the order they were made.
// Bubble Tea runs each command on a goroutine of its own, so two notes made
// one after the other (two scans queued) could reach the disk the other way
// round, and a scan's attempt could come before the line that says it was
// queued. Each such command takes its turn when it is made, in Update, and
// waits for the one made before it to finish before it writes.
type turns struct {
	mu   sync.Mutex
	last chan struct{}
}

// turnWait bounds the wait for the command before: one that never ran (the
// program quit) must not hold the next for ever.
const turnWait = 5 * time.Second

// take is a turn: wait blocks until the turn before is done, and done ends
// this one.
func (t *turns) take() (wait func(), done func()) {
	t.mu.Lock()
	prev := t.last
	mine := make(chan struct{})
	t.last = mine
	t.mu.Unlock()
	wait = func() {
		if prev == nil {
			return
		}
		timer := time.NewTimer(turnWait)
		defer timer.Stop()
		select {
		case <-prev:
		case <-timer.C:
		}
	}
	return wait, func() { close(mine) }
}

// NewLive is the Backend of a run against clerk's server and journal.
// unfinished may be nil; keepAlive 0 turns the keep-alive off.
func NewLive(ctx context.Context, clerk *desk.Clerk, unfinished func() []journal.Line, keepAlive time.Duration) *Live {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Live{ctx: ctx, clerk: clerk, unfinished: unfinished, keepAliveEvery: keepAlive}
}

func (l *Live) call() (context.Context, context.CancelFunc) {
	return context.WithTimeout(l.ctx, callTimeout)
}

// LoadOrder reads the order, and the journal's record of its vouchers when
// asked: Vista does not document order.vouchers[], and without it the
// journal is the record of what this counter attached.
func (l *Live) LoadOrder(orderID string, seq int, withJournal, unfinished bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.Order(ctx, orderID)
		msg := orderLoadedMsg{orderID: orderID, seq: seq, resp: resp, err: err}
		if unfinished && l.unfinished != nil {
			msg.unfinished, msg.unfinishedRead = l.unfinished(), true
		}
		unlisted := err == nil && !resp.Order.VouchersListed
		if err != nil || !(withJournal || unlisted) {
			return msg
		}
		states, rerr := l.clerk.Recorded(orderID)
		if rerr != nil || states == nil {
			return msg
		}
		msg.journalRead = true
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

func (l *Live) CreateOrder(siteID string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.CreateOrder(ctx, siteID)
		return orderCreatedMsg{siteID: siteID, seq: seq, resp: resp, err: err}
	}
}

func (l *Live) LoadShowtime(id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.Showtime(ctx, id)
		return showtimeLoadedMsg{id: id, resp: resp, err: err}
	}
}

func (l *Live) LoadPrices(showtimeID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.TicketPrices(ctx, showtimeID)
		return pricesLoadedMsg{showtimeID: showtimeID, resp: resp, err: err}
	}
}

func (l *Live) ListShowtimes(siteID, date string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.ShowtimesOn(ctx, date, siteID)
		return showtimesListedMsg{siteID: siteID, date: date, seq: seq, resp: resp, err: err}
	}
}

// SetTickets replaces one showtime's tickets. A PUT replaces rather than
// adds, so it is safe to send again; the screen still re-reads the order
// after an unknown outcome rather than guess.
func (l *Live) SetTickets(orderID, showtimeID string, tickets []api.TicketRequest, seq int, summary string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.SetTickets(ctx, orderID, showtimeID, tickets)
		return ticketsSetMsg{orderID: orderID, showtimeID: showtimeID, seq: seq, summary: summary, tickets: tickets, resp: resp, err: err}
	}
}

// SetSeats replaces one showtime's tickets and puts them on chosen seats.
// Like SetTickets it replaces rather than adds, so it is safe to send again.
func (l *Live) SetSeats(orderID, showtimeID string, tickets []api.TicketRequest, seatIDs, names []string, seq int, summary string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err := l.clerk.SetShowtime(ctx, orderID, showtimeID, tickets, api.ChooseSeats(seatIDs...))
		return ticketsSetMsg{orderID: orderID, showtimeID: showtimeID, seq: seq, summary: summary, tickets: tickets, seats: names, resp: resp, err: err}
	}
}

// LoadSeats reads the layout and the availability together: the map needs
// both before it can draw a seat.
func (l *Live) LoadSeats(orderID, showtimeID string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		msg := seatsLoadedMsg{orderID: orderID, showtimeID: showtimeID, seq: seq}
		var wg sync.WaitGroup
		var availErr error
		wg.Go(func() { msg.avail, availErr = l.clerk.OrderSeatAvailability(ctx, orderID, showtimeID) })
		msg.layout, msg.err = l.clerk.SeatLayout(ctx, showtimeID)
		wg.Wait()
		if msg.err == nil {
			msg.err = availErr
		}
		return msg
	}
}

// Attach sends one scan exactly once: the client re-reads the order after an
// unknown outcome instead of resending blindly. The outcome line is written,
// not yet synced: the screen sends the next scan while the disk catches up,
// and reports this outcome once a sync covers its line. othersAdding says
// another writer has been seen adding to the order, so a look-alike after a
// lost answer is never taken for ours.
func (l *Live) Attach(orderID string, s sending, known []string, othersAdding bool) tea.Cmd {
	wait, done := l.lines.take()
	return func() tea.Msg {
		// Its attempt line follows every line asked for before it; the
		// lines asked for after it need not wait for its answer.
		wait()
		done()
		ctx, cancel := l.call()
		defer cancel()
		policy := api.AttachPolicy{MaxAttempts: counterAttachAttempts, KnownVoucherIDs: known, OthersAdding: othersAdding}
		result, line, err, journalErr := l.clerk.AttachUnsynced(ctx, orderID, s.request(), policy)
		return attachDoneMsg{orderID: orderID, scan: s, result: result, err: err, journalErr: journalErr, line: line}
	}
}

func (l *Live) Synced(line uint64) bool { return l.clerk.Synced(line) }

func (l *Live) Sync() tea.Cmd {
	return func() tea.Msg { return journalSyncedMsg{err: l.clerk.Sync()} }
}

// Remove takes a voucher off the order. When it still pays for tickets,
// release first sets each of those showtimes' tickets again without it; the
// voucher is removed only once that has worked.
func (l *Live) Remove(orderID string, v api.OrderVoucher, release []showtimeRelease, seq int) tea.Cmd {
	return func() tea.Msg {
		msg := removeDoneMsg{orderID: orderID, voucher: v, release: release, seq: seq}
		ctx, cancel := l.call()
		defer cancel()
		for _, r := range release {
			resp, err := l.clerk.SetTickets(ctx, orderID, r.showtimeID, r.tickets)
			if err != nil {
				msg.releaseErr = err
				return msg
			}
			msg.order = resp
		}
		msg.err, msg.journalErr = l.clerk.Detach(ctx, orderID, v, api.AttachPolicy{MaxAttempts: counterAttachAttempts})
		msg.detachSent = !errors.Is(msg.journalErr, desk.ErrNothingSent)
		return msg
	}
}

func (l *Live) Cancel(orderID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		err, journalErr := l.clerk.Cancel(ctx, orderID)
		return orderCancelledMsg{orderID: orderID, sent: !errors.Is(journalErr, desk.ErrNothingSent), err: err, journalErr: journalErr}
	}
}

// Complete completes an order once. Completion takes the vouchers'
// redemptions, so it is never resent blindly: an answer that is Pending or
// lost is followed up with FollowCompletion, which only reads.
func (l *Live) Complete(orderID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err, journalErr := l.clerk.Complete(ctx, orderID)
		return orderCompletedMsg{orderID: orderID, sent: !errors.Is(journalErr, desk.ErrNothingSent), resp: resp, err: err, journalErr: journalErr}
	}
}

func (l *Live) FollowCompletion(orderID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := l.call()
		defer cancel()
		resp, err, journalErr := l.clerk.FollowCompletion(ctx, orderID, api.CompletionPolicy{})
		return orderCompletedMsg{orderID: orderID, sent: true, followed: true, resp: resp, err: err, journalErr: journalErr}
	}
}

func (l *Live) Note(entries ...journal.Entry) tea.Cmd {
	wait, done := l.lines.take()
	return func() tea.Msg {
		wait()
		defer done()
		return notedMsg{err: l.clerk.Note(entries...)}
	}
}

// KeepAlive keeps the connection to the server open while an order is open
// and the counter has been quiet for a while, but not for longer than
// keepAliveFor. A server or load balancer closes a connection that carries
// nothing for its idle timeout, and then the next scan waits for a new TCP
// and TLS handshake: two round trips or more before its add even leaves,
// which at a distant tenant is most of what the operator waits for. A
// scanner types a whole barcode in less than one round trip, so opening the
// connection at a scan's first key would come too late; it must already be
// open. The warm-up changes nothing on the server and its failure is only
// logged: the scan then dials as it would have.
func (l *Live) KeepAlive(orderOpen bool) tea.Cmd {
	last := l.clerk.LastCall()
	quiet := time.Since(last)
	// A call in the last half interval has kept the connection open itself.
	if l.keepAliveEvery <= 0 || !orderOpen || last.IsZero() || quiet < l.keepAliveEvery/2 || quiet > keepAliveFor {
		return nil
	}
	return func() tea.Msg {
		_ = l.clerk.Warm(l.ctx)
		return nil
	}
}

// KeepAliveEvery is how often KeepAlive should be asked; 0 never.
func (l *Live) KeepAliveEvery() time.Duration { return l.keepAliveEvery }
