package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/seating"
)

func (a *app) orderSeatsCommand() *cobra.Command {
	var showtimeID, take, free string
	cmd := &cobra.Command{
		Use:   "seats [ORDER_ID]",
		Short: "Show a showtime's seat map, and take or free the order's seats",
		Long: `Print the seat map of a showtime of the order: each area's rows as the
layout places them, the screen's side, and a symbol for each seat (free,
taken, the order's own, wheelchair spaces, companion seats, sofas, house and
broken seats), with the seats the order holds and how many its tickets need.

--take and --free change the order's seats (names as on a ticket, e.g.
--take F12,F13 --free F10); a sofa is taken and freed whole. The order's
tickets stay as they are, and the seats must then be as many as the tickets
that need them: take them together. Nothing is sent when a seat is taken,
out of use, in an area the tickets may not use, or the count is wrong.`,
		Example: `  boxoffice order seats --showtime 0001-2740
  boxoffice order seats --showtime 0001-2740 --take F12,F13
  boxoffice order seats --free F12 --take F14 --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: a.sessionRun(func(cmd *cobra.Command, s *session, args []string) error {
			ctx := cmd.Context()
			order, showtimeID, err := s.orderShowtime(ctx, args, showtimeID)
			if err != nil {
				return err
			}
			v, err := s.seatsOf(ctx, order, showtimeID)
			if err != nil {
				return err
			}
			if v.plan == nil && (take != "" || free != "") {
				return notAllocated(showtimeID)
			}
			if take != "" || free != "" {
				if err := s.changeSeats(cmd, v, order.ID, splitList(take), splitList(free)); err != nil {
					return err
				}
				if order, err = s.order(ctx, order.ID); err != nil {
					return err
				}
				if v, err = s.seatsOf(ctx, order, showtimeID); err != nil {
					return err
				}
			}
			if a.jsonOutput {
				return a.printJSON(seatMapJSON(order.ID, v))
			}
			writeSeatMap(a.env.Stdout, v)
			return nil
		}),
	}
	cmd.Flags().StringVar(&showtimeID, "showtime", "", "`id` of the order's showtime (default: its only one)")
	cmd.Flags().StringVar(&take, "take", "", "take these `seats` (F12,F13)")
	cmd.Flags().StringVar(&free, "free", "", "free these `seats` of the order (F10)")
	a.addSettingsFlags(cmd, cmd.Flags(), settingsOf(serverSettings, []string{"order"})...)
	return cmd
}

// changeSeats frees and takes seats, checks the result against the
// tickets, and sends it with the showtime's tickets as they are.
func (s *session) changeSeats(cmd *cobra.Command, v *seatView, orderID string, take, free []string) error {
	if len(v.held.Tickets) == 0 {
		return &Error{Code: ExitRejected, What: "the order has no tickets on showtime " + v.held.ShowtimeID + " to seat",
			Todo: "set them first with 'boxoffice order tickets'; nothing was sent"}
	}
	p := v.plan
	chosen := p.Held()
	for _, name := range free {
		seat, err := p.Lookup(name)
		if err != nil {
			return seatUsage(err)
		}
		if !slices.Contains(chosen, seat) {
			return &Error{Code: ExitUsage, What: p.Seats[seat].Name() + " is not a seat of this order", Todo: "free only the order's seats; nothing was sent"}
		}
		chosen, _ = p.Toggle(chosen, seat)
	}
	for _, name := range take {
		seat, err := p.Lookup(name)
		if err != nil {
			return seatUsage(err)
		}
		if slices.Contains(chosen, seat) {
			continue
		}
		if chosen, err = p.Toggle(chosen, seat); err != nil {
			return seatRefused(err)
		}
	}
	if err := p.Check(chosen, v.need()); err != nil {
		return seatRefused(err)
	}
	tickets := make([]api.TicketRequest, len(v.held.Tickets))
	for i, t := range v.held.Tickets {
		tickets[i] = api.TicketRequest{ID: t.ID, TicketTypeID: t.TicketTypeID, VoucherID: t.VoucherID}
	}
	if _, err := s.client.SetShowtime(cmd.Context(), orderID, v.held.ShowtimeID, tickets, api.ChooseSeats(p.IDs(chosen)...)); err != nil {
		return s.explain(err)
	}
	return nil
}

// rowCells is a grid row of an area as one rune per column.
func rowCells(p *seating.Plan, area, row int) string {
	a := p.Areas[area]
	cells := make([]rune, a.Columns)
	for c := range cells {
		cells[c] = p.MarkAt(area, row, c).Rune()
	}
	return string(cells)
}

// rowNumbers says how a grid row's seats are numbered, from its leftmost
// seat to its rightmost ("24..1"), "" for a row without seats.
func rowNumbers(p *seating.Plan, area, row int) string {
	a := &p.Areas[area]
	first, last := -1, -1
	for c := range a.Columns {
		if s, ok := a.SeatAt(row, c); ok {
			if first < 0 {
				first = s
			}
			last = s
		}
	}
	if first < 0 {
		return ""
	}
	return p.Seats[first].Label + ".." + p.Seats[last].Label
}

// writeSeatMap prints the map for a person: the screen on its side, each
// area's rows with their labels and numbering, a legend, and the order's seats.
func writeSeatMap(w io.Writer, v *seatView) {
	st := v.showtime
	fmt.Fprintf(w, "Showtime %s: %s, %s\n", st.Showtime.ID, orNone(st.RelatedData.FilmTitle(st.Showtime.FilmID)), orNone(st.RelatedData.ScreenName(st.Showtime.ScreenID)))
	if v.plan == nil {
		fmt.Fprintln(w, "No allocated seating: the tickets need no seats.")
		return
	}
	p := v.plan
	width := 0
	for _, a := range p.Areas {
		width = max(width, 2*a.Columns)
	}
	screen := strings.Repeat(" ", 5) + centre("SCREEN", width)
	if p.Front == seating.Top {
		fmt.Fprintln(w, "\n"+screen)
	}
	for ai, a := range p.Areas {
		fmt.Fprintf(w, "\n%s (%s)\n", orNone(a.Name), orNone(a.Category))
		for r := range a.Rows {
			cells := strings.Join(strings.Split(rowCells(p, ai, r), ""), " ")
			label := a.RowLabels[r]
			fmt.Fprintf(w, "  %-3s%-*s %-3s%s\n", label, width, cells, label, numbered(rowNumbers(p, ai, r)))
		}
	}
	if p.Front == seating.Bottom {
		fmt.Fprintln(w, "\n"+screen)
	}
	fmt.Fprintln(w)
	line := ""
	for _, m := range seating.Legend {
		if m == seating.MarkChosen {
			continue
		}
		item := string(m.Rune()) + " " + m.Meaning()
		if line != "" && len(line)+3+len(item) > 78 {
			fmt.Fprintln(w, line)
			line = ""
		}
		if line != "" {
			line += "   "
		}
		line += item
	}
	fmt.Fprintln(w, line)
	fmt.Fprintf(w, "\nThis order's seats: %s (its tickets need %d)\n", orNone(seatList(v.held.Seats)), v.need().Total)
}

func numbered(r string) string {
	if r == "" {
		return ""
	}
	return "  (" + r + ")"
}

func centre(s string, width int) string {
	pad := max(width-len(s), 0)
	return strings.Repeat(" ", pad/2) + s
}

type seatRowJSON struct {
	Label string `json:"label"`
	// Cells has one symbol per column of the area's grid (see legend).
	Cells string `json:"cells"`
}

type seatAreaJSON struct {
	Number         int           `json:"number"`
	Name           string        `json:"name"`
	AreaCategoryID string        `json:"areaCategoryId"`
	Category       string        `json:"category"`
	Rows           []seatRowJSON `json:"rows"`
}

type heldSeatJSON struct {
	SeatID string `json:"seatId"`
	Name   string `json:"name"`
}

// seatMapJSON is the map for scripts.
func seatMapJSON(orderID string, v *seatView) map[string]any {
	out := map[string]any{"orderId": orderID, "showtimeId": v.showtime.Showtime.ID, "allocated": v.plan != nil}
	if v.plan == nil {
		return out
	}
	p := v.plan
	held := []heldSeatJSON{}
	for _, s := range p.Held() {
		held = append(held, heldSeatJSON{p.Seats[s].ID, p.Seats[s].Name()})
	}
	areas := make([]seatAreaJSON, len(p.Areas))
	for ai, a := range p.Areas {
		areas[ai] = seatAreaJSON{Number: a.Number, Name: a.Name, AreaCategoryID: a.CategoryID, Category: a.Category, Rows: []seatRowJSON{}}
		for r := range a.Rows {
			areas[ai].Rows = append(areas[ai].Rows, seatRowJSON{a.RowLabels[r], rowCells(p, ai, r)})
		}
	}
	legend := map[string]string{}
	for _, m := range seating.Legend {
		legend[string(m.Rune())] = m.Meaning()
	}
	front := "top"
	if p.Front == seating.Bottom {
		front = "bottom"
	}
	out["seatLayoutId"], out["screen"], out["areas"], out["legend"] = p.LayoutID, front, areas, legend
	out["seats"], out["seatsNeeded"] = held, v.need().Total
	return out
}
