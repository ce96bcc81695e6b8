package mock

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// Data is the world a mock server starts from: the demo-data file format of
// ocapi/demo-data.md. Optional lists may be nil. Regions is nil when the file
// has no "regions" key, which is different from an empty list (every code
// unknown).
type Data struct {
	Sites       []Site       `json:"sites,omitempty"`
	Films       []Film       `json:"films,omitempty"`
	Screens     []Screen     `json:"screens,omitempty"`
	TicketTypes []TicketType `json:"ticketTypes,omitempty"`
	Showtimes   []Showtime   `json:"showtimes,omitempty"`
	Orders      []Order      `json:"orders,omitempty"`
	Vouchers    []Voucher    `json:"vouchers"`
	Limits      *Limits      `json:"limits,omitempty"`
	Auth        *Auth        `json:"auth,omitempty"`
	Regions     []string     `json:"regions,omitempty"`
	// Profile names the tenant profile (Profiles); --profile wins over it.
	Profile string `json:"profile,omitempty"`
	// AreaCategories and SeatLayouts are the seats of allocated seating
	// (seatdata.go).
	AreaCategories []AreaCategory `json:"areaCategories,omitempty"`
	SeatLayouts    []SeatLayout   `json:"seatLayouts,omitempty"`
}

// Site is a cinema.
type Site struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Film is a film that showtimes play.
type Film struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Screen is an auditorium.
type Screen struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// TicketType is a kind of ticket with its price. Price includes Tax. A type
// listing VoucherTypeCodes can only be paid for with one of those vouchers.
// RestrictedPrices are further prices of the type that only come with a
// restriction (a membership, a discount), as Vista lists them: the same
// ticket type again in ticket-prices, which a client that does not handle
// the restriction must hide. A ticket of the type costs its own Price.
type TicketType struct {
	ID               string            `json:"id"`
	Description      string            `json:"description"`
	Price            float64           `json:"price"`
	Tax              float64           `json:"tax"`
	VoucherTypeCodes []string          `json:"voucherTypeCodes,omitempty"`
	RestrictedPrices []RestrictedPrice `json:"restrictedPrices,omitempty"`
	// AreaCategoryID, when set, is the only area category whose seats the
	// type's tickets may take.
	AreaCategoryID string `json:"areaCategoryId,omitempty"`
}

// RestrictedPrice is a price of a ticket type that needs Restrictions met
// (Vista's names: Member, MemberReward, Discount, ...).
type RestrictedPrice struct {
	Price        float64  `json:"price"`
	Tax          float64  `json:"tax"`
	Restrictions []string `json:"restrictions"`
}

// Showtime is one screening. StartsAt and EndsAt are RFC 3339 with the site's
// offset; the business date is the date part of StartsAt.
type Showtime struct {
	ID            string   `json:"id"`
	SiteID        string   `json:"siteId"`
	FilmID        string   `json:"filmId"`
	ScreenID      string   `json:"screenId"`
	StartsAt      string   `json:"startsAt"`
	EndsAt        string   `json:"endsAt"`
	TicketTypeIDs []string `json:"ticketTypeIds"`
	// Seating is the allocation mode (none, auto, autoFails, manual; "" is
	// none); SeatLayoutID picks a layout of the screen (default its first);
	// SoldSeats names seats already sold ("F12").
	Seating      string   `json:"seating,omitempty"`
	SeatLayoutID string   `json:"seatLayoutId,omitempty"`
	SoldSeats    []string `json:"soldSeats,omitempty"`
}

// Order is an in-progress order present when the server starts. Its expiry
// counts from the server's start; 0 means limits.orderExpirySeconds.
type Order struct {
	ID               string          `json:"id"`
	SiteID           string          `json:"siteId"`
	BookingMode      string          `json:"bookingMode"`
	ExpiresInSeconds int             `json:"expiresInSeconds"`
	Showtimes        []OrderShowtime `json:"showtimes,omitempty"`
}

// OrderShowtime is a showtime of a seed order with its tickets.
type OrderShowtime struct {
	ShowtimeID string        `json:"showtimeId"`
	Tickets    []OrderTicket `json:"tickets,omitempty"`
}

