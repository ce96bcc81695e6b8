package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
)

func TestAttachVoucherWithPin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attach("ADTMM0000111", "1234")
	c.waitFor("Attached AD......0111 (Adult Movie Money): 2 remaining")
	o := c.waitUntil("one voucher", func(o api.Order) bool { return voucherCount(o, "AD......0111") == 1 })
	if len(o.Vouchers) != 1 {
		t.Fatalf("order has %d vouchers, want 1", len(o.Vouchers))
	}
	screen := c.waitScreen("the voucher listed with 2 left", func(s string) bool {
		return strings.Contains(rowOf(s, "AD......0111"), "2 left")
	})
	if !strings.Contains(screen, "▸ Barcode [scan or type") {
		t.Fatalf("the form is not ready for the next scan:\n%s", screen)
	}
}

func TestWrongPinKeepsTheScanAtThePin(t *testing.T) {
	c := startCounter(t, counterSetup{})
	c.attach("ADTMM0000111", "9999")
	screen := c.waitScreen("the refusal", func(s string) bool { return strings.Contains(s, "Not attached (1)") && strings.Contains(s, "rejected") })
	if !strings.Contains(screen, "Barcode [ADTMM0000111") || !strings.Contains(screen, "▸ PIN") {
		t.Fatalf("the refused scan is not back in the form at its PIN:\n%s", screen)
	}
	if strings.Contains(screen, "9999") {
		t.Fatal("the PIN is on the screen")
	}
	c.key(tea.KeyCtrlC)
	c.waitFor("Press ctrl+c again")
}
