package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// CreateChannel stores a new channel; with addToDefault it also joins the
// default notification group, in the same transaction.
func (s *Store) CreateChannel(ctx context.Context, c *store.Channel, addToDefault bool) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO channels (id, type, name, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
			c.ID, c.Type, c.Name, c.Body)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "channel", ID: c.ID,
				Message: "channel " + c.ID + " already exists"}
		}
		if !addToDefault {
			return nil
		}
		return editGroups(ctx, tx, `WHERE is_default`, func(g *notifygroup.Group) bool { return g.AddChannel(c.ID) })
	})
}

// GetChannel returns one channel (KindNotFound when none).
func (s *Store) GetChannel(ctx context.Context, id string) (*store.Channel, error) {
	return getChannel(ctx, s.pool, id)
}

func getChannel(ctx context.Context, q db, id string) (*store.Channel, error) {
	c := &store.Channel{}
	err := q.QueryRow(ctx, `SELECT id, type, name, body, suspended_at FROM channels WHERE id = $1`, id).
		Scan(&c.ID, &c.Type, &c.Name, &c.Body, &c.SuspendedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("channel", id)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ListChannels returns every channel in creation order.
func (s *Store) ListChannels(ctx context.Context) ([]*store.Channel, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, type, name, body, suspended_at FROM channels ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Channel{}
	for rows.Next() {
		c := &store.Channel{}
		if err := rows.Scan(&c.ID, &c.Type, &c.Name, &c.Body, &c.SuspendedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// UpdateChannel replaces a channel's definition and lifts its suspension.
func (s *Store) UpdateChannel(ctx context.Context, c *store.Channel) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE channels SET type = $1, name = $2, body = $3, suspended_at = 0 WHERE id = $4`,
			c.Type, c.Name, c.Body, c.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("channel", c.ID)
		}
		return nil
	})
}

// DeleteChannel removes a channel and its id from every notification
// group, and returns it as it was.
func (s *Store) DeleteChannel(ctx context.Context, id string) (*store.Channel, error) {
	var c *store.Channel
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var err error
		if c, err = getChannel(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM channels WHERE id = $1`, id); err != nil {
			return err
		}
		return editGroups(ctx, tx, ``, func(g *notifygroup.Group) bool { return g.RemoveChannel(id) })
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// SuspendChannel sets when delivery gave up on a channel.
func (s *Store) SuspendChannel(ctx context.Context, id string, at int64) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE channels SET suspended_at = $1 WHERE id = $2`, at, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("channel", id)
		}
		return nil
	})
}
