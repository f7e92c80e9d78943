package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

const anomalyModelColumns = `monitor_id, scope, status, message, trained_at, window_from, window_to,
	samples, components, key, body`

// AnomalyModels returns the monitor's models ordered by scope (byte order
// on both engines).
func (c Core) AnomalyModels(ctx context.Context, monitorID string) ([]*store.AnomalyModel, error) {
	r := c.E.Reader()
	out, err := collect(func(row Row) (*store.AnomalyModel, error) {
		var m store.AnomalyModel
		return &m, row.Scan(&m.MonitorID, &m.Scope, &m.Status, &m.Message, &m.TrainedAt, &m.From, &m.To,
			&m.Samples, &m.Components, &m.Key, &m.Body)
	})(r.Query(ctx, `SELECT `+anomalyModelColumns+` FROM anomaly_models
		WHERE monitor_id = ? ORDER BY `+r.Dialect().Bytewise("scope"), monitorID))
	if out == nil && err == nil {
		out = []*store.AnomalyModel{}
	}
	return out, err
}

// PutAnomalyModel stores m unless a model of the same scope trained
// later is stored.
func (c Core) PutAnomalyModel(ctx context.Context, m *store.AnomalyModel) (bool, error) {
	stored := false
	err := c.E.WriteTx(ctx, func(q Q) error {
		stored = false // a retried transaction starts over
		var one int
		err := q.QueryRow(ctx, `SELECT 1 FROM monitors WHERE id = ?`, m.MonitorID).Scan(&one)
		if errors.Is(err, ErrNoRows) {
			return store.NotFound("monitor", m.MonitorID)
		}
		if err != nil {
			return err
		}
		body := m.Body
		if body == nil {
			body = []byte{}
		}
		n, err := q.Exec(ctx, `INSERT INTO anomaly_models (`+anomalyModelColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (monitor_id, scope) DO UPDATE SET status = excluded.status, message = excluded.message,
				trained_at = excluded.trained_at, window_from = excluded.window_from, window_to = excluded.window_to,
				samples = excluded.samples, components = excluded.components, key = excluded.key, body = excluded.body
			WHERE anomaly_models.trained_at <= excluded.trained_at`,
			m.MonitorID, m.Scope, m.Status, m.Message, m.TrainedAt, m.From, m.To, m.Samples, m.Components, m.Key, body)
		stored = n > 0
		return err
	})
	return stored, err
}

// DeleteAnomalyModels removes the monitor's models of scopes not in keep.
func (c Core) DeleteAnomalyModels(ctx context.Context, monitorID string, keep []string) error {
	if keep == nil {
		keep = []string{} // PostgreSQL: = ANY(NULL) is NULL, and NOT NULL would keep every row
	}
	return c.E.WriteTx(ctx, func(q Q) error {
		in, args := q.Dialect().InStrings("scope", keep)
		_, err := q.Exec(ctx, `DELETE FROM anomaly_models WHERE monitor_id = ? AND NOT (`+in+`)`,
			append([]any{monitorID}, args...)...)
		return err
	})
}
