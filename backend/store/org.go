package store

import "context"

// Org is the organization this database represents.
type Org struct {
	Name        string
	DisplayName string
}

// OrgStore reads the organization.
type OrgStore interface {
	GetOrg(ctx context.Context) (*Org, error)
}
