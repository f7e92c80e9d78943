package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// CreateChannel stores a new channel; with addToDefault it also joins the
// default notification group, in the same transaction.
func (c Core) CreateChannel(ctx context.Context, ch *store.Channel, addToDefault bool) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `INSERT INTO channels (id, seq, type, name, body) VALUES (?, `+q.Dialect().NextSeq("channels")+`, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, ch.ID, ch.Type, ch.Name, ch.Body)
		err = mustAffect(n, err, &store.Error{Kind: store.KindConflict, Resource: "channel", ID: ch.ID,
			Message: "channel " + ch.ID + " already exists"})
		if err != nil || !addToDefault {
			return err
		}
		return editGroups(ctx, q, `WHERE is_default`, func(g *notifygroup.Group) bool { return g.AddChannel(ch.ID) })
	})
}

// GetChannel returns one channel (KindNotFound when none).
func (c Core) GetChannel(ctx context.Context, id string) (*store.Channel, error) {
	return getChannel(ctx, c.E.Reader(), id)
}

const channelColumns = `id, type, name, body, suspended_at`

func scanChannel(row Row) (*store.Channel, error) {
	ch := &store.Channel{}
	return ch, row.Scan(&ch.ID, &ch.Type, &ch.Name, &ch.Body, &ch.SuspendedAt)
}

func getChannel(ctx context.Context, q Q, id string) (*store.Channel, error) {
	ch, err := scanChannel(q.QueryRow(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("channel", id)
	}
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// ListChannels returns every channel in creation order.
func (c Core) ListChannels(ctx context.Context) ([]*store.Channel, error) {
	out, err := collect(scanChannel)(c.E.Reader().Query(ctx, `SELECT `+channelColumns+` FROM channels ORDER BY seq`))
	if out == nil && err == nil {
		out = []*store.Channel{}
	}
	return out, err
}

// UpdateChannel replaces a channel's definition and lifts its suspension.
func (c Core) UpdateChannel(ctx context.Context, ch *store.Channel) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE channels SET type = ?, name = ?, body = ?, suspended_at = 0 WHERE id = ?`,
			ch.Type, ch.Name, ch.Body, ch.ID)
		return mustAffect(n, err, store.NotFound("channel", ch.ID))
	})
}

// DeleteChannel removes a channel and its id from every notification
// group, and returns it as it was.
func (c Core) DeleteChannel(ctx context.Context, id string) (*store.Channel, error) {
	var ch *store.Channel
	err := c.E.WriteTx(ctx, func(q Q) error {
		var err error
		if ch, err = getChannel(ctx, q, id); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `DELETE FROM channels WHERE id = ?`, id); err != nil {
			return err
		}
		return editGroups(ctx, q, ``, func(g *notifygroup.Group) bool { return g.RemoveChannel(id) })
	})
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// SuspendChannel sets when delivery gave up on a channel.
func (c Core) SuspendChannel(ctx context.Context, id string, at int64) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE channels SET suspended_at = ? WHERE id = ?`, at, id)
		return mustAffect(n, err, store.NotFound("channel", id))
	})
}
