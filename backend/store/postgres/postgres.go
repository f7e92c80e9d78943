// Package postgres implements store.Store on PostgreSQL through pgx's
// native API (a pgxpool): the schema and its embedded migrations, the
// transactions that stand in for SQLite's single writer, and the SQL of
// every store method. Several `mkr serve` replicas may share one
// database. It knows nothing about HTTP, JSON wire shapes or the alert
// rules, exactly like package sqlite, whose behaviour it follows.
package postgres

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/idcache"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// Store is an open PostgreSQL database implementing store.Store. It is
// safe for concurrent use, also with other processes (replicas) on the
// same database.
type Store struct {
	// Core is the half of the store whose SQL both engines share
	// (package sqlstore; shared.go adapts this engine to it).
	sqlstore.Core

	pool *pgxpool.Pool
	now  func() time.Time
	// retention is how long Compact keeps metric points by default.
	retention time.Duration
	// seriesIDs remembers series ids for ingest (seriesids.go).
	seriesIDs *idcache.Cache
	// partitionsThrough is the last day whose hot partition this process
	// has seen created (partitions.go): a cache that only skips work.
	partitionsThrough atomic.Int64
}

var _ store.Store = (*Store)(nil)

// DefaultMaxConns is how many connections a store's pool opens at most
// unless the URL sets pool_max_conns. pgx's own default (4, or the number
// of CPUs) queued a replica's posts behind each other while the server
// had cores to spare: a post's transaction spends most of its time in
// round trips, not on a core. 16 per replica keeps a few replicas well
// inside PostgreSQL's default max_connections (100); set pool_max_conns
// with the number of replicas in mind.
const DefaultMaxConns = 16

// Open connects to the database dsn names (a postgres:// URL or a
// keyword/value string, as libpq reads them) and migrates it to the newest
// schema. BusyTimeout becomes the sessions' lock_timeout; SeriesCacheSize
// bounds the series-id cache (DefaultSeriesCacheSize when 0); MaxPages is
// SQLite's and ignored here.
//
// The pool holds DefaultMaxConns connections unless the URL says
// otherwise (pool_max_conns=N, pgxpool's parameter).
func Open(ctx context.Context, dsn string, opts store.Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 60 * time.Second
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the DSN, password included: keep only
		// that it failed.
		return nil, fmt.Errorf("postgres: the database URL cannot be parsed")
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	cfg.ConnConfig.RuntimeParams["lock_timeout"] = strconv.FormatInt(opts.BusyTimeout.Milliseconds(), 10)
	// Epoch-second integers everywhere; UTC keeps any server-side date
	// arithmetic (partitions by day) independent of the server's zone.
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connecting: %w", err)
	}
	if opts.Retention == 0 {
		opts.Retention = store.DefaultRetention
	}
	if opts.SeriesCacheSize == 0 {
		opts.SeriesCacheSize = DefaultSeriesCacheSize
	}
	s := &Store{pool: pool, now: opts.Now, retention: opts.Retention, seriesIDs: newSeriesIDs(opts.SeriesCacheSize)}
	s.Core = sqlstore.NewCore(sharedEngine{s}, opts.Now)
	s.partitionsThrough.Store(math.MinInt64)
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrating: %w", err)
	}
	if err := s.ensurePartitions(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: creating the day partitions of points: %w", err)
	}
	return s, nil
}

// Close releases the pool's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }
