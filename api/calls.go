package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// CreateOrder starts an in-progress standard order at a site.
func (c *Client) CreateOrder(ctx context.Context, siteID string, mode BookingMode) (*OrderResponse, error) {
	const op = "create order"
	if err := checkText(op, "site id", siteID); err != nil {
		return nil, err
	}
	if err := checkText(op, "booking mode", string(mode)); err != nil {
		return nil, err
	}
	var out OrderResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodPost,
		path:   "/ocapi/v1/orders/standard/booking",
		body:   CreateOrderRequest{SiteID: siteID, BookingMode: mode},
		attrs:  []slog.Attr{slog.String("site", siteID)},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, requireOrder(op, &out)
}

// GetOrder reads an order. An unknown or expired order is KindNotFound.
func (c *Client) GetOrder(ctx context.Context, orderID string) (*OrderResponse, error) {
	const op = "get order"
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	var out OrderResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodGet,
		path:   "/ocapi/v1/orders/{orderId}",
		params: map[string]string{"orderId": orderID},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, requireOrder(op, &out)
}

// CancelOrder releases an in-progress order.
func (c *Client) CancelOrder(ctx context.Context, orderID string) error {
	const op = "cancel order"
	if err := checkID(op, "order id", orderID); err != nil {
		return err
	}
	return c.do(ctx, &call{
		op:     op,
		method: http.MethodDelete,
		path:   "/ocapi/v1/orders/{orderId}",
		params: map[string]string{"orderId": orderID},
	}, nil)
}

