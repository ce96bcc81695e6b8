package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/desk"
	"github.com/boxoffice/boxoffice/pricing"
)

func (a *app) orderCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "order",
		Short: "Show, start, ticket, seat, complete or cancel an order (for scripts)",
		Long: `Show, start, complete or cancel an order on the server given by --api-url,
set its tickets and choose its seats. Output is for people unless --json is
given.

` + seeExitCodes,
		Example: `  boxoffice --api-url http://127.0.0.1:8080 order new --json
  boxoffice --api-url http://127.0.0.1:8080 order show 3f9c2a7be1d84c6f9a0b5e2d7c1f4a86
  BOXOFFICE_ORDER=3f9c2a7be1d84c6f9a0b5e2d7c1f4a86 boxoffice order complete
  BOXOFFICE_ORDER=3f9c2a7be1d84c6f9a0b5e2d7c1f4a86 boxoffice order cancel`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().BoolVar(&a.jsonOutput, "json", false, "print JSON for scripts")
	cmd.PersistentFlags().StringVar(&a.configFile, "config", "", configFlagUsage)

	create := &cobra.Command{
		Use:   "new",
		Short: "Start a new order at the site given by --site",
		Args:  cobra.NoArgs,
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, _ []string) error {
			resp, err := s.client.CreateOrder(cmd.Context(), s.cfg.Site, api.BookingPaid)
			if err != nil {
				return s.explain(err)
			}
			if a.jsonOutput {
				return a.printJSON(orderJSON{maskedOrder(resp.Order), resp.Order.VouchersListed})
			}
			fmt.Fprintf(a.env.Stdout, "Started order %s.\n\n", resp.Order.ID)
			writeOrder(a.env.Stdout, resp.Order, s.orderNames(cmd.Context(), resp.Order), false, time.Now())
			return nil
		}),
	}
	a.addSettingsFlags(create, create.Flags(), settingsOf(serverSettings, []string{"site"})...)

	cancel := &cobra.Command{
		Use:   "cancel [ORDER_ID]",
		Short: "Cancel an order, releasing it and its vouchers",
		Args:  cobra.MaximumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			id, err := s.orderID(args)
			if err != nil {
				return err
			}
			clerk, err := s.clerk(cmd.Context())
			if err != nil {
				return err
			}
			err, recordErr := clerk.Cancel(cmd.Context(), id)
			if errors.Is(recordErr, desk.ErrNothingSent) {
				return journalFailed(recordErr)
			}
			if err != nil {
				return s.explain(err)
			}
			if recordErr != nil {
				return notRecorded("order "+id+" was cancelled", recordErr)
			}
			if a.jsonOutput {
				return a.printJSON(map[string]any{"orderId": id, "cancelled": true})
			}
			fmt.Fprintf(a.env.Stdout, "Cancelled order %s.\n", id)
			return nil
		}),
	}
	a.addSettingsFlags(cancel, cancel.Flags(), settingsOf(serverSettings, []string{"order"}, journalSettings)...)
	cmd.AddCommand(a.orderShowCommand(), create, cancel, a.orderCompleteCommand(), a.orderTicketsCommand(), a.orderSeatsCommand())
	return cmd
}

func (a *app) orderShowCommand() *cobra.Command {
	show := &cobra.Command{
		Use:   "show [ORDER_ID]",
		Short: "Show an order: tickets, vouchers and what is left to pay",
		Args:  cobra.MaximumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			order, fromJournal, err := s.orderWithVouchers(cmd.Context(), args)
			if err != nil {
				return err
			}
			if a.jsonOutput {
				return a.printJSON(orderJSON{maskedOrder(order), !fromJournal})
			}
			writeOrder(a.env.Stdout, order, s.orderNames(cmd.Context(), order), fromJournal, time.Now())
			return nil
		}),
	}
	a.addSettingsFlags(show, show.Flags(), settingsOf(serverSettings, []string{"order", "journal"})...)
	return show
}

