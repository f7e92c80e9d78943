package postgres

import (
	"context"
	"embed"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLockKey is the pg_advisory_xact_lock key that serializes
// migrations: any constant shared by every mkr works ("mkr" in ASCII).
const migrationLockKey = 0x6d6b72

// migration is one file of migrations/, named NNNN_what.sql.
type migration struct {
	version int
	name    string
}

func migrations() ([]migration, error) {
	entries, err := migrationFS.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: the name must start with its number", e.Name())
		}
		ms = append(ms, migration{version: v, name: e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrateUpTo, when not 0, stops migrations after that version: tests
// make a database of an older schema with it, to check the next migration
// keeps its data.
var migrateUpTo int

// migrate applies every embedded migration not yet in schema_migrations,
// in one transaction holding pg_advisory_xact_lock: when several replicas
// start at once, the first migrates and the others, queued on the lock,
// find nothing left to do. Versions are recorded one by one (not as a
// count) because two files land independently (0001 core, 0002
// monitoring): a database knows exactly which it has.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if migrateUpTo > 0 {
		ms = slices.DeleteFunc(ms, func(m migration) bool { return m.version > migrateUpTo })
	}
	// An up-to-date database needs no lock: every command opens the store.
	if applied, err := s.appliedMigrations(ctx, s.pool); err == nil && len(missing(ms, applied)) == 0 {
		return checkNotNewer(ms, applied)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer rollback(tx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`); err != nil {
		return err
	}
	applied, err := s.appliedMigrations(ctx, tx)
	if err != nil {
		return err
	}
	if err := checkNotNewer(ms, applied); err != nil {
		return err
	}
	for _, m := range missing(ms, applied) {
		body, err := migrationFS.ReadFile("migrations/" + m.name)
		if err != nil {
			return err
		}
		// No arguments: pgx sends the file with the simple protocol, which
		// runs several statements.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// appliedMigrations returns the versions schema_migrations holds (an error
// when the table does not exist yet).
func (s *Store) appliedMigrations(ctx context.Context, q querier) (map[int]bool, error) {
	rows, err := q.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	applied := make(map[int]bool, len(versions))
	for _, v := range versions {
		applied[int(v)] = true
	}
	return applied, nil
}

func missing(ms []migration, applied map[int]bool) []migration {
	var out []migration
	for _, m := range ms {
		if !applied[m.version] {
			out = append(out, m)
		}
	}
	return out
}

// checkNotNewer refuses a database migrated by a newer mkr: its schema
// may mean things this one does not know.
func checkNotNewer(ms []migration, applied map[int]bool) error {
	known := map[int]bool{}
	for _, m := range ms {
		known[m.version] = true
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("the database has schema migration %d, which this mkr does not know; upgrade mkr", v)
		}
	}
	return nil
}
