// Package sqlstore holds the store code whose SQL is the same on SQLite
// and PostgreSQL, written once. Each engine's store embeds a Core and
// gives it an Engine: a reader, its own write transaction (SQLite's one
// IMMEDIATE writer, PostgreSQL's SERIALIZABLE transaction retried on
// conflicts) and the Q adapter over its driver. What really differs
// between the engines (time-series storage, migrations, locking, a
// sequence or a JSON operator) stays in the engine's package or is chosen
// with Dialect.
//
// Statements use ? placeholders; the PostgreSQL adapter numbers them
// ($1, $2, …) once per statement text (Rebind). Statements here must
// therefore not use PostgreSQL's jsonb ? operators.
package sqlstore

import (
	"context"
	"errors"
	"time"
)

// Dialect names the engine a Q talks to, for the few fragments that
// differ (a JSON field, a sequence).
type Dialect uint8

const (
	SQLite Dialect = iota + 1
	Postgres
)

// Q runs statements on a pool or inside a transaction of either engine.
type Q interface {
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow's Scan returns ErrNoRows when there was no row.
	QueryRow(ctx context.Context, query string, args ...any) Row
	Dialect() Dialect
}

// Row is one result row.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set; Close is safe to call more than once.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// ErrNoRows is what Row.Scan returns, on either engine, when the query
// matched nothing (the adapters translate database/sql's and pgx's own).
var ErrNoRows = errors.New("sqlstore: no rows in result set")

// Engine is what a store gives its Core.
type Engine interface {
	// Reader serves reads outside a transaction.
	Reader() Q
	// WriteTx runs fn in one write transaction, committing when it
	// returns nil. An engine may run fn more than once (PostgreSQL retries
	// serialization conflicts), so fn must have no effect outside the
	// transaction.
	WriteTx(ctx context.Context, fn func(Q) error) error
}

// Core implements the store methods shared by both engines; each engine's
// Store embeds one, so those methods are promoted into its store.Store.
type Core struct {
	E Engine
	// Now is the store's clock (store.Options.Now).
	Now func() time.Time
}

// NewCore returns the shared half of a store over e.
func NewCore(e Engine, now func() time.Time) Core { return Core{E: e, Now: now} }

// Order is the column that orders a table's rows by insertion: SQLite's
// rowid, or the seq column PostgreSQL's tables carry instead.
func (d Dialect) Order() string {
	if d == Postgres {
		return "seq"
	}
	return "rowid"
}
