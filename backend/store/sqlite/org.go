package sqlite

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// GetOrg returns the organization.
func (s *Store) GetOrg(ctx context.Context) (*store.Org, error) {
	var o store.Org
	err := s.read.QueryRowContext(ctx, `SELECT name, COALESCE(display_name, '') FROM org WHERE id = 1`).Scan(&o.Name, &o.DisplayName)
	if err != nil {
		return nil, err
	}
	return &o, nil
}
