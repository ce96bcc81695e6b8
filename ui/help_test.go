package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/testkit"
	"github.com/boxoffice/boxoffice/journal"
)

// withEightVouchers starts the counter on the seed order with eight
// vouchers attached in an earlier run, ids and clock fixed for goldens.
func withEightVouchers(t *testing.T) *counterTest {
	t.Helper()
	clock := testkit.NewClock(time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC))
	c := startCounter(t, counterSetup{now: clock.Now,
		mockOpts: func(o *mock.Options) {
			n := 0
			o.IDSource = func() string { n++; return fmt.Sprintf("%032x", n) }
		},
		before: func(client *api.Client, _ *journal.Journal) {
			for i := 1; i <= 8; i++ {
				req := api.AddVoucherRequest{Type: api.VoucherTicket, ShowtimeID: "0001-2681",
					Credentials: api.VoucherCredentials{Barcode: fmt.Sprintf("ADTMM%07d", 1000+i)}}
				if _, err := client.AddVoucher(t.Context(), seedOrderID, req); err != nil {
					t.Fatal(err)
				}
			}
		},
	})
	c.waitFor("AD......1008")
	c.waitFor("Screen 1")
	return c
}

// rowsShown counts the voucher rows on a screen.
func rowsShown(screen string) int {
	return strings.Count(screen, "Adult Movie Money")
}

// F1 shows every key and leaves the voucher list readable: the list keeps
// rows, the selected voucher among them, and F1 says how to go back.
func TestAllKeysLeaveTheVoucherListReadable(t *testing.T) {
	c := withEightVouchers(t)
	c.key(tea.KeyF1)
	c.waitFor("fewer keys")
	screen := c.final().View()
	if n := rowsShown(screen); n < 5 {
		t.Fatalf("with every key shown, %d voucher rows are on screen, want at least 5:\n%s", n, screen)
	}
	for _, want := range []string{"> AD......1008", "ctrl+r", "f8  remove voucher", "Total 51.00"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
}

func TestGoldenHelpScreen(t *testing.T) {
	c := withEightVouchers(t)
	c.key(tea.KeyF1)
	c.waitFor("fewer keys")
	teatest.RequireEqualOutput(t, []byte(c.final().View()))
}
