package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// Hosts live in package sqlstore; the transaction's RetireHosts (tx.go)
// reaches them through this wrapper.

// retireHosts marks the live hosts among ids retired inside tx
// (sqlstore.RetireHosts).
func retireHosts(ctx context.Context, tx *sql.Tx, ids []string, retiredAt int64) error {
	return sqlstore.RetireHosts(ctx, sq{tx}, ids, retiredAt)
}
