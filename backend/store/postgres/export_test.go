package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// MigrateOnlyTo migrates dsn's database to version and no further: the
// schema an older mkr left. (Not through Open, whose partition upkeep
// needs the newest schema.)
func MigrateOnlyTo(t *testing.T, dsn string, version int) {
	t.Helper()
	migrateUpTo = version
	defer func() { migrateUpTo = 0 }()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s := &Store{pool: pool, now: time.Now}
	if err := s.migrate(context.Background()); err != nil {
		t.Fatalf("migrating to %d: %v", version, err)
	}
}
