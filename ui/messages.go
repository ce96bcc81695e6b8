package ui

import (
	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/ui/scanform"
)

// sending is a scan on its way: taken from the form, queued, sent.
type sending struct {
	scanform.Scan
	// seq numbers the scans of a customer, in the order they were taken.
	seq        int
	showtimeID string
}

func (s sending) request() api.AddVoucherRequest {
	req := api.AddVoucherRequest{
		Type:        s.Type,
		Credentials: api.VoucherCredentials{Barcode: s.Barcode, Pin: s.Pin},
	}
	if s.Type == api.VoucherTicket {
		req.ShowtimeID = s.showtimeID
	}
	return req
}

// The answers of the Backend's calls. Each names the order it was made for,
// so that an answer about an order no longer on screen goes nowhere.
type (
	orderLoadedMsg struct {
		orderID string
		seq     int
		resp    *api.OrderResponse
		err     error
		// journalRead is set when the journal was read for the order:
		// restored holds what each voucher could pay for when it was
		// added, journalled the ids of its vouchers the journal has, and
		// recorded those vouchers for an order whose answer did not list
		// them.
		journalRead bool
		restored    map[string]int
		journalled  map[string]bool
		recorded    []api.OrderVoucher
		// unfinished is what the last run left unfinished, on every order,
		// when unfinishedRead says it was read.
		unfinished     []journal.Line
		unfinishedRead bool
	}
	orderCreatedMsg struct {
		siteID string
		seq    int
		resp   *api.OrderResponse
		err    error
	}
	showtimeLoadedMsg struct {
		id   string
		resp *api.ShowtimeResponse
		err  error
	}
	pricesLoadedMsg struct {
		showtimeID string
		resp       *api.TicketPricesResponse
		err        error
	}
	showtimesListedMsg struct {
		siteID, date string
		seq          int
		resp         *api.ShowtimesResponse
		err          error
	}
	ticketsSetMsg struct {
		orderID, showtimeID string
		seq                 int
		summary             string
		// tickets are what was sent; seats the names of the seats chosen
		// with them, nil when the order's seats were kept.
		tickets []api.TicketRequest
		seats   []string
		resp    *api.OrderResponse
		err     error
	}
	// seatsLoadedMsg is a showtime's seat layout and its seats'
	// availability as the order sees them.
	seatsLoadedMsg struct {
		orderID, showtimeID string
		seq                 int
		layout              *api.SeatLayoutResponse
		avail               *api.SeatAvailabilityResponse
		err                 error
	}
	attachDoneMsg struct {
		orderID    string
		scan       sending
		result     api.AttachResult
		err        error
		journalErr error
		// line is the outcome's journal line, to be on disk before the
		// outcome is reported.
		line uint64
	}
	journalSyncedMsg struct{ err error }
	removeDoneMsg    struct {
		orderID string
		voucher api.OrderVoucher
		// release is what was to be set again before the removal; order is
		// the server's answer to the last of those calls.
		release    []showtimeRelease
		order      *api.OrderResponse
		seq        int
		releaseErr error
		detachSent bool
		err        error
		journalErr error
	}
	orderCancelledMsg struct {
		orderID    string
		sent       bool
		err        error
		journalErr error
	}
	orderCompletedMsg struct {
		orderID string
		sent    bool
		// followed: the answer of FollowCompletion, which only reads.
		followed   bool
		resp       *api.CompletionResponse
		err        error
		journalErr error
	}
	notedMsg     struct{ err error }
	keepAliveMsg struct{}
)

// showtimeRelease is one showtime's tickets set again without a voucher
// that is being removed.
type showtimeRelease struct {
	showtimeID string
	tickets    []api.TicketRequest
	// back counts the tickets that went back to a normal price, by type
	// name; dropped counts those removed for want of one.
	back    map[string]int
	dropped int
}
