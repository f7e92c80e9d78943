package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// CreateDowntime stores d as the newest downtime.
func (c Core) CreateDowntime(ctx context.Context, d *store.Downtime) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		_, err := q.Exec(ctx, `INSERT INTO downtimes (id, seq, body) VALUES (?, `+q.Dialect().NextSeq("downtimes")+`, ?)`, d.ID, d.Body)
		return err
	})
}

func getDowntime(ctx context.Context, q Q, id string) (*store.Downtime, error) {
	d := &store.Downtime{ID: id}
	err := q.QueryRow(ctx, `SELECT body FROM downtimes WHERE id = ?`, id).Scan(&d.Body)
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("downtime", id)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// GetDowntime returns one downtime.
func (c Core) GetDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	return getDowntime(ctx, c.E.Reader(), id)
}

// ListDowntimes returns every downtime, oldest first.
func (c Core) ListDowntimes(ctx context.Context) ([]*store.Downtime, error) {
	return listOf(func(row Row) (*store.Downtime, error) {
		var d store.Downtime
		return &d, row.Scan(&d.ID, &d.Body)
	})(c.E.Reader().Query(ctx, `SELECT id, body FROM downtimes ORDER BY seq`))
}

// UpdateDowntime replaces a downtime's body; it keeps its place in the list.
func (c Core) UpdateDowntime(ctx context.Context, d *store.Downtime) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE downtimes SET body = ? WHERE id = ?`, d.Body, d.ID)
		return mustAffect(n, err, store.NotFound("downtime", d.ID))
	})
}

// DeleteDowntime removes a downtime and returns it as it was.
func (c Core) DeleteDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	return removeRow(ctx, c, func(q Q) (*store.Downtime, error) { return getDowntime(ctx, q, id) },
		`DELETE FROM downtimes WHERE id = ?`, id)
}
