package e2e

// What an operator met on the demo before the counter was rebuilt around
// the customer in front of it: each test walks one of those paths in a real
// terminal and reads the screen.

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// demoTwoShowtimes is the demo order with two showtimes.
const demoTwoShowtimes = "7d2e4b9c0a1f4e6d8b3c5a7e9f1d2c4b"

// outcomeRows are the lines under "Last outcomes" that mention text.
func outcomeRows(screen, text string) int {
	n, in := 0, false
	for _, line := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(line, "Last outcomes"):
			in = true
		case in && strings.Contains(line, "Barcode ["):
			return n
		case in && strings.Contains(line, text):
			n++
		}
	}
	return n
}

// statusOf is the screen's status line: the lines between the form and the
// key bar.
func statusOf(screen string) string {
	lines := strings.Split(screen, "\n")
	start := -1
	for i, l := range lines {
		if strings.Contains(l, "Type ") && strings.Contains(l, "F2") {
			start = i + 1
		}
	}
	if start < 0 || start >= len(lines)-1 {
		return ""
	}
	if strings.Contains(lines[start], "Showtime ") && !strings.ContainsAny(lines[start], "✓✗!·") {
		start++
	}
	return squeezed(strings.Join(lines[start:len(lines)-1], " "))
}

// 1. A refusal belongs to its customer: the next order starts with none,
// and ctrl+r cannot bring the last customer's voucher onto it.
func TestSymptomRefusalsDoNotCarryOverToTheNextOrder(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	term.WriteString("ADTMM0000999\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("9999\r")
	term.WaitFor("the refusal", WaitTimeout, func(s string) bool { return strings.Contains(s, "Not attached (1)") })
	term.WriteString("\x0e") // ctrl+n
	screen := term.WaitFor("a new order", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "New order") && !strings.Contains(s, "Order 3f9c2a7b")
	})
	if strings.Contains(screen, "Not attached") || strings.Contains(screen, "AD......0999") {
		t.Errorf("the last customer's refusal is on the new order:\n%s", frame(screen))
	}
	term.WriteString("\x12") // ctrl+r
	screen = term.WaitFor("ctrl+r answered", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "no failed scan") || strings.Contains(s, "Retrying")
	})
	if strings.Contains(screen, "Retrying AD......0999") || strings.Contains(screen, "ADTMM0000999") {
		t.Errorf("ctrl+r brought the last customer's voucher onto the new order:\n%s", frame(screen))
	}
	term.Close()
}

// 2. A showtime picked for a new order stays chosen after Esc: Ticket
// vouchers still scan for it, and F4 opens its tickets again.
func TestSymptomAPickedShowtimeStaysChosen(t *testing.T) {
	t.Parallel()
	term, _ := newOrderPicker(t)
	term.WriteString("\x1b[18~") // F7
	picked := term.WaitFor("the tickets panel", WaitTimeout, func(s string) bool { return strings.Contains(s, "not on the order yet") })
	title := regexp.MustCompile(`Tickets · (\d\d:\d\d [^·]+?) ·`).FindStringSubmatch(picked)
	if title == nil {
		t.Fatalf("no showtime in the panel's title:\n%s", frame(picked))
	}
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("1234\r")
	term.WaitForText("Attached AD......0111", WaitTimeout)
	term.WriteString("\x1b") // Esc
	screen := term.WaitFor("the panel closed", WaitTimeout, func(s string) bool { return strings.Contains(s, "Vouchers on this order") })
	if strings.Contains(screen, "No showtime or tickets yet") {
		t.Errorf("the chosen showtime is forgotten after Esc:\n%s", frame(screen))
	}
	term.WriteString("ADTMM0000444\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("\r")
	screen = term.WaitFor("the second Ticket voucher's outcome", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "AD......0444") && (strings.Contains(s, "Attached AD......0444") || strings.Contains(s, "has none yet"))
	})
	if strings.Contains(screen, "has none yet") {
		t.Errorf("a Ticket voucher is refused for want of a showtime although one was chosen:\n%s", frame(screen))
	}
	term.WriteString("\x1bOS") // F4
	screen = term.WaitFor("F4 again", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "Pick a showtime") || strings.Contains(s, "Tickets · ")
	})
	if !strings.Contains(screen, "Tickets · "+title[1]) {
		t.Errorf("F4 did not open the chosen showtime %q again:\n%s", title[1], frame(screen))
	}
	term.Close()
}

