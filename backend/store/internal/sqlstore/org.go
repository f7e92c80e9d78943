package sqlstore

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// GetOrg returns the organization.
func (c Core) GetOrg(ctx context.Context) (*store.Org, error) {
	var o store.Org
	err := c.E.Reader().QueryRow(ctx, `SELECT name, COALESCE(display_name, '') FROM org WHERE id = 1`).Scan(&o.Name, &o.DisplayName)
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// SetOrg sets the organization's name and display name.
func (c Core) SetOrg(ctx context.Context, o store.Org) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		_, err := q.Exec(ctx, `UPDATE org SET name = ?, display_name = NULLIF(?, '') WHERE id = 1`, o.Name, o.DisplayName)
		return err
	})
}
