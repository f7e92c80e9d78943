package sqlite

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

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

// Under concurrent load — a request arrived while another was queued or
// committing less than sustainedGap ago — a group waits until its oldest
// request has waited gatherDelay (or gatherPoints are queued) before it
// starts. Each commit has a fixed cost (writing the WAL frames, and
// SQLite scanning its whole page cache of a database under 1 GiB, 8% of
// serve's CPU under 50,000 agents when every post committed alone): at
// 833 posts/s a 2 ms gather makes groups of 2–3 posts. A post in a quiet
// moment does not wait, nor does a lone caller inserting one batch after
// another (a local-mode throw): nobody would join it.
const (
	gatherDelay  = 2 * time.Millisecond
	gatherPoints = 5_000
	sustainedGap = 20 * time.Millisecond
)

// insertRequest is one insert call waiting for the committer.
type insertRequest struct {
	ctx    context.Context
	queued time.Time
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
	// committing is true while a group runs, and lastConcurrent is when
	// a request last arrived while another was queued or committing
	// (both under mu); gather and sustained are gatherDelay and
	// sustainedGap (tests change them).
	committing        bool
	lastConcurrent    time.Time
	gather, sustained time.Duration
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
	c.s.readAheadSeriesIDs(ctx, src.Series())
	req := &insertRequest{ctx: ctx, queued: time.Now(), src: src, oldest: oldest, done: make(chan struct{})}
	c.mu.Lock()
	if len(c.queue) > 0 || c.committing {
		c.lastConcurrent = req.queued
	}
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
		if wait := c.gatherWait(); wait > 0 {
			c.mu.Unlock()
			time.Sleep(wait)
			c.mu.Lock()
		}
		group := c.take()
		if len(group) == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		c.committing = true
		c.mu.Unlock()
		c.groups.Add(1)
		c.s.commitGroup(group)
		c.mu.Lock()
		c.committing = false
		c.mu.Unlock()
		for _, r := range group {
			close(r.done)
		}
	}
}

// gatherWait is how long the next group should wait for more requests
// (c.mu held): only under concurrent load, until the oldest queued
// request has waited c.gather, and not once gatherPoints are queued.
func (c *committer) gatherWait() time.Duration {
	if len(c.queue) == 0 || time.Since(c.lastConcurrent) > c.sustained {
		return 0
	}
	points := 0
	for _, r := range c.queue {
		if points += r.src.Len(); points >= gatherPoints {
			return 0
		}
	}
	return time.Until(c.queue[0].queued.Add(c.gather))
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
