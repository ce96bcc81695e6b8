package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
)

func (a *app) orderCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "order",
		Short: "Show, start or cancel an order (for scripts)",
		Long: `Show, start or cancel an order on the server given by --api-url.
Output is for people unless --json is given.

` + exitCodeHelp(),
		Example: `  boxoffice --api-url http://127.0.0.1:8080 order new --json
  boxoffice --api-url http://127.0.0.1:8080 order show 3f9c2a7be1d84c6f9a0b5e2d7c1f4a86
  BOXOFFICE_ORDER=3f9c2a7be1d84c6f9a0b5e2d7c1f4a86 boxoffice order cancel`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().BoolVar(&a.jsonOutput, "json", false, "print JSON for scripts")

	cmd.AddCommand(&cobra.Command{
		Use:   "show [ORDER_ID]",
		Short: "Show an order: tickets, vouchers and what is left to pay",
		Args:  cobra.MaximumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			id, err := s.orderID(args)
			if err != nil {
				return err
			}
			order, err := s.order(cmd.Context(), id)
			if err != nil {
				return err
			}
			if a.jsonOutput {
				return a.printJSON(maskedOrder(order))
			}
			writeOrder(a.env.Stdout, order, time.Now())
			return nil
		}),
	})

	cmd.AddCommand(&cobra.Command{
		Use:   "new",
		Short: "Start a new order at the site given by --site",
		Args:  cobra.NoArgs,
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, _ []string) error {
			resp, err := s.client.CreateOrder(cmd.Context(), s.cfg.Site, api.BookingPaid)
			if err != nil {
				return s.explain(err)
			}
			if a.jsonOutput {
				return a.printJSON(maskedOrder(resp.Order))
			}
			fmt.Fprintf(a.env.Stdout, "Started order %s.\n\n", resp.Order.ID)
			writeOrder(a.env.Stdout, resp.Order, time.Now())
			return nil
		}),
	})

	cmd.AddCommand(&cobra.Command{
		Use:   "cancel [ORDER_ID]",
		Short: "Cancel an order, releasing it and its vouchers",
		Args:  cobra.MaximumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			id, err := s.orderID(args)
			if err != nil {
				return err
			}
			if err := s.client.CancelOrder(cmd.Context(), id); err != nil {
				return s.explain(err)
			}
			if a.jsonOutput {
				return a.printJSON(map[string]any{"orderId": id, "cancelled": true})
			}
			fmt.Fprintf(a.env.Stdout, "Cancelled order %s.\n", id)
			return nil
		}),
	})
	return cmd
}

// writeOrder prints an order for a person, barcodes masked.
func writeOrder(w io.Writer, o api.Order, now time.Time) {
	o = maskedOrder(o)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Order\t%s\n", o.ID)
	fmt.Fprintf(tw, "Status\t%s\n", orNone(o.Status))
	fmt.Fprintf(tw, "Site\t%s\n", orNone(o.SiteID))
	fmt.Fprintf(tw, "Expires\t%s\n", expiry(o.ExpiresAt.Time, now))
	fmt.Fprintf(tw, "Total\t%s (tax %.2f)\n", money(o.TotalPrice), o.TotalPrice.Tax)
	tw.Flush()

	barcodeOf := map[string]string{}
	for _, v := range o.Vouchers {
		barcodeOf[v.ID] = v.MaskedBarcode
	}
	for _, st := range o.Showtimes {
		fmt.Fprintf(w, "\nShowtime %s: %d ticket(s)\n", st.ShowtimeID, len(st.Tickets))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  TICKET TYPE\tPRICE\tPAID BY VOUCHER")
		for _, t := range st.Tickets {
			paidBy := "-"
			if t.VoucherID != "" {
				paidBy = orNone(barcodeOf[t.VoucherID])
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", t.TicketTypeID, money(t.Price), paidBy)
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
	writeVouchers(w, o)
}

// writeVouchers prints the order's vouchers as a table, barcodes masked.
func writeVouchers(w io.Writer, o api.Order) {
	if len(o.Vouchers) == 0 {
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
