package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// The read side of the time-series store: points, latest points and metric
// names, across the hot rows and the sealed blocks.

// Points returns the series' points with from <= time <= to, oldest first.
// A series that does not exist yields ErrNotFound.
func (s *Store) Points(ctx context.Context, k store.SeriesKey, from, to int64) ([]store.Point, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT id FROM series WHERE kind = ? AND owner = ? AND name = ?`, k.Kind, k.Owner, k.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("metric", k.Name)
	}
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT time, value FROM points WHERE series_id = ? AND time BETWEEN ? AND ? ORDER BY time`, id, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.Point{}
	for rows.Next() {
		var p store.Point
		if err := rows.Scan(&p.Time, &p.Value); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// LatestPoints returns the newest point of each (owner, name) pair that has
// one; pairs without data are absent from the result.
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
	rows, err := s.read.QueryContext(ctx, `SELECT s.owner, s.name, p.time, p.value FROM series s
		JOIN points p ON p.series_id = s.id
		WHERE s.kind = ? AND s.owner IN (`+placeholders(len(owners))+`) AND s.name IN (`+placeholders(len(names))+`)
		AND p.time = (SELECT MAX(time) FROM points WHERE series_id = s.id)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var owner, name string
		var p store.Point
		if err := rows.Scan(&owner, &name, &p.Time, &p.Value); err != nil {
			return nil, err
		}
		if out[owner] == nil {
			out[owner] = map[string]store.Point{}
		}
		out[owner][name] = p
	}
	return out, rows.Err()
}

// MetricNames returns the names of the owner's series that have data.
func (s *Store) MetricNames(ctx context.Context, kind, owner string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.name FROM series s WHERE s.kind = ? AND s.owner = ?
		AND EXISTS (SELECT 1 FROM points p WHERE p.series_id = s.id) ORDER BY s.name`, kind, owner)
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
