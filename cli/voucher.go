package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
)

func (a *app) voucherCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "voucher",
		Short: "Add, remove or list an order's vouchers (for scripts)",
		Long: `Add, remove or list the vouchers of the order given by --order, on the
server given by --api-url. Output is for people unless --json is given.

A PIN is never an argument: give it as one line on standard input with
--pin-stdin, or type it at the hidden prompt when standard input is a terminal;
--no-pin says a voucher has none. Barcodes are shown masked.

` + seeExitCodes,
		Example: `  export BOXOFFICE_API_URL=http://127.0.0.1:8080 BOXOFFICE_ORDER=3f9c2a7be1d84c6f9a0b5e2d7c1f4a86
  printf '1234\n' | boxoffice voucher add ADTMM0000111 --pin-stdin
  boxoffice voucher add 9300000000017 --voucher-type deal --no-pin --json
  boxoffice voucher add ADTMM0000444 ADTMM0000666 --no-pin
  boxoffice voucher list
  boxoffice voucher remove 5a4f0c2e9b7d41e3a8c6f1d2b3e4a5c6`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().BoolVar(&a.jsonOutput, "json", false, "print JSON for scripts")
	cmd.PersistentFlags().StringVar(&a.configFile, "config", "", configFlagUsage)
	add, remove, list := a.voucherAddCommand(), a.voucherRemoveCommand(), a.voucherListCommand()
	a.addSettingsFlags(add, add.Flags(), settingsOf(serverSettings, []string{"order", "voucher_type"}, journalSettings)...)
	a.addSettingsFlags(remove, remove.Flags(), settingsOf(serverSettings, []string{"order"}, journalSettings)...)
	a.addSettingsFlags(list, list.Flags(), settingsOf(serverSettings, []string{"order", "journal"})...)
	cmd.AddCommand(add, remove, list)
	return cmd
}

func (a *app) voucherAddCommand() *cobra.Command {
	var showtimeID string
	var pinFromStdin, noPIN bool
	cmd := &cobra.Command{
		Use:   "add BARCODE...",
		Short: "Add vouchers to the order, each exactly once",
		Long: `Add vouchers to the order, one after another, of the type given by
--voucher-type (default Ticket). A Ticket voucher is for one showtime of the
order: --showtime names it, and may be left out when the order has only one.

Say whether the vouchers have PINs: --pin-stdin reads one PIN a line from
standard input, in the order of the barcodes (an empty line for a voucher
without one); --no-pin sends none. At a terminal, boxoffice asks instead.

Each barcode is sent once: one given twice is not sent again (a repeat). The
add is never resent blindly: when its answer is lost, the order is read
again to see whether the voucher arrived before anything is sent again, and
a voucher that only looks like one on the order is never taken for it. The
first barcode not attached stops the command; those after it are not sent.`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			orderID, err := s.orderID(nil)
			if err != nil {
				return err
			}
			// The barcodes and PINs are checked as the counter checks them,
			// before anything reaches the server, the order read included.
			scans, err := a.readScans(args, pinFromStdin, noPIN)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			order, err := s.order(ctx, orderID)
			if err != nil {
				return err
			}
			if s.cfg.VoucherType == api.VoucherTicket {
				if showtimeID, err = showtimeFor(order, showtimeID); err != nil {
					return err
				}
			}
			clerk, err := s.clerk(ctx)
			if err != nil {
				return err
			}
			known := make([]string, len(order.Vouchers))
			for i, v := range order.Vouchers {
				known[i] = v.ID
			}
			var done []addedVoucher
			for _, sc := range scans {
				req := api.AddVoucherRequest{Type: s.cfg.VoucherType, ShowtimeID: showtimeID,
					Credentials: api.VoucherCredentials{Barcode: sc.barcode, Pin: sc.pin}}
				res, err, recordErr := clerk.Attach(ctx, orderID, req, api.AttachPolicy{KnownVoucherIDs: known})
				added := addedVoucher{masked: api.MaskBarcode(sc.barcode), res: res, err: err}
				if failure := s.addFailure(added, recordErr); failure != nil {
					if err == nil && recordErr != nil {
						done = append(done, added) // attached, not recorded
					}
					if perr := a.reportAdded(orderID, done, len(scans)); perr != nil {
						return perr
					}
					return failure
				}
				if err == nil {
					known = append(known, res.Voucher.ID)
				}
				done = append(done, added)
			}
			return a.reportAdded(orderID, done, len(scans))
		}),
	}
	cmd.Flags().StringVar(&showtimeID, "showtime", "", "`id` of the order's showtime a Ticket voucher is for")
	cmd.Flags().BoolVar(&pinFromStdin, "pin-stdin", false, "read the PINs from standard input, one a line in the order of the barcodes")
	cmd.Flags().BoolVar(&noPIN, "no-pin", false, "the vouchers have no PIN: send none")
	return cmd
}

