package client

import "context"

// Service is a Mackerel service with its role names.
type Service struct {
	Name  string   `json:"name"`
	Memo  string   `json:"memo"`
	Roles []string `json:"roles"`
}

// Role is a role within a service.
type Role struct {
	Name string `json:"name"`
	Memo string `json:"memo"`
}

// FindServices calls GET /api/v0/services.
func (c *Client) FindServices(ctx context.Context) ([]*Service, error) {
	var data struct {
		Services []*Service `json:"services"`
	}
	if err := c.get(ctx, "/api/v0/services", nil, &data); err != nil {
		return nil, err
	}
	if data.Services == nil {
		data.Services = []*Service{}
	}
	return data.Services, nil
}

// CreateService calls POST /api/v0/services.
func (c *Client) CreateService(ctx context.Context, name, memo string) (*Service, error) {
	var svc Service
	if err := c.post(ctx, "/api/v0/services", map[string]string{"name": name, "memo": memo}, &svc); err != nil {
		return nil, err
	}
	return &svc, nil
}

// DeleteService calls DELETE /api/v0/services/<name> and returns the
// service as it was.
func (c *Client) DeleteService(ctx context.Context, name string) (*Service, error) {
	var svc Service
	if err := c.delete(ctx, pathf("/api/v0/services/%s", name), nil, &svc); err != nil {
		return nil, err
	}
	return &svc, nil
}

// FindRoles calls GET /api/v0/services/<service>/roles.
func (c *Client) FindRoles(ctx context.Context, service string) ([]*Role, error) {
	var data struct {
		Roles []*Role `json:"roles"`
	}
	if err := c.get(ctx, pathf("/api/v0/services/%s/roles", service), nil, &data); err != nil {
		return nil, err
	}
	if data.Roles == nil {
		data.Roles = []*Role{}
	}
	return data.Roles, nil
}

// CreateRole calls POST /api/v0/services/<service>/roles.
func (c *Client) CreateRole(ctx context.Context, service, name, memo string) (*Role, error) {
	var role Role
	if err := c.post(ctx, pathf("/api/v0/services/%s/roles", service), map[string]string{"name": name, "memo": memo}, &role); err != nil {
		return nil, err
	}
	return &role, nil
}

// DeleteRole calls DELETE /api/v0/services/<service>/roles/<role>.
func (c *Client) DeleteRole(ctx context.Context, service, name string) (*Role, error) {
	var role Role
	if err := c.delete(ctx, pathf("/api/v0/services/%s/roles/%s", service, name), nil, &role); err != nil {
		return nil, err
	}
	return &role, nil
}
