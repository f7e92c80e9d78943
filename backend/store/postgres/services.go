package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// Services and roles live in package sqlstore; what stays here is
// deleting a service, which deletes its time series too.

// DeleteService removes a service and everything that belongs to it (roles,
// host memberships, metadata, series) and returns it as it was.
func (s *Store) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	var svc *store.Service
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		svc, err = deleteService(ctx, tx, name)
		return err
	})
	return svc, err
}

// DeleteService removes a service as Store.DeleteService does.
func (t *txn) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	return deleteService(ctx, t.tx, name)
}

// deleteService removes a service with its roles, metadata and series.
func deleteService(ctx context.Context, tx pgx.Tx, name string) (*store.Service, error) {
	return sqlstore.DeleteService(ctx, pq{tx}, name, func() error {
		_, err := tx.Exec(ctx, `DELETE FROM series WHERE kind = 'service' AND owner = $1`, name)
		return err
	})
}
