package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// ensureHostCheckMonitors creates the monitors a host's checks list names
// (host registration, hosts.go); the SQL is shared (package sqlstore).
func ensureHostCheckMonitors(ctx context.Context, tx *sql.Tx, checks []byte) error {
	return sqlstore.EnsureHostCheckMonitors(ctx, sq{tx}, checks)
}
