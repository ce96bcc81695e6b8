package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/boxoffice/boxoffice/api/proxy"
)

// runDoctorContract prints the verdicts of a report of boxoffice proxy in
// doctor's table: a documented fact violated fails, an [unverified] fact
// contradicted warns, one not seen is "not checked".
func (a *app) runDoctorContract(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return &Error{Code: ExitUsage, What: "--contract: " + err.Error(), Todo: "give the --report file of boxoffice proxy", Err: err}
	}
	r, err := proxy.ParseReport(raw)
	if err != nil {
		return &Error{Code: ExitUsage, What: "--contract " + path + ": " + err.Error(), Todo: "give the --report file of boxoffice proxy", Err: err}
	}
	report := contractChecks(path, r)
	if a.jsonOutput {
		if err := a.printJSON(report); err != nil {
			return err
		}
	} else {
		report.write(a.env.Stdout)
	}
	if r.Failed() {
		return &Error{Code: ExitCheckFailed,
			What: fmt.Sprintf("%d documented fact(s) of the contract were violated at %s", r.Counts.DocumentedViolations, r.Upstream),
			Todo: "send the report back (docs/proxy.md says how); the FAIL lines say what broke"}
	}
	return nil
}

// contractChecks are the report's verdicts as doctor's checks.
func contractChecks(path string, r *proxy.Report) *doctorReport {
	c := r.Counts
	out := &doctorReport{Server: r.Upstream}
	summary := check{Name: "report", Status: checkOK,
		Found: fmt.Sprintf("%s: %d exchange(s) with %s from %s to %s UTC", path, c.Exchanges, r.Upstream,
			r.Started.Format("2006-01-02 15:04"), r.Updated.Format("2006-01-02 15:04"))}
	if c.Exchanges == 0 {
		summary.Status, summary.Todo = checkWarn, "no traffic passed the proxy: point a counter at it and work a few orders"
	}
	out.Checks = append(out.Checks, summary)
	for _, v := range r.Violations {
		ch := check{Name: "violation", Status: checkWarn, Found: violationFound(v)}
		switch {
		case v.Documented && v.Side == "response":
			ch.Status, ch.Todo = checkFail, "the tenant broke a documented fact: send the report back"
		case v.Documented:
			ch.Status, ch.Todo = checkFail, "a client sent a request that breaks a documented fact: check the client or script that sent it"
		default:
			ch.Todo = "an [unverified] operation answered against the contract's reading: send the report back"
		}
		out.Checks = append(out.Checks, ch)
	}
	var shapesNotSeen []string
	for _, f := range r.Facts {
		if f.Verdict == proxy.VerdictNotSeen && strings.HasPrefix(f.ID, "shape.") {
			shapesNotSeen = append(shapesNotSeen, strings.TrimPrefix(f.ID, "shape."))
			continue
		}
		out.Checks = append(out.Checks, factCheck(f))
	}
	if len(shapesNotSeen) > 0 {
		out.Checks = append(out.Checks, check{Name: "shapes", Status: checkNotChecked,
			Found: "not seen in the traffic: " + strings.Join(shapesNotSeen, ", "),
			Todo:  "use the calls that answer them through the proxy"})
	}
	for _, p := range r.Problems {
		out.Checks = append(out.Checks, check{Name: "proxy", Status: checkWarn, Found: p, Todo: "see the report"})
	}
	out.Passed = !r.Failed()
	return out
}

func violationFound(v proxy.ViolationSeen) string {
	who := "the tenant's answer"
	if v.Side == "request" {
		who = "a client's request"
	}
	s := fmt.Sprintf("[%s] %s: %s", v.Source, v.Operation, who)
	if v.Field != "" {
		s += " at " + v.Field
	}
	return fmt.Sprintf("%s: %s: %s (%d time(s), first #%d)", s, v.Rule, v.Message, v.Times, v.First)
}

// factCheck is one [unverified] fact's line.
func factCheck(f proxy.FactVerdict) check {
	ch := check{Name: f.ID, Found: "[" + f.Source + "] " + f.Claim}
	var said []string
	for _, e := range f.Evidence {
		said = append(said, fmt.Sprintf("%s: %s (×%d, first #%d)", e.Outcome, e.Said, e.Times, e.First))
	}
	switch f.Verdict {
	case proxy.VerdictConfirmed:
		ch.Status, ch.Found = checkOK, ch.Found+": confirmed, "+strings.Join(said, "; ")
	case proxy.VerdictContradicted, proxy.VerdictBothWays:
		ch.Status, ch.Found = checkWarn, ch.Found+": "+f.Verdict+", "+strings.Join(said, "; ")
		ch.Todo = "this tenant differs from the contract's reading: send the report back"
	case proxy.VerdictObserved:
		ch.Status, ch.Found = checkOK, "["+f.Source+"] flags: what the tenant sends: "+f.Observed
	case proxy.VerdictNotDecidable:
		ch.Status, ch.Found = checkSkip, ch.Found+": not decidable from traffic ("+f.Decides+")"
	default:
		ch.Status, ch.Found = checkNotChecked, ch.Found+": not seen"
		ch.Todo = "decided by: " + f.Decides
	}
	return ch
}
