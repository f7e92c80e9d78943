package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/monitor"
)

// evaluateService evaluates a service metric monitor: the average of the
// latest `duration` points against the thresholds when the newest point
// is fresh, and missingDurationWarning/Critical when the metric has not
// been posted for that many minutes (a service that never posted it is
// not watched). The worse of the two wins.
func (e *Engine) evaluateService(ctx context.Context, m *monitor.Monitor, snap *snapshot) ([]result, error) {
	byOwner, err := snap.recentPoints(ctx, "service", m.Metric)
	if err != nil {
		return nil, err
	}
	now := snap.now.Unix()
	pts := byOwner[m.Service][m.Metric]
	newest := int64(0)
	if len(pts) > 0 {
		newest = pts[len(pts)-1].Time
	} else {
		// Older than the recent window: look at the newest point at all.
		latest, err := e.st.LatestPoints(ctx, "service", []string{m.Service}, []string{m.Metric})
		if err != nil {
			return nil, err
		}
		p, ok := latest[m.Service][m.Metric]
		if !ok {
			return nil, nil
		}
		newest = p.Time
	}
	r := result{status: statusOK, attempts: int(m.MaxCheckAttempts), openable: snap.openable(m, nil)}
	n := int(max(min(m.Duration, maxDuration), 1))
	fresh := newest >= snap.now.Add(-staleData).Unix()
	if fresh && len(pts) >= n {
		sum := 0.0
		for _, p := range pts[len(pts)-n:] {
			sum += p.Value
		}
		avg := sum / float64(n)
		r.status, r.value, r.dataAt = judge(m, avg), &avg, newest
	}
	if missing := missingStatus(m, now-newest); worse(missing, r.status) {
		// Missing data is time-driven: key it by the minute.
		r.status, r.value, r.dataAt, r.attempts = missing, nil, now-now%60, 1
	}
	if r.dataAt == 0 {
		return nil, nil // stale or too few points, and not missing long enough
	}
	return []result{r}, nil
}

// missingStatus is the status for a metric silent for `silent` seconds.
func missingStatus(m *monitor.Monitor, silent int64) string {
	switch {
	case m.MissingDurationCritical > 0 && silent >= m.MissingDurationCritical*60:
		return statusCritical
	case m.MissingDurationWarning > 0 && silent >= m.MissingDurationWarning*60:
		return statusWarning
	}
	return statusOK
}

// worse reports whether status a is worse than b.
func worse(a, b string) bool { return severity(a) > severity(b) }

func severity(s string) int {
	switch s {
	case statusCritical:
		return 3
	case statusUnknown:
		return 2
	case statusWarning:
		return 1
	}
	return 0
}
