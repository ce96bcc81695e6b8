package proxy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/api/contract"
	"github.com/boxoffice/boxoffice/api/contract/validate"
	"github.com/boxoffice/boxoffice/api/mock"
	"github.com/boxoffice/boxoffice/internal/barcode"
)

// Bounds on the report's lists, so that a tenant that answers every call
// differently cannot grow it without end.
const (
	maxViolations = 500
	maxOutside    = 200
	maxLost       = 100
	queueLength   = 1024
)

// analyzer judges exchanges one at a time, in the order their answers
// ended, on a goroutine of its own: the client's answer never waits for
// it. It alone owns the report and the knowledge.
type analyzer struct {
	opts     Options
	v        *validate.Validator
	doc      *document
	k        *knowledge
	rec      *mock.Recorder
	literals map[string]bool

	in      chan *exchange
	inMu    sync.RWMutex
	closed  bool
	snaps   chan chan *Report
	done    chan struct{}
	lastErr error

	report     Report
	ops        map[string]*OperationSeen
	opOrder    []string
	facts      []*fact
	verdicts   []FactVerdict
	shapes     map[string]*shapeTally
	violations map[ViolationSeen]*ViolationSeen
	violOrder  []*ViolationSeen
	outside    map[string]*OutsideRequests
	outOrder   []*OutsideRequests
	lost       map[string]*LostExchanges
	lostOrder  []*LostExchanges
}

func newAnalyzer(opts Options) (*analyzer, error) {
	v, err := validate.Contract()
	if err != nil {
		return nil, err
	}
	doc, err := contractDocument()
	if err != nil {
		return nil, err
	}
	if opts.ReportEvery <= 0 {
		opts.ReportEvery = DefaultReportEvery
	}
	sum := sha256.Sum256(contract.Document)
	a := &analyzer{
		opts: opts, v: v, doc: doc, k: newKnowledge(), literals: map[string]bool{},
		in: make(chan *exchange, queueLength), snaps: make(chan chan *Report), done: make(chan struct{}),
		ops: map[string]*OperationSeen{}, shapes: map[string]*shapeTally{},
		violations: map[ViolationSeen]*ViolationSeen{}, outside: map[string]*OutsideRequests{}, lost: map[string]*LostExchanges{},
		facts: append(slices.Clone(facts), shapeFacts()...),
	}
	a.report = Report{Tool: "boxoffice proxy", Upstream: redacted(opts.Upstream.String()), Started: time.Now().UTC(),
		Contract: "api/contract/openapi.json sha256:" + hex.EncodeToString(sum[:6])}
	for _, op := range v.Routes().Operations() {
		for _, seg := range strings.Split(strings.Trim(op.Path, "/"), "/") {
			if !strings.HasPrefix(seg, "{") {
				a.literals[seg] = true
			}
		}
	}
	for _, f := range a.facts {
		fv := FactVerdict{ID: f.ID, Source: "unverified", Operation: f.Operation, Claim: f.Claim, Decides: f.Decides, Where: f.Where}
		if f.notDecidable != "" {
			fv.Verdict, fv.Decides = VerdictNotDecidable, f.notDecidable
		}
		a.verdicts = append(a.verdicts, fv)
		if f.shape != "" {
			for _, s := range shapeSpecs {
				if s.schema == f.shape {
					a.shapes[f.shape] = newShapeTally(s, doc)
				}
			}
		}
	}
	if opts.RecordDir != "" {
		if a.rec, err = mock.NewRecorder(opts.RecordDir); err != nil {
			return nil, err
		}
		a.report.Recording = opts.RecordDir
	}
	if err := a.write(); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *analyzer) start() { go a.run() }

func (a *analyzer) run() {
	tick := time.NewTicker(a.opts.ReportEvery)
	defer tick.Stop()
	dirty := false
	for {
		select {
		case x, ok := <-a.in:
			if !ok {
				a.lastErr = a.write()
				close(a.done)
				return
			}
			a.analyse(x)
			dirty = true
		case reply := <-a.snaps:
			a.drain()
			reply <- a.build().clone()
		case <-tick.C:
			if dirty {
				a.lastErr = a.write()
				dirty = false
			}
		}
	}
}

// drain analyses every exchange already queued.
func (a *analyzer) drain() {
	for {
		select {
		case x, ok := <-a.in:
			if !ok {
				return
			}
			a.analyse(x)
		default:
			return
		}
	}
}

// queue hands an exchange to the analysis. It waits when the analysis is
// a whole queue behind, so that a flood is slowed rather than forgotten.
func (a *analyzer) queue(x *exchange) {
	a.inMu.RLock()
	defer a.inMu.RUnlock()
	if !a.closed {
		a.in <- x
	}
}

