package sqlite

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

func (s *Store) CreateDowntime(ctx context.Context, d *store.Downtime) error { return errTODO }
func (s *Store) GetDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	return nil, errTODO
}
func (s *Store) ListDowntimes(ctx context.Context) ([]*store.Downtime, error) { return nil, errTODO }
func (s *Store) UpdateDowntime(ctx context.Context, d *store.Downtime) error  { return errTODO }
func (s *Store) DeleteDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	return nil, errTODO
}
