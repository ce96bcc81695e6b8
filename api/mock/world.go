package mock

import (
	"cmp"
	"strings"
	"sync"
	"time"
)

// world is everything a reset replaces: what the data says and what the
// requests since have done to it. The maps of the catalogue are fixed
// between resets; vouchers, orders, txn and lastSweep are guarded by mu.
type world struct {
	profile       Profile
	sites         map[string]*siteInfo
	siteIDs       []string
	showtimes     map[string]*showtimeInfo
	showtimeOrder []*showtimeInfo
	barcodes      map[string]bool
	limits        Limits
	authOn        bool
	staticTokens  map[string]bool
	users         map[string]string
	tokenLifetime time.Duration
	regions       map[string]bool
	firstOrderID  string

	mu       sync.Mutex
	vouchers map[string]*voucherState
	// voucherList is vouchers in the data's order.
	voucherList []*voucherState
	orders      map[string]*order
	ordersMade  int
	txn         int
	lastSweep   time.Time
}

type voucherState struct {
	// initial is the redemptions the data gave it.
	initial         int
	barcode, masked string
	pin             *string
	typ, code, desc string
	redemptions     int
	expiresAt       time.Time
	failures        []time.Time
	blockedUntil    time.Time
}

const (
	statusInProgress = "InProgress"
	statusCompleted  = "Completed"
	// Completion statuses besides Completed.
	statusPending = "Pending"
	statusFailed  = "Failed"
)

type order struct {
	// seq orders the orders by creation, for the admin state.
	seq              int
	id, siteID, mode string
	status           string
	// completion is the order's completion once one was asked for: its
	// status, its transaction number once Completed, and for a Pending one
	// how many reads are left before it settles.
	completion *completionState
	expiresAt  time.Time
	showtimes  []*orderShowtime
	vouchers   []*orderVoucher
	byBarcode  map[string]*orderVoucher
	byID       map[string]*orderVoucher
}

type completionState struct {
	status       string
	txn          int
	pendingReads int
}

type orderShowtime struct {
	info    *showtimeInfo
	tickets []ticket
	seats   []*seatInfo
}

type ticket struct {
	id      string
	tt      *ticketTypeInfo
	voucher *orderVoucher
}

type orderVoucher struct {
	id string
	v  *voucherState
}

func (s *Server) newOrder(id, siteID, mode string, expiresAt time.Time) *order {
	s.ordersMade++
	return &order{
		seq: s.ordersMade, id: id, siteID: siteID, mode: mode, status: statusInProgress, expiresAt: expiresAt,
		byBarcode: map[string]*orderVoucher{}, byID: map[string]*orderVoucher{},
	}
}

// load replaces the world with one built from d. The caller holds worldMu
// for writing, or is New.
func (s *Server) load(d *Data) error {
	profile, err := LookupProfile(cmp.Or(s.opts.Profile, d.Profile))
	if err != nil {
		return err
	}
	s.world = world{
		profile:      profile,
		sites:        map[string]*siteInfo{},
		showtimes:    map[string]*showtimeInfo{},
		barcodes:     map[string]bool{},
		staticTokens: map[string]bool{},
		users:        map[string]string{},
		vouchers:     map[string]*voucherState{},
		orders:       map[string]*order{},
	}
	s.setLimits(d.Limits)
	s.setAuth(d.Auth)
	if d.Regions != nil {
		s.regions = map[string]bool{}
		for _, r := range d.Regions {
			s.regions[strings.ToUpper(r)] = true
		}
	}
	s.buildCatalogue(d)
	for _, v := range d.Vouchers {
		s.addVoucherState(v)
	}
	start := s.now()
	for _, so := range d.Orders {
		s.addSeedOrder(so, start)
	}
	return nil
}

// setLimits takes the data's limits, a zero one meaning its default.
func (s *Server) setLimits(l *Limits) {
	s.limits = Limits{PinAttempts: defaultPinAttempts, BlockSeconds: defaultBlockSeconds, OrderExpirySeconds: defaultOrderExpirySeconds}
	if l != nil {
		s.limits.PinAttempts = cmpOr(l.PinAttempts, s.limits.PinAttempts)
		s.limits.BlockSeconds = cmpOr(l.BlockSeconds, s.limits.BlockSeconds)
		s.limits.OrderExpirySeconds = cmpOr(l.OrderExpirySeconds, s.limits.OrderExpirySeconds)
	}
}

// setAuth turns on bearer-token checks when the data has an auth section.
func (s *Server) setAuth(a *Auth) {
	s.tokenLifetime = defaultTokenLifetime * time.Second
	if a == nil {
		return
	}
	s.authOn = true
	for _, t := range a.Tokens {
		s.staticTokens[t] = true
	}
	for _, u := range a.Users {
		s.users[u.Username] = u.Password
	}
	if a.TokenLifetimeSeconds > 0 {
		s.tokenLifetime = time.Duration(a.TokenLifetimeSeconds) * time.Second
	}
}

func (s *Server) addVoucherState(v Voucher) {
	vs := &voucherState{
		barcode:     v.Barcode,
		masked:      s.profile.mask(v.Barcode),
		typ:         voucherType(v.Type),
		code:        v.VoucherTypeCode,
		desc:        v.Description,
		redemptions: v.Redemptions,
		initial:     v.Redemptions,
	}
	if v.Pin != nil {
		pin := *v.Pin
		vs.pin = &pin
	}
	if v.ExpiresAt != "" {
		vs.expiresAt, _ = time.Parse(time.RFC3339, v.ExpiresAt)
	}
	s.vouchers[v.Barcode] = vs
	s.voucherList = append(s.voucherList, vs)
	s.barcodes[v.Barcode] = true
}

// addSeedOrder opens a seed order as at start, its tickets given fresh ids.
func (s *Server) addSeedOrder(so Order, start time.Time) {
	o := s.newOrder(so.ID, so.SiteID, bookingMode(so.BookingMode), start.Add(seconds(cmpOr(so.ExpiresInSeconds, s.limits.OrderExpirySeconds))))
	for _, ost := range so.Showtimes {
		info := s.showtimes[ost.ShowtimeID]
		if info == nil {
			continue // ParseData refuses this; hand-built Data is trusted less.
		}
		os := &orderShowtime{info: info}
		for _, t := range ost.Tickets {
			if tt := info.types[t.TicketTypeID]; tt != nil {
				os.tickets = append(os.tickets, ticket{id: s.newID(), tt: tt})
			}
		}
		o.showtimes = append(o.showtimes, os)
	}
	s.orders[o.id] = o
	if s.firstOrderID == "" {
		s.firstOrderID = o.id
	}
}
