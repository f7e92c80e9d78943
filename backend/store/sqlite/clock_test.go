package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// Without Options.Now the store uses the wall clock.
func TestDefaultClock(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "mkr.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before := time.Now().Unix()
	id, err := st.CreateHost(context.Background(), store.NewHost{Name: "h", Status: "working"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.GetHost(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if after := time.Now().Unix(); h.CreatedAt < before || h.CreatedAt > after {
		t.Fatalf("CreatedAt = %d, want between %d and %d", h.CreatedAt, before, after)
	}
}
