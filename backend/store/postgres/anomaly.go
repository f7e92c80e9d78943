package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

const anomalyModelColumns = `monitor_id, scope, status, message, trained_at, window_from, window_to,
	samples, components, key, body`

// AnomalyModels returns the monitor's models ordered by scope (byte
// order, as SQLite sorts).
func (s *Store) AnomalyModels(ctx context.Context, monitorID string) ([]*store.AnomalyModel, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+anomalyModelColumns+` FROM anomaly_models
		WHERE monitor_id = $1 ORDER BY scope COLLATE "C"`, monitorID)
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
	err := s.tx(ctx, func(tx pgx.Tx) error {
		stored = false
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM monitors WHERE id = $1`, m.MonitorID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.NotFound("monitor", m.MonitorID)
		}
		if err != nil {
			return err
		}
		body := m.Body
		if body == nil {
			body = []byte{}
		}
		tag, err := tx.Exec(ctx, `INSERT INTO anomaly_models (`+anomalyModelColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (monitor_id, scope) DO UPDATE SET status = excluded.status, message = excluded.message,
				trained_at = excluded.trained_at, window_from = excluded.window_from, window_to = excluded.window_to,
				samples = excluded.samples, components = excluded.components, key = excluded.key, body = excluded.body
			WHERE anomaly_models.trained_at <= excluded.trained_at`,
			m.MonitorID, m.Scope, m.Status, m.Message, m.TrainedAt, m.From, m.To, m.Samples, m.Components, m.Key, body)
		if err != nil {
			return err
		}
		stored = tag.RowsAffected() > 0
		return nil
	})
	return stored, err
}

// DeleteAnomalyModels removes the monitor's models of scopes not in keep.
func (s *Store) DeleteAnomalyModels(ctx context.Context, monitorID string, keep []string) error {
	if keep == nil {
		keep = []string{}
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM anomaly_models WHERE monitor_id = $1 AND NOT (scope = ANY($2))`,
			monitorID, keep)
		return err
	})
}
