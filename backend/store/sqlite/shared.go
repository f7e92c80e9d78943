package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// The shared half of the store (package sqlstore) reaches SQLite through
// these adapters: the read pool outside transactions, the one writer's
// transaction (s.tx) inside.

// sqlConn is what *sql.DB and *sql.Tx both offer.
type sqlConn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sq is a sqlstore.Q over a database/sql connection or transaction.
type sq struct{ c sqlConn }

func (q sq) Dialect() sqlstore.Dialect { return sqlstore.SQLite }

func (q sq) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.c.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q sq) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqRows{rows}, nil
}

func (q sq) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return sqRow{q.c.QueryRowContext(ctx, query, args...)}
}

type sqRow struct{ r *sql.Row }

func (r sqRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return err
}

type sqRows struct{ *sql.Rows }

func (r sqRows) Close() { r.Rows.Close() }

// sharedEngine is the sqlstore.Engine of a Store.
type sharedEngine struct{ s *Store }

func (e sharedEngine) Reader() sqlstore.Q { return sq{e.s.read} }

func (e sharedEngine) WriteTx(ctx context.Context, fn func(sqlstore.Q) error) error {
	return e.s.tx(ctx, func(tx *sql.Tx) error { return fn(sq{tx}) })
}
