package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// GetOrg returns the organization.
func (s *Store) GetOrg(ctx context.Context) (*store.Org, error) {
	var o store.Org
	err := s.pool.QueryRow(ctx, `SELECT name, COALESCE(display_name, '') FROM org WHERE id = 1`).Scan(&o.Name, &o.DisplayName)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// SetOrg sets the organization's name and display name.
func (s *Store) SetOrg(ctx context.Context, o store.Org) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE org SET name = $1, display_name = NULLIF($2, '') WHERE id = 1`, o.Name, o.DisplayName)
		return err
	})
}
