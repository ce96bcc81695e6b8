package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	barcodemask "github.com/boxoffice/boxoffice/internal/barcode"
)

// MonetaryValue is Vista's money shape: doubles in major currency units with no
// currency field.
type MonetaryValue struct {
	ValueIncludingTax float64 `json:"valueIncludingTax"`
	ValueExcludingTax float64 `json:"valueExcludingTax"`
	Tax               float64 `json:"tax"`
}

// Text is a customer-visible name or description. Vista documents these as a
// Translatable object, {"text": "...", "translations": [...]}; the counter shows
// the default-language text only. A plain string is taken as the text, and
// null, {} or any other shape reads as "": a name is never worth failing an
// answer for.
type Text string

// UnmarshalJSON never fails: see Text.
func (t *Text) UnmarshalJSON(b []byte) error {
	*t = ""
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = Text(s)
		return nil
	}
	var obj struct {
		Text json.RawMessage `json:"text"`
	}
	if json.Unmarshal(b, &obj) == nil && json.Unmarshal(obj.Text, &s) == nil {
		*t = Text(s)
	}
	return nil
}

// refID is an identifier or number the client only compares or shows, kept
// as its text ("" when absent or null) whether it arrives as a string or a
// number: Vista types such fields differently (a ticket's voucherId is a
// string, rewardId an integer; a completion's transactionNumber an integer).
type refID string

// UnmarshalJSON accepts a string, a number or null; any other shape is an error.
func (r *refID) UnmarshalJSON(b []byte) error {
	*r = ""
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = refID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id: want a string or a number, got %s", firstBytes(b))
	}
	*r = refID(n.String())
	return nil
}

// optionalCount is a count Vista does not document where the client reads it
// (availableRedemptions on order.vouchers[]): a number is taken, anything else
// reads as "not sent" rather than making the order unreadable.
type optionalCount struct{ n *int }

func (c *optionalCount) UnmarshalJSON(b []byte) error {
	c.n = nil
	var n int
	if json.Unmarshal(b, &n) == nil {
		c.n = &n
	}
	return nil
}

func firstBytes(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}

// VoucherType is the discriminator of an order voucher.
type VoucherType string

const (
	VoucherTicket       VoucherType = "Ticket"
	VoucherDeal         VoucherType = "Deal"
	VoucherSubscription VoucherType = "Subscription"
)

// VoucherTypes lists the voucher types in the order the counter cycles through them.
var VoucherTypes = []VoucherType{VoucherTicket, VoucherDeal, VoucherSubscription}

// ParseVoucherType accepts any letter case, because Vista's own guide sends
// "ticket" while responses carry "Ticket".
func ParseVoucherType(s string) (VoucherType, error) {
	for _, t := range VoucherTypes {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown voucher type %q (want Ticket, Deal or Subscription)", s)
}

// UnmarshalJSON normalises known types to their PascalCase spelling and keeps
// unknown ones as sent, so a newer server never breaks decoding.
func (t *VoucherType) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if known, err := ParseVoucherType(s); err == nil {
		*t = known
		return nil
	}
	*t = VoucherType(s)
	return nil
}

// BookingMode is how a new order will be paid.
type BookingMode string

const (
	BookingPaid            BookingMode = "Paid"
	BookingUnpaid          BookingMode = "Unpaid"
	BookingUnpaidConfirmed BookingMode = "UnpaidConfirmed"
)

// Timestamp parses any ISO 8601 date-time a server sends: any number of
// fractional digits, with or without an offset (no offset means UTC).
type Timestamp struct{ time.Time }

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
}

// UnmarshalJSON accepts null and "" as the zero time.
func (ts *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		ts.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date-time: %w", err)
	}
	if s == "" {
		ts.Time = time.Time{}
		return nil
	}
	t, err := ParseTimestamp(s)
	if err != nil {
		return err
	}
	ts.Time = t
	return nil
}

// MarshalJSON writes RFC 3339 with the fraction the value has.
func (ts Timestamp) MarshalJSON() ([]byte, error) {
	if ts.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(ts.Format(time.RFC3339Nano))
}

// ParseTimestamp parses one ISO 8601 date-time in any of the shapes servers send.
func ParseTimestamp(s string) (time.Time, error) {
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date-time %q is not ISO 8601", s)
}

// OrderVoucher is a voucher attached to an order.
type OrderVoucher struct {
	ID                     string      `json:"id"`
	Type                   VoucherType `json:"type"`
	MaskedBarcode          string      `json:"maskedBarcode"`
	VoucherTypeCode        string      `json:"voucherTypeCode"`
	VoucherTypeDescription string      `json:"voucherTypeDescription"`
	// AvailableRedemptions is set only when a server chooses to send it on
	// order.vouchers[]; Vista's docs show it on the add response alone.
	AvailableRedemptions *int `json:"availableRedemptions,omitempty"`
}

