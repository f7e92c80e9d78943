package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/mkr-dev/mkr/backend/downtime"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// activeDowntime is a downtime in force at the snapshot's time.
type activeDowntime struct{ *downtime.Downtime }

// activeDowntimes returns the downtimes in force at now. Recurrences are
// computed in the engine's location (see SetLocation).
func (e *Engine) activeDowntimes(ctx context.Context, now time.Time) ([]activeDowntime, error) {
	list, err := e.st.ListDowntimes(ctx)
	if err != nil {
		return nil, err
	}
	var out []activeDowntime
	for _, sd := range list {
		d, err := downtime.Decode(sd.Body)
		if err != nil {
			return nil, fmt.Errorf("downtime %s: %w", sd.ID, err)
		}
		if d.ActiveAt(now, e.location()) {
			out = append(out, activeDowntime{d})
		}
	}
	return out, nil
}

// covered reports whether a downtime in force covers an alert of the
// monitor (its id and service) on the host (nil for none).
func covered(dts []activeDowntime, monitorID, service string, h *store.Host) bool {
	t := downtime.Target{MonitorID: monitorID, Service: service}
	if h != nil {
		t.HostRoles = h.Roles
	}
	for _, d := range dts {
		if d.Covers(t) {
			return true
		}
	}
	return false
}

// openable reports whether a violation of m on h may open an alert now:
// not while a downtime covers it. Violations during a downtime still
// count, so a condition that outlasts the window alerts at the next
// evaluation after it (for every type: a silent failure after a
// maintenance window is worse than an alert).
func (s *snapshot) openable(m *monitor.Monitor, h *store.Host) bool {
	return !covered(s.downtimes, m.ID, m.Service, h)
}
