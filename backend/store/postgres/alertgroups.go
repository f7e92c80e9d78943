package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// ListAlertGroupSettings returns every setting in creation order.
func (s *Store) ListAlertGroupSettings(ctx context.Context) ([]*store.AlertGroupSetting, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, body FROM alert_group_settings ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.AlertGroupSetting{}
	for rows.Next() {
		a := &store.AlertGroupSetting{}
		if err := rows.Scan(&a.ID, &a.Body); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// GetAlertGroupSetting returns one setting (KindNotFound when none).
func (s *Store) GetAlertGroupSetting(ctx context.Context, id string) (*store.AlertGroupSetting, error) {
	return getAlertGroupSetting(ctx, s.pool, id)
}

func getAlertGroupSetting(ctx context.Context, q db, id string) (*store.AlertGroupSetting, error) {
	a := &store.AlertGroupSetting{}
	err := q.QueryRow(ctx, `SELECT id, body FROM alert_group_settings WHERE id = $1`, id).Scan(&a.ID, &a.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("alert group setting", id)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// CreateAlertGroupSetting stores a new setting.
func (s *Store) CreateAlertGroupSetting(ctx context.Context, a *store.AlertGroupSetting) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO alert_group_settings (id, body) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, a.ID, a.Body)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "alert group setting", ID: a.ID,
				Message: "alert group setting " + a.ID + " already exists"}
		}
		return nil
	})
}

// UpdateAlertGroupSetting replaces a setting's body.
func (s *Store) UpdateAlertGroupSetting(ctx context.Context, a *store.AlertGroupSetting) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE alert_group_settings SET body = $1 WHERE id = $2`, a.Body, a.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("alert group setting", a.ID)
		}
		return nil
	})
}

// DeleteAlertGroupSetting removes a setting and returns it as it was.
func (s *Store) DeleteAlertGroupSetting(ctx context.Context, id string) (*store.AlertGroupSetting, error) {
	var a *store.AlertGroupSetting
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if a, err = getAlertGroupSetting(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM alert_group_settings WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func (t *txn) OpenAlertGroup(ctx context.Context, settingID string) (*store.AlertGroup, error) {
	var g store.AlertGroup
	err := t.tx.QueryRow(ctx, `SELECT id, setting_id, status, opened_at, COALESCE(closed_at, 0), notified_at
		FROM alert_groups WHERE setting_id = $1 AND closed_at IS NULL`, settingID).
		Scan(&g.ID, &g.SettingID, &g.Status, &g.OpenedAt, &g.ClosedAt, &g.NotifiedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &g, nil
}

func (t *txn) CreateAlertGroup(ctx context.Context, g *store.AlertGroup) error {
	g.ID = store.NewID()
	_, err := t.tx.Exec(ctx, `INSERT INTO alert_groups (id, setting_id, status, opened_at, notified_at) VALUES ($1, $2, $3, $4, $5)`,
		g.ID, g.SettingID, g.Status, g.OpenedAt, g.NotifiedAt)
	return err
}

func (t *txn) UpdateAlertGroup(ctx context.Context, g *store.AlertGroup) error {
	_, err := t.tx.Exec(ctx, `UPDATE alert_groups SET status = $1, closed_at = NULLIF($2::bigint, 0), notified_at = $3 WHERE id = $4`,
		g.Status, g.ClosedAt, g.NotifiedAt, g.ID)
	return err
}
