package ui

// docs/messages.md against the screen: every text the status line shows
// (an announcement, a question, a call under way, or the hint when nothing
// is announced) and every outcome listed under "Last outcomes", in every
// flow the driver and the harness run, must start with a message the
// reference documents. Each test that drives the screen checks what it saw
// when it ends, so a new message said without its line in the reference
// fails the test that makes the screen say it.

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// saidLog keeps every text the screen said in one test, once each, in the
// order first said. The harness's program writes to it from its own
// goroutine.
type saidLog struct {
	mu sync.Mutex
	// seen are the texts taken, as the screen holds them; said the same
	// with the spaces that wrapping may change squeezed.
	seen map[string]bool
	said []string
	// planted are texts a test put on the status line itself, which are
	// not the screen's words.
	planted map[string]bool
}

func newSaidLog() *saidLog {
	return &saidLog{seen: map[string]bool{}, planted: map[string]bool{}}
}

// take notes what the screen says now: the status line, and the outcomes
// the customer's list keeps.
func (l *saidLog) take(m *Model) {
	texts := []string{m.run.status.Text()}
	if texts[0] == "" {
		texts[0] = m.idleHint()
	}
	if c := m.cust; c != nil {
		texts = append(texts, c.outcomes.Texts()...)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, raw := range texts {
		if raw == "" || l.seen[raw] {
			continue
		}
		l.seen[raw] = true
		if text := squeezed(raw); !l.planted[text] {
			l.said = append(l.said, text)
		}
	}
}

// plant marks a text a test announced itself.
func (l *saidLog) plant(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.planted[squeezed(text)] = true
}

// checkDocumented fails t for every text said that docs/messages.md does
// not document. A test that failed already is not told more.
func (l *saidLog) checkDocumented(t *testing.T) {
	t.Helper()
	if t.Failed() || t.Skipped() {
		return
	}
	l.mu.Lock()
	said := slices.Clone(l.said)
	l.mu.Unlock()
	for _, text := range undocumented(t, said) {
		t.Errorf("the screen said %q, and no message in docs/messages.md (On the counter screen) starts it: add its line there", text)
	}
}

// undocumented are the texts that start with no documented message.
func undocumented(t *testing.T, texts []string) []string {
	t.Helper()
	patterns := counterMessages(t)
	var out []string
	for _, text := range texts {
		if !slices.ContainsFunc(patterns, func(p *regexp.Regexp) bool { return p.MatchString(text) }) {
			out = append(out, text)
		}
	}
	return out
}

var documented struct {
	once     sync.Once
	patterns []*regexp.Regexp
	err      error
}

// counterMessages are the messages docs/messages.md documents for the
// counter screen, each a pattern that matches the start of what the screen
// says.
func counterMessages(t *testing.T) []*regexp.Regexp {
	t.Helper()
	documented.once.Do(func() {
		doc, err := os.ReadFile("../docs/messages.md")
		if err != nil {
			documented.err = err
			return
		}
		documented.patterns, documented.err = messagePatterns(string(doc))
	})
	if documented.err != nil {
		t.Fatal(documented.err)
	}
	return documented.patterns
}

// messagePatterns reads the section "On the counter screen": every text
// quoted in the first column of its tables is a message.
func messagePatterns(doc string) ([]*regexp.Regexp, error) {
	_, section, ok := strings.Cut(doc, "\n## On the counter screen\n")
	if !ok {
		return nil, errors.New("docs/messages.md has no section \"On the counter screen\"")
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var out []*regexp.Regexp
	for _, msg := range tableMessages(section) {
		p, err := messagePattern(msg)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) < 100 {
		return nil, errors.New("docs/messages.md documents fewer than 100 counter messages: has the table format changed?")
	}
	return out, nil
}

// quotedText is a text quoted in Markdown.
var quotedText = regexp.MustCompile("`([^`]+)`")

// tableMessages are the texts quoted in the first column of the tables of a
// part of docs/messages.md: the messages.
func tableMessages(doc string) []string {
	var out []string
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first, _, _ := strings.Cut(line[1:], " | ")
		for _, m := range quotedText.FindAllStringSubmatch(first, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// placeholder finds the parts of a documented message that stand for what
// varies: "…" and "<what>" for any words, N for a number, AD......0111 for
// a masked barcode and 3f9c2a7b…4a86 for an order id, as the reference's
// introduction says.
var placeholder = regexp.MustCompile(`…|<[^>]+>|\bN\b|AD\.\.\.\.\.\.0111|3f9c2a7b…4a86`)

// minOwnChars is how many characters of a message must be its own words,
// not placeholders: fewer would match what any message says.
const minOwnChars = 6

// messagePattern turns a documented message into a pattern matching the
// start of a text the screen says. A part in square brackets is said only
// when it applies; the symbol the screen draws before the text is not part
// of it.
func messagePattern(msg string) (*regexp.Regexp, error) {
	msg = squeezed(msg)
	for _, symbol := range []string{"✓ ", "✗ ", "! ", "· "} {
		msg = strings.TrimPrefix(msg, symbol)
	}
	var b strings.Builder
	b.WriteString("^")
	own := 0
	for rest := msg; rest != ""; {
		before, optional, found := strings.Cut(rest, "[")
		own += writePattern(&b, before)
		if !found {
			break
		}
		optional, rest, found = strings.Cut(optional, "]")
		if !found {
			return nil, fmt.Errorf("docs/messages.md: the message %q opens a [ it does not close", msg)
		}
		b.WriteString("(?:")
		own += writePattern(&b, optional)
		b.WriteString(")?")
	}
	if own < minOwnChars {
		return nil, fmt.Errorf("docs/messages.md: the message %q has too few words of its own to tell it from others", msg)
	}
	return regexp.Compile(b.String())
}

// writePattern writes the pattern of a part of a message, and returns how
// many of its characters are its own words.
func writePattern(b *strings.Builder, part string) (own int) {
	last := 0
	for _, loc := range placeholder.FindAllStringIndex(part, -1) {
		literal := part[last:loc[0]]
		own += len(strings.TrimSpace(literal))
		b.WriteString(regexp.QuoteMeta(literal))
		switch part[loc[0]:loc[1]] {
		case "N":
			b.WriteString(`\d+`)
		case "AD......0111", "3f9c2a7b…4a86":
			b.WriteString(`\S+`)
		default:
			b.WriteString(`.*`)
		}
		last = loc[1]
	}
	own += len(strings.TrimSpace(part[last:]))
	b.WriteString(regexp.QuoteMeta(part[last:]))
	return own
}

// The check finds what the reference does not document, and passes what it
// does, whatever the variable parts and however the line wraps.
func TestUndocumentedMessagesAreFound(t *testing.T) {
	said := []string{
		"Voucher AD......0999 rejected: it has been used up.",
		"Attached AD......0111 (Adult Movie Money): 2 remaining",
		"Complete order 9e8d7c6b…6c5b: 2 tickets, 2 paid by vouchers; spends AD......0111 (2 tickets), total 0.00? Press F10 again to complete, Esc to go back.",
		"Ready: scan a voucher or type its barcode and press Enter.",
		"Voucher AD......0111 flew away on its own.",
		"Attaching is postponed until further notice.",
	}
	got := undocumented(t, said)
	if want := said[4:]; !slices.Equal(got, want) {
		t.Fatalf("undocumented: %q, want %q", got, want)
	}
	if _, err := messagePattern("Kept …"); err == nil {
		t.Fatal("a message of four letters and a placeholder is taken as documenting something")
	}
	optional, err := messagePattern("Removed … from the order.[ Total now ….] Done.")
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"Removed AD......0111 from the order. Done.":                  true,
		"Removed AD......0111 from the order. Total now 12.00. Done.": true,
		"Removed AD......0111 from the order. Total now 12.00.":       false,
	} {
		if got := optional.MatchString(text); got != want {
			t.Errorf("an optional part: %q matched %v", text, got)
		}
	}
}
