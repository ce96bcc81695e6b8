package api

import (
	"context"
	"crypto/rand"
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
	const op = OpCreateOrder
	if err := checkText(op, "site id", siteID); err != nil {
		return nil, err
	}
	switch mode {
	case BookingPaid, BookingUnpaid, BookingUnpaidConfirmed:
	default:
		// Vista documents these three; anything else is refused unsent.
		return nil, invalidInput(op, fmt.Sprintf("booking mode %q is not Paid, Unpaid or UnpaidConfirmed", mode))
	}
	var out OrderResponse
	cl := &call{
		op:     op,
		method: http.MethodPost,
		path:   "/ocapi/v1/orders/standard/booking",
		body:   CreateOrderRequest{SiteID: siteID, BookingMode: mode},
		attrs:  []slog.Attr{slog.String("site", siteID)},
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return &out, requireOrder(cl, &out)
}

// GetOrder reads an order. An in-progress order is read at its own path; one
// that answers 404 there is looked for among completed orders, which Vista
// keeps at /ocapi/v1/orders/completed/{orderId}, so that a completed order is
// never mistaken for an expired one. Only when neither knows the order is the
// answer KindNotFound.
func (c *Client) GetOrder(ctx context.Context, orderID string) (*OrderResponse, error) {
	resp, err := c.readOrder(ctx, OpGetOrder, "/ocapi/v1/orders/{orderId}", orderID)
	if KindOf(err) == KindNotFound {
		completed, cerr := c.GetCompletedOrder(ctx, orderID)
		if cerr == nil {
			return completed, nil
		}
		if KindOf(cerr) != KindNotFound {
			return nil, cerr
		}
	}
	return resp, err
}

// GetCompletedOrder reads a completed order at Vista's path for them. Its
// Status is OrderCompleted whatever the answer says, since only completed
// orders are kept there; an unknown order is KindNotFound.
func (c *Client) GetCompletedOrder(ctx context.Context, orderID string) (*OrderResponse, error) {
	resp, err := c.readOrder(ctx, OpGetCompletedOrder, "/ocapi/v1/orders/completed/{orderId}", orderID)
	if err != nil {
		return nil, err
	}
	resp.Order.Status = OrderCompleted
	return resp, nil
}

// readOrder is one read of an order at path.
func (c *Client) readOrder(ctx context.Context, op Operation, path, orderID string) (*OrderResponse, error) {
	if err := checkID(op, "order id", orderID); err != nil {
		return nil, err
	}
	var out OrderResponse
	cl := &call{op: op, method: http.MethodGet, path: path, params: map[string]string{"orderId": orderID}}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if err := requireOrder(cl, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelOrder releases an in-progress order.
func (c *Client) CancelOrder(ctx context.Context, orderID string) error {
	const op = OpCancelOrder
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
	const op = OpAddVoucher
	req, err := prepareAddVoucher(op, orderID, req)
	if err != nil {
		return nil, err
	}
	var out struct {
		Voucher              OrderVoucher `json:"voucher"`
		AvailableRedemptions *int         `json:"availableRedemptions"`
	}
	cl := &call{
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
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Voucher.ID == "" {
		return nil, unreadable(cl, http.StatusOK, errors.New("the server accepted the voucher but sent no voucher id"))
	}
	if !answerFits(out.Voucher, req) {
		// Something was accepted, but the answer is about another voucher
		// (a server or gateway that mixed up its answers): what became of
		// the barcode sent is not known.
		e := unreadable(cl, http.StatusOK, ErrOtherVoucher)
		e.Message = fmt.Sprintf("the server answered success with voucher %s (%s), not the %s voucher %s that was sent",
			MaskBarcode(out.Voucher.MaskedBarcode), orDash(string(out.Voucher.Type)), req.Type, MaskBarcode(req.Credentials.Barcode))
		return nil, e
	}
	res := &AddVoucherResponse{Voucher: out.Voucher, AvailableRedemptions: -1}
	if out.AvailableRedemptions != nil {
		res.AvailableRedemptions = *out.AvailableRedemptions
	}
	return res, nil
}

// ErrOtherVoucher is in the chain of an add answered with success about
// another voucher than the one sent: its masked barcode does not fit the
// barcode, or its type is another. The outcome is unknown, never an add.
var ErrOtherVoucher = errors.New("the server's answer names another voucher than the one sent")

// answerFits reports whether the voucher an add was answered with can be
// the one sent: a masked barcode that fits the barcode (an answer without
// one cannot say otherwise) and, when it says one, the same type.
func answerFits(v OrderVoucher, req AddVoucherRequest) bool {
	if v.MaskedBarcode != "" && maskContradicts(v.MaskedBarcode, req.Credentials.Barcode) {
		return false
	}
	return v.Type == "" || strings.EqualFold(string(v.Type), string(req.Type))
}

// maskContradicts reports whether the characters a masked barcode shows
// cannot be the barcode's. Tenants mask differently (another mask
// character, another length), so a mask of another length is read by what
// it shows at either end: what it shows before its first mask character
// must begin the barcode, and what it shows after its last must end it.
func maskContradicts(masked, barcode string) bool {
	if maskedMatches(masked, barcode) {
		return false
	}
	m, b := []rune(masked), []rune(barcode)
	first, last := -1, -1
	for i, r := range m {
		if isMaskRune(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return !strings.EqualFold(masked, barcode)
	}
	head, tail := m[:first], m[last+1:]
	if len(head)+len(tail) > len(b) {
		return true
	}
	return !strings.EqualFold(string(head), string(b[:len(head)])) ||
		!strings.EqualFold(string(tail), string(b[len(b)-len(tail):]))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// prepareAddVoucher checks what can be checked without the server and puts
// the request in the shape Vista documents.
func prepareAddVoucher(op Operation, orderID string, req AddVoucherRequest) (AddVoucherRequest, error) {
	if err := checkID(op, "order id", orderID); err != nil {
		return req, err
	}
	barcode, err := ValidateBarcode(req.Credentials.Barcode)
	if err != nil {
		return req, &Error{Op: op, Kind: KindInvalidInput, Err: err}
	}
	req.Credentials.Barcode = barcode
	if req.Credentials.Pin != nil {
		if err := ValidatePin(*req.Credentials.Pin); err != nil {
			return req, &Error{Op: op, Kind: KindInvalidInput, Err: err}
		}
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
	// A PIN of four or more characters is masked wherever it appears, worth
	// the occasional over-masked number; a shorter one where it stands
	// alone, which is how a server would echo it.
	if cr.Pin != nil && *cr.Pin != "" {
		s = append(s, secret{value: *cr.Pin, mask: strings.Repeat("*", len(*cr.Pin)), word: len(*cr.Pin) < 4})
	}
	return s
}

// RemoveVoucher takes a voucher off an order. A non-Deal voucher still used by
// a ticket is refused (KindRejected): set the showtime's tickets without it first.
func (c *Client) RemoveVoucher(ctx context.Context, orderID, voucherID string) error {
	const op = OpRemoveVoucher
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
	const op = OpGetShowtime
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
		return nil, &Error{Op: op, Kind: KindUnreadable, Status: http.StatusOK, Err: errors.New("the answer carried no showtime")}
	}
	return &out, nil
}

// FirstBusinessDate asks ShowtimesByBusinessDate for the tenant's first
// business date with showtimes, as a live tenant accepts it.
const FirstBusinessDate = "first"

// ShowtimesByBusinessDate lists the showtimes of a business date
// (yyyy-mm-dd, or FirstBusinessDate), optionally only at some sites. Each
// site id is sent as its own siteIds parameter, the way ASP.NET binds a list.
func (c *Client) ShowtimesByBusinessDate(ctx context.Context, businessDate string, siteIDs ...string) (*ShowtimesResponse, error) {
	const op = OpListShowtimes
	if _, err := time.Parse(time.DateOnly, businessDate); err != nil && businessDate != FirstBusinessDate {
		return nil, invalidInput(op, fmt.Sprintf("business date %q is not yyyy-mm-dd or %q", businessDate, FirstBusinessDate))
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

// GetTicketPrices lists the prices the counter can sell for a showtime: one
// without restrictions per ticket type, and those payable with vouchers, which
// name the voucher type codes they accept. Prices with any other restriction
// are left out, as Vista requires of a client that does not handle them.
func (c *Client) GetTicketPrices(ctx context.Context, showtimeID string) (*TicketPricesResponse, error) {
	const op = OpGetTicketPrices
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
	out.TicketPrices, out.Hidden = counterPrices(out.TicketPrices)
	return &out, nil
}

func requireOrder(cl *call, r *OrderResponse) error {
	if r.Order.ID == "" {
		return unreadable(cl, http.StatusOK, errors.New("the answer carried no order"))
	}
	return nil
}

func invalidInput(op Operation, msg string) *Error {
	return &Error{Op: op, Kind: KindInvalidInput, Err: errors.New(msg)}
}

// checkID refuses ids that are empty or could change the meaning of a path
// even after escaping: "." and ".." are resolved by many servers and proxies,
// and some decode %2F back to "/" before routing. Real OCAPI ids are hex or
// "0001-2681"-like and never contain such characters or spaces.
func checkID(op Operation, what, id string) error {
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
func checkText(op Operation, what, v string) error {
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
