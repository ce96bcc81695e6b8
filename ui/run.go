package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/ui/common"
	"github.com/boxoffice/boxoffice/ui/scanform"
	"github.com/boxoffice/boxoffice/ui/status"
)

// PinPrompt says whether the counter asks for a PIN after each barcode.
type PinPrompt = scanform.PinPrompt

const (
	// PinAsk moves to the PIN field after a barcode; Enter there submits.
	PinAsk = scanform.PinAsk
	// PinNever sends each barcode at once without a PIN.
	PinNever = scanform.PinNever
)

// BellMode says which outcomes ring the terminal bell.
type BellMode string

const (
	// BellRefusals rings for every outcome marked ✗.
	BellRefusals BellMode = "refusals"
	// BellAll rings for every outcome listed.
	BellAll BellMode = "all"
	// BellNever never rings.
	BellNever BellMode = "never"
)

// Options is everything the counter screen needs from the command line.
type Options struct {
	// Backend makes the calls; NewLive is the real one.
	Backend Backend
	// OrderID opens that order; "" asks the operator for one.
	OrderID string
	// SiteID is where new orders are created.
	SiteID string
	// Demo is true when the server is the embedded mock, so the screen says so.
	Demo bool
	// ServerURL is shown in the header so the operator knows where calls go.
	ServerURL string
	// VoucherType is the type each new scan starts with.
	VoucherType api.VoucherType
	// VoucherPrefixes maps barcode prefixes to the type a scan starting
	// with one is sent as, unless F2 chose another; the longest wins.
	VoucherPrefixes map[string]api.VoucherType
	PinPrompt       PinPrompt
	// Bell says which outcomes ring the terminal bell; "" is BellRefusals.
	Bell BellMode
	// ScanIdleGap closes a scanner burst that arrives without a terminator.
	ScanIdleGap time.Duration
	Version     string
	// KeepAlive is how often an idle counter with an order open keeps its
	// connection to the server open (Backend.KeepAlive); 0 never does.
	KeepAlive time.Duration
	// Now is the clock; nil means time.Now. Tests fix it for golden screens.
	Now func() time.Time
	// Context, when set, is the run's context: the screen says nothing of
	// it, but a Live backend made from it stops with it.
	Context context.Context
}

// run is what belongs to the whole run rather than to one customer: the
// settings, the clock and styles, the backend, the status line, the orders
// opened, what is known of their sites, and the journal's health. Every customer holds the same run.
type run struct {
	ctx     *common.Context
	opts    Options
	backend Backend
	status  *status.Line
	// book is the run's orders and the open-order page.
	book *orderBook
	// journalBroken stops all attaching: records must never be lost.
	journalBroken error
	// sites is what the run has learnt of each site from its showtimes:
	// its name and its time zone, which a new order at the site, with no
	// showtime yet, needs for its header and its showtime picker.
	sites map[string]site
}

// site is what the run knows of a site.
type site struct {
	name string
	zone *time.Location
	// days are the business dates of its showtimes seen, for a day the
	// picker finds empty.
	days []time.Time
}

// ringMsg asks the root to ring the terminal bell for an outcome.
type ringMsg struct{}

// ring is the bell an outcome of kind asks for, by the bell setting.
func (r *run) ring(kind common.Kind) tea.Cmd {
	switch {
	case r.opts.Bell == BellAll, r.opts.Bell == BellRefusals && kind == common.Failure:
		return common.Intent(ringMsg{})
	}
	return nil
}

// formOptions are the form's settings for a new customer, with the type
// the last customer's form had pinned.
func (r *run) formOptions(pinned api.VoucherType) scanform.Options {
	return scanform.Options{PinPrompt: r.opts.PinPrompt, IdleGap: r.opts.ScanIdleGap, DefaultType: r.opts.VoucherType,
		Prefixes: r.opts.VoucherPrefixes, Pinned: pinned}
}
