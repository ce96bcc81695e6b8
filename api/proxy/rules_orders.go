package proxy

import (
	"fmt"
	"net/http"
	"slices"
)

// decisive reports whether a status says something about the request
// itself: not a missing token or licence, a rate limit or a server failure,
// which any call may meet.
func decisive(status int) bool {
	return status >= 200 && status < 500 && status != http.StatusUnauthorized &&
		status != http.StatusForbidden && status != http.StatusTooManyRequests
}

// notServed: the tenant has no such operation.
func notServed(status int) bool {
	return status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented
}

// firstViolation describes the first way the answer breaks the contract.
func (o *observation) firstViolation() string {
	if len(o.violations) == 0 {
		return ""
	}
	v := o.violations[0]
	where := v.Field
	if where == "" {
		where = "the answer"
	}
	return fmt.Sprintf("%s (%s)", where, v.Rule)
}

func ruleOrderRead(o *observation) (outcome, string) {
	if !o.is(opGetOrder) {
		return says, ""
	}
	switch {
	case o.status == http.StatusOK:
		if v := o.firstViolation(); v != "" {
			return contradicts, "200 whose body breaks the order's shape at " + v
		}
		if _, ok := o.respValue("order", "id"); !ok {
			return contradicts, "200 without order.id"
		}
		return confirms, "200 with the order"
	case notServed(o.status):
		return contradicts, fmt.Sprintf("%d: the tenant does not serve this read", o.status)
	case o.status == http.StatusNotFound && o.order().live(o.at()):
		return contradicts, "404 to the read of an order this run saw in progress"
	}
	return says, ""
}

func ruleOrderReadCompleted(o *observation) (outcome, string) {
	ord := o.order()
	if !o.is(opGetOrder) || ord == nil || !ord.completed {
		return says, ""
	}
	switch o.status {
	case http.StatusNotFound:
		return confirms, "404 to the read of an order completed here"
	case http.StatusOK:
		return contradicts, "200: an order completed here still reads as an order in progress"
	}
	return says, ""
}

// goneAnswers404 is the rule of "an order that does not exist answers 404"
// for one operation on an order.
func goneAnswers404(op string) func(*observation) (outcome, string) {
	return func(o *observation) (outcome, string) {
		if !o.is(op) || !decisive(o.status) {
			return says, ""
		}
		ord := o.order()
		switch {
		case ord.gone(o.at()) && o.status == http.StatusNotFound:
			return confirms, "404 for an order cancelled here or past its expiry"
		case ord.gone(o.at()) && ord.cancelled && o.ok():
			return contradicts, fmt.Sprintf("%d for an order already cancelled here: it still takes the call", o.status)
		case ord.gone(o.at()):
			return contradicts, fmt.Sprintf("%d for an order cancelled here or past its expiry", o.status)
		case ord == nil && o.status == http.StatusNotFound:
			return confirms, "404 for an order this run never saw"
		}
		return says, ""
	}
}

func ruleCancelStatus(o *observation) (outcome, string) {
	if !o.is(opCancelOrder) || !o.ok() {
		return says, ""
	}
	if o.status == http.StatusOK || o.status == http.StatusNoContent {
		return confirms, fmt.Sprintf("%d", o.status)
	}
	return contradicts, fmt.Sprintf("%d", o.status)
}

func ruleCancelCompleted(o *observation) (outcome, string) {
	ord := o.order()
	if !o.is(opCancelOrder) || ord == nil || !ord.completed || !decisive(o.status) {
		return says, ""
	}
	if o.status == http.StatusBadRequest {
		return confirms, "400 to the cancel of an order completed here"
	}
	return contradicts, fmt.Sprintf("%d to the cancel of an order completed here", o.status)
}

// ticketsWithoutSeats: the order's last answer showed tickets without seats
// on a showtime read here as allocated.
func (o *observation) ticketsWithoutSeats() bool {
	ord := o.order()
	if ord == nil {
		return false
	}
	for id, st := range ord.showtimes {
		if st.tickets > 0 && len(st.seats) == 0 && o.k.allocated[id] {
			return true
		}
	}
	return false
}

func ruleCompletionSeats(o *observation) (outcome, string) {
	if !o.is(opComplete) || !decisive(o.status) || !o.ticketsWithoutSeats() {
		return says, ""
	}
	switch {
	case o.status == http.StatusBadRequest:
		return confirms, "400 to the completion of an order with tickets but no seats on an allocated showtime"
	case o.ok():
		return contradicts, fmt.Sprintf("%d to the completion of an order with tickets but no seats on an allocated showtime", o.status)
	}
	return says, ""
}

var completionStatuses = []string{"Pending", "Completed", "Failed"}

func ruleCompletionAnswer(o *observation) (outcome, string) {
	if !o.is(opComplete) && !o.is(opGetCompletion) || o.status != http.StatusOK {
		return says, ""
	}
	status, hasStatus := o.respString("status")
	_, hasOrder := o.respValue("orderId")
	switch {
	case !hasStatus:
		return contradicts, "200 without status: " + o.bodyShape()
	case !slices.Contains(completionStatuses, status):
		return contradicts, "200 with status " + safeWord(status)
	case !hasOrder:
		return contradicts, "200 without orderId"
	}
	return confirms, "200 with status " + status
}

func ruleCompletionRead(o *observation) (outcome, string) {
	if !o.is(opGetCompletion) {
		return says, ""
	}
	ord := o.order()
	switch {
	case o.status == http.StatusOK:
		if _, ok := o.respString("status"); ok {
			return confirms, "200 with the completion"
		}
		return contradicts, "200 with " + o.bodyShape()
	case notServed(o.status):
		return contradicts, fmt.Sprintf("%d: the tenant does not serve this read", o.status)
	case o.status == http.StatusNotFound && ord != nil && ord.completionMade:
		return contradicts, "404 for an order whose completion was made here"
	}
	return says, ""
}

func ruleCompletionRead404(o *observation) (outcome, string) {
	ord := o.order()
	if !o.is(opGetCompletion) || !ord.live(o.at()) || ord.completionMade {
		return says, ""
	}
	switch o.status {
	case http.StatusNotFound:
		return confirms, "404 for an order in progress with no completion made"
	case http.StatusOK:
		return contradicts, "200 for an order in progress with no completion made"
	}
	return says, ""
}

func ruleCompletedRead(o *observation) (outcome, string) {
	if !o.is(opGetCompleted) {
		return says, ""
	}
	ord := o.order()
	switch {
	case o.status == http.StatusOK:
		if _, ok := o.respValue("order", "id"); ok {
			return confirms, "200 with order.id"
		}
		return contradicts, "200 with " + o.bodyShape()
	case o.status == http.StatusNotFound && ord != nil && ord.completed:
		return contradicts, "404 for an order completed here"
	}
	return says, ""
}
