package backend

import (
	"context"
	"errors"
)

// ErrNoBackup: the store's engine is backed up with its own tools
// (PostgreSQL: pg_dump), not by mkr.
var ErrNoBackup = errors.New("this database is backed up with its engine's own tools (pg_dump for PostgreSQL), not by mkr")

// backuper is a store that copies itself while in use (SQLite).
type backuper interface {
	Backup(ctx context.Context, dest string) (int64, error)
}

// Backup writes a consistent copy of the database to dest, a new file
// readable by its owner only, while other processes go on writing, and
// returns its size (`mkr db backup`). ErrNoBackup on PostgreSQL.
func (b *Backend) Backup(ctx context.Context, dest string) (int64, error) {
	bk, ok := b.store.(backuper)
	if !ok {
		return 0, ErrNoBackup
	}
	return bk.Backup(ctx, dest)
}
