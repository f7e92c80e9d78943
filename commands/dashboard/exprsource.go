package dashboard

import (
	"context"
	"errors"
	"net/http"

	"github.com/mkr-dev/mkr/backend/expr"
	"github.com/mkr-dev/mkr/client"
)

// apiSource feeds expression graphs from the API, as the backend's own
// source feeds expression monitors from its store: the same names, the
// same wildcard rule (expr.MetricMatcher), and an unknown host, service
// or metric gives no series rather than an error. No API endpoint
// evaluates an expression, so mkr evaluates it here, with the backend's
// evaluator (backend/expr links only the standard library).
type apiSource struct{ cl *client.Client }

func (s apiSource) HostMetrics(ctx context.Context, hostID, pattern string, from, to int64) ([]expr.Series, error) {
	names, err := s.cl.ListHostMetricNames(ctx, hostID)
	if err != nil {
		return nil, ignoreNotFound(err)
	}
	return s.read(ctx, names, pattern, func(name string) ([]client.MetricValue, error) {
		return s.cl.FetchHostMetricValues(ctx, hostID, name, from, to)
	})
}

func (s apiSource) ServiceMetrics(ctx context.Context, service, pattern string, from, to int64) ([]expr.Series, error) {
	names, err := s.cl.ListServiceMetricNames(ctx, service)
	if err != nil {
		return nil, ignoreNotFound(err)
	}
	return s.read(ctx, names, pattern, func(name string) ([]client.MetricValue, error) {
		return s.cl.FetchServiceMetricValues(ctx, service, name, from, to)
	})
}

func (s apiSource) RoleHosts(ctx context.Context, service, role string) ([]expr.Host, error) {
	hosts, err := s.cl.FindHosts(ctx, client.FindHostsParam{Service: service, Roles: []string{role}})
	if err != nil {
		return nil, ignoreNotFound(err)
	}
	out := make([]expr.Host, len(hosts))
	for i, h := range hosts {
		out[i] = expr.Host{ID: h.ID, Name: h.Name}
	}
	return out, nil
}

// read fetches the listed metrics that match pattern, in the order
// listed (the API lists names sorted).
func (s apiSource) read(ctx context.Context, names []string, pattern string, fetch func(string) ([]client.MetricValue, error)) ([]expr.Series, error) {
	match := func(n string) bool { return n == pattern }
	if expr.IsPattern(pattern) {
		match = expr.MetricMatcher(pattern)
	}
	var out []expr.Series
	for _, n := range names {
		if !match(n) {
			continue
		}
		values, err := fetch(n)
		if err != nil {
			return nil, err
		}
		series := expr.Series{Name: n, Points: make([]expr.Point, len(values))}
		for i, v := range values {
			series.Points[i] = expr.Point{Time: v.Time, Value: v.Value}
		}
		out = append(out, series)
	}
	return out, nil
}

// ignoreNotFound turns a 404 (no such host or service) into no error:
// an expression over something deleted draws nothing.
func ignoreNotFound(err error) error {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return nil
	}
	return err
}
