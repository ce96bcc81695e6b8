package cli

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/journal"
)

// journalReport is what one run of a journal command read.
type journalReport struct {
	path         string
	since, until time.Time
	log          *journal.Log
	servers      serverFilter
}

// lines returns the lines before --until, of the servers asked for, that
// keep says to (all, for nil).
func (r *journalReport) lines(keep func(journal.Line) bool) []journal.Line {
	var out []journal.Line
	for _, l := range r.log.Lines {
		if (r.until.IsZero() || l.Time.Before(r.until)) && r.servers.keeps(l.Server) && (keep == nil || keep(l)) {
			out = append(out, l)
		}
	}
	return out
}

func (r *journalReport) unreadable() []journal.Unreadable {
	var out []journal.Unreadable
	for _, u := range r.log.Unreadable {
		if r.until.IsZero() || u.After.Before(r.until) {
			out = append(out, u)
		}
	}
	return out
}

// window says which times the report covers, for its heading.
func (r *journalReport) window() string {
	from := "the start"
	if !r.since.IsZero() {
		from = r.since.Local().Format("2006-01-02 15:04")
	}
	to := "now"
	if !r.until.IsZero() {
		to = r.until.Local().Format("2006-01-02 15:04")
	}
	return from + " to " + to
}

func (r *journalReport) heading() string {
	files := ""
	if n := len(r.log.Files); n > 1 {
		files = fmt.Sprintf(" (%d files)", n)
	}
	return fmt.Sprintf("Journal %s%s, %s, %s", printable(r.path), files, r.window(), r.servers.words())
}

const journalTime = "2006-01-02 15:04:05"

// printable keeps what a hand-edited journal holds from driving the
// terminal: control, bidirectional and invalid characters become "?".
func printable(s string) string {
	s = strings.ToValidUTF8(s, "?")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || unicode.Is(unicode.Cf, r) {
			return '?'
		}
		return r
	}, s)
}

// cell is a value for a table: printable, "-" when empty, and cut short
// when a hand edit made it long.
func cell(s string) string {
	s = printable(s)
	if s == "" {
		return "-"
	}
	if r := []rune(s); len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}

// reason is why a line is as it is: its error and message, and what to
// check.
func reason(l journal.Line) string {
	var parts []string
	switch l.Check {
	case journal.CheckUnknown:
		parts = append(parts, "no answer: whether it went through is not known")
	case journal.CheckAbandoned:
		parts = append(parts, "given up when the counter quit")
	case journal.CheckNoOutcome:
		parts = append(parts, "no outcome recorded: the program may have stopped while sending it")
	case journal.CheckNotSent:
		parts = append(parts, "never sent: the program stopped while it waited its turn")
	case journal.CheckNoTransaction:
		parts = append(parts, "its transaction number was lost")
	case journal.CheckMatchedByMask:
		parts = append(parts, "the answer was lost; a voucher matching its masked barcode is on the order, maybe another writer's")
	}
	if l.Reason != "" {
		parts = append(parts, api.Reason(l.Reason).Words())
	}
	if l.ErrorKind != "" && l.ErrorKind != l.Outcome {
		parts = append(parts, l.ErrorKind)
	}
	if l.HTTPStatus != 0 {
		parts = append(parts, "HTTP "+strconv.Itoa(l.HTTPStatus))
	}
	if !l.BlockedUntil.IsZero() {
		parts = append(parts, "blocked until "+l.BlockedUntil.Local().Format(journalTime))
	}
	if l.Message != "" {
		parts = append(parts, l.Message)
	}
	if l.SettledBy != nil {
		parts = append(parts, "settled: "+l.SettledBy.Action+" "+l.SettledBy.Outcome+" at "+l.SettledBy.Time.Local().Format(journalTime))
	}
	return strings.Join(parts, "; ")
}

// todo is what a supervisor does about a check.
func todo(l journal.Line) string {
	switch {
	case l.Check == journal.CheckAbandoned, l.Check == journal.CheckNotSent:
		return "it was not sent: ask whether the customer still wants it attached"
	case l.Check == journal.CheckNoTransaction:
		return "look the completion up in Vista and give the customer its transaction number"
	case l.Action == journal.ActionComplete:
		return "check in Vista whether the order was completed before completing it again"
	case l.Action == journal.ActionCancel:
		return "check in Vista whether the order was cancelled"
	case l.Action == journal.ActionRemove:
		return "check in Vista whether the voucher is still on the order"
	}
	return "check in Vista whether the voucher is on the order"
}

