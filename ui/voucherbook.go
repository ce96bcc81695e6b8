package ui

import (
	"slices"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/pricing"
)

// voucherBook is what the counter knows of the vouchers on the customer's
// order. It keeps an index by id so that adding one voucher costs the same
// with ten vouchers as with ten thousand.
type voucherBook struct {
	items    []api.OrderVoucher
	position map[string]int
	// idList holds the ids in list order. It only ever grows in place, and
	// is made anew when a voucher leaves, so a slice of it handed to a
	// running command never changes under that command.
	idList []string
	// redemptions is what each voucher could pay for when it was added,
	// from the add answer or the journal: no ticket of the order used it
	// then.
	redemptions map[string]int
	// available is what the server said, on the last order read, each
	// voucher can still pay for: the tickets already using it are taken off.
	available map[string]int
	// used counts the tickets each voucher pays for.
	used map[string]int
	// read is set once an order read has filled the book: vouchers that
	// appear after it, and that this counter did not add, are someone
	// else's.
	read bool
	// othersAdding says another counter or a script has added vouchers to
	// the order while it was on screen here.
	othersAdding bool
}

func newVoucherBook() voucherBook {
	return voucherBook{position: map[string]int{}, redemptions: map[string]int{}, available: map[string]int{}, used: map[string]int{}}
}

func (b *voucherBook) len() int { return len(b.items) }

func (b *voucherBook) has(id string) bool {
	_, ok := b.position[id]
	return ok
}

func (b *voucherBook) get(id string) (api.OrderVoucher, bool) {
	i, ok := b.position[id]
	if !ok {
		return api.OrderVoucher{}, false
	}
	return b.items[i], true
}

func (b *voucherBook) masked(id string) string {
	if v, ok := b.get(id); ok {
		return v.MaskedBarcode
	}
	return "a voucher"
}

// ids returns the voucher ids without copying them: every attach needs
// them, and copying ten thousand ids per scan would make a long order slow
// to scan into.
func (b *voucherBook) ids() []string {
	n := len(b.idList)
	return b.idList[:n:n]
}

// upsert adds a voucher, or refreshes it when it is already there; it
// reports whether it was new.
func (b *voucherBook) upsert(v api.OrderVoucher) bool {
	if i, ok := b.position[v.ID]; ok {
		b.items[i] = v
		return false
	}
	b.position[v.ID] = len(b.items)
	b.items = append(b.items, v)
	b.idList = append(b.idList, v.ID)
	return true
}

func (b *voucherBook) remove(id string) {
	i, ok := b.position[id]
	if !ok {
		return
	}
	b.items = append(b.items[:i], b.items[i+1:]...)
	b.reindex()
}

func (b *voucherBook) reindex() {
	b.position = make(map[string]int, len(b.items))
	b.idList = make([]string, len(b.items))
	for i, v := range b.items {
		b.position[v.ID] = i
		b.idList[i] = v.ID
	}
}

// setFromOrder makes the book match the order read from the server. ours
// are the ids of vouchers this counter added that the book may not hold yet.
func (b *voucherBook) setFromOrder(o api.Order, ours []string) {
	if o.VouchersListed {
		if b.read && !b.othersAdding {
			b.othersAdding = appearedFromElsewhere(o.Vouchers, b.position, ours)
		}
		b.read = true
		b.items = append(b.items[:0], o.Vouchers...)
		b.reindex()
		b.available = map[string]int{}
		for _, v := range o.Vouchers {
			if v.AvailableRedemptions != nil {
				b.available[v.ID] = *v.AvailableRedemptions
			}
		}
	}
	// An order that does not list its vouchers says nothing about them:
	// absent is not empty, so the book keeps what this counter attached.
	b.used = pricing.VoucherUses(o)
}

// appearedFromElsewhere reports whether the order holds a voucher that is
// neither known nor one of ours: someone else added it.
func appearedFromElsewhere(vouchers []api.OrderVoucher, known map[string]int, ours []string) bool {
	for _, v := range vouchers {
		if _, ok := known[v.ID]; !ok && !slices.Contains(ours, v.ID) {
			return true
		}
	}
	return false
}

// capacity is how many tickets a voucher may pay for on this order in all,
// or -1 when no one has said. The server's figure wins: it knows about uses
// on other orders since the voucher was added.
func (b *voucherBook) capacity(id string) int {
	available, added := -1, -1
	if n, ok := b.available[id]; ok {
		available = n
	}
	if n, ok := b.redemptions[id]; ok {
		added = n
	}
	return pricing.Capacity(available, added, b.used[id])
}

// remaining is what a voucher can still pay for on this order, or -1 when
// no one has said how many redemptions it has.
func (b *voucherBook) remaining(id string) int {
	return pricing.Remaining(b.capacity(id), b.used[id])
}
