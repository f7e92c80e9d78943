package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// The shared half of the store (package sqlstore) reaches PostgreSQL
// through these adapters: the pool outside transactions, a SERIALIZABLE
// transaction retried on conflicts (s.tx) inside. Statements arrive with
// ? placeholders and are numbered by sqlstore.Rebind.

// pq is a sqlstore.Q over the pool or a transaction.
type pq struct{ c db }

func (q pq) Dialect() sqlstore.Dialect { return sqlstore.Postgres }

func (q pq) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.c.Exec(ctx, sqlstore.Rebind(query), args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}

func (q pq) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := q.c.Query(ctx, sqlstore.Rebind(query), args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return rows, nil
}

func (q pq) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return pqRow{q.c.QueryRow(ctx, sqlstore.Rebind(query), args...)}
}

type pqRow struct{ r pgx.Row }

func (r pqRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return mapErr(err)
}

// sharedEngine is the sqlstore.Engine of a Store.
type sharedEngine struct{ s *Store }

func (e sharedEngine) Reader() sqlstore.Q { return pq{e.s.pool} }

func (e sharedEngine) WriteTx(ctx context.Context, fn func(sqlstore.Q) error) error {
	return e.s.tx(ctx, func(tx pgx.Tx) error { return fn(pq{tx}) })
}
