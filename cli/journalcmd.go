package cli

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/boxoffice/boxoffice/api"
	"github.com/boxoffice/boxoffice/config"
	"github.com/boxoffice/boxoffice/journal"
)

// ExitNeedsChecking: 'boxoffice journal' found something a supervisor must
// check. It shares 1 with a failed check of 'boxoffice doctor': both say
// "look at what was printed", and 2 stays "the journal cannot be read".
const ExitNeedsChecking = ExitCheckFailed

// journalOutcomes are the outcomes --outcome takes, with what each means.
var journalOutcomes = []struct{ value, doc string }{
	{journal.OutcomeAttempt, "written before a request is sent"},
	{journal.OutcomeAttached, "the voucher went on the order"},
	{journal.OutcomeAlreadyAttached, "the voucher was on the order already"},
	{journal.OutcomeRejected, "the server refused it"},
	{journal.OutcomeRemoved, "the voucher was taken off the order"},
	{journal.OutcomeFailed, "it failed, and nothing changed"},
	{journal.OutcomeUnknown, "no answer: whether it went through is not known"},
	{journal.OutcomeBlocked, "too many attempts"},
	{journal.OutcomeCancelled, "the order was cancelled"},
	{journal.OutcomeCompleted, "the order was completed"},
	{journal.OutcomeAbandoned, "a scan given up when the counter quit"},
	{journal.OutcomeQueued, "a scan waiting its turn to be sent"},
	{journal.OutcomeRepeat, "a barcode given again while on its way or attached: not sent"},
	{journal.OutcomeMatchedByMask, "answer lost; a voucher matching its masked barcode is on the order, maybe another's"},
}

// journalCommand reads the journal for people; it takes only the settings
// it reads (the journal's path, from --journal or the config file), so that
// server flags given to it are refused rather than ignored.
func (a *app) journalCommand() *cobra.Command {
	var since, until, order, outcomes, server string
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "What the counter attached, and what needs checking (for supervisors and auditors)",
		Long: `Read the audit journal the counter, 'voucher add' and 'voucher remove' write:
the current file and the earlier ones it moved to beside it, one a day.
Barcodes are shown masked; no PIN is ever in the journal.

'journal summary' is a shift's report: first what needs checking (unknown
outcomes, scans abandoned at quit, attempts with no outcome after them,
completions whose transaction number was lost, lines that cannot be read),
then the vouchers by outcome and type, then the orders completed with their
transaction numbers. 'journal list' prints the lines themselves.

--since and --until take a date (2026-12-01), a date and time
(2026-12-01T14:00), a time back from now (8h, 90m, 2d), today or yesterday,
in this machine's time zone; --since all reads the whole journal. The default
is today; --until is exclusive.

Every line names its server: a tenant's address, or the built-in demo
(demo:...) or boxoffice mock (mock:...), which are practice. Practice is left
out unless --server asks for it: --server demo, mock or practice, a tenant's
address, or all. Practice is kept in its own journal (journal-demo.jsonl)
while the journal setting is left at its default; --server reads it too.

'journal verify' checks that no line was changed, removed or inserted since
it was written: each line carries its number and the hash of the line
before it, across the files.

Exit 0 when nothing needs checking (verify: the chain holds), 1 when
something does, 2 when the journal cannot be read. ` + seeExitCodes,
		Example: `  # What this counter attached today, and what needs checking
  boxoffice journal summary

  # The last shift, for a script
  boxoffice journal summary --since 8h --json

  # Every line of one order, from the whole journal
  boxoffice journal list --order 3f9c2a7be1d84c6f9a0b5e2d7c1f4a86 --since all

  # What went wrong since the first of the month
  boxoffice journal list --since 2026-12-01 --outcome unknown,abandoned,rejected

  # Today's practice on the demo
  boxoffice journal list --server demo

  # Whether any line was changed, removed or inserted
  boxoffice journal verify`,
		Args: cobra.NoArgs,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&a.configFile, "config", "", configFlagUsage)
	pf.String(config.FlagOf("journal"), "", "read the journal in `file` (default: the journal setting, $XDG_STATE_HOME/boxoffice/journal.jsonl)")
	pf.BoolVar(&a.jsonOutput, "json", false, "print JSON for scripts")
	completeFlags(cmd, pf, settingFileTypes)
	// The window and the server are list's and summary's.
	window := func(c *cobra.Command) {
		c.Flags().StringVar(&since, "since", "today", "from `when`: a date, a date and time, a time back from now (8h, 2d), today, yesterday or all")
		c.Flags().StringVar(&until, "until", "", "up to `when` (not included), as --since takes it (default: now)")
		c.Flags().StringVar(&server, "server", "", "only the lines of `server`: a tenant's address, demo, mock, practice or all (default: all but practice)")
		mustRegister(c, "server", cobra.FixedCompletions([]cobra.Completion{
			cobra.CompletionWithDesc("demo", "the built-in demo server"), cobra.CompletionWithDesc("mock", "boxoffice mock"),
			cobra.CompletionWithDesc("practice", "the demo and boxoffice mock"), cobra.CompletionWithDesc("all", "every server, practice too"),
		}, cobra.ShellCompDirectiveNoFileComp))
		completeFlags(c, c.Flags(), nil)
	}

	read := func(cmd *cobra.Command) (*journalReport, error) {
		cfg, err := a.loadConfig(cmd)
		if err != nil {
			return nil, err
		}
		servers := parseServer(server)
		now := time.Now()
		from, err := parseWhen("--since", since, now, true)
		if err != nil {
			return nil, err
		}
		to, err := parseWhen("--until", until, now, false)
		if err != nil {
			return nil, err
		}
		if !to.IsZero() && !to.After(from) {
			return nil, &Error{Code: ExitUsage, What: fmt.Sprintf("--until %s is not after --since %s", until, since),
				Todo: "give an --until later than --since"}
		}
		log, err := readJournals(journalsFor(cfg, servers.practice()), from)
		if err != nil {
			return nil, err
		}
		return &journalReport{path: cfg.Journal, since: from, until: to, log: log, servers: servers}, nil
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "The journal's lines as a table: time, order, action, barcode, type, outcome, reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			wanted, err := parseOutcomes(outcomes)
			if err != nil {
				return err
			}
			r, err := read(cmd)
			if err != nil {
				return err
			}
			lines := r.lines(func(l journal.Line) bool {
				return (order == "" || l.OrderID == order) && (len(wanted) == 0 || slices.Contains(wanted, l.Outcome))
			})
			// A line that cannot be read belongs to no order or outcome.
			var unreadable []journal.Unreadable
			if order == "" && len(wanted) == 0 {
				unreadable = r.unreadable()
			}
			needs := len(unreadable)
			for _, l := range lines {
				if l.Open() {
					needs++
				}
			}
			if a.jsonOutput {
				if err := a.printJSON(map[string]any{
					"journal": r.path, "files": r.log.Files, "since": timeOrNil(r.since), "until": timeOrNil(r.until),
					"lines": linesJSON(lines), "unreadable": unreadableJSON(unreadable), "needsChecking": needs,
				}); err != nil {
					return err
				}
			} else if err := writeJournalList(a.env.Stdout, r, lines, unreadable); err != nil {
				return err
			}
			return needsChecking(needs)
		},
	}
	list.Flags().StringVar(&order, "order", "", "only the lines of order `id`")
	list.Flags().StringVar(&outcomes, "outcome", "", "only the lines with these `outcomes`, comma-separated (attached,rejected,unknown,abandoned, ...)")
	mustRegister(list, "outcome", completeOutcomes)
	window(list)

	summary := &cobra.Command{
		Use:   "summary",
		Short: "A shift's report: what needs checking, vouchers by outcome and type, orders completed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := read(cmd)
			if err != nil {
				return err
			}
			s := journal.Summarize(r.lines(nil), r.unreadable())
			if a.jsonOutput {
				if err := a.printJSON(summaryJSON(r, s)); err != nil {
					return err
				}
			} else if err := writeJournalSummary(a.env.Stdout, r, s); err != nil {
				return err
			}
			return needsChecking(s.NeedsChecking())
		},
	}
	window(summary)
	cmd.AddCommand(list, summary, a.journalVerifyCommand())
	return cmd
}

