package engine

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/anomaly"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// Training of anomalyDetection monitors: one model per scope (a role),
// over the 5-minute rollups of its hosts' system metrics.
const (
	// anomalyWindow: a role is trained on its last four weeks (Mackerel:
	// "recent weeks"), or from the monitor's trainingPeriodFrom.
	anomalyWindow = 28 * 24 * time.Hour
	// anomalyMaxWindow bounds what trainingPeriodFrom may ask for: reading
	// is the part of training that thinning does not bound.
	anomalyMaxWindow = 12 * 7 * 24 * time.Hour
	// anomalyRetrain: a trained model is retrained daily, a role that had
	// too few samples hourly (so a new role is watched soon after it has
	// enough data).
	anomalyRetrain     = 24 * time.Hour
	anomalyRetryTooFew = time.Hour
	anomalyBucket      = store.Step5m
	trainAlignment     = int64(anomalyBucket)
	// triggerManualRetrain is the alert-log trigger the hosted API names.
	triggerManualRetrain = "anomalyDetectionManuallyRetraining"
)

// anomalyModel is a stored model, decoded (nil model when not trained).
type anomalyModel struct {
	row   *store.AnomalyModel
	model *anomaly.Model
}

// anomalyKey fingerprints what a monitor's models are trained for: a
// change of scopes or training period makes them stale.
func anomalyKey(m *monitor.Monitor) string {
	h := sha256.New()
	for _, s := range m.Scopes {
		h.Write([]byte(s + "\x00"))
	}
	h.Write([]byte(strconv.FormatInt(m.TrainingPeriodFrom, 10)))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// anomalyModels returns the monitor's model of each scope, training those
// missing, stale (another definition) or due (daily; hourly while too
// few samples). Decoded models are cached by monitor, scope and training
// time, so a process decodes each model once.
func (e *Engine) anomalyModels(ctx context.Context, m *monitor.Monitor, hosts []*store.Host, now time.Time) (map[string]*anomalyModel, error) {
	rows, err := e.st.AnomalyModels(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	byScope := map[string]*store.AnomalyModel{}
	for _, r := range rows {
		byScope[r.Scope] = r
	}
	key := anomalyKey(m)
	out := map[string]*anomalyModel{}
	var errs []error
	for _, scope := range m.Scopes {
		r := byScope[scope]
		if r == nil || r.Key != key || now.Unix() >= r.TrainedAt+int64(retrainAfter(r).Seconds()) {
			trained, err := e.trainScope(ctx, m, scope, hosts, now)
			if err != nil {
				errs = append(errs, fmt.Errorf("training %s: %w", scope, err))
				if r == nil || r.Key != key {
					continue // no model fit for this definition
				}
			} else {
				r = trained
			}
		}
		am, err := e.decodeAnomaly(r)
		if err != nil {
			errs = append(errs, fmt.Errorf("model of %s: %w", scope, err))
			continue
		}
		out[scope] = am
	}
	// Models of scopes the definition no longer has are dropped.
	for _, r := range rows {
		if !slices.Contains(m.Scopes, r.Scope) {
			errs = append(errs, e.st.DeleteAnomalyModels(ctx, m.ID, m.Scopes))
			break
		}
	}
	return out, errors.Join(errs...)
}

func retrainAfter(r *store.AnomalyModel) time.Duration {
	if r.Status == store.AnomalyTrained {
		return anomalyRetrain
	}
	return anomalyRetryTooFew
}

// decodeAnomaly decodes a stored model, or returns the cached decoding.
func (e *Engine) decodeAnomaly(r *store.AnomalyModel) (*anomalyModel, error) {
	am := &anomalyModel{row: r}
	if r.Status != store.AnomalyTrained {
		return am, nil
	}
	ck := r.MonitorID + "\x00" + r.Scope
	e.anomaly.mu.Lock()
	c, ok := e.anomaly.models[ck]
	e.anomaly.mu.Unlock()
	if ok && c.row.TrainedAt == r.TrainedAt && c.row.Key == r.Key && c.row.To == r.To {
		return c, nil
	}
	model, err := anomaly.Unmarshal(r.Body)
	if err != nil {
		return nil, err
	}
	am.model = model
	e.anomaly.mu.Lock()
	if e.anomaly.models == nil || len(e.anomaly.models) > 1000 {
		e.anomaly.models = map[string]*anomalyModel{}
	}
	e.anomaly.models[ck] = am
	e.anomaly.mu.Unlock()
	return am, nil
}

// trainScope trains the model of one scope on the window ending at the
// last 5-minute boundary before now, stores it (unless a model trained
// later is stored) and returns the row. A role with too few samples is
// stored as such: it says so and scores nothing.
func (e *Engine) trainScope(ctx context.Context, m *monitor.Monitor, scope string, hosts []*store.Host, now time.Time) (*store.AnomalyModel, error) {
	// One training at a time per process: it is the expensive part, and
	// two at once would only compete for the same cores.
	e.anomaly.training.Lock()
	defer e.anomaly.training.Unlock()
	to := now.Unix() - now.Unix()%trainAlignment
	from := to - int64(anomalyWindow.Seconds())
	if m.TrainingPeriodFrom > 0 {
		from = max(m.TrainingPeriodFrom, to-int64(anomalyMaxWindow.Seconds()))
	}
	var members []*store.Host
	for _, h := range hosts {
		if evaluated(h) && matchesScope(h, scope) && !excluded(h, m.ExcludeScopes) {
			members = append(members, h)
		}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].ID < members[j].ID })
	samples, err := e.trainingSamples(ctx, members, from, to)
	if err != nil {
		return nil, err
	}
	row := &store.AnomalyModel{MonitorID: m.ID, Scope: scope, TrainedAt: now.Unix(), From: from, To: to,
		Samples: len(samples), Key: anomalyKey(m), Body: []byte{}}
	model, err := anomaly.Train(samples, anomaly.Options{Seed: anomalySeed(m.ID, scope)})
	var few *anomaly.TooFewError
	switch {
	case errors.As(err, &few):
		row.Status, row.Message = store.AnomalyTooFew,
			fmt.Sprintf("%d hosts gave %d samples of 5 minutes; at least %d are needed", len(members), few.Have, few.Need)
	case err != nil:
		return nil, err
	default:
		row.Status, row.Samples, row.Components = store.AnomalyTrained, model.Samples, model.Components()
		if row.Body, err = model.Marshal(); err != nil {
			return nil, err
		}
	}
	if _, err := e.st.PutAnomalyModel(ctx, row); err != nil {
		return nil, err
	}
	return row, nil
}