// OrderTicket is one ticket of a seed order; it gets a fresh id at start.
type OrderTicket struct {
	TicketTypeID string `json:"ticketTypeId"`
}

// Voucher is a voucher the server knows. Pin is nil for a PIN-less voucher.
// ExpiresAt is "" for a voucher that never expires.
type Voucher struct {
	Barcode         string  `json:"barcode"`
	Pin             *string `json:"pin,omitempty"`
	Type            string  `json:"type"`
	VoucherTypeCode string  `json:"voucherTypeCode"`
	Description     string  `json:"description"`
	Redemptions     int     `json:"redemptions"`
	ExpiresAt       string  `json:"expiresAt,omitempty"`
}

// Limits tunes the PIN lockout and order expiry; a zero field takes its default.
type Limits struct {
	PinAttempts        int `json:"pinAttempts"`
	BlockSeconds       int `json:"blockSeconds"`
	OrderExpirySeconds int `json:"orderExpirySeconds"`
}

// Auth turns on bearer-token checks. TokenLifetimeSeconds is the expires_in of
// tokens issued by /connect/token; 0 means Vista's 12 hours.
type Auth struct {
	Tokens               []string `json:"tokens,omitempty"`
	Users                []User   `json:"users,omitempty"`
	TokenLifetimeSeconds int      `json:"tokenLifetimeSeconds,omitempty"`
}

// User may sign in through /connect/token.
type User struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

const (
	defaultPinAttempts        = 3
	defaultBlockSeconds       = 60
	defaultOrderExpirySeconds = 1200
	defaultTokenLifetime      = 43200
)

//go:embed seed.json
var seedJSON []byte

// DefaultData returns a fresh copy of the built-in demo world.
//
// It runs at every start of the app, so it skips ParseData's walk of the
// generic decoding, which exists to name the JSON path of a typo in a file
// someone wrote by hand: the seed is part of the binary, and a test holds it
// to ParseData. The references are still checked.
func DefaultData() *Data {
	var d Data
	if err := json.Unmarshal(seedJSON, &d); err != nil {
		panic(fmt.Errorf("seed.json: %w", err))
	}
	if p := d.validate(); p != nil {
		panic(p.in("seed.json"))
	}
	return &d
}

// DefaultDataAround is the built-in demo data moved to the days around now:
// its first business day becomes today at its site, so that on any date the
// demo has this evening's sessions and the next days', and a voucher that
// was expired or valid in the seed still is. Tests use DefaultData, whose
// dates never move.
func DefaultDataAround(now time.Time) *Data {
	d := DefaultData()
	d.shiftToToday(now)
	return d
}

// shiftToToday moves every date of d by the whole days between its first
// showtime's business day and now's date in the same offset. Whole days keep
// each showtime's time of day and weekday-independent meaning.
func (d *Data) shiftToToday(now time.Time) {
	var first time.Time
	for _, st := range d.Showtimes {
		t, err := time.Parse(time.RFC3339, st.StartsAt)
		if err == nil && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if first.IsZero() {
		return
	}
	loc := first.Location()
	day := func(t time.Time) time.Time {
		y, m, dd := t.In(loc).Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, loc)
	}
	days := int(day(now).Sub(day(first)).Hours() / 24)
	if days == 0 {
		return
	}
	shift := func(v string) string {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return v
		}
		return t.AddDate(0, 0, days).Format(time.RFC3339)
	}
	for i := range d.Showtimes {
		d.Showtimes[i].StartsAt = shift(d.Showtimes[i].StartsAt)
		d.Showtimes[i].EndsAt = shift(d.Showtimes[i].EndsAt)
	}
	for i := range d.Vouchers {
		if d.Vouchers[i].ExpiresAt != "" {
			d.Vouchers[i].ExpiresAt = shift(d.Vouchers[i].ExpiresAt)
		}
	}
}

// LoadData reads and checks a demo-data file.
func LoadData(path string) (*Data, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("demo data %s: %w", path, err)
	}
	return ParseData(path, b)
}

