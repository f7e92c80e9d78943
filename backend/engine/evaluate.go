package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// Statuses of an evaluation.
const (
	statusOK       = "OK"
	statusWarning  = "WARNING"
	statusCritical = "CRITICAL"
	statusUnknown  = "UNKNOWN"
)

// Evaluation windows, from the hosted service's documentation.
const (
	// staleData: a metric monitor skips a target whose newest point is
	// older than this (the hosted API's 20 minutes).
	staleData = 20 * time.Minute
	// pointWindow: `duration` averages the latest points within 24 hours.
	pointWindow = 24 * time.Hour
	// maxDuration is the largest `duration` (points averaged).
	maxDuration = 10
	// connectivityGone: a working host silent this long is gone.
	connectivityGone = 10 * time.Minute
	// expressionInterval: expression monitors are evaluated every 5 minutes.
	expressionInterval = 5 * time.Minute
)

// Advance brings evaluation up to now: every monitor whose data changed
// since it was last evaluated, and every time-driven rule (connectivity,
// missing service metrics, expression ticks). It is idempotent — an
// evaluation of data already evaluated changes nothing — so local mode
// calls it before reading alerts and after ingest, and `mkr serve` on a
// ticker and after ingest, and both reach the same alerts for the same
// data. Work is bounded by the number of monitors and targets, never by
// the time since the last call: only the newest data is evaluated.
func (e *Engine) Advance(ctx context.Context, now time.Time) error {
	return e.advance(ctx, now, nil)
}

// AdvanceIngest evaluates after points were stored: only the host and
// service monitors that watch a posted metric name, and host monitors only
// on the hosts posted to (time-driven rules wait for the next Advance).
// Its cost follows the size of the post, not of the fleet.
func (e *Engine) AdvanceIngest(ctx context.Context, now time.Time, keys []store.SeriesKey) error {
	if len(keys) == 0 {
		return nil
	}
	names, hosts := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		names[k.Name] = true
		if k.Kind == "host" {
			hosts[k.Owner] = true
		}
	}
	return e.AdvanceTouched(ctx, now, names, hosts)
}

// AdvanceTouched is AdvanceIngest for posts already folded into the metric
// names posted and the hosts posted to (what AdvanceIngest looks at): mkr
// serve gathers a second of posts that way, a hundred names and a host per
// agent's post instead of a set of every series.
func (e *Engine) AdvanceTouched(ctx context.Context, now time.Time, names, hosts map[string]bool) error {
	if len(names) == 0 {
		return nil
	}
	return e.advance(ctx, now, &ingestScope{names: names, hosts: hosts})
}

// ingestScope limits an evaluation to what a post touched.
type ingestScope struct {
	names map[string]bool // metric names posted
	hosts map[string]bool // hosts posted to
}

// advance evaluates every monitor, or within sc only the metric monitors
// watching a posted name.
func (e *Engine) advance(ctx context.Context, now time.Time, sc *ingestScope) error {
	list, err := e.st.ListMonitors(ctx)
	if err != nil {
		return err
	}
	var monitors []*monitor.Monitor
	var errs []error
	for _, sm := range list {
		m, err := e.decoded(sm)
		if err != nil {
			errs = append(errs, fmt.Errorf("monitor %s: %w", sm.ID, err))
			continue
		}
		if sc == nil || watchesAny(m, sc.names) {
			monitors = append(monitors, m)
		}
	}
	if len(monitors) == 0 && sc != nil {
		return errors.Join(append(errs, ctx.Err())...)
	}
	snap, err := e.snapshot(ctx, now)
	if err != nil {
		return err
	}
	var hostMonitors, fleetMonitors []*monitor.Monitor
	for _, m := range monitors {
		if sc != nil && m.Type == monitor.TypeConnectivity && len(snap.states[m.ID]) == 0 {
			continue // no alert to recover: nothing to read
		}
		if perHost(m) {
			hostMonitors = append(hostMonitors, m)
		} else {
			fleetMonitors = append(fleetMonitors, m)
		}
	}
	if sc == nil {
		hostMonitors = e.duePasses(hostMonitors, now)
	}
	if len(hostMonitors) > 0 {
		if err := e.hostPass(ctx, snap, sc, hostMonitors); err != nil {
			errs = append(errs, err)
		} else if sc == nil {
			e.notePasses(hostMonitors, now)
		}
	}
	for _, m := range fleetMonitors {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := e.evaluate(ctx, m, snap); err != nil {
			// One monitor's failure must not stop the others.
			errs = append(errs, fmt.Errorf("monitor %s: %w", m.ID, err))
		}
	}
	if sc == nil {
		// Time-driven work beyond monitors: repeats of open alerts
		// (check monitors' included, so this runs with no monitor too).
		if err := e.repeatNotifications(ctx, snap); err != nil {
			errs = append(errs, fmt.Errorf("repeating notifications: %w", err))
		}
		if err := e.updateAlertGroups(ctx, snap); err != nil {
			errs = append(errs, fmt.Errorf("alert groups: %w", err))
		}
	}
	return errors.Join(errs...)
}