// completeOutcomes offers the outcomes --outcome takes, after those
// already given.
func completeOutcomes(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, _ := cutLast(toComplete, ",")
	var out []cobra.Completion
	for _, o := range journalOutcomes {
		if !slices.Contains(strings.Split(done, ","), o.value) {
			value := o.value
			if done != "" {
				value = done + "," + o.value
			}
			out = append(out, cobra.CompletionWithDesc(value, o.doc))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

func cutLast(s, sep string) (before, after string) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):]
	}
	return "", s
}

func parseOutcomes(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for _, o := range strings.Split(s, ",") {
		o = strings.ToLower(strings.TrimSpace(o))
		if !slices.ContainsFunc(journalOutcomes, func(k struct{ value, doc string }) bool { return k.value == o }) {
			var all []string
			for _, k := range journalOutcomes {
				all = append(all, k.value)
			}
			return nil, &Error{Code: ExitUsage, What: fmt.Sprintf("--outcome %q: %q is not an outcome of the journal", s, o),
				Todo: "use one or more of " + strings.Join(all, ", ")}
		}
		out = append(out, o)
	}
	return out, nil
}

var relativeDays = regexp.MustCompile(`^([0-9]+)d$`)

// parseWhen reads --since or --until in this machine's time zone. A zero
// time is no bound: "all" for --since, "" for --until.
func parseWhen(flag, s string, now time.Time, isSince bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	midnight := func(t time.Time) time.Time {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	}
	switch strings.ToLower(s) {
	case "":
		if isSince {
			return midnight(now), nil
		}
		return time.Time{}, nil
	case "all":
		if isSince {
			return time.Time{}, nil
		}
	case "today":
		return midnight(now), nil
	case "yesterday":
		return midnight(now.AddDate(0, 0, -1)), nil
	case "now":
		return now, nil
	}
	if m := relativeDays.FindStringSubmatch(s); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			return t, nil
		}
	}
	all := ""
	if isSince {
		all = " or all"
	}
	return time.Time{}, &Error{Code: ExitUsage, What: fmt.Sprintf("%s %q is not a time", flag, s),
		Todo: "write a date (2026-12-01), a date and time (2026-12-01T14:00), a time back from now (8h, 90m, 2d), today or yesterday" + all}
}

func needsChecking(n int) error {
	if n == 0 {
		return nil
	}
	what := "1 thing in the journal needs checking"
	if n > 1 {
		what = fmt.Sprintf("%d things in the journal need checking", n)
	}
	return &Error{Code: ExitNeedsChecking, What: what,
		Todo: "each is listed above with what to do"}
}

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
