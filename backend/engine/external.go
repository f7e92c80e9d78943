package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// ProbeResult is the outcome of one probe of an external monitor (see
// package external, which makes them; the engine only judges them).
type ProbeResult struct {
	MonitorID    string
	At           int64    // when the probe started
	Status       string   // OK, WARNING or CRITICAL, from everything but response time
	Message      string   // the status code, or why the probe failed
	ResponseTime *float64 // milliseconds, when a response came
}

// ResponseTimeMetric names the service metric an external monitor's
// response times are posted to (the hosted service's spelling).
func ResponseTimeMetric(monitorID string) string { return "__externalhttp.responcetime." + monitorID }

// ApplyProbeResults records probe results: the response time as the
// monitor's service metric (when it has a service), then the status — the
// worse of the probe's own verdict and the response-time thresholds over
// responseTimeDuration minutes — through the usual alert rules. Results
// of deleted or changed-away monitors are dropped.
func (e *Engine) ApplyProbeResults(ctx context.Context, results []ProbeResult) error {
	var errs []error
	for _, pr := range results {
		if err := e.applyProbe(ctx, pr); err != nil {
			errs = append(errs, fmt.Errorf("monitor %s: %w", pr.MonitorID, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("applying probe results: %v", errs)
	}
	return nil
}

func (e *Engine) applyProbe(ctx context.Context, pr ProbeResult) error {
	sm, err := e.st.GetMonitor(ctx, pr.MonitorID)
	if _, gone := store.IsKind(err, store.KindNotFound); gone {
		return nil
	}
	if err != nil {
		return err
	}
	m, err := monitor.Decode(sm.Body)
	if err != nil {
		return err
	}
	m.ID = sm.ID
	if m.Type != monitor.TypeExternal {
		return nil
	}
	r := result{status: pr.Status, message: pr.Message, dataAt: pr.At, attempts: int(m.MaxCheckAttempts)}
	if m.Service != "" && pr.ResponseTime != nil {
		key := store.ServiceSeries(m.Service, ResponseTimeMetric(m.ID))
		if err := e.st.InsertPoints(ctx, []store.SeriesPoint{{Key: key, Point: store.Point{Time: pr.At, Value: *pr.ResponseTime}}}); err != nil {
			return err
		}
		if m.ResponseTimeWarning != nil || m.ResponseTimeCritical != nil {
			avg, ok, err := e.averageSince(ctx, key, pr.At-max(m.ResponseTimeDuration, 1)*60+1)
			if err != nil {
				return err
			}
			if ok {
				r.value = &avg
				if rt := responseTimeStatus(m, avg); worse(rt, r.status) {
					r.status = rt
				}
			}
		}
	}
	dts, err := e.activeDowntimes(ctx, time.Unix(pr.At, 0))
	if err != nil {
		return err
	}
	r.openable = !covered(dts, m.ID, m.Service, nil)
	states, err := e.states(ctx, m.ID)
	if err != nil {
		return err
	}
	return e.applyResults(ctx, m, []result{r}, states)
}

// responseTimeStatus judges an average response time (ms).
func responseTimeStatus(m *monitor.Monitor, avg float64) string {
	switch {
	case m.ResponseTimeCritical != nil && avg > *m.ResponseTimeCritical:
		return statusCritical
	case m.ResponseTimeWarning != nil && avg > *m.ResponseTimeWarning:
		return statusWarning
	}
	return statusOK
}

// averageSince averages a series' points at or after since.
func (e *Engine) averageSince(ctx context.Context, k store.SeriesKey, since int64) (float64, bool, error) {
	pts, err := e.st.Points(ctx, k, since, 1<<62)
	if err != nil || len(pts) == 0 {
		return 0, false, err
	}
	sum := 0.0
	for _, p := range pts {
		sum += p.Value
	}
	return sum / float64(len(pts)), true, nil
}