func (a *app) orderCompleteCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "complete [ORDER_ID]",
		Short: "Complete an order paid in full by vouchers",
		Long: `Complete an order that has nothing left to pay, as Vista requires for
zero-value orders. The counter's rules apply: an order completed already,
one with something still to pay, and one with no ticket and no voucher are
refused before anything is sent (exit 1). Completing spends every voucher
that pays for a ticket and every Deal voucher on the order, whether it pays
for anything or not: they are named before and after.

The completion is asked for once: an answer that says Pending is read again
until it settles, and a lost answer is checked with the server rather than
sent again. Exit 0 only once the server says Completed; the transaction
number is printed.`,
		Args: cobra.MaximumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			id, err := s.orderID(args)
			if err != nil {
				return err
			}
			plan, err := s.completionPlan(cmd.Context(), id)
			if err != nil {
				return err
			}
			clerk, err := s.clerk(cmd.Context())
			if err != nil {
				return err
			}
			resp, err, recordErr := clerk.Complete(cmd.Context(), id)
			if errors.Is(recordErr, desk.ErrNothingSent) {
				return journalFailed(recordErr)
			}
			gone := api.KindOf(err) == api.KindNotFound
			followed := false
			if (err != nil && (api.IsOutcomeUnknown(err) || api.KindOf(err) == api.KindNotFound)) ||
				(err == nil && resp.Status == api.CompletionPending) {
				// Not known to be done, nor known not to be: ask, never resend.
				resp, err, recordErr = clerk.FollowCompletion(cmd.Context(), id, api.CompletionPolicy{})
				followed = true
			}
			if err != nil {
				if errors.Is(err, api.ErrNoCompletion) && gone {
					return &Error{Code: ExitNotFound, What: "order " + id + " was not completed: it does not exist or has expired, and the server has no completion of it, so nothing was redeemed",
						Todo: "start a new order with 'boxoffice order new'", Err: err}
				}
				if errors.Is(err, api.ErrNoCompletion) {
					return &Error{Code: ExitRejected, What: "order " + id + " was not completed: the server has no completion of it, so nothing was redeemed",
						Todo: "check the order with 'boxoffice order show' and complete it again if it is still in progress", Err: err}
				}
				if followed {
					return &Error{Code: ExitUnavailable, What: "could not find out whether order " + id + " was completed: " + err.Error(),
						Todo: "do not complete it again before checking: read it with 'boxoffice order show'", Err: err}
				}
				return s.explain(err)
			}
			return a.reportCompletion(id, plan, resp, recordErr)
		}),
	}
	a.addSettingsFlags(cmd, cmd.Flags(), settingsOf(serverSettings, []string{"order"}, journalSettings)...)
	return cmd
}

// reportCompletion says what a settled completion did: done (with its
// transaction number and what it spent), done but not recorded, or not
// done, as the server said.
func (a *app) reportCompletion(id string, plan pricing.Completion, resp *api.CompletionResponse, recordErr error) error {
	if recordErr != nil && resp.Status == api.CompletionCompleted {
		return notRecorded("order "+id+" was completed (transaction "+orNone(resp.TransactionNumber)+"), spending "+plan.SpendsText(), recordErr)
	}
	if recordErr != nil {
		return journalFailed(recordErr)
	}
	switch resp.Status {
	case api.CompletionCompleted:
	case api.CompletionPending:
		return &Error{Code: ExitUnavailable, What: "order " + id + " is still being completed (Pending)",
			Todo: "it may yet go through: do not complete it again; check it with 'boxoffice order show'"}
	case api.CompletionFailed:
		return &Error{Code: ExitRejected, What: "order " + id + " was not completed: the server says the completion failed, and nothing was redeemed",
			Todo: "check the order's vouchers with 'boxoffice voucher list', then try again or cancel it"}
	default:
		return &Error{Code: ExitUnavailable, What: fmt.Sprintf("the server answered the completion of order %s with %q, which boxoffice does not know", id, resp.Status),
			Todo: "do not complete it again before checking: read it with 'boxoffice order show'"}
	}
	if a.jsonOutput {
		return a.printJSON(map[string]any{"orderId": id, "status": resp.Status, "transactionNumber": resp.TransactionNumber,
			"spent": spendsJSON(plan.Spends)})
	}
	if resp.TransactionNumber == "" {
		fmt.Fprintf(a.env.Stdout, "Completed order %s; the server did not say its transaction number.\n", id)
	} else {
		fmt.Fprintf(a.env.Stdout, "Completed order %s, transaction %s.\n", id, resp.TransactionNumber)
	}
	fmt.Fprintf(a.env.Stdout, "It spent %s.\n", plan.SpendsText())
	return nil
}

// orderJSON is an order as the scripting commands print it.
// vouchersListed is false when the server did not list the order's vouchers
// and those shown are the journal's record of what was attached.
type orderJSON struct {
	api.Order
	VouchersListed bool `json:"vouchersListed"`
}

