package proxy

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// stringList reads a JSON list of strings; ok is false when v is not a list.
func stringList(v any) (out []string, ok bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	for _, item := range list {
		if s, isString := item.(string); isString {
			out = append(out, s)
		}
	}
	return out, true
}

func ruleUnknownSeat(o *observation) (outcome, string) {
	if !o.is(opSetShowtime) || !decisive(o.status) {
		return says, ""
	}
	layout := o.k.layouts[o.params["showtimeId"]]
	v, _ := o.reqValue("seats")
	seats, _ := stringList(v)
	if layout == nil || !slices.ContainsFunc(seats, func(s string) bool { return !layout[s] }) {
		return says, ""
	}
	return refusedWith400(o, "a seat not in the showtime's layout")
}

func ruleSeatCount(o *observation) (outcome, string) {
	if !o.is(opSetShowtime) || !decisive(o.status) {
		return says, ""
	}
	v, _ := o.reqValue("seats")
	seats, _ := stringList(v)
	t, _ := o.reqValue("tickets")
	tickets, _ := t.([]any)
	if len(seats) == 0 || len(seats) == len(tickets) {
		return says, ""
	}
	what := fmt.Sprintf("%d seat(s) for %d ticket(s)", len(seats), len(tickets))
	return refusedWith400(o, what)
}

func ruleOwnSeats(o *observation) (outcome, string) {
	ord := o.order()
	if !o.is(opOrderSeatsAvailable) || o.status != http.StatusOK || ord == nil {
		return says, ""
	}
	own := ord.showtimes[o.params["showtimeId"]].seats
	if len(own) == 0 {
		return says, ""
	}
	v, _ := o.respValue("seatAvailabilities")
	list, _ := v.([]any)
	var statuses []string
	for _, item := range list {
		m, _ := item.(map[string]any)
		id, _ := m["seatId"].(string)
		status, _ := m["status"].(string)
		if slices.Contains(own, id) && !slices.Contains(statuses, safeWord(status)) {
			statuses = append(statuses, safeWord(status))
		}
	}
	switch {
	case len(statuses) == 0:
		return contradicts, "200 that does not list the order's own seats"
	case len(statuses) == 1 && statuses[0] == "Available":
		return confirms, "the order's own seats read Available"
	}
	return contradicts, "the order's own seats read " + strings.Join(statuses, " and ")
}

func ruleUnknownAnswers404(op string) func(*observation) (outcome, string) {
	return func(o *observation) (outcome, string) {
		if !o.is(op) {
			return says, ""
		}
		switch {
		case o.status == http.StatusNotFound:
			return confirms, "404"
		case o.status == http.StatusGone:
			return contradicts, "410"
		case o.status == http.StatusBadRequest && o.x.header.Get("Connect-Region-Code") == "":
			return contradicts, "400 to a read without a region code"
		}
		return says, ""
	}
}

func ruleBadFilter(o *observation) (outcome, string) {
	if !o.is(opShowtimesByDate) || !decisive(o.status) {
		return says, ""
	}
	date := o.params["businessDate"]
	_, err := time.Parse(time.DateOnly, date)
	var what string
	switch query, _ := url.ParseQuery(o.x.url.RawQuery); {
	case err != nil && date != "first":
		what = "a business date that is not yyyy-mm-dd"
	case len(query["siteIds"]) == 0:
		what = "a list without siteIds"
	default:
		return says, ""
	}
	return refusedWith400(o, what)
}

var seatTypes = []string{"Normal", "Wheelchair", "Companion", "Sofa", "House", "Broken"}

// eachSeat calls f with every seat of a layout answer.
func (o *observation) eachSeat(f func(seat map[string]any)) {
	var walk func(v any, underSeats bool)
	walk = func(v any, underSeats bool) {
		switch t := v.(type) {
		case map[string]any:
			if underSeats {
				f(t)
			}
			for key, inner := range t {
				walk(inner, key == "seats")
			}
		case []any:
			for _, inner := range t {
				walk(inner, underSeats)
			}
		}
	}
	body, _ := o.respValue()
	walk(body, false)
}

