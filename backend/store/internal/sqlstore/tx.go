package sqlstore

import (
	"context"
	"time"
)

// Tx is the half of store.Tx whose SQL both engines share, over one write
// transaction. Each engine's txn embeds one and adds what stays its own
// (cache upkeep after commit, time-series deletions); a method the
// engine's txn defines itself takes precedence over the embedded one.
type Tx struct {
	// Q is the transaction.
	Q Q
	// Clock is the store's clock.
	Clock func() time.Time
}

// NewTx returns the shared half of a store.Tx over the transaction q.
func NewTx(q Q, clock func() time.Time) *Tx { return &Tx{Q: q, Clock: clock} }

// Now is the store's clock.
func (t *Tx) Now() time.Time { return t.Clock() }

// collect returns a reader of every row of a query's result, each read
// with scan; the rows are closed, the query's error passed through, and
// an empty result is nil. It is used as collect(scan)(q.Query(…)).
func collect[T any](scan func(Row) (T, error)) func(Rows, error) ([]T, error) {
	return func(rows Rows, err error) ([]T, error) {
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
}

// scanString reads a one-column row of text.
func scanString(row Row) (string, error) {
	var s string
	return s, row.Scan(&s)
}

// mustAffect turns "no row changed" into err: an update or delete by id
// that found nothing.
func mustAffect(n int64, err error, missing error) error {
	if err != nil {
		return err
	}
	if n == 0 {
		return missing
	}
	return nil
}

// execAll runs each statement with the same arguments, in order.
func execAll(ctx context.Context, q Q, args []any, stmts ...string) error {
	for _, s := range stmts {
		if _, err := q.Exec(ctx, s, args...); err != nil {
			return err
		}
	}
	return nil
}
