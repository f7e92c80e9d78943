package backendtest

import (
	"testing"

	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
)

// postgresDSN returns the URL of a fresh, migrated database for tb on the
// server of MKR_TEST_POSTGRES_DSN, dropped when tb ends; tb is skipped
// with pgtest's message when the variable is unset. It is a copy of
// pgtest's template, whose day partitions are those of a store opened at
// Epoch, every Env's clock unless Options.Start says otherwise (another
// start makes its own at Open, as a new database would).
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	return pgtest.MigratedDSN(tb, Epoch)
}