func ruleSeatTypes(o *observation) (outcome, string) {
	if !o.is(opSeatLayout) || o.status != http.StatusOK {
		return says, ""
	}
	var seen, unknown []string
	o.eachSeat(func(seat map[string]any) {
		t, ok := seat["type"].(string)
		if !ok {
			return
		}
		t = safeWord(t)
		if !slices.Contains(seen, t) {
			seen = append(seen, t)
			if !slices.Contains(seatTypes, t) {
				unknown = append(unknown, t)
			}
		}
	})
	slices.Sort(seen)
	switch {
	case len(seen) == 0:
		return says, ""
	case len(unknown) > 0:
		slices.Sort(unknown)
		return contradicts, "seat types " + strings.Join(unknown, ", ") + " besides the six known"
	}
	return confirms, "seat types " + strings.Join(seen, ", ")
}

func ruleSeatGroups(o *observation) (outcome, string) {
	if !o.is(opSeatLayout) || o.status != http.StatusOK {
		return says, ""
	}
	grouped, apart := 0, 0
	o.eachSeat(func(seat map[string]any) {
		group, ok := stringList(seat["seatsInGroup"])
		id, _ := seat["id"].(string)
		if !ok || len(group) == 0 {
			return
		}
		grouped++
		if !slices.Contains(group, id) {
			apart++
		}
	})
	switch {
	case grouped == 0:
		return says, ""
	case apart > 0:
		return contradicts, fmt.Sprintf("%d of %d grouped seats do not list themselves", apart, grouped)
	}
	return confirms, fmt.Sprintf("%d grouped seats, each listing itself", grouped)
}

func ruleRegion(o *observation) (outcome, string) {
	code := o.x.header.Get("Connect-Region-Code")
	if o.op == nil || o.x.method != http.MethodGet || code == "" || o.status != http.StatusBadRequest {
		return says, ""
	}
	mine := o.k.hash(strings.ToUpper(code))
	for other := range o.k.regionsOK[o.x.url.Path] {
		if other != mine {
			return confirms, "400 to a read with a region code that the same read answered 2xx without (or with another code)"
		}
	}
	return says, ""
}

func ruleAuthHost(o *observation) (outcome, string) {
	if !o.is(opCreateToken) {
		return says, ""
	}
	switch {
	case o.status == http.StatusNotFound || o.status == http.StatusMethodNotAllowed:
		return confirms, fmt.Sprintf("%d from the API host to /connect/token", o.status)
	case o.status == http.StatusOK:
		if _, ok := o.respValue("access_token"); ok {
			return contradicts, "200 with a token from the API host"
		}
	}
	return says, ""
}

func ruleTokenError(o *observation) (outcome, string) {
	if !o.is(opCreateToken) || o.status != http.StatusBadRequest {
		return says, ""
	}
	if _, ok := o.respString("error"); ok {
		return confirms, "400 with JSON error"
	}
	return contradicts, "400 with " + o.bodyShape()
}

var tokenFields = []string{"grant_type", "client_id", "username", "password"}

func ruleTokenFields(o *observation) (outcome, string) {
	if !o.is(opCreateToken) || !decisive(o.status) {
		return says, ""
	}
	form, err := url.ParseQuery(string(o.x.reqBody))
	if err != nil {
		return says, ""
	}
	var missing []string
	for _, f := range tokenFields {
		if form.Get(f) == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return says, ""
	}
	what := "a request without " + strings.Join(missing, ", ")
	return refusedWith400(o, what)
}

// refusedWith400 judges an exchange whose request the contract says is
// refused with 400, what naming the request: a 400 confirms the fact, a
// success contradicts it, and any other answer says nothing of it.
func refusedWith400(o *observation, what string) (outcome, string) {
	switch {
	case o.status == http.StatusBadRequest:
		return confirms, "400 to " + what
	case o.ok():
		return contradicts, fmt.Sprintf("%d to %s", o.status, what)
	}
	return says, ""
}
