package client

import (
	"context"
	"net/http"
	"net/url"
)

// FindHost calls GET /api/v0/hosts/<id>.
func (c *Client) FindHost(ctx context.Context, id string) (*Host, error) {
	var data struct {
		Host *Host `json:"host"`
	}
	if err := c.get(ctx, pathf("/api/v0/hosts/%s", id), nil, &data); err != nil {
		return nil, err
	}
	return data.Host, nil
}

// FindHosts calls GET /api/v0/hosts with the given filters. Without
// Statuses the server applies its default (working and standby). The
// answer is decoded as it arrives, one host at a time, so the raw listing
// (hundreds of megabytes for a large organization with big meta) is never
// held: Options.MaxResponseBytes bounds each host of it, not the whole.
func (c *Client) FindHosts(ctx context.Context, p FindHostsParam) ([]*Host, error) {
	q := url.Values{}
	if p.Service != "" {
		q.Set("service", p.Service)
	}
	for _, r := range p.Roles {
		q.Add("role", r)
	}
	if p.Name != "" {
		q.Set("name", p.Name)
	}
	for _, s := range p.Statuses {
		q.Add("status", s)
	}
	if p.CustomIdentifier != "" {
		q.Set("customIdentifier", p.CustomIdentifier)
	}
	req := &request{method: http.MethodGet, path: "/api/v0/hosts", query: q}
	if p.WithoutMeta {
		req.header = http.Header{HeaderOmitMeta: {"1"}}
	}
	var hosts []*Host
	err := c.stream(ctx, req, func(body *streamBody) error {
		var err error
		hosts, err = decodeHostList(body, p.WithoutMeta)
		return err
	})
	if err != nil {
		return nil, err
	}
	return hosts, nil
}

// FindHostByCustomIdentifier calls GET /api/v0/hosts-by-custom-identifier/<ci>.
func (c *Client) FindHostByCustomIdentifier(ctx context.Context, customIdentifier string, caseInsensitive bool) (*Host, error) {
	q := url.Values{}
	if caseInsensitive {
		q.Set("caseInsensitive", "true")
	}
	var data struct {
		Host *Host `json:"host"`
	}
	if err := c.get(ctx, pathf("/api/v0/hosts-by-custom-identifier/%s", customIdentifier), q, &data); err != nil {
		return nil, err
	}
	return data.Host, nil
}

// CreateHost calls POST /api/v0/hosts and returns the new host's id.
func (c *Client) CreateHost(ctx context.Context, p *CreateHostParam) (string, error) {
	var data struct {
		ID string `json:"id"`
	}
	if err := c.post(ctx, "/api/v0/hosts", p, &data); err != nil {
		return "", err
	}
	return data.ID, nil
}

// UpdateHost calls PUT /api/v0/hosts/<id>.
func (c *Client) UpdateHost(ctx context.Context, id string, p *UpdateHostParam) (string, error) {
	var data struct {
		ID string `json:"id"`
	}
	if err := c.put(ctx, pathf("/api/v0/hosts/%s", id), p, &data); err != nil {
		return "", err
	}
	return data.ID, nil
}

// UpdateHostStatus calls POST /api/v0/hosts/<id>/status. Setting a status is
// idempotent, so it is retried like a PUT.
func (c *Client) UpdateHostStatus(ctx context.Context, id, status string) error {
	return c.call(ctx, &request{
		method: http.MethodPost, path: pathf("/api/v0/hosts/%s/status", id),
		body: map[string]string{"status": status}, idempotent: true,
	}, nil)
}

// BulkUpdateHostStatuses calls POST /api/v0/hosts/bulk-update-statuses (≤30 ids).
func (c *Client) BulkUpdateHostStatuses(ctx context.Context, ids []string, status string) error {
	return c.call(ctx, &request{
		method: http.MethodPost, path: "/api/v0/hosts/bulk-update-statuses",
		body: map[string]any{"ids": ids, "status": status}, idempotent: true,
	}, nil)
}

// UpdateHostRoleFullnames calls PUT /api/v0/hosts/<id>/role-fullnames,
// replacing the host's whole role set.
func (c *Client) UpdateHostRoleFullnames(ctx context.Context, id string, roleFullnames []string) error {
	if roleFullnames == nil {
		roleFullnames = []string{}
	}
	return c.put(ctx, pathf("/api/v0/hosts/%s/role-fullnames", id), map[string][]string{"roleFullnames": roleFullnames}, nil)
}

// RetireHost calls POST /api/v0/hosts/<id>/retire.
func (c *Client) RetireHost(ctx context.Context, id string) error {
	return c.post(ctx, pathf("/api/v0/hosts/%s/retire", id), nil, nil)
}

// BulkRetireHosts calls POST /api/v0/hosts/bulk-retire (≤30 ids).
func (c *Client) BulkRetireHosts(ctx context.Context, ids []string) error {
	return c.post(ctx, "/api/v0/hosts/bulk-retire", map[string][]string{"ids": ids}, nil)
}

// ListHostMetricNames calls GET /api/v0/hosts/<id>/metric-names.
func (c *Client) ListHostMetricNames(ctx context.Context, id string) ([]string, error) {
	var data struct {
		Names []string `json:"names"`
	}
	if err := c.get(ctx, pathf("/api/v0/hosts/%s/metric-names", id), nil, &data); err != nil {
		return nil, err
	}
	return data.Names, nil
}

// ListMonitoredStatuses calls GET /api/v0/hosts/<id>/monitored-statuses.
func (c *Client) ListMonitoredStatuses(ctx context.Context, id string) ([]MonitoredStatus, error) {
	var data struct {
		MonitoredStatuses []MonitoredStatus `json:"monitoredStatuses"`
	}
	if err := c.get(ctx, pathf("/api/v0/hosts/%s/monitored-statuses", id), nil, &data); err != nil {
		return nil, err
	}
	return data.MonitoredStatuses, nil
}