// anomalySeed derives training's seed from what the model is of: the
// same monitor, role and data always give the same model.
func anomalySeed(monitorID, scope string) uint64 {
	sum := sha256.Sum256([]byte(monitorID + "\x00" + scope))
	return binary.BigEndian.Uint64(sum[:8])
}

// excluded reports whether a host matches one of the exclude scopes.
func excluded(h *store.Host, excludes []string) bool {
	return slices.ContainsFunc(excludes, func(s string) bool { return matchesScope(h, s) })
}

// trainingSamples reads the 5-minute rollups of the hosts' input metrics
// over [from, to) and returns one sample per host and bucket that has
// every required metric, host by host (by id), oldest first.
func (e *Engine) trainingSamples(ctx context.Context, hosts []*store.Host, from, to int64) ([][]float64, error) {
	var out [][]float64
	for _, h := range hosts {
		names, err := e.st.MetricNames(ctx, "host", h.ID)
		if err != nil {
			return nil, err
		}
		buckets := map[int64]anomaly.Values{}
		for _, name := range names {
			if !anomaly.IsInput(name) {
				continue
			}
			rolls, err := e.st.Rollups(ctx, store.HostSeries(h.ID, name), from, to-1, anomalyBucket)
			if _, gone := store.IsKind(err, store.KindNotFound); gone {
				continue
			}
			if err != nil {
				return nil, err
			}
			for _, r := range rolls {
				if r.Count == 0 || r.Start < from || r.Start >= to {
					continue
				}
				if buckets[r.Start] == nil {
					buckets[r.Start] = anomaly.Values{}
				}
				buckets[r.Start][name] = r.Mean()
			}
		}
		starts := make([]int64, 0, len(buckets))
		for s := range buckets {
			starts = append(starts, s)
		}
		slices.Sort(starts)
		for _, s := range starts {
			if x, err := anomaly.Extract(buckets[s]); err == nil {
				out = append(out, x)
			}
		}
	}
	return out, nil
}

// RetrainAnomaly trains every scope of an anomalyDetection monitor now
// (on the window ending at the last 5-minute boundary) and returns the
// stored models. Its open alerts are closed (trigger
// anomalyDetectionManuallyRetraining, as the hosted service logs it) and
// its pending states forgotten: the new model judges afresh.
// KindNotFound for an unknown monitor, KindInvalid for another type.
func (e *Engine) RetrainAnomaly(ctx context.Context, monitorID string) ([]*store.AnomalyModel, error) {
	sm, err := e.st.GetMonitor(ctx, monitorID)
	if err != nil {
		return nil, err
	}
	if sm.Type != monitor.TypeAnomalyDetection {
		return nil, &store.Error{Kind: store.KindInvalid, Resource: "monitor", ID: monitorID,
			Message: "monitor " + monitorID + " is a " + sm.Type + " monitor; only anomalyDetection monitors are trained"}
	}
	m, err := e.decoded(sm)
	if err != nil {
		return nil, err
	}
	hosts, err := e.st.ListHosts(ctx, store.HostFilter{Statuses: allStatuses, SkipMeta: true})
	if err != nil {
		return nil, err
	}
	now := e.st.Now()
	var out []*store.AnomalyModel
	for _, scope := range m.Scopes {
		r, err := e.trainScope(ctx, m, scope, hosts, now)
		if err != nil {
			return nil, fmt.Errorf("training %s: %w", strings.TrimSpace(scope), err)
		}
		out = append(out, r)
	}
	if err := e.st.DeleteAnomalyModels(ctx, m.ID, m.Scopes); err != nil {
		return nil, err
	}
	states, err := e.st.MonitorStates(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	err = e.st.InTx(ctx, func(tx store.Tx) error {
		open, err := tx.OpenMonitorAlerts(ctx, m.ID)
		if err != nil {
			return err
		}
		at := tx.Now().Unix()
		for _, a := range open {
			if err := closeWith(ctx, tx, a, "Model retrained", triggerManualRetrain, at, !m.IsMute); err != nil {
				return err
			}
		}
		for _, s := range states {
			if err := tx.DeleteMonitorState(ctx, m.ID, s.Target); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
