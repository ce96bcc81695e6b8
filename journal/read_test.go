package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A journal as a crash, a damaged disk and a hand edit leave it.
func TestReadTornAndGarbageLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.jsonl")
	day := at("2026-12-01", "10:00:00.000")
	line := func(minute int, e Entry) string {
		e.Time = day.Add(time.Duration(minute) * time.Minute).UTC()
		return mustLine(t, e)
	}
	attempt := Entry{OrderID: "O-1", Action: ActionAttach, MaskedBarcode: "AD......0111", VoucherType: "Ticket", Outcome: OutcomeAttempt}
	attached := attempt
	attached.VoucherID, attached.Outcome, attached.AvailableRedemptions = "V-1", OutcomeAttached, intPtr(2)
	torn := line(2, attempt)[:40]
	rotated := line(0, attempt) + line(1, attached) +
		torn + "\n" + // a crash mid-line, then the next start's line on its own
		line(3, Entry{OrderID: "O-2", Action: ActionAttach, MaskedBarcode: "AD......0222", Outcome: OutcomeAttempt}) +
		"\n\n   \n" + // blank lines are nothing
		"\x00\x00\x00\x00\n" + // a disk that lost a block
		`{"orderId":"O-2","outcome":"attached"}` + "\n" + // no time
		`{"time":"2026-12-01T09:05:00Z","orderId":"O-2","action":"attach","maskedBarcode":"ADTMM0000222","pin":"4321",` +
		`"outcome":"rejected","errorKind":"rejected","message":"ADTMM0000222: wrong PIN"}` + "\n" + // edited by hand
		`{"time":"2026-12-01T09:06:00Z","orderId":"O-2","message":"` + strings.Repeat("x", maxLine) + `"}` + "\n"
	writeFile(t, rotatedPath(path, "2026-12-01", 1), rotated)
	writeFile(t, path, line(60*24, Entry{OrderID: "O-3", Action: ActionComplete, Outcome: OutcomeCompleted, Message: "transaction 100001"})+
		line(60*24+1, attempt)[:25]) // the last line, unfinished

	log, err := Read(path, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range log.Lines {
		got = append(got, fmt.Sprintf("%s:%d %s %s %s %s", filepath.Base(l.File), l.Number, l.OrderID, l.MaskedBarcode, l.Outcome, l.Check))
	}
	want := []string{
		"journal-2026-12-01.jsonl:1 O-1 AD......0111 attempt ",
		"journal-2026-12-01.jsonl:2 O-1 AD......0111 attached ",
		"journal-2026-12-01.jsonl:4 O-2 AD......0222 attempt ",
		"journal-2026-12-01.jsonl:10 O-2 AD......0222 rejected ",
		"journal.jsonl:1 O-3  completed ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var bad []string
	for _, u := range log.Unreadable {
		bad = append(bad, fmt.Sprintf("%s:%d %s", filepath.Base(u.File), u.Number, u.Problem))
	}
	wantBad := []string{
		"journal-2026-12-01.jsonl:3 not a journal entry: cut short by a crash, or damaged",
		"journal-2026-12-01.jsonl:8 not a journal entry: cut short by a crash, or damaged",
		"journal-2026-12-01.jsonl:9 not a journal entry: no time, order or outcome",
		"journal-2026-12-01.jsonl:11 longer than 1 MiB",
		"journal.jsonl:2 unfinished: the program stopped while writing it",
	}
	if !slices.Equal(bad, wantBad) {
		t.Errorf("unreadable\n%s\nwant\n%s", strings.Join(bad, "\n"), strings.Join(wantBad, "\n"))
	}
	for _, l := range log.Lines {
		if strings.Contains(l.MaskedBarcode+l.Message, "ADTMM0000222") {
			t.Errorf("a full barcode is read back: %+v", l.Entry)
		}
	}
	if m := log.Lines[3].Message; m != "AD......0222: wrong PIN" {
		t.Errorf("the hand-edited line's message reads %q", m)
	}

	s := Summarize(log.Lines, log.Unreadable)
	// The hand-edited line answers O-2's attempt: its barcode masks to the
	// attempt's.
	if s.NeedsChecking() != len(wantBad) || len(s.ToCheck) != 0 {
		t.Errorf("to check %+v, needs checking %d", s.ToCheck, s.NeedsChecking())
	}
	if len(s.Completed) != 1 || s.Completed[0].TransactionNumber != "100001" || s.Orders != 3 {
		t.Errorf("completed %+v, %d orders", s.Completed, s.Orders)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestReadMarksWhatNeedsChecking(t *testing.T) {
	type step struct {
		order, action, barcode, outcome, message string
	}
	attach := func(barcode, outcome string) step { return step{"O-1", ActionAttach, barcode, outcome, ""} }
	tests := []struct {
		name  string
		steps []step
		// want is each line's check, "" for none, with "+" when settled.
		want []string
	}{
		{"answered", []step{attach("A1", OutcomeAttempt), attach("A1", OutcomeAttached)}, []string{"", ""}},
		{"no outcome", []step{attach("A1", OutcomeAttempt), attach("A2", OutcomeAttempt), attach("A2", OutcomeRejected)},
			[]string{CheckNoOutcome, "", ""}},
		{"retried after a crash", []step{attach("A1", OutcomeAttempt), attach("A1", OutcomeAttempt), attach("A1", OutcomeAlreadyAttached)},
			[]string{"", "", ""}},
		{"the same barcode on another order", []step{attach("A1", OutcomeAttempt), {"O-2", ActionAttach, "A1", OutcomeAttached, ""}},
			[]string{CheckNoOutcome, ""}},
		{"unknown", []step{attach("A1", OutcomeAttempt), attach("A1", OutcomeUnknown)}, []string{"", CheckUnknown}},
		{"unknown, then found on the order", []step{attach("A1", OutcomeUnknown), attach("A1", OutcomeAttempt), attach("A1", OutcomeAlreadyAttached)},
			[]string{CheckUnknown + "+", "", ""}},
		{"unknown, then refused again", []step{attach("A1", OutcomeUnknown), attach("A1", OutcomeRejected), attach("A1", OutcomeBlocked)},
			[]string{CheckUnknown, "", ""}},
		{"no outcome, then removed", []step{attach("A1", OutcomeAttempt), {"O-1", ActionRemove, "A1", OutcomeAttempt, ""}, {"O-1", ActionRemove, "A1", OutcomeRemoved, ""}},
			[]string{CheckNoOutcome + "+", "", ""}},
		{"abandoned", []step{attach("A1", OutcomeAbandoned)}, []string{CheckAbandoned}},
		{"abandoned, then attached", []step{attach("A1", OutcomeAbandoned), attach("A1", OutcomeAttached)}, []string{CheckAbandoned + "+", ""}},
		{"completed", []step{{"O-1", ActionComplete, "", OutcomeAttempt, ""}, {"O-1", ActionComplete, "", OutcomeCompleted, "transaction 100001"}},
			[]string{"", ""}},
		{"completed, number lost", []step{{"O-1", ActionComplete, "", OutcomeCompleted, ""}}, []string{CheckNoTransaction}},
		{"pending, then completed", []step{{"O-1", ActionComplete, "", OutcomeUnknown, "completion pending"}, {"O-1", ActionComplete, "", OutcomeCompleted, "transaction 7"}},
			[]string{CheckUnknown + "+", ""}},
		{"cancel lost, then cancelled", []step{{"O-1", ActionCancel, "", OutcomeUnknown, ""}, {"O-1", ActionCancel, "", OutcomeCancelled, ""}},
			[]string{CheckUnknown + "+", ""}},
		{"a cancel does not settle a voucher", []step{attach("A1", OutcomeUnknown), {"O-1", ActionCancel, "", OutcomeCancelled, ""}},
			[]string{CheckUnknown, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines []Line
			for i, s := range tt.steps {
				lines = append(lines, Line{Entry: Entry{Time: at("2026-12-01", "10:00:00.000").Add(time.Duration(i) * time.Second),
					OrderID: s.order, Action: s.action, MaskedBarcode: s.barcode, Outcome: s.outcome, Message: s.message}})
			}
			markChecks(lines)
			var got []string
			for _, l := range lines {
				c := l.Check
				if l.SettledBy != nil {
					c += "+"
				}
				got = append(got, c)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("checks %q, want %q", got, tt.want)
			}
		})
	}
}

// Read opens only the files that can hold lines of the window, and returns
// only those lines; a check is still settled by a line after the window.
func TestReadSince(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "journal.jsonl")
	for day := 1; day <= 20; day++ {
		date := fmt.Sprintf("2026-11-%02d", day)
		writeDay(t, path, date, attachedAt(at(date, "12:00:00.000"), "O-"+date, "V-0001", intPtr(1)))
	}
	writeDay(t, path, "2026-11-30",
		Entry{Time: at("2026-11-30", "23:59:00.000").UTC(), OrderID: "O-x", Action: ActionAttach, MaskedBarcode: "AD......0111", Outcome: OutcomeUnknown})
	writeFile(t, path, mustLine(t, attachedAt(at("2026-12-01", "09:00:00.000"), "O-x", "V-0111", intPtr(1))))

	log, err := Read(path, at("2026-11-20", "00:00:00.000"))
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, f := range log.Files {
		read = append(read, filepath.Base(f))
	}
	if want := []string{"journal-2026-11-17.jsonl", "journal-2026-11-18.jsonl", "journal-2026-11-19.jsonl", "journal-2026-11-20.jsonl", "journal-2026-11-30.jsonl", "journal.jsonl"}; !slices.Equal(read, want) {
		t.Errorf("read %v, want %v", read, want)
	}
	if len(log.Lines) != 3 || log.Lines[0].OrderID != "O-2026-11-20" {
		t.Errorf("lines %+v", log.Lines)
	}
	if unknown := log.Lines[1]; unknown.Check != CheckUnknown || unknown.SettledBy == nil || unknown.SettledBy.Outcome != OutcomeAttached {
		t.Errorf("the unknown is %+v", unknown)
	}
}

func TestSummarize(t *testing.T) {
	var lines []Line
	add := func(order, action, barcode, vtype, outcome, message string) {
		lines = append(lines, Line{Entry: Entry{Time: at("2026-12-01", "12:00:00.000").Add(time.Duration(len(lines)) * time.Second),
			OrderID: order, Action: action, MaskedBarcode: barcode, VoucherType: vtype, Outcome: outcome, Message: message}})
	}
	scan := func(order, barcode, vtype, outcome string) {
		add(order, ActionAttach, barcode, vtype, OutcomeAttempt, "")
		add(order, ActionAttach, barcode, vtype, outcome, "")
	}
	scan("O-1", "A1", "Ticket", OutcomeAttached)
	scan("O-1", "A2", "Ticket", OutcomeAttached)
	scan("O-1", "A3", "Deal", OutcomeAttached)
	scan("O-1", "A4", "Ticket", OutcomeRejected)
	add("O-1", ActionComplete, "", "", OutcomeAttempt, "")
	add("O-1", ActionComplete, "", "", OutcomeCompleted, "transaction 100001")
	scan("O-2", "B1", "Subscription", OutcomeUnknown)
	add("O-2", ActionAttach, "B2", "Ticket", OutcomeAttempt, "")
	add("O-2", ActionRemove, "A9", "Ticket", OutcomeAttempt, "")
	add("O-2", ActionRemove, "A9", "Ticket", OutcomeRemoved, "")
	add("O-2", ActionCancel, "", "", OutcomeCancelled, "")
	add("O-3", ActionComplete, "", "", OutcomeCompleted, "")
	markChecks(lines)

	s := Summarize(lines, nil)
	var counts []string
	for _, c := range s.Vouchers {
		counts = append(counts, fmt.Sprintf("%s %s %s %d", c.Action, c.Outcome, c.VoucherType, c.N))
	}
	want := []string{
		"attach attached Ticket 2", "attach attached Deal 1", "attach rejected Ticket 1",
		"attach unknown Subscription 1", "attach no_outcome Ticket 1", "remove removed Ticket 1",
	}
	if !slices.Equal(counts, want) {
		t.Errorf("counts\n%s\nwant\n%s", strings.Join(counts, "\n"), strings.Join(want, "\n"))
	}
	var checks []string
	for _, l := range s.ToCheck {
		checks = append(checks, l.OrderID+" "+l.Check)
	}
	if want := []string{"O-2 unknown", "O-2 no_outcome", "O-3 no_transaction"}; !slices.Equal(checks, want) || s.NeedsChecking() != 3 {
		t.Errorf("to check %v (%d), want %v", checks, s.NeedsChecking(), want)
	}
	if len(s.Completed) != 2 || s.Completed[0] != (Completion{Time: lines[9].Time, OrderID: "O-1", TransactionNumber: "100001"}) || s.Completed[1].TransactionNumber != "" {
		t.Errorf("completed %+v", s.Completed)
	}
	if s.Cancelled != 1 || s.Orders != 3 {
		t.Errorf("cancelled %d, orders %d", s.Cancelled, s.Orders)
	}
}

// What a run killed mid-burst leaves: the scan in flight has an attempt and
// no outcome, the scans behind it only their queued lines. Two queued scans
// may share a masked barcode; each attempt or abandonment answers one.
func TestUnfinishedAfterACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	start := time.Now().Add(-10 * time.Minute).UTC()
	var text string
	for i, e := range []Entry{
		{OrderID: "O-1", MaskedBarcode: "AD......1001", Outcome: OutcomeAttempt},
		{OrderID: "O-1", MaskedBarcode: "AD......1002", Outcome: OutcomeQueued},
		{OrderID: "O-1", MaskedBarcode: "CL......0001", Outcome: OutcomeQueued},
		{OrderID: "O-1", MaskedBarcode: "CL......0001", Outcome: OutcomeQueued},
		{OrderID: "O-1", MaskedBarcode: "AD......1003", Outcome: OutcomeQueued},
		{OrderID: "O-1", MaskedBarcode: "AD......1001", VoucherID: "V-1", Outcome: OutcomeAttached},
		{OrderID: "O-1", MaskedBarcode: "AD......1002", Outcome: OutcomeAttempt},
		{OrderID: "O-1", MaskedBarcode: "AD......1002", Outcome: OutcomeRejected},
		{OrderID: "O-1", MaskedBarcode: "CL......0001", Outcome: OutcomeAttempt},
		// killed here: the first CL......0001 was in flight, the second
		// and AD......1003 were never sent
		{OrderID: "O-2", MaskedBarcode: "AD......2001", Outcome: OutcomeQueued},
		{OrderID: "O-2", MaskedBarcode: "AD......2001", Outcome: OutcomeAbandoned},
	} {
		e.Time = start.Add(time.Duration(i) * time.Second)
		e.Action = ActionAttach
		e.VoucherType = "Ticket"
		text += mustLine(t, e)
	}
	writeFile(t, path, text)
	started := time.Now()
	lines, err := Unfinished(path, started)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d %s %s %s", l.Number, l.OrderID, l.MaskedBarcode, l.Check))
	}
	want := []string{"4 O-1 CL......0001 not_sent", "5 O-1 AD......1003 not_sent", "9 O-1 CL......0001 no_outcome"}
	if !slices.Equal(got, want) {
		t.Errorf("unfinished\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	log, err := Read(path, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(log.Lines, nil)
	counts := map[string]int{}
	for _, c := range s.Vouchers {
		counts[c.Outcome] += c.N
	}
	if counts[CheckNotSent] != 2 || counts[CheckNoOutcome] != 1 || counts[OutcomeQueued] != 0 {
		t.Errorf("summary counts %v: want two not sent, one with no outcome, no queued lines", counts)
	}

	// A scan the next run queues after it started is not the last run's.
	writeFile(t, path, text+mustLine(t, Entry{Time: started.Add(time.Second).UTC(), OrderID: "O-1", Action: ActionAttach,
		MaskedBarcode: "AD......3001", VoucherType: "Ticket", Outcome: OutcomeQueued}))
	if again, err := Unfinished(path, started); err != nil || len(again) != len(lines) {
		t.Errorf("with a line of the next run: %d unfinished (%v), want the last run's %d", len(again), err, len(lines))
	}
}

// Two servers, or two runs of the demo, may use one order id: the summary
// counts their orders and completions apart.
func TestSummaryKeepsServersApart(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var lines []Line
	for _, server := range []string{"demo:built-in@2026-12-01T09:00:00Z", "demo:built-in@2026-12-01T11:00:00Z"} {
		lines = append(lines, Line{Entry: Entry{Time: at, Server: server, OrderID: "3f9c", Action: ActionComplete,
			Outcome: OutcomeCompleted, Message: "transaction 100001"}})
	}
	s := Summarize(lines, nil)
	if s.Orders != 2 || len(s.Completed) != 2 || s.Completed[0].Server == s.Completed[1].Server {
		t.Errorf("orders %d, completed %+v", s.Orders, s.Completed)
	}
}
