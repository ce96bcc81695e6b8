// Command boxoffice is the box-office counter screen for attaching cinema
// vouchers to Vista OCAPI orders. The command line lives in package cli.
package main

import (
	"os"
	"runtime/debug"

	"github.com/boxoffice/boxoffice/cli"
)

// softMemoryLimit keeps a counter that runs all day, often on a small shared
// till, from growing its heap just because the collector has room: past it
// the garbage collector works harder instead. It is soft: the program never
// fails for lack of memory because of it. GOMEMLIMIT overrides it.
const softMemoryLimit = 32 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	os.Exit(cli.Main())
}