// writeOrder prints an order for a person, barcodes masked, its showtimes
// and ticket types by name. fromJournal says the vouchers are the journal's
// record, the server having listed none.
func writeOrder(w io.Writer, o api.Order, names orderNames, fromJournal bool, now time.Time) {
	o = maskedOrder(o)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Order\t%s\n", o.ID)
	fmt.Fprintf(tw, "Status\t%s\n", orNone(o.Status))
	fmt.Fprintf(tw, "Site\t%s\n", orNone(o.SiteID))
	if o.Status != api.OrderCompleted {
		// A completed order does not expire: it is done.
		fmt.Fprintf(tw, "Expires\t%s\n", expiry(o.ExpiresAt.Time, now))
	}
	fmt.Fprintf(tw, "Total\t%s (tax %.2f)\n", money(o.TotalPrice), o.TotalPrice.Tax)
	tw.Flush()

	barcodeOf := map[string]string{}
	for _, v := range o.Vouchers {
		barcodeOf[v.ID] = v.MaskedBarcode
	}
	for _, st := range o.Showtimes {
		fmt.Fprintf(w, "\nShowtime %s: %d ticket(s)\n", names.showtime(st.ShowtimeID), len(st.Tickets))
		if len(st.Seats) > 0 {
			fmt.Fprintf(w, "  Seats: %s\n", seatList(st.Seats))
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  TICKET TYPE\tPRICE\tPAID BY VOUCHER")
		for _, t := range st.Tickets {
			paidBy := "-"
			if t.VoucherID != "" {
				paidBy = orNone(barcodeOf[t.VoucherID])
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", names.ticketType(st.ShowtimeID, t.TicketTypeID), money(t.Price), paidBy)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	writeVouchers(w, o, fromJournal)
}

// seatList names seats as a ticket does: "F12, F13".
func seatList(seats []api.OrderSeat) string {
	names := make([]string, len(seats))
	for i, s := range seats {
		names[i] = s.Name()
	}
	return strings.Join(names, ", ")
}

// writeVouchers prints the order's vouchers as a table, barcodes masked.
func writeVouchers(w io.Writer, o api.Order, fromJournal bool) {
	if fromJournal {
		fmt.Fprintln(w, "The server does not list this order's vouchers; these are the ones the journal records as attached.")
	}
	if len(o.Vouchers) == 0 {
		if fromJournal {
			fmt.Fprintln(w, "The journal records no voucher on this order.")
			return
		}
		fmt.Fprintln(w, "No vouchers on this order.")
		return
	}
	used := ticketsPaidBy(o)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VOUCHER ID\tTYPE\tBARCODE\tCODE\tDESCRIPTION\tTICKETS\tLEFT")
	for _, v := range o.Vouchers {
		v = maskedVoucher(v)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", v.ID, v.Type, v.MaskedBarcode,
			orNone(v.VoucherTypeCode), orNone(v.VoucherTypeDescription), used[v.ID], redemptionsLeft(v))
	}
	tw.Flush()
}

// completionPlan reads the order and applies the counter's rules for
// completing it (pricing.PlanCompletion): a refusal stops the command
// before anything is sent. It says what completing will spend.
func (s *session) completionPlan(ctx context.Context, id string) (pricing.Completion, error) {
	resp, err := s.client.GetOrder(ctx, id)
	if api.KindOf(err) == api.KindNotFound {
		return pricing.Completion{}, &Error{Code: ExitNotFound, What: "order " + id + " was not completed: it does not exist or has expired, and the server has no completion of it, so nothing was redeemed",
			Todo: "start a new order with 'boxoffice order new'", Err: err}
	}
	if err != nil {
		return pricing.Completion{}, s.explain(err)
	}
	vouchers, _, err := s.vouchers(ctx, resp.Order)
	if err != nil {
		return pricing.Completion{}, err
	}
	plan := pricing.PlanCompletion(resp.Order, vouchers)
	switch plan.Refusal {
	case pricing.AlreadyCompleted:
		return plan, &Error{Code: ExitRejected, What: "order " + id + " is already completed, so nothing was sent",
			Todo: "read it with 'boxoffice order show'; a refund is done in Vista"}
	case pricing.StillToPay:
		return plan, &Error{Code: ExitRejected, What: fmt.Sprintf("order %s still has %s to pay (%s), so nothing was sent", id,
			pricing.Money(plan.Due), pricing.Unpaid(resp.Order, s.orderNames(ctx, resp.Order).nameOf)),
			Todo: "only an order paid in full by vouchers is completed here: let vouchers pay for more tickets, or take payment at the till"}
	case pricing.NothingToComplete:
		return plan, &Error{Code: ExitRejected, What: "there is nothing on order " + id + " to complete (no ticket, no voucher), so nothing was sent",
			Todo: "add tickets or vouchers first"}
	}
	if !s.quiet {
		fmt.Fprintf(s.out, "Completing order %s: %s.\n", id, plan.Summary())
	}
	return plan, nil
}

func spendsJSON(spends []pricing.Spend) []map[string]any {
	out := make([]map[string]any, 0, len(spends))
	for _, sp := range spends {
		v := maskedVoucher(sp.Voucher)
		out = append(out, map[string]any{"voucherId": v.ID, "maskedBarcode": v.MaskedBarcode, "type": v.Type, "tickets": sp.Tickets})
	}
	return out
}
