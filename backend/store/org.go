package store

import "context"

// Org is the organization this database represents.
type Org struct {
	Name        string
	DisplayName string
}

// GetOrg returns the organization.
func (s *Store) GetOrg(ctx context.Context) (*Org, error) {
	var o Org
	err := s.read.QueryRowContext(ctx, `SELECT name, COALESCE(display_name, '') FROM org WHERE id = 1`).Scan(&o.Name, &o.DisplayName)
	if err != nil {
		return nil, err
	}
	return &o, nil
}
