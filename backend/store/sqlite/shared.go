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

// sq is a sqlstore.Q over a database/sql connection or transaction; over
// the read pool, with its statement cache.
type sq struct {
	c     sqlConn
	stmts *stmtCache // nil: statements are prepared per call
}

func (q sq) Dialect() sqlstore.Dialect { return sqlstore.SQLite }

func (q sq) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := q.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = q.c.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q sq) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	var rows *sql.Rows
	var err error
	if st := q.stmt(ctx, query); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = q.c.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqRows{rows}, nil
}

func (q sq) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	if st := q.stmt(ctx, query); st != nil {
		return sqRow{st.QueryRowContext(ctx, args...)}
	}
	return sqRow{q.c.QueryRowContext(ctx, query, args...)}
}

func (q sq) stmt(ctx context.Context, query string) *sql.Stmt {
	if q.stmts == nil {
		return nil
	}
	return q.stmts.get(ctx, query)
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

func (e sharedEngine) Reader() sqlstore.Q { return sq{c: e.s.read, stmts: e.s.readStmts} }

func (e sharedEngine) WriteTx(ctx context.Context, fn func(sqlstore.Q) error) error {
	return e.s.tx(ctx, func(tx *sql.Tx) error { return fn(sq{c: tx}) })
}
