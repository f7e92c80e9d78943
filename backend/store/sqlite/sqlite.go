// Package sqlite implements store.Store in SQLite (pure Go,
// modernc.org/sqlite): the schema and its embedded migrations, WAL and
// busy-timeout settings, and the SQL of every store method. It knows
// nothing about HTTP, JSON wire shapes or the alert rules.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlitelib "modernc.org/sqlite/lib"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/idcache"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open database implementing store.Store. It is safe for
// concurrent use, also with other processes on the same file.
type Store struct {
	// Core is the half of the store whose SQL both engines share
	// (package sqlstore; shared.go adapts this engine to it).
	sqlstore.Core

	path string
	// read serves queries; write is a single connection whose transactions
	// start IMMEDIATE, so writers queue on the busy timeout instead of
	// failing with SQLITE_BUSY when a read lock would need upgrading.
	read *sql.DB
	// readStmts prepares the read pool's statements once (stmtcache.go).
	readStmts *stmtCache
	write     *sql.DB
	now       func() time.Time
	// series caches the time-series dictionary (series key → id), bounded
	// by store.Options.SeriesCacheSize.
	series *idcache.Cache
	// ingest groups concurrent metric inserts into shared transactions
	// (groupcommit.go).
	ingest *committer
	// retention is how long Compact keeps metric points by default.
	retention time.Duration
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database at path and migrates it to
// the newest schema.
func Open(ctx context.Context, path string, opts store.Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 60 * time.Second
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating database directory: %w", err)
		}
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	if opts.SeriesCacheSize == 0 {
		opts.SeriesCacheSize = DefaultSeriesCacheSize
	}
	if opts.Retention == 0 {
		opts.Retention = store.DefaultRetention
	}
	s := &Store{path: path, now: opts.Now, series: idcache.New(opts.SeriesCacheSize, seriesCacheBytes), retention: opts.Retention}
	s.Core = sqlstore.NewCore(sharedEngine{s}, opts.Now)
	s.ingest = &committer{s: s, gather: gatherDelay, sustained: sustainedGap}
	var err error
	if s.write, err = openDB(path, opts.BusyTimeout, opts.MaxPages, true); err != nil {
		return nil, err
	}
	s.write.SetMaxOpenConns(1)
	if s.read, err = openDB(path, opts.BusyTimeout, 0, false); err != nil {
		s.write.Close()
		return nil, err
	}
	// Reads share a bounded pool of connections that stay open: opening
	// one parses the schema (milliseconds), and with database/sql's
	// defaults (no cap, 2 idle) a burst of requests opened and closed
	// hundreds — 72% of serve's CPU under 50,000 simulated agents was
	// opening connections for each request's API-key check.
	s.read.SetMaxOpenConns(readConns)
	s.read.SetMaxIdleConns(readConns)
	s.read.SetConnMaxIdleTime(time.Minute)
	s.readStmts = newStmtCache(s.read)
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrating %s: %w", path, err)
	}
	return s, nil
}

// readConns bounds the read connections: SQLite reads run in parallel
// in WAL mode, but they are CPU-bound, so more than a few per core only
// add memory (each has its own page cache, up to 2 MB).
const readConns = 16

// writeCacheKiB is the write connection's page cache: 16 MiB. It holds
// the b-trees' inner pages, which every insert walks; the leaves a fleet
// writes to (5 M series at 50,000 agents) fit no reasonable cache anyway
// and are read back from the OS's. Bigger costs at every commit: SQLite
// ends a write transaction by scanning its whole page cache when the
// database is under 1 GiB (a page split parks a page at the number past
// 1 GiB for a moment, and that marks the cache as holding pages past the
// end), and at 64 MiB that scan was 8% of serve's CPU under 50,000
// agents, and the cache 70 MB of its RSS.
const writeCacheKiB = 16 << 10

func openDB(path string, busy time.Duration, maxPages int, immediate bool) (*sql.DB, error) {
	q := url.Values{}
	// busy_timeout must come first so the journal-mode switch also waits.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// NORMAL is durable across application crashes in WAL mode; only an OS
	// crash can lose the last transactions, never corrupt the file.
	q.Add("_pragma", "synchronous(NORMAL)")
	if maxPages > 0 {
		// Per connection, so in the DSN: the pool may reconnect.
		q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", maxPages))
	}
	if immediate {
		q.Set("_txlock", "immediate")
		// The one writer's page cache (SQLite's default is 2 MB): metric
		// ingest updates the points and series b-trees all over, and
		// with too small a cache every insert rereads and rewrites
		// pages. Pages are allocated as used, so a small database
		// stays small in memory.
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", -writeCacheKiB))
		// Statement journals (the pages a statement would restore if it
		// failed half-way) in memory, not in a temporary file: one
		// write() per page an insert first touched was a sixth of
		// ingest's CPU (profile of BenchmarkIngestAgentPosts). They
		// hold one statement's pages at a time.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return db, nil
}

// Close releases the database.
func (s *Store) Close() error {
	s.readStmts.close()
	return errors.Join(s.read.Close(), s.write.Close())
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// migrate applies, in one immediate transaction, every embedded migration
// newer than PRAGMA user_version (re-read under the lock). Concurrent first
// runs queue on the lock and the later ones find nothing to do.
func (s *Store) migrate(ctx context.Context) error {
	names, err := migrationFS.ReadDir("migrations")
	if err != nil {
		return err
	}
	files := make([]string, 0, len(names))
	for _, n := range names {
		files = append(files, n.Name())
	}
	sort.Strings(files)

	// Every command opens the database; an up-to-date one needs no write
	// lock at all (a hundred cron jobs starting at once would queue on it).
	var current int
	if err := s.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current == len(files) {
		return nil
	}

	return s.tx(ctx, func(tx *sql.Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		if version > len(files) {
			return fmt.Errorf("database schema version %d is newer than this mkr (%d); upgrade mkr", version, len(files))
		}
		for i := version; i < len(files); i++ {
			body, err := migrationFS.ReadFile("migrations/" + files[i])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", files[i], err)
			}
		}
		if version != len(files) {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(files))); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO org (id, name) VALUES (1, 'local')`)
		return err
	})
}

// tx runs fn in a write transaction, committing when it returns nil. A
// full database or disk (SQLITE_FULL, from any statement or the commit)
// becomes a store.KindFull error; the transaction is rolled back, so the
// write changed nothing.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return classify(fmt.Errorf("starting transaction: %w", err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return classify(err)
	}
	if err := tx.Commit(); err != nil {
		return classify(fmt.Errorf("committing: %w", err))
	}
	return nil
}

// classify turns SQLite's "database or disk is full" into a typed store
// error and leaves every other error as it is.
func classify(err error) error {
	if errors.Is(err, store.ErrFull) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlitelib.SQLITE_FULL {
		return store.Full(err)
	}
	return err
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// createPrivate creates the database file readable by its owner only (it
// holds API key hashes and everything the organization posted); SQLite
// gives its -wal and -shm files the same mode. An existing file is left as
// it is: its mode is the operator's choice.
func createPrivate(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("creating the database file: %w", err)
	}
	return f.Close()
}
