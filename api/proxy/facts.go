package proxy

import "strings"

// Operations the rules name.
const (
	opCreateToken         = "GlobalAuthentication_CreateToken"
	opCreateOrder         = "OcapiOrders_CreateStandardOrderAsBooking"
	opGetOrder            = "OcapiOrders_GetOrder"
	opCancelOrder         = "OcapiOrders_CancelOrder"
	opAddVoucher          = "OcapiOrderVouchers_AddVoucher"
	opRemoveVoucher       = "OcapiOrderVouchers_RemoveVoucher"
	opSetShowtime         = "OcapiOrderShowtimes_SetShowtime"
	opComplete            = "OcapiOrderCompletion_CreateOrderCompletion"
	opGetCompletion       = "OcapiOrderCompletion_GetOrderCompletion"
	opGetCompleted        = "OcapiCompletedOrders_GetCompletedOrderByOrderid"
	opGetShowtime         = "OcapiShowtimes_GetShowtime"
	opShowtimesByDate     = "OcapiShowtimes_GetShowtimesForBusinessDate"
	opSeatLayout          = "OcapiSeatLayouts_GetSeatLayout"
	opOrderSeatsAvailable = "OcapiSeatAvailability_GetSeatAvailabilityForOrder"
)

// fact is one [unverified] fact of the contract and the rule that decides
// it from exchanges. Where lists the places it is written: JSON pointers
// into api/contract/openapi.json, or a row of docs/contract.md's table of
// what is still unverified.
type fact struct {
	ID        string
	Operation string // the operation it is about; "" for several
	Claim     string // the project's reading, which traffic confirms or contradicts
	Decides   string // how an exchange decides it
	Where     []string
	rule      func(*observation) (outcome, string)
	// notDecidable, when set, says why no exchange can decide it.
	notDecidable string
	// shape, when set, makes the fact an observation of the objects of
	// this schema (shapes.go) rather than a rule.
	shape string
}

// in is a pointer under a path of the contract: in("/ocapi/v1/orders/{orderId}", "/get/summary").
func in(path, rest string) string { return "/paths/" + strings.ReplaceAll(path, "/", "~1") + rest }

// schemaAt is a pointer under a component schema.
func schemaAt(name, rest string) string { return "/components/schemas/" + name + rest }

// contractRow names a row of docs/contract.md's table of unknowns.
func contractRow(words string) string { return "docs/contract.md, still unverified: " + words }

const (
	pathOrder       = "/ocapi/v1/orders/{orderId}"
	pathVouchers    = "/ocapi/v1/orders/{orderId}/vouchers"
	pathVoucher     = "/ocapi/v1/orders/{orderId}/vouchers/{voucherId}"
	pathSetShowtime = "/ocapi/v1/orders/{orderId}/showtimes/{showtimeId}"
	pathCompletion  = "/ocapi/v1/orders/{orderId}/completion"
	pathCompleted   = "/ocapi/v1/orders/completed/{orderId}"
	pathShowtime    = "/ocapi/v1/showtimes/{showtimeId}"
	pathByDate      = "/ocapi/v1/showtimes/by-business-date/{businessDate}"
	pathSeatLayout  = "/ocapi/v1/showtimes/{showtimeId}/seat-layout"
	pathOrderSeats  = "/ocapi/v1/orders/{orderId}/showtimes/{showtimeId}/seat-availability"
	pathToken       = "/connect/token"
)

