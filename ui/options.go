package ui

import (
	"context"
	"time"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// PinPrompt says whether the counter asks for a PIN after each barcode.
type PinPrompt string

const (
	// PinAsk moves to the PIN field after a barcode; Enter there submits.
	PinAsk PinPrompt = "ask"
	// PinNever sends each barcode at once without a PIN.
	PinNever PinPrompt = "never"
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
	Client *api.Client
	// Context bounds every call the screen makes: when it ends (the program
	// quits), calls under way are abandoned. nil means context.Background.
	Context context.Context
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
	// Journal records every attempt and outcome; nil records nothing.
	Journal *journal.Journal
	// Unfinished returns the scans the journal held no outcome for when
	// the counter started (journal.Unfinished): what the last run left when
	// it was killed. Each order's are settled against it when it first
	// loads. It is called from the first order read, off the screen's loop,
	// and may wait for a read already under way.
	Unfinished func() []journal.Line
	// Now is the clock; nil means time.Now. Tests fix it for golden screens.
	Now func() time.Time
	// RedrawInterval is the least time between two drawings of the screen
	// (see framePacer); zero draws on every View, as tests that read View
	// right after Update need.
	RedrawInterval time.Duration
	// KeepAlive is how often an idle counter with an order open keeps its
	// connection to the server open (see calls.keepAlive); 0 never does.
	KeepAlive time.Duration
}
