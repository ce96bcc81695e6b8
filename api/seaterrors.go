package api

import (
	"net/http"
	"strings"
)

// SeatProblem is the seat rule a server's refusal was about, so that the
// counter and the scripting commands can say it plainly and redraw the seat
// map. Vista names one refusal (SeatsUnavailable) and documents no error
// body, so the others are recognised by the codes a server (our mock among
// them) may send, and otherwise by the operation: a seat availability refused
// with 400 is, by Vista's page, a showtime without allocated seating.
type SeatProblem string

const (
	// SeatTaken: a seat was sold or taken by another order meanwhile (or is
	// out of use). Vista's SeatsUnavailable.
	SeatTaken SeatProblem = "seat_taken"
	// SeatAreaNotAllowed: a seat is in an area whose category the ticket
	// type may not use.
	SeatAreaNotAllowed SeatProblem = "seat_area"
	// SeatAllocationFailed: the tickets need seats that were not allocated,
	// automatically or otherwise: they must be chosen.
	SeatAllocationFailed SeatProblem = "seat_allocation_failed"
	// SeatingNotAllocated: the showtime has no allocated seating; its
	// tickets are sold without seats.
	SeatingNotAllocated SeatProblem = "seating_not_allocated"
	// SeatCountMismatch: the seats sent are not as many as the tickets that
	// need them.
	SeatCountMismatch SeatProblem = "seat_count"
	// SeatUnknown: a seat is not in the showtime's seat layout.
	SeatUnknown SeatProblem = "seat_unknown"
)

// SeatProblemOf returns the seat rule err is about, "" for none.
func SeatProblemOf(err error) SeatProblem {
	if e := AsError(err); e != nil {
		return e.Seat
	}
	return ""
}

// Explain says what the problem means at the counter and what to do, in
// words for an operator.
func (p SeatProblem) Explain() string {
	switch p {
	case SeatTaken:
		return "a seat was taken by someone else meanwhile: choose another seat"
	case SeatAreaNotAllowed:
		return "a seat is in an area this ticket type may not use: choose a seat in the ticket's area, or another ticket type"
	case SeatAllocationFailed:
		return "the server could not allocate seats for the tickets: choose them on the seat map"
	case SeatingNotAllocated:
		return "this showtime has no allocated seating: sell its tickets without seats"
	case SeatCountMismatch:
		return "the seats chosen are not as many as the tickets that need them: take or free seats until they match"
	case SeatUnknown:
		return "a seat is not in this showtime's seat layout: reload the seat map and choose again"
	}
	return ""
}

// seatCodes maps the error codes a server may send for a seat refusal to
// the problem; compared without regard to case.
var seatCodes = map[string]SeatProblem{
	"seatsunavailable":       SeatTaken,
	"seatunavailable":        SeatTaken,
	"seatnotavailable":       SeatTaken,
	"seattaken":              SeatTaken,
	"seatareanotallowed":     SeatAreaNotAllowed,
	"seatareamismatch":       SeatAreaNotAllowed,
	"areacategorymismatch":   SeatAreaNotAllowed,
	"seatallocationfailed":   SeatAllocationFailed,
	"autoallocationfailed":   SeatAllocationFailed,
	"seatsnotallocated":      SeatAllocationFailed,
	"shownotallocated":       SeatingNotAllocated,
	"showtimenotallocated":   SeatingNotAllocated,
	"seatallocationdisabled": SeatingNotAllocated,
	"seatcountmismatch":      SeatCountMismatch,
	"seatnotfound":           SeatUnknown,
	"unknownseat":            SeatUnknown,
	"invalidseat":            SeatUnknown,
}

// seatProblem reads which seat rule a refusal was about.
func seatProblem(op Operation, status int, code, message string) SeatProblem {
	if status != http.StatusBadRequest {
		return ""
	}
	if p, ok := seatCodes[strings.ToLower(code)]; ok {
		return p
	}
	if op == OpGetSeatAvailability {
		// The one 400 Vista documents for it.
		return SeatingNotAllocated
	}
	if op == OpSetTickets && code == "" && strings.Contains(strings.ToLower(message), "seatsunavailable") {
		return SeatTaken
	}
	return ""
}
