package proxy

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/boxoffice/boxoffice/api"
)

// Bounds on what the proxy remembers of the traffic, so that a long day
// keeps its memory flat.
const (
	maxOrders   = 20000
	maxLayouts  = 256
	maxPaths    = 4096
	maxBarcodes = 100000
)

// knowledge is what earlier exchanges showed of the tenant's orders and
// showtimes, which later answers are judged by. Barcodes and region codes
// are kept only as keyed hashes.
type knowledge struct {
	key       []byte
	orders    map[string]*orderFacts
	orderList []string
	// allocated says, per showtime read, whether its seats are allocated.
	allocated map[string]bool
	// layouts holds the seat ids of each showtime's layout read.
	layouts    map[string]map[string]bool
	layoutList []string
	// regionsOK holds, per path read with 2xx, the region codes (hashed,
	// "" for none) it was read with.
	regionsOK map[string]map[string]bool
	// barcodes holds the hashes of the barcodes requests carried, to mask
	// one that turns up in a path.
	barcodes map[string]bool
}

// orderFacts is what this run saw of one order.
type orderFacts struct {
	// inProgress is set once an answer showed the order in progress;
	// seenAt is when it last did.
	inProgress bool
	seenAt     time.Time
	expiresAt  time.Time
	cancelled  bool
	completed  bool
	// completionMade: a completion of it was answered 200.
	completionMade bool
	// vouchers maps the id of each voucher added here (and not removed) to
	// its barcode's hash.
	vouchers map[string]string
	// showtimes is the order's showtimes in its last answer.
	showtimes map[string]showtimeOnOrder
}

type showtimeOnOrder struct {
	tickets int
	seats   []string
}

func newKnowledge() *knowledge {
	key := make([]byte, 32)
	rand.Read(key)
	return &knowledge{key: key, orders: map[string]*orderFacts{}, allocated: map[string]bool{},
		layouts: map[string]map[string]bool{}, regionsOK: map[string]map[string]bool{}, barcodes: map[string]bool{}}
}

