package expr

import (
	"context"
	"regexp"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// StoreReader is what StoreSource needs of a store.Store.
type StoreReader interface {
	ListHosts(ctx context.Context, f store.HostFilter) ([]*store.Host, error)
	MetricNames(ctx context.Context, kind, owner string) ([]string, error)
	Points(ctx context.Context, k store.SeriesKey, from, to int64) ([]store.Point, error)
}

var _ StoreReader = store.Store(nil)

// StoreSource reads expressions' metrics from a store. An unknown host or
// service has no series (an expression monitor on it is then UNKNOWN,
// not an error of the monitor itself).
func StoreSource(st StoreReader) Source { return storeSource{st} }

type storeSource struct{ st StoreReader }

func (s storeSource) HostMetrics(ctx context.Context, hostID, pattern string, from, to int64) ([]Series, error) {
	return s.metrics(ctx, "host", hostID, pattern, from, to)
}

func (s storeSource) ServiceMetrics(ctx context.Context, service, pattern string, from, to int64) ([]Series, error) {
	return s.metrics(ctx, "service", service, pattern, from, to)
}

func (s storeSource) RoleHosts(ctx context.Context, service, role string) ([]Host, error) {
	hosts, err := s.st.ListHosts(ctx, store.HostFilter{Service: service, Roles: []string{role}})
	if err != nil {
		return nil, err
	}
	out := make([]Host, len(hosts))
	for i, h := range hosts {
		out[i] = Host{ID: h.ID, Name: h.Name}
	}
	return out, nil
}

// metrics reads the owner's series matching pattern, in name order. A
// series with no point in the range is still returned (empty), so that
// "no recent data" reads differently from "no such metric".
func (s storeSource) metrics(ctx context.Context, kind, owner, pattern string, from, to int64) ([]Series, error) {
	var names []string
	if strings.ContainsAny(pattern, "*#") {
		all, err := s.st.MetricNames(ctx, kind, owner)
		if err != nil {
			return nil, err
		}
		re := metricPattern(pattern)
		for _, n := range all {
			if re.MatchString(n) {
				names = append(names, n)
			}
		}
	} else {
		names = []string{pattern}
	}
	var out []Series
	for _, n := range names {
		pts, err := s.st.Points(ctx, store.SeriesKey{Kind: kind, Owner: owner, Name: n}, from, to)
		if _, missing := store.IsKind(err, store.KindNotFound); missing {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Series{Name: n, Points: pts})
	}
	return out, nil
}

// metricPattern compiles a metric pattern in which * and # each stand for
// one or more characters within one dot-separated part ("memory.*"
// matches memory.used, not memory.a.b). A regexp, not backtracking, so a
// pattern of many wildcards costs linear time.
func metricPattern(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); {
		j := strings.IndexAny(pattern[i:], "*#")
		if j < 0 {
			b.WriteString(regexp.QuoteMeta(pattern[i:]))
			break
		}
		b.WriteString(regexp.QuoteMeta(pattern[i : i+j]))
		b.WriteString(`[^.]+`)
		i += j + 1
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// MatchMetric reports whether name matches pattern (see metricPattern).
func MatchMetric(pattern, name string) bool { return metricPattern(pattern).MatchString(name) }
