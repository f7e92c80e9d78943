package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
	"github.com/mkr-dev/mkr/backend/store/internal/tiers"
)

// The read side of the time-series store: points, latest points and metric
// names, across the hot rows and the sealed blocks.

// Points returns the series' points with from <= time <= to, oldest first,
// from the sealed blocks and the hot rows of the range, read in one
// transaction so that a seal committing meanwhile is seen whole or not at
// all. A row and a block point at the same time (a late post not merged
// yet) yield the row's value. A series that does not exist yields
// ErrNotFound.
func (s *Store) Points(ctx context.Context, k store.SeriesKey, from, to int64) ([]store.Point, error) {
	var out []store.Point
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		id, err := seriesID(ctx, tx, k)
		if err != nil {
			return err
		}
		hot, err := readPoints(ctx, tx, `SELECT time, value FROM points WHERE series_id = ? AND time BETWEEN ? AND ? ORDER BY time`, id, from, to)
		if err != nil {
			return err
		}
		// The result is allocated once, at its size: growing a year's
		// 10 MB slice block by block cost more than decoding it.
		var total int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(points), 0) FROM blocks WHERE series_id = ? AND day BETWEEN ? AND ?`,
			id, chunk.Day(from), chunk.Day(to)).Scan(&total); err != nil {
			return err
		}
		sealed, err := blockPoints(ctx, tx, make([]store.Point, 0, int(total)+len(hot)), id, from, to)
		if err != nil {
			return err
		}
		if len(hot) > 0 && len(sealed) > 0 && sealed[len(sealed)-1].Time < hot[0].Time {
			// The usual case (the rows are the days after the blocks):
			// appended, not merged into a copy of the whole range.
			out = append(sealed, hot...)
		} else {
			out = chunk.MergePoints(sealed, hot)
		}
		return nil
	})
	return out, err
}

// readTx runs fn in a read transaction: one consistent snapshot of the
// database (WAL), whatever writers commit meanwhile.
func (s *Store) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// seriesID returns the id of k, ErrNotFound when there is no such series.
func seriesID(ctx context.Context, tx *sql.Tx, k store.SeriesKey) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM series WHERE kind = ? AND owner = ? AND name = ?`, k.Kind, k.Owner, k.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.NotFound("metric", k.Name)
	}
	return id, err
}

// blockPoints decodes the series' blocks that overlap [from, to] and
// appends their points in the range to out.
func blockPoints(ctx context.Context, tx *sql.Tx, out []store.Point, id, from, to int64) ([]store.Point, error) {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM blocks WHERE series_id = ? AND day BETWEEN ? AND ? ORDER BY day`,
		id, chunk.Day(from), chunk.Day(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		// Decoded in place at the end of out; only the range's first and
		// last days have points outside it, dropped in place.
		n := len(out)
		if out, err = chunk.DecodeAppend(out, data); err != nil {
			return nil, err
		}
		if n < len(out) && (out[n].Time < from || out[len(out)-1].Time > to) {
			out = append(out[:n], tiers.AppendInRange(nil, out[n:], from, to)...)
		}
	}
	return out, rows.Err()
}

// LatestPoints returns the newest point of each (owner, name) pair that has
// one; pairs without data are absent from the result. The newest point is
// usually a hot row; a series that stopped posting more than the hot
// window ago has its newest point in its newest block.
func (s *Store) LatestPoints(ctx context.Context, kind string, owners, names []string) (map[string]map[string]store.Point, error) {
	out := map[string]map[string]store.Point{}
	if len(owners) == 0 || len(names) == 0 {
		return out, nil
	}
	args := []any{kind}
	for _, o := range owners {
		args = append(args, o)
	}
	for _, n := range names {
		args = append(args, n)
	}
	match := `s.kind = ? AND s.owner IN (` + placeholders(len(owners)) + `) AND s.name IN (` + placeholders(len(names)) + `)`
	put := func(owner, name string, p store.Point) {
		if out[owner] == nil {
			out[owner] = map[string]store.Point{}
		}
		// A row wins over a block point at the same time: it is the
		// later post.
		if old, ok := out[owner][name]; !ok || p.Time > old.Time {
			out[owner][name] = p
		}
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.owner, s.name, p.time, p.value FROM series s
			JOIN points p ON p.series_id = s.id
			WHERE `+match+` AND p.time = (SELECT MAX(time) FROM points WHERE series_id = s.id)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var owner, name string
			var p store.Point
			if err := rows.Scan(&owner, &name, &p.Time, &p.Value); err != nil {
				rows.Close()
				return err
			}
			put(owner, name, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Blocks are decoded only where they may hold the newest point.
		type newest struct {
			owner, name string
			id, day     int64
		}
		var todo []newest
		rows, err = tx.QueryContext(ctx, `SELECT s.owner, s.name, s.id, MAX(b.day) FROM series s
			JOIN blocks b ON b.series_id = s.id WHERE `+match+` GROUP BY s.id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n newest
			if err := rows.Scan(&n.owner, &n.name, &n.id, &n.day); err != nil {
				rows.Close()
				return err
			}
			if hot, ok := out[n.owner][n.name]; !ok || chunk.Day(hot.Time) <= n.day {
				todo = append(todo, n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range todo {
			var data []byte
			if err := tx.QueryRowContext(ctx, `SELECT data FROM blocks WHERE series_id = ? AND day = ?`, n.id, n.day).Scan(&data); err != nil {
				return err
			}
			pts, err := chunk.Decode(data)
			if err != nil {
				return err
			}
			if len(pts) > 0 {
				put(n.owner, n.name, pts[len(pts)-1])
			}
		}
		return nil
	})
	return out, err
}

// MetricNames returns the names of the owner's series that have data, hot
// or sealed.
func (s *Store) MetricNames(ctx context.Context, kind, owner string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.name FROM series s WHERE s.kind = ? AND s.owner = ?
		AND (EXISTS (SELECT 1 FROM points p WHERE p.series_id = s.id) OR EXISTS (SELECT 1 FROM blocks b WHERE b.series_id = s.id))
		ORDER BY s.name`, kind, owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
