package store

import "context"

// Service is a stored service with its role names, sorted.
type Service struct {
	Name  string
	Memo  string
	Roles []string
}

// Role is a stored role.
type Role struct {
	Service string
	Name    string
	Memo    string
}

// ServiceStore keeps services and their roles.
type ServiceStore interface {
	// ListServices returns every service, by name, with its roles.
	ListServices(ctx context.Context) ([]*Service, error)
	// GetService returns one service with its roles.
	GetService(ctx context.Context, name string) (*Service, error)
	// CreateService stores a new service; KindConflict when it exists.
	CreateService(ctx context.Context, name, memo string) (*Service, error)
	// DeleteService removes a service and everything that belongs to it
	// (roles, host memberships, metadata, metrics) and returns it as it was.
	DeleteService(ctx context.Context, name string) (*Service, error)
	// ListRoles returns the roles of a service by name.
	ListRoles(ctx context.Context, service string) ([]*Role, error)
	// GetRole returns one role.
	GetRole(ctx context.Context, service, name string) (*Role, error)
	// CreateRole stores a role in an existing service.
	CreateRole(ctx context.Context, service, name, memo string) (*Role, error)
	// DeleteRole removes a role, hosts' membership of it and its metadata.
	DeleteRole(ctx context.Context, service, name string) (*Role, error)
}
