package engine

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// snapshot is what one Advance reads once and every monitor shares: the
// hosts, the downtimes in force, and the recent points of each metric
// name some monitor reads.
type snapshot struct {
	now       time.Time
	hosts     []*store.Host
	downtimes []activeDowntime
	// recent caches RecentPoints by kind and metric name (or pattern):
	// twenty monitors on one metric read it once.
	recent map[store.SeriesKey]map[string]map[string][]store.Point
	st     store.Store
}

// allStatuses: the engine sees hosts in every status and decides per rule.
var allStatuses = []string{"working", "standby", "maintenance", "poweroff"}

func (e *Engine) snapshot(ctx context.Context, now time.Time) (*snapshot, error) {
	hosts, err := e.st.ListHosts(ctx, store.HostFilter{Statuses: allStatuses})
	if err != nil {
		return nil, err
	}
	dts, err := e.activeDowntimes(ctx, now)
	if err != nil {
		return nil, err
	}
	return &snapshot{now: now, hosts: hosts, downtimes: dts, st: e.st,
		recent: map[store.SeriesKey]map[string]map[string][]store.Point{}}, nil
}

// evaluated reports whether a host's status lets rules run on it:
// maintenance and poweroff hosts are not evaluated at all, so their open
// alerts stay as they are until the host is back (as the hosted service
// does: a status change never opens or closes alerts by itself).
func evaluated(h *store.Host) bool { return h.Status == "working" || h.Status == "standby" }

// recentPoints returns the newest points (up to maxDuration, within
// pointWindow of now) of every series of kind named name (or matching the
// pattern), by owner and then series name.
func (s *snapshot) recentPoints(ctx context.Context, kind, name string) (map[string]map[string][]store.Point, error) {
	key := store.SeriesKey{Kind: kind, Name: name}
	if got, ok := s.recent[key]; ok {
		return got, nil
	}
	since := s.now.Add(-pointWindow).Unix()
	got, err := s.st.RecentPoints(ctx, kind, nil, []string{name}, since, maxDuration)
	if err != nil {
		return nil, err
	}
	s.recent[key] = got
	return got, nil
}

// isPattern reports whether a metric name is a wildcard pattern.
func isPattern(name string) bool { return strings.ContainsAny(name, "*?[") }

// anyMatch reports whether a name in names matches the pattern.
func anyMatch(pattern string, names map[string]bool) bool {
	for n := range names {
		if ok, _ := path.Match(pattern, n); ok {
			return true
		}
	}
	return false
}

// downtimeTarget describes an alert target for downtime scopes.
func downtimeTarget(m *monitor.Monitor, h *store.Host) (string, map[string][]string) {
	var roles map[string][]string
	if h != nil {
		roles = h.Roles
	}
	return m.Service, roles
}
