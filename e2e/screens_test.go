package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// ready is the idle hint of an empty scan form.
const ready = "Ready: scan a voucher"

// voucherCount is the title of the voucher list holding n vouchers.
func voucherCount(n int) string { return fmt.Sprintf("Vouchers on this order (%d)", n) }

// idle reports whether the screen shows nothing sent or waiting.
func idle(screen string) bool {
	return !strings.Contains(screen, "Sending ") && !strings.Contains(screen, " waiting: ")
}

// countLinesWith counts the screen rows that contain text.
func countLinesWith(screen, text string) int {
	n := 0
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, text) {
			n++
		}
	}
	return n
}

// voucherRows are the rows of the voucher list: those after its title up to
// the rule under it.
func voucherRows(screen string) []string {
	var rows []string
	in := false
	for _, line := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(line, "Vouchers on this order ("):
			in = true
		case in && strings.Contains(line, "──"):
			return rows
		case in && strings.TrimSpace(line) != "":
			rows = append(rows, line)
		}
	}
	return rows
}

// listed counts the voucher list rows that show masked.
func listed(screen, masked string) int {
	n := 0
	for _, row := range voucherRows(screen) {
		if strings.Contains(row, masked) {
			n++
		}
	}
	return n
}

// waitForOrder waits until the order is loaded and the form is ready: a
// scan before then is refused.
func waitForOrder(term *Terminal) string {
	term.tb.Helper()
	return term.WaitFor("the order loaded and the form ready", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "Order 3f9c2a7b") && strings.Contains(s, "Total ") && strings.Contains(s, ready)
	})
}

// demoOrderID is the first order of the built-in demo data, which the
// counter opens when no order is given.
const demoOrderID = "3f9c2a7be1d84c6f9a0b5e2d7c1f4a86"

// noise is what a log or journal holds that may contain any digits by
// chance: times, durations, addresses and generated ids.
var noise = regexp.MustCompile(`\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?` +
	`|\b\d+(\.\d+)?(ns|µs|us|ms|s|m|h)\b` +
	`|127\.0\.0\.1:\d+` +
	`|\b[0-9a-fA-F-]{16,}\b`)

// assertNoSecrets checks that no full barcode or PIN reached the journal or
// the log.
func assertNoSecrets(t *testing.T, term *Terminal, secrets ...string) {
	t.Helper()
	files := map[string]string{"journal": term.Journal(), "log": term.Log()}
	for name, text := range files {
		if text == "" {
			t.Errorf("the %s is empty", name)
			continue
		}
		clean := noise.ReplaceAllString(text, "")
		for _, s := range secrets {
			if strings.Contains(clean, s) {
				t.Errorf("the %s holds %q:\n%s", name, s, text)
			}
		}
		if regexp.MustCompile(`(?i)"?\bpin"?\s*[=:]\s*"?\w`).MatchString(text) {
			t.Errorf("the %s holds a PIN field:\n%s", name, text)
		}
	}
}
