package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// TestStmtCacheReusesReads: the store's reads prepare each statement
// once and answer as before; long "IN (…)" lists are not cached; and a
// cached statement, once read, holds no read transaction (a checkpoint
// with truncation still completes).
func TestStmtCacheReusesReads(t *testing.T) {
	ctx := context.Background()
	st, h := openWithHost(t)
	cached := func() int {
		st.readStmts.mu.Lock()
		defer st.readStmts.mu.Unlock()
		return len(st.readStmts.m)
	}
	before := cached()
	for range 5 {
		got, err := st.GetHost(ctx, h)
		if err != nil || got.Name != "web01" {
			t.Fatalf("GetHost = %+v, %v", got, err)
		}
	}
	once := cached()
	if once <= before {
		t.Fatalf("cached statements %d after reads, %d before: reads are not cached", once, before)
	}
	for range 5 {
		if _, err := st.GetHost(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	if again := cached(); again != once {
		t.Fatalf("cached statements %d after the same reads again, want %d", again, once)
	}

	// A list longer than maxCachedParams runs unprepared.
	ids := []string{h}
	for range maxCachedParams {
		ids = append(ids, "nohost")
	}
	hosts, err := st.ListHosts(ctx, store.HostFilter{IDs: ids})
	if err != nil || len(hosts) != 1 {
		t.Fatalf("ListHosts by %d ids = %d hosts, %v", len(ids), len(hosts), err)
	}
	st.readStmts.mu.Lock()
	for q := range st.readStmts.m {
		if strings.Count(q, "?") > maxCachedParams {
			t.Errorf("a statement with %d parameters is cached", strings.Count(q, "?"))
		}
	}
	st.readStmts.mu.Unlock()

	if _, err := st.CreateHost(ctx, store.NewHost{Name: "web02", Status: "working"}); err != nil {
		t.Fatal(err)
	}
	var busy, logFrames, checkpointed int
	if err := st.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed); err != nil {
		t.Fatal(err)
	}
	if busy != 0 {
		t.Fatalf("checkpoint blocked (busy=%d): a cached statement holds a read transaction", busy)
	}
}