// ParseData decodes a demo-data file strictly and checks every reference in
// it. Errors read "<name>: <JSON path>: <problem>" so a typo can be found
// without reading the whole file.
func ParseData(name string, b []byte) (*Data, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("%s: %s", name, syntaxProblem(b, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: line %d: unexpected data after the top-level object", name, lineOf(b, dec.InputOffset()))
	}
	if p := checkShape(root, reflect.TypeFor[Data](), "$"); p != nil {
		return nil, p.in(name)
	}
	var d Data
	if err := json.Unmarshal(b, &d); err != nil {
		// checkShape already vetted every value, so this is not expected.
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if p := d.validate(); p != nil {
		return nil, p.in(name)
	}
	return &d, nil
}

type pathError struct {
	path, problem string
}

func (p *pathError) in(name string) error {
	return fmt.Errorf("%s: %s: %s", name, p.path, p.problem)
}

func perr(path, format string, args ...any) *pathError {
	return &pathError{path: path, problem: fmt.Sprintf(format, args...)}
}

func syntaxProblem(b []byte, err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: not valid JSON: %v", lineOf(b, se.Offset), se)
	case errors.Is(err, io.EOF):
		return "the file is empty; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early"
	}
	return err.Error()
}

func lineOf(b []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(b)))
	return bytes.Count(b[:offset], []byte("\n")) + 1
}

// checkShape walks the generic decoding against the Go type so that unknown
// keys and wrong JSON types are reported with their path; encoding/json alone
// reports neither the path nor, for unknown keys, which object.
func checkShape(v any, t reflect.Type, path string) *pathError {
	if v == nil {
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			return nil
		}
		return perr(path, "must not be null")
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkShape(v, t.Elem(), path)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return perr(path, "want an object, got %s", jsonKind(v))
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				known := make([]string, 0, len(fields))
				for f := range fields {
					known = append(known, f)
				}
				slices.Sort(known)
				return perr(path, "unknown key %q (known keys: %s)", k, strings.Join(known, ", "))
			}
			if p := checkShape(m[k], ft, path+"."+k); p != nil {
				return p
			}
		}
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return perr(path, "want a list, got %s", jsonKind(v))
		}
		for i, e := range a {
			if p := checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != nil {
				return p
			}
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			return perr(path, "want a string, got %s", jsonKind(v))
		}
	case reflect.Int:
		n, ok := v.(json.Number)
		if !ok {
			return perr(path, "want a whole number, got %s", jsonKind(v))
		}
		if _, err := n.Int64(); err != nil {
			return perr(path, "want a whole number, got %s", n)
		}
	case reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			return perr(path, "want a number, got %s", jsonKind(v))
		}
		if _, err := n.Float64(); err != nil {
			return perr(path, "want a number, got %s", n)
		}
	default:
		return perr(path, "unsupported field type %s", t)
	}
	return nil
}

// fieldsByType caches jsonFields: checkShape asks for every object of a
// file, ten thousand times for a file of ten thousand vouchers.
var fieldsByType sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields maps a struct's JSON keys to their field types. The map is
// shared: callers must not change it.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldsByType.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = f.Type
	}
	fieldsByType.Store(t, fields)
	return fields
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

const (
	typeTicket       = "Ticket"
	typeDeal         = "Deal"
	typeSubscription = "Subscription"
)

// voucherType accepts any letter case because Vista's own guide sends
// "ticket"; it returns "" for anything else.
func voucherType(s string) string {
	for _, t := range [...]string{typeTicket, typeDeal, typeSubscription} {
		if strings.EqualFold(s, t) {
			return t
		}
	}
	return ""
}

func bookingMode(s string) string {
	for _, m := range [...]string{"Paid", "Unpaid", "UnpaidConfirmed"} {
		if strings.EqualFold(s, m) {
			return m
		}
	}
	return ""
}

// maskBarcode masks as Vista's documented example does (12.......6789): the
// first two and the last four characters kept, the rest '.'. How Vista masks
// short codes is not documented; here one under ten characters keeps its
// last four only and one of four or fewer is hidden whole.
func maskBarcode(b string) string {
	r := []rune(b)
	n := len(r)
	switch {
	case n <= 4:
		return strings.Repeat(".", n)
	case n < 10:
		// Too short to show six characters of: the last four only.
		return strings.Repeat(".", n-4) + string(r[n-4:])
	}
	return string(r[:2]) + strings.Repeat(".", n-6) + string(r[n-4:])
}
