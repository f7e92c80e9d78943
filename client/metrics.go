package client

import (
	"context"
	"encoding/json"
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

// PostMetricsResult is the answer to a tsdb POST. The hosted API answers
// {"success":true} only; mkr's backend adds how many points it stored and
// how many it refused, by reason:
//
//	{"success":true,"stored":3,"refused":{"tooOld":1,"retiredHost":0}}
//
// Stored and Refused are nil when the server did not say.
type PostMetricsResult struct {
	Success bool            `json:"success"`
	Stored  *int            `json:"stored,omitempty"`
	Refused *RefusedMetrics `json:"refused,omitempty"`
}

// RefusedMetrics counts the points of a successful post that were not
// stored, by reason; re-sending them would not store them either.
type RefusedMetrics struct {
	// TooOld: older than the back-fill window (24 h), dropped as the
	// hosted API drops them.
	TooOld int `json:"tooOld"`
	// RetiredHost: addressed to a retired host.
	RetiredHost int `json:"retiredHost"`
}

// Reported reports whether the server said how many points it stored.
func (r *PostMetricsResult) Reported() bool { return r != nil && r.Stored != nil }

// PostRawMetrics posts an already-encoded JSON array to a tsdb endpoint
// (the streaming `throw` builds its batches itself). service "" means host
// metrics.
func (c *Client) PostRawMetrics(ctx context.Context, service string, body []byte) error {
	_, err := c.PostRawMetricsResult(ctx, service, body)
	return err
}

// PostRawMetricsResult is PostRawMetrics returning the server's answer,
// with the counts of stored and refused points when the server sends them
// (see PostMetricsResult). A success whose body is not such an object
// (PostRawMetrics never read it) yields a result without counts.
func (c *Client) PostRawMetricsResult(ctx context.Context, service string, body []byte) (*PostMetricsResult, error) {
	path := "/api/v0/tsdb"
	if service != "" {
		path = pathf("/api/v0/services/%s/tsdb", service)
	}
	resp, err := c.do(ctx, &request{method: http.MethodPost, path: path, raw: body, idempotent: true})
	if err != nil {
		return nil, err
	}
	var res PostMetricsResult
	if json.Unmarshal(resp.body, &res) != nil {
		return &PostMetricsResult{Success: true}, nil
	}
	return &res, nil
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
