package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// Leases are measured on the server's clock (clock_timestamp(), the time
// of the statement, not of its transaction), which every replica shares.

// TryLease takes, renews or is refused the lease (store.LeaseStore) in one
// autocommitted upsert. No SERIALIZABLE transaction is needed: under READ
// COMMITTED, INSERT … ON CONFLICT DO UPDATE locks the conflicting row and
// evaluates the WHERE on its newest committed version, so of two replicas
// racing for a free or expired lease exactly one updates it, and a first
// INSERT racing another waits on the primary key and then takes the
// conflict path.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := sqlstore.CheckLease(name, holder, ttl); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO leases (name, holder, expires_at)
		VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
		WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= clock_timestamp()`,
		name, holder, ttl.Milliseconds())
	if err != nil {
		return false, mapErr(err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease gives up holder's lease.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder)
	return mapErr(err)
}

// Lease returns the running lease called name, nil when none.
func (s *Store) Lease(ctx context.Context, name string) (*store.Lease, error) {
	var l store.Lease
	var remainingMs int64
	err := s.pool.QueryRow(ctx, `SELECT name, holder,
			floor(extract(epoch FROM expires_at - clock_timestamp()) * 1000)::bigint
		FROM leases WHERE name = $1 AND expires_at > clock_timestamp()`, name).Scan(&l.Name, &l.Holder, &remainingMs)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	l.Remaining = time.Duration(remainingMs) * time.Millisecond
	return &l, nil
}
