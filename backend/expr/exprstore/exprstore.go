// Package exprstore feeds expr's evaluator from a store: the backend's
// expression monitors read their metrics through it. It lives apart from
// expr so that expr links only the standard library (the CLI evaluates
// dashboards' expression graphs with it over the API).
package exprstore

import (
	"context"

	"github.com/mkr-dev/mkr/backend/expr"
	"github.com/mkr-dev/mkr/backend/store"
)

// Reader is what Source needs of a store.Store.
type Reader interface {
	ListHosts(ctx context.Context, f store.HostFilter) ([]*store.Host, error)
	MetricNames(ctx context.Context, kind, owner string) ([]string, error)
	Points(ctx context.Context, k store.SeriesKey, from, to int64) ([]store.Point, error)
}

var _ Reader = store.Store(nil)

// Source reads expressions' metrics from a store. An unknown host or
// service has no series (an expression monitor on it is then UNKNOWN,
// not an error of the monitor itself).
func Source(st Reader) expr.Source { return source{st} }

type source struct{ st Reader }

func (s source) HostMetrics(ctx context.Context, hostID, pattern string, from, to int64) ([]expr.Series, error) {
	return s.metrics(ctx, "host", hostID, pattern, from, to)
}

func (s source) ServiceMetrics(ctx context.Context, service, pattern string, from, to int64) ([]expr.Series, error) {
	return s.metrics(ctx, "service", service, pattern, from, to)
}

func (s source) RoleHosts(ctx context.Context, service, role string) ([]expr.Host, error) {
	hosts, err := s.st.ListHosts(ctx, store.HostFilter{Service: service, Roles: []string{role}})
	if err != nil {
		return nil, err
	}
	out := make([]expr.Host, len(hosts))
	for i, h := range hosts {
		out[i] = expr.Host{ID: h.ID, Name: h.Name}
	}
	return out, nil
}

// metrics reads the owner's series matching pattern, in name order. A
// series with no point in the range is still returned (empty), so that
// "no recent data" reads differently from "no such metric".
func (s source) metrics(ctx context.Context, kind, owner, pattern string, from, to int64) ([]expr.Series, error) {
	var names []string
	if expr.IsPattern(pattern) {
		all, err := s.st.MetricNames(ctx, kind, owner)
		if err != nil {
			return nil, err
		}
		match := expr.MetricMatcher(pattern)
		for _, n := range all {
			if match(n) {
				names = append(names, n)
			}
		}
	} else {
		names = []string{pattern}
	}
	var out []expr.Series
	for _, n := range names {
		pts, err := s.st.Points(ctx, store.SeriesKey{Kind: kind, Owner: owner, Name: n}, from, to)
		if _, missing := store.IsKind(err, store.KindNotFound); missing {
			continue
		}
		if err != nil {
			return nil, err
		}
		series := expr.Series{Name: n, Points: make([]expr.Point, len(pts))}
		for i, p := range pts {
			series.Points[i] = expr.Point{Time: p.Time, Value: p.Value}
		}
		out = append(out, series)
	}
	return out, nil
}
