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
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "mkr.db"), store.Options{Now: now})
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		t.Cleanup(func() {
			if err := st.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return st
	})
}