// watchesAny reports whether a monitor has something to evaluate after a
// post of the names: a metric monitor that reads one of them, or a
// connectivity monitor (a host posting again recovers).
func watchesAny(m *monitor.Monitor, names map[string]bool) bool {
	switch m.Type {
	case monitor.TypeConnectivity:
		return true
	case monitor.TypeHost:
		for _, n := range hostMetricInputs(m.Metric) {
			if names[n] || (isPattern(n) && anyMatch(n, names)) {
				return true
			}
		}
	case monitor.TypeService:
		return names[m.Metric]
	}
	return false
}

// evaluate runs one monitor's rule over the snapshot and applies the
// results.
func (e *Engine) evaluate(ctx context.Context, m *monitor.Monitor, snap *snapshot) error {
	var results []result
	var err error
	switch m.Type {
	case monitor.TypeHost:
		results, err = e.evaluateHost(ctx, m, snap)
	case monitor.TypeConnectivity:
		results, err = e.evaluateConnectivity(ctx, m, snap)
	case monitor.TypeService:
		results, err = e.evaluateService(ctx, m, snap)
	case monitor.TypeExpression:
		return e.evaluateExpression(ctx, m, snap)
	case monitor.TypeAnomalyDetection:
		return e.evaluateAnomaly(ctx, m, snap)
	default:
		// external results arrive from probes (ApplyProbeResults);
		// query monitors are stored but not evaluated yet.
		return nil
	}
	if err != nil {
		return err
	}
	return e.applyResults(ctx, m, results, snap.states[m.ID])
}

func (e *Engine) states(ctx context.Context, monitorID string) (map[string]*store.MonitorState, error) {
	list, err := e.st.MonitorStates(ctx, monitorID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*store.MonitorState, len(list))
	for _, s := range list {
		out[s.Target] = s
	}
	return out, nil
}

// judge compares a value with a monitor's thresholds. The observed value
// is on the left of the operator and the comparison is strict: a value
// exactly at the threshold is not a violation. Critical wins when both
// hold (and so when both thresholds are equal).
func judge(m *monitor.Monitor, v float64) string {
	violates := func(th *float64) bool {
		if th == nil {
			return false
		}
		if m.Operator == "<" {
			return v < *th
		}
		return v > *th
	}
	switch {
	case violates(m.Critical):
		return statusCritical
	case violates(m.Warning):
		return statusWarning
	}
	return statusOK
}

// decoded returns a stored monitor parsed. Parsed definitions are kept by
// id and body, so an unchanged monitor is parsed once per process; a
// changed body is parsed again (the cache never serves a stale
// definition).
func (e *Engine) decoded(sm *store.Monitor) (*monitor.Monitor, error) {
	e.cacheMu.Lock()
	c, ok := e.monitors[sm.ID]
	e.cacheMu.Unlock()
	if ok && c.body == string(sm.Body) {
		return c.m, nil
	}
	m, err := monitor.Decode(sm.Body)
	if err != nil {
		return nil, err
	}
	m.ID = sm.ID
	e.cacheMu.Lock()
	if e.monitors == nil || len(e.monitors) > 10000 {
		e.monitors = map[string]decodedMonitor{}
	}
	e.monitors[sm.ID] = decodedMonitor{body: string(sm.Body), m: m}
	e.cacheMu.Unlock()
	return m, nil
}

type decodedMonitor struct {
	body string
	m    *monitor.Monitor
}
