package engine

import (
	"context"
	"math"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/pace"
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
	// owners limits host point reads to these hosts: the snapshot's
	// (probing each one's series is far cheaper than finding a metric
	// among every host's series: 5 M at 50,000 agents).
	owners []string
	st     store.Store
	share  float64 // Engine.share
	// chunk, when above 0, replaces prefetchChunk (tests).
	chunk int
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
	return &snapshot{now: now, hosts: hosts, owners: owners, downtimes: dts, states: states, st: e.st, share: math.Float64frombits(e.share.Load()),
		recent: map[store.SeriesKey]map[string]map[string][]store.Point{}}, nil
}

// scopeHosts returns the live hosts an evaluation looks at, and the
// owners whose points it reads: all of them, or an ingest's. Without
// their meta (an agent's is ~28 KB, and no rule reads it), and an
// ingest's hosts by id, a chunk at a time: a second of posts from a fleet
// of 50,000 touches ~800 hosts, and listing the fleet for them was 10% of
// serve's CPU.
func (e *Engine) scopeHosts(ctx context.Context, sc *ingestScope) ([]*store.Host, []string, error) {
	if sc == nil {
		hosts, err := e.st.ListHosts(ctx, store.HostFilter{Statuses: allStatuses, SkipMeta: true})
		if err != nil {
			return nil, nil, err
		}
		owners := make([]string, len(hosts))
		for i, h := range hosts {
			owners[i] = h.ID
		}
		return hosts, owners, nil
	}
	ids := make([]string, 0, len(sc.hosts))
	for id := range sc.hosts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	hosts, owners := []*store.Host{}, []string{}
	for from := 0; from < len(ids); from += scopeChunk {
		chunk, err := e.st.ListHosts(ctx, store.HostFilter{IDs: ids[from:min(from+scopeChunk, len(ids))], Statuses: allStatuses, SkipMeta: true})
		if err != nil {
			return nil, nil, err
		}
		for _, h := range chunk {
			hosts, owners = append(hosts, h), append(owners, h.ID)
		}
	}
	return hosts, owners, nil
}

// scopeChunk is how many hosts one read of an ingest's hosts names
// (SQLite binds each id as a parameter).
const scopeChunk = 500

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

// prefetchChunk is how many hosts one paced read of recent points covers.
const prefetchChunk = 2000

// pacedRecentPoints is RecentPoints of the snapshot's hosts for names:
// in one read, or, when the engine is paced and the hosts many, a chunk
// of hosts at a time with rests between.
func (s *snapshot) pacedRecentPoints(ctx context.Context, names []string, n int) (map[string]map[string][]store.Point, error) {
	since := s.now.Add(-pointWindow).Unix()
	chunk := s.chunk
	if chunk <= 0 {
		chunk = prefetchChunk
	}
	if s.share <= 0 || s.share >= 1 || len(s.owners) <= chunk {
		return s.st.RecentPoints(ctx, "host", s.owners, names, since, n)
	}
	out := map[string]map[string][]store.Point{}
	rests := pace.New(s.share)
	for from := 0; from < len(s.owners); from += chunk {
		if from > 0 {
			if err := rests.Rest(ctx); err != nil {
				return nil, err
			}
		}
		got, err := s.st.RecentPoints(ctx, "host", s.owners[from:min(from+chunk, len(s.owners))], names, since, n)
		if err != nil {
			return nil, err
		}
		for owner, series := range got {
			out[owner] = series
		}
	}
	return out, nil
}

// prefetch reads the recent points of several host metric inputs (names
// or patterns) in one store call and files them under each input, so an
// evaluation of many monitors costs one read, not one per metric.
//
// n is the most points any of the monitors reading them looks back at
// (host_monitor.go takes its last Duration): reading no more lets the
// store answer from the last minutes of each series (50,000 agents'
// loadavg5 every 15 s).
func (s *snapshot) prefetch(ctx context.Context, inputs []string, n int) error {
	var todo []string
	for _, in := range inputs {
		if _, ok := s.recent[store.SeriesKey{Kind: "host", Name: in}]; !ok && !slices.Contains(todo, in) {
			todo = append(todo, in)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	got, err := s.pacedRecentPoints(ctx, todo, n)
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
