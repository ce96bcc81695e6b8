package common

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/boxoffice/boxoffice/pricing"
)

// Kind says what an announcement or an outcome means; each kind has its own
// symbol so a line reads the same without colour.
type Kind int

const (
	Info Kind = iota
	Success
	Failure
	Warning
	Busy
)

// Symbol is the mark a line of this kind starts with.
func (k Kind) Symbol() string {
	switch k {
	case Success:
		return "✓"
	case Failure:
		return "✗"
	case Warning:
		return "!"
	case Busy:
		return "…"
	}
	return "·"
}

// IsOutcome reports whether an announcement of this kind says how
// something ended, rather than progress or a hint.
func (k Kind) IsOutcome() bool { return k == Success || k == Failure || k == Warning }

// Money formats a major-unit amount with two decimals.
func Money(v float64) string { return pricing.Money(v) }

// Plural is "1 ticket", "2 tickets".
func Plural(n int, word string) string { return pricing.Plural(n, word) }

// ShortID keeps the ends of a 32-character order id, enough to read it back
// to a customer.
func ShortID(id string) string {
	if len(id) <= 14 {
		return id
	}
	return id[:8] + "…" + id[len(id)-4:]
}

// Passed reports whether until has come, at the second the header shows.
func Passed(until, now time.Time) bool {
	return until.Sub(now).Round(time.Second) <= 0
}

// UntilText says how long until t, e.g. "in 42s" or "in 2m05s".
func UntilText(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	if d <= 0 {
		return "now"
	}
	if d < time.Minute {
		return fmt.Sprintf("in %ds", int(d.Seconds()))
	}
	return fmt.Sprintf("in %dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// Countdown formats the time left as mm:ss (or h:mm:ss).
func Countdown(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// Fit cuts a line to width columns, with an ellipsis where it was cut.
func Fit(line string, width int) string {
	if len(line) <= width {
		// No character is wider than its UTF-8 bytes, so a line with no
		// more bytes than columns fits, and measuring it is not needed.
		return line
	}
	return ansi.Truncate(line, width, "…")
}

// Wrap wraps text to width columns, as lines.
func Wrap(text string, width int) []string {
	return strings.Split(ansi.Wrap(text, max(width, 1), ""), "\n")
}

// Pad makes lines exactly n long, cutting or adding empty lines.
func Pad(lines []string, n int) []string {
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines[:max(n, 0)]
}

// UpperFirst capitalises the first letter.
func UpperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// OrDefault is s, or def when s is empty.
func OrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