// UnmarshalJSON reads voucherTypeDescription as Text (Vista documents a
// Translatable), and availableRedemptions only when it is a number: Vista
// does not document it on order.vouchers[], so no shape of it may make an
// order unreadable.
func (v *OrderVoucher) UnmarshalJSON(b []byte) error {
	type plain OrderVoucher
	var w struct {
		plain
		VoucherTypeDescription Text          `json:"voucherTypeDescription"`
		AvailableRedemptions   optionalCount `json:"availableRedemptions"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*v = OrderVoucher(w.plain)
	v.VoucherTypeDescription = string(w.VoucherTypeDescription)
	v.AvailableRedemptions = w.AvailableRedemptions.n
	return nil
}

// Ticket is one ticket line of an order showtime. The *ID fields name what
// paid for the ticket and are "" when unused (absent or null on the wire).
type Ticket struct {
	ID           string         `json:"id"`
	TicketTypeID string         `json:"ticketTypeId"`
	Price        MonetaryValue  `json:"price"`
	AmountSaved  *MonetaryValue `json:"amountSaved,omitempty"`
	VoucherID    string         `json:"voucherId,omitempty"`
}

// UnmarshalJSON reads voucherId as a refID: a string, a number or null.
func (t *Ticket) UnmarshalJSON(b []byte) error {
	type plain Ticket
	var w struct {
		plain
		VoucherID refID `json:"voucherId"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = Ticket(w.plain)
	t.VoucherID = string(w.VoucherID)
	return nil
}

// OrderShowtime is one showtime of an order with its tickets and the seats
// it holds (none on a showtime without allocated seating, or before seats
// are allocated or chosen).
type OrderShowtime struct {
	ShowtimeID string      `json:"showtimeId"`
	Tickets    []Ticket    `json:"tickets"`
	Seats      []OrderSeat `json:"seats"`
}

// Order is an in-progress (or completed) standard order. Only what the
// counter uses is decoded; everything else a tenant sends is ignored.
type Order struct {
	ID         string          `json:"id"`
	Status     string          `json:"status"`
	SiteID     string          `json:"siteId"`
	ExpiresAt  Timestamp       `json:"expiresAt"`
	TotalPrice MonetaryValue   `json:"totalPrice"`
	Showtimes  []OrderShowtime `json:"showtimes"`
	Vouchers   []OrderVoucher  `json:"vouchers"`
	// VouchersListed is false when the answer carried no vouchers list (absent
	// or null). Vista does not document order.vouchers[], so an order without
	// it says nothing about which vouchers are on it: absent is not empty.
	VouchersListed bool `json:"-"`
}

// UnmarshalJSON records whether the vouchers were listed.
func (o *Order) UnmarshalJSON(b []byte) error {
	type plain Order
	var w struct {
		plain
		Vouchers json.RawMessage `json:"vouchers"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*o = Order(w.plain)
	o.Vouchers, o.VouchersListed = nil, false
	if len(w.Vouchers) > 0 && string(w.Vouchers) != "null" {
		if err := json.Unmarshal(w.Vouchers, &o.Vouchers); err != nil {
			return fmt.Errorf("order vouchers: %w", err)
		}
		o.VouchersListed = true
	}
	return nil
}

// Order statuses.
const (
	OrderInProgress = "InProgress"
	OrderCompleted  = "Completed"
)

// OrderResponse is the body of every call that answers with an order.
type OrderResponse struct {
	Order Order `json:"order"`
}

// VoucherCredentials are what the customer holds. Pin is nil when the voucher
// has none; it is never logged.
type VoucherCredentials struct {
	Barcode string  `json:"barcode"`
	Pin     *string `json:"pin"`
}

// AddVoucherRequest is the body of POST /ocapi/v1/orders/{orderId}/vouchers.
// ShowtimeID is sent for Ticket vouchers only.
type AddVoucherRequest struct {
	Type        VoucherType        `json:"type"`
	ShowtimeID  string             `json:"showtimeId,omitempty"`
	Credentials VoucherCredentials `json:"credentials"`
}

// AddVoucherResponse is the answer to a successful voucher add.
type AddVoucherResponse struct {
	Voucher OrderVoucher `json:"voucher"`
	// AvailableRedemptions is -1 when the server left it out or sent null
	// (Client.AddVoucher sees to that), so that "unknown" never reads as "used up".
	AvailableRedemptions int `json:"availableRedemptions"`
}

// CreateOrderRequest is the body of POST /ocapi/v1/orders/standard/booking.
type CreateOrderRequest struct {
	SiteID              string      `json:"siteId"`
	BookingMode         BookingMode `json:"bookingMode"`
	SiteOrderLocationID string      `json:"siteOrderLocationId,omitempty"`
}

// TicketRequest is one ticket in PUT /ocapi/v1/orders/{orderId}/showtimes/{showtimeId}.
type TicketRequest struct {
	ID           string `json:"id"`
	TicketTypeID string `json:"ticketTypeId"`
	VoucherID    string `json:"voucherId,omitempty"`
}

// SetShowtimeTicketsRequest replaces the tickets and seats of one showtime
// of an order. Seats are seat ids from the seat layout; nil is sent as null,
// which asks the server to allocate seats itself where it does so.
type SetShowtimeTicketsRequest struct {
	Tickets []TicketRequest `json:"tickets"`
	Seats   []string        `json:"seats"`
}

// Schedule is when a showtime plays, in the site's offset.
type Schedule struct {
	BusinessDate string    `json:"businessDate"`
	StartsAt     Timestamp `json:"startsAt"`
	EndsAt       Timestamp `json:"endsAt"`
}

// Showtime is one screening. IsAllocatedSeating says whether seats matter
// at all: false (or not sent) means tickets are sold without seats and the
// seat calls are not to be made. SeatLayoutID names the layout its seats
// follow; AreaCategories may turn allocation off for some area categories.
type Showtime struct {
	ID                 string                 `json:"id"`
	FilmID             string                 `json:"filmId"`
	SiteID             string                 `json:"siteId"`
	ScreenID           string                 `json:"screenId"`
	Schedule           Schedule               `json:"schedule"`
	IsAllocatedSeating bool                   `json:"isAllocatedSeating"`
	SeatLayoutID       string                 `json:"seatLayoutId"`
	AreaCategories     []ShowtimeAreaCategory `json:"areaCategories"`
}

// Film, Screen and Site are the named things a showtime refers to.
type Film struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
}

type Screen struct {
	ID   string `json:"id"`
	Name Text   `json:"name"`
}

type Site struct {
	ID   string `json:"id"`
	Name Text   `json:"name"`
}

// ShowtimeRelatedData carries the names a showtime refers to.
type ShowtimeRelatedData struct {
	Films   []Film   `json:"films"`
	Screens []Screen `json:"screens"`
	Sites   []Site   `json:"sites"`
}

// FilmTitle, ScreenName and SiteName look a name up by id and return "" when
// the server did not send it.
func (r ShowtimeRelatedData) FilmTitle(id string) string {
	for _, f := range r.Films {
		if f.ID == id {
			return string(f.Title)
		}
	}
	return ""
}

func (r ShowtimeRelatedData) ScreenName(id string) string {
	for _, s := range r.Screens {
		if s.ID == id {
			return string(s.Name)
		}
	}
	return ""
}

func (r ShowtimeRelatedData) SiteName(id string) string {
	for _, s := range r.Sites {
		if s.ID == id {
			return string(s.Name)
		}
	}
	return ""
}

// ShowtimeResponse is the body of GET /ocapi/v1/showtimes/{showtimeId}.
type ShowtimeResponse struct {
	Showtime    Showtime            `json:"showtime"`
	RelatedData ShowtimeRelatedData `json:"relatedData"`
}

// ShowtimesResponse is the body of GET /ocapi/v1/showtimes/by-business-date/{date}.
type ShowtimesResponse struct {
	Showtimes   []Showtime          `json:"showtimes"`
	RelatedData ShowtimeRelatedData `json:"relatedData"`
}

// TicketPrice is one price of a ticket type on a showtime. A price with
// restrictions can only be had by meeting them (a membership, a reward, a
// discount, a voucher); one payable with vouchers has Restrictions
// ["Voucher"] and the voucher type codes it takes.
type TicketPrice struct {
	TicketTypeID     string        `json:"ticketTypeId"`
	Price            MonetaryValue `json:"price"`
	Restrictions     []string      `json:"restrictions"`
	VoucherTypeCodes []string      `json:"voucherTypeCodes"`
}

// RestrictionVoucher is the one ticket price restriction the counter
// honours: the ticket is paid by a voucher valid for its type.
const RestrictionVoucher = "Voucher"

// NeedsVoucher reports whether the price is only to be had with a voucher.
func (p TicketPrice) NeedsVoucher() bool {
	for _, r := range p.Restrictions {
		if strings.EqualFold(r, RestrictionVoucher) {
			return true
		}
	}
	return false
}

// handled reports whether the counter can honour every restriction of p.
// Vista requires a price with a restriction the client does not understand
// to be hidden.
func (p TicketPrice) handled() bool {
	for _, r := range p.Restrictions {
		if !strings.EqualFold(r, RestrictionVoucher) {
			return false
		}
	}
	return true
}

// counterPrices keeps the prices the counter can sell, as Vista's ticket
// prices page requires: a price with a restriction other than Voucher is
// hidden, and a ticket type listed more than once without restrictions
// keeps its first such price, so that what the screen shows is what the
// server charges for a ticket sent with that type and no discount. Prices
// without restrictions come first, vouchers' after, each in server order.
func counterPrices(all []TicketPrice) (kept []TicketPrice, hidden int) {
	kept = make([]TicketPrice, 0, len(all))
	plain := map[string]bool{}
	for _, p := range all {
		switch {
		case !p.handled():
			hidden++
		case len(p.Restrictions) == 0 && plain[p.TicketTypeID]:
			hidden++
		case len(p.Restrictions) == 0:
			plain[p.TicketTypeID] = true
			kept = append(kept, p)
		}
	}
	for _, p := range all {
		if p.handled() && p.NeedsVoucher() {
			kept = append(kept, p)
		}
	}
	return kept, hidden
}

// AcceptsVoucherCode reports whether a voucher with this type code can pay for
// the ticket type.
func (p TicketPrice) AcceptsVoucherCode(code string) bool {
	for _, c := range p.VoucherTypeCodes {
		if strings.EqualFold(c, code) {
			return true
		}
	}
	return false
}

// TicketType names a ticket type. AreaCategoryID is the area category whose
// seats a ticket of the type may take ("" when the server did not say: the
// seating rules then let it sit anywhere and leave the refusal to the server).
type TicketType struct {
	ID             string `json:"id"`
	Description    Text   `json:"description"`
	AreaCategoryID string `json:"areaCategoryId"`
}

// TicketPricesResponse is the body of GET /ocapi/v1/showtimes/{showtimeId}/ticket-prices.
//
// GetTicketPrices leaves in TicketPrices only the prices the counter can sell
// (see counterPrices); Hidden counts the ones it took out.
type TicketPricesResponse struct {
	TicketPrices []TicketPrice `json:"ticketPrices"`
	Hidden       int           `json:"-"`
	RelatedData  struct {
		TicketTypes []TicketType `json:"ticketTypes"`
	} `json:"relatedData"`
}

// TicketTypeDescription returns the description of a ticket type, or its id
// when the server sent no name.
func (r TicketPricesResponse) TicketTypeDescription(id string) string {
	for _, t := range r.RelatedData.TicketTypes {
		if t.ID == id && t.Description != "" {
			return string(t.Description)
		}
	}
	return id
}

// CompletionStatus is where an order completion stands. Only
// CompletionCompleted means the order is done; Pending is not done yet and
// Failed is a failure.
type CompletionStatus string

const (
	CompletionPending   CompletionStatus = "Pending"
	CompletionCompleted CompletionStatus = "Completed"
	CompletionFailed    CompletionStatus = "Failed"
)

// UnmarshalJSON normalises the documented values to their spelling in any
// letter case and keeps anything else as sent (and so not Completed).
func (s *CompletionStatus) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("completion status: %w", err)
	}
	*s = CompletionStatus(v)
	for _, known := range []CompletionStatus{CompletionPending, CompletionCompleted, CompletionFailed} {
		if strings.EqualFold(v, string(known)) {
			*s = known
		}
	}
	return nil
}

// CompletionResponse is the answer to POST (and GET)
// /ocapi/v1/orders/{orderId}/completion.
type CompletionResponse struct {
	OrderID string           `json:"orderId"`
	Status  CompletionStatus `json:"status"`
	// TransactionNumber is the site's number for the sale, documented as an
	// integer or null; "" when not sent.
	TransactionNumber string `json:"transactionNumber,omitempty"`
}

// UnmarshalJSON reads transactionNumber as a refID: an integer as documented,
// a string, or null.
func (c *CompletionResponse) UnmarshalJSON(b []byte) error {
	type plain CompletionResponse
	var w struct {
		plain
		TransactionNumber refID `json:"transactionNumber"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = CompletionResponse(w.plain)
	c.TransactionNumber = string(w.TransactionNumber)
	return nil
}

// TokenResponse is the answer of POST /connect/token.
type TokenResponse struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// MaskBarcode masks a barcode the way Vista's documented example does
// (12.......6789): see barcode.Mask, which the journal and the proxy share.
func MaskBarcode(barcode string) string { return barcodemask.Mask(barcode) }
