// Package pgtest gives tests a fresh PostgreSQL database each: empty
// (DSN), or holding the current schema, copied from a template migrated
// once per server and schema version (MigratedDSN). The server is the one
// MKR_TEST_POSTGRES_DSN names (.ci/run and `make pg` start a throwaway
// one); without it the calling test is skipped, with a message saying so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the environment variable holding the server's DSN, a
// postgres:// URL of a role that may create databases.
const EnvDSN = "MKR_TEST_POSTGRES_DSN"

// SkipMessage is why PostgreSQL tests skip when EnvDSN is unset.
const SkipMessage = "PostgreSQL tests skipped: " + EnvDSN + " is not set (.ci/run sets it)"

// DSN creates an empty database with a random name on the server of
// MKR_TEST_POSTGRES_DSN and returns its DSN; the database is dropped when
// tb ends. It skips tb when the variable is unset.
func DSN(tb testing.TB) string {
	tb.Helper()
	return createDatabase(tb, serverDSN(tb), "")
}

// serverDSN is MKR_TEST_POSTGRES_DSN; it skips tb when it is unset and
// fails it when it is no postgres:// URL.
func serverDSN(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(EnvDSN)
	if server == "" {
		tb.Skip(SkipMessage)
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("%s must be a postgres:// URL", EnvDSN)
	}
	return server
}

// createDatabase creates a database with a random name (CREATE DATABASE
// name, then options), drops it when tb ends and returns its URL.
func createDatabase(tb testing.TB, server, options string) string {
	tb.Helper()
	var b [8]byte
	rand.Read(b[:])
	name := "mkr_test_" + hex.EncodeToString(b[:])
	if err := adminExec(server, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+options); err != nil {
		tb.Fatalf("pgtest: creating a test database: %v", err)
	}
	tb.Cleanup(func() {
		// FORCE: a store the test forgot to close must not keep the
		// database (and the next run's disk) alive.
		if err := adminExec(server, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			tb.Errorf("pgtest: dropping %s: %v", name, err)
		}
	})
	return databaseURL(server, name)
}

// adminExec runs one statement on the server's own database (CREATE and
// DROP DATABASE cannot run in a transaction or a pool's session).
func adminExec(server, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// databaseURL is server's URL naming database name instead.
func databaseURL(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server // pgx reports the unparsable URL when it connects
	}
	d := *u
	d.Path = "/" + name
	return d.String()
}
