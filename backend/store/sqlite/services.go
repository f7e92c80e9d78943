package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/idcache"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// Services and roles live in package sqlstore; what stays here is the
// part that touches SQLite's time series (deleting a service deletes its
// series and forgets them in the cache) and getService for metrics.go.

// getService reads one service inside the write transaction tx.
func getService(ctx context.Context, tx *sql.Tx, name string) (*store.Service, error) {
	return sqlstore.GetService(ctx, sq{c: tx}, name)
}

// DeleteService removes a service and everything that belongs to it (roles,
// host memberships, metadata, series) and returns it as it was.
func (s *Store) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	var svc *store.Service
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		svc, err = deleteService(ctx, tx, name)
		return err
	})
	if err == nil {
		s.forgetServiceSeries(name)
	}
	return svc, err
}

// forgetServiceSeries drops a deleted service's series from the cache.
func (s *Store) forgetServiceSeries(name string) {
	s.series.ForgetOwner(idcache.Owner{Kind: "service", Name: name})
}

// deleteService removes a service with its roles, metadata and series.
func deleteService(ctx context.Context, tx *sql.Tx, name string) (*store.Service, error) {
	return sqlstore.DeleteService(ctx, sq{c: tx}, name, func() error {
		return deleteOwnerSeries(ctx, tx, "service", name)
	})
}
