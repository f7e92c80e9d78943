package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/monitor"
)

// evaluateConnectivity finds the watched hosts that have gone silent: a
// working host whose last metric post is connectivityGone old or older
// is in alertStatusOnGone (CRITICAL by default); one that posts again is
// OK. Hosts that never posted a metric (registered by hand, say) are not
// watched. A standby host is evaluated only to close: standby hosts are
// not watched for connectivity, but an alert opened while it was working
// closes once data returns.
//
// The rule is time-driven: its evaluations are keyed by the minute, so
// repeated Advances within a minute change nothing.
//
// After a post (snap.ingest) only the posted hosts with a state row — an
// open or pending connectivity alert — are evaluated, so that one closes
// as soon as its host posts again, and a post costs no read otherwise.
func (e *Engine) evaluateConnectivity(ctx context.Context, m *monitor.Monitor, snap *snapshot) ([]result, error) {
	hosts := snap.hosts
	var last map[string]int64
	var err error
	if snap.ingest {
		hosts = nil
		var ids []string
		for _, h := range snap.hosts {
			if _, held := snap.states[m.ID][h.ID]; held {
				hosts, ids = append(hosts, h), append(ids, h.ID)
			}
		}
		if len(hosts) == 0 {
			return nil, nil
		}
		last, err = e.st.LastMetricPosts(ctx, ids)
	} else {
		last, err = snap.lastMetricPosts(ctx)
	}
	if err != nil {
		return nil, err
	}
	now := snap.now.Unix()
	tick := now - now%60
	gone := int64(connectivityGone.Seconds())
	status := m.AlertStatusOnGone
	if status == "" {
		status = statusCritical
	}
	var out []result
	for _, h := range hosts {
		if !evaluated(h) || !inScope(h, m.Scopes, m.ExcludeScopes) {
			continue
		}
		at, ok := last[h.ID]
		if !ok {
			continue
		}
		r := result{target: h.ID, hostStatus: h.Status, status: statusOK, dataAt: tick, attempts: 1}
		if now-at >= gone {
			if h.Status != "working" {
				continue
			}
			r.status = status
			// A downtime does not hide a loss that outlasts it: the
			// next evaluation after the window opens the alert.
			r.openable = snap.openable(m, h)
		}
		out = append(out, r)
	}
	return out, nil
}
