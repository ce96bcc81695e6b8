package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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
	// An order that does not list its vouchers says nothing about them.
	l.setFromOrder(api.Order{}, nil)
	if got := l.ids(); !slices.Equal(got, listIDs(&l)) || len(got) != 5 {
		t.Fatalf("ids() after reading an order without a vouchers list = %v", got)
	}
	l.setFromOrder(api.Order{Vouchers: []api.OrderVoucher{{ID: "a"}, {ID: "b"}}, VouchersListed: true}, nil)
	if got := l.ids(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("ids() after reading the order = %v", got)
	}
	l.upsert(api.OrderVoucher{ID: "a"})
	if got := l.ids(); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("refreshing a listed voucher changed the ids: %v", got)
	}
}

func TestListCursorScrollsOnlyAsFarAsTheSelectionNeeds(t *testing.T) {
	var c listCursor
	const n, height = 10, 4
	steps := []struct {
		delta    int
		from, to int
	}{
		{0, 0, 4},
		{3, 0, 4},   // row 3, still in view
		{1, 1, 5},   // row 4 scrolls one
		{10, 6, 10}, // clamped to the last row
		{-3, 6, 10}, // row 6, still in view
		{-1, 5, 9},
		{-10, 0, 4},
	}
	for i, s := range steps {
		c.step(s.delta, n)
		from, to := c.visible(height, n)
		if from != s.from || to != s.to || c.selected < from || c.selected >= to {
			t.Fatalf("step %d: selected %d, rows %d–%d; want %d–%d", i, c.selected, from, to, s.from, s.to)
		}
	}
	if from, to := c.visible(height, 0); from != 0 || to != 0 {
		t.Fatalf("an empty list shows rows %d–%d", from, to)
	}
}

func TestVoucherListStaysPutWhileTheSelectionIsInView(t *testing.T) {
	m := loadedModel(PinNever, time.Now)
	for i := range 30 {
		m.addVoucher(api.OrderVoucher{ID: fmt.Sprintf("v%02d", i), MaskedBarcode: fmt.Sprintf("........%04d", i)}, 1)
	}
	// A frame, then a message: from then on the list's scroll is kept.
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	_ = m.View()
	next, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = next.(Model)
	first := m.View()
	for range 3 {
		next, _ = m.Update(tea.KeyMsg{Type: tea.KeyUp})
		m = next.(Model)
	}
	// Three rows up from the newest, still in view: the same rows show.
	if rowsOf(m.View()) != rowsOf(first) {
		t.Fatalf("the list scrolled while the selection was in view:\n%s\n---\n%s", first, m.View())
	}
}

// rowsOf is the voucher rows of a screen, without the selection marker.
func rowsOf(screen string) string {
	var out []string
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "........") {
			out = append(out, strings.Replace(line, ">", " ", 1))
		}
	}
	return strings.Join(out, "\n")
}
