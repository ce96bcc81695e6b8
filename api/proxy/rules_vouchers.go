package proxy

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/boxoffice/boxoffice/api"
)

// orderAnswers are the operations that answer {order, relatedData} for an
// order in progress.
var orderAnswers = []string{opGetOrder, opCreateOrder, opSetShowtime}

func ruleVouchersListed(o *observation) (outcome, string) {
	// A new order holds nothing added here yet.
	if !slices.Contains(orderAnswers, o.opID) || o.is(opCreateOrder) || o.status != http.StatusOK {
		return says, ""
	}
	id, _ := o.respString("order", "id")
	if id == "" {
		id = o.params["orderId"]
	}
	ord := o.k.orders[id]
	if ord == nil || len(ord.vouchers) == 0 {
		return says, ""
	}
	v, present := o.respValue("order", "vouchers")
	list, isList := v.([]any)
	switch {
	case !present:
		return contradicts, "order.vouchers absent from a 200 order answer, the order holding vouchers added here"
	case !isList:
		return contradicts, "order.vouchers null (or not a list) in a 200 order answer, the order holding vouchers added here"
	}
	listed := map[string]bool{}
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			if vid, ok := m["id"].(string); ok {
				listed[vid] = true
			}
		}
	}
	for vid := range ord.vouchers {
		if !listed[vid] {
			return contradicts, "order.vouchers[] without a voucher added here"
		}
	}
	return confirms, "order.vouchers[] lists the vouchers added here"
}

func ruleRepeatAdd(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || !decisive(o.status) {
		return says, ""
	}
	barcode, _ := o.reqString("credentials", "barcode")
	held, onOrder := o.order().holds(o.k.hash(barcode))
	if barcode == "" || !onOrder {
		return says, ""
	}
	switch {
	case o.status == http.StatusBadRequest:
		return confirms, "400 to a second add of a barcode already on the order"
	case o.ok():
		if id, _ := o.respString("voucher", "id"); id == held {
			return contradicts, fmt.Sprintf("%d with the voucher already on the order (the same id)", o.status)
		}
		return contradicts, fmt.Sprintf("%d with another voucher id: the barcode is on the order twice", o.status)
	}
	return says, ""
}

// ruleMask judges the mask of barcodes of minLen to maxLen characters
// (maxLen 0: no bound) against a mask that keeps at most the first
// keepFirst and the last keepLast characters and writes '.' for the rest.
func ruleMask(minLen, maxLen, keepFirst, keepLast int) func(*observation) (outcome, string) {
	return func(o *observation) (outcome, string) {
		if !o.is(opAddVoucher) || o.status != http.StatusOK {
			return says, ""
		}
		barcode, _ := o.reqString("credentials", "barcode")
		masked, ok := o.respString("voucher", "maskedBarcode")
		n := len([]rune(barcode))
		if !ok || n < minLen || maxLen > 0 && n > maxLen {
			return says, ""
		}
		f := readMask(barcode, masked)
		if f.fits(keepFirst, keepLast) {
			return confirms, f.String()
		}
		return contradicts, f.String()
	}
}

// maskForm is how a mask relates to its barcode, in words that quote
// neither.
type maskForm struct {
	length, maskedLength int
	first, last          int
	// fill are the characters written for the hidden ones; middle is set
	// when a hidden position shows the barcode's own character.
	fill   []rune
	middle bool
	whole  bool
}

func readMask(barcode, masked string) maskForm {
	b, m := []rune(barcode), []rune(masked)
	f := maskForm{length: len(b), maskedLength: len(m), whole: barcode == masked}
	if f.whole || len(b) != len(m) {
		return f
	}
	for f.first < len(b) && m[f.first] == b[f.first] {
		f.first++
	}
	for f.last < len(b)-f.first && m[len(m)-1-f.last] == b[len(b)-1-f.last] {
		f.last++
	}
	for i := f.first; i < len(b)-f.last; i++ {
		switch {
		case m[i] == b[i]:
			f.middle = true
		case !slices.Contains(f.fill, m[i]):
			f.fill = append(f.fill, m[i])
		}
	}
	return f
}

func (f maskForm) fits(keepFirst, keepLast int) bool {
	return !f.whole && !f.middle && f.length == f.maskedLength && f.first <= keepFirst && f.last <= keepLast &&
		(len(f.fill) == 0 || len(f.fill) == 1 && f.fill[0] == '.')
}

