package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// Leases are measured on the machine's real clock in milliseconds: every
// process on a SQLite file runs on this machine, and the store's own clock
// may be a stopped test clock.

// TryLease takes, renews or is refused the lease (store.LeaseStore). One
// upsert in a write transaction: SQLite's single writer orders two
// processes' attempts, and the WHERE of the update decides.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := sqlstore.CheckLease(name, holder, ttl); err != nil {
		return false, err
	}
	now := time.Now()
	var taken bool
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
			name, holder, now.Add(ttl).UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		taken = n == 1
		return err
	})
	return taken, err
}

// ReleaseLease gives up holder's lease.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
		return err
	})
}

// Lease returns the running lease called name, nil when none.
func (s *Store) Lease(ctx context.Context, name string) (*store.Lease, error) {
	now := time.Now().UnixMilli()
	var l store.Lease
	var expires int64
	err := s.read.QueryRowContext(ctx, `SELECT name, holder, expires_at FROM leases WHERE name = ? AND expires_at > ?`,
		name, now).Scan(&l.Name, &l.Holder, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.Remaining = time.Duration(expires-now) * time.Millisecond
	return &l, nil
}
