package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// CreateDowntime stores d as the newest downtime.
func (s *Store) CreateDowntime(ctx context.Context, d *store.Downtime) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		seq, err := nextSeq(ctx, tx, "downtimes")
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO downtimes (id, seq, body) VALUES (?, ?, ?)`, d.ID, seq, d.Body)
		return err
	})
}

func getDowntime(ctx context.Context, q querier, id string) (*store.Downtime, error) {
	d := &store.Downtime{ID: id}
	err := q.QueryRowContext(ctx, `SELECT body FROM downtimes WHERE id = ?`, id).Scan(&d.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("downtime", id)
	}
	return d, err
}

// GetDowntime returns one downtime.
func (s *Store) GetDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	return getDowntime(ctx, s.read, id)
}

// ListDowntimes returns every downtime, oldest first.
func (s *Store) ListDowntimes(ctx context.Context) ([]*store.Downtime, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, body FROM downtimes ORDER BY seq`)
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
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE downtimes SET body = ? WHERE id = ?`, d.Body, d.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.NotFound("downtime", d.ID)
		}
		return nil
	})
}

// DeleteDowntime removes a downtime and returns it as it was.
func (s *Store) DeleteDowntime(ctx context.Context, id string) (*store.Downtime, error) {
	var out *store.Downtime
	err := s.tx(ctx, func(tx *sql.Tx) error {
		d, err := getDowntime(ctx, tx, id)
		if err != nil {
			return err
		}
		out = d
		_, err = tx.ExecContext(ctx, `DELETE FROM downtimes WHERE id = ?`, id)
		return err
	})
	return out, err
}
