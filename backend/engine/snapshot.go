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
// downtimes in force and the monitors' states; and, for the chunk of hosts
// being evaluated (host_pass.go), those hosts, their recent points of each
// metric name some monitor reads, and when they last posted.
type snapshot struct {
	now       time.Time
	downtimes []activeDowntime
	// states are the stored states by monitor and target: rows exist
	// only while something is pending or open, so they are few.
	states map[string]map[string]*store.MonitorState
	st     store.Store

	// hosts are the chunk's hosts (host_pass.go), nil outside a chunk.
	hosts []*store.Host
	// owners are the chunk's host ids: host point reads probe these
	// hosts' series (far cheaper than finding a metric among every
	// host's series: 5 M at 50,000 agents).
	owners []string
	// recent caches RecentPoints by kind and metric name (or pattern):
	// twenty monitors on one metric read it once.
	recent map[store.SeriesKey]map[string]map[string][]store.Point
	// lastPosts are the chunk's hosts' last metric posts (connectivity),
	// read once per chunk when a connectivity monitor is evaluated.
	lastPosts map[string]int64
	// ingest: the chunk is hosts that just posted (AdvanceIngest).
	ingest bool

	// fleet is every live host, read only when a rule needs the whole
	// fleet at once (anomaly detection's models): see allHosts.
	fleet []*store.Host
}

// allStatuses: the engine sees hosts in every status and decides per rule.
var allStatuses = []string{"working", "standby", "maintenance", "poweroff"}

func (e *Engine) snapshot(ctx context.Context, now time.Time) (*snapshot, error) {
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
	return &snapshot{now: now, downtimes: dts, states: states, st: e.st}, nil
}

// forHosts returns the snapshot narrowed to a chunk of hosts: what the
// fleet shares, and nothing yet read about the chunk.
func (s *snapshot) forHosts(hosts []*store.Host, ingest bool) *snapshot {
	owners := make([]string, len(hosts))
	for i, h := range hosts {
		owners[i] = h.ID
	}
	return &snapshot{now: s.now, downtimes: s.downtimes, states: s.states, st: s.st,
		hosts: hosts, owners: owners, ingest: ingest, recent: map[store.SeriesKey]map[string]map[string][]store.Point{}}
}

// allHosts returns every live host without its meta, read once per
// snapshot: for the rules that need the fleet at once.
func (s *snapshot) allHosts(ctx context.Context) ([]*store.Host, error) {
	if s.fleet == nil {
		hosts, err := s.st.ListHosts(ctx, store.HostFilter{Statuses: allStatuses, SkipMeta: true})
		if err != nil {
			return nil, err
		}
		s.fleet = hosts
	}
	return s.fleet, nil
}

// hostsByID returns the live hosts among ids (alerts' hosts), by id.
func (s *snapshot) hostsByID(ctx context.Context, ids []string) (map[string]*store.Host, error) {
	out := make(map[string]*store.Host, len(ids))
	err := eachHostByID(ctx, s.st, ids, func(h *store.Host) error {
		out[h.ID] = h
		return nil
	})
	return out, err
}

// eachHostByID calls fn with each live host among ids (without meta), in
// id order, reading idChunk ids at a time.
func eachHostByID(ctx context.Context, st store.Store, ids []string, fn func(*store.Host) error) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for from := 0; from < len(ids); from += idChunk {
		hosts, err := st.ListHosts(ctx, store.HostFilter{IDs: ids[from:min(from+idChunk, len(ids))], Statuses: allStatuses, SkipMeta: true})
		if err != nil {
			return err
		}
		for _, h := range hosts {
			if err := fn(h); err != nil {
				return err
			}
		}
	}
	return nil
}

// idChunk is how many hosts one read of hosts by id names (SQLite binds
// each id as a parameter).
const idChunk = 500

// evaluated reports whether a host's status lets rules run on it:
// maintenance and poweroff hosts are not evaluated at all, so their open
// alerts stay as they are until the host is back (as the hosted service
// does: a status change never opens or closes alerts by itself).
func evaluated(h *store.Host) bool { return h.Status == "working" || h.Status == "standby" }

// recentPoints returns the newest points (up to maxDuration, within
// pointWindow of now) of every series of kind named name (or matching the
// pattern), by owner and then series name: of the chunk's hosts for kind
// "host".
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
	if s.recent == nil {
		s.recent = map[store.SeriesKey]map[string]map[string][]store.Point{}
	}
	s.recent[key] = got
	return got, nil
}

// lastMetricPosts returns when the chunk's hosts last posted a metric,
// read once per chunk.
func (s *snapshot) lastMetricPosts(ctx context.Context) (map[string]int64, error) {
	if s.lastPosts == nil {
		last, err := s.st.LastMetricPosts(ctx, s.owners)
		if err != nil {
			return nil, err
		}
		s.lastPosts = last
	}
	return s.lastPosts, nil
}

// prefetch reads the recent points of several host metric inputs (names
// or patterns) of the chunk's hosts in one store call and files them
// under each input, so an evaluation of many monitors costs one read, not
// one per metric.
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
	got, err := s.st.RecentPoints(ctx, "host", s.owners, todo, s.now.Add(-pointWindow).Unix(), n)
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
