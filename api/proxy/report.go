package proxy

import (
	"slices"
	"strconv"
	"time"
)

// Report is what the proxy found: the JSON form of the report file (with
// --json), and what `boxoffice doctor --contract` reads. It holds no value
// from the traffic that could be a PIN, a token, a password or a barcode:
// statuses, field names, counts and the contract's own words.
type Report struct {
	Tool     string `json:"tool"`
	Upstream string `json:"upstream"`
	// Contract names the document the traffic was judged by.
	Contract string    `json:"contract"`
	Started  time.Time `json:"started"`
	Updated  time.Time `json:"updated"`
	// Recording is the folder exchanges are recorded in, "" for none.
	Recording  string            `json:"recording,omitempty"`
	Counts     Counts            `json:"counts"`
	Operations []OperationSeen   `json:"operations"`
	Facts      []FactVerdict     `json:"facts"`
	Violations []ViolationSeen   `json:"violations"`
	Outside    []OutsideRequests `json:"outside"`
	Lost       []LostExchanges   `json:"lost"`
	// Problems are the proxy's own (a recording it could not write).
	Problems []string `json:"problems,omitempty"`
}

// Counts sum up the report.
type Counts struct {
	Exchanges int `json:"exchanges"`
	// Answered: the whole answer reached the client. Lost: the client got
	// no whole answer though the tenant may have acted. Unreached: nothing
	// reached the tenant.
	Answered  int `json:"answered"`
	Lost      int `json:"lost"`
	Unreached int `json:"unreached"`
	// Unchecked exchanges had a body too large to check, or encoded in a
	// way the proxy cannot read.
	Unchecked int `json:"unchecked"`
	// Violations of documented facts ([doc] or [client]): how many
	// distinct, and how many times in all.
	DocumentedViolations      int `json:"documentedViolations"`
	DocumentedViolationsTimes int `json:"documentedViolationsTimes"`
	// Verdicts on the [unverified] facts.
	Confirmed    int `json:"confirmed"`
	Contradicted int `json:"contradicted"`
	BothWays     int `json:"bothWays"`
	Observed     int `json:"observed"`
	NotSeen      int `json:"notSeen"`
	NotDecidable int `json:"notDecidable"`
}

// OperationSeen is one operation of the contract the traffic used.
type OperationSeen struct {
	Operation  string         `json:"operation"`
	Method     string         `json:"method"`
	Path       string         `json:"path"`
	Source     string         `json:"source"`
	Exchanges  int            `json:"exchanges"`
	Statuses   map[string]int `json:"statuses"`
	Lost       int            `json:"lost"`
	Violations int            `json:"violations"`
}

// Verdicts of a fact.
const (
	VerdictConfirmed    = "confirmed"
	VerdictContradicted = "contradicted"
	VerdictBothWays     = "both ways"
	VerdictObserved     = "observed"
	VerdictNotSeen      = "not seen"
	VerdictNotDecidable = "not decidable"
)

// FactVerdict is one [unverified] fact and what the traffic said of it.
type FactVerdict struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Operation string `json:"operation,omitempty"`
	Claim     string `json:"claim"`
	// Decides says how an exchange confirms or contradicts it.
	Decides string   `json:"decides"`
	Where   []string `json:"where"`
	Verdict string   `json:"verdict"`
	// Confirmations and Contradictions count the exchanges that decided.
	Confirmations  int        `json:"confirmations"`
	Contradictions int        `json:"contradictions"`
	Evidence       []Evidence `json:"evidence,omitempty"`
	// Observed is what the tenant sends, for a shape.
	Observed string `json:"observed,omitempty"`
}

// Evidence is one way exchanges decided a fact: the status or field that
// decided, how many times, and the first exchange (its number, as in the
// log and the recording's file names).
type Evidence struct {
	Outcome string `json:"outcome"` // confirms, contradicts
	Said    string `json:"said"`
	Times   int    `json:"times"`
	First   uint64 `json:"first"`
}

