package engine

import (
	"context"
	"path"
	"slices"
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
	// states are the stored states by monitor and target: rows exist
	// only while something is pending or open, so they are few.
	states map[string]map[string]*store.MonitorState
	// owners limits point reads to these hosts (an ingest's); nil reads
	// every host's.
	owners []string
	st     store.Store
}

// allStatuses: the engine sees hosts in every status and decides per rule.
var allStatuses = []string{"working", "standby", "maintenance", "poweroff"}

func (e *Engine) snapshot(ctx context.Context, now time.Time, sc *ingestScope) (*snapshot, error) {
	hosts, owners, err := e.scopeHosts(ctx, sc)
	if err != nil {
		return nil, err
	}
	dts, err := e.activeDowntimes(ctx, now)
	if err != nil {
		return nil, err
	}
	list, err := e.st.MonitorStates(ctx, "")
	if err != nil {
		return nil, err
	}
	states := map[string]map[string]*store.MonitorState{}
	for _, st := range list {
		if states[st.MonitorID] == nil {
			states[st.MonitorID] = map[string]*store.MonitorState{}
		}
		states[st.MonitorID][st.Target] = st
	}
	return &snapshot{now: now, hosts: hosts, owners: owners, downtimes: dts, states: states, st: e.st,
		recent: map[store.SeriesKey]map[string]map[string][]store.Point{}}, nil
}

// scopeHosts returns the live hosts an evaluation looks at: all of them,
// or an ingest's (read one by one when few: a post from one agent must not
// cost a listing of the fleet).
func (e *Engine) scopeHosts(ctx context.Context, sc *ingestScope) ([]*store.Host, []string, error) {
	if sc == nil || len(sc.hosts) > 100 {
		hosts, err := e.st.ListHosts(ctx, store.HostFilter{Statuses: allStatuses})
		if err != nil || sc == nil {
			return hosts, nil, err
		}
		kept, owners := hosts[:0], []string{}
		for _, h := range hosts {
			if sc.hosts[h.ID] {
				kept, owners = append(kept, h), append(owners, h.ID)
			}
		}
		return kept, owners, nil
	}
	hosts, owners := []*store.Host{}, []string{}
	for id := range sc.hosts {
		h, err := e.st.GetHost(ctx, id)
		if _, gone := store.IsKind(err, store.KindNotFound); gone {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !h.IsRetired {
			hosts, owners = append(hosts, h), append(owners, id)
		}
	}
	return hosts, owners, nil
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
	var owners []string
	if kind == "host" {
		owners = s.owners
	}
	got, err := s.st.RecentPoints(ctx, kind, owners, []string{name}, since, maxDuration)
	if err != nil {
		return nil, err
	}
	s.recent[key] = got
	return got, nil
}

// prefetch reads the recent points of several host metric inputs (names
// or patterns) in one store call and files them under each input, so an
// evaluation of many monitors costs one read, not one per metric.
func (s *snapshot) prefetch(ctx context.Context, inputs []string) error {
	var todo []string
	for _, in := range inputs {
		if _, ok := s.recent[store.SeriesKey{Kind: "host", Name: in}]; !ok && !slices.Contains(todo, in) {
			todo = append(todo, in)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	got, err := s.st.RecentPoints(ctx, "host", s.owners, todo, s.now.Add(-pointWindow).Unix(), maxDuration)
	if err != nil {
		return err
	}
	for _, in := range todo {
		byOwner := map[string]map[string][]store.Point{}
		for owner, series := range got {
			for name, pts := range series {
				if name == in || (isPattern(in) && globMatch(in, name)) {
					if byOwner[owner] == nil {
						byOwner[owner] = map[string][]store.Point{}
					}
					byOwner[owner][name] = pts
				}
			}
		}
		s.recent[store.SeriesKey{Kind: "host", Name: in}] = byOwner
	}
	return nil
}

// globMatch matches a metric name against a pattern as SQLite's GLOB
// does for the patterns monitors use (* ? and classes; path.Match has
// the same rules when names have no slash).
func globMatch(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}

// isPattern reports whether a metric name is a wildcard pattern.
func isPattern(name string) bool { return strings.ContainsAny(name, "*?[") }

// anyMatch reports whether a name in names matches the pattern.
func anyMatch(pattern string, names map[string]bool) bool {
	for n := range names {
		if globMatch(pattern, n) {
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
