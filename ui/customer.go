package ui

import (
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/notattached"
	"github.com/boxoffice/boxoffice/ui/orderview"
	"github.com/boxoffice/boxoffice/ui/outcomes"
	"github.com/boxoffice/boxoffice/ui/picker"
	"github.com/boxoffice/boxoffice/ui/scanform"
	"github.com/boxoffice/boxoffice/ui/tickets"
	"github.com/boxoffice/boxoffice/ui/vouchers"
)

// middle is what fills the middle of the screen.
type middle int

const (
	middleVouchers middle = iota
	middleTickets
	middlePicker
	middleSeats
)

// customer is everything about the customer in front of the counter: their
// order and its reads, the showtimes and prices it uses, its vouchers, what
// was not attached, its last outcomes, the showtime chosen, a completion in
// doubt, and the scan form with its choices for this customer. It is
// replaced as a whole when the order changes; what the next customer takes
// over is handed over explicitly (handover).
type customer struct {
	run     *run
	orderID string
	order   *api.Order
	state   orderview.State
	// cancelled is set once this counter cancelled the order.
	cancelled bool
	// loading is set while a read of the order is on its way; loadSeq is
	// its number. seq numbers every call that answers with the order, so
	// that an older answer arriving late never replaces a newer one:
	// appliedSeq is the newest taken.
	loading             bool
	seq                 int
	loadSeq, appliedSeq int
	journalRead         bool

	showtimes map[string]*api.ShowtimeResponse
	prices    map[string]*api.TicketPricesResponse
	pricesErr map[string]error
	// showtimeIndex is the order's showtime Ticket vouchers are scanned for
	// (F3 moves it); picked is the showtime chosen in the picker for an
	// order that has none yet.
	showtimeIndex int
	picked        string

	vouchers    voucherBook
	queue       *scanQueue
	form        *scanform.Form
	view        *orderview.View
	list        *vouchers.List
	notAttached *notattached.List
	outcomes    *outcomes.List
	middle      middle
	// naLines is how many lines "Not attached" got in the layout.
	naLines int
	tickets *tickets.Panel
	picker  *picker.Picker
	// seatWork is the seat map open, and what its seats are for; nil when
	// closed. seatsLeft is, per showtime, how many tickets were left
	// without seats when the operator closed the map on them, so that it
	// does not open by itself again for the same tickets.
	seatWork  *seatChoice
	seatsLeft map[string]int
	// voucherShowtimes is the showtime each Ticket voucher was added for.
	voucherShowtimes map[string]string

	// working names the order-level call under way (tickets, cancel,
	// complete); there is one at a time. removing is the voucher being
	// removed.
	working  string
	removing *api.OrderVoucher
	// unsureCompletion is set when a completion's answer was lost.
	unsureCompletion bool
	// txn is the completion's transaction number.
	txn string
	// position is where the order sits among the run's orders, and
	// endedHint the keys the block offers once it has ended: the run's
	// to say (setRun).
	position, endedHint string
	// expiryChecked and expiryWarned are set once the order's countdown
	// reached zero (and the order was read again), and once its last two
	// minutes were announced.
	expiryChecked, expiryWarned bool
}

// handover is what a new customer takes over from the run and from the last
// customer: what the counter remembers of the order from earlier in the run,
// the type F2 pinned, the operator's choice of a longer outcome list, and
// the scans the last order could not take because it ended.
type handover struct {
	known   *openedOrder
	pinned  api.VoucherType
	long    bool
	carried []failedScan
	from    string
}

func newCustomer(r *run, orderID string, h handover) *customer {
	c := &customer{
		run:              r,
		orderID:          orderID,
		state:            orderview.Loading,
		showtimes:        map[string]*api.ShowtimeResponse{},
		prices:           map[string]*api.TicketPricesResponse{},
		pricesErr:        map[string]error{},
		vouchers:         newVoucherBook(),
		voucherShowtimes: map[string]string{},
		seatsLeft:        map[string]int{},
		form:             scanform.New(r.ctx, r.formOptions(h.pinned)),
		view:             orderview.New(r.ctx, orderID),
		list:             vouchers.New(r.ctx, "None yet. Scan a voucher below."),
		notAttached:      notattached.New(r.ctx),
		outcomes:         outcomes.New(r.ctx, h.long),
	}
	var attached map[string]string
	if k := h.known; k != nil {
		attached = k.attached
		c.txn = k.txn
		for id, st := range k.voucherShowtimes {
			c.voucherShowtimes[id] = st
		}
	}
	c.queue = newScanQueue(attached)
	for _, f := range h.carried {
		f.orderEnded = false
		f.reason = "not attached to order " + common.ShortID(h.from) + ", which ended: ctrl+r to try it on this order"
		c.queue.addFailed(f)
	}
	c.refresh()
	return c
}

