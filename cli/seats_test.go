package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

// The demo's showtimes of each allocation mode, and their ticket types.
const (
	manualShowtime    = "0001-2740"
	autoFailsShowtime = "0001-2741"
	autoShowtime      = "0001-2742"
	adultType         = "0001-0050"
	adultMMType       = "0001-0077"
	goldType          = "0001-0081"
	goldPassType      = "0001-0083"
)

// seller is a run of scripting commands on one order of a demo server.
type seller struct {
	t     *testing.T
	url   string
	order string
}

func newSale(t *testing.T) *seller {
	url := demoServer(t, nil)
	o := decodeJSON[api.Order](t, scripted(t, url).mustRun("order", "new", "--json"))
	return &seller{t: t, url: url, order: o.ID}
}

func (s *seller) inv() *invocation {
	inv := scripted(s.t, s.url)
	inv.env["BOXOFFICE_ORDER"] = s.order
	return inv
}

func (s *seller) run(args ...string) string {
	s.t.Helper()
	return s.inv().mustRun(args...)
}

// addVoucher adds a voucher with its PIN and returns its id.
func (s *seller) addVoucher(barcode, pin string, args ...string) string {
	s.t.Helper()
	inv := s.inv()
	inv.stdin = strings.NewReader(pin + "\n")
	out := inv.mustRun(append([]string{"voucher", "add", barcode, "--pin-stdin", "--json"}, args...)...)
	return decodeJSON[struct {
		Voucher api.OrderVoucher `json:"voucher"`
	}](s.t, out).Voucher.ID
}

// seats are the names of the seats the order holds for the showtime, read
// back from the server.
func (s *seller) seats(showtime string) []string {
	s.t.Helper()
	o := decodeJSON[api.Order](s.t, s.run("order", "show", "--json"))
	var names []string
	for _, st := range o.Showtimes {
		if st.ShowtimeID == showtime {
			for _, seat := range st.Seats {
				names = append(names, seat.Name())
			}
		}
	}
	return names
}

func (s *seller) complete() {
	s.t.Helper()
	out := s.run("order", "complete")
	assertContains(s.t, "order complete", out, "Completed order "+s.order+", transaction")
}

// Manual seating: tickets on chosen seats, a voucher pays for one of them
// and then for the other, the seats staying where they were, and the sale
// completes.
func TestSaleWithManualSeating(t *testing.T) {
	s := newSale(t)
	out := s.run("order", "tickets", "--showtime", manualShowtime, "--seats", "F12,F13", adultType, adultType)
	assertContains(t, "order tickets", out, "("+manualShowtime+"): 2 ticket(s)", "Seats: F12, F13")
	v := s.addVoucher("ADTMM0000111", "1234", "--showtime", manualShowtime)
	s.run("order", "tickets", "--showtime", manualShowtime, adultType, adultMMType+":"+v)
	if got := s.seats(manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Fatalf("after a voucher paid for a ticket the order holds %v", got)
	}
	s.run("order", "tickets", adultMMType+":"+v, adultMMType+":"+v)
	if got := s.seats(manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Fatalf("after the voucher paid for both the order holds %v", got)
	}
	s.complete()
}

// Auto-allocation that fails: the tickets go on without seats, boxoffice
// says so, completion is refused until they are chosen on the map, and the
// sale then completes.
func TestSaleWhenAutoAllocationFails(t *testing.T) {
	s := newSale(t)
	inv := s.inv()
	inv.mustRun("order", "tickets", "--showtime", autoFailsShowtime, adultType, adultType)
	assertContains(t, "stderr", inv.stderr.String(), "2 tickets of showtime "+autoFailsShowtime+" have no seat")
	v := s.addVoucher("ADTMM0000333", "3333")
	inv = s.inv()
	inv.mustRun("order", "tickets", "--showtime", autoFailsShowtime, adultMMType+":"+v, adultMMType+":"+v)
	assertContains(t, "stderr", inv.stderr.String(), "2 tickets of showtime "+autoFailsShowtime+" have no seat", "order seats --showtime "+autoFailsShowtime)
	stderr := s.inv().mustFail(ExitRejected, "order", "complete")
	assertContains(t, "refused completion", stderr, "seats were not allocated", "choose them on the seat map")
	stderr = s.inv().mustFail(ExitRejected, "order", "seats", "--take", "C4")
	assertContains(t, "one seat for two tickets", stderr, "1 seat chosen for 2 tickets", "--take F12,F13", "nothing was sent")
	out := s.run("order", "seats", "--take", "C4,C5")
	assertContains(t, "order seats", out, "This order's seats: C4, C5 (its tickets need 2)")
	s.complete()
}

// Auto-allocation: the tickets are seated side by side; a pass then pays for
// them without moving them.
func TestSaleWithAutoAllocation(t *testing.T) {
	s := newSale(t)
	s.run("order", "tickets", "--showtime", autoShowtime, goldType, goldType)
	allocated := s.seats(autoShowtime)
	if len(allocated) != 2 || allocated[0][0] != allocated[1][0] {
		t.Fatalf("allocated %v", allocated)
	}
	v := s.addVoucher("SUBS00042424", "2424", "--voucher-type", "Subscription")
	s.run("order", "tickets", goldPassType+":"+v, goldPassType+":"+v)
	if got := s.seats(autoShowtime); !slices.Equal(got, allocated) {
		t.Fatalf("the pass moved the seats from %v to %v", allocated, got)
	}
	s.complete()
}

