package sqlite

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// errTODO marks store methods another change is writing right now.
var errTODO = errors.New("sqlite: not implemented yet")

func (s *Store) CreateMonitor(ctx context.Context, m *store.Monitor) error { return errTODO }
func (s *Store) GetMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	return nil, errTODO
}
func (s *Store) ListMonitors(ctx context.Context) ([]*store.Monitor, error) { return nil, errTODO }
func (s *Store) UpdateMonitor(ctx context.Context, m *store.Monitor) error  { return errTODO }
func (t *txn) DeleteMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	return nil, errTODO
}
