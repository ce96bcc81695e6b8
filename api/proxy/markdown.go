package proxy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// reportMarker opens the report's JSON inside its Markdown, an HTML comment
// that renderers hide, for `boxoffice doctor --contract`.
const reportMarker = "<!-- boxoffice contract report (JSON, read by boxoffice doctor --contract)"

// Markdown is the report for people, with its JSON at the end for tools.
func Markdown(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# What %s answered, against the contract\n\n", r.Upstream)
	fmt.Fprintf(&b, "Kept by %s from %s to %s (UTC); judged by %s.\n", r.Tool,
		r.Started.Format("2006-01-02 15:04:05"), r.Updated.Format("2006-01-02 15:04:05"), r.Contract)
	if r.Recording != "" {
		fmt.Fprintf(&b, "Exchanges recorded in `%s`.\n", r.Recording)
	}
	writeSummary(&b, r)
	writeToAct(&b, r)
	writeOperations(&b, r)
	writeFacts(&b, r)
	writeViolations(&b, r)
	writeOutside(&b, r)
	writeProblems(&b, r)
	b.WriteString(sendingBack)
	raw, _ := json.Marshal(r)
	// encoding/json writes < and > as \u003c and \u003e, so nothing in it
	// can close the comment.
	fmt.Fprintf(&b, "\n%s\n%s\n-->\n", reportMarker, raw)
	return b.String()
}

const sendingBack = `
## Sending it back

Send this file, and the recording folder if the proxy ran with --record, to whoever maintains
boxoffice. Neither holds a PIN, a token, a password or a whole barcode: statuses, field names and
counts only here; masked exchanges there. An exchange's number (#12) is the same in the proxy's
log and in the recording's file names (000012-….json). ` + "`boxoffice doctor --contract FILE`" + ` reads
this file and exits 1 when a documented fact was violated.
`

func writeSummary(b *strings.Builder, r *Report) {
	c := r.Counts
	b.WriteString("\n## Summary\n\n| | |\n|---|---|\n")
	fmt.Fprintf(b, "| exchanges | %d: %d answered whole, %d lost or unanswered, %d did not reach the tenant |\n",
		c.Exchanges, c.Answered, c.Lost, c.Unreached)
	if c.Unchecked > 0 {
		fmt.Fprintf(b, "| not checked | %d (a body too large, or in an encoding the proxy cannot read) |\n", c.Unchecked)
	}
	if c.DocumentedViolations > 0 {
		fmt.Fprintf(b, "| violations of documented facts | **%d** (%d times) |\n", c.DocumentedViolations, c.DocumentedViolationsTimes)
	} else {
		b.WriteString("| violations of documented facts | none |\n")
	}
	fmt.Fprintf(b, "| [unverified] facts | %d confirmed, %d contradicted, %d both ways, %d observed, %d not seen, %d not decidable from traffic |\n",
		c.Confirmed, c.Contradicted, c.BothWays, c.Observed, c.NotSeen, c.NotDecidable)
}

func writeToAct(b *strings.Builder, r *Report) {
	b.WriteString("\n## To act on\n\n")
	n := 0
	for _, v := range r.Violations {
		if v.Documented {
			n++
			fmt.Fprintf(b, "- **violated** [%s] %s — %d time(s), first #%d\n", v.Source, violationWords(v), v.Times, v.First)
		}
	}
	for _, f := range r.Facts {
		if f.Verdict == VerdictContradicted || f.Verdict == VerdictBothWays {
			n++
			fmt.Fprintf(b, "- **%s** [%s] `%s`: %s — %s\n", f.Verdict, f.Source, f.ID, f.Claim, evidenceWords(f.Evidence, "contradicts"))
		}
	}
	if n == 0 {
		b.WriteString("Nothing: no documented fact was violated and no [unverified] fact was contradicted.\n")
	}
}

func violationWords(v ViolationSeen) string {
	who := "the tenant's answer"
	if v.Side == "request" {
		who = "the client's request"
	}
	s := fmt.Sprintf("`%s`: %s", v.Operation, who)
	if v.Field != "" {
		s += " at " + v.Field
	}
	return s + ": " + v.Rule + ": " + v.Message
}

func evidenceWords(ev []Evidence, outcome string) string {
	var parts []string
	for _, e := range ev {
		if outcome == "" || e.Outcome == outcome {
			parts = append(parts, fmt.Sprintf("%s: %s (×%d, first #%d)", e.Outcome, e.Said, e.Times, e.First))
		}
	}
	return strings.Join(parts, "; ")
}

func writeOperations(b *strings.Builder, r *Report) {
	b.WriteString("\n## Operations seen\n\n")
	if len(r.Operations) == 0 {
		b.WriteString("None yet.\n")
		return
	}
	b.WriteString("| operation | source | exchanges | statuses | no whole answer | violations |\n|---|---|---|---|---|---|\n")
	for _, o := range r.Operations {
		fmt.Fprintf(b, "| `%s` %s %s | [%s] | %d | %s | %d | %d |\n", o.Operation, o.Method, cell(o.Path), o.Source,
			o.Exchanges, statusWords(o.Statuses), o.Lost, o.Violations)
	}
}

