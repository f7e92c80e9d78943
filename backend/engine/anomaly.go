package engine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/anomaly"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// Evaluation of anomalyDetection monitors: every 5 minutes, each host in
// the monitor's scopes is scored on its last 5-minute bucket against the
// model of its role.
const (
	// anomalyLag: the bucket [t−5m, t) is evaluated a minute after t, so
	// that the agent's post of its last minute has arrived.
	anomalyLag = time.Minute
	// anomalyCatchUp bounds how many missed ticks one evaluation goes
	// back over (local mode after a gap): an hour, more than the largest
	// maxCheckAttempts (10), so the alerts after a gap are those a
	// process evaluating every tick would hold.
	anomalyCatchUp = 12
)

// anomalyCache is what an engine keeps between evaluations: decoded
// models, and the last tick known evaluated per monitor (a hint that
// saves reading points for a tick already done; the store's evaluation
// cursor decides).
type anomalyCache struct {
	mu       sync.Mutex
	models   map[string]*anomalyModel // by monitor id and scope
	ticks    map[string]int64         // by monitor id
	training sync.Mutex
}

// evaluateAnomaly evaluates the ticks of m after its evaluation cursor,
// at most anomalyCatchUp of them, oldest first, and claims them in the
// transaction that applies their results (as expression monitors do), so
// no two engines count a tick twice.
func (e *Engine) evaluateAnomaly(ctx context.Context, m *monitor.Monitor, snap *snapshot) error {
	step := int64(anomalyBucket)
	ready := snap.now.Add(-anomalyLag).Unix()
	last := ready - ready%step
	e.anomaly.mu.Lock()
	hint, known := e.anomaly.ticks[m.ID]
	e.anomaly.mu.Unlock()
	if known && hint >= last {
		return nil
	}
	fleet, err := snap.allHosts(ctx)
	if err != nil {
		return err
	}
	models, trainErr := e.anomalyModels(ctx, m, fleet, snap.now)
	if !known {
		err := e.st.InTx(ctx, func(tx store.Tx) error {
			var err error
			hint, err = tx.EvaluationCursor(ctx, m.ID)
			return err
		})
		if err != nil {
			return err
		}
	}
	first := max(hint+step, last-(anomalyCatchUp-1)*step)
	if first > last {
		e.noteAnomalyTick(m.ID, hint)
		return trainErr
	}
	results, err := e.scoreAnomalyTicks(ctx, m, snap, fleet, models, first, last)
	if err != nil {
		return err
	}
	err = e.st.InTx(ctx, func(tx store.Tx) error {
		done, err := tx.EvaluationCursor(ctx, m.ID)
		if err != nil || done >= last {
			return err
		}
		if err := tx.SetEvaluationCursor(ctx, m.ID, last); err != nil {
			return err
		}
		now := tx.Now().Unix()
		held := map[string]bool{} // targets with a state row, as results apply
		for target := range snap.states[m.ID] {
			held[target] = true
		}
		for _, r := range results {
			if r.dataAt <= done || (r.status == statusOK && !held[r.target]) {
				continue
			}
			if err := applyResult(ctx, tx, m, r, now); err != nil {
				return err
			}
			held[r.target] = r.status != statusOK
		}
		return nil
	})
	if err == nil {
		e.noteAnomalyTick(m.ID, last)
	}
	if err != nil {
		return err
	}
	return trainErr
}

func (e *Engine) noteAnomalyTick(monitorID string, tick int64) {
	e.anomaly.mu.Lock()
	defer e.anomaly.mu.Unlock()
	if e.anomaly.ticks == nil || len(e.anomaly.ticks) > 10000 {
		e.anomaly.ticks = map[string]int64{}
	}
	e.anomaly.ticks[monitorID] = max(e.anomaly.ticks[monitorID], tick)
}

// scoreAnomalyTicks scores every watched host at each tick of [first,
// last]: results in tick order. A host without points in a bucket, or
// without a required metric, has no result at that tick (its state stays
// as it is; connectivity monitors watch silence); a host whose role's
// model is not trained (too few samples) has none at all.
func (e *Engine) scoreAnomalyTicks(ctx context.Context, m *monitor.Monitor, snap *snapshot, fleet []*store.Host, models map[string]*anomalyModel, first, last int64) ([]result, error) {
	step := int64(anomalyBucket)
	type watched struct {
		h     *store.Host
		model *anomaly.Model
	}
	var hosts []watched
	var ids []string
	for _, h := range fleet {
		if !evaluated(h) || !inScope(h, m.Scopes, m.ExcludeScopes) {
			continue
		}
		for _, scope := range m.Scopes { // the first scope the host is in
			if matchesScope(h, scope) {
				if am := models[scope]; am != nil && am.model != nil {
					hosts = append(hosts, watched{h, am.model})
					ids = append(ids, h.ID)
				}
				break
			}
		}
	}
	if len(hosts) == 0 {
		return nil, nil
	}
	since := first - step
	// The agent posts every minute: a bucket holds five points; twice
	// that leaves room for hosts posting more often.
	perSeries := int((last-since)/60)*2 + 10
	points, err := e.st.RecentPoints(ctx, "host", ids, anomaly.InputPatterns, since, perSeries)
	if err != nil {
		return nil, err
	}
	attempts := int(m.MaxCheckAttempts)
	if attempts <= 0 {
		attempts = monitor.DefaultAnomalyMaxCheckAttempts
	}
	var out []result
	for tick := first; tick <= last; tick += step {
		for _, w := range hosts {
			v := bucketMeans(points[w.h.ID], tick-step, tick)
			if len(v) == 0 {
				continue
			}
			x, err := anomaly.Extract(v)
			if err != nil {
				continue
			}
			verdict := w.model.Score(x)
			status, message := judgeAnomaly(m, w.model, verdict)
			score := verdict.Score
			out = append(out, result{target: w.h.ID, hostStatus: w.h.Status, status: status, value: &score,
				message: message, dataAt: tick, attempts: attempts, openable: snap.openable(m, w.h)})
		}
	}
	return out, nil
}

// bucketMeans averages each series' points in [from, to).
func bucketMeans(series map[string][]store.Point, from, to int64) anomaly.Values {
	v := anomaly.Values{}
	for name, pts := range series {
		sum, n := 0.0, 0
		for _, p := range pts {
			if p.Time >= from && p.Time < to {
				sum, n = sum+p.Value, n+1
			}
		}
		if n > 0 {
			v[name] = sum / float64(n)
		}
	}
	return v
}

// judgeAnomaly compares a score with the thresholds of the monitor's
// sensitivities (critical wins) and says what deviates.
func judgeAnomaly(m *monitor.Monitor, model *anomaly.Model, v anomaly.Verdict) (string, string) {
	for _, c := range []struct{ status, sensitivity string }{
		{statusCritical, m.CriticalSensitivity}, {statusWarning, m.WarningSensitivity}} {
		if c.sensitivity == "" {
			continue
		}
		if thr := model.Thresholds[c.sensitivity]; v.Score > thr {
			return c.status, fmt.Sprintf("Anomaly score %.1f > %.1f (%s); the most deviating metric: %s",
				v.Score, thr, c.sensitivity, anomaly.Describe(v))
		}
	}
	return statusOK, ""
}
