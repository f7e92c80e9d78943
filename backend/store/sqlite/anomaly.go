package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/mkr-dev/mkr/backend/store"
)

const anomalyModelColumns = `monitor_id, scope, status, message, trained_at, window_from, window_to,
	samples, components, key, body`

// AnomalyModels returns the monitor's models ordered by scope.
func (s *Store) AnomalyModels(ctx context.Context, monitorID string) ([]*store.AnomalyModel, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+anomalyModelColumns+` FROM anomaly_models
		WHERE monitor_id = ? ORDER BY scope`, monitorID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.AnomalyModel{}
	for rows.Next() {
		var m store.AnomalyModel
		if err := rows.Scan(&m.MonitorID, &m.Scope, &m.Status, &m.Message, &m.TrainedAt, &m.From, &m.To,
			&m.Samples, &m.Components, &m.Key, &m.Body); err != nil {
			return nil, err
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

// PutAnomalyModel stores m unless a model of the same scope trained
// later is stored.
func (s *Store) PutAnomalyModel(ctx context.Context, m *store.AnomalyModel) (bool, error) {
	stored := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM monitors WHERE id = ?`, m.MonitorID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("monitor", m.MonitorID)
		}
		if err != nil {
			return err
		}
		body := m.Body
		if body == nil {
			body = []byte{}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO anomaly_models (`+anomalyModelColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (monitor_id, scope) DO UPDATE SET status = excluded.status, message = excluded.message,
				trained_at = excluded.trained_at, window_from = excluded.window_from, window_to = excluded.window_to,
				samples = excluded.samples, components = excluded.components, key = excluded.key, body = excluded.body
			WHERE anomaly_models.trained_at <= excluded.trained_at`,
			m.MonitorID, m.Scope, m.Status, m.Message, m.TrainedAt, m.From, m.To, m.Samples, m.Components, m.Key, body)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		stored = n > 0
		return err
	})
	return stored, err
}

// DeleteAnomalyModels removes the monitor's models of scopes not in keep.
func (s *Store) DeleteAnomalyModels(ctx context.Context, monitorID string, keep []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT scope FROM anomaly_models WHERE monitor_id = ?`, monitorID)
		if err != nil {
			return err
		}
		var drop []string
		for rows.Next() {
			var scope string
			if err := rows.Scan(&scope); err != nil {
				rows.Close()
				return err
			}
			if !slices.Contains(keep, scope) {
				drop = append(drop, scope)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, scope := range drop {
			if _, err := tx.ExecContext(ctx, `DELETE FROM anomaly_models WHERE monitor_id = ? AND scope = ?`,
				monitorID, scope); err != nil {
				return err
			}
		}
		return nil
	})
}