// 3. F2 pressed after a wrong-type refusal, then ctrl+r, sends the scan as
// F2 chose.
func TestSymptomF2ThenCtrlRSendsTheTypeChosen(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	term.WriteString("9300000000017\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("\r")
	term.WaitFor("the wrong type refused", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), "is a Deal voucher") })
	term.WriteString("\x1bOQ") // F2: Deal, this scan
	term.WaitForText("Type Deal", WaitTimeout)
	term.WriteString("\x12") // ctrl+r
	term.WaitForText("Barcode [9300000000017", WaitTimeout)
	term.WriteString("\r")
	if s := term.WaitFor("the retried scan's outcome", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "Attached 93.......0017") || outcomeRows(s, "93.......0017") >= 2
	}); !strings.Contains(s, "Attached 93.......0017") {
		t.Errorf("the retried scan did not go as the type F2 chose:\n%s", frame(s))
	}
	term.Close()
}

// 4. At the next scan's PIN, the status line speaks of that scan, not of the
// last voucher's outcome.
func TestSymptomThePinPromptIsAboutTheScanAtHand(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("1234\r")
	term.WaitForText("Attached AD......0111", WaitTimeout)
	term.WriteString("ADTMM0000444\r")
	screen := term.WaitFor("the PIN field", WaitTimeout, func(s string) bool { return strings.Contains(s, "▸ PIN") })
	if st := statusOf(screen); strings.Contains(st, "Attached AD......0111") {
		t.Errorf("at the next scan's PIN the status line still says %q", st)
	}
	term.Close()
}

// 5. Three wrong PINs are three outcomes: the block is listed once, however
// often the voucher is scanned while it lasts.
func TestSymptomThreeWrongPinsAreThreeOutcomes(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	for i, pin := range []string{"0000", "0001", "0002"} {
		if i == 0 {
			term.WriteString("ADTMM0000222\r")
		}
		term.WaitFor("the PIN field", WaitTimeout, func(s string) bool { return strings.Contains(s, "▸ PIN") && idle(s) })
		term.WriteString(pin + "\r")
		n := i + 1
		term.WaitFor("the refusal listed", WaitTimeout, func(s string) bool { return outcomeRows(s, "AD......0222") >= n && idle(s) })
	}
	term.WaitFor("the block", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), "blocked") })
	// Scanned again during the block, as an operator does to see.
	term.WriteString("ADTMM0000222\r")
	term.WaitFor("the scan answered", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "▸ PIN") || strings.Contains(squeezed(s), "is blocked after too many attempts")
	})
	if strings.Contains(term.Screen(), "▸ PIN") {
		term.WriteString("4321\r")
	}
	term.WaitFor("the block said again", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), "is blocked after too many attempts") })
	screen := term.WaitFor("settled", WaitTimeout, func(s string) bool { return idle(s) })
	if n := outcomeRows(screen, "AD......0222"); n != 3 {
		t.Errorf("three wrong PINs gave %d outcome rows:\n%s", n, frame(screen))
	}
	term.Close()
}

// 6. An order that ends while a scan is on its way: the end is an outcome,
// the scan is kept for the next order, and what the screen says of it
// agrees with what it keeps.
func TestSymptomAnOrderEndingUnderAScanSaysWhatIsKept(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--demo-faults", "latency=1500ms", "--pin-prompt", "never"}})
	waitForOrder(term)
	// The second scan leaves as the first is answered, and the cancel,
	// sent meanwhile, lands before it.
	term.WriteString("ADTMM0001001\rADTMM0001002\rADTMM0001003\r")
	term.WaitForText("Sending AD......1001", WaitTimeout)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodDelete, term.ServerURL()+"/ocapi/v1/orders/"+demoOrderID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	term.WaitFor("the order's end", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "AD......1002") && idle(s) && strings.Contains(s, "Not attached")
	})
	term.WaitFor("the end among the outcomes", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "Last outcomes") && outcomeRows(s, "Order 3f9c2a7b") >= 1
	})
	// The PIN typed again out of habit.
	term.WriteString("1234\r")
	screen := term.WaitFor("the digits refused", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), "Nothing can be added") })
	if strings.Contains(squeezed(screen), "and nothing was kept") {
		t.Errorf("the screen says nothing was kept while it keeps the scan:\n%s", frame(screen))
	}
	term.Close()
}

