package mock

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boxoffice/boxoffice/api/contract/validate"
)

// Kinds of fault a cue or a route's dice can apply, besides faults.go's.
const (
	// faultDropUnapplied loses the answer of a request never applied.
	faultDropUnapplied faultKind = 10 + iota
	// faultStatus answers a given status and body without applying.
	faultStatus
)

// Cue kinds as the admin API names them.
const (
	CueLost          = "lost"           // applied, then the answer is lost
	CueLostUnapplied = "lost-unapplied" // lost before it is applied
	Cue503           = "503"            // 503, not applied
	CueLatency       = "latency"        // answered normally after Latency
	CueStatus        = "status"         // Status and Body, not applied
)

// Cue is one entry of the fault queue: the next Count requests to Route get
// Fault. Count goes down as they come.
type Cue struct {
	ID        int    `json:"id"`
	Route     string `json:"route"`
	Operation string `json:"operation,omitempty"`
	Count     int    `json:"count"`
	Fault     string `json:"fault"`
	// Latency is how long CueLatency waits (Go duration: "2s").
	Latency string `json:"latency,omitempty"`
	// Status and Body are what CueStatus answers; Body is sent as it is.
	Status int             `json:"status,omitempty"`
	Body   json.RawMessage `json:"body,omitempty"`

	op      *validate.Operation
	latency time.Duration
}

// RouteFaults are the dice of one route, which replace the global dice for
// its requests.
type RouteFaults struct {
	Route     string  `json:"route"`
	Operation string  `json:"operation,omitempty"`
	Latency   string  `json:"latency"`
	Error     float64 `json:"error"`
	Drop      float64 `json:"drop"`
	Seed      int64   `json:"seed"`

	dice *faultDice
}

// decision is what happens to one request.
type decision struct {
	latency time.Duration
	kind    faultKind
	status  int
	body    []byte
	// by says which rule decided: "queue #3", "route", or "" for the dice.
	by string
}

func (d decision) describe() string {
	var parts []string
	if d.latency > 0 {
		parts = append(parts, "latency "+d.latency.String())
	}
	switch d.kind {
	case faultError:
		parts = append(parts, "503")
	case faultDrop:
		parts = append(parts, "dropped")
	case faultDropUnapplied:
		parts = append(parts, "dropped before it was applied")
	case faultStatus:
		parts = append(parts, fmt.Sprintf("answered %d", d.status))
	}
	if len(parts) == 0 {
		return ""
	}
	if d.by != "" {
		parts = append(parts, "("+d.by+")")
	}
	return strings.Join(parts, " ")
}

// faultPlan holds the faults set at run time: per route and the queue.
type faultPlan struct {
	mu     sync.Mutex
	routes map[*validate.Operation]*RouteFaults
	queue  []*Cue
	lastID int
}

func newFaultPlan() *faultPlan {
	return &faultPlan{routes: map[*validate.Operation]*RouteFaults{}}
}

// next decides the fault of a request to op (nil when the document has no
// operation for it): the first cue queued for op, else op's dice, else the
// global dice.
func (p *faultPlan) next(op *validate.Operation, global *faultDice) decision {
	p.mu.Lock()
	for i, c := range p.queue {
		if c.op != op || op == nil {
			continue
		}
		c.Count--
		if c.Count <= 0 {
			p.queue = slices.Delete(p.queue, i, i+1)
		}
		p.mu.Unlock()
		return c.decision()
	}
	rf := p.routes[op]
	p.mu.Unlock()
	if rf != nil {
		latency, kind := rf.dice.roll()
		return decision{latency: latency, kind: kind, by: "route"}
	}
	latency, kind := global.roll()
	return decision{latency: latency, kind: kind}
}

func (c *Cue) decision() decision {
	d := decision{by: fmt.Sprintf("queue #%d", c.ID)}
	switch c.Fault {
	case CueLost:
		d.kind = faultDrop
	case CueLostUnapplied:
		d.kind = faultDropUnapplied
	case Cue503:
		d.kind = faultError
	case CueLatency:
		d.latency = c.latency
	case CueStatus:
		d.kind, d.status, d.body = faultStatus, c.Status, c.Body
	}
	return d
}

