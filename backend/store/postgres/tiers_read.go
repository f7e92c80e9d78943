package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
	"github.com/mkr-dev/mkr/backend/store/internal/tiers"
)

// The read side of the time-series store on PostgreSQL: the hot rows
// (points, minus those of sealing days already in blocks, plus
// late_points, which win at equal times) and the sealed blocks, read in
// one snapshot and merged by package chunk's rules, as on SQLite.

// visible is the condition on a points row p that it is not in a block
// yet: rows of a day being sealed stay in its partition, up to the series
// the seal has reached, until the partition is dropped.
const visible = `NOT EXISTS (SELECT 1 FROM sealing_days sd WHERE p.time >= sd.day * 86400
	AND p.time < sd.day * 86400 + 86400 AND p.series_id <= sd.sealed_through)`

// readTx runs fn in a read-only REPEATABLE READ transaction: one snapshot
// of every tier. Its first statement locks points (ACCESS SHARE, before
// the snapshot is taken: LOCK takes none), so a seal dropping a partition
// commits either wholly before the snapshot or after this read ends.
func (s *Store) readTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer rollback(tx)
	if _, err := tx.Exec(ctx, `LOCK TABLE points IN ACCESS SHARE MODE`); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// seriesID returns the id of k, ErrNotFound when there is no such series.