// The map as text and as JSON: the screen, the areas with their rows, the
// symbols and the order's seats.
func TestOrderSeatsMap(t *testing.T) {
	s := newSale(t)
	s.run("order", "tickets", "--showtime", manualShowtime, "--seats", "R5,R6", "0001-0060", "0001-0060")
	out := s.run("order", "seats")
	assertContains(t, "map", out, "Showtime "+manualShowtime+": The Long Night, Screen 4", "SCREEN", "Stalls (Standard)", "Premium (Premium)",
		"h house seat, not for sale", "w wheelchair space, free", "This order's seats: R5, R6 (its tickets need 2)", "(24..1)")
	assertMatches(t, "map", out, `(?m)^  F  o o x o   o x o o o x o o o o o o o o o o   o o o o  F\s+\(24\.\.1\)$`, `(?m)^  R .*# #`)
	if strings.Index(out, "SCREEN") > strings.Index(out, "Stalls") {
		t.Error("the screen is drawn behind the stalls, whose row A is at the top")
	}
	type mapJSON struct {
		Allocated   bool   `json:"allocated"`
		Screen      string `json:"screen"`
		SeatsNeeded int    `json:"seatsNeeded"`
		Seats       []struct{ SeatID, Name string }
		Areas       []struct {
			Name, Category string
			Rows           []struct{ Label, Cells string }
		}
		Legend map[string]string
	}
	m := decodeJSON[mapJSON](t, s.run("order", "seats", "--json"))
	if !m.Allocated || m.Screen != "top" || m.SeatsNeeded != 2 || len(m.Seats) != 2 || len(m.Areas) != 2 || m.Legend["#"] == "" {
		t.Fatalf("map = %+v", m)
	}
	if r := m.Areas[0].Rows[5]; r.Label != "F" || r.Cells != "ooxo oxoooxoooooooooo oooo" {
		t.Errorf("row F = %+v", r)
	}
	m = decodeJSON[mapJSON](t, s.run("order", "seats", "--free", "R5", "--take", "R7", "--json"))
	names := []string{m.Seats[0].Name, m.Seats[1].Name}
	slices.Sort(names)
	if !slices.Equal(names, []string{"R7", "R8"}) {
		t.Errorf("freeing R5 frees its sofa, taking R7 takes its sofa: %v", names)
	}
}

// What the seat commands refuse, before anything is sent or from the server.
func TestOrderSeatsRefusals(t *testing.T) {
	s := newSale(t)
	s.run("order", "tickets", "--showtime", manualShowtime, "--seats", "F12,F13", adultType, adultType)
	tests := []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"order", "seats", "--take", "Z99"}, ExitUsage, "there is no seat Z99"},
		{[]string{"order", "seats", "--free", "F14"}, ExitUsage, "F14 is not a seat of this order"},
		{[]string{"order", "seats", "--free", "F12", "--take", "G8"}, ExitRejected, "G8 is taken"},
		{[]string{"order", "seats", "--free", "F12", "--take", "H12"}, ExitRejected, "H12 is a house seat"},
		{[]string{"order", "seats", "--free", "F12", "--take", "P3"}, ExitRejected, "P3 is in Premium (Premium), which none of the remaining tickets may use"},
		{[]string{"order", "seats", "--free", "F12", "--take", "R1"}, ExitRejected, "3 seats chosen for 2 tickets"},
		{[]string{"order", "tickets", "--seats", "F12", adultType, adultType}, ExitRejected, "1 seat chosen for 2 tickets"},
		{[]string{"order", "tickets", "0001-0050:a:b"}, ExitUsage, `"0001-0050:a:b" is not a ticket`},
		{[]string{"order", "tickets", "--showtime", "0001-2681", "--seats", "F12", adultType}, ExitRejected, "showtime 0001-2681 has no allocated seating"},
	}
	for _, tt := range tests {
		stderr := s.inv().mustFail(tt.exit, tt.args...)
		assertContains(t, strings.Join(tt.args, " "), stderr, tt.want)
	}
	if got := s.seats(manualShowtime); !slices.Equal(got, []string{"F12", "F13"}) {
		t.Errorf("after the refusals the order holds %v", got)
	}
	// A seat another order has just taken reads taken on the fresh map.
	other := newSaleOn(t, s.url)
	other.run("order", "tickets", "--showtime", manualShowtime, "--seats", "F14", adultType)
	stderr := s.inv().mustFail(ExitRejected, "order", "seats", "--free", "F12", "--take", "F14")
	assertContains(t, "taken meanwhile", stderr, "F14 is taken")

	plain := newSaleOn(t, s.url)
	plain.run("order", "tickets", "--showtime", "0001-2681", adultType)
	out := plain.run("order", "seats")
	assertContains(t, "unallocated", out, "No allocated seating: the tickets need no seats.")
	stderr = plain.inv().mustFail(ExitRejected, "order", "seats", "--take", "F12")
	assertContains(t, "unallocated take", stderr, "has no allocated seating")
}

func newSaleOn(t *testing.T, url string) *seller {
	o := decodeJSON[api.Order](t, scripted(t, url).mustRun("order", "new", "--json"))
	return &seller{t: t, url: url, order: o.ID}
}