func statusWords(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func writeFacts(b *strings.Builder, r *Report) {
	b.WriteString("\n## [unverified] facts the traffic decided\n\n")
	b.WriteString("| fact | verdict | what decided it | the contract's reading | the rule | source |\n|---|---|---|---|---|---|\n")
	decided := 0
	for _, f := range r.Facts {
		if f.Verdict == VerdictConfirmed || f.Verdict == VerdictContradicted || f.Verdict == VerdictBothWays {
			decided++
			fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n", f.ID, f.Verdict, cell(evidenceWords(f.Evidence, "")),
				cell(f.Claim), cell(f.Decides), whereWords(f))
		}
	}
	if decided == 0 {
		b.WriteString("| — | none yet | | | | |\n")
	}
	b.WriteString("\n## What the tenant sends where the contract's flags are [unverified]\n\n")
	b.WriteString("| schema | seen | source |\n|---|---|---|\n")
	for _, f := range r.Facts {
		if f.Verdict == VerdictObserved {
			fmt.Fprintf(b, "| `%s` | %s | %s |\n", strings.TrimPrefix(f.ID, "shape."), cell(f.Observed), whereWords(f))
		}
	}
	b.WriteString("\n## [unverified] facts the traffic did not touch\n\n")
	b.WriteString("Not seen is not confirmed: nothing is guessed. Each needs the exchange its rule names.\n\n")
	b.WriteString("| fact | the contract's reading | the rule | source |\n|---|---|---|---|\n")
	var shapes []string
	for _, f := range r.Facts {
		if f.Verdict == VerdictNotSeen && strings.HasPrefix(f.ID, "shape.") {
			shapes = append(shapes, "`"+strings.TrimPrefix(f.ID, "shape.")+"`")
			continue
		}
		if f.Verdict == VerdictNotSeen || f.Verdict == VerdictNotDecidable {
			rule := f.Decides
			if f.Verdict == VerdictNotDecidable {
				rule = "not decidable from traffic: " + rule
			}
			fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", f.ID, cell(f.Claim), cell(rule), whereWords(f))
		}
	}
	if len(shapes) > 0 {
		b.WriteString("\nSchemas whose flags are [unverified] and that no answer carried: " + strings.Join(shapes, ", ") + ".\n")
	}
}

// whereWords is a fact's tag and the first place it is written.
func whereWords(f FactVerdict) string {
	if len(f.Where) == 0 {
		return "[" + f.Source + "]"
	}
	w := f.Where[0]
	if strings.HasPrefix(w, "/") {
		w = "openapi.json#" + w
	}
	s := "[" + f.Source + "] " + cell(w)
	if len(f.Where) > 1 {
		s += " (+" + strconv.Itoa(len(f.Where)-1) + ")"
	}
	return s
}

func writeViolations(b *strings.Builder, r *Report) {
	b.WriteString("\n## Violations of the contract\n\n")
	if len(r.Violations) == 0 {
		b.WriteString("None.\n")
		return
	}
	b.WriteString("Side `response` is the tenant's answer; `request` is what the client sent.\n\n")
	b.WriteString("| source | operation | side | rule | field | what | times | first |\n|---|---|---|---|---|---|---|---|\n")
	for _, v := range r.Violations {
		tag := "[" + v.Source + "]"
		if v.Documented {
			tag = "**" + tag + "**"
		}
		fmt.Fprintf(b, "| %s | `%s` | %s | %s | %s | %s | %d | #%d |\n", tag, v.Operation, v.Side, cell(v.Rule), cell(v.Field),
			cell(v.Message), v.Times, v.First)
	}
}

func writeOutside(b *strings.Builder, r *Report) {
	if len(r.Outside) > 0 {
		b.WriteString("\n## Requests outside the contract\n\n| request | times | first |\n|---|---|---|\n")
		for _, o := range r.Outside {
			fmt.Fprintf(b, "| %s | %d | #%d |\n", cell(o.Request), o.Times, o.First)
		}
	}
	if len(r.Lost) > 0 {
		b.WriteString("\n## Lost or unanswered exchanges\n\n| operation | what happened | times | first |\n|---|---|---|---|\n")
		for _, l := range r.Lost {
			fmt.Fprintf(b, "| `%s` | %s | %d | #%d |\n", l.Operation, cell(l.What), l.Times, l.First)
		}
	}
}

func writeProblems(b *strings.Builder, r *Report) {
	if len(r.Problems) == 0 {
		return
	}
	b.WriteString("\n## Problems of the proxy itself\n\n")
	for _, p := range r.Problems {
		b.WriteString("- " + p + "\n")
	}
}

// cell makes text safe in a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// ParseReport reads a report file, JSON or Markdown (whose JSON is in its
// closing comment).
func ParseReport(raw []byte) (*Report, error) {
	body := bytes.TrimSpace(raw)
	if !bytes.HasPrefix(body, []byte("{")) {
		i := bytes.Index(body, []byte(reportMarker))
		if i < 0 {
			return nil, errors.New("it is not a report of boxoffice proxy (neither its JSON nor its Markdown)")
		}
		body = body[i+len(reportMarker):]
		end := bytes.Index(body, []byte("-->"))
		if end < 0 {
			return nil, errors.New("its report data is cut short (the file may still be being written, or was edited)")
		}
		body = body[:end]
	}
	var r Report
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("its report data cannot be read: %w", err)
	}
	if r.Tool != "boxoffice proxy" {
		return nil, errors.New("it is not a report of boxoffice proxy")
	}
	return &r, nil
}