// facts is the catalogue: every [unverified] fact of the contract, each
// with its rule. TestEveryUnverifiedFactHasARule keeps it whole.
var facts = []*fact{
	// Orders.
	{ID: "order.read", Operation: opGetOrder,
		Claim:   "GET /ocapi/v1/orders/{orderId} reads an in-progress order as {order, relatedData}",
		Decides: "a 200 with the order in the contract's shape confirms; a 200 that breaks that shape, a 405 or 501, or a 404 to an order this run saw in progress contradicts",
		Where:   []string{in(pathOrder, "/get/summary"), in(pathOrder, "/get/description"), in(pathOrder, "/get/responses/200/description")},
		rule:    ruleOrderRead},
	{ID: "order.read-completed", Operation: opGetOrder,
		Claim:   "a completed order no longer reads at GET /ocapi/v1/orders/{orderId} (404): it lives under /orders/completed/",
		Decides: "a 404 to the read of an order completed here confirms; a 200 contradicts",
		Where:   []string{in(pathOrder, "/get/description")},
		rule:    ruleOrderReadCompleted},
	{ID: "order.read-404", Operation: opGetOrder,
		Claim:   "an order that does not exist, or was released, reads 404",
		Decides: "a 404 to an order cancelled here, past its expiry or never seen confirms; another answer to an order cancelled here or past its expiry contradicts",
		Where:   []string{in(pathOrder, "/get/responses/404/description")},
		rule:    goneAnswers404(opGetOrder)},
	{ID: "order.cancel-status", Operation: opCancelOrder,
		Claim:   "a cancel succeeds with 200 or 204",
		Decides: "a 200 or 204 confirms; another 2xx contradicts",
		Where:   []string{in(pathOrder, "/delete/description"), in(pathOrder, "/delete/responses/200/description"), in(pathOrder, "/delete/responses/204/description")},
		rule:    ruleCancelStatus},
	{ID: "order.cancel-404", Operation: opCancelOrder,
		Claim:   "cancelling an order that does not exist answers 404",
		Decides: "a 404 to an order already cancelled here, past its expiry or never seen confirms; another answer to an order already cancelled here or past its expiry contradicts",
		Where:   []string{in(pathOrder, "/delete/responses/404/description")},
		rule:    goneAnswers404(opCancelOrder)},
	{ID: "order.cancel-completed", Operation: opCancelOrder,
		Claim:   "a completed order cannot be cancelled: 400",
		Decides: "a 400 to the cancel of an order completed here confirms; any other answer to it but 401, 403, 429 or a 5xx contradicts",
		Where:   []string{in(pathOrder, "/delete/responses/400/description")},
		rule:    ruleCancelCompleted},

	// Vouchers.
	{ID: "voucher.listed", Operation: "",
		Claim:   "an in-progress order lists its vouchers in order.vouchers[]",
		Decides: "a 200 order answer (read, create, tickets) for an order holding vouchers added here: listing them confirms; order.vouchers absent, null or without them contradicts",
		Where: []string{schemaAt("InProgressStandardOrder", "/properties/vouchers/description"), schemaAt("InProgressStandardOrder", "/description"),
			"/components/examples/InProgressOrderRealistic/description", contractRow("whether an in-progress order lists its `vouchers`")},
		rule: ruleVouchersListed},
	{ID: "voucher.repeat-add", Operation: opAddVoucher,
		Claim:   "a second add of a barcode already on the order is refused (400)",
		Decides: "the add of a barcode added to the same order here (and not removed): a 400 confirms, a 200 contradicts (saying whether it answered the same voucher or a second one)",
		Where:   []string{contractRow("a second add of a barcode already on the order")},
		rule:    ruleRepeatAdd},
	{ID: "voucher.mask", Operation: opAddVoucher,
		Claim:   "maskedBarcode keeps at most the first two and the last four characters, '.' for the rest (Vista's two documented forms)",
		Decides: "a 200 add of a barcode of ten or more characters: its maskedBarcode's form, compared with the barcode sent, confirms or contradicts",
		Where:   []string{schemaAt("OrderVoucher", "/description")},
		rule:    ruleMask(10, 0, 2, 4)},
	{ID: "voucher.mask-short", Operation: opAddVoucher,
		Claim:   "a barcode of five to nine characters keeps only its last four",
		Decides: "a 200 add of such a barcode: its maskedBarcode's form confirms or contradicts",
		Where:   []string{contractRow("how Vista masks barcodes shorter than its example")},
		rule:    ruleMask(5, 9, 0, 4)},
	{ID: "voucher.429-retry-after", Operation: opAddVoucher,
		Claim:   "a 429 says when to try again in a Retry-After header",
		Decides: "a 429 with Retry-After (seconds or a date) confirms; one without, or with one of neither form, contradicts",
		Where:   []string{in(pathVouchers, "/post/responses/429/description"), contractRow("the 429 body")},
		rule:    ruleRetryAfter},
	{ID: "voucher.429-body", Operation: opAddVoucher,
		Claim:   "a 429's body is JSON with blockedUntilUtc",
		Decides: "a 429 whose JSON body has a readable blockedUntilUtc confirms; any other body contradicts",
		Where:   []string{in(pathVouchers, "/post/responses/429/description"), contractRow("the 429 body")},
		rule:    ruleBlockedBody},
	{ID: "voucher.type-case", Operation: opAddVoucher,
		Claim:   "a voucher type in another letter case (\"ticket\", as Vista's guide sends it) is accepted",
		Decides: "an add whose type is Ticket, Deal or Subscription in another case: a 2xx confirms; a 400 whose body names the type contradicts",
		Where:   []string{schemaAt("VoucherType", "/description")},
		rule:    ruleTypeCase},
	{ID: "voucher.barcode-required", Operation: opAddVoucher,
		Claim:   "credentials.barcode is required and not empty",
		Decides: "an add without a barcode, or with an empty one: a 400 confirms, a 2xx contradicts",
		Where:   []string{schemaAt("VoucherCredentials", "/description")},
		rule:    ruleBarcodeRequired},
	{ID: "voucher.pin-optional", Operation: opAddVoucher,
		Claim:   "credentials.pin may be null or left out (a voucher without a PIN)",
		Decides: "a 2xx to an add whose pin is null or left out confirms; a 400 cannot contradict it, as Vista gives one 400 for every refusal",
		Where:   []string{schemaAt("VoucherCredentials", "/description")},
		rule:    rulePinOptional},
	{ID: "voucher.deal-fields", Operation: opAddVoucher,
		Claim:   "a Deal add needs nothing beyond type and credentials",
		Decides: "a 2xx to a Deal add of type and credentials alone confirms; a 400 cannot contradict it (one 400 for every refusal)",
		Where:   []string{schemaAt("AddDealVoucherRequest", "/description")},
		rule:    ruleOnlyTypeAndCredentials("Deal")},
	{ID: "voucher.subscription-fields", Operation: opAddVoucher,
		Claim:   "a Subscription add needs nothing beyond type and credentials",
		Decides: "a 2xx to a Subscription add of type and credentials alone confirms; a 400 cannot contradict it (one 400 for every refusal)",
		Where:   []string{schemaAt("AddSubscriptionVoucherRequest", "/description")},
		rule:    ruleOnlyTypeAndCredentials("Subscription")},
	{ID: "voucher.ticket-without-showtime", Operation: opAddVoucher,
		Claim:   "a Ticket add without showtimeId is accepted, as in the reference page's sample",
		Decides: "a Ticket add without showtimeId: a 2xx confirms; a 400 whose body names the showtime contradicts",
		Where:   []string{schemaAt("AddTicketVoucherRequest", "/description")},
		rule:    ruleTicketWithoutShowtime},
	{ID: "voucher.remove-404", Operation: opRemoveVoucher,
		Claim:   "removing a voucher from an order that does not exist answers 404",
		Decides: "a 404 to an order cancelled here, past its expiry or never seen confirms; another answer to an order cancelled here or past its expiry contradicts",
		Where:   []string{in(pathVoucher, "/delete/responses/404/description")},
		rule:    goneAnswers404(opRemoveVoucher)},

	// Tickets and seats.
	{ID: "tickets.unknown-seat", Operation: opSetShowtime,
		Claim:   "a seat not in the showtime's layout is refused (400)",
		Decides: "tickets set with a seat id absent from the layout read here: a 400 confirms, a 2xx contradicts",
		Where:   []string{in(pathSetShowtime, "/put/responses/400/description")},
		rule:    ruleUnknownSeat},
	{ID: "tickets.seat-count", Operation: opSetShowtime,
		Claim:   "seats not as many as the tickets are refused (400)",
		Decides: "tickets set with a seat list of another length than the ticket list: a 400 confirms, a 2xx contradicts",
		Where:   []string{in(pathSetShowtime, "/put/responses/400/description")},
		rule:    ruleSeatCount},
	{ID: "seats.own-available", Operation: opOrderSeatsAvailable,
		Claim:   "an order's own seats read Available in its order-scoped seat availability",
		Decides: "a 200 for a showtime where the order's last answer showed its seats: all Available confirms; any other status contradicts",
		Where:   []string{in(pathOrderSeats, "/get/description")},
		rule:    ruleOwnSeats},

	// Completion.
	{ID: "completion.seats-needed", Operation: opComplete,
		Claim:   "an order whose tickets on an allocated showtime have no seats cannot be completed (400)",
		Decides: "the completion of an order whose last answer showed tickets without seats on a showtime read here as allocated: a 400 confirms, a 2xx contradicts",
		Where:   []string{in(pathCompletion, "/post/responses/400/description")},
		rule:    ruleCompletionSeats},
	{ID: "completion.404", Operation: opComplete,
		Claim:   "completing an order that does not exist answers 404",
		Decides: "a 404 to an order cancelled here, past its expiry or never seen confirms; another answer to an order cancelled here or past its expiry contradicts",
		Where:   []string{in(pathCompletion, "/post/responses/404/description")},
		rule:    goneAnswers404(opComplete)},
	{ID: "completion.answer", Operation: "",
		Claim:   "a completion answers {orderId, orderType, status, transactionNumber}, status Pending, Completed or Failed (the one variant of the page's 'One of' that could be read)",
		Decides: "a 200 to a completion or its read: orderId and a known status confirm; anything else contradicts",
		Where:   []string{schemaAt("OrderCompletion", "/description")},
		rule:    ruleCompletionAnswer},
	{ID: "completion.read", Operation: opGetCompletion,
		Claim:   "GET /ocapi/v1/orders/{orderId}/completion reads a completion again, answering the OrderCompletion",
		Decides: "a 200 with a status confirms; a 405 or 501, or a 404 for an order whose completion was made here, contradicts",
		Where:   []string{in(pathCompletion, "/get/description"), in(pathCompletion, "/get/responses/200/description")},
		rule:    ruleCompletionRead},
	{ID: "completion.read-404", Operation: opGetCompletion,
		Claim:   "an order without a completion answers 404 to GET …/completion",
		Decides: "the read for an order in progress here with no completion made: a 404 confirms, a 200 contradicts",
		Where:   []string{in(pathCompletion, "/get/responses/404/description")},
		rule:    ruleCompletionRead404},
	{ID: "completed.read", Operation: opGetCompleted,
		Claim:   "GET /ocapi/v1/orders/completed/{orderId} answers {order, relatedData} with the completed order",
		Decides: "a 200 with order.id confirms; a 200 without it, or a 404 for an order completed here, contradicts",
		Where: []string{in(pathCompleted, "/get/description"), in(pathCompleted, "/get/responses/200/description"),
			schemaAt("CompletedOrderResponse", "/description")},
		rule: ruleCompletedRead},

	// Showtimes.
	{ID: "showtime.404", Operation: opGetShowtime,
		Claim:   "an unknown showtime answers 404",
		Decides: "a 404 confirms; a 410, or a 400 to a read without a region code, contradicts",
		Where:   []string{in(pathShowtime, "/get/description"), in(pathShowtime, "/get/responses/404/description")},
		rule:    ruleUnknownAnswers404(opGetShowtime)},
	{ID: "seat-layout.404", Operation: opSeatLayout,
		Claim:   "a showtime without a seat layout, or an unknown one, answers 404",
		Decides: "a 404 confirms; a 410, or a 400 to a read without a region code, contradicts",
		Where:   []string{in(pathSeatLayout, "/get/responses/404/description")},
		rule:    ruleUnknownAnswers404(opSeatLayout)},
	{ID: "showtimes.bad-filter", Operation: opShowtimesByDate,
		Claim:   "an invalid business date or site filter answers 400",
		Decides: "a list whose date is neither yyyy-mm-dd nor \"first\", or without siteIds: a 400 confirms, a 2xx contradicts",
		Where:   []string{in(pathByDate, "/get/responses/400/description")},
		rule:    ruleBadFilter},
	{ID: "seat.types", Operation: opSeatLayout,
		Claim:   "seat types are among Normal, Wheelchair, Companion, Sofa, House and Broken",
		Decides: "a 200 layout: seat types all among these confirm; any other type contradicts (and is named)",
		Where:   []string{schemaAt("SeatLayoutSeat", "/properties/type/description")},
		rule:    ruleSeatTypes},
	{ID: "seat.group-includes-itself", Operation: opSeatLayout,
		Claim:   "a grouped seat's seatsInGroup lists the seat itself",
		Decides: "a 200 layout with grouped seats: each listing itself confirms; one that does not contradicts",
		Where:   []string{schemaAt("SeatLayoutSeat", "/properties/seatsInGroup/description")},
		rule:    ruleSeatGroups},

	// Across operations.
	{ID: "errors.body", Operation: "",
		Claim:   "an error body is JSON with a code or message the client reads (errorCode, message and their usual variants)",
		Decides: "a 4xx with such a body confirms; a 4xx with no body, a body that is not JSON or JSON without them contradicts",
		Where:   []string{contractRow("the error body of any call")},
		rule:    ruleErrorBody},
	{ID: "region.unknown-400", Operation: "",
		Claim:   "an unknown Connect-Region-Code answers 400",
		Decides: "a 400 to a read sent with a region code, where the same path read 2xx without it or with another, confirms; no answer can contradict it, as an accepted code may be known",
		Where:   []string{"/components/parameters/ConnectRegionCode/description", contractRow("what an unknown `Connect-Region-Code` gets")},
		rule:    ruleRegion},

	// Sign-in.
	{ID: "token.auth-host", Operation: opCreateToken,
		Claim:   "tokens come from an auth host of their own, not the tenant's API host",
		Decides: "POST /connect/token through the proxy (to the API host): a 404 or 405 confirms, a 200 with a token contradicts",
		Where:   []string{in(pathToken, "/servers/0/description")},
		rule:    ruleAuthHost},
	{ID: "token.400-body", Operation: opCreateToken,
		Claim:   "a refused sign-in answers an OAuth 2.0 error body ({\"error\": ...})",
		Decides: "a 400 with JSON error confirms; any other 400 body contradicts",
		Where:   []string{in(pathToken, "/post/responses/400/description")},
		rule:    ruleTokenError},
	{ID: "token.request-fields", Operation: opCreateToken,
		Claim:   "the token request needs grant_type, client_id, username and password",
		Decides: "a request without one of them: a 400 confirms, a 200 contradicts",
		Where:   []string{schemaAt("TokenRequest", "/description")},
		rule:    ruleTokenFields},

	// Names in the document only.
	{ID: "operation-ids", Operation: "",
		Claim:        "the operationIds this project named (CreateToken, CreateOrderCompletion, GetShowtimesForBusinessDate)",
		notDecidable: "an operationId is a name in the document; it never crosses the wire",
		Where: []string{in(pathToken, "/post/description"), in(pathCompletion, "/post/description"),
			in(pathByDate, "/get/description")}},
}