// 7. Every part keeps room: F1 leaves voucher rows, a small window shows a
// row and the whole expiry, and the tickets panel gets the room of the
// ticket lines it repeats.
func TestSymptomEveryPartKeepsItsRoom(t *testing.T) {
	t.Parallel()
	refuse := func(term *Terminal) {
		for _, b := range []string{"ADTMM0000999\r9999\r", "ADTMM0000555\r5555\r"} {
			term.WriteString(b[:13])
			term.WaitForText("Type the PIN", WaitTimeout)
			term.WriteString(b[13:])
			masked := "AD......" + b[8:12]
			term.WaitFor("settled", WaitTimeout, func(s string) bool { return idle(s) && strings.Contains(s, masked+" rejected") })
		}
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		term := Start(t, Options{Args: []string{"--order", demoTwoShowtimes}, Cols: size[0], Rows: size[1]})
		term.WaitForText("Gold Lounge", WaitTimeout)
		term.WriteString("ADTMM0000111\r")
		term.WaitForText("Type the PIN", WaitTimeout)
		term.WriteString("1234\r")
		term.WaitFor("attached", WaitTimeout, func(s string) bool { return strings.Contains(s, "Attached AD......0111") && idle(s) })
		refuse(term)
		if size[0] == 80 {
			term.WriteString("\x1bOP") // F1
			screen := term.WaitFor("every key", WaitTimeout, func(s string) bool { return strings.Contains(s, "fewer keys") })
			if listed(screen, "AD......0111") != 1 {
				t.Errorf("with every key shown at 80x24 no voucher row is visible:\n%s", frame(screen))
			}
			term.WriteString("\x1bOP\x1bOS") // F1, F4
			screen = term.WaitFor("the tickets panel", WaitTimeout, func(s string) bool { return strings.Contains(s, "Tickets · ") && strings.Contains(s, "F7 applies") })
			if strings.Contains(screen, "2 × Adult") {
				t.Errorf("the order repeats the panel's tickets:\n%s", frame(screen))
			}
			if rows := len(regexp.MustCompile(`(?m)\d+\.\d\d\s+(◂|\s)\s*(\d+|–)`).FindAllString(screen, -1)); rows < 5 {
				t.Errorf("the tickets panel shows %d rows at 80x24:\n%s", rows, frame(screen))
			}
		} else {
			screen := term.Screen()
			if listed(screen, "AD......0111") != 1 {
				t.Errorf("at 60x20 no voucher row is visible:\n%s", frame(screen))
			}
			if !regexp.MustCompile(`expires in \d`).MatchString(screen) {
				t.Errorf("at 60x20 the expiry is cut:\n%s", frame(screen))
			}
		}
		term.Close()
	}
}

// 8. The showtime picker opens on the next showtime to start, not on the
// day's first that started hours ago.
func TestSymptomThePickerOpensOnTheNextShowtime(t *testing.T) {
	t.Parallel()
	term, screen := newOrderPicker(t)
	var selected string
	upcoming := false
	for _, l := range strings.Split(screen, "\n") {
		if m := regexp.MustCompile(`^\s*(> )?\d\d:\d\d `).FindStringSubmatch(l); m != nil {
			if m[1] != "" {
				selected = l
			}
			upcoming = upcoming || !strings.Contains(l, "(started)")
		}
	}
	if upcoming && strings.Contains(selected, "(started)") {
		t.Errorf("the picker selects a showtime that has started while others are to come:\n%s", frame(screen))
	}
	term.Close()
}

// 9. A voucher already on the order, or blocked, is refused at its barcode:
// no PIN is asked, and an attached one is brought into view.
func TestSymptomNoPinIsAskedForAScanThatCannotGo(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("1234\r")
	term.WaitFor("attached", WaitTimeout, func(s string) bool { return strings.Contains(s, "Attached AD......0111") && idle(s) })
	term.WriteString("ADTMM0000111\r")
	screen := term.WaitFor("the second scan answered", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "▸ PIN") || strings.Contains(squeezed(s), "already")
	})
	if strings.Contains(screen, "▸ PIN") {
		t.Errorf("a PIN is asked for a voucher already on the order:\n%s", frame(screen))
		term.WriteString("\x1b")
	}
	term.Close()
}

