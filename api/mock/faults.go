package mock

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults makes the mock behave like a poor network or a struggling server, so
// the client's handling of slow, failed and lost answers can be shown and
// tested. They apply to /ocapi requests only; the token endpoint stays healthy.
//
// Latency delays every answer. With probability Error a request is answered
// 503 without being applied; with probability Drop it is applied and then the
// connection is closed without an answer, so the caller cannot know the
// outcome. Seed fixes the sequence of those decisions: the same seed and the
// same sequence of requests give the same faults.
//
// Completion picks how order completions settle, as Vista documents they may:
// "" completes at once; CompletionPending answers Pending and settles to
// Completed after PendingReads reads of the completion (GET); CompletionFailed
// answers Failed and leaves the order in progress with nothing redeemed.
type Faults struct {
	Latency    time.Duration
	Error      float64
	Drop       float64
	Seed       int64
	Completion string
}

// Completion behaviours for Faults.Completion.
const (
	CompletionPending = "pending"
	CompletionFailed  = "failed"
)

// PendingReads is how many reads of a Pending completion answer Pending
// before it settles.
const PendingReads = 2

// ParseFaults reads a spec like "latency=200ms,error=0.2,drop=0.1,seed=7".
// "" and "none" mean no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.EqualFold(spec, "none") {
		return f, nil
	}
	seen := map[string]bool{}
	for item := range strings.SplitSeq(spec, ",") {
		item = strings.TrimSpace(item)
		key, value, ok := strings.Cut(item, "=")
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		if item == "" || !ok || key == "" || value == "" {
			return Faults{}, fmt.Errorf("faults %q: each item must be key=value (latency, error, drop, seed, completion), got %q", spec, item)
		}
		if seen[key] {
			return Faults{}, fmt.Errorf("faults %q: %s is given twice", spec, key)
		}
		seen[key] = true
		switch key {
		case "latency":
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 {
				return Faults{}, fmt.Errorf("faults %q: latency=%s: want a duration like 200ms or 1.5s", spec, value)
			}
			f.Latency = d
		case "error", "drop":
			p, err := strconv.ParseFloat(value, 64)
			if err != nil || math.IsNaN(p) || p < 0 || p > 1 {
				return Faults{}, fmt.Errorf("faults %q: %s=%s: want a fraction from 0 to 1, like 0.2", spec, key, value)
			}
			if key == "error" {
				f.Error = p
			} else {
				f.Drop = p
			}
		case "seed":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return Faults{}, fmt.Errorf("faults %q: seed=%s: want a whole number", spec, value)
			}
			f.Seed = n
		case "completion":
			switch v := strings.ToLower(value); v {
			case CompletionPending, CompletionFailed:
				f.Completion = v
			default:
				return Faults{}, fmt.Errorf("faults %q: completion=%s: want pending or failed", spec, value)
			}
		default:
			return Faults{}, fmt.Errorf("faults %q: unknown key %q (want latency, error, drop, seed or completion)", spec, key)
		}
	}
	if f.Error+f.Drop > 1 {
		return Faults{}, fmt.Errorf("faults %q: error+drop is %g; together they must not exceed 1", spec, f.Error+f.Drop)
	}
	return f, nil
}

// String gives the spec ParseFaults reads back; "none" for no faults.
func (f Faults) String() string {
	var parts []string
	if f.Latency != 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	if f.Error != 0 {
		parts = append(parts, "error="+strconv.FormatFloat(f.Error, 'g', -1, 64))
	}
	if f.Drop != 0 {
		parts = append(parts, "drop="+strconv.FormatFloat(f.Drop, 'g', -1, 64))
	}
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatInt(f.Seed, 10))
	}
	if f.Completion != "" {
		parts = append(parts, "completion="+f.Completion)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

type faultKind int

const (
	faultNone faultKind = iota
	faultError
	faultDrop
)

// faultDice draws one number per request so the decision sequence depends
// only on the seed and the order in which requests arrive.
type faultDice struct {
	mu  sync.Mutex
	f   Faults
	rng *rand.Rand
}

func newFaultDice(f Faults) *faultDice {
	seed := uint64(f.Seed)
	return &faultDice{f: f, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (d *faultDice) set(f Faults) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.f = f
}

func (d *faultDice) completion() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.f.Completion
}

func (d *faultDice) roll() (time.Duration, faultKind) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.f.Error == 0 && d.f.Drop == 0 {
		return d.f.Latency, faultNone
	}
	u := d.rng.Float64()
	switch {
	case u < d.f.Error:
		return d.f.Latency, faultError
	case u < d.f.Error+d.f.Drop:
		return d.f.Latency, faultDrop
	}
	return d.f.Latency, faultNone
}