// AddVoucher sends a voucher's credentials once; the server validates them
// and stores the voucher against the order. It is never repeated on its own:
// see AttachVoucher for the safe way to retry.
//
// The type may be given in any case and is sent in Vista's PascalCase;
// ShowtimeID is sent for Ticket vouchers only and an empty PIN is sent as null.
// AvailableRedemptions is -1 when the server did not say.
func (c *Client) AddVoucher(ctx context.Context, orderID string, req AddVoucherRequest) (*AddVoucherResponse, error) {
	const op = "add voucher"
	req, err := prepareAddVoucher(op, orderID, req)
	if err != nil {
		return nil, err
	}
	var out struct {
		Voucher              OrderVoucher `json:"voucher"`
		AvailableRedemptions *int         `json:"availableRedemptions"`
	}
	err = c.do(ctx, &call{
		op:      op,
		method:  http.MethodPost,
		path:    "/ocapi/v1/orders/{orderId}/vouchers",
		params:  map[string]string{"orderId": orderID},
		body:    req,
		secrets: voucherSecrets(req.Credentials),
		attrs: []slog.Attr{
			slog.String("barcode", MaskBarcode(req.Credentials.Barcode)),
			slog.String("voucher_type", string(req.Type)),
		},
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Voucher.ID == "" {
		return nil, &Error{Op: op, Kind: KindServer, Status: http.StatusOK,
			Err: errors.New("the server accepted the voucher but sent no voucher id")}
	}
	res := &AddVoucherResponse{Voucher: out.Voucher, AvailableRedemptions: -1}
	if out.AvailableRedemptions != nil {
		res.AvailableRedemptions = *out.AvailableRedemptions
	}
	return res, nil
}

// prepareAddVoucher checks what can be checked without the server and puts
// the request in the shape Vista documents.
func prepareAddVoucher(op, orderID string, req AddVoucherRequest) (AddVoucherRequest, error) {
	if err := checkID(op, "order id", orderID); err != nil {
		return req, err
	}
	if strings.TrimSpace(req.Credentials.Barcode) == "" {
		return req, invalidInput(op, "the barcode is empty")
	}
	if strings.ContainsFunc(req.Credentials.Barcode, isControl) {
		return req, invalidInput(op, "the barcode contains control characters")
	}
	t, err := ParseVoucherType(string(req.Type))
	if err != nil {
		return req, &Error{Op: op, Kind: KindInvalidInput, Err: err}
	}
	req.Type = t
	if t != VoucherTicket {
		req.ShowtimeID = ""
	}
	if req.Credentials.Pin != nil && *req.Credentials.Pin == "" {
		req.Credentials.Pin = nil
	}
	return req, nil
}

func voucherSecrets(cr VoucherCredentials) []secret {
	s := []secret{{value: cr.Barcode, mask: MaskBarcode(cr.Barcode)}}
	// Short PINs would mask ordinary digits in a message; a PIN of four or
	// more characters is worth the occasional over-masked number.
	if cr.Pin != nil && len(*cr.Pin) >= 4 {
		s = append(s, secret{value: *cr.Pin, mask: strings.Repeat("*", len(*cr.Pin))})
	}
	return s
}

// RemoveVoucher takes a voucher off an order. A non-Deal voucher still used by
// a ticket is refused (KindRejected): set the showtime's tickets without it first.
func (c *Client) RemoveVoucher(ctx context.Context, orderID, voucherID string) error {
	const op = "remove voucher"
	if err := checkID(op, "order id", orderID); err != nil {
		return err
	}
	if err := checkID(op, "voucher id", voucherID); err != nil {
		return err
	}
	return c.do(ctx, &call{
		op:     op,
		method: http.MethodDelete,
		path:   "/ocapi/v1/orders/{orderId}/vouchers/{voucherId}",
		params: map[string]string{"orderId": orderID, "voucherId": voucherID},
	}, nil)
}

// GetShowtime reads one showtime with the names of its film, screen and site.
func (c *Client) GetShowtime(ctx context.Context, showtimeID string) (*ShowtimeResponse, error) {
	const op = "get showtime"
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
	var out ShowtimeResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodGet,
		path:   "/ocapi/v1/showtimes/{showtimeId}",
		params: map[string]string{"showtimeId": showtimeID},
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Showtime.ID == "" {
		return nil, &Error{Op: op, Kind: KindServer, Status: http.StatusOK, Err: errors.New("the answer carried no showtime")}
	}
	return &out, nil
}

// ShowtimesByBusinessDate lists the showtimes of a business date
// (yyyy-mm-dd), optionally only at some sites. Each site id is sent as its
// own siteIds parameter, the way ASP.NET binds a list.
func (c *Client) ShowtimesByBusinessDate(ctx context.Context, businessDate string, siteIDs ...string) (*ShowtimesResponse, error) {
	const op = "list showtimes"
	if _, err := time.Parse(time.DateOnly, businessDate); err != nil {
		return nil, invalidInput(op, fmt.Sprintf("business date %q is not yyyy-mm-dd", businessDate))
	}
	var query url.Values
	for _, id := range siteIDs {
		if err := checkText(op, "site id", id); err != nil {
			return nil, err
		}
		if query == nil {
			query = url.Values{}
		}
		query.Add("siteIds", id)
	}
	var out ShowtimesResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodGet,
		path:   "/ocapi/v1/showtimes/by-business-date/{businessDate}",
		params: map[string]string{"businessDate": businessDate},
		query:  query,
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetTicketPrices lists the ticket types on sale for a showtime; those
// payable with vouchers name the voucher type codes they accept.
func (c *Client) GetTicketPrices(ctx context.Context, showtimeID string) (*TicketPricesResponse, error) {
	const op = "get ticket prices"
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
	var out TicketPricesResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodGet,
		path:   "/ocapi/v1/showtimes/{showtimeId}/ticket-prices",
		params: map[string]string{"showtimeId": showtimeID},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SetShowtimeTickets replaces the tickets of one showtime of an order (an
// empty list removes them all). A ticket without an id gets a fresh UUID,
// because Vista expects the client to name its tickets; the caller's slice is
// not modified.
func (c *Client) SetShowtimeTickets(ctx context.Context, orderID, showtimeID string, tickets []TicketRequest) (*OrderResponse, error) {
	const op = "set tickets"
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	if err := checkID(op, "showtime id", showtimeID); err != nil {
		return nil, err
	}
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
	var out OrderResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodPut,
		path:   "/ocapi/v1/orders/{orderId}/showtimes/{showtimeId}",
		params: map[string]string{"orderId": orderID, "showtimeId": showtimeID},
		body:   SetShowtimeTicketsRequest{Tickets: sent},
		attrs:  []slog.Attr{slog.Int("tickets", len(sent))},
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, requireOrder(op, &out)
}

// CompleteOrder completes an order that has nothing left to pay.
func (c *Client) CompleteOrder(ctx context.Context, orderID string) (*CompletionResponse, error) {
	const op = "complete order"
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	var out CompletionResponse
	err := c.do(ctx, &call{
		op:     op,
		method: http.MethodPost,
		path:   "/ocapi/v1/orders/{orderId}/completion",
		params: map[string]string{"orderId": orderID},
		// An empty object rather than no body: Vista's completion takes a
		// JSON body (customer, payments) and we have nothing to add to it.
		body: json.RawMessage(`{}`),
	}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func requireOrder(op string, r *OrderResponse) error {
	if r.Order.ID == "" {
		return &Error{Op: op, Kind: KindServer, Status: http.StatusOK, Err: errors.New("the answer carried no order")}
	}
	return nil
}

func invalidInput(op, msg string) *Error {
	return &Error{Op: op, Kind: KindInvalidInput, Err: errors.New(msg)}
}

// checkID refuses ids that are empty or could change the meaning of a path
// even after escaping: "." and ".." are resolved by many servers and proxies,
// and some decode %2F back to "/" before routing. Real OCAPI ids are hex or
// "0001-2681"-like and never contain such characters or spaces.
func checkID(op, what, id string) error {
	switch {
	case id == "":
		return invalidInput(op, what+" is empty")
	case id == "." || id == "..":
		return invalidInput(op, fmt.Sprintf("%s %q is not a valid id", what, id))
	case strings.ContainsAny(id, `/\`) || strings.ContainsFunc(id, func(r rune) bool { return isControl(r) || unicode.IsSpace(r) }):
		return invalidInput(op, fmt.Sprintf("%s %q contains characters an id cannot have", what, id))
	}
	return nil
}

// checkText refuses empty or control-character values that travel in a body
// or query string, where escaping already keeps them harmless.
func checkText(op, what, v string) error {
	if strings.TrimSpace(v) == "" {
		return invalidInput(op, what+" is empty")
	}
	if strings.ContainsFunc(v, isControl) {
		return invalidInput(op, what+" contains control characters")
	}
	return nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}
