package sqlite

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// errTODO marks store methods another change is writing right now.
var errTODO = errors.New("sqlite: not implemented yet")

func (s *Store) CreateChannel(ctx context.Context, c *store.Channel, addToDefault bool) error {
	return errTODO
}
func (s *Store) GetChannel(ctx context.Context, id string) (*store.Channel, error) {
	return nil, errTODO
}
func (s *Store) ListChannels(ctx context.Context) ([]*store.Channel, error) { return nil, errTODO }
func (s *Store) UpdateChannel(ctx context.Context, c *store.Channel) error  { return errTODO }
func (s *Store) DeleteChannel(ctx context.Context, id string) (*store.Channel, error) {
	return nil, errTODO
}
func (s *Store) SuspendChannel(ctx context.Context, id string, at int64) error { return errTODO }