// scan is one barcode given to voucher add, with its PIN (nil for none).
type scan struct {
	barcode string
	pin     *string
}

// readScans checks the barcodes and gets their PINs: from standard input,
// none, or asked for at a terminal. Without a terminal, the command must
// say which: a voucher sent without its PIN costs one of its attempts.
func (a *app) readScans(barcodes []string, pinFromStdin, noPIN bool) ([]scan, error) {
	if pinFromStdin && noPIN {
		return nil, usageError(errors.New("--pin-stdin and --no-pin say different things"), "give one of them")
	}
	scans := make([]scan, len(barcodes))
	for i, raw := range barcodes {
		barcode, err := api.ValidateBarcode(raw)
		if err != nil {
			return nil, &Error{Code: ExitUsage, What: "the barcode cannot be sent: " + err.Error(), Todo: "give the barcode as printed on the voucher", Err: err}
		}
		if i > 0 && looksLikePIN(barcode) {
			// Sent as a barcode, a PIN would reach the server and the journal.
			return nil, usageError(fmt.Errorf("argument %d looks like a PIN, and a PIN is never an argument", i+1),
				"give PINs with --pin-stdin, one a line; barcodes of 8 digits or fewer go one to a command")
		}
		scans[i].barcode = barcode
	}
	if noPIN {
		return scans, nil
	}
	if !pinFromStdin {
		if _, ok := terminal(a.env.Stdin); !ok {
			return nil, usageError(errors.New("no PIN was given and none can be asked for"),
				"give the PINs with --pin-stdin (one a line), or say the vouchers have none with --no-pin; a voucher sent without its PIN costs one of its attempts")
		}
	}
	stdin := bufio.NewReader(a.env.Stdin)
	for i := range scans {
		pin, err := a.readPIN(stdin, pinFromStdin, api.MaskBarcode(scans[i].barcode))
		if err != nil {
			return nil, err
		}
		if pin != nil {
			if err := api.ValidatePin(*pin); err != nil {
				return nil, &Error{Code: ExitUsage, What: "the PIN for " + api.MaskBarcode(scans[i].barcode) + " cannot be sent: " + err.Error(),
					Todo: "give the PIN as printed on the voucher, digits only", Err: err}
			}
		}
		scans[i].pin = pin
	}
	return scans, nil
}

// looksLikePIN: digits only, and as short as PINs are.
func looksLikePIN(s string) bool {
	return len(s) <= 8 && api.ValidatePin(s) == nil
}

// addedVoucher is one barcode's outcome.
type addedVoucher struct {
	masked string
	res    api.AttachResult
	err    error
}

