package ui

import (
	"fmt"
	"slices"
	"testing"

	"github.com/boxoffice/boxoffice/api"
)

func listIDs(l *voucherList) []string {
	out := make([]string, len(l.items))
	for i, v := range l.items {
		out[i] = v.ID
	}
	return out
}

func TestVoucherListIDsFollowTheList(t *testing.T) {
	var l voucherList
	for i := range 5 {
		l.upsert(api.OrderVoucher{ID: fmt.Sprintf("v%d", i)})
	}
	handedOut := l.ids()
	l.upsert(api.OrderVoucher{ID: "v5"})
	l.remove("v1")
	if want := []string{"v0", "v1", "v2", "v3", "v4"}; !slices.Equal(handedOut, want) {
		t.Fatalf("ids handed to a command changed under it: %v", handedOut)
	}
	if got := l.ids(); !slices.Equal(got, listIDs(&l)) {
		t.Fatalf("ids() = %v, list holds %v", got, listIDs(&l))
	}
	l.setFromOrder(api.Order{Vouchers: []api.OrderVoucher{{ID: "a"}, {ID: "b"}}})
	if got := l.ids(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("ids() after reading the order = %v", got)
	}
	l.upsert(api.OrderVoucher{ID: "a"})
	if got := l.ids(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("refreshing a listed voucher changed the ids: %v", got)
	}
}