func (a *analyzer) snapshot() *Report {
	reply := make(chan *Report)
	select {
	case a.snaps <- reply:
		return <-reply
	case <-a.done:
		return a.build().clone()
	}
}

func (a *analyzer) close() error {
	a.inMu.Lock()
	if !a.closed {
		a.closed = true
		close(a.in)
	}
	a.inMu.Unlock()
	<-a.done
	return a.lastErr
}

// analyse judges one exchange.
func (a *analyzer) analyse(x *exchange) {
	c := &a.report.Counts
	c.Exchanges++
	op, params := a.v.Routes().Find(x.method, x.url.Path)
	o := &observation{x: x, op: op, params: params, k: a.k}
	if op != nil {
		o.opID = op.Name()
	}
	body, readable := x.decodedBody()
	switch {
	case x.unreached:
		c.Unreached++
	case x.lost || !x.complete:
		c.Lost++
	default:
		c.Answered++
	}
	checked := x.complete && !x.lost && readable && !x.respUnchecked
	if x.complete && (!readable || x.respUnchecked) || x.reqUnchecked {
		c.Unchecked++
	}
	if checked {
		o.status, o.body = x.status, body
	}
	violations := a.check(x, o, checked)
	o.violations = validate.Sides(violations, validate.SideResponse)
	a.tallyOperation(x, op, violations)
	for i, f := range a.facts {
		if f.rule == nil {
			continue
		}
		if out, said := f.rule(o); out != says {
			a.verdicts[i].tally(out, said, x.seq)
		}
	}
	a.observeShapes(o)
	a.learn(o)
	a.record(x, o, body, readable, violations)
	a.logLine(x, o, violations)
}

// check validates the exchange against the contract: the request when it
// was read whole, the answer when it was, and not a 5xx, which any server
// may send.
func (a *analyzer) check(x *exchange, o *observation, answered bool) []validate.Violation {
	req := x.request()
	var vs []validate.Violation
	if !x.reqUnchecked {
		vs = a.v.Request(req, x.reqBody)
	}
	if o.op == nil {
		a.tallyOutside(x)
		return nil
	}
	if answered && x.status < 500 {
		h := x.respHeader
		if h.Get("Content-Encoding") != "" {
			h = h.Clone()
			h.Del("Content-Encoding")
		}
		vs = append(vs, a.v.Response(req, x.status, h, o.body)...)
	}
	return vs
}

func (a *analyzer) tallyOperation(x *exchange, op *validate.Operation, vs []validate.Violation) {
	if op != nil {
		seen := a.ops[op.Key()]
		if seen == nil {
			source := ""
			if d := a.doc.ops[op.Key()]; d != nil {
				source = d.Source
			}
			seen = &OperationSeen{Operation: op.Name(), Method: op.Method, Path: op.Path, Source: source, Statuses: map[string]int{}}
			a.ops[op.Key()] = seen
			a.opOrder = append(a.opOrder, op.Key())
		}
		seen.Exchanges++
		if x.answered {
			seen.Statuses[statusKey(x.status)]++
		}
		if x.lost || x.unreached || !x.complete {
			seen.Lost++
		}
		seen.Violations += len(vs)
		for _, v := range vs {
			a.tallyViolation(seen.Source, v, x.seq)
		}
	}
	if x.note != "" {
		a.tallyLost(x, op)
	}
}

func (a *analyzer) tallyViolation(source string, v validate.Violation, seq uint64) {
	key := ViolationSeen{Source: source, Documented: source == "doc" || source == "client", Operation: v.Operation,
		Side: v.Side, Rule: v.Rule, Field: v.Field, Message: v.Message}
	if seen := a.violations[key]; seen != nil {
		seen.Times++
		return
	}
	if len(a.violOrder) >= maxViolations {
		return
	}
	seen := key
	seen.Times, seen.First = 1, seq
	a.violations[key] = &seen
	a.violOrder = append(a.violOrder, &seen)
}

func (a *analyzer) tallyOutside(x *exchange) {
	shape := x.method + " " + a.pathShape(x.url.Path)
	if seen := a.outside[shape]; seen != nil {
		seen.Times++
		return
	}
	if len(a.outOrder) < maxOutside {
		seen := &OutsideRequests{Request: shape, Times: 1, First: x.seq}
		a.outside[shape] = seen
		a.outOrder = append(a.outOrder, seen)
	}
}

