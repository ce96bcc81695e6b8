package proxy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// shapeSpec is a schema whose required and nullable flags (or property
// names, or values) the contract leaves [unverified]: the proxy does not
// confirm or contradict it, it shows what the tenant sends, property by
// property, for whoever tightens the contract.
type shapeSpec struct {
	schema string
	// request: the objects are read in accepted requests, not in answers.
	request bool
	// values are properties ("type", "discount.calculation.type") whose
	// values are shown, being an enum the contract does not close.
	values []string
	where  []string
}

func described(name string, props ...string) []string {
	out := []string{schemaAt(name, "/description")}
	for _, p := range props {
		out = append(out, schemaAt(name, "/properties/"+p+"/description"))
	}
	return out
}

var shapeSpecs = []shapeSpec{
	{schema: "OrderVoucher", where: described("OrderVoucher")},
	{schema: "AddVoucherResponse", where: described("AddVoucherResponse")},
	{schema: "InProgressStandardOrder", where: []string{schemaAt("InProgressStandardOrder", "/properties/siteId/description"),
		schemaAt("InProgressStandardOrder", "/properties/showtimes/description")}},
	{schema: "OrderResponse", where: described("OrderResponse", "relatedData")},
	{schema: "OrderShowtime", where: described("OrderShowtime")},
	{schema: "OrderShowtimeTicket", values: []string{"type"}, where: described("OrderShowtimeTicket", "type")},
	{schema: "OrderSeat", where: described("OrderSeat")},
	{schema: "OrderSeatPosition", where: described("OrderSeatPosition")},
	{schema: "OrderTicketRequest", request: true, where: described("OrderTicketRequest")},
	{schema: "CompletedOrderResponse", where: []string{schemaAt("CompletedOrderResponse", "/properties/relatedData/description"),
		schemaAt("CompletedOrderResponse", "/properties/linkedOrders/description")}},
	{schema: "CompletedStandardOrder", where: described("CompletedStandardOrder", "booking", "transaction", "vouchers", "deals",
		"payments", "showtimes", "items", "journeyReference", "expiresAt")},
	{schema: "ShowtimeResponse", where: described("ShowtimeResponse")},
	{schema: "ShowtimesResponse", where: described("ShowtimesResponse")},
	{schema: "Showtime", where: described("Showtime", "seatLayoutId", "areaCategories", "isAllocatedSeating")},
	{schema: "ShowtimeRelatedData", where: described("ShowtimeRelatedData", "screens")},
	{schema: "Screen", where: described("Screen", "name")},
	{schema: "Site", where: described("Site")},
	{schema: "TicketPricesResponse", where: described("TicketPricesResponse")},
	{schema: "TicketPrice", values: []string{"discount.calculation.type"},
		where: []string{schemaAt("TicketPrice", "/description"), schemaAt("TicketPrice", "/properties/discount/properties/calculation/properties/type/description")}},
	{schema: "TicketPricesRelatedData", where: described("TicketPricesRelatedData")},
	{schema: "TicketType", where: described("TicketType")},
	{schema: "TokenResponse", where: described("TokenResponse")},
	{schema: "SeatLayout", where: append(described("SeatLayout"), in(pathSeatLayout, "/get/description"))},
	{schema: "SeatLayoutArea", where: described("SeatLayoutArea", "name", "description")},
	{schema: "SeatLayoutRow", where: described("SeatLayoutRow")},
	{schema: "SeatLayoutSeat", where: described("SeatLayoutSeat")},
	{schema: "SeatLayoutPosition", where: described("SeatLayoutPosition")},
	{schema: "AreaCategory", where: described("AreaCategory")},
	{schema: "SeatAvailabilityResponse", where: described("SeatAvailabilityResponse")},
	{schema: "SeatAvailability", values: []string{"status"}, where: described("SeatAvailability")},
	{schema: "AreaCategorySummary", where: described("AreaCategorySummary")},
}

// shapeFacts are the facts of shapeSpecs, for the catalogue.
func shapeFacts() []*fact {
	out := make([]*fact, 0, len(shapeSpecs))
	for _, s := range shapeSpecs {
		side := "answers"
		if s.request {
			side = "accepted requests"
		}
		out = append(out, &fact{ID: "shape." + s.schema, shape: s.schema, Where: s.where,
			Claim:   s.schema + ": required and nullable flags (and open values) unknown, so every property is optional and may be null",
			Decides: "not confirmed or contradicted: what the tenant sends in its " + side + " is shown, property by property"})
	}
	return out
}

// Bounds on what a shape keeps.
const (
	maxExtraFields = 20
	maxValues      = 12
)

// shapeTally is what the tenant sent for one schema.
type shapeTally struct {
	spec     shapeSpec
	declared []string
	objects  int
	present  map[string]int
	null     map[string]int
	extra    map[string]int
	values   map[string]map[string]int
}

func newShapeTally(spec shapeSpec, d *document) *shapeTally {
	t := &shapeTally{spec: spec, present: map[string]int{}, null: map[string]int{}, extra: map[string]int{}, values: map[string]map[string]int{}}
	if s := d.schemas[spec.schema]; s != nil {
		for name := range s.Properties {
			t.declared = append(t.declared, name)
		}
	}
	sort.Strings(t.declared)
	return t
}

func (t *shapeTally) add(obj map[string]any) {
	t.objects++
	for key, v := range obj {
		switch {
		case !slices.Contains(t.declared, key):
			if len(t.extra) < maxExtraFields || t.extra[safeWord(key)] > 0 {
				t.extra[safeWord(key)]++
			}
		case v == nil:
			t.null[key]++
		default:
			t.present[key]++
		}
	}
	for _, path := range t.spec.values {
		v, _ := dig(obj, strings.Split(path, ".")...)
		if s, ok := v.(string); ok {
			seen := t.values[path]
			if seen == nil {
				seen = map[string]int{}
				t.values[path] = seen
			}
			if len(seen) < maxValues || seen[safeWord(s)] > 0 {
				seen[safeWord(s)]++
			}
		}
	}
}

// describe says what was seen, in one line.
func (t *shapeTally) describe() string {
	if t.objects == 0 {
		return ""
	}
	var always, sometimes, nulls, never []string
	for _, p := range t.declared {
		sent, null := t.present[p], t.null[p]
		switch {
		case sent == t.objects:
			always = append(always, p)
		case sent+null == 0:
			never = append(never, p)
		case sent > 0:
			sometimes = append(sometimes, fmt.Sprintf("%s (%d of %d)", p, sent, t.objects))
		}
		if null > 0 {
			nulls = append(nulls, fmt.Sprintf("%s (%d of %d)", p, null, t.objects))
		}
	}
	parts := []string{fmt.Sprintf("%d object(s)", t.objects)}
	add := func(label string, list []string) {
		if len(list) > 0 {
			parts = append(parts, label+": "+strings.Join(list, ", "))
		}
	}
	add("always sent", always)
	add("sometimes sent", sometimes)
	add("null", nulls)
	add("never sent", never)
	add("also sent", sortedKeys(t.extra))
	for _, path := range t.spec.values {
		add(path+" values", sortedKeys(t.values[path]))
	}
	return strings.Join(parts, "; ")
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
