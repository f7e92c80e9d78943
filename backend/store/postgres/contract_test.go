package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
	"github.com/mkr-dev/mkr/backend/store/storetest"
)

// The PostgreSQL store passes the store contract, each subtest on its own
// fresh database.
func TestContract(t *testing.T) {
	// Without a server, one skip with its message instead of thirty (the
	// probe database is dropped at the end like the others).
	pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) store.Store {
		return openStore(t, pgtest.DSN(t), now)
	})
}

// openStore opens the database dsn names on the clock now and closes it
// when the test ends.
func openStore(tb testing.TB, dsn string, now func() time.Time) *postgres.Store {
	tb.Helper()
	st, err := postgres.Open(context.Background(), dsn, store.Options{Now: now})
	if err != nil {
		tb.Fatalf("postgres.Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return st
}