// addFailure is why the command stops after one barcode: nil when it
// goes on (attached, or a repeat not sent).
func (s *session) addFailure(added addedVoucher, recordErr error) error {
	switch {
	case errors.Is(recordErr, desk.ErrNothingSent):
		return journalFailed(recordErr)
	case added.err == nil && recordErr != nil:
		return notRecorded("voucher "+added.masked+" was attached as "+added.res.Voucher.ID, recordErr)
	case recordErr != nil:
		return journalFailed(recordErr)
	case errors.Is(added.err, desk.ErrRepeat), added.err == nil:
		return nil
	case added.res.Outcome == api.AttachMatchedByMask:
		return lookAlikeError(added)
	}
	return s.explain(added.err)
}

// lookAlikeError reports an add whose answer was lost, after which the order
// held a voucher like it that nothing could tell from another writer's.
func lookAlikeError(added addedVoucher) error {
	var ids []string
	for _, v := range added.res.LookAlikes {
		ids = append(ids, v.ID)
	}
	return &Error{Code: ExitUnavailable,
		What: "voucher " + added.masked + ": the answer was lost, and the order now holds a voucher matching its masked barcode (voucher id " +
			strings.Join(ids, ", ") + ") that may be another writer's, so it is not counted as attached",
		Todo: "check in Vista, or ask the customer, whether that is this voucher before adding it again; 'boxoffice journal summary' lists it to check",
		Err:  added.err}
}

// showtimeFor picks the showtime a Ticket voucher is for: the one asked
// for, which must be on the order, or the order's only one.
func showtimeFor(o api.Order, asked string) (string, error) {
	ids := make([]string, len(o.Showtimes))
	for i, st := range o.Showtimes {
		ids[i] = st.ShowtimeID
		if asked != "" && st.ShowtimeID == asked {
			return asked, nil
		}
	}
	switch {
	case asked != "":
		return "", &Error{Code: ExitUsage, What: fmt.Sprintf("showtime %s is not on order %s", asked, o.ID),
			Todo: "choose one of: " + orNone(strings.Join(ids, ", "))}
	case len(ids) == 1:
		return ids[0], nil
	case len(ids) == 0:
		return "", &Error{Code: ExitRejected, What: fmt.Sprintf("order %s has no showtime for a Ticket voucher to pay for", o.ID),
			Todo: "add tickets to the order first, or use --voucher-type Deal or Subscription"}
	}
	return "", &Error{Code: ExitUsage, What: fmt.Sprintf("order %s has %d showtimes", o.ID, len(ids)),
		Todo: "say which one the voucher is for with --showtime (" + strings.Join(ids, ", ") + ")"}
}

// reportAdded prints what became of the barcodes sent: for one barcode the
// one object scripts have always read, for several a list of them.
func (a *app) reportAdded(orderID string, done []addedVoucher, given int) error {
	if a.jsonOutput {
		if given == 1 {
			if len(done) == 0 {
				return nil
			}
			return a.printJSON(addedJSON(orderID, done[0]))
		}
		results := make([]map[string]any, 0, len(done))
		for _, d := range done {
			results = append(results, addedJSON(orderID, d))
		}
		return a.printJSON(map[string]any{"orderId": orderID, "results": results})
	}
	for _, d := range done {
		a.writeAdded(orderID, d)
	}
	return nil
}

func addedJSON(orderID string, d addedVoucher) map[string]any {
	if errors.Is(d.err, desk.ErrRepeat) {
		return map[string]any{"orderId": orderID, "maskedBarcode": d.masked, "outcome": "repeat", "sent": false}
	}
	res := d.res
	out := map[string]any{
		"orderId":              orderID,
		"voucher":              maskedVoucher(res.Voucher),
		"availableRedemptions": nil,
		"outcome":              res.Outcome.String(),
		"attempts":             res.Attempts,
		"recovered":            res.Recovered,
	}
	if res.AvailableRedemptions >= 0 {
		out["availableRedemptions"] = res.AvailableRedemptions
	}
	return out
}