// 10. The tickets panel never reads "0 left, was 0", and at 120 columns the
// For column is not cut while Description has room.
func TestSymptomTheTicketsNoteAndTheForColumnRead(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--order", demoTwoShowtimes}, Cols: 120, Rows: 30})
	term.WaitForText("Gold Lounge", WaitTimeout)
	term.WriteString("\x1bOR") // F3: the second showtime
	term.WaitForText("Showtime 18:00", WaitTimeout)
	term.WriteString("ADTMM0000111\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("1234\r")
	screen := term.WaitFor("attached", WaitTimeout, func(s string) bool { return strings.Contains(s, "Attached AD......0111") && idle(s) })
	if !strings.Contains(screen, "18:00 The Lighthouse Keeper's Daughter ") {
		t.Errorf("at 120 columns the For column is cut:\n%s", frame(screen))
	}
	term.WriteString("\x1bOS") // F4
	term.WaitFor("the tickets panel", WaitTimeout, func(s string) bool { return strings.Contains(s, "F7 applies") })
	for range 6 {
		term.WriteString("\x1b[B\x1b[C") // ↓ →
	}
	screen = term.WaitFor("a draft", WaitTimeout, func(s string) bool { return strings.Contains(s, "Not applied") })
	if strings.Contains(screen, "left, was") {
		t.Errorf("the panel reads like the voucher had nothing left:\n%s", frame(screen))
	}
	term.Close()
}

// 11. With the server out of reach, the screen says the order is not
// loaded and offers F5, a scan is not left waiting, and ctrl+c does not
// speak of scans being sent.
func TestSymptomAnUnreachableServerIsSaidPlainly(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{Args: []string{"--api-url", "http://127.0.0.1:1", "--timeout", "2s", "--order", demoOrderID}})
	screen := term.WaitFor("the failed read", WaitTimeout, func(s string) bool { return strings.Contains(squeezed(s), "reach the server") })
	if strings.Contains(screen, "None yet. Scan a voucher below.") {
		t.Errorf("the screen invites scans into an order it could not read:\n%s", frame(screen))
	}
	bar := strings.Split(strings.TrimRight(screen, "\n "), "\n")
	if !strings.Contains(bar[len(bar)-1], "f5") {
		t.Errorf("the key bar does not offer F5: %q", bar[len(bar)-1])
	}
	term.WriteString("ADTMM0000111\r")
	term.WaitFor("the scan answered", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "▸ PIN") || strings.Contains(s, "waiting") || strings.Contains(s, "not sent")
	})
	term.WriteString("1234\r")
	screen = term.WaitFor("the scan's fate", WaitTimeout, func(s string) bool {
		return strings.Contains(s, "1 waiting") || strings.Contains(squeezed(s), "was not sent")
	})
	if strings.Contains(screen, "1 waiting") {
		t.Errorf("a scan waits for an order that could not be read:\n%s", frame(screen))
	}
	term.WriteString("\x03")
	screen = term.WaitFor("ctrl+c answered", WaitTimeout, func(s string) bool { return strings.Contains(s, "ctrl+c again") || !term.AltScreen() })
	if strings.Contains(screen, "still being sent") {
		t.Errorf("ctrl+c speaks of scans being sent:\n%s", frame(screen))
	}
	term.Close()
}

// 12. A barcode typed in lower case is refused with a word on why.
func TestSymptomALowerCaseBarcodeIsExplained(t *testing.T) {
	t.Parallel()
	term := Start(t, Options{})
	waitForOrder(term)
	term.WriteString("adtmm0000111\r")
	term.WaitForText("Type the PIN", WaitTimeout)
	term.WriteString("1234\r")
	screen := term.WaitFor("the refusal", WaitTimeout, func(s string) bool { return strings.Contains(s, "rejected") && idle(s) })
	if !strings.Contains(squeezed(screen), "lower case") {
		t.Errorf("a lower-case barcode is refused with no hint:\n%s", frame(screen))
	}
	term.Close()
}

// newOrderPicker starts the demo, opens a new order (ctrl+n) and its
// showtime picker (F4), and returns the screen the picker shows.
func newOrderPicker(t *testing.T) (*Terminal, string) {
	t.Helper()
	term := Start(t, Options{})
	waitForOrder(term)
	term.WriteString("\x0e") // ctrl+n
	term.WaitForText("New order", WaitTimeout)
	term.WriteString("\x1bOS") // F4
	return term, term.WaitFor("the showtimes", WaitTimeout, func(s string) bool { return strings.Contains(s, "F7 takes") })
}
