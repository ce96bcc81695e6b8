package mock

import (
	"sync"
	"sync/atomic"
)

// changes tells the page's event streams that something happened. A notify
// with no stream waiting costs one atomic add; with streams waiting, the
// close of a channel that wakes them all. The streams pace themselves, so a
// burst of requests wakes each of them once.
type changes struct {
	version atomic.Uint64
	waiting atomic.Bool
	mu      sync.Mutex
	ch      chan struct{}
}

func newChanges() *changes { return &changes{} }

func (c *changes) notify() {
	c.version.Add(1)
	if !c.waiting.Load() {
		return
	}
	c.mu.Lock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
		c.waiting.Store(false)
	}
	c.mu.Unlock()
}

// since returns the current version and a channel closed at the next
// change after it.
func (c *changes) since() (uint64, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
		c.waiting.Store(true)
	}
	return c.version.Load(), c.ch
}