// enqueue checks a cue and puts it at the end of the queue.
func (p *faultPlan) enqueue(routes *validate.Routes, c Cue) (Cue, error) {
	op, ok := routes.Lookup(c.Route)
	if !ok {
		return Cue{}, fmt.Errorf("route %q is not an operation of /openapi.json; name it by operationId or as \"POST /ocapi/v1/orders/{orderId}/vouchers\"", c.Route)
	}
	if c.Count == 0 {
		c.Count = 1
	}
	if c.Count < 0 || c.Count > 100000 {
		return Cue{}, fmt.Errorf("count must be from 1 to 100000")
	}
	switch c.Fault {
	case CueLost, CueLostUnapplied, Cue503:
	case CueLatency:
		d, err := time.ParseDuration(c.Latency)
		if err != nil || d <= 0 || d > maxLatency {
			return Cue{}, fmt.Errorf("latency %q: want a duration from 1ms to %s, like 2s", c.Latency, maxLatency)
		}
		c.latency = d
	case CueStatus:
		if c.Status < 200 || c.Status > 599 {
			return Cue{}, fmt.Errorf("status %d: want an HTTP status from 200 to 599", c.Status)
		}
	default:
		return Cue{}, fmt.Errorf("fault %q: want %s, %s, %s, %s or %s", c.Fault, CueLost, CueLostUnapplied, Cue503, CueLatency, CueStatus)
	}
	c.op, c.Route, c.Operation = op, op.Key(), op.ID
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lastID++
	c.ID = p.lastID
	p.queue = append(p.queue, &c)
	return c, nil
}

// maxLatency bounds a latency set at run time: the server's write timeout
// is two minutes.
const maxLatency = 90 * time.Second

// setRoute gives a route its own dice; all-zero dice remove them.
func (p *faultPlan) setRoute(routes *validate.Routes, rf RouteFaults) (RouteFaults, error) {
	op, ok := routes.Lookup(rf.Route)
	if !ok {
		return RouteFaults{}, fmt.Errorf("route %q is not an operation of /openapi.json; name it by operationId or as \"POST /ocapi/v1/orders/{orderId}/vouchers\"", rf.Route)
	}
	f := Faults{Error: rf.Error, Drop: rf.Drop, Seed: rf.Seed}
	if rf.Latency != "" {
		d, err := time.ParseDuration(rf.Latency)
		if err != nil || d < 0 || d > maxLatency {
			return RouteFaults{}, fmt.Errorf("latency %q: want a duration up to %s, like 200ms", rf.Latency, maxLatency)
		}
		f.Latency = d
	}
	if err := checkOdds(f); err != nil {
		return RouteFaults{}, err
	}
	rf.Route, rf.Operation, rf.Latency = op.Key(), op.ID, f.Latency.String()
	rf.dice = newFaultDice(f)
	p.mu.Lock()
	defer p.mu.Unlock()
	if f == (Faults{Seed: f.Seed}) {
		delete(p.routes, op)
		return rf, nil
	}
	p.routes[op] = &rf
	return rf, nil
}

func checkOdds(f Faults) error {
	for _, v := range []float64{f.Error, f.Drop} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return fmt.Errorf("error and drop are fractions from 0 to 1, like 0.2")
		}
	}
	if f.Error+f.Drop > 1 {
		return fmt.Errorf("error+drop is %g; together they must not exceed 1", f.Error+f.Drop)
	}
	return nil
}

// snapshot copies the routes' dice and the queue, each sorted.
func (p *faultPlan) snapshot() ([]RouteFaults, []Cue) {
	p.mu.Lock()
	defer p.mu.Unlock()
	routes := make([]RouteFaults, 0, len(p.routes))
	for _, rf := range p.routes {
		routes = append(routes, *rf)
	}
	slices.SortFunc(routes, func(a, b RouteFaults) int { return strings.Compare(a.Route, b.Route) })
	queue := make([]Cue, 0, len(p.queue))
	for _, c := range p.queue {
		queue = append(queue, *c)
	}
	return routes, queue
}

// clear removes every route's dice and every cue.
func (p *faultPlan) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.routes = map[*validate.Operation]*RouteFaults{}
	p.queue = nil
}

// clearQueue removes every cue, or the one with id when id is not 0; it
// reports whether anything was removed.
func (p *faultPlan) clearQueue(id int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id == 0 {
		n := len(p.queue)
		p.queue = nil
		return n > 0
	}
	i := slices.IndexFunc(p.queue, func(c *Cue) bool { return c.ID == id })
	if i < 0 {
		return false
	}
	p.queue = slices.Delete(p.queue, i, i+1)
	return true
}

// get is the dice's faults.
func (d *faultDice) get() Faults {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.f
}
