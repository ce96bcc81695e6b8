package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// GetSeatLayout reads the seat layout a showtime uses: its areas, rows and
// seats, and the names of its area categories. Vista loads layouts by the
// showtime's seatLayoutId (GetSeatLayout); the path used here is the one a
// live tenant serves per showtime. A layout changes rarely and may be kept.
func (c *Client) GetSeatLayout(ctx context.Context, showtimeID string) (*SeatLayoutResponse, error) {
	const op = OpGetSeatLayout
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
	var out SeatLayoutResponse
	cl := &call{
		op:     op,
		method: http.MethodGet,
		path:   "/ocapi/v1/showtimes/{showtimeId}/seat-layout",
		params: map[string]string{"showtimeId": showtimeID},
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if len(out.SeatLayout.Areas) == 0 {
		return nil, unreadable(cl, http.StatusOK, errors.New("the answer carried no seat layout"))
	}
	return &out, nil
}

// GetSeatAvailability reads which seats of a showtime are free. A showtime
// without allocated seating is refused with SeatingNotAllocated.
func (c *Client) GetSeatAvailability(ctx context.Context, showtimeID string) (*SeatAvailabilityResponse, error) {
	const op = OpGetSeatAvailability
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
	return c.readAvailability(ctx, op, "/ocapi/v1/showtimes/{showtimeId}/seat-availability", map[string]string{"showtimeId": showtimeID})
}

// GetOrderSeatAvailability reads which seats of a showtime are free for an
// order: Vista's order-scoped reading, which may differ for the order's own
// seats and blocks seats a distancing rule keeps empty.
func (c *Client) GetOrderSeatAvailability(ctx context.Context, orderID, showtimeID string) (*SeatAvailabilityResponse, error) {
	const op = OpGetOrderSeatAvailability
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
	return c.readAvailability(ctx, op, "/ocapi/v1/orders/{orderId}/showtimes/{showtimeId}/seat-availability",
		map[string]string{"orderId": orderID, "showtimeId": showtimeID})
}

func (c *Client) readAvailability(ctx context.Context, op Operation, path string, params map[string]string) (*SeatAvailabilityResponse, error) {
	var out SeatAvailabilityResponse
	if err := c.do(ctx, &call{op: op, method: http.MethodGet, path: path, params: params}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SetShowtimeTickets replaces the tickets of one showtime of an order (an
// empty list removes them all) and keeps the seats the order holds there:
// SetShowtime with KeepSeats.
func (c *Client) SetShowtimeTickets(ctx context.Context, orderID, showtimeID string, tickets []TicketRequest) (*OrderResponse, error) {
	return c.SetShowtime(ctx, orderID, showtimeID, tickets, KeepSeats())
}

// SetShowtime replaces the tickets and seats of one showtime of an order,
// the seats as seats says. A ticket without an id gets a fresh UUID,
// because Vista expects the client to name its tickets; the caller's slice
// is not modified.
//
// With KeepSeats the order is read first and the seats it holds are sent
// back, so that a seat the customer chose never moves when tickets change.
// A read that fails fails the call with nothing sent, and so does a held
// seat whose id could not be read: sending the others would drop it.
func (c *Client) SetShowtime(ctx context.Context, orderID, showtimeID string, tickets []TicketRequest, seats Seats) (*OrderResponse, error) {
	const op = OpSetTickets
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
	sent, err := ticketsToSend(op, tickets)
	if err != nil {
		return nil, err
	}
	body := SetShowtimeTicketsRequest{Tickets: sent}
	switch seats.mode {
	case seatsChosen:
		if body.Seats, err = seatsToSend(op, seats.ids); err != nil {
			return nil, err
		}
	case seatsKeep:
		if len(sent) > 0 {
			if body.Seats, err = c.heldSeats(ctx, orderID, showtimeID); err != nil {
				return nil, err
			}
		}
	}
	var out OrderResponse
	cl := &call{
		op:     op,
		method: http.MethodPut,
		path:   "/ocapi/v1/orders/{orderId}/showtimes/{showtimeId}",
		params: map[string]string{"orderId": orderID, "showtimeId": showtimeID},
		body:   body,
		attrs:  []slog.Attr{slog.Int("tickets", len(sent)), slog.Int("seats", len(body.Seats))},
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, requireOrder(cl, &out)
}

func ticketsToSend(op Operation, tickets []TicketRequest) ([]TicketRequest, error) {
	sent := make([]TicketRequest, len(tickets)) // never null: [] clears the showtime
	for i, t := range tickets {
		if err := checkText(op, "ticket type id", t.TicketTypeID); err != nil {
			return nil, err
		}
		if t.ID == "" {
			id, err := newUUID()
			if err != nil {
				return nil, &Error{Op: op, Kind: KindInvalidInput, Err: err}
			}
			t.ID = id
		}
		sent[i] = t
	}
	return sent, nil
}

func seatsToSend(op Operation, ids []string) ([]string, error) {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids)) // never null: null asks for allocation
	for _, id := range ids {
		if err := checkText(op, "seat id", id); err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, invalidInput(op, fmt.Sprintf("seat %q is chosen twice", id))
		}
		seen[id] = true
		out = append(out, id)
	}
	return out, nil
}

// heldSeats reads the ids of the seats the order holds for the showtime,
// nil when it holds none (or does not have the showtime yet).
func (c *Client) heldSeats(ctx context.Context, orderID, showtimeID string) ([]string, error) {
	resp, err := c.readOrder(ctx, OpSetTickets, "/ocapi/v1/orders/{orderId}", orderID)
	if err != nil {
		if e := AsError(err); e != nil {
			// Only a read was made: whatever it met, nothing was changed.
			e.OutcomeUnknown, e.Applied = false, false
		}
		return nil, err
	}
	for _, st := range resp.Order.Showtimes {
		if st.ShowtimeID != showtimeID {
			continue
		}
		ids := st.SeatIDs()
		if len(ids) != len(st.Seats) {
			return nil, &Error{Op: OpSetTickets, Kind: KindUnreadable, Status: http.StatusOK,
				Err: errors.New("the order holds a seat whose id could not be read, so its tickets were not changed (that would give the seat up)")}
		}
		return ids, nil
	}
	return nil, nil
}