// handover is what the next customer takes from this one.
func (c *customer) handover() (pinned api.VoucherType, long bool, carried []failedScan) {
	for _, f := range c.queue.failed {
		if f.orderEnded {
			carried = append(carried, f)
		}
	}
	return c.form.Pinned(), c.outcomes.Long(), carried
}

// remember is what the run keeps of the order once another is on screen.
func (c *customer) remember(e *openedOrder) {
	e.attached = c.queue.attached
	e.voucherShowtimes = c.voucherShowtimes
	if c.txn != "" {
		e.txn = c.txn
	}
}

// open reports whether the order is on screen and can still change.
func (c *customer) open() bool {
	return c.order != nil && c.order.Status == api.OrderInProgress && c.state == orderview.Loaded
}

// ended reports whether the order can take nothing more: completed,
// cancelled, expired.
func (c *customer) ended() bool {
	return c.state == orderview.Ended || c.state == orderview.Unknown || c.order != nil && c.order.Status == api.OrderCompleted
}

// busy reports whether a call is under way, for the spinner.
func (c *customer) busy() bool {
	return c.queue.sending() || c.removing != nil || c.loading || c.working != "" || c.picker != nil && c.picker.Loading()
}

// cannotLeave says why the screen must stay on this order for now, or "".
// A scan waiting to be sent belongs to this order, and the answer of an
// order call must land on the order it was made for.
func (c *customer) cannotLeave() string {
	switch {
	case c.queue.sending() && c.order != nil:
		return "Wait: scans are still being sent to this order. Switch orders once they are done."
	case c.working != "":
		return "Wait: " + strings.ToLower(c.working) + " is still under way on this order."
	case c.removing != nil:
		return "Wait: " + c.removing.MaskedBarcode + " is still being removed from this order."
	case c.tickets != nil && c.tickets.Dirty():
		return "The ticket changes are not applied yet: F7 applies them, esc discards them."
	}
	return ""
}

// nextSeq numbers a call that answers with the order.
func (c *customer) nextSeq() int {
	c.seq++
	return c.seq
}

// announce puts text on the status line, with showtimes named.
func (c *customer) announce(kind common.Kind, text string) tea.Cmd {
	return c.run.status.Announce(kind, c.namedShowtimes(text))
}

// announceLive puts words worded from the time on the status line.
func (c *customer) announceLive(kind common.Kind, words func(time.Time) string) tea.Cmd {
	return c.run.status.AnnounceLive(kind, func(now time.Time) string { return c.namedShowtimes(words(now)) })
}

// outcome announces an outcome and lists it.
func (c *customer) outcome(kind common.Kind, text string) tea.Cmd {
	return tea.Batch(c.announce(kind, text), c.record(kind, text))
}

// record lists an outcome under "Last outcomes", once, and rings for it as
// the bell setting asks.
func (c *customer) record(kind common.Kind, text string) tea.Cmd {
	c.outcomes.Add(kind, c.namedShowtimes(text))
	return c.run.ring(kind)
}

// busyWith says a call is under way and starts it.
func (c *customer) busyWith(text string, call tea.Cmd) tea.Cmd {
	return tea.Batch(c.run.status.Busy(c.namedShowtimes(text)), call)
}

// announceAndReload announces and reads the order again, for outcomes that
// leave the screen unsure of what the order now holds.
func (c *customer) announceAndReload(kind common.Kind, text string) tea.Cmd {
	return tea.Batch(c.outcome(kind, text), c.load())
}

// namedShowtimes names the showtimes a text gives by id ("showtime
// 0001-2690", as a server's reason may) the way the form does, "showtime
// 20:10 Paper Moons", wherever the screen knows the name.
func (c *customer) namedShowtimes(text string) string {
	if !strings.Contains(text, "showtime ") {
		return text
	}
	for id := range c.showtimes {
		if name := c.showtimeName(id); name != id {
			text = strings.ReplaceAll(text, "showtime "+id, "showtime "+name)
		}
	}
	return text
}

