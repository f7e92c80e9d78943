package sqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// editGroups applies edit to the groups selected by where (a WHERE clause
// over notification_groups, "" for all), inside the transaction q, and
// writes back those it changed. The change itself is the model's (package
// notifygroup): the store only finds the rows and keeps the bodies it is
// given.
func editGroups(ctx context.Context, q Q, where string, edit func(*notifygroup.Group) bool) error {
	type row struct {
		id   string
		body []byte
	}
	rows, err := collect(func(r Row) (row, error) {
		var v row
		return v, r.Scan(&v.id, &v.body)
	})(q.Query(ctx, `SELECT id, body FROM notification_groups `+where+` ORDER BY seq`))
	if err != nil {
		return err
	}
	for _, r := range rows {
		g, err := notifygroup.DecodeGroup(r.body)
		if err != nil {
			return fmt.Errorf("notification group %s: stored body: %w", r.id, err)
		}
		if !edit(g) {
			continue
		}
		if _, err := q.Exec(ctx, `UPDATE notification_groups SET body = ? WHERE id = ?`, notifygroup.EncodeGroup(g), r.id); err != nil {
			return err
		}
	}
	return nil
}

func scanNotificationGroup(row Row) (*store.NotificationGroup, error) {
	g := &store.NotificationGroup{}
	return g, row.Scan(&g.ID, &g.Body, &g.IsDefault)
}

// ListNotificationGroups returns the default group, then the others in
// creation order.
func (c Core) ListNotificationGroups(ctx context.Context) ([]*store.NotificationGroup, error) {
	out, err := collect(scanNotificationGroup)(c.E.Reader().Query(ctx,
		`SELECT id, body, is_default FROM notification_groups ORDER BY is_default DESC, seq`))
	if out == nil && err == nil {
		out = []*store.NotificationGroup{}
	}
	return out, err
}

// GetNotificationGroup returns one group (KindNotFound when none).
func (c Core) GetNotificationGroup(ctx context.Context, id string) (*store.NotificationGroup, error) {
	return getNotificationGroup(ctx, c.E.Reader(), id)
}

func getNotificationGroup(ctx context.Context, q Q, id string) (*store.NotificationGroup, error) {
	g, err := scanNotificationGroup(q.QueryRow(ctx, `SELECT id, body, is_default FROM notification_groups WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("notification group", id)
	}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// CreateNotificationGroup stores a new, non-default group.
func (c Core) CreateNotificationGroup(ctx context.Context, g *store.NotificationGroup) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		// false is SQLite's 0 as well as PostgreSQL's boolean.
		n, err := q.Exec(ctx, `INSERT INTO notification_groups (id, seq, is_default, body)
			VALUES (?, `+q.Dialect().NextSeq("notification_groups")+`, false, ?) ON CONFLICT (id) DO NOTHING`, g.ID, g.Body)
		return mustAffect(n, err, &store.Error{Kind: store.KindConflict, Resource: "notification group", ID: g.ID,
			Message: "notification group " + g.ID + " already exists"})
	})
}

// UpdateNotificationGroup replaces a group's body.
func (c Core) UpdateNotificationGroup(ctx context.Context, g *store.NotificationGroup) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE notification_groups SET body = ? WHERE id = ?`, g.Body, g.ID)
		return mustAffect(n, err, store.NotFound("notification group", g.ID))
	})
}

// DeleteNotificationGroup removes a group that is not the default, and
// its id from the groups that have it as a child.
func (c Core) DeleteNotificationGroup(ctx context.Context, id string) (*store.NotificationGroup, error) {
	var g *store.NotificationGroup
	err := c.E.WriteTx(ctx, func(q Q) error {
		var err error
		if g, err = getNotificationGroup(ctx, q, id); err != nil {
			return err
		}
		if g.IsDefault {
			return &store.Error{Kind: store.KindInvalid, Resource: "notification group", ID: id,
				Message: "The default notification group cannot be deleted."}
		}
		if _, err := q.Exec(ctx, `DELETE FROM notification_groups WHERE id = ?`, id); err != nil {
			return err
		}
		return editGroups(ctx, q, ``, func(g *notifygroup.Group) bool { return g.RemoveChildGroup(id) })
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}
