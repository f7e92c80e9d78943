// Package pgtest gives tests a fresh PostgreSQL database each. The server
// is the one MKR_TEST_POSTGRES_DSN names (.ci/run and `make pg` start a
// throwaway one); without it the calling test is skipped, with a message
// saying so.
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
	server := os.Getenv(EnvDSN)
	if server == "" {
		tb.Skip(SkipMessage)
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("%s must be a postgres:// URL", EnvDSN)
	}
	var b [8]byte
	rand.Read(b[:])
	name := "mkr_test_" + hex.EncodeToString(b[:])

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatalf("pgtest: connecting to the test server: %v", err)
	}
	defer admin.Close(ctx)
	// The name is ours (hex), so quoting it is enough.
	if _, err := admin.Exec(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		tb.Fatalf("pgtest: creating a test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Errorf("pgtest: connecting to drop %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		// FORCE: a store the test forgot to close must not keep the
		// database (and the next run's disk) alive.
		if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
			tb.Errorf("pgtest: dropping %s: %v", name, err)
		}
	})
	d := *u
	d.Path = "/" + name
	return d.String()
}
