package backend

import (
	"context"
	"net/http"
	"strconv"
	"sync"
)

// Admission control of metric posts.
//
// Under a load the server cannot keep up with, every post that arrives
// would otherwise start decoding at once: each holds its body, its spool
// and a goroutine, they share the CPU so that all of them get slower, and
// the group commit's queue grows without bound — 50,000 simulated agents
// took serve to 1.4 GB and a p99 of 17 s. Instead at most ingestActive
// posts are decoded and stored at once, at most ingestWaiting more wait
// for a turn (in arrival order), and the rest are answered at once with
// 503 and Retry-After. That is safe for the senders: mackerel-agent keeps
// the points of a failed post and sends them again with its next post,
// mkr's client retries a 503 after Retry-After, and Prometheus' remote
// write retries 5xx. A post is admitted before its body is decoded but
// after a small body has been read (ingestBufferLimit): a slow sender
// holds a connection, not a turn.

const (
	// ingestActive bounds the posts being decoded or stored at once.
	// Storing is serialized by SQLite's single writer anyway (the group
	// commit makes one transaction of what is queued), so more would
	// only add memory; fewer would make the groups smaller.
	ingestActive = 64
	// ingestWaiting bounds the posts waiting for a turn: at ~1,000 posts
	// a second it is about a second of waiting, past which a sender is
	// better told to come back than kept waiting.
	ingestWaiting = 1024
	// ingestRetryAfter is the Retry-After of a refused post, in seconds.
	ingestRetryAfter = 5
	// ingestBufferLimit: a body announced at most this long is read
	// whole before the post waits for a turn (an agent's post is ~8 KB).
	ingestBufferLimit = 256 << 10
)

// ingestGate hands out turns to metric posts.
type ingestGate struct {
	mu         sync.Mutex
	active     int
	maxActive  int
	maxWaiting int
	waiting    []chan struct{} // closed when the waiter gets its turn
}

func newIngestGate(active, waiting int) *ingestGate {
	return &ingestGate{maxActive: max(1, active), maxWaiting: max(0, waiting)}
}

// errIngestBusy answers a post that found no turn.
var errIngestBusy = errorf(http.StatusServiceUnavailable,
	"Too many metric posts in progress; retry after %d seconds.", ingestRetryAfter)

// enter waits for a turn and returns the function that gives it back, or
// errIngestBusy at once when too many posts already wait, or ctx's error
// when the caller goes away while waiting.
func (g *ingestGate) enter(ctx context.Context) (leave func(), err error) {
	g.mu.Lock()
	if g.active < g.maxActive {
		g.active++
		g.mu.Unlock()
		return g.leave, nil
	}
	if len(g.waiting) >= g.maxWaiting {
		g.mu.Unlock()
		return nil, errIngestBusy
	}
	turn := make(chan struct{})
	g.waiting = append(g.waiting, turn)
	g.mu.Unlock()
	select {
	case <-turn:
		return g.leave, nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		for i, w := range g.waiting {
			if w == turn {
				g.waiting = append(g.waiting[:i], g.waiting[i+1:]...)
				return nil, ctx.Err()
			}
		}
		// The turn was handed over just as ctx ended: pass it on.
		g.handOver()
		return nil, ctx.Err()
	}
}

// leave gives a turn back: to the longest waiter, if any.
func (g *ingestGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.handOver()
}

// handOver passes a turn that was held to the next waiter, or frees it
// (g.mu held).
func (g *ingestGate) handOver() {
	if len(g.waiting) == 0 {
		g.active--
		return
	}
	close(g.waiting[0])
	g.waiting[0] = nil
	g.waiting = g.waiting[1:]
	if len(g.waiting) == 0 {
		g.waiting = nil // let the backing array go
	}
}

// admitIngest waits for a metric post's turn; on errIngestBusy it sets
// Retry-After on w. A request whose context ends while it waits gets 503
// too (nobody reads it).
func (b *Backend) admitIngest(w http.ResponseWriter, r *http.Request) (leave func(), err error) {
	leave, err = b.ingestGate.enter(r.Context())
	if err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(ingestRetryAfter))
		return nil, errIngestBusy
	}
	return leave, nil
}
