package mock

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// known is what the lists of a demo-data file checked so far define, for
// the references of the lists after them.
type known struct {
	sites, films, screens map[string]bool
	ticketTypes           map[string]TicketType
	showtimes             map[string]Showtime
}

// validate checks values and references. It stops at the first problem: one
// precise message is easier to act on than a page of consequences. The
// lists are checked in the order of the format, so that every reference
// names something already checked.
func (d *Data) validate() *pathError {
	// The maps are made here and filled by the checks, so that they stay
	// on the stack: a start of the demo runs this.
	k := known{sites: map[string]bool{}, films: map[string]bool{}, screens: map[string]bool{},
		ticketTypes: map[string]TicketType{}, showtimes: map[string]Showtime{}}
	if p := validateNamed(k.sites, "$.sites[%d]", "site", "name", d.Sites, func(s Site) (string, string) { return s.ID, s.Name }); p != nil {
		return p
	}
	if p := validateNamed(k.films, "$.films[%d]", "film", "title", d.Films, func(f Film) (string, string) { return f.ID, f.Title }); p != nil {
		return p
	}
	if p := validateNamed(k.screens, "$.screens[%d]", "screen", "name", d.Screens, func(s Screen) (string, string) { return s.ID, s.Name }); p != nil {
		return p
	}
	if p := validateTicketTypes(d.TicketTypes, k.ticketTypes); p != nil {
		return p
	}
	if p := validateShowtimes(d.Showtimes, &k); p != nil {
		return p
	}
	if p := validateVouchers(d.Vouchers); p != nil {
		return p
	}
	if p := validateOrders(d.Orders, &k); p != nil {
		return p
	}
	if p := validateLimits(d.Limits); p != nil {
		return p
	}
	if p := validateAuth(d.Auth); p != nil {
		return p
	}
	if p := checkProfile(d.Profile); p != nil {
		return p
	}
	if p := validateRegions(d.Regions); p != nil {
		return p
	}
	return d.validateSeating()
}

// validateNamed checks a list of things with an id and a name (a title for
// films): both given, and no id twice. It puts the ids in ids. pathFormat
// is the path of an item, given its index.
func validateNamed[T any](ids map[string]bool, pathFormat, noun, nameKey string, items []T, idAndName func(T) (string, string)) *pathError {
	for i, item := range items {
		p := fmt.Sprintf(pathFormat, i)
		id, name := idAndName(item)
		if err := needText(p, "id", id); err != nil {
			return err
		}
		if err := needText(p, nameKey, name); err != nil {
			return err
		}
		if ids[id] {
			return perr(p+".id", "duplicate %s id %q", noun, id)
		}
		ids[id] = true
	}
	return nil
}

func validateTicketTypes(types []TicketType, byID map[string]TicketType) *pathError {
	for i, tt := range types {
		p := fmt.Sprintf("$.ticketTypes[%d]", i)
		if err := needText(p, "id", tt.ID); err != nil {
			return err
		}
		if err := needText(p, "description", tt.Description); err != nil {
			return err
		}
		if _, dup := byID[tt.ID]; dup {
			return perr(p+".id", "duplicate ticket type id %q", tt.ID)
		}
		if err := validatePrice(p, tt.Price, tt.Tax); err != nil {
			return err
		}
		for j, c := range tt.VoucherTypeCodes {
			if strings.TrimSpace(c) == "" {
				return perr(fmt.Sprintf("%s.voucherTypeCodes[%d]", p, j), "must not be empty")
			}
		}
		for j, rp := range tt.RestrictedPrices {
			if err := validateRestrictedPrice(fmt.Sprintf("%s.restrictedPrices[%d]", p, j), rp); err != nil {
				return err
			}
		}
		byID[tt.ID] = tt
	}
	return nil
}

// validatePrice checks a price and the tax it includes.
func validatePrice(path string, price, tax float64) *pathError {
	if price < 0 {
		return perr(path+".price", "must not be negative")
	}
	if tax < 0 || tax > price {
		return perr(path+".tax", "must be from 0 to the price (%g), which includes it", price)
	}
	return nil
}

func validateRestrictedPrice(path string, rp RestrictedPrice) *pathError {
	if err := validatePrice(path, rp.Price, rp.Tax); err != nil {
		return err
	}
	if len(rp.Restrictions) == 0 {
		return perr(path+".restrictions", "must name at least one restriction (an unrestricted price is the type's own price)")
	}
	for k, r := range rp.Restrictions {
		if strings.TrimSpace(r) == "" {
			return perr(fmt.Sprintf("%s.restrictions[%d]", path, k), "must not be empty")
		}
	}
	return nil
}

