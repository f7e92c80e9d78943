package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// openFull opens a migrated database at path capped at a few pages more
// than its schema needs (store.Options.MaxPages, SQLite's max_page_count),
// so that writes soon fail with SQLITE_FULL as on a full disk.
func openFull(t *testing.T, path string, headroom int) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := rawDB(t, path).QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	st, err = sqlite.Open(ctx, path, store.Options{MaxPages: pages + headroom})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A full database is a typed store error (KindFull) — not an untyped
// driver error that the HTTP layer can only call an internal error — and
// the database stays usable: the failed write left nothing behind, reads
// work, and once space is freed a small write succeeds.
func TestFullDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openFull(t, filepath.Join(t.TempDir(), "mkr.db"), 20)
	if _, err := st.CreateService(ctx, "web", ""); err != nil {
		t.Fatal(err)
	}
	owner := store.MetadataOwner{Service: "web"}
	value := []byte(`"` + strings.Repeat("x", 20<<10) + `"`)

	var err error
	stored := 0
	for ; stored < store.MetadataQuota["service"]; stored++ {
		if err = st.PutMetadata(ctx, owner, fmt.Sprintf("ns%02d", stored), value); err != nil {
			break
		}
	}
	if err == nil {
		t.Fatalf("%d values of 20 KiB fit into 20 spare pages", stored)
	}
	var se *store.Error
	if !errors.Is(err, store.ErrFull) || !errors.As(err, &se) || se.Detail() != "database or disk is full" {
		t.Fatalf("PutMetadata on a full database: %v (%T), want a store.KindFull error", err, err)
	}
	if stored == 0 {
		t.Fatal("not even one value fitted; the test's headroom is too small")
	}

	// The failed write left nothing; reads work.
	failed := fmt.Sprintf("ns%02d", stored)
	if _, _, err := st.GetMetadata(ctx, owner, failed); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetMetadata(%s) after the failed write: %v, want not found", failed, err)
	}
	names, err := st.ListMetadata(ctx, owner)
	if err != nil || len(names) != stored {
		t.Fatalf("ListMetadata = %d names, %v; want %d", len(names), err, stored)
	}

	// Freed pages are reused: after a delete, a small write succeeds.
	if err := st.DeleteMetadata(ctx, owner, "ns00"); err != nil {
		t.Fatalf("DeleteMetadata on a full database: %v", err)
	}
	if err := st.PutMetadata(ctx, owner, "small", []byte(`{"ok":true}`)); err != nil {
		t.Fatalf("PutMetadata after freeing space: %v", err)
	}
	if v, _, err := st.GetMetadata(ctx, owner, "small"); err != nil || string(v) != `{"ok":true}` {
		t.Fatalf("GetMetadata(small) = %s, %v", v, err)
	}
}
