package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// editGroups applies edit to the groups selected by where (a WHERE clause
// over notification_groups, "" for all), inside tx, and writes back those
// it changed. The change itself is the model's (package notifygroup): the
// store only finds the rows and keeps the bodies it is given.
func editGroups(ctx context.Context, tx pgx.Tx, where string, edit func(*notifygroup.Group) bool) error {
	rows, err := tx.Query(ctx, `SELECT id, body FROM notification_groups `+where+` ORDER BY seq`)
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
		if _, err := tx.Exec(ctx, `UPDATE notification_groups SET body = $1 WHERE id = $2`, r.body, r.id); err != nil {
			return err
		}
	}
	return nil
}

// ListNotificationGroups returns the default group, then the others in
// creation order.
func (s *Store) ListNotificationGroups(ctx context.Context) ([]*store.NotificationGroup, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, body, is_default FROM notification_groups ORDER BY is_default DESC, seq`)
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
	return getNotificationGroup(ctx, s.pool, id)
}

func getNotificationGroup(ctx context.Context, q db, id string) (*store.NotificationGroup, error) {
	g := &store.NotificationGroup{}
	err := q.QueryRow(ctx, `SELECT id, body, is_default FROM notification_groups WHERE id = $1`, id).
		Scan(&g.ID, &g.Body, &g.IsDefault)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("notification group", id)
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// CreateNotificationGroup stores a new, non-default group.
func (s *Store) CreateNotificationGroup(ctx context.Context, g *store.NotificationGroup) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO notification_groups (id, is_default, body) VALUES ($1, false, $2) ON CONFLICT (id) DO NOTHING`,
			g.ID, g.Body)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "notification group", ID: g.ID,
				Message: "notification group " + g.ID + " already exists"}
		}
		return nil
	})
}

// UpdateNotificationGroup replaces a group's body.
func (s *Store) UpdateNotificationGroup(ctx context.Context, g *store.NotificationGroup) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE notification_groups SET body = $1 WHERE id = $2`, g.Body, g.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("notification group", g.ID)
		}
		return nil
	})
}

// DeleteNotificationGroup removes a group that is not the default, and
// its id from the groups that have it as a child.
func (s *Store) DeleteNotificationGroup(ctx context.Context, id string) (*store.NotificationGroup, error) {
	var g *store.NotificationGroup
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if g, err = getNotificationGroup(ctx, tx, id); err != nil {
			return err
		}
		if g.IsDefault {
			return &store.Error{Kind: store.KindInvalid, Resource: "notification group", ID: id,
				Message: "The default notification group cannot be deleted."}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM notification_groups WHERE id = $1`, id); err != nil {
			return err
		}
		return editGroups(ctx, tx, ``, func(g *notifygroup.Group) bool { return g.RemoveChildGroup(id) })
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
