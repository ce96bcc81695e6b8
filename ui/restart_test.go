package ui

import (
	"context"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// A counter killed mid-burst: one scan was sent and went on the order, one
// was sent and did not, one waited its turn. The next start says which is
// which, and the journal settles each.
func TestRestartSettlesWhatTheLastRunLeft(t *testing.T) {
	unfinished := func(masked, check string) journal.Line {
		return journal.Line{Entry: journal.Entry{OrderID: seedOrderID, Action: journal.ActionAttach, MaskedBarcode: masked,
			VoucherType: "Ticket", Outcome: journal.OutcomeAttempt}, Check: check}
	}
	var onOrder string
	c := startCounter(t, counterSetup{
		before: func(client *api.Client, _ *journal.Journal) {
			resp, err := client.AddVoucher(context.Background(), seedOrderID, api.AddVoucherRequest{Type: api.VoucherTicket,
				ShowtimeID: "0001-2681", Credentials: api.VoucherCredentials{Barcode: "ADTMM0000444"}})
			if err != nil {
				t.Fatal(err)
			}
			onOrder = resp.Voucher.ID
		},
		opts: func(o *Options) {
			o.Unfinished = func() []journal.Line {
				return []journal.Line{
					unfinished("AD......0444", journal.CheckNoOutcome),
					unfinished("AD......0666", journal.CheckNoOutcome),
					unfinished("AD......1002", journal.CheckNotSent),
					{Entry: journal.Entry{OrderID: "another-order", Action: journal.ActionAttach, MaskedBarcode: "AD......2002"}, Check: journal.CheckNotSent},
				}
			}
		},
	})
	c.waitStatus("The last run stopped with 3 scans unfinished: 1 attached; 2 not attached (AD......0666, AD......1002): scan them again. 1 more on other orders: boxoffice journal list.")
	b, err := os.ReadFile(c.journal)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"maskedBarcode":"AD......0444","type":"Ticket","voucherId":"` + onOrder + `","outcome":"attached"`,
		`"maskedBarcode":"AD......0666","type":"Ticket","outcome":"abandoned"`,
		`"maskedBarcode":"AD......1002","type":"Ticket","outcome":"abandoned"`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("journal lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "AD......2002") {
		t.Errorf("another order's scan was settled against this one:\n%s", b)
	}

	// Scanned again, the voucher attached before the restart reads as
	// attached, not as a failure.
	c.scan("ADTMM0000444")
	c.key(tea.KeyEnter)
	c.key(tea.KeyEnter) // it has no PIN
	c.waitStatus("Voucher AD......0444 is already on this order (listed above)")
	if s := c.waitState("settled", func(s modelState) bool { return !s.busy }); s.failed != 0 {
		t.Fatalf("the voucher on the order is listed as not attached (%d)", s.failed)
	}
}
