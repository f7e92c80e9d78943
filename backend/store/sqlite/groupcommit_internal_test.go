package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// queued is how many inserts wait for the committer.
func (c *committer) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

// openWithHost opens a store in a temporary directory with one host.
func openWithHost(t *testing.T) (*Store, string) {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "g.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h, err := st.CreateHost(ctx, store.NewHost{Name: "web01", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	return st, h
}

// holdWriter holds the write connection in a transaction until release
// is called: inserts meanwhile queue for the committer.
func holdWriter(st *Store) (release func()) {
	rel, held := make(chan struct{}), make(chan struct{})
	go st.InTx(context.Background(), func(store.Tx) error {
		close(held)
		<-rel
		return nil
	})
	<-held
	return func() { close(rel) }
}

func (c *committer) isCommitting() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.committing
}

func (c *committer) isRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

// TestGroupCommitSharesTransactions: inserts that queue while the writer is
// busy are committed together. The write connection is held by a
// transaction until 30 inserts are waiting (the committer's first
// transaction, for the first insert, waits for the connection too); then
// all 30 must go in two transactions, not 30.
func TestGroupCommitSharesTransactions(t *testing.T) {
	ctx := context.Background()
	st, h := openWithHost(t)
	const callers = 30
	release := holdWriter(st)
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for c := range callers {
		wg.Go(func() {
			_, errs[c] = st.InsertPointsSince(ctx, []store.SeriesPoint{
				{Key: store.HostSeries(h, fmt.Sprintf("custom.g%d", c)), Point: store.Point{Time: 100, Value: 1}},
			}, 0)
		})
		if c == 0 { // the committer takes it alone and waits for the connection
			for st.ingest.queued() != 0 || !st.ingest.isRunning() {
				time.Sleep(time.Millisecond)
			}
		}
	}
	for deadline := time.Now().Add(10 * time.Second); st.ingest.queued() < callers-1; {
		if time.Now().After(deadline) {
			t.Fatalf("%d inserts queued, want %d", st.ingest.queued(), callers-1)
		}
		time.Sleep(time.Millisecond)
	}
	release()
	wg.Wait()
	for c, err := range errs {
		if err != nil {
			t.Errorf("insert %d: %v", c, err)
		}
	}
	if n, _ := st.CountPoints(ctx); n != callers {
		t.Errorf("CountPoints = %d, want %d", n, callers)
	}
	if g := st.ingest.groups.Load(); g != 2 {
		t.Errorf("%d transactions for %d concurrent inserts, want 2", g, callers)
	}
}

// TestGroupCommitCancelledBeforeStart: an insert whose context ends while it
// waits in the queue is answered with the context's error and stores
// nothing; the others in its group are unaffected.
func TestGroupCommitCancelledBeforeStart(t *testing.T) {
	ctx := context.Background()
	st, h := openWithHost(t)
	release := holdWriter(st)
	insert := func(ctx context.Context, name string) chan error {
		done := make(chan error, 1)
		go func() {
			_, err := st.InsertPointsSince(ctx, []store.SeriesPoint{{Key: store.HostSeries(h, name), Point: store.Point{Time: 100, Value: 1}}}, 0)
			done <- err
		}()
		return done
	}
	first := insert(ctx, "custom.first") // taken by the committer, waiting for the connection
	for st.ingest.queued() != 0 || !st.ingest.isRunning() {
		time.Sleep(time.Millisecond)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancelled := insert(cctx, "custom.cancelled")
	kept := insert(ctx, "custom.kept")
	for st.ingest.queued() != 2 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	release()
	if err := <-first; err != nil {
		t.Errorf("first: %v", err)
	}
	if err := <-cancelled; err != context.Canceled {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	if err := <-kept; err != nil {
		t.Errorf("kept: %v", err)
	}
	if n, _ := st.CountPoints(ctx); n != 2 {
		t.Errorf("CountPoints = %d, want 2", n)
	}

	// A group of nothing but cancelled requests ends quietly.
	for st.ingest.isRunning() { // the last committer is gone
		time.Sleep(time.Millisecond)
	}
	release = holdWriter(st)
	first = insert(ctx, "custom.first2")
	for st.ingest.queued() != 0 || !st.ingest.isRunning() {
		time.Sleep(time.Millisecond)
	}
	cctx, cancel = context.WithCancel(ctx)
	alone := insert(cctx, "custom.alone")
	for st.ingest.queued() != 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	release()
	if err := <-first; err != nil {
		t.Errorf("first: %v", err)
	}
	if err := <-alone; err != context.Canceled {
		t.Errorf("alone: %v, want context.Canceled", err)
	}
}

// TestGroupCommitGathersUnderLoad: under concurrent load (a post arrived
// while another was committing), posts arriving one after another within
// the gather delay share one transaction; after a quiet moment a post
// commits at once, and a lone caller posting one batch after another is
// never made to wait for company.
func TestGroupCommitGathersUnderLoad(t *testing.T) {
	ctx := context.Background()
	post := func(st *Store, h, name string) error {
		_, err := st.InsertPointsSince(ctx, []store.SeriesPoint{
			{Key: store.HostSeries(h, name), Point: store.Point{Time: 100, Value: 1}},
		}, 0)
		return err
	}
	setDelays := func(c *committer, gather, sustained time.Duration) {
		c.mu.Lock()
		c.gather, c.sustained = gather, sustained
		c.mu.Unlock()
	}
	// within fails the test when fn has not returned after a minute (it
	// would have waited for a gather delay of an hour).
	within := func(what string, fn func() error) {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- fn() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s waited for company", what)
		}
	}

	// A lone caller: one post after another, each alone, none waiting.
	lone, lh := openWithHost(t)
	setDelays(lone.ingest, time.Hour, time.Hour)
	for i := range 3 {
		within(fmt.Sprintf("lone post %d", i), func() error { return post(lone, lh, fmt.Sprintf("custom.l%d", i)) })
	}

	st, h := openWithHost(t)
	c := st.ingest
	setDelays(c, 300*time.Millisecond, time.Hour)
	// Concurrent load: a post arrives while the first one commits (the
	// write connection held meanwhile).
	release := holdWriter(st)
	var wg sync.WaitGroup
	wg.Go(func() { post(st, h, "custom.first") })
	for !c.isCommitting() {
		time.Sleep(time.Millisecond)
	}
	wg.Go(func() { post(st, h, "custom.second") })
	for c.queued() == 0 {
		time.Sleep(time.Millisecond)
	}
	release()
	wg.Wait()

	before := c.groups.Load()
	const posts = 5
	errs := make([]error, posts)
	for i := range posts {
		wg.Go(func() { errs[i] = post(st, h, fmt.Sprintf("custom.g%d", i)) })
		time.Sleep(10 * time.Millisecond) // one after another, well within the gather delay
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	if g := c.groups.Load() - before; g != 1 {
		t.Errorf("%d transactions for %d posts within the gather delay, want 1", g, posts)
	}

	// Quiet: the last concurrent arrival is older than sustained.
	setDelays(c, time.Hour, time.Nanosecond)
	time.Sleep(time.Millisecond)
	within("a post after a quiet moment", func() error { return post(st, h, "custom.quiet") })
	if n, _ := st.CountPoints(ctx); n != posts+3 {
		t.Errorf("CountPoints = %d, want %d", n, posts+3)
	}
}
