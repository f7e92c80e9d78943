package sqlite

import (
	"context"
	"database/sql"
)

// nextSeq returns the next sequence number of a table with a seq column,
// for the inserts still written here; the shared ones use
// sqlstore.Dialect.NextSeq.
func nextSeq(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM `+table).Scan(&seq)
	return seq, err
}
