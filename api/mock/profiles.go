package mock

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Profile is one way a tenant may answer where Vista documents two ways or
// none. Each choice names its source, for `boxoffice mock --help` and
// docs/mock.md.
type Profile struct {
	Name    string `json:"name"`
	Summary string `json:"summary"`
	// Choices say what the profile does, each with its source.
	Choices []string `json:"choices"`

	// GuideMask masks as the ticket-voucher guide's answer does
	// (ADTMM0000111 -> ........0111) instead of the reference page's
	// example (12.......6789).
	GuideMask bool `json:"-"`
	// TicketWithoutShowtime accepts a Ticket voucher add without showtimeId.
	TicketWithoutShowtime bool `json:"-"`
	// FirstBusinessDate accepts "first" as the business date of the
	// showtimes list.
	FirstBusinessDate bool `json:"-"`
	// NoOrderVouchers leaves vouchers[] out of every order.
	NoOrderVouchers bool `json:"-"`
	// NoErrorBodies answers every error with its status alone.
	NoErrorBodies bool `json:"-"`
	// Bare429 answers a blocked voucher's 429 with no body and no Retry-After.
	Bare429 bool `json:"-"`
	// RepeatAddAnswersVoucher answers a second add of a barcode already on
	// the order 200 with the voucher already there, instead of refusing it.
	RepeatAddAnswersVoucher bool `json:"-"`
	// Absent lists operations (operationIds) the tenant does not serve: they
	// answer 405 with the methods the path still has.
	Absent []string `json:"-"`
}

// The profiles' names.
const (
	ProfileVistaReference = "vista-reference"
	ProfileVistaGuide     = "vista-guide"
	ProfileSparse         = "sparse"
	ProfileRepeatAdd      = "repeat-add-accepted"
)

// DefaultProfile is the profile of a mock given none.
const DefaultProfile = ProfileVistaReference

// completionUnpaid is a choice every profile makes, being Vista's word.
const completionUnpaid = "an Unpaid or UnpaidConfirmed order is completed with something left to pay: the completion " +
	"page says a completion must be created for \"zero value orders, unpaid orders or orders paid entirely by gift card\" [doc]"

var profiles = []Profile{
	{
		Name:    ProfileVistaReference,
		Summary: "the mock's own reading of Vista's reference pages (the default)",
		Choices: []string{
			"barcodes masked as the AddVoucher reference page's example 12.......6789: first two and last four kept [doc]",
			"a Ticket add needs showtimeId, as the ticket-voucher guide sends it [doc]; the business date must be yyyy-mm-dd",
			"order.vouchers[] on every order, with availableRedemptions [mock: Vista documents neither on an in-progress order]",
			"error bodies {errorCode, message}; a 429 with blockedUntilUtc and Retry-After [mock: Vista documents no error body]",
			"a second add of a barcode already on the order is a 400 VoucherAlreadyOnOrder [mock: Vista is silent]",
			completionUnpaid,
		},
	},
	{
		Name:    ProfileVistaGuide,
		Summary: "as Vista's ticket-voucher guide and live tenants answer",
		Choices: []string{
			"barcodes masked as the ticket-voucher guide's real answer ADTMM0000111 -> ........0111: all but the last four [doc]",
			"a Ticket add without showtimeId is accepted, as in the AddVoucher reference page's request sample [doc]",
			"\"first\" is accepted as the business date of the showtimes list, as a live tenant does [client]",
			completionUnpaid,
		},
		GuideMask: true, TicketWithoutShowtime: true, FirstBusinessDate: true,
	},
	{
		Name:    ProfileSparse,
		Summary: "a tenant that says as little as Vista's documents promise",
		Choices: []string{
			"no order.vouchers[] on an order: no page shows it on an in-progress order [unverified]",
			"errors carry their status alone, no body: Vista documents no error body [doc]",
			"a 429 with no body and no Retry-After: both are undocumented [unverified]",
			"no GET /ocapi/v1/orders/{orderId}/completion (405): its path and answers are not confirmed [unverified]",
			completionUnpaid,
		},
		NoOrderVouchers: true, NoErrorBodies: true, Bare429: true,
		Absent: []string{"OcapiOrderCompletion_GetOrderCompletion"},
	},
	{
		Name:    ProfileRepeatAdd,
		Summary: "a tenant that takes a repeated add of a voucher as the same add",
		Choices: []string{
			"a second add of a barcode already on the order answers 200 with the voucher already there: whether it is refused is not documented [unverified]",
			completionUnpaid,
		},
		RepeatAddAnswersVoucher: true,
	},
}

// Profiles lists every profile, vista-reference first.
func Profiles() []Profile {
	out := slices.Clone(profiles)
	for i := range out {
		out[i].Choices = slices.Clone(out[i].Choices)
		out[i].Absent = slices.Clone(out[i].Absent)
	}
	return out
}

// ProfileNames lists the profiles' names.
func ProfileNames() []string {
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.Name
	}
	return names
}

// LookupProfile finds a profile by name, in any letter case; "" is the default.
func LookupProfile(name string) (Profile, error) {
	if strings.TrimSpace(name) == "" {
		name = DefaultProfile
	}
	for _, p := range Profiles() {
		if strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("unknown profile %q (want one of %s)", name, strings.Join(ProfileNames(), ", "))
}

// mask is a barcode as this profile's tenant masks it.
func (p *Profile) mask(barcode string) string {
	if !p.GuideMask {
		return maskBarcode(barcode)
	}
	r := []rune(barcode)
	if len(r) <= 4 {
		return strings.Repeat(".", len(r))
	}
	return strings.Repeat(".", len(r)-4) + string(r[len(r)-4:])
}

// absent reports whether the profile leaves out the operation.
func (p *Profile) absent(operationID string) bool {
	return operationID != "" && slices.Contains(p.Absent, operationID)
}

// shapeOrder removes from an order's answer what the profile's tenant does
// not send.
func (p *Profile) shapeOrder(o *orderResponse) {
	if p.NoOrderVouchers {
		o.Order.Vouchers = nil
	}
}

// checkProfile is the data file's check of its "profile".
func checkProfile(name string) *pathError {
	if name == "" {
		return nil
	}
	if _, err := LookupProfile(name); err != nil {
		return perr("$.profile", "%s", strings.TrimPrefix(err.Error(), "unknown profile "))
	}
	return nil
}

// refuseAbsent answers 405 to an operation the profile's tenant does not
// serve, with the methods its path still has, as ASP.NET answers a method
// it has no action for.
func (s *Server) refuseAbsent(w http.ResponseWriter, r *http.Request) bool {
	if len(s.profile.Absent) == 0 {
		return false
	}
	op := s.operations.Operation(r.Method, r.URL.Path)
	if op == nil || !s.profile.absent(op.ID) {
		return false
	}
	var allowed []string
	for _, m := range s.operations.Allowed(r.URL.Path) {
		if other := s.operations.Operation(m, r.URL.Path); other != nil && !s.profile.absent(other.ID) {
			allowed = append(allowed, m)
		}
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	s.fail(w, &apiError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed",
		msg: fmt.Sprintf("%s is not served here by this tenant (profile %s); allowed: %s.", r.Method, s.profile.Name, strings.Join(allowed, ", "))})
	return true
}

// Profile is the name of the profile the server plays.
func (s *Server) Profile() string {
	s.worldMu.RLock()
	defer s.worldMu.RUnlock()
	return s.profile.Name
}
