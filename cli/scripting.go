package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/config"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/journal"
	"github.com/boxoffice/boxoffice/pricing"
)

// session is what a scripting command works with: its settings and a
// client for the configured server.
type session struct {
	cfg    *config.Config
	client *api.Client
	log    io.Closer
	// journal is opened by the first command that changes an order
	// (clerk), and closed with the session; desk works through it.
	journal *journal.Journal
	desk    *desk.Clerk
	// out is where a command says what it is about to do, unless quiet
	// (--json, whose output is one object).
	out   io.Writer
	quiet bool
}

// openSession loads the settings and connects to the configured server.
// Scripting commands never start the demo server: an order made in a
// server that vanishes when the command ends would be of no use.
func (a *app) openSession(cmd *cobra.Command) (*session, error) {
	cfg, err := a.loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	if cfg.APIURL == "" {
		return nil, &Error{Code: ExitUsage, What: "this command needs an OCAPI server, and no api_url is set",
			Todo: "start the demo server with 'boxoffice mock' in another terminal and pass --api-url http://127.0.0.1:8080 (or set BOXOFFICE_API_URL)"}
	}
	log, logFile, err := openLog(cfg)
	if err != nil {
		return nil, err
	}
	client, err := a.newClient(cfg, cfg.APIURL, nil, log)
	if err != nil {
		logFile.Close()
		return nil, err
	}
	return &session{cfg: cfg, client: client, log: logFile, out: a.env.Stdout, quiet: a.jsonOutput}, nil
}

func (s *session) Close() {
	if s.journal != nil {
		s.journal.Close()
	}
	s.log.Close()
}

// sessionRun gives a scripting command's body an open session and closes it
// after.
func (a *app) sessionRun(body func(cmd *cobra.Command, s *session, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := a.openSession(cmd)
		if err != nil {
			return err
		}
		defer s.Close()
		return body(cmd, s, args)
	}
}

// clerk is what changes an order, recording in the journal the counter
// screen writes too (practice's own, for a practice server).
func (s *session) clerk(ctx context.Context) (*desk.Clerk, error) {
	if s.desk != nil {
		return s.desk, nil
	}
	opts := journal.Options{KeepDays: s.cfg.JournalKeepDays, Stamp: journalStamp(s.cfg),
		Server: serverName(s.cfg, false, s.client, s.cfg.APIURL)}
	j, err := journal.OpenWith(s.journalPath(ctx), opts)
	if err != nil {
		return nil, &Error{Code: ExitUsage, What: err.Error(),
			Todo: "fix the journal path (--journal or BOXOFFICE_JOURNAL); nothing was sent", Err: err}
	}
	s.journal = j
	s.desk = desk.New(s.client, s.journal)
	return s.desk, nil
}

// journalPath is the journal of the session's server.
func (s *session) journalPath(ctx context.Context) string {
	return s.cfg.JournalFor(s.practice(ctx))
}

// journalFailed reports a journal that failed before anything was sent.
func journalFailed(err error) error {
	what := "the journal could not record the result: " + err.Error()
	if errors.Is(err, desk.ErrNothingSent) {
		what = "the journal cannot be written, so nothing was sent: " + err.Error()
	}
	return &Error{Code: ExitUsage, What: what, Todo: "fix the journal file or its disk, then check the order with 'boxoffice voucher list'", Err: err}
}

// notRecorded reports a change the server made that the journal could not
// record: done, but not in the record. done says what was done.
func notRecorded(done string, err error) error {
	return &Error{Code: ExitNotRecorded, What: done + ", but the journal could not record it: " + err.Error(),
		Todo: "it stands on the server; fix the journal file or its disk before anything more is sent, and note it for the records", Err: err}
}

// explain turns a client error into what happened and what to do.
func (s *session) explain(err error) error {
	return explainAPIError(err, s.cfg.APIURL)
}

// order reads an order from the server.
func (s *session) order(ctx context.Context, orderID string) (api.Order, error) {
	resp, err := s.client.GetOrder(ctx, orderID)
	if err != nil {
		return api.Order{}, s.explain(err)
	}
	return resp.Order, nil
}

// orderWithVouchers reads the order args name (or the configured one) with
// its vouchers listed, and says whether the list came from the journal.
func (s *session) orderWithVouchers(ctx context.Context, args []string) (order api.Order, fromJournal bool, err error) {
	id, err := s.orderID(args)
	if err != nil {
		return api.Order{}, false, err
	}
	if order, err = s.order(ctx, id); err != nil {
		return api.Order{}, false, err
	}
	if order.Vouchers, fromJournal, err = s.vouchers(ctx, order); err != nil {
		return api.Order{}, false, err
	}
	return order, fromJournal, nil
}

