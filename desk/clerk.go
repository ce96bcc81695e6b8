// Package desk performs what the box office does to an order: attach and
// detach vouchers, cancel, complete and follow a completion, each with the
// journal around it, so that the attempt is on disk before anything is sent
// and the outcome before anyone reports it. The counter screen and the
// scripting commands both work through a Clerk, so the two cannot drift
// apart in what they record.
//
// The Clerk also passes the reads the counter needs (orders, showtimes,
// prices) through to the client: a screen holds one backend, and the
// operations it records and the reads it makes go to the same server.
package desk

import (
	"context"
	"errors"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// Clerk performs the journalled operations on a server. Its journal may be
// nil, which records nothing (tests, and runs that keep no record).
type Clerk struct {
	client  *api.Client
	journal *journal.Journal
	// sends keeps one add per barcode: those on their way and attached.
	sends sends
}

// New returns a Clerk that sends through client and records in j.
func New(client *api.Client, j *journal.Journal) *Clerk {
	return &Clerk{client: client, journal: j}
}

// Client is the client the Clerk sends through.
func (c *Clerk) Client() *api.Client { return c.client }

// Journal is where the Clerk records; nil when it records nothing.
func (c *Clerk) Journal() *journal.Journal { return c.journal }

// ErrNothingSent is in the chain of a record error from an operation when
// the journal failed before the call, so nothing reached the server.
var ErrNothingSent = errors.New("nothing was sent")

type unsentError struct{ err error }

func (e unsentError) Error() string   { return e.err.Error() + " (" + ErrNothingSent.Error() + ")" }
func (e unsentError) Unwrap() []error { return []error{e.err, ErrNothingSent} }

// OutcomeOf names a failed call's outcome in the journal: a repeat not
// sent, a look-alike matched by its mask, an outcome not known, a block (a
// 429, or the refusal that starts one), a refusal, or a failure.
func OutcomeOf(err error) string {
	e := api.AsError(err)
	switch {
	case errors.Is(err, ErrRepeat):
		return journal.OutcomeRepeat
	case errors.Is(err, api.ErrLookAlike):
		return journal.OutcomeMatchedByMask
	case api.IsOutcomeUnknown(err):
		return journal.OutcomeUnknown
	case e != nil && e.Kind == api.KindRateLimited,
		e != nil && e.Kind == api.KindRejected && !e.BlockedUntil.IsZero():
		return journal.OutcomeBlocked
	case api.KindOf(err) == api.KindRejected:
		return journal.OutcomeRejected
	}
	return journal.OutcomeFailed
}

// setFailure marks e with a failed call's outcome, error kind, HTTP
// status, and for a refusal its reason and the end of a block.
func setFailure(e *journal.Entry, err error) {
	e.Outcome = OutcomeOf(err)
	e.ErrorKind = api.KindOf(err).String()
	e.Reason = string(api.ReasonOf(err))
	if ae := api.AsError(err); ae != nil {
		e.HTTPStatus = ae.Status
		if e.Message == "" {
			// The server's words, as the client cleaned them: the barcode
			// and PIN sent are masked in them.
			e.Message = ae.Message
		}
		if e.Outcome == journal.OutcomeBlocked {
			e.BlockedUntil = ae.BlockedUntil
		}
	}
}

// Note writes lines that record what the counter did without a call: a
// scan queued behind others, scans given up, scans of a stopped run
// settled against their order. They are synced before Note returns.
func (c *Clerk) Note(entries ...journal.Entry) error {
	for _, e := range entries {
		if _, err := c.journal.Write(e); err != nil {
			return err
		}
	}
	return c.journal.Sync()
}

// Sync puts every line written so far on disk.
func (c *Clerk) Sync() error { return c.journal.Sync() }

// Synced reports whether line n (from AttachUnsynced) is on disk.
func (c *Clerk) Synced(n uint64) bool { return c.journal.Synced(n) }

// Recorded is what the journal holds of the vouchers of an order: each
// voucher's redemptions when it was added, and whether it was removed since.
func (c *Clerk) Recorded(orderID string) (map[string]journal.VoucherState, error) {
	if c.journal == nil {
		return nil, nil
	}
	return journal.Restore(c.journal.Path(), orderID)
}

// The reads, passed through to the client.

// Order reads an order in progress.
func (c *Clerk) Order(ctx context.Context, orderID string) (*api.OrderResponse, error) {
	return c.client.GetOrder(ctx, orderID)
}

// CreateOrder starts a new order at a site.
func (c *Clerk) CreateOrder(ctx context.Context, siteID string) (*api.OrderResponse, error) {
	return c.client.CreateOrder(ctx, siteID, api.BookingPaid)
}

// Showtime reads a showtime with its film, screen and site names.
func (c *Clerk) Showtime(ctx context.Context, id string) (*api.ShowtimeResponse, error) {
	return c.client.GetShowtime(ctx, id)
}

// TicketPrices reads a showtime's ticket prices.
func (c *Clerk) TicketPrices(ctx context.Context, showtimeID string) (*api.TicketPricesResponse, error) {
	return c.client.GetTicketPrices(ctx, showtimeID)
}

// ShowtimesOn lists a site's showtimes of a business date.
func (c *Clerk) ShowtimesOn(ctx context.Context, date, siteID string) (*api.ShowtimesResponse, error) {
	return c.client.ShowtimesByBusinessDate(ctx, date, siteID)
}

// SetTickets replaces one showtime's tickets on an order. A PUT replaces
// rather than adds, so it is safe to send again.
func (c *Clerk) SetTickets(ctx context.Context, orderID, showtimeID string, tickets []api.TicketRequest) (*api.OrderResponse, error) {
	return c.client.SetShowtimeTickets(ctx, orderID, showtimeID, tickets)
}

// SetShowtime replaces one showtime's tickets and puts them on seats as
// seats says: the seats the order holds (api.KeepSeats), seats chosen
// (api.ChooseSeats) or seats the server allocates (api.AllocateSeats).
func (c *Clerk) SetShowtime(ctx context.Context, orderID, showtimeID string, tickets []api.TicketRequest, seats api.Seats) (*api.OrderResponse, error) {
	return c.client.SetShowtime(ctx, orderID, showtimeID, tickets, seats)
}

// SeatLayout reads the seat layout of a showtime.
func (c *Clerk) SeatLayout(ctx context.Context, showtimeID string) (*api.SeatLayoutResponse, error) {
	return c.client.GetSeatLayout(ctx, showtimeID)
}

// OrderSeatAvailability reads a showtime's seats as an order sees them:
// the seats it holds are its own, not taken.
func (c *Clerk) OrderSeatAvailability(ctx context.Context, orderID, showtimeID string) (*api.SeatAvailabilityResponse, error) {
	return c.client.GetOrderSeatAvailability(ctx, orderID, showtimeID)
}

// Warm opens the connection to the server ahead of the next call.
func (c *Clerk) Warm(ctx context.Context) error { return c.client.Warm(ctx) }

// LastCall is when the client last sent anything.
func (c *Clerk) LastCall() time.Time { return c.client.LastCall() }
