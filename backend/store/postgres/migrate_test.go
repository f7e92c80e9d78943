package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
)

// Replicas starting at once on an empty database: one migrates, the
// others wait on the advisory lock and find nothing to do; every one
// opens, and the schema holds each migration once.
func TestMigrateConcurrentFirstOpen(t *testing.T) {
	dsn := pgtest.DSN(t)
	const replicas = 8
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	stores := make([]*postgres.Store, replicas)
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = postgres.Open(context.Background(), dsn, store.Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: Open: %v", i, err)
		}
		defer stores[i].Close()
	}

	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var versions, distinct, owners, orgs int
	err = conn.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT version),
		(SELECT count(*) FROM users WHERE is_owner), (SELECT count(*) FROM org) FROM schema_migrations`).
		Scan(&versions, &distinct, &owners, &orgs)
	if err != nil {
		t.Fatal(err)
	}
	if versions == 0 || versions != distinct || owners != 1 || orgs != 1 {
		t.Errorf("after %d concurrent opens: %d migrations (%d distinct), %d owners, %d orgs; want each migration once, one owner, one org",
			replicas, versions, distinct, owners, orgs)
	}

	// Opening again, migrated, changes nothing.
	again, err := postgres.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	again.Close()
	var after int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != versions {
		t.Errorf("reopen: %d migrations recorded, was %d", after, versions)
	}
}

// A database migrated by a newer mkr (a version this one does not know)
// is refused with a message saying to upgrade, not half-used.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
	st, err := postgres.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(context.Background(), dsn, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "upgrade mkr") {
		t.Fatalf("Open on a newer schema: %v; want an error saying to upgrade mkr", err)
	}
}

// A DSN that cannot be parsed is refused without echoing it (it may hold
// a password).
func TestOpenDoesNotEchoTheDSN(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:s3cret@[bad", store.Options{})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("Open: %v; want an error without the password", err)
	}
}
