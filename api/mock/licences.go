package mock

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Vista's licence names as its reference pages list them under "Licenses
// Required". The mock cannot import the client, so it names them itself.
const (
	LicenceOcapi                   = "Vista.Ocapi"
	LicenceEmbeddedPayment         = "Vista.Ocapi.EmbeddedPayment"
	LicenceTicketPricesForShowtime = "Vista.Ocapi.TicketPricesForShowtime"
)

// Licences lists the licences the mock can withhold (Options.MissingLicences).
func Licences() []string {
	return []string{LicenceOcapi, LicenceEmbeddedPayment, LicenceTicketPricesForShowtime}
}

// ParseLicences checks licence names given by a person, in any letter
// case, and returns them as Vista spells them, each once.
func ParseLicences(names []string) ([]string, error) {
	var out []string
	for _, name := range names {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(Licences(), func(l string) bool { return strings.EqualFold(l, name) })
		if i < 0 {
			return nil, fmt.Errorf("unknown licence %q (want one of %s)", name, strings.Join(Licences(), ", "))
		}
		if l := Licences()[i]; !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// requiredLicences maps a request to the licences Vista documents for its
// operation: Vista.Ocapi on every one, and the completion and ticket-price
// pages one more each. The order read and cancel have no reference page;
// like every page that exists, they are taken to need Vista.Ocapi. Reading a
// completion back is not confirmed to need the completion's licence, so the
// mock does not ask for it. It goes by method and path rather than by mux
// pattern, so that how the routes are registered cannot change the answer.
func requiredLicences(method, path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 || segs[0] != "ocapi" || segs[1] != "v1" {
		return nil
	}
	if len(segs) == 5 {
		switch {
		case method == http.MethodPost && segs[2] == "orders" && segs[4] == "completion":
			return []string{LicenceOcapi, LicenceEmbeddedPayment}
		case method == http.MethodGet && segs[2] == "showtimes" && segs[4] == "ticket-prices":
			return []string{LicenceOcapi, LicenceTicketPricesForShowtime}
		}
	}
	return []string{LicenceOcapi}
}

// refuseUnlicensed answers 403 when a routed request needs a licence the
// account lacks, before the handler can change anything. Vista documents no error
// body, so it is the mock's usual small JSON error naming the licences.
func (s *Server) refuseUnlicensed(w http.ResponseWriter, r *http.Request) bool {
	if len(s.missingLicences) == 0 {
		return false
	}
	var missing []string
	for _, l := range requiredLicences(r.Method, r.URL.Path) {
		if slices.Contains(s.missingLicences, l) {
			missing = append(missing, l)
		}
	}
	if len(missing) == 0 {
		return false
	}
	s.fail(w, &apiError{status: http.StatusForbidden, code: "LicenceMissing",
		msg: fmt.Sprintf("This account lacks the %s licence, which this operation needs.", strings.Join(missing, " and "))})
	return true
}
