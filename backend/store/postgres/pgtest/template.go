package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
)

// Creating and migrating a database costs seconds on a busy machine, and
// some tests build hundreds of stores. So a template database is migrated
// once per server and schema version — shared by every test process on
// that server, whichever gets there first — and each test gets a copy
// of it (CREATE DATABASE … TEMPLATE), dropped when the test ends.
//
// The template's name carries a hash of what decides its content (the
// PostgreSQL store's code and migrations, and the day its partitions were
// made for), so a changed schema gets a new template and never a stale
// one. It is built under a session advisory lock on the server, so test
// binaries running at once (go test ./... runs packages in parallel) build
// it once and agree on it.

// copyStrategy is how each copy is made. FILE_COPY copies the template's
// files and checkpoints; WAL_LOG (PostgreSQL 15's default) copies it block
// by block through the WAL. For a template this small, on a server with
// fsync off, FILE_COPY measured faster (docs/testing.md has the figures).
const copyStrategy = "FILE_COPY"

// templateLockKey serializes template builds across test processes
// ("mkt").
const templateLockKey = 0x6d6b74

// staleTemplateAge is when a template no current build names (an earlier
// schema's) is swept.
const staleTemplateAge = time.Hour

var templates sync.Map // template name → *templateOnce

type templateOnce struct {
	once sync.Once
	err  error
	// strategy is " STRATEGY "+copyStrategy, or "" on servers before
	// PostgreSQL 15, which copy files and know no STRATEGY.
	strategy string
}

// MigratedDSN returns the URL of a fresh database on the server of
// MKR_TEST_POSTGRES_DSN holding the current schema, as postgres.Open
// leaves a new database for a store whose clock reads at (the day
// partitions around at included), dropped when tb ends. It skips tb when
// the variable is unset.
func MigratedDSN(tb testing.TB, at time.Time) string {
	tb.Helper()
	server := serverDSN(tb)
	name, err := templateName(at)
	if err != nil {
		tb.Fatalf("pgtest: naming the template database: %v", err)
	}
	t, _ := templates.LoadOrStore(name, &templateOnce{})
	once := t.(*templateOnce)
	once.once.Do(func() {
		if once.err = ensureTemplate(server, name, at); once.err == nil {
			once.strategy, once.err = strategyClause(server)
		}
	})
	if once.err != nil {
		tb.Fatalf("pgtest: preparing the template database %s: %v", name, once.err)
	}
	return createDatabase(tb, server, ` TEMPLATE `+pgx.Identifier{name}.Sanitize()+once.strategy)
}

// strategyClause is the STRATEGY clause for the server's version.
func strategyClause(server string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	var version int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		return "", err
	}
	if version < 150000 {
		return "", nil
	}
	return " STRATEGY " + copyStrategy, nil
}

// templateName is mkr_tmpl_ and a hash of the store's code and
// migrations and of at's day.
func templateName(at time.Time) (string, error) {
	h := sha256.New()
	for _, dir := range schemaSources() {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != dir && d.Name() != "migrations" {
					return filepath.SkipDir // pgtest itself, testdata
				}
				return nil
			}
			if !strings.HasSuffix(path, ".sql") && (!strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go")) {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(path), len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	fmt.Fprintf(h, "day %d", at.UTC().Unix()/86400)
	return "mkr_tmpl_" + hex.EncodeToString(h.Sum(nil))[:24], nil
}

// schemaSources are the directories whose code decides what Open leaves
// in a new database: the PostgreSQL store (and its migrations) and the SQL
// it shares with SQLite. Found beside this file: tests always have the
// sources.
func schemaSources() []string {
	_, file, _, _ := runtime.Caller(0)
	postgresDir := filepath.Dir(filepath.Dir(file))
	return []string{postgresDir, filepath.Join(filepath.Dir(postgresDir), "internal", "sqlstore")}
}

// ensureTemplate builds the template name unless the server has it. It
// holds the build lock for as long as it takes: another process waits,
// then finds the template made.
func ensureTemplate(server, name string, at time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLockKey); err != nil {
		return err
	}
	// Closing the session releases the lock too, should this return early.
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, templateLockKey)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	if err := sweepTemplates(ctx, conn); err != nil {
		return err
	}
	// Built under another name and renamed when complete, so that a
	// process killed halfway leaves nothing that looks finished.
	build := name + "_build"
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{build}.Sanitize()+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{build}.Sanitize()); err != nil {
		return err
	}
	st, err := postgres.Open(ctx, databaseURL(server, build), store.Options{Now: func() time.Time { return at }})
	if err != nil {
		return err
	}
	// No connection may stay: a template in use cannot be renamed or
	// copied.
	if err := st.Close(); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{build}.Sanitize()+` RENAME TO `+pgx.Identifier{name}.Sanitize()); err != nil {
		return err
	}
	// The build time, for sweepTemplates.
	_, err = conn.Exec(ctx, `COMMENT ON DATABASE `+pgx.Identifier{name}.Sanitize()+` IS '`+strconv.FormatInt(time.Now().Unix(), 10)+`'`)
	return err
}

// sweepTemplates drops the templates built more than staleTemplateAge ago
// (those of earlier schemas, since the current one is missing; a process
// of an older checkout still using one would have had it for that long).
// The build time is the database's comment, or for the templates of
// older test helpers, the number in their name (mkr_tmpl_<unix>_<rand>).
func sweepTemplates(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx, `SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '')
		FROM pg_database WHERE datname LIKE 'mkr\_tmpl\_%'`)
	if err != nil {
		return err
	}
	type tmpl struct{ name, comment string }
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tmpl, error) {
		var t tmpl
		return t, r.Scan(&t.name, &t.comment)
	})
	if err != nil {
		return err
	}
	var stale []string
	for _, t := range all {
		stamp := t.comment
		if stamp == "" {
			stamp, _, _ = strings.Cut(strings.TrimPrefix(t.name, "mkr_tmpl_"), "_")
		}
		sec, err := strconv.ParseInt(stamp, 10, 64)
		if err == nil && time.Since(time.Unix(sec, 0)) > staleTemplateAge {
			stale = append(stale, t.name)
		}
	}
	slices.Sort(stale)
	for _, n := range stale {
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{n}.Sanitize()+` WITH (FORCE)`); err != nil {
			return err
		}
	}
	return nil
}