func validateShowtimes(showtimes []Showtime, k *known) *pathError {
	for i, st := range showtimes {
		p := fmt.Sprintf("$.showtimes[%d]", i)
		if err := needText(p, "id", st.ID); err != nil {
			return err
		}
		if _, dup := k.showtimes[st.ID]; dup {
			return perr(p+".id", "duplicate showtime id %q", st.ID)
		}
		if err := validateShowtime(p, st, k); err != nil {
			return err
		}
		k.showtimes[st.ID] = st
	}
	return nil
}

// validateShowtime checks a showtime's references, times and ticket types.
func validateShowtime(p string, st Showtime, k *known) *pathError {
	if !k.sites[st.SiteID] {
		return perr(p+".siteId", "no site has id %q", st.SiteID)
	}
	if !k.films[st.FilmID] {
		return perr(p+".filmId", "no film has id %q", st.FilmID)
	}
	if !k.screens[st.ScreenID] {
		return perr(p+".screenId", "no screen has id %q", st.ScreenID)
	}
	starts, err := parseTime(p+".startsAt", st.StartsAt)
	if err != nil {
		return err
	}
	ends, err := parseTime(p+".endsAt", st.EndsAt)
	if err != nil {
		return err
	}
	if !ends.After(starts) {
		return perr(p+".endsAt", "must be after startsAt")
	}
	if len(st.TicketTypeIDs) == 0 {
		return perr(p+".ticketTypeIds", "must list at least one ticket type")
	}
	seen := map[string]bool{}
	for j, id := range st.TicketTypeIDs {
		if _, ok := k.ticketTypes[id]; !ok {
			return perr(fmt.Sprintf("%s.ticketTypeIds[%d]", p, j), "no ticket type has id %q", id)
		}
		if seen[id] {
			return perr(fmt.Sprintf("%s.ticketTypeIds[%d]", p, j), "ticket type %q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

func validateVouchers(vouchers []Voucher) *pathError {
	barcodes := map[string]bool{}
	for i, v := range vouchers {
		p := fmt.Sprintf("$.vouchers[%d]", i)
		if err := needText(p, "barcode", v.Barcode); err != nil {
			return err
		}
		if barcodes[v.Barcode] {
			// The barcode itself stays out of the message: files get pasted into tickets.
			return perr(p+".barcode", "duplicate barcode %s", maskBarcode(v.Barcode))
		}
		barcodes[v.Barcode] = true
		if err := validateVoucher(p, v); err != nil {
			return err
		}
	}
	if vouchers == nil {
		return perr("$", `missing required key "vouchers"`)
	}
	return nil
}

// validateVoucher checks what a voucher is, past its barcode.
func validateVoucher(p string, v Voucher) *pathError {
	if v.Pin != nil && *v.Pin == "" {
		return perr(p+".pin", "must not be empty; leave the key out for a voucher without a PIN")
	}
	if voucherType(v.Type) == "" {
		return perr(p+".type", "%q is not a voucher type (want Ticket, Subscription or Deal)", v.Type)
	}
	if err := needText(p, "voucherTypeCode", v.VoucherTypeCode); err != nil {
		return err
	}
	if err := needText(p, "description", v.Description); err != nil {
		return err
	}
	if v.Redemptions < 0 {
		return perr(p+".redemptions", "must not be negative")
	}
	if v.ExpiresAt != "" {
		if _, err := parseTime(p+".expiresAt", v.ExpiresAt); err != nil {
			return err
		}
	}
	return nil
}

func validateOrders(orders []Order, k *known) *pathError {
	ids := map[string]bool{}
	for i, o := range orders {
		p := fmt.Sprintf("$.orders[%d]", i)
		if err := needText(p, "id", o.ID); err != nil {
			return err
		}
		if strings.ContainsAny(o.ID, "/?#% ") {
			return perr(p+".id", "must not contain '/', '?', '#', '%%' or spaces")
		}
		if ids[o.ID] {
			return perr(p+".id", "duplicate order id %q", o.ID)
		}
		ids[o.ID] = true
		if err := validateOrder(p, o, k); err != nil {
			return err
		}
	}
	return nil
}

// validateOrder checks a seed order past its id: its site, mode and
// expiry, then its showtimes and their tickets.
func validateOrder(p string, o Order, k *known) *pathError {
	if !k.sites[o.SiteID] {
		return perr(p+".siteId", "no site has id %q", o.SiteID)
	}
	if bookingMode(o.BookingMode) == "" {
		return perr(p+".bookingMode", "%q is not a booking mode (want Paid, Unpaid or UnpaidConfirmed)", o.BookingMode)
	}
	if o.ExpiresInSeconds < 0 {
		return perr(p+".expiresInSeconds", "must not be negative")
	}
	seen := map[string]bool{}
	for j, ost := range o.Showtimes {
		sp := fmt.Sprintf("%s.showtimes[%d]", p, j)
		st, ok := k.showtimes[ost.ShowtimeID]
		if !ok {
			return perr(sp+".showtimeId", "no showtime has id %q", ost.ShowtimeID)
		}
		if st.SiteID != o.SiteID {
			return perr(sp+".showtimeId", "showtime %q is at site %q, not the order's site %q", st.ID, st.SiteID, o.SiteID)
		}
		if seen[st.ID] {
			return perr(sp+".showtimeId", "showtime %q is listed twice", st.ID)
		}
		seen[st.ID] = true
		if err := validateSeedTickets(sp, st, ost.Tickets, k); err != nil {
			return err
		}
	}
	return nil
}

// validateSeedTickets checks the tickets a seed order holds for showtime st:
// sold for it, and payable without a voucher, which no seed order has.
func validateSeedTickets(sp string, st Showtime, tickets []OrderTicket, k *known) *pathError {
	for i, t := range tickets {
		tp := fmt.Sprintf("%s.tickets[%d].ticketTypeId", sp, i)
		if !slices.Contains(st.TicketTypeIDs, t.TicketTypeID) {
			return perr(tp, "ticket type %q is not sold for showtime %q", t.TicketTypeID, st.ID)
		}
		if len(k.ticketTypes[t.TicketTypeID].VoucherTypeCodes) > 0 {
			return perr(tp, "ticket type %q needs a voucher, and seed orders start without vouchers", t.TicketTypeID)
		}
	}
	return nil
}

func validateLimits(l *Limits) *pathError {
	switch {
	case l == nil:
		return nil
	case l.PinAttempts < 0:
		return perr("$.limits.pinAttempts", "must not be negative (0 means %d)", defaultPinAttempts)
	case l.BlockSeconds < 0:
		return perr("$.limits.blockSeconds", "must not be negative (0 means %d)", defaultBlockSeconds)
	case l.OrderExpirySeconds < 0:
		return perr("$.limits.orderExpirySeconds", "must not be negative (0 means %d)", defaultOrderExpirySeconds)
	}
	return nil
}

func validateAuth(a *Auth) *pathError {
	if a == nil {
		return nil
	}
	for i, t := range a.Tokens {
		if strings.TrimSpace(t) == "" {
			return perr(fmt.Sprintf("$.auth.tokens[%d]", i), "must not be empty")
		}
	}
	users := map[string]bool{}
	for i, u := range a.Users {
		p := fmt.Sprintf("$.auth.users[%d]", i)
		if err := needText(p, "username", u.Username); err != nil {
			return err
		}
		if u.Password == "" {
			return perr(p+".password", "must not be empty")
		}
		if users[u.Username] {
			return perr(p+".username", "duplicate user %q", u.Username)
		}
		users[u.Username] = true
	}
	if a.TokenLifetimeSeconds < 0 {
		return perr("$.auth.tokenLifetimeSeconds", "must not be negative (0 means %d)", defaultTokenLifetime)
	}
	return nil
}

// validateRegions checks the region codes, which are matched regardless of
// letter case.
func validateRegions(regions []string) *pathError {
	seen := map[string]bool{}
	for i, r := range regions {
		p := fmt.Sprintf("$.regions[%d]", i)
		if strings.TrimSpace(r) == "" {
			return perr(p, "must not be empty")
		}
		if seen[strings.ToUpper(r)] {
			return perr(p, "duplicate region %q", r)
		}
		seen[strings.ToUpper(r)] = true
	}
	return nil
}

func needText(path, key, v string) *pathError {
	if strings.TrimSpace(v) == "" {
		return perr(path+"."+key, "must not be empty")
	}
	return nil
}

func parseTime(path, s string) (time.Time, *pathError) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, perr(path, "%q is not an RFC 3339 date-time like 2026-11-28T19:30:00+13:00", s)
	}
	return t, nil
}
