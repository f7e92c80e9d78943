package wrap

import (
	"io"
	"sync"
)

// capture keeps the first headCap and the last tailCap bytes written to it,
// so memory stays flat however much a job prints while the check message
// can still show how the output began and how it ended. Both output streams
// write to one capture, so it is safe for concurrent use and keeps lines in
// the order they arrived.
type capture struct {
	mu      sync.Mutex
	headCap int
	head    []byte
	tailCap int
	tail    []byte // circular once full; oldest byte at start
	start   int
	total   int64
}

// newCapture splits capacity between head and tail. The tail gets the larger
// share because errors are usually printed last (mkr#199).
func newCapture(capacity int) *capture {
	head := capacity / 4
	return &capture{headCap: head, tailCap: capacity - head}
}

// Write stores p and never fails.
func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	c.total += int64(n)
	if room := c.headCap - len(c.head); room > 0 {
		if c.head == nil {
			c.head = make([]byte, 0, c.headCap)
		}
		k := min(room, len(p))
		c.head = append(c.head, p[:k]...)
		p = p[k:]
	}
	if len(p) > 0 {
		c.writeTail(p)
	}
	return n, nil
}

func (c *capture) writeTail(p []byte) {
	if c.tail == nil {
		c.tail = make([]byte, 0, c.tailCap)
	}
	if len(p) >= c.tailCap {
		c.tail = append(c.tail[:0], p[len(p)-c.tailCap:]...)
		c.start = 0
		return
	}
	if room := c.tailCap - len(c.tail); room > 0 {
		k := min(room, len(p))
		c.tail = append(c.tail, p[:k]...)
		p = p[k:]
	}
	// The tail is full from here on: overwrite the oldest bytes.
	for len(p) > 0 {
		k := copy(c.tail[c.start:], p)
		p = p[k:]
		c.start = (c.start + k) % c.tailCap
	}
}

// Bytes returns a copy of what is kept, head then tail, and how many bytes
// between them were dropped.
func (c *capture) Bytes() ([]byte, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]byte, 0, len(c.head)+len(c.tail))
	out = append(out, c.head...)
	out = append(out, c.tail[c.start:]...)
	out = append(out, c.tail[:c.start]...)
	return out, c.total - int64(len(out))
}

// tee passes a stream through to its writer and into the shared capture.
// A failing writer (a closed stdout, say) is dropped rather than reported:
// the job must keep running and its output must keep being captured.
type tee struct {
	w   io.Writer
	cap *capture
	// mu is shared by the stdout and stderr tees: callers may well pass one
	// writer that is not safe for concurrent use as both (upstream #865).
	mu  *sync.Mutex
	err error
}

func (t *tee) Write(p []byte) (int, error) {
	t.cap.Write(p)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.err == nil {
		if _, err := t.w.Write(p); err != nil {
			t.err = err
		}
	}
	return len(p), nil
}