// vouchers lists the order's vouchers and says where the list came from.
// Vista does not document order.vouchers[]: when a server leaves it out, the
// journal's record of what was attached to the order stands in, because
// absent is not empty.
func (s *session) vouchers(ctx context.Context, o api.Order) (list []api.OrderVoucher, fromJournal bool, err error) {
	if o.VouchersListed {
		return o.Vouchers, false, nil
	}
	states, err := journal.Restore(s.journalPath(ctx), o.ID)
	if err != nil {
		return nil, true, &Error{Code: ExitUsage, What: err.Error(), Todo: "fix the journal path (--journal or BOXOFFICE_JOURNAL)", Err: err}
	}
	for id, st := range states {
		if !st.Removed {
			list = append(list, api.OrderVoucher{ID: id, Type: api.VoucherType(st.VoucherType), MaskedBarcode: st.MaskedBarcode, AvailableRedemptions: st.AvailableRedemptions})
		}
	}
	slices.SortFunc(list, func(a, b api.OrderVoucher) int { return states[a.ID].Time.Compare(states[b.ID].Time) })
	return list, true, nil
}

// orderID is the order a command works on: its argument, else --order.
func (s *session) orderID(args []string) (string, error) {
	if len(args) > 0 && args[0] != "" {
		return args[0], nil
	}
	if s.cfg.Order != "" {
		return s.cfg.Order, nil
	}
	return "", &Error{Code: ExitUsage, What: "no order given",
		Todo: "pass --order ID (or set BOXOFFICE_ORDER); 'boxoffice order new' starts one"}
}

// printJSON writes v as indented JSON, the one format scripts read.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// readPIN gets a voucher's PIN without it ever being an argument: its line
// from standard input with --pin-stdin, else a hidden prompt at a terminal.
// An empty PIN is no PIN.
func (a *app) readPIN(stdin *bufio.Reader, fromStdin bool, maskedBarcode string) (*string, error) {
	var pin string
	switch {
	case fromStdin:
		line, err := stdin.ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			if errors.Is(err, io.EOF) {
				err = errors.New("standard input has no line for the PIN of " + maskedBarcode)
			}
			return nil, usageError(fmt.Errorf("--pin-stdin: %w", err), "send one PIN a line, in the order of the barcodes (an empty line for none), e.g. printf '%s\\n' \"$PIN\" | boxoffice voucher add ... --pin-stdin")
		}
		pin = strings.TrimRight(line, "\r\n")
	default:
		var err error
		if pin, err = a.readSecret("PIN for " + maskedBarcode + " (Enter if it has none): "); err != nil {
			return nil, &Error{Code: ExitUsage, What: "cannot read the PIN: " + err.Error(), Todo: "use --pin-stdin, or --no-pin", Err: err}
		}
	}
	if pin == "" {
		return nil, nil
	}
	return &pin, nil
}

// maskedVoucher returns v with its barcode masked even when a server sent
// it whole; masking an already masked barcode changes nothing.
func maskedVoucher(v api.OrderVoucher) api.OrderVoucher {
	v.MaskedBarcode = api.MaskBarcode(v.MaskedBarcode)
	return v
}

func maskedOrder(o api.Order) api.Order {
	vouchers := make([]api.OrderVoucher, len(o.Vouchers))
	for i, v := range o.Vouchers {
		vouchers[i] = maskedVoucher(v)
	}
	o.Vouchers = vouchers
	return o
}

func money(v api.MonetaryValue) string {
	return fmt.Sprintf("%.2f", v.ValueIncludingTax)
}

// expiry says when an order expires, in local time and from now.
func expiry(t time.Time, now time.Time) string {
	if t.IsZero() {
		return "not given"
	}
	when := t.Local().Format("2006-01-02 15:04:05 MST")
	left := t.Sub(now).Round(time.Second)
	if left <= 0 {
		return when + " (expired)"
	}
	return fmt.Sprintf("%s (in %s)", when, left)
}

// ticketsPaidBy counts the order's tickets each voucher pays for.
func ticketsPaidBy(o api.Order) map[string]int { return pricing.VoucherUses(o) }

func redemptionsLeft(v api.OrderVoucher) string {
	if v.AvailableRedemptions == nil {
		return "-"
	}
	return fmt.Sprint(*v.AvailableRedemptions)
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
