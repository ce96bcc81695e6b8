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

// load replaces the world with one built from d. The caller holds worldMu
// for writing, or is New.
func (s *Server) load(d *Data) error {
	name := cmp.Or(s.opts.Profile, d.Profile)
	profile, err := LookupProfile(name)
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
	s.limits = Limits{PinAttempts: defaultPinAttempts, BlockSeconds: defaultBlockSeconds, OrderExpirySeconds: defaultOrderExpirySeconds}
	if l := d.Limits; l != nil {
		s.limits.PinAttempts = cmpOr(l.PinAttempts, s.limits.PinAttempts)
		s.limits.BlockSeconds = cmpOr(l.BlockSeconds, s.limits.BlockSeconds)
		s.limits.OrderExpirySeconds = cmpOr(l.OrderExpirySeconds, s.limits.OrderExpirySeconds)
	}
	s.tokenLifetime = defaultTokenLifetime * time.Second
	if a := d.Auth; a != nil {
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
	if d.Regions != nil {
		s.regions = map[string]bool{}
		for _, r := range d.Regions {
			s.regions[strings.ToUpper(r)] = true
		}
	}
	s.buildCatalogue(d)
	for _, v := range d.Vouchers {
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
	start := s.now()
	for _, so := range d.Orders {
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
	return nil
}
