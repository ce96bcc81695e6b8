package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// MonetaryValue is Vista's money shape: doubles in major currency units with no
// currency field.
type MonetaryValue struct {
	ValueIncludingTax float64 `json:"valueIncludingTax"`
	ValueExcludingTax float64 `json:"valueExcludingTax"`
	Tax               float64 `json:"tax"`
}

// Translatable is a text with optional translations. Servers may send it as
// null or leave it out, so callers read Text, which is "" in both cases.
type Translatable struct {
	Text         string        `json:"text"`
	Translations []Translation `json:"translations"`
}

// Translation is one language's rendering of a Translatable.
type Translation struct {
	LanguageTag string `json:"languageTag"`
	Text        string `json:"text"`
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

// Ticket is one ticket line of an order showtime. The *ID fields name what
// paid for the ticket and are "" when unused (absent or null on the wire).
type Ticket struct {
	ID                     string         `json:"id"`
	Type                   string         `json:"type"`
	TicketTypeID           string         `json:"ticketTypeId"`
	Price                  MonetaryValue  `json:"price"`
	AmountSaved            *MonetaryValue `json:"amountSaved,omitempty"`
	VoucherID              string         `json:"voucherId,omitempty"`
	DiscountID             string         `json:"discountId,omitempty"`
	DealID                 string         `json:"dealId,omitempty"`
	RewardID               string         `json:"rewardId,omitempty"`
	TicketRedemptionCardID string         `json:"ticketRedemptionCardId,omitempty"`
}

// OrderShowtime is one showtime of an order with its tickets. Seats are kept
// opaque: the counter screen does not seat customers.
type OrderShowtime struct {
	ShowtimeID string            `json:"showtimeId"`
	Tickets    []Ticket          `json:"tickets"`
	Seats      []json.RawMessage `json:"seats,omitempty"`
}

// Booking describes how the order is being booked.
type Booking struct {
	Mode            string         `json:"mode"`
	TotalBookingFee *MonetaryValue `json:"totalBookingFee,omitempty"`
}

// Order is an in-progress (or completed) standard order.
type Order struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Status     string          `json:"status"`
	SiteID     string          `json:"siteId"`
	ExpiresAt  Timestamp       `json:"expiresAt"`
	TotalPrice MonetaryValue   `json:"totalPrice"`
	Booking    *Booking        `json:"booking,omitempty"`
	Showtimes  []OrderShowtime `json:"showtimes"`
	Vouchers   []OrderVoucher  `json:"vouchers"`
}

// Order statuses.
const (
	OrderInProgress = "InProgress"
	OrderCompleted  = "Completed"
)

// OrderResponse is the body of every call that answers with an order.
type OrderResponse struct {
	Order       Order           `json:"order"`
	RelatedData json.RawMessage `json:"relatedData,omitempty"`
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

// SetShowtimeTicketsRequest replaces the tickets of one showtime of an order.
type SetShowtimeTicketsRequest struct {
	Tickets []TicketRequest   `json:"tickets"`
	Seats   []json.RawMessage `json:"seats"`
}

// Schedule is when a showtime plays, in the site's offset.
type Schedule struct {
	BusinessDate string    `json:"businessDate"`
	StartsAt     Timestamp `json:"startsAt"`
	EndsAt       Timestamp `json:"endsAt"`
}

// Showtime is one screening.
type Showtime struct {
	ID       string   `json:"id"`
	FilmID   string   `json:"filmId"`
	SiteID   string   `json:"siteId"`
	ScreenID string   `json:"screenId"`
	Schedule Schedule `json:"schedule"`
}

// Film, Screen and Site are the named things a showtime refers to.
type Film struct {
	ID    string        `json:"id"`
	Title *Translatable `json:"title"`
}

type Screen struct {
	ID   string        `json:"id"`
	Name *Translatable `json:"name"`
}

type Site struct {
	ID   string        `json:"id"`
	Name *Translatable `json:"name"`
}

// Text returns the text of an optional Translatable, "" when it is absent.
func (t *Translatable) String() string {
	if t == nil {
		return ""
	}
	return t.Text
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
			return f.Title.String()
		}
	}
	return ""
}

func (r ShowtimeRelatedData) ScreenName(id string) string {
	for _, s := range r.Screens {
		if s.ID == id {
			return s.Name.String()
		}
	}
	return ""
}

func (r ShowtimeRelatedData) SiteName(id string) string {
	for _, s := range r.Sites {
		if s.ID == id {
			return s.Name.String()
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

// TicketPrice is one ticket type's price on a showtime. A type payable with
// vouchers has Restrictions ["Voucher"] and the voucher type codes it takes.
type TicketPrice struct {
	TicketTypeID     string        `json:"ticketTypeId"`
	Price            MonetaryValue `json:"price"`
	Restrictions     []string      `json:"restrictions"`
	VoucherTypeCodes []string      `json:"voucherTypeCodes"`
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

// TicketType names a ticket type.
type TicketType struct {
	ID          string        `json:"id"`
	Description *Translatable `json:"description"`
}

// TicketPricesResponse is the body of GET /ocapi/v1/showtimes/{showtimeId}/ticket-prices.
type TicketPricesResponse struct {
	TicketPrices []TicketPrice `json:"ticketPrices"`
	RelatedData  struct {
		TicketTypes []TicketType `json:"ticketTypes"`
	} `json:"relatedData"`
}

// TicketTypeDescription returns the description of a ticket type, or its id
// when the server sent no name.
func (r TicketPricesResponse) TicketTypeDescription(id string) string {
	for _, t := range r.RelatedData.TicketTypes {
		if t.ID == id && t.Description.String() != "" {
			return t.Description.String()
		}
	}
	return id
}

// CompletionResponse is the answer to POST /ocapi/v1/orders/{orderId}/completion.
type CompletionResponse struct {
	OrderID           string `json:"orderId"`
	OrderType         string `json:"orderType"`
	Status            string `json:"status"`
	TransactionNumber string `json:"transactionNumber"`
}

// TokenResponse is the answer of POST /connect/token.
type TokenResponse struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// MaskBarcode shows only the last four characters, as Vista masks them
// (ADTMM0000111 -> ........0111). Barcodes of four characters or fewer are
// fully masked so that a short code is never shown whole.
func MaskBarcode(barcode string) string {
	r := []rune(barcode)
	if len(r) <= 4 {
		return strings.Repeat(".", len(r))
	}
	return strings.Repeat(".", len(r)-4) + string(r[len(r)-4:])
}
