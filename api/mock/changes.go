package mock

import "sync"

// changes tells the page's event streams that something happened. A notify
// costs a lock and, at most once per waiting stream's wait, the close of a
// channel: the streams pace themselves, so a burst of requests wakes each
// of them once.
type changes struct {
	mu      sync.Mutex
	version uint64
	ch      chan struct{}
}

func newChanges() *changes { return &changes{} }

func (c *changes) notify() {
	c.mu.Lock()
	c.version++
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
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
	}
	return c.version, c.ch
}
