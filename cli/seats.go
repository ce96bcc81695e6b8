package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
)

func (a *app) orderTicketsCommand() *cobra.Command {
	var showtimeID, seatList string
	cmd := &cobra.Command{
		Use:   "tickets TICKET_TYPE[:VOUCHER_ID]...",
		Short: "Set the tickets of one of the order's showtimes, keeping its seats",
		Long: `Set the tickets of a showtime of the order given by --order: each argument
is one ticket, its ticket type id, and after a colon the id of the order's
voucher that pays for it (see 'boxoffice voucher list'). The tickets replace
the showtime's tickets; a showtime not yet on the order is added.

The seats the order holds for the showtime stay where they are. --seats puts
the tickets on these seats instead (names as on a ticket, e.g. F12,F13).
Where the showtime allocates seats itself it does so for tickets without
seats; where it does not, or its allocation fails, the tickets go on without
seats and boxoffice says so: choose them with 'boxoffice order seats'.`,
		Example: `  boxoffice order tickets --showtime 0001-2740 0001-0050 0001-0050
  boxoffice order tickets --showtime 0001-2740 0001-0050 0001-0077:5a4f0c2e9b7d41e3a8c6f1d2b3e4a5c6
  boxoffice order tickets --showtime 0001-2740 --seats F12,F13 0001-0050 0001-0050`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			tickets, err := ticketArgs(args)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			order, showtimeID, err := s.orderShowtime(ctx, nil, showtimeID)
			if err != nil {
				return err
			}
			seats := api.KeepSeats()
			if seatList != "" {
				if seats, err = s.chooseForTickets(ctx, order, showtimeID, tickets, seatList); err != nil {
					return err
				}
			}
			resp, err := s.client.SetShowtime(ctx, order.ID, showtimeID, tickets, seats)
			if err != nil {
				return s.explain(err)
			}
			a.warnUnseated(ctx, s, resp.Order, showtimeID)
			if a.jsonOutput {
				return a.printJSON(orderJSON{maskedOrder(resp.Order), resp.Order.VouchersListed})
			}
			writeOrder(a.env.Stdout, resp.Order, s.orderNames(ctx, resp.Order), false, time.Now())
			return nil
		}),
	}
	cmd.Flags().StringVar(&showtimeID, "showtime", "", "`id` of the showtime (default: the order's only one)")
	cmd.Flags().StringVar(&seatList, "seats", "", "put the tickets on these `seats` (F12,F13) instead of the ones the order holds")
	a.addSettingsFlags(cmd, cmd.Flags(), settingsOf(serverSettings, []string{"order"})...)
	return cmd
}

// ticketArgs reads TICKET_TYPE[:VOUCHER_ID] arguments.
func ticketArgs(args []string) ([]api.TicketRequest, error) {
	out := make([]api.TicketRequest, 0, len(args))
	for _, arg := range args {
		typeID, voucherID, _ := strings.Cut(strings.TrimSpace(arg), ":")
		if typeID == "" || strings.Contains(voucherID, ":") {
			return nil, &Error{Code: ExitUsage, What: fmt.Sprintf("%q is not a ticket", arg),
				Todo: "give each ticket as TICKET_TYPE or TICKET_TYPE:VOUCHER_ID, e.g. 0001-0050 or 0001-0077:" + "5a4f0c2e9b7d41e3a8c6f1d2b3e4a5c6"}
		}
		out = append(out, api.TicketRequest{TicketTypeID: typeID, VoucherID: voucherID})
	}
	return out, nil
}

// orderShowtime reads the order a command works on (its argument, else
// --order) and picks the showtime: the one asked for, else the order's only one.
func (s *session) orderShowtime(ctx context.Context, args []string, showtimeID string) (api.Order, string, error) {
	orderID, err := s.orderID(args)
	if err != nil {
		return api.Order{}, "", err
	}
	order, err := s.order(ctx, orderID)
	if err != nil {
		return api.Order{}, "", err
	}
	if showtimeID == "" {
		showtimeID, err = onlyShowtime(order)
	}
	return order, showtimeID, err
}

// onlyShowtime is the order's showtime when it has exactly one.
func onlyShowtime(o api.Order) (string, error) {
	switch len(o.Showtimes) {
	case 1:
		return o.Showtimes[0].ShowtimeID, nil
	case 0:
		return "", &Error{Code: ExitUsage, What: fmt.Sprintf("order %s has no showtime yet", o.ID), Todo: "say which with --showtime"}
	}
	ids := make([]string, len(o.Showtimes))
	for i, st := range o.Showtimes {
		ids[i] = st.ShowtimeID
	}
	return "", &Error{Code: ExitUsage, What: fmt.Sprintf("order %s has %d showtimes", o.ID, len(ids)),
		Todo: "say which with --showtime (" + strings.Join(ids, ", ") + ")"}
}

