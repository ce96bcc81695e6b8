package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

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
	w := &journalWindow{a: a}
	cmd.AddCommand(a.journalListCommand(w), a.journalSummaryCommand(w), a.journalVerifyCommand())
	return cmd
}

// journalWindow is what list and summary read: the window of time and the
// servers.
type journalWindow struct {
	a                    *app
	since, until, server string
}

// flags gives c the window's flags.
func (w *journalWindow) flags(c *cobra.Command) {
	c.Flags().StringVar(&w.since, "since", "today", "from `when`: a date, a date and time, a time back from now (8h, 2d), today, yesterday or all")
	c.Flags().StringVar(&w.until, "until", "", "up to `when` (not included), as --since takes it (default: now)")
	c.Flags().StringVar(&w.server, "server", "", "only the lines of `server`: a tenant's address, demo, mock, practice or all (default: all but practice)")
	mustRegister(c, "server", cobra.FixedCompletions([]cobra.Completion{
		cobra.CompletionWithDesc("demo", "the built-in demo server"), cobra.CompletionWithDesc("mock", "boxoffice mock"),
		cobra.CompletionWithDesc("practice", "the demo and boxoffice mock"), cobra.CompletionWithDesc("all", "every server, practice too"),
	}, cobra.ShellCompDirectiveNoFileComp))
	completeFlags(c, c.Flags(), nil)
}

// read reads the journals the window takes.
func (w *journalWindow) read(cmd *cobra.Command) (*journalReport, error) {
	cfg, err := w.a.loadConfig(cmd)
	if err != nil {
		return nil, err
	}
	servers := parseServer(w.server)
	now := time.Now()
	from, err := parseWhen("--since", w.since, now, true)
	if err != nil {
		return nil, err
	}
	to, err := parseWhen("--until", w.until, now, false)
	if err != nil {
		return nil, err
	}
	if !to.IsZero() && !to.After(from) {
		return nil, &Error{Code: ExitUsage, What: fmt.Sprintf("--until %s is not after --since %s", w.until, w.since),
			Todo: "give an --until later than --since"}
	}
	log, err := readJournals(journalsFor(cfg, servers.practice()), from)
	if err != nil {
		return nil, err
	}
	return &journalReport{path: cfg.Journal, since: from, until: to, log: log, servers: servers}, nil
}

func (a *app) journalListCommand(w *journalWindow) *cobra.Command {
	var order, outcomes string
	list := &cobra.Command{
		Use:   "list",
		Short: "The journal's lines as a table: time, order, action, barcode, type, outcome, reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			wanted, err := parseOutcomes(outcomes)
			if err != nil {
				return err
			}
			r, err := w.read(cmd)
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
					"server": r.servers.String(), "lines": linesJSON(lines), "unreadable": unreadableJSON(unreadable), "needsChecking": needs,
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
	w.flags(list)
	return list
}

func (a *app) journalSummaryCommand(w *journalWindow) *cobra.Command {
	summary := &cobra.Command{
		Use:   "summary",
		Short: "A shift's report: what needs checking, vouchers by outcome and type, refusals by reason, orders completed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := w.read(cmd)
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
	w.flags(summary)
	return summary
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
