package sqlite

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/mkr-dev/mkr/backend/store"
)

// Group commit of metric inserts.
//
// SQLite has one writer. Without grouping, N agents posting at once queue
// on it one transaction each, and each transaction pays its fixed costs
// (BEGIN IMMEDIATE, preparing statements, the WAL commit) while the
// others wait: under load the queue, and the tail latency, grows with N.
// Instead every insert joins a queue, and one committer goroutine drains
// whatever is queued into a single transaction (commitGroup). A request
// that fails (an unknown host, 404) fails alone, the others commit, and
// each caller gets its own result. store.MetricStore's promise — all or
// nothing per call — holds: a request that fails half-written has the
// transaction rolled back and run again without it, and a transaction
// that fails to commit fails every request in it.
//
// It lives in this store, not above it, because it is how SQLite's single
// writer is best used: savepoints and one write connection are SQLite
// facts, and an engine with concurrent writers (PostgreSQL) would rather
// let its callers write in parallel. Callers see no difference.

// maxGroupPoints bounds the points of one group transaction (a request is
// never split, so a single larger one still goes alone): the write lock
// is held for a bounded time, and other processes' writers and the
// request after a huge one are not kept waiting behind it.
const maxGroupPoints = 100_000

// insertRequest is one insert call waiting for the committer.
type insertRequest struct {
	ctx    context.Context
	src    store.PointStream
	oldest int64
	res    store.InsertResult
	err    error
	done   chan struct{}
}

// committer runs queued inserts in shared transactions. No goroutine runs
// while nothing is queued: the first request of a burst starts one, and it
// ends when the queue is empty.
type committer struct {
	s       *Store
	mu      sync.Mutex
	queue   []*insertRequest
	running bool
	// groups counts transactions, for tests that need to know requests
	// were grouped.
	groups atomic.Int64
	// stmts are the prepared statements of the group transactions
	// (groupcommit_tx.go), prepared on first use.
	stmtMu sync.Mutex
	stmts  *ingestStatements
}

// insert queues a request and waits for its result. It waits even when
// ctx ends meanwhile: once a transaction has taken the request, its
// outcome is only known at commit, and the caller must not report a
// failure for points that were stored. (A request not yet taken when ctx
// ends is answered with ctx's error without running.)
func (c *committer) insert(ctx context.Context, src store.PointStream, oldest int64) (store.InsertResult, error) {
	req := &insertRequest{ctx: ctx, src: src, oldest: oldest, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, req)
	if !c.running {
		c.running = true
		go c.run()
	}
	c.mu.Unlock()
	<-req.done
	return req.res, req.err
}

// run commits groups until the queue is empty.
func (c *committer) run() {
	for {
		c.mu.Lock()
		group := c.take()
		if len(group) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.groups.Add(1)
		c.s.commitGroup(group)
		for _, r := range group {
			close(r.done)
		}
	}
}

// take removes the next group from the queue (c.mu held): requests in
// arrival order up to maxGroupPoints, and always at least one.
func (c *committer) take() []*insertRequest {
	n, points := 0, 0
	for n < len(c.queue) && (n == 0 || points+c.queue[n].src.Len() <= maxGroupPoints) {
		points += c.queue[n].src.Len()
		n++
	}
	group := c.queue[:n:n]
	c.queue = c.queue[n:]
	if len(c.queue) == 0 {
		c.queue = nil // let the backing array go
	}
	return group
}

// allDone returns a context cancelled once every request's context is:
// the shared transaction stops waiting (for another process's lock, say)
// only when nobody wants its result any more.
func allDone(group []*insertRequest) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(group[0].ctx))
	var left atomic.Int64
	left.Store(int64(len(group)))
	stops := make([]func() bool, 0, len(group))
	for _, r := range group {
		stops = append(stops, context.AfterFunc(r.ctx, func() {
			if left.Add(-1) == 0 {
				cancel()
			}
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}
