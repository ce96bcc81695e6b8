package ui

import (
	"strconv"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
)

// voucherList is the order's attached vouchers with a selection. It keeps an
// index by id so that adding one voucher, or moving the selection, costs the
// same with ten vouchers as with ten thousand.
type voucherList struct {
	items    []api.OrderVoucher
	position map[string]int
	// idList holds the ids in list order. It only ever grows in place, and
	// is made anew when a voucher leaves, so a slice of it handed to a
	// running command never changes under that command.
	idList []string
	// redemptions is what each voucher could pay for when it was added, from
	// the add answer or the journal: no ticket of the order used it then.
	redemptions map[string]int
	// available is what the server said, on the last order read, each
	// voucher can still pay for: the tickets already using it are taken off.
	available map[string]int
	// used counts the tickets each voucher pays for.
	used map[string]int
	listCursor
}

// listCursor is the selection of a scrolling list and how far it is
// scrolled. The lists that embed it pass their length in.
type listCursor struct {
	selected int
	offset   int
}

// step moves the selection by delta, staying on one of n rows.
func (c *listCursor) step(delta, n int) {
	if n == 0 {
		return
	}
	c.selected = min(max(c.selected+delta, 0), n-1)
}

// visible returns the range of n rows to draw in height lines, scrolling only
// as far as needed to keep the selection in view.
func (c *listCursor) visible(height, n int) (from, to int) {
	if height <= 0 || n == 0 {
		return 0, 0
	}
	if c.selected < c.offset {
		c.offset = c.selected
	}
	if c.selected >= c.offset+height {
		c.offset = c.selected - height + 1
	}
	c.offset = max(min(c.offset, n-height), 0)
	return c.offset, min(c.offset+height, n)
}

func (l *voucherList) len() int { return len(l.items) }

func (l *voucherList) has(id string) bool {
	_, ok := l.position[id]
	return ok
}

// ids returns the listed voucher ids without copying them: every attach
// needs them, and copying ten thousand ids per scan would make a long order
// slow to scan into.
func (l *voucherList) ids() []string {
	n := len(l.idList)
	return l.idList[:n:n]
}

// upsert adds a voucher, or refreshes it when it is already listed.
func (l *voucherList) upsert(v api.OrderVoucher) {
	if l.position == nil {
		l.position = map[string]int{}
	}
	if i, ok := l.position[v.ID]; ok {
		l.items[i] = v
		return
	}
	l.position[v.ID] = len(l.items)
	l.items = append(l.items, v)
	l.idList = append(l.idList, v.ID)
	// Follow the newest voucher, as the operator just scanned it.
	l.selected = len(l.items) - 1
}

func (l *voucherList) remove(id string) {
	i, ok := l.position[id]
	if !ok {
		return
	}
	l.items = append(l.items[:i], l.items[i+1:]...)
	l.reindex()
	if l.selected >= len(l.items) {
		l.selected = len(l.items) - 1
	}
	if l.selected < 0 {
		l.selected = 0
	}
}

func (l *voucherList) reindex() {
	l.position = make(map[string]int, len(l.items))
	l.idList = make([]string, len(l.items))
	for i, v := range l.items {
		l.position[v.ID] = i
		l.idList[i] = v.ID
	}
}

// setFromOrder makes the list match the order read from the server,
// keeping the selection on the same voucher.
func (l *voucherList) setFromOrder(o api.Order) {
	var selectedID string
	if v, ok := l.selectedVoucher(); ok {
		selectedID = v.ID
	}
	if l.redemptions == nil {
		l.redemptions = map[string]int{}
	}
	if o.VouchersListed {
		l.items = append(l.items[:0], o.Vouchers...)
		l.reindex()
		l.available = map[string]int{}
		for _, v := range o.Vouchers {
			if v.AvailableRedemptions != nil {
				l.available[v.ID] = *v.AvailableRedemptions
			}
		}
	}
	// An order that does not list its vouchers says nothing about them:
	// absent is not empty, so the list keeps what this counter attached.
	l.used = pricing.VoucherUses(o)
	l.selected = 0
	if i, ok := l.position[selectedID]; ok {
		l.selected = i
	} else if len(l.items) > 0 {
		l.selected = len(l.items) - 1
	}
}

// capacity is how many tickets a voucher may pay for on this order in all,
// or -1 when no one has said. The server's figure wins: it knows about uses
// on other orders since the voucher was added.
func (l *voucherList) capacity(id string) int {
	available, added := -1, -1
	if n, ok := l.available[id]; ok {
		available = n
	}
	if n, ok := l.redemptions[id]; ok {
		added = n
	}
	return pricing.Capacity(available, added, l.used[id])
}

// remaining is what a voucher can still pay for on this order, or -1 when
// no one has said how many redemptions it has.
func (l *voucherList) remaining(id string) int {
	return pricing.Remaining(l.capacity(id), l.used[id])
}

func (l *voucherList) move(delta int) { l.step(delta, len(l.items)) }

func (l *voucherList) selectedVoucher() (api.OrderVoucher, bool) {
	if l.selected < 0 || l.selected >= len(l.items) {
		return api.OrderVoucher{}, false
	}
	return l.items[l.selected], true
}

func (l *voucherList) window(height int) (from, to int) { return l.visible(height, len(l.items)) }

func voucherLabel(v api.OrderVoucher) string {
	if v.VoucherTypeDescription != "" {
		return v.VoucherTypeDescription
	}
	if v.VoucherTypeCode != "" {
		return v.VoucherTypeCode
	}
	return string(v.Type)
}

func itoa(n int) string { return strconv.Itoa(n) }