// hash is the keyed hash a secret is remembered by.
func (k *knowledge) hash(s string) string {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// orderFor is the facts of an order, made if new.
func (k *knowledge) orderFor(id string) *orderFacts {
	if o := k.orders[id]; o != nil {
		return o
	}
	if len(k.orderList) >= maxOrders {
		delete(k.orders, k.orderList[0])
		k.orderList = k.orderList[1:]
	}
	o := &orderFacts{vouchers: map[string]string{}}
	k.orders[id] = o
	k.orderList = append(k.orderList, id)
	return o
}

// forget drops what was known of an order: a tenant that answers a new
// order with an id it used before has started it afresh.
func (k *knowledge) forget(id string) {
	if _, ok := k.orders[id]; ok {
		delete(k.orders, id)
		k.orderList = slices.DeleteFunc(k.orderList, func(s string) bool { return s == id })
	}
}

// expiryMargin allows for the difference between the tenant's clock and
// this machine's, and for a grace period, when an order's expiry decides.
const expiryMargin = time.Minute

// live reports whether the order is certainly in progress at t: shown in
// progress, neither cancelled nor completed here, and well before its
// expiry (or, with none known, shown so recently that no tenant would
// have released it).
func (o *orderFacts) live(t time.Time) bool {
	if o == nil || !o.inProgress || o.cancelled || o.completed {
		return false
	}
	if !o.expiresAt.IsZero() {
		return t.Before(o.expiresAt.Add(-expiryMargin))
	}
	return t.Sub(o.seenAt) < 2*time.Minute
}

// gone reports whether the order certainly no longer exists at t:
// cancelled here, or well past its expiry.
func (o *orderFacts) gone(t time.Time) bool {
	return o != nil && !o.completed && (o.cancelled || !o.expiresAt.IsZero() && t.After(o.expiresAt.Add(expiryMargin)))
}

// holds is the voucher id of the order's voucher with this barcode hash.
func (o *orderFacts) holds(barcodeHash string) (string, bool) {
	if o == nil {
		return "", false
	}
	for id, h := range o.vouchers {
		if h == barcodeHash {
			return id, true
		}
	}
	return "", false
}

// learnOrder takes in an order as an answer shows it ({order: ...}).
func (k *knowledge) learnOrder(order map[string]any, fallbackID string, at time.Time) {
	id, _ := order["id"].(string)
	if id == "" {
		id = fallbackID
	}
	if id == "" {
		return
	}
	o := k.orderFor(id)
	status, _ := order["status"].(string)
	if status == "" || strings.EqualFold(status, "InProgress") {
		o.inProgress, o.seenAt = true, at
	}
	if s, ok := order["expiresAt"].(string); ok {
		if t, err := api.ParseTimestamp(s); err == nil {
			o.expiresAt = t
		}
	}
	if list, ok := order["showtimes"].([]any); ok {
		o.showtimes = map[string]showtimeOnOrder{}
		for _, item := range list {
			st, _ := item.(map[string]any)
			sid, _ := st["showtimeId"].(string)
			if sid == "" {
				sid, _ = st["id"].(string)
			}
			tickets, _ := st["tickets"].([]any)
			var seats []string
			if list, ok := st["seats"].([]any); ok {
				for _, s := range list {
					if seat, ok := s.(map[string]any); ok {
						if sid, ok := seat["seatId"].(string); ok {
							seats = append(seats, sid)
						} else if sid, ok := seat["id"].(string); ok {
							seats = append(seats, sid)
						}
					}
				}
			}
			o.showtimes[sid] = showtimeOnOrder{tickets: len(tickets), seats: seats}
		}
	}
}

// learnLayout keeps the seat ids of a showtime's layout.
func (k *knowledge) learnLayout(showtimeID string, layout any) {
	seats := map[string]bool{}
	collectSeatIDs(layout, seats)
	if len(seats) == 0 {
		return
	}
	if _, known := k.layouts[showtimeID]; !known {
		if len(k.layoutList) >= maxLayouts {
			delete(k.layouts, k.layoutList[0])
			k.layoutList = k.layoutList[1:]
		}
		k.layoutList = append(k.layoutList, showtimeID)
	}
	k.layouts[showtimeID] = seats
}

// collectSeatIDs finds the ids of the seats of a layout: the id of every
// object under a "seats" list.
func collectSeatIDs(v any, into map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for key, inner := range t {
			if list, ok := inner.([]any); ok && key == "seats" {
				for _, s := range list {
					if seat, ok := s.(map[string]any); ok {
						if id, ok := seat["id"].(string); ok {
							into[id] = true
						}
					}
				}
			}
			collectSeatIDs(inner, into)
		}
	case []any:
		for _, inner := range t {
			collectSeatIDs(inner, into)
		}
	}
}

// learnRegion notes that path was read 2xx with a region code.
func (k *knowledge) learnRegion(path, code string) {
	set := k.regionsOK[path]
	if set == nil {
		if len(k.regionsOK) >= maxPaths {
			return
		}
		set = map[string]bool{}
		k.regionsOK[path] = set
	}
	key := ""
	if code != "" {
		key = k.hash(strings.ToUpper(code))
	}
	set[key] = true
}

// fieldNames are an object's keys, sorted, as a report may show them:
// names that read as identifiers, at most a dozen.
func fieldNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, safeWord(k))
	}
	sort.Strings(names)
	names = slices.Compact(names)
	if len(names) > 12 {
		names = append(names[:12], "…")
	}
	return names
}

// safeWord is s when it reads as a name (letters, digits, -_.:/ and at
// most 40 of them), else "(other)": a report that names what a tenant
// sends must not carry a value that could be a barcode or a PIN.
func safeWord(s string) string {
	if s == "" || len(s) > 40 {
		return "(other)"
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r), strings.ContainsRune("-_.:/+", r):
		default:
			return "(other)"
		}
	}
	// A run of digits with a few letters is an id or a code, not a name.
	if letters*2 < len(s) {
		return "(other)"
	}
	return s
}
