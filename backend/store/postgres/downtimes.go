package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// CreateDowntime stores d as the newest downtime.
func (s *Store) CreateDowntime(ctx context.Context, d *store.Downtime) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO downtimes (id, body) VALUES ($1, $2)`, d.ID, d.Body)
		return err
	})
}

func getDowntime(ctx context.Context, q db, id string) (*store.Downtime, error) {
	d := &store.Downtime{ID: id}
	err := q.QueryRow(ctx, `SELECT body FROM downtimes WHERE id = $1`, id).Scan(&d.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("downtime", id)
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// GetDowntime returns one downtime.
func (s *Store) GetDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	return getDowntime(ctx, s.pool, id)
}

// ListDowntimes returns every downtime, oldest first.
func (s *Store) ListDowntimes(ctx context.Context) ([]*store.Downtime, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, body FROM downtimes ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*store.Downtime{}
	for rows.Next() {
		var d store.Downtime
		if err := rows.Scan(&d.ID, &d.Body); err != nil {
			return nil, err
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

// UpdateDowntime replaces a downtime's body; it keeps its place in the list.
func (s *Store) UpdateDowntime(ctx context.Context, d *store.Downtime) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE downtimes SET body = $1 WHERE id = $2`, d.Body, d.ID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("downtime", d.ID)
		}
		return nil
	})
}

// DeleteDowntime removes a downtime and returns it as it was.
func (s *Store) DeleteDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	var out *store.Downtime
	err := s.tx(ctx, func(tx pgx.Tx) error {
		d, err := getDowntime(ctx, tx, id)
		if err != nil {
			return err
		}
		out = d
		_, err = tx.Exec(ctx, `DELETE FROM downtimes WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
