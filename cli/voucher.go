package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
)

func (a *app) voucherCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "voucher",
		Short: "Add, remove or list an order's vouchers (for scripts)",
		Long: `Add, remove or list the vouchers of the order given by --order, on the
server given by --api-url. Output is for people unless --json is given.

A PIN is never an argument: give it as one line on standard input with
--pin-stdin, or type it at the hidden prompt when standard input is a terminal.
Barcodes are shown masked.

` + seeExitCodes,
		Example: `  export BOXOFFICE_API_URL=http://127.0.0.1:8080 BOXOFFICE_ORDER=3f9c2a7be1d84c6f9a0b5e2d7c1f4a86
  printf '1234\n' | boxoffice voucher add ADTMM0000111 --pin-stdin
  boxoffice voucher add 9300000000017 --voucher-type deal --json
  boxoffice voucher list
  boxoffice voucher remove 5a4f0c2e9b7d41e3a8c6f1d2b3e4a5c6`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().BoolVar(&a.jsonOutput, "json", false, "print JSON for scripts")
	a.addSettingsFlags(cmd, cmd.PersistentFlags())
	cmd.AddCommand(a.voucherAddCommand(), a.voucherRemoveCommand(), a.voucherListCommand())
	return cmd
}

func (a *app) voucherAddCommand() *cobra.Command {
	var showtimeID string
	var pinFromStdin bool
	cmd := &cobra.Command{
		Use:   "add BARCODE",
		Short: "Add a voucher to the order, exactly once",
		Long: `Add a voucher to the order, of the type given by --voucher-type (default
Ticket). A Ticket voucher is for one showtime of the order: --showtime names
it, and may be left out when the order has only one.

The add is never resent blindly: when its answer is lost, the order is read
again to see whether the voucher arrived before anything is sent again.`,
		Args: cobra.ExactArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			orderID, err := s.orderID(nil)
			if err != nil {
				return err
			}
			// The barcode and PIN are checked as the counter checks them,
			// before anything reaches the server, the order read included.
			barcode, err := api.ValidateBarcode(args[0])
			if err != nil {
				return &Error{Code: ExitUsage, What: "the barcode cannot be sent: " + err.Error(), Todo: "give the barcode as printed on the voucher", Err: err}
			}
			masked := api.MaskBarcode(barcode)
			pin, err := a.readPIN(pinFromStdin, masked)
			if err != nil {
				return err
			}
			if pin != nil {
				if err := api.ValidatePin(*pin); err != nil {
					return &Error{Code: ExitUsage, What: "the PIN cannot be sent: " + err.Error(), Todo: "give the PIN as printed on the voucher, digits only", Err: err}
				}
			}

			ctx := cmd.Context()
			order, err := s.order(ctx, orderID)
			if err != nil {
				return err
			}
			req := api.AddVoucherRequest{
				Type:        s.cfg.VoucherType,
				Credentials: api.VoucherCredentials{Barcode: barcode, Pin: pin},
			}
			if req.Type == api.VoucherTicket {
				if req.ShowtimeID, err = showtimeFor(order, showtimeID); err != nil {
					return err
				}
			}
			known := make([]string, len(order.Vouchers))
			for i, v := range order.Vouchers {
				known[i] = v.ID
			}
			clerk, err := s.clerk()
			if err != nil {
				return err
			}
			res, err, recordErr := clerk.Attach(ctx, orderID, req, api.AttachPolicy{KnownVoucherIDs: known})
			if err != nil {
				return s.explain(err)
			}
			if recordErr != nil {
				return journalFailed(recordErr)
			}
			return a.reportAttached(orderID, res)
		}),
	}
	cmd.Flags().StringVar(&showtimeID, "showtime", "", "`id` of the order's showtime a Ticket voucher is for")
	cmd.Flags().BoolVar(&pinFromStdin, "pin-stdin", false, "read the PIN as one line from standard input")
	completeFlags(cmd, cmd.Flags(), nil)
	return cmd
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

func (a *app) reportAttached(orderID string, res api.AttachResult) error {
	v := maskedVoucher(res.Voucher)
	if a.jsonOutput {
		out := map[string]any{
			"orderId":              orderID,
			"voucher":              v,
			"availableRedemptions": nil,
			"outcome":              res.Outcome.String(),
			"attempts":             res.Attempts,
			"recovered":            res.Recovered,
		}
		if res.AvailableRedemptions >= 0 {
			out["availableRedemptions"] = res.AvailableRedemptions
		}
		return a.printJSON(out)
	}
	w := a.env.Stdout
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
		fmt.Fprintln(w, "The server's answer was lost; reading the order again showed the voucher on it.")
	}
	return nil
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
			vouchers, fromJournal, err := s.vouchers(order)
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
			clerk, err := s.clerk()
			if err != nil {
				return err
			}
			err, recordErr := clerk.Detach(cmd.Context(), orderID, *voucher, api.AttachPolicy{})
			if err != nil {
				return s.explain(err)
			}
			if recordErr != nil {
				return journalFailed(recordErr)
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
			orderID, err := s.orderID(nil)
			if err != nil {
				return err
			}
			order, err := s.order(cmd.Context(), orderID)
			if err != nil {
				return err
			}
			vouchers, fromJournal, err := s.vouchers(order)
			if err != nil {
				return err
			}
			order.Vouchers = vouchers
			if a.jsonOutput {
				type listed struct {
					api.OrderVoucher
					Tickets int `json:"tickets"`
				}
				used := ticketsPaidBy(order)
				out := make([]listed, 0, len(vouchers))
				for _, v := range vouchers {
					out = append(out, listed{maskedVoucher(v), used[v.ID]})
				}
				return a.printJSON(map[string]any{"orderId": order.ID, "vouchers": out, "vouchersListed": !fromJournal})
			}
			writeVouchers(a.env.Stdout, order, fromJournal)
			return nil
		}),
	}
}
