package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// editGroups applies edit to the groups selected by where (a WHERE clause
// over notification_groups, "" for all), inside tx, and writes back those
// it changed. The change itself is the model's (package notifygroup): the
// store only finds the rows and keeps the bodies it is given.
func editGroups(ctx context.Context, tx *sql.Tx, where string, edit func(*notifygroup.Group) bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, body FROM notification_groups `+where+` ORDER BY seq`)
	if err != nil {
		return err
	}
	type row struct {
		id   string
		body []byte
	}
	var changed []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.body); err != nil {
			rows.Close()
			return err
		}
		g, err := notifygroup.DecodeGroup(r.body)
		if err != nil {
			rows.Close()
			return fmt.Errorf("notification group %s: stored body: %w", r.id, err)
		}
		if edit(g) {
			changed = append(changed, row{r.id, notifygroup.EncodeGroup(g)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range changed {
		if _, err := tx.ExecContext(ctx, `UPDATE notification_groups SET body = ? WHERE id = ?`, r.body, r.id); err != nil {
			return err
		}
	}
	return nil
}

// ListNotificationGroups returns the default group, then the others in
// creation order.
func (s *Store) ListNotificationGroups(ctx context.Context) ([]*store.NotificationGroup, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, body, is_default FROM notification_groups ORDER BY is_default DESC, seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.NotificationGroup{}
	for rows.Next() {
		g := &store.NotificationGroup{}
		if err := rows.Scan(&g.ID, &g.Body, &g.IsDefault); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// GetNotificationGroup returns one group (KindNotFound when none).
func (s *Store) GetNotificationGroup(ctx context.Context, id string) (*store.NotificationGroup, error) {
	return getNotificationGroup(ctx, s.read, id)
}

func getNotificationGroup(ctx context.Context, q querier, id string) (*store.NotificationGroup, error) {
	g := &store.NotificationGroup{}
	err := q.QueryRowContext(ctx, `SELECT id, body, is_default FROM notification_groups WHERE id = ?`, id).
		Scan(&g.ID, &g.Body, &g.IsDefault)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("notification group", id)
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// CreateNotificationGroup stores a new, non-default group.
func (s *Store) CreateNotificationGroup(ctx context.Context, g *store.NotificationGroup) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx, "notification_groups")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO notification_groups (id, seq, is_default, body) VALUES (?, ?, 0, ?)`,
			g.ID, seq, g.Body)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "notification group", ID: g.ID,
				Message: "notification group " + g.ID + " already exists"}
		}
		return nil
	})
}

// UpdateNotificationGroup replaces a group's body.
func (s *Store) UpdateNotificationGroup(ctx context.Context, g *store.NotificationGroup) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notification_groups SET body = ? WHERE id = ?`, g.Body, g.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("notification group", g.ID)
		}
		return nil
	})
}

// DeleteNotificationGroup removes a group that is not the default, and
// its id from the groups that have it as a child.
func (s *Store) DeleteNotificationGroup(ctx context.Context, id string) (*store.NotificationGroup, error) {
	var g *store.NotificationGroup
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if g, err = getNotificationGroup(ctx, tx, id); err != nil {
			return err
		}
		if g.IsDefault {
			return &store.Error{Kind: store.KindInvalid, Resource: "notification group", ID: id,
				Message: "The default notification group cannot be deleted."}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notification_groups WHERE id = ?`, id); err != nil {
			return err
		}
		return editGroups(ctx, tx, ``, func(g *notifygroup.Group) bool { return g.RemoveChildGroup(id) })
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// ListAlertGroupSettings returns every setting in creation order.
func (s *Store) ListAlertGroupSettings(ctx context.Context) ([]*store.AlertGroupSetting, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, body FROM alert_group_settings ORDER BY seq`)
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
	return getAlertGroupSetting(ctx, s.read, id)
}

func getAlertGroupSetting(ctx context.Context, q querier, id string) (*store.AlertGroupSetting, error) {
	a := &store.AlertGroupSetting{}
	err := q.QueryRowContext(ctx, `SELECT id, body FROM alert_group_settings WHERE id = ?`, id).Scan(&a.ID, &a.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("alert group setting", id)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// CreateAlertGroupSetting stores a new setting.
func (s *Store) CreateAlertGroupSetting(ctx context.Context, a *store.AlertGroupSetting) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx, "alert_group_settings")
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO alert_group_settings (id, seq, body) VALUES (?, ?, ?)`, a.ID, seq, a.Body)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "alert group setting", ID: a.ID,
				Message: "alert group setting " + a.ID + " already exists"}
		}
		return nil
	})
}

// UpdateAlertGroupSetting replaces a setting's body.
func (s *Store) UpdateAlertGroupSetting(ctx context.Context, a *store.AlertGroupSetting) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE alert_group_settings SET body = ? WHERE id = ?`, a.Body, a.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("alert group setting", a.ID)
		}
		return nil
	})
}

// DeleteAlertGroupSetting removes a setting and returns it as it was.
func (s *Store) DeleteAlertGroupSetting(ctx context.Context, id string) (*store.AlertGroupSetting, error) {
	var a *store.AlertGroupSetting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = getAlertGroupSetting(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM alert_group_settings WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