// ViolationSeen is one way the traffic broke the contract.
type ViolationSeen struct {
	// Source is the tag of the operation: doc, client or unverified.
	Source string `json:"source"`
	// Documented is set for a [doc] or [client] fact: what makes
	// `boxoffice doctor --contract` fail.
	Documented bool   `json:"documented"`
	Operation  string `json:"operation"`
	// Side says who broke it: "response" (the tenant) or "request" (the
	// client).
	Side    string `json:"side"`
	Rule    string `json:"rule"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Times   int    `json:"times"`
	First   uint64 `json:"first"`
}

// OutsideRequests are requests the contract has no operation for, by
// method and path shape (segments that are not the contract's own words
// shown as {…}).
type OutsideRequests struct {
	Request string `json:"request"`
	Times   int    `json:"times"`
	First   uint64 `json:"first"`
}

// LostExchanges are exchanges that got no whole answer.
type LostExchanges struct {
	Operation string `json:"operation"`
	What      string `json:"what"`
	Times     int    `json:"times"`
	First     uint64 `json:"first"`
}

// Failed reports whether a documented fact was violated.
func (r *Report) Failed() bool { return r.Counts.DocumentedViolations > 0 }

// tallyEvidence adds one exchange's outcome to a fact's evidence, keeping
// at most maxEvidence distinct kinds.
const maxEvidence = 8

func (fv *FactVerdict) tally(out outcome, said string, seq uint64) {
	word := "confirms"
	if out == contradicts {
		word = "contradicts"
		fv.Contradictions++
	} else {
		fv.Confirmations++
	}
	for i := range fv.Evidence {
		if e := &fv.Evidence[i]; e.Outcome == word && e.Said == said {
			e.Times++
			return
		}
	}
	if len(fv.Evidence) < maxEvidence {
		fv.Evidence = append(fv.Evidence, Evidence{Outcome: word, Said: said, Times: 1, First: seq})
	}
}

// settle sets the verdict from the tallies.
func (fv *FactVerdict) settle() {
	switch {
	case fv.Verdict == VerdictNotDecidable:
	case fv.Observed != "":
		fv.Verdict = VerdictObserved
	case fv.Confirmations > 0 && fv.Contradictions > 0:
		fv.Verdict = VerdictBothWays
	case fv.Contradictions > 0:
		fv.Verdict = VerdictContradicted
	case fv.Confirmations > 0:
		fv.Verdict = VerdictConfirmed
	default:
		fv.Verdict = VerdictNotSeen
	}
}

// count adds a verdict to the counts.
func (c *Counts) count(verdict string) {
	switch verdict {
	case VerdictConfirmed:
		c.Confirmed++
	case VerdictContradicted:
		c.Contradicted++
	case VerdictBothWays:
		c.BothWays++
	case VerdictObserved:
		c.Observed++
	case VerdictNotSeen:
		c.NotSeen++
	case VerdictNotDecidable:
		c.NotDecidable++
	}
}

// clone copies the report deeply enough that the analysis may go on.
func (r *Report) clone() *Report {
	c := *r
	c.Operations = slices.Clone(r.Operations)
	for i := range c.Operations {
		m := make(map[string]int, len(c.Operations[i].Statuses))
		for k, v := range c.Operations[i].Statuses {
			m[k] = v
		}
		c.Operations[i].Statuses = m
	}
	c.Facts = slices.Clone(r.Facts)
	for i := range c.Facts {
		c.Facts[i].Evidence = slices.Clone(c.Facts[i].Evidence)
		c.Facts[i].Where = slices.Clone(c.Facts[i].Where)
	}
	c.Violations = slices.Clone(r.Violations)
	c.Outside = slices.Clone(r.Outside)
	c.Lost = slices.Clone(r.Lost)
	c.Problems = slices.Clone(r.Problems)
	return &c
}

func statusKey(status int) string { return strconv.Itoa(status) }