func (a *app) writeAdded(orderID string, d addedVoucher) {
	w := a.env.Stdout
	var repeat *desk.RepeatError
	if errors.As(d.err, &repeat) {
		fmt.Fprintf(w, "Voucher %s was given again: it is already attached to order %s as %s, so it was not sent again.\n",
			d.masked, orderID, repeat.VoucherID)
		return
	}
	res := d.res
	v := maskedVoucher(res.Voucher)
	fmt.Fprintf(w, "Added %s voucher %s", v.Type, v.MaskedBarcode)
	if v.VoucherTypeDescription != "" {
		fmt.Fprintf(w, " (%s)", v.VoucherTypeDescription)
	}
	fmt.Fprintf(w, " to order %s.\n", orderID)
	fmt.Fprintf(w, "Voucher id: %s\n", v.ID)
	if res.AvailableRedemptions >= 0 {
		fmt.Fprintf(w, "It may pay for %d ticket(s) on this order.\n", res.AvailableRedemptions)
	}
	if res.Outcome == api.AttachAlreadyOnOrder {
		fmt.Fprintln(w, "The server's answer was lost; the server then said the voucher is on the order, and it is the one voucher like it there.")
	}
}

func (a *app) voucherRemoveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "remove VOUCHER_ID",
		Short: "Remove a voucher from the order",
		Long: `Remove a voucher from the order by its voucher id (see 'boxoffice voucher list').
A Ticket or Subscription voucher can only be removed once no ticket of the
order uses it.`,
		Args: cobra.ExactArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			orderID, err := s.orderID(nil)
			if err != nil {
				return err
			}
			voucherID := strings.TrimSpace(args[0])
			order, err := s.order(cmd.Context(), orderID)
			if err != nil {
				return err
			}
			vouchers, fromJournal, err := s.vouchers(cmd.Context(), order)
			if err != nil {
				return err
			}
			var voucher *api.OrderVoucher
			for i := range vouchers {
				if vouchers[i].ID == voucherID {
					voucher = &vouchers[i]
				}
			}
			if voucher == nil && fromJournal {
				// Absent is not empty: the server may well hold it. Ask it.
				voucher = &api.OrderVoucher{ID: voucherID}
			}
			if voucher == nil {
				return &Error{Code: ExitRejected, What: fmt.Sprintf("voucher %s is not on order %s", voucherID, orderID),
					Todo: "list the order's vouchers and their ids with 'boxoffice voucher list'"}
			}
			clerk, err := s.clerk(cmd.Context())
			if err != nil {
				return err
			}
			err, recordErr := clerk.Detach(cmd.Context(), orderID, *voucher, api.AttachPolicy{})
			switch {
			case errors.Is(recordErr, desk.ErrNothingSent):
				return journalFailed(recordErr)
			case err != nil:
				return s.explain(err)
			case recordErr != nil:
				return notRecorded("voucher "+voucherID+" was removed from order "+orderID, recordErr)
			}
			if a.jsonOutput {
				return a.printJSON(map[string]any{"orderId": orderID, "voucherId": voucherID, "removed": true})
			}
			fmt.Fprintf(a.env.Stdout, "Removed voucher %s from order %s.\n", voucherID, orderID)
			return nil
		}),
	}
}

func (a *app) voucherListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the order's vouchers and the tickets each pays for",
		Args:  cobra.NoArgs,
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, _ []string) error {
			order, fromJournal, err := s.orderWithVouchers(cmd.Context(), nil)
			if err != nil {
				return err
			}
			if a.jsonOutput {
				type listed struct {
					api.OrderVoucher
					Tickets int `json:"tickets"`
				}
				used := ticketsPaidBy(order)
				out := make([]listed, 0, len(order.Vouchers))
				for _, v := range order.Vouchers {
					out = append(out, listed{maskedVoucher(v), used[v.ID]})
				}
				return a.printJSON(map[string]any{"orderId": order.ID, "vouchers": out, "vouchersListed": !fromJournal})
			}
			writeVouchers(a.env.Stdout, order, fromJournal)
			return nil
		}),
	}
}
