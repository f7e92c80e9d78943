package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// GraphDefsParam is a custom graph definition.
type GraphDefsParam struct {
	Name        string            `json:"name"`
	DisplayName string            `json:"displayName,omitempty"`
	Unit        string            `json:"unit,omitempty"`
	Metrics     []GraphDefsMetric `json:"metrics"`
}

// GraphDefsMetric is one metric of a graph definition.
type GraphDefsMetric struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	IsStacked   bool   `json:"isStacked"`
}

// CreateGraphDefs calls POST /api/v0/graph-defs/create.
func (c *Client) CreateGraphDefs(ctx context.Context, defs []GraphDefsParam) error {
	return c.call(ctx, &request{method: http.MethodPost, path: "/api/v0/graph-defs/create", body: defs, idempotent: true}, nil)
}

// DeleteGraphDef calls DELETE /api/v0/graph-defs with {"name": name}.
func (c *Client) DeleteGraphDef(ctx context.Context, name string) error {
	return c.delete(ctx, "/api/v0/graph-defs", map[string]string{"name": name}, nil)
}

// DeleteServiceGraphDef calls DELETE /api/v0/services/<service>/graph-defs/<graph>.
func (c *Client) DeleteServiceGraphDef(ctx context.Context, service, graph string) error {
	return c.delete(ctx, pathf("/api/v0/services/%s/graph-defs/%s", service, graph), nil, nil)
}

// GraphAnnotation marks an interval on a service's graphs. Field order and
// omitempty follow mackerel-client-go, so printed JSON matches upstream.
type GraphAnnotation struct {
	ID          string   `json:"id,omitempty"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	From        int64    `json:"from,omitempty"`
	To          int64    `json:"to,omitempty"`
	Service     string   `json:"service,omitempty"`
	Roles       []string `json:"roles,omitempty"`
}

// CreateGraphAnnotation calls POST /api/v0/graph-annotations.
func (c *Client) CreateGraphAnnotation(ctx context.Context, a *GraphAnnotation) (*GraphAnnotation, error) {
	var out GraphAnnotation
	if err := c.post(ctx, "/api/v0/graph-annotations", a, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FindGraphAnnotations calls GET /api/v0/graph-annotations.
func (c *Client) FindGraphAnnotations(ctx context.Context, service string, from, to int64) ([]*GraphAnnotation, error) {
	q := url.Values{}
	q.Set("service", service)
	q.Set("from", strconv.FormatInt(from, 10))
	q.Set("to", strconv.FormatInt(to, 10))
	var data struct {
		GraphAnnotations []*GraphAnnotation `json:"graphAnnotations"`
	}
	if err := c.get(ctx, "/api/v0/graph-annotations", q, &data); err != nil {
		return nil, err
	}
	if data.GraphAnnotations == nil {
		data.GraphAnnotations = []*GraphAnnotation{}
	}
	return data.GraphAnnotations, nil
}

// UpdateGraphAnnotation calls PUT /api/v0/graph-annotations/<id>.
func (c *Client) UpdateGraphAnnotation(ctx context.Context, id string, a *GraphAnnotation) (*GraphAnnotation, error) {
	var out GraphAnnotation
	if err := c.put(ctx, pathf("/api/v0/graph-annotations/%s", id), a, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteGraphAnnotation calls DELETE /api/v0/graph-annotations/<id>.
func (c *Client) DeleteGraphAnnotation(ctx context.Context, id string) (*GraphAnnotation, error) {
	var out GraphAnnotation
	if err := c.delete(ctx, pathf("/api/v0/graph-annotations/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
