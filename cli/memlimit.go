package cli

import (
	"math"

	"github.com/spf13/cobra"
)

// counterMemoryLimit keeps a counter that runs all day, often on a small
// shared till, from growing its heap just because the collector has room:
// past it the garbage collector works harder instead. It is soft: the
// program never fails for lack of memory because of it.
const counterMemoryLimit = 32 << 20

// noMemoryLimit is the runtime's own default: the collector paces itself by
// GOGC alone.
const noMemoryLimit = math.MaxInt64

// memoryLimitFor is the soft memory limit cmd runs with. The standalone mock
// is a server for many clients holding a whole demo world: under the
// counter's limit its collector ran back to back and it served half the adds
// it serves without one, so it has none. Every other command is the counter
// or a short client run on the same till, and keeps the counter's.
func memoryLimitFor(cmd *cobra.Command) int64 {
	if cmd.Name() == "mock" && cmd.HasParent() && !cmd.Parent().HasParent() {
		return noMemoryLimit
	}
	return counterMemoryLimit
}

// applyMemoryLimit sets cmd's limit through the Env, unless GOMEMLIMIT
// names one: the runtime has read that already, and it wins.
func (a *app) applyMemoryLimit(cmd *cobra.Command) {
	if a.env.SetMemoryLimit == nil || a.env.Getenv("GOMEMLIMIT") != "" {
		return
	}
	a.env.SetMemoryLimit(memoryLimitFor(cmd))
}
