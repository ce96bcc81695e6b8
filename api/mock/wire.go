package mock

import (
	"encoding/json"
	"math"
	"time"
)

// The mock's own view of the OCAPI wire format. It deliberately shares
// nothing with the client's types: if both were generated from one set of
// structs, a misreading of Vista's documentation would pass every test.

type money struct {
	ValueIncludingTax float64 `json:"valueIncludingTax"`
	ValueExcludingTax float64 `json:"valueExcludingTax"`
	Tax               float64 `json:"tax"`
}

// newMoney rounds away float noise (3.26+3.26+1.57) without assuming cents.
func newMoney(incl, tax float64) money {
	incl, tax = round6(incl), round6(tax)
	return money{ValueIncludingTax: incl, ValueExcludingTax: round6(incl - tax), Tax: tax}
}

func round6(x float64) float64 {
	r := math.Round(x*1e6) / 1e6
	if r == 0 {
		return 0 // no "-0" on the wire
	}
	return r
}

type translation struct {
	LanguageTag string `json:"languageTag"`
	Text        string `json:"text"`
}

type translatable struct {
	Text         string        `json:"text"`
	Translations []translation `json:"translations"`
}

func text(s string) translatable {
	return translatable{Text: s, Translations: []translation{}}
}

type errorBody struct {
	ErrorCode       string `json:"errorCode"`
	Message         string `json:"message"`
	BlockedUntilUTC string `json:"blockedUntilUtc,omitempty"`
}

type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

type tokenResponse struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

type createOrderRequest struct {
	SiteID              string `json:"siteId"`
	BookingMode         string `json:"bookingMode"`
	SiteOrderLocationID string `json:"siteOrderLocationId"`
}

type credentials struct {
	Barcode string  `json:"barcode"`
	Pin     *string `json:"pin"`
}

type addVoucherRequest struct {
	Type        string      `json:"type"`
	ShowtimeID  string      `json:"showtimeId"`
	Credentials credentials `json:"credentials"`
}

type ticketRequest struct {
	ID           string `json:"id"`
	TicketTypeID string `json:"ticketTypeId"`
	VoucherID    string `json:"voucherId"`
}

type setTicketsRequest struct {
	Tickets []ticketRequest `json:"tickets"`
	Seats   json.RawMessage `json:"seats"`
}

type orderVoucherJSON struct {
	ID                     string       `json:"id"`
	Type                   string       `json:"type"`
	MaskedBarcode          string       `json:"maskedBarcode"`
	VoucherTypeCode        string       `json:"voucherTypeCode"`
	VoucherTypeDescription translatable `json:"voucherTypeDescription"`
	// Vista documents this on the add answer only; the mock also puts it on
	// order.vouchers[] so a re-read order still says what each voucher can pay for.
	AvailableRedemptions *int `json:"availableRedemptions,omitempty"`
}

type addVoucherResponse struct {
	Voucher              orderVoucherJSON `json:"voucher"`
	AvailableRedemptions int              `json:"availableRedemptions"`
}

type ticketJSON struct {
	ID                     string  `json:"id"`
	Type                   string  `json:"type"`
	TicketTypeID           string  `json:"ticketTypeId"`
	Price                  money   `json:"price"`
	AmountSaved            money   `json:"amountSaved"`
	VoucherID              *string `json:"voucherId"`
	DiscountID             *string `json:"discountId"`
	DealID                 *string `json:"dealId"`
	RewardID               *int    `json:"rewardId"`
	TicketRedemptionCardID *string `json:"ticketRedemptionCardId"`
}

type orderShowtimeJSON struct {
	ShowtimeID string          `json:"showtimeId"`
	Tickets    []ticketJSON    `json:"tickets"`
	Seats      []orderSeatJSON `json:"seats"`
}

type bookingJSON struct {
	Mode            string `json:"mode"`
	TotalBookingFee money  `json:"totalBookingFee"`
}

type orderJSON struct {
	ID         string              `json:"id"`
	Type       string              `json:"type"`
	Status     string              `json:"status"`
	SiteID     string              `json:"siteId"`
	ExpiresAt  string              `json:"expiresAt"`
	TotalPrice money               `json:"totalPrice"`
	Booking    bookingJSON         `json:"booking"`
	Showtimes  []orderShowtimeJSON `json:"showtimes"`
	Vouchers   []orderVoucherJSON  `json:"vouchers,omitzero"` // nil: left out (profile sparse)
}

type orderResponse struct {
	Order       orderJSON `json:"order"`
	RelatedData struct{}  `json:"relatedData"`
}

type completionResponse struct {
	OrderID           string `json:"orderId"`
	OrderType         string `json:"orderType"`
	Status            string `json:"status"`
	TransactionNumber *int   `json:"transactionNumber"`
}

type scheduleJSON struct {
	BusinessDate string `json:"businessDate"`
	StartsAt     string `json:"startsAt"`
	EndsAt       string `json:"endsAt"`
	FilmStartsAt string `json:"filmStartsAt"`
	FilmEndsAt   string `json:"filmEndsAt"`
}

type showtimeJSON struct {
	ID string `json:"id"`
	// The demo never says it sells out: its seat availability does.
	IsSoldOut          bool                       `json:"isSoldOut"`
	FilmID             string                     `json:"filmId"`
	SiteID             string                     `json:"siteId"`
	ScreenID           string                     `json:"screenId"`
	Schedule           scheduleJSON               `json:"schedule"`
	IsAllocatedSeating bool                       `json:"isAllocatedSeating"`
	SeatLayoutID       *string                    `json:"seatLayoutId"`
	AreaCategories     []showtimeAreaCategoryJSON `json:"areaCategories,omitempty"`
}

type filmJSON struct {
	ID    string       `json:"id"`
	Title translatable `json:"title"`
}

type namedJSON struct {
	ID   string       `json:"id"`
	Name translatable `json:"name"`
}

type showtimeRelated struct {
	Films   []filmJSON  `json:"films"`
	Screens []namedJSON `json:"screens"`
	Sites   []namedJSON `json:"sites"`
}

type showtimeResponse struct {
	Showtime    showtimeJSON    `json:"showtime"`
	RelatedData showtimeRelated `json:"relatedData"`
}

type showtimesResponse struct {
	Showtimes   []showtimeJSON  `json:"showtimes"`
	RelatedData showtimeRelated `json:"relatedData"`
}

type ticketPriceJSON struct {
	TicketTypeID     string   `json:"ticketTypeId"`
	Price            money    `json:"price"`
	Restrictions     []string `json:"restrictions"`
	VoucherTypeCodes []string `json:"voucherTypeCodes"`
}

type ticketTypeJSON struct {
	ID             string       `json:"id"`
	Description    translatable `json:"description"`
	AreaCategoryID *string      `json:"areaCategoryId"`
}

// optional is s, or null for "".
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type ticketPricesResponse struct {
	TicketPrices []ticketPriceJSON `json:"ticketPrices"`
	RelatedData  struct {
		TicketTypes []ticketTypeJSON `json:"ticketTypes"`
	} `json:"relatedData"`
}

// vistaTime writes UTC with seven fractional digits and "+00:00", the shape
// Vista's order expiry takes, so clients are exercised on it.
func vistaTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000") + "+00:00"
}
