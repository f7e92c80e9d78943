package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

func scanAlertGroupSetting(row Row) (*store.AlertGroupSetting, error) {
	a := &store.AlertGroupSetting{}
	return a, row.Scan(&a.ID, &a.Body)
}

// ListAlertGroupSettings returns every setting in creation order.
func (c Core) ListAlertGroupSettings(ctx context.Context) ([]*store.AlertGroupSetting, error) {
	out, err := collect(scanAlertGroupSetting)(c.E.Reader().Query(ctx, `SELECT id, body FROM alert_group_settings ORDER BY seq`))
	if out == nil && err == nil {
		out = []*store.AlertGroupSetting{}
	}
	return out, err
}

// GetAlertGroupSetting returns one setting (KindNotFound when none).
func (c Core) GetAlertGroupSetting(ctx context.Context, id string) (*store.AlertGroupSetting, error) {
	return getAlertGroupSetting(ctx, c.E.Reader(), id)
}

func getAlertGroupSetting(ctx context.Context, q Q, id string) (*store.AlertGroupSetting, error) {
	a, err := scanAlertGroupSetting(q.QueryRow(ctx, `SELECT id, body FROM alert_group_settings WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("alert group setting", id)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// CreateAlertGroupSetting stores a new setting.
func (c Core) CreateAlertGroupSetting(ctx context.Context, a *store.AlertGroupSetting) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `INSERT INTO alert_group_settings (id, seq, body)
			VALUES (?, `+q.Dialect().NextSeq("alert_group_settings")+`, ?) ON CONFLICT (id) DO NOTHING`, a.ID, a.Body)
		return mustAffect(n, err, &store.Error{Kind: store.KindConflict, Resource: "alert group setting", ID: a.ID,
			Message: "alert group setting " + a.ID + " already exists"})
	})
}

// UpdateAlertGroupSetting replaces a setting's body.
func (c Core) UpdateAlertGroupSetting(ctx context.Context, a *store.AlertGroupSetting) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE alert_group_settings SET body = ? WHERE id = ?`, a.Body, a.ID)
		return mustAffect(n, err, store.NotFound("alert group setting", a.ID))
	})
}

// DeleteAlertGroupSetting removes a setting and returns it as it was.
func (c Core) DeleteAlertGroupSetting(ctx context.Context, id string) (*store.AlertGroupSetting, error) {
	var a *store.AlertGroupSetting
	err := c.E.WriteTx(ctx, func(q Q) error {
		var err error
		if a, err = getAlertGroupSetting(ctx, q, id); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `DELETE FROM alert_group_settings WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
