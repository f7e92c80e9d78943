package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/monitor"
)

// MonitorStatus is the current status of one monitor on a host.
type MonitorStatus struct {
	MonitorID string
	Status    string
}

// HostMonitorStatuses returns the status of every monitor that watches the
// host (host metric, connectivity and anomaly-detection monitors in whose
// scope it is): the latest evaluated status, or OK when nothing is
// pending or open. Host metric monitors count only once the host has
// posted their metric, as they watch only such hosts. Check monitors are
// not included: the caller adds them (they carry a detail).
func (e *Engine) HostMonitorStatuses(ctx context.Context, hostID string) ([]MonitorStatus, error) {
	h, err := e.st.GetHost(ctx, hostID)
	if err != nil {
		return nil, err
	}
	list, err := e.st.ListMonitors(ctx)
	if err != nil {
		return nil, err
	}
	var names map[string]bool
	var out []MonitorStatus
	for _, sm := range list {
		if sm.Type != monitor.TypeHost && sm.Type != monitor.TypeConnectivity && sm.Type != monitor.TypeAnomalyDetection {
			continue
		}
		m, err := monitor.Decode(sm.Body)
		if err != nil {
			return nil, err
		}
		if !inScope(h, m.Scopes, m.ExcludeScopes) {
			continue
		}
		if m.Type == monitor.TypeHost {
			if names == nil {
				if names, err = e.metricNameSet(ctx, hostID); err != nil {
					return nil, err
				}
			}
			if !watchesAny(m, names) {
				continue
			}
		}
		status := statusOK
		states, err := e.states(ctx, sm.ID)
		if err != nil {
			return nil, err
		}
		if st := states[hostID]; st != nil {
			status = st.Status
		}
		out = append(out, MonitorStatus{MonitorID: sm.ID, Status: status})
	}
	return out, nil
}

func (e *Engine) metricNameSet(ctx context.Context, hostID string) (map[string]bool, error) {
	list, err := e.st.MetricNames(ctx, "host", hostID)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(list))
	for _, n := range list {
		set[n] = true
	}
	return set, nil
}