func (a *analyzer) tallyLost(x *exchange, op *validate.Operation) {
	name := x.method + " " + a.pathShape(x.url.Path)
	if op != nil {
		name = op.Name()
	}
	// The error's own words vary from one loss to the next; what
	// happened is before them.
	what, _, _ := strings.Cut(x.note, " (")
	what, _, _ = strings.Cut(what, ": ")
	key := name + "\x00" + what
	if seen := a.lost[key]; seen != nil {
		seen.Times++
		return
	}
	if len(a.lostOrder) < maxLost {
		seen := &LostExchanges{Operation: name, What: what, Times: 1, First: x.seq}
		a.lost[key] = seen
		a.lostOrder = append(a.lostOrder, seen)
	}
}

// pathShape is a path outside the contract as the report shows it: each
// segment that is not a word of the contract's paths becomes {…}, so
// that nothing typed into a path (a barcode) is shown.
func (a *analyzer) pathShape(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if s != "" && !a.literals[s] {
			segs[i] = "{…}"
		}
	}
	shape := "/" + strings.Join(segs, "/")
	if len(shape) > 120 {
		shape = shape[:120] + "…"
	}
	return shape
}

func (a *analyzer) observeShapes(o *observation) {
	if o.op == nil {
		return
	}
	d := a.doc.ops[o.op.Key()]
	if d == nil || !o.ok() {
		return
	}
	visit := func(request bool) func(string, map[string]any) {
		return func(name string, obj map[string]any) {
			if t := a.shapes[name]; t != nil && t.spec.request == request {
				t.add(obj)
			}
		}
	}
	if s := d.Bodies["request"]; s != nil {
		if body, ok := o.reqValue(); ok {
			a.doc.walkBody(body, s, visit(true))
		}
	}
	if s := d.Bodies[statusKey(o.status)]; s != nil {
		if body, ok := o.respValue(); ok {
			a.doc.walkBody(body, s, visit(false))
		}
	}
}

// record keeps the exchange in the recording, masked.
func (a *analyzer) record(x *exchange, o *observation, body []byte, readable bool, vs []validate.Violation) {
	if a.rec == nil {
		return
	}
	header := x.respHeader
	if readable && header.Get("Content-Encoding") != "" {
		header = header.Clone()
		header.Del("Content-Encoding")
	}
	if !readable {
		body = nil
	}
	req := x.request()
	_, err := a.rec.Record(mock.RecordedExchange{Seq: x.seq, Time: x.start, Request: req, RequestBody: x.reqBody,
		Answered: x.complete && !x.lost, Status: x.status, Header: header, ResponseBody: body,
		Latency: x.latency, Operation: o.opID, Note: x.note, Violations: vs})
	if err != nil {
		problem := "the recording could not be written to " + a.rec.Dir() + ": " + err.Error()
		if !slices.Contains(a.report.Problems, problem) && len(a.report.Problems) < 10 {
			a.report.Problems = append(a.report.Problems, problem)
		}
	}
}

// logLine writes the exchange's line: never a body, a query or a header.
func (a *analyzer) logLine(x *exchange, o *observation, vs []validate.Violation) {
	if a.opts.Log == nil {
		return
	}
	path := a.pathShape(x.url.Path)
	if o.op != nil {
		path = a.maskedPath(x.url.Path)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s #%d %s %s", x.start.UTC().Format("2006-01-02T15:04:05.000Z"), x.seq, x.method, path)
	if x.answered {
		fmt.Fprintf(&b, " %d", x.status)
	} else {
		b.WriteString(" -")
	}
	fmt.Fprintf(&b, " %s", x.latency.Round(time.Microsecond))
	if n := len(vs); n > 0 {
		fmt.Fprintf(&b, " [%d contract violation(s)]", n)
	}
	if x.note != "" {
		b.WriteString(" — " + x.note)
	}
	b.WriteByte('\n')
	io.WriteString(a.opts.Log, b.String())
}

// maskedPath is a path of the contract as the log shows it: a segment
// that is a barcode seen in a request is masked, control characters are
// dropped, and it is kept short.
func (a *analyzer) maskedPath(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if a.k.barcodes[a.k.hash(s)] {
			segs[i] = barcode.Mask(s)
		}
	}
	p := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.Join(segs, "/"))
	if len(p) > 200 {
		p = p[:200] + "…"
	}
	return p
}

// redacted is a URL without credentials, query or fragment.
func redacted(raw string) string {
	r, _, _ := strings.Cut(raw, "?")
	r, _, _ = strings.Cut(r, "#")
	if scheme, rest, ok := strings.Cut(r, "://"); ok {
		if at := strings.LastIndex(strings.SplitN(rest, "/", 2)[0], "@"); at >= 0 {
			rest = rest[at+1:]
		}
		r = scheme + "://" + rest
	}
	return r
}