// showtimeName names a showtime the way the form does: "19:30 The Long Night".
func (c *customer) showtimeName(id string) string {
	resp, ok := c.showtimes[id]
	if !ok {
		return id
	}
	start := ""
	if !resp.Showtime.Schedule.StartsAt.IsZero() {
		start = resp.Showtime.Schedule.StartsAt.Format("15:04") + " "
	}
	title := resp.RelatedData.FilmTitle(resp.Showtime.FilmID)
	if title == "" {
		title = "film " + resp.Showtime.FilmID
	}
	return start + title
}

// showtimeTitle is a showtime's line in the order block: "The Long Night ·
// Screen 1 · Sun 6 Dec 19:30", in the site's own time, as the ticket says.
func (c *customer) showtimeTitle(id string) string {
	resp, ok := c.showtimes[id]
	if !ok {
		return "Showtime " + id
	}
	st := resp.Showtime
	title := resp.RelatedData.FilmTitle(st.FilmID)
	if title == "" {
		title = "Film " + st.FilmID
	}
	parts := []string{c.run.ctx.Styles.Title.Render(title)}
	if screen := resp.RelatedData.ScreenName(st.ScreenID); screen != "" {
		parts = append(parts, screen)
	}
	if !st.Schedule.StartsAt.IsZero() {
		parts = append(parts, st.Schedule.StartsAt.Format("Mon 2 Jan 15:04"))
	}
	return strings.Join(parts, " · ")
}

// currentShowtimeID is the order's showtime F3 has chosen.
func (c *customer) currentShowtimeID() string {
	if c.order == nil || len(c.order.Showtimes) == 0 {
		return ""
	}
	return c.order.Showtimes[c.showtimeIndex%len(c.order.Showtimes)].ShowtimeID
}

// scanShowtimeID is the showtime a Ticket voucher is scanned for: the
// order's current one, else the one picked for an order without any. Vista
// adds a ticket voucher before the tickets it pays for, so the picked
// showtime takes vouchers before its tickets join the order at F7.
func (c *customer) scanShowtimeID() string {
	if id := c.currentShowtimeID(); id != "" {
		return id
	}
	return c.picked
}

func (c *customer) orderShowtime(id string) *api.OrderShowtime {
	if c.order == nil {
		return nil
	}
	for i := range c.order.Showtimes {
		if c.order.Showtimes[i].ShowtimeID == id {
			return &c.order.Showtimes[i]
		}
	}
	return nil
}

func (c *customer) ticketTypeName(showtimeID, typeID string) string {
	if p := c.prices[showtimeID]; p != nil {
		return p.TicketTypeDescription(typeID)
	}
	return typeID
}

// setRun tells the customer what the run knows of its order: where it sits
// among the run's orders, and whether another is open for F6.
func (c *customer) setRun(position string, otherOpen bool) {
	hint := "ctrl+n starts a new order · ctrl+o opens another"
	if otherOpen {
		hint += " · F6 next open order"
	}
	if position != c.position || hint != c.endedHint {
		c.position, c.endedHint = position, hint
		c.refreshView()
	}
}

// addFailed lists a scan under "Not attached".
func (c *customer) addFailed(f failedScan) {
	c.queue.addFailed(f)
	c.refreshNotAttached()
}

func (c *customer) removeFailed(barcode string) {
	if c.queue.removeFailed(barcode) {
		c.refreshNotAttached()
	}
}

// knownVoucherIDs are the vouchers this counter knows to be on the order:
// those listed, and those whose outcome waits for the journal's disk. A lost
// answer is read against them, so a voucher of our own not yet on screen is
// not taken for another writer's.
func (c *customer) knownVoucherIDs() []string {
	ids := c.vouchers.ids()
	waiting := c.unlistedOwn()
	if len(waiting) == 0 {
		return ids
	}
	return append(slices.Clone(ids), waiting...)
}

// unlistedOwn are the vouchers this counter attached whose outcome waits
// for the journal's disk, and so is not listed yet.
func (c *customer) unlistedOwn() []string {
	var waiting []string
	for _, u := range c.queue.unsynced {
		if u.err == nil && u.result.Voucher.ID != "" {
			waiting = append(waiting, u.result.Voucher.ID)
		}
	}
	return waiting
}
