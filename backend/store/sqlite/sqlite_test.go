package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// The SQLite store passes the store contract.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
		return openStore(t, filepath.Join(t.TempDir(), "mkr.db"), now)
	})
}

// openStore opens the database at path on the clock now and closes it
// when the test ends.
func openStore(tb testing.TB, path string, now func() time.Time) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), path, store.Options{Now: now})
	if err != nil {
		tb.Fatalf("sqlite.Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return st
}