func writeJournalList(w io.Writer, r *journalReport, lines []journal.Line, unreadable []journal.Unreadable) error {
	fmt.Fprintln(w, r.heading())
	fmt.Fprintln(w)
	if len(lines) == 0 {
		fmt.Fprintln(w, "No lines.")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		// The server is a column only when the lines name more than one.
		withServer := servers(lines) > 1
		header := "TIME\tORDER\tACTION\tBARCODE\tTYPE\tOUTCOME\tREASON"
		if withServer {
			header = "TIME\tSERVER\tORDER\tACTION\tBARCODE\tTYPE\tOUTCOME\tREASON"
		}
		fmt.Fprintln(tw, header)
		for _, l := range lines {
			at := l.Time.Local().Format(journalTime)
			if withServer {
				at += "\t" + cell(l.Server)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", at, cell(l.OrderID), cell(l.Action),
				cell(api.MaskBarcode(l.MaskedBarcode)), cell(l.VoucherType), cell(l.Outcome), cell(reason(l)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	writeUnreadable(w, unreadable)
	return nil
}

func writeUnreadable(w io.Writer, unreadable []journal.Unreadable) {
	if len(unreadable) == 0 {
		return
	}
	fmt.Fprintf(w, "\nLines that cannot be read (%d): a crash while writing, or damage\n", len(unreadable))
	for _, u := range unreadable {
		fmt.Fprintf(w, "  %s line %d: %s\n", printable(u.File), u.Number, u.Problem)
	}
}

func writeJournalSummary(w io.Writer, r *journalReport, s journal.Summary) error {
	fmt.Fprintln(w, r.heading())
	fmt.Fprintln(w)
	var open, settled []journal.Line
	for _, l := range s.ToCheck {
		if l.Open() {
			open = append(open, l)
		} else {
			settled = append(settled, l)
		}
	}
	if n := s.NeedsChecking(); n == 0 {
		fmt.Fprintln(w, "Nothing needs checking.")
	} else {
		fmt.Fprintf(w, "To check (%d):\n", n)
		if len(open) > 0 {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "TIME\tORDER\tACTION\tBARCODE\tTYPE\tWHAT\tTO DO")
			for _, l := range open {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Time.Local().Format(journalTime), cell(l.OrderID), cell(l.Action),
					cell(api.MaskBarcode(l.MaskedBarcode)), cell(l.VoucherType), cell(reason(l)), todo(l))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		writeUnreadable(w, s.Unreadable)
	}
	if len(settled) > 0 {
		fmt.Fprintf(w, "\nSettled by a later line (%d):\n", len(settled))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tORDER\tACTION\tBARCODE\tTYPE\tWHAT")
		for _, l := range settled {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.Time.Local().Format(journalTime), cell(l.OrderID), cell(l.Action),
				cell(api.MaskBarcode(l.MaskedBarcode)), cell(l.VoucherType), cell(reason(l)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintln(w)
	if len(s.Vouchers) == 0 {
		fmt.Fprintln(w, "Vouchers: none.")
	} else {
		writeVoucherCounts(w, "Vouchers:", "OUTCOME", s.Vouchers)
	}
	if len(s.Refusals) > 0 {
		fmt.Fprintln(w)
		writeVoucherCounts(w, "Refused, by the server's reason:", "REASON", reasonWords(s.Refusals))
	}

	fmt.Fprintf(w, "\nOrders: %d (%d completed, %d cancelled)\n", s.Orders, len(s.Completed), s.Cancelled)
	if len(s.Completed) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "COMPLETED\tORDER\tTRANSACTION")
		for _, c := range s.Completed {
			number := c.TransactionNumber
			if number == "" {
				number = "lost: look it up in Vista"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Time.Local().Format(journalTime), cell(c.OrderID), cell(number))
		}
		return tw.Flush()
	}
	return nil
}

// reasonWords puts refusals' reasons in words.
func reasonWords(counts []journal.Count) []journal.Count {
	out := slices.Clone(counts)
	for i := range out {
		out[i].Outcome = api.Reason(out[i].Outcome).Words()
	}
	return out
}

// writeVoucherCounts prints the counts as a table of outcomes (or reasons,
// as column names) by voucher type, in the order Summarize gives them.
func writeVoucherCounts(w io.Writer, title, column string, counts []journal.Count) {
	var types []string
	type row struct{ action, outcome string }
	var rows []row
	n := map[row]map[string]int{}
	for _, c := range counts {
		if !slices.Contains(types, c.VoucherType) {
			types = append(types, c.VoucherType)
		}
		k := row{c.Action, c.Outcome}
		if n[k] == nil {
			n[k] = map[string]int{}
			rows = append(rows, k)
		}
		n[k][c.VoucherType] += c.N
	}
	slices.SortStableFunc(types, func(a, b string) int { return typeRank(a) - typeRank(b) })
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "ACTION\t" + column + "\t"
	for _, t := range types {
		header += strings.ToUpper(cell(t)) + "\t"
	}
	fmt.Fprintln(tw, header+"TOTAL")
	for _, k := range rows {
		line := k.action + "\t" + strings.ReplaceAll(k.outcome, "_", " ") + "\t"
		total := 0
		for _, t := range types {
			line += strconv.Itoa(n[k][t]) + "\t"
			total += n[k][t]
		}
		fmt.Fprintln(tw, line+strconv.Itoa(total))
	}
	tw.Flush()
}

func typeRank(t string) int {
	if i := slices.Index(api.VoucherTypes, api.VoucherType(t)); i >= 0 {
		return i
	}
	return len(api.VoucherTypes)
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// lineJSON is a journal line as the journal commands print it: the entry,
// which holds no secret, with its barcode masked again, and where it stands.
type lineJSON struct {
	journal.Entry
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Check says why the line needs checking; SettledBy is the later line
	// that settled it.
	Check     string    `json:"check,omitempty"`
	SettledBy *lineJSON `json:"settledBy,omitempty"`
}

func entryJSON(e journal.Entry) lineJSON {
	e.MaskedBarcode = api.MaskBarcode(e.MaskedBarcode)
	return lineJSON{Entry: e}
}

func linesJSON(lines []journal.Line) []lineJSON {
	out := make([]lineJSON, 0, len(lines))
	for _, l := range lines {
		j := entryJSON(l.Entry)
		j.File, j.Line, j.Check = l.File, l.Number, l.Check
		if l.SettledBy != nil {
			s := entryJSON(*l.SettledBy)
			j.SettledBy = &s
		}
		out = append(out, j)
	}
	return out
}

func unreadableJSON(unreadable []journal.Unreadable) []map[string]any {
	out := make([]map[string]any, 0, len(unreadable))
	for _, u := range unreadable {
		out = append(out, map[string]any{"file": u.File, "line": u.Number, "problem": u.Problem})
	}
	return out
}

func summaryJSON(r *journalReport, s journal.Summary) map[string]any {
	vouchers := make([]map[string]any, 0, len(s.Vouchers))
	for _, c := range s.Vouchers {
		vouchers = append(vouchers, map[string]any{"action": c.Action, "outcome": c.Outcome, "type": c.VoucherType, "count": c.N})
	}
	refusals := make([]map[string]any, 0, len(s.Refusals))
	for _, c := range s.Refusals {
		refusals = append(refusals, map[string]any{"action": c.Action, "reason": c.Outcome, "type": c.VoucherType, "count": c.N})
	}
	completed := make([]map[string]any, 0, len(s.Completed))
	for _, c := range s.Completed {
		completed = append(completed, map[string]any{"time": c.Time, "server": c.Server, "orderId": c.OrderID, "transactionNumber": c.TransactionNumber})
	}
	return map[string]any{
		"journal": r.path, "files": r.log.Files, "since": timeOrNil(r.since), "until": timeOrNil(r.until),
		"needsChecking": s.NeedsChecking(),
		"toCheck":       linesJSON(s.ToCheck),
		"unreadable":    unreadableJSON(s.Unreadable),
		"vouchers":      vouchers,
		"refusals":      refusals,
		"server":        r.servers.String(),
		"orders":        map[string]any{"count": s.Orders, "completed": completed, "cancelled": s.Cancelled},
	}
}