func (f maskForm) String() string {
	switch {
	case f.whole:
		return fmt.Sprintf("maskedBarcode is the whole barcode (%d characters), unmasked", f.length)
	case f.length != f.maskedLength:
		return fmt.Sprintf("maskedBarcode of %d characters for a barcode of %d", f.maskedLength, f.length)
	}
	fill := make([]string, 0, len(f.fill))
	for _, r := range f.fill[:min(len(f.fill), 3)] {
		fill = append(fill, strconv.QuoteRune(r))
	}
	if len(f.fill) > 3 {
		fill = append(fill, "others")
	}
	if len(fill) == 0 {
		fill = append(fill, "nothing")
	}
	s := fmt.Sprintf("first %d and last %d of %d characters kept, %s for the rest", f.first, f.last, f.length, strings.Join(fill, " and "))
	if f.middle {
		s += ", and characters shown between them"
	}
	return s
}

func ruleRetryAfter(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || o.status != http.StatusTooManyRequests {
		return says, ""
	}
	h := strings.TrimSpace(o.x.respHeader.Get("Retry-After"))
	if h == "" {
		return contradicts, "429 without Retry-After"
	}
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		return confirms, "429 with Retry-After in seconds"
	}
	if _, err := http.ParseTime(h); err == nil {
		return confirms, "429 with Retry-After as a date"
	}
	return contradicts, "429 with a Retry-After that is neither seconds nor a date"
}

func ruleBlockedBody(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || o.status != http.StatusTooManyRequests {
		return says, ""
	}
	if s, ok := o.respString("blockedUntilUtc"); ok {
		if _, err := api.ParseTimestamp(s); err == nil {
			return confirms, "429 with JSON blockedUntilUtc"
		}
		return contradicts, "429 with a blockedUntilUtc that is not a date-time"
	}
	return contradicts, "429 with " + o.bodyShape()
}

var voucherTypes = []string{"Ticket", "Deal", "Subscription"}

func ruleTypeCase(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || !decisive(o.status) {
		return says, ""
	}
	t, _ := o.reqString("type")
	if t == "" || slices.Contains(voucherTypes, t) || !slices.ContainsFunc(voucherTypes, func(v string) bool { return strings.EqualFold(v, t) }) {
		return says, ""
	}
	switch {
	case o.ok():
		return confirms, fmt.Sprintf("%d to type %q", o.status, t)
	case o.status == http.StatusBadRequest && o.bodyMentions("type"):
		return contradicts, fmt.Sprintf("400 to type %q, its body naming the type", t)
	}
	return says, ""
}

func ruleBarcodeRequired(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || !decisive(o.status) {
		return says, ""
	}
	v, present := o.reqValue("credentials", "barcode")
	s, isString := v.(string)
	what := "an add without a barcode"
	switch {
	case present && isString && strings.TrimSpace(s) != "":
		return says, ""
	case present && isString:
		what = "an add with an empty barcode"
	}
	return refusedWith400(o, what)
}

func rulePinOptional(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || !o.ok() {
		return says, ""
	}
	if _, ok := o.reqValue("credentials"); !ok {
		return says, ""
	}
	pin, present := o.reqValue("credentials", "pin")
	switch {
	case !present:
		return confirms, fmt.Sprintf("%d to an add without a pin", o.status)
	case pin == nil:
		return confirms, fmt.Sprintf("%d to an add with pin null", o.status)
	}
	return says, ""
}

func ruleOnlyTypeAndCredentials(kind string) func(*observation) (outcome, string) {
	return func(o *observation) (outcome, string) {
		if !o.is(opAddVoucher) || !o.ok() {
			return says, ""
		}
		t, _ := o.reqString("type")
		body, _ := o.reqValue()
		m, _ := body.(map[string]any)
		if !strings.EqualFold(t, kind) || len(m) != 2 {
			return says, ""
		}
		if _, ok := m["credentials"]; !ok {
			return says, ""
		}
		return confirms, fmt.Sprintf("%d to a %s add of type and credentials alone", o.status, kind)
	}
}

func ruleTicketWithoutShowtime(o *observation) (outcome, string) {
	if !o.is(opAddVoucher) || !decisive(o.status) {
		return says, ""
	}
	t, _ := o.reqString("type")
	if !strings.EqualFold(t, "Ticket") {
		return says, ""
	}
	if id, _ := o.reqString("showtimeId"); id != "" {
		return says, ""
	}
	switch {
	case o.ok():
		return confirms, fmt.Sprintf("%d to a Ticket add without showtimeId", o.status)
	case o.status == http.StatusBadRequest && o.bodyMentions("showtime"):
		return contradicts, "400 to a Ticket add without showtimeId, its body naming the showtime"
	}
	return says, ""
}

func ruleErrorBody(o *observation) (outcome, string) {
	if o.op == nil || o.status < 400 || o.status >= 500 || o.is(opCreateToken) {
		return says, ""
	}
	if api.ReadableErrorBody(o.body) {
		return confirms, fmt.Sprintf("%d with %s", o.status, o.bodyShape())
	}
	return contradicts, fmt.Sprintf("%d with %s", o.status, o.bodyShape())
}
