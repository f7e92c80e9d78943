package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// MetricValue is one point of a series.
type MetricValue struct {
	Name  string  `json:"name,omitempty"`
	Time  int64   `json:"time"`
	Value float64 `json:"value"`
}

// HostMetricValue is a point addressed to a host.
type HostMetricValue struct {
	HostID string  `json:"hostId"`
	Name   string  `json:"name"`
	Time   int64   `json:"time"`
	Value  float64 `json:"value"`
}

// LatestMetricValues maps host id → metric name → newest point (nil when
// the host has no data for that name).
type LatestMetricValues map[string]map[string]*MetricValue

// PostHostMetricValues calls POST /api/v0/tsdb. Re-posting a point
// overwrites it, so the call is retried like an idempotent one.
func (c *Client) PostHostMetricValues(ctx context.Context, values []HostMetricValue) error {
	return c.call(ctx, &request{method: http.MethodPost, path: "/api/v0/tsdb", body: values, idempotent: true}, nil)
}

// PostServiceMetricValues calls POST /api/v0/services/<service>/tsdb.
func (c *Client) PostServiceMetricValues(ctx context.Context, service string, values []MetricValue) error {
	return c.call(ctx, &request{method: http.MethodPost, path: pathf("/api/v0/services/%s/tsdb", service), body: values, idempotent: true}, nil)
}

// PostRawMetrics posts an already-encoded JSON array to a tsdb endpoint
// (the streaming `throw` builds its batches itself). service "" means host
// metrics.
func (c *Client) PostRawMetrics(ctx context.Context, service string, body []byte) error {
	path := "/api/v0/tsdb"
	if service != "" {
		path = pathf("/api/v0/services/%s/tsdb", service)
	}
	return c.call(ctx, &request{method: http.MethodPost, path: path, raw: body, idempotent: true}, nil)
}

func (c *Client) fetchMetrics(ctx context.Context, path, name string, from, to int64) ([]MetricValue, error) {
	q := url.Values{}
	q.Set("name", name)
	q.Set("from", strconv.FormatInt(from, 10))
	q.Set("to", strconv.FormatInt(to, 10))
	var data struct {
		Metrics []MetricValue `json:"metrics"`
	}
	if err := c.get(ctx, path, q, &data); err != nil {
		return nil, err
	}
	return data.Metrics, nil
}

// FetchHostMetricValues calls GET /api/v0/hosts/<id>/metrics.
func (c *Client) FetchHostMetricValues(ctx context.Context, hostID, name string, from, to int64) ([]MetricValue, error) {
	return c.fetchMetrics(ctx, pathf("/api/v0/hosts/%s/metrics", hostID), name, from, to)
}

// FetchServiceMetricValues calls GET /api/v0/services/<service>/metrics.
func (c *Client) FetchServiceMetricValues(ctx context.Context, service, name string, from, to int64) ([]MetricValue, error) {
	return c.fetchMetrics(ctx, pathf("/api/v0/services/%s/metrics", service), name, from, to)
}

// FetchLatestMetricValues calls GET /api/v0/tsdb/latest.
func (c *Client) FetchLatestMetricValues(ctx context.Context, hostIDs, names []string) (LatestMetricValues, error) {
	q := url.Values{}
	for _, h := range hostIDs {
		q.Add("hostId", h)
	}
	for _, n := range names {
		q.Add("name", n)
	}
	var data struct {
		Latest LatestMetricValues `json:"tsdbLatest"`
	}
	if err := c.get(ctx, "/api/v0/tsdb/latest", q, &data); err != nil {
		return nil, err
	}
	return data.Latest, nil
}

// ListServiceMetricNames calls GET /api/v0/services/<service>/metric-names.
func (c *Client) ListServiceMetricNames(ctx context.Context, service string) ([]string, error) {
	var data struct {
		Names []string `json:"names"`
	}
	if err := c.get(ctx, pathf("/api/v0/services/%s/metric-names", service), nil, &data); err != nil {
		return nil, err
	}
	return data.Names, nil
}