// seatView is a showtime's seats as an order sees them.
type seatView struct {
	showtime *api.ShowtimeResponse
	plan     *seating.Plan // nil without allocated seating
	areas    seating.TicketAreas
	held     api.OrderShowtime
}

// seatsOf reads what the seat commands need of a showtime: the showtime,
// and where it allocates seats its layout, the order's reading of its
// availability and its ticket types' area categories.
func (s *session) seatsOf(ctx context.Context, o api.Order, showtimeID string) (*seatView, error) {
	st, err := s.client.GetShowtime(ctx, showtimeID)
	if err != nil {
		return nil, s.explain(err)
	}
	v := &seatView{showtime: st, held: api.OrderShowtime{ShowtimeID: showtimeID}}
	for _, ost := range o.Showtimes {
		if ost.ShowtimeID == showtimeID {
			v.held = ost
		}
	}
	if !st.Showtime.IsAllocatedSeating {
		return v, nil
	}
	layout, err := s.client.GetSeatLayout(ctx, showtimeID)
	if err != nil {
		return nil, s.explain(err)
	}
	avail, err := s.client.GetOrderSeatAvailability(ctx, o.ID, showtimeID)
	if err != nil {
		return nil, s.explain(err)
	}
	prices, err := s.client.GetTicketPrices(ctx, showtimeID)
	if err != nil {
		return nil, s.explain(err)
	}
	if v.plan, err = seating.NewPlan(layout, avail, v.held.Seats); err != nil {
		return nil, &Error{Code: ExitUnavailable, What: "the seat layout of showtime " + showtimeID + " cannot be used: " + err.Error(), Err: err}
	}
	v.areas = seating.TicketAreasOf(prices)
	return v, nil
}

func (v *seatView) need() seating.Need {
	return seating.SeatsNeededFor(v.showtime.Showtime, v.held, v.areas)
}

// chooseForTickets checks seats named for tickets about to be set.
func (s *session) chooseForTickets(ctx context.Context, o api.Order, showtimeID string, tickets []api.TicketRequest, names string) (api.Seats, error) {
	v, err := s.seatsOf(ctx, o, showtimeID)
	if err != nil {
		return api.Seats{}, err
	}
	if v.plan == nil {
		return api.Seats{}, notAllocated(showtimeID)
	}
	var chosen []int
	for _, name := range splitList(names) {
		seat, err := v.plan.Lookup(name)
		if err != nil {
			return api.Seats{}, seatUsage(err)
		}
		if slices.Contains(chosen, seat) {
			continue // named with its sofa
		}
		if chosen, err = v.plan.Toggle(chosen, seat); err != nil {
			return api.Seats{}, seatRefused(err)
		}
	}
	types := make([]string, len(tickets))
	for i, t := range tickets {
		types[i] = t.TicketTypeID
	}
	if err := v.plan.Check(chosen, seating.SeatsNeeded(v.showtime.Showtime, types, v.areas)); err != nil {
		return api.Seats{}, seatRefused(err)
	}
	return api.ChooseSeats(v.plan.IDs(chosen)...), nil
}

// warnUnseated says on standard error when tickets of a showtime with
// allocated seating are left without seats. A failure to find out is not
// the command's failure: the tickets were set.
func (a *app) warnUnseated(ctx context.Context, s *session, o api.Order, showtimeID string) {
	v, err := s.seatsOf(ctx, o, showtimeID)
	if err != nil || v.plan == nil {
		return
	}
	need := v.need().Total
	if held := len(v.held.Seats); held < need {
		fmt.Fprintf(a.env.Stderr, "boxoffice: %s of showtime %s have no seat: the server allocated none. Choose them with 'boxoffice order seats --showtime %s --take ...' before completing the order.\n",
			plural(need-held, "ticket"), showtimeID, showtimeID)
	}
}

func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func notAllocated(showtimeID string) error {
	return &Error{Code: ExitRejected, What: "showtime " + showtimeID + " has no allocated seating: its tickets need no seats",
		Todo: "set its tickets without seats; nothing was sent"}
}

func seatUsage(err error) error {
	return &Error{Code: ExitUsage, What: err.Error(), Todo: "name seats as on a ticket, e.g. F12; 'boxoffice order seats' shows the map; nothing was sent", Err: err}
}

func seatRefused(err error) error {
	todo := "'boxoffice order seats' shows the map and the seats the order holds; nothing was sent"
	var p *seating.Problem
	if errors.As(err, &p) && p.Kind == seating.CountMismatch {
		todo = "take or free seats in one command until they are as many as the tickets (--take F12,F13); nothing was sent"
	}
	return &Error{Code: ExitRejected, What: err.Error(), Todo: todo, Err: err}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
