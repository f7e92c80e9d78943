package backendtest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
)

// DBEngine names the database an Env is built on.
type DBEngine string

// Database engines an Env can run on.
const (
	// DBSQLite: a SQLite file in tb.TempDir() (the default).
	DBSQLite DBEngine = "sqlite"
	// DBPostgres: a fresh database on the PostgreSQL server of
	// MKR_TEST_POSTGRES_DSN (pgtest.DSN), dropped when the test ends; the
	// test is skipped, with a message, when the variable is unset.
	DBPostgres DBEngine = "postgres"
)

// EnvDBEngine names the environment variable that sets the engine of every
// Env whose test chose none (UseDBEngine, Options.DBEngine): "sqlite" or
// "postgres". It is for developers running a whole package on PostgreSQL;
// tests that are about SQLite files (MustOpenStore, Options.MaxPages)
// skip then.
const EnvDBEngine = "MKR_TEST_DB_ENGINE"

// chosen maps a test's name to the engine UseDBEngine set for it and its
// subtests.
var chosen sync.Map

// UseDBEngine makes every Env that tb or any of its subtests builds, from
// now until tb ends, run on e (unless Options.DBEngine says otherwise). It
// lets a test run other tests' bodies, unchanged, on another engine:
//
//	func TestCompatOnPostgres(t *testing.T) {
//		backendtest.UseDBEngine(t, backendtest.DBPostgres)
//		t.Run("Hosts", TestCompatHosts)
//	}
//
// With DBPostgres and no server configured, tb is skipped at once,
// with pgtest's message.
func UseDBEngine(tb testing.TB, e DBEngine) {
	tb.Helper()
	if e == DBPostgres && os.Getenv(pgtest.EnvDSN) == "" {
		tb.Skip(pgtest.SkipMessage)
	}
	chosen.Store(tb.Name(), e)
	tb.Cleanup(func() { chosen.Delete(tb.Name()) })
}

// dbEngineFor returns the engine tb's Envs use: the one UseDBEngine set for
// tb or its nearest parent, else $MKR_TEST_DB_ENGINE, else SQLite.
func dbEngineFor(tb testing.TB) DBEngine {
	for name := tb.Name(); ; {
		if e, ok := chosen.Load(name); ok {
			return e.(DBEngine)
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			break
		}
		name = name[:i]
	}
	switch e := DBEngine(os.Getenv(EnvDBEngine)); e {
	case "", DBSQLite:
		return DBSQLite
	case DBPostgres:
		return DBPostgres
	default:
		tb.Fatalf("backendtest: %s=%q: want %q or %q", EnvDBEngine, e, DBSQLite, DBPostgres)
		return ""
	}
}

// isPostgresDSN reports whether a database path is a PostgreSQL URL, as
// backend.Open tells them apart.
func isPostgresDSN(path string) bool {
	return strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
}

// skipOnPostgres skips tb when it asks SQLite of a PostgreSQL database.
func skipOnPostgres(tb testing.TB, path, what string) {
	tb.Helper()
	if isPostgresDSN(path) {
		tb.Skip(fmt.Sprintf("backendtest: %s is SQLite's; this Env runs on PostgreSQL", what))
	}
}
