package mock

import (
	"os"
	"strings"
	"testing"
	"time"
)

// The demo's dates move with the day it runs (DefaultDataAround), so the
// README's table of demo vouchers speaks of expiry relative to today, and
// this keeps what it says true whatever the date.
func TestReadmeDemoExpiryMovesWithTheDemo(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, row := range []struct {
		barcode, says string
		ago           func(days int) bool
	}{
		{"ADTMM0000777", "refused: expired 27 days ago", func(days int) bool { return days == 27 }},
		{"ADTMM0000555", "refused: expired years ago", func(days int) bool { return days > 2*365 }},
	} {
		line := ""
		for _, l := range strings.Split(readme, "\n") {
			if strings.HasPrefix(l, "| `"+row.barcode+"`") {
				line = l
			}
		}
		if !strings.Contains(line, row.says) {
			t.Errorf("README's row for %s should say %q; it reads %q", row.barcode, row.says, line)
		}
		for _, now := range []time.Time{
			time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC),
			time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC),
			time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC),
		} {
			d := DefaultDataAround(now)
			var expires time.Time
			for _, v := range d.Vouchers {
				if v.Barcode == row.barcode {
					if expires, err = time.Parse(time.RFC3339, v.ExpiresAt); err != nil {
						t.Fatal(err)
					}
				}
			}
			// Days between the expiry's date, as the server words it (UTC),
			// and today's at the demo's cinemas.
			first, err := time.Parse(time.RFC3339, d.Showtimes[0].StartsAt)
			if err != nil {
				t.Fatal(err)
			}
			y, m, dd := now.In(first.Location()).Date()
			today := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
			exp := expires.UTC()
			expDay := time.Date(exp.Year(), exp.Month(), exp.Day(), 0, 0, 0, 0, time.UTC)
			if days := int(today.Sub(expDay).Hours() / 24); !row.ago(days) {
				t.Errorf("on %s, %s expires on %s: %d days before, not as README says (%q)", now.Format(time.DateOnly), row.barcode, expDay.Format(time.DateOnly), days, row.says)
			}
		}
	}
}
