package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// OpenAlertGroup returns a setting's open alert group, nil when none.
func (t *Tx) OpenAlertGroup(ctx context.Context, settingID string) (*store.AlertGroup, error) {
	var g store.AlertGroup
	err := t.Q.QueryRow(ctx, `SELECT id, setting_id, status, opened_at, COALESCE(closed_at, 0), notified_at
		FROM alert_groups WHERE setting_id = ? AND closed_at IS NULL`, settingID).
		Scan(&g.ID, &g.SettingID, &g.Status, &g.OpenedAt, &g.ClosedAt, &g.NotifiedAt)
	if errors.Is(err, ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// CreateAlertGroup stores g as a new group and sets its ID.
func (t *Tx) CreateAlertGroup(ctx context.Context, g *store.AlertGroup) error {
	g.ID = store.NewID()
	_, err := t.Q.Exec(ctx, `INSERT INTO alert_groups (id, seq, setting_id, status, opened_at, notified_at)
		VALUES (?, `+t.Q.Dialect().NextSeq("alert_groups")+`, ?, ?, ?, ?)`,
		g.ID, g.SettingID, g.Status, g.OpenedAt, g.NotifiedAt)
	return err
}

// UpdateAlertGroup writes g's status, closing and notification times (a
// closing time of 0 stores none).
func (t *Tx) UpdateAlertGroup(ctx context.Context, g *store.AlertGroup) error {
	// The cast gives PostgreSQL NULLIF's type; SQLite's is a no-op.
	_, err := t.Q.Exec(ctx, `UPDATE alert_groups SET status = ?, closed_at = NULLIF(CAST(? AS BIGINT), 0), notified_at = ? WHERE id = ?`,
		g.Status, g.ClosedAt, g.NotifiedAt, g.ID)
	return err
}