func seriesID(ctx context.Context, q db, k store.SeriesKey) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM series WHERE kind = $1 AND owner = $2 AND name = $3`, k.Kind, k.Owner, k.Name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, store.NotFound("metric", k.Name)
	}
	return id, err
}

// scanPoints collects (time, value) rows.
func scanPoints(rows pgx.Rows, err error) ([]store.Point, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[store.Point])
}

// hotRows returns the series' hot points with from <= time < to, oldest
// first: the visible points rows merged with late_points.
func hotRows(ctx context.Context, q db, id, from, to int64) ([]store.Point, error) {
	rows, err := scanPoints(q.Query(ctx, `SELECT time, value FROM points p WHERE series_id = $1 AND time >= $2 AND time < $3
		AND `+visible+` ORDER BY time`, id, from, to))
	if err != nil {
		return nil, err
	}
	late, err := scanPoints(q.Query(ctx, `SELECT time, value FROM late_points WHERE series_id = $1 AND time >= $2 AND time < $3 ORDER BY time`,
		id, from, to))
	if err != nil {
		return nil, err
	}
	return chunk.MergePoints(rows, late), nil
}

// endOf is the exclusive end of an inclusive range's last second.
func endOf(to int64) int64 {
	if to == 1<<63-1 {
		return to
	}
	return to + 1
}

// Points returns the series' points with from <= time <= to, oldest first,
// from the blocks and the hot rows of the range; a hot row wins over a
// block point at the same time (a late post not merged yet). A series
// that does not exist yields ErrNotFound.
func (s *Store) Points(ctx context.Context, k store.SeriesKey, from, to int64) ([]store.Point, error) {
	out := []store.Point{}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		id, err := seriesID(ctx, tx, k)
		if err != nil {
			return err
		}
		if from > to {
			return nil
		}
		rows, err := tx.Query(ctx, `SELECT data FROM blocks WHERE series_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day`,
			id, chunk.Day(from), chunk.Day(to))
		if err != nil {
			return err
		}
		var sealed, pts []store.Point
		var data []byte
		if _, err := pgx.ForEachRow(rows, []any{&data}, func() error {
			var err error
			pts, err = chunk.DecodeAppend(pts[:0], data)
			sealed = tiers.AppendInRange(sealed, pts, from, to)
			return err
		}); err != nil {
			return err
		}
		hot, err := hotRows(ctx, tx, id, from, endOf(to))
		if err != nil {
			return err
		}
		if merged := chunk.MergePoints(sealed, hot); merged != nil {
			out = merged
		}
		return nil
	})
	return out, err
}

// Rollups returns the series' buckets at step that overlap [from, to],
// oldest first. A sealed day without hot rows answers from its stored
// rollup; a day with rows is rolled up from its points, merged with its
// block.
func (s *Store) Rollups(ctx context.Context, k store.SeriesKey, from, to int64, step int64) ([]store.Rollup, error) {
	if err := tiers.CheckStep(step); err != nil {
		return nil, err
	}
	column := map[int64]string{store.Step5m: "rollup_5m", store.Step1h: "rollup_1h"}[step]
	out := []store.Rollup{}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		id, err := seriesID(ctx, tx, k)
		if err != nil || from > to {
			return err
		}
		firstDay, lastDay := chunk.Day(from), chunk.Day(to)
		// Whole days of rows, so that a bucket at the range's edge is
		// made of all its points.
		hot, err := hotRows(ctx, tx, id, firstDay*store.Day, (lastDay+1)*store.Day)
		if err != nil {
			return err
		}
		rowDays := tiers.SplitDays(hot)
		rows, err := tx.Query(ctx, `SELECT day, `+column+`, CASE WHEN day = ANY($4) THEN data END FROM blocks
			WHERE series_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day`, id, firstDay, lastDay, mapKeys(rowDays))
		if err != nil {
			return err
		}
		sealed := map[int64][]store.Rollup{}
		var day int64
		var blob, data []byte
		if _, err := pgx.ForEachRow(rows, []any{&day, &blob, &data}, func() error {
			if data != nil { // a day with rows too: its points decide
				old, err := chunk.Decode(data)
				rowDays[day] = chunk.MergePoints(old, rowDays[day])
				return err
			}
			var err error
			sealed[day], err = chunk.DecodeRollups(blob)
			return err
		}); err != nil {
			return err
		}
		out = tiers.AssembleRollups(rowDays, sealed, from, to, step)
		return nil
	})
	return out, err
}

func mapKeys[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// LatestPoints returns the newest point of each (owner, name) pair that has
// one; pairs without data are absent. At equal times a late row wins over
// a points row, which wins over a block.
func (s *Store) LatestPoints(ctx context.Context, kind string, owners, names []string) (map[string]map[string]store.Point, error) {
	out := map[string]map[string]store.Point{}
	if len(owners) == 0 || len(names) == 0 {
		return out, nil
	}
	put := func(owner, name string, p store.Point) {
		if out[owner] == nil {
			out[owner] = map[string]store.Point{}
		}
		if old, ok := out[owner][name]; !ok || p.Time >= old.Time {
			out[owner][name] = p
		}
	}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var owner, name string
		var p store.Point
		var data []byte
		// The newest block of each series first (decoded only there), then
		// the newest visible row, then the newest late row: one index
		// probe each per series (LATERAL … LIMIT 1).
		queries := []string{
			`SELECT s.owner, s.name, 0::bigint, 0::float8, b.data FROM series s
				CROSS JOIN LATERAL (SELECT data FROM blocks WHERE series_id = s.id ORDER BY day DESC LIMIT 1) b`,
			`SELECT s.owner, s.name, p.time, p.value, NULL::bytea FROM series s
				CROSS JOIN LATERAL (SELECT time, value FROM points p WHERE series_id = s.id AND ` + visible + ` ORDER BY time DESC LIMIT 1) p`,
			`SELECT s.owner, s.name, p.time, p.value, NULL::bytea FROM series s
				CROSS JOIN LATERAL (SELECT time, value FROM late_points WHERE series_id = s.id ORDER BY time DESC LIMIT 1) p`,
		}
		for _, q := range queries {
			rows, err := tx.Query(ctx, q+` WHERE s.kind = $1 AND s.owner = ANY($2) AND s.name = ANY($3)`, kind, owners, names)
			if err != nil {
				return err
			}
			if _, err := pgx.ForEachRow(rows, []any{&owner, &name, &p.Time, &p.Value, &data}, func() error {
				if data == nil {
					put(owner, name, p)
					return nil
				}
				pts, err := chunk.Decode(data)
				if err == nil && len(pts) > 0 {
					put(owner, name, pts[len(pts)-1])
				}
				return err
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MetricNames returns the names of the owner's series that have data, hot
// or sealed.
func (s *Store) MetricNames(ctx context.Context, kind, owner string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.name FROM series s WHERE s.kind = $1 AND s.owner = $2
		AND (EXISTS (SELECT 1 FROM points p WHERE p.series_id = s.id) OR EXISTS (SELECT 1 FROM blocks b WHERE b.series_id = s.id)
			OR EXISTS (SELECT 1 FROM late_points l WHERE l.series_id = s.id))
		ORDER BY s.name`, kind, owner)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if out == nil {
		out = []string{}
	}
	return out, err
}

// CountPoints counts every stored point, hot and sealed, each (series,
// time) once (for tests and benchmarks).
func (s *Store) CountPoints(ctx context.Context) (int64, error) {
	var n int64
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT (SELECT coalesce(sum(points), 0) FROM blocks)
			+ (SELECT count(*) FROM points p WHERE `+visible+`
				AND NOT EXISTS (SELECT 1 FROM late_points l WHERE l.series_id = p.series_id AND l.time = p.time))
			+ (SELECT count(*) FROM late_points)`).Scan(&n)
	})
	return n, err
}
