package scanform

import (
	"sort"
	"strings"

	"github.com/boxoffice/boxoffice/api"
)

// typeChoice decides the voucher type a scan is sent as: what F2 chose for
// it, else what F2 pinned, else what its barcode's prefix says
// (voucher_prefixes), else the configured default. A choice made with F2
// lasts for one scan, so that a Deal scanned among Ticket vouchers does not
// send the next Ticket voucher as a Deal; F2 pressed again on the same type
// pins it for every scan until F2 moves on.
type typeChoice struct {
	def api.VoucherType
	// prefixes is sorted longest first, so the first match is the longest.
	prefixes []voucherPrefix
	// once is F2's choice for the next scan; pinned lasts. One of them at
	// most is set, except while a failed scan brought back keeps its type.
	once, pinned api.VoucherType
}

type voucherPrefix struct {
	prefix string
	vtype  api.VoucherType
}

func newTypeChoice(def api.VoucherType, prefixes map[string]api.VoucherType) typeChoice {
	c := typeChoice{def: def}
	for p, t := range prefixes {
		c.prefixes = append(c.prefixes, voucherPrefix{prefix: strings.ToUpper(p), vtype: t})
	}
	sort.Slice(c.prefixes, func(i, j int) bool {
		a, b := c.prefixes[i].prefix, c.prefixes[j].prefix
		return len(a) > len(b) || len(a) == len(b) && a < b
	})
	return c
}

// of returns the type barcode is sent as, and the prefix that chose it ("" when
// F2 or the default did).
func (c *typeChoice) of(barcode string) (api.VoucherType, string) {
	switch {
	case c.once != "":
		return c.once, ""
	case c.pinned != "":
		return c.pinned, ""
	}
	upper := strings.ToUpper(strings.TrimSpace(barcode))
	for _, p := range c.prefixes {
		if strings.HasPrefix(upper, p.prefix) {
			return p.vtype, p.prefix
		}
	}
	return c.def, ""
}

// typeState is one step of F2's cycle.
type typeState struct {
	vtype  api.VoucherType
	pinned bool
}

// cycle is F2: from the default to each other type for one scan, then the
// same type pinned, then the next type, and back to the default.
func (c *typeChoice) cycle() {
	states := []typeState{{}}
	start := 0
	for i, t := range api.VoucherTypes {
		if t == c.def {
			start = i
		}
	}
	for i := 1; i < len(api.VoucherTypes); i++ {
		t := api.VoucherTypes[(start+i)%len(api.VoucherTypes)]
		states = append(states, typeState{vtype: t}, typeState{vtype: t, pinned: true})
	}
	now := typeState{}
	switch {
	case c.once != "":
		now = typeState{vtype: c.once}
	case c.pinned != "":
		now = typeState{vtype: c.pinned, pinned: true}
	}
	// A state not in the cycle (a failed scan brought back as the default
	// type) counts as the default.
	at := 0
	for i, st := range states {
		if st == now {
			at = i
		}
	}
	next := states[(at+1)%len(states)]
	c.once, c.pinned = "", ""
	if next.pinned {
		c.pinned = next.vtype
	} else {
		c.once = next.vtype
	}
}

// taken ends a choice made for one scan, once the scan is taken or the form
// cleared.
func (c *typeChoice) taken() { c.once = "" }

// retrying is the choice for a failed scan brought back: the type it went
// as, unless F2 chose one since, which is the operator's word on it.
func (c *typeChoice) retrying(sentAs api.VoucherType) {
	if c.once == "" {
		c.once = sentAs
	}
}

// label says on the form how the type of the scan in it was chosen.
func (c *typeChoice) label(barcode string) string {
	t, prefix := c.of(barcode)
	switch {
	case c.once != "" && c.once != c.def:
		return string(t) + " · this scan (F2 again pins it)"
	case c.once == "" && c.pinned != "":
		return string(t) + " · pinned (F2)"
	case prefix != "":
		return string(t) + " · prefix " + prefix + " (F2)"
	}
	return string(t) + " (F2)"
}
