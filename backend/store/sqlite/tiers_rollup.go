package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
	"github.com/mkr-dev/mkr/backend/store/internal/tiers"
)

// Rollups returns the series' buckets at step that overlap [from, to],
// oldest first. A sealed day without hot rows answers from its stored
// rollup; a day with rows (the hot tail, or a sealed day with late points
// not merged yet) is rolled up from its points, merged with its block.
//
// Blocks sealed now store no 5-minute rollup (an empty rollup_5m): it took
// 1.8 bytes a point beside the points' 2.5, and rolling a day's 1,440
// points up on read costs about what decoding its stored rollup did
// (BenchmarkTierRangeRead). A 5-minute read rolls such a day up from its
// points; blocks sealed before keep answering from their stored rollup.
func (s *Store) Rollups(ctx context.Context, k store.SeriesKey, from, to int64, step int64) ([]store.Rollup, error) {
	if err := tiers.CheckStep(step); err != nil {
		return nil, err
	}
	// The day's rollup at step, or its points when it has none stored.
	column := map[int64]string{
		store.Step5m: "CASE WHEN length(rollup_5m) > 0 THEN rollup_5m ELSE data END, length(rollup_5m) = 0",
		store.Step1h: "rollup_1h, 0",
	}[step]
	out := []store.Rollup{}
	if from > to {
		return out, nil
	}
	firstDay, lastDay := chunk.Day(from), chunk.Day(to)
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		id, err := seriesID(ctx, tx, k)
		if err != nil {
			return err
		}
		// Whole days of rows, so that a bucket at the range's edge is
		// made of all its points.
		hot, err := readPoints(ctx, tx, `SELECT time, value FROM points WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time`,
			id, firstDay*store.Day, (lastDay+1)*store.Day)
		if err != nil {
			return err
		}
		hotDays := tiers.SplitDays(hot)
		rows, err := tx.QueryContext(ctx, `SELECT day, `+column+` FROM blocks WHERE series_id = ? AND day BETWEEN ? AND ? ORDER BY day`,
			id, firstDay, lastDay)
		if err != nil {
			return err
		}
		sealed := map[int64][]store.Rollup{}
		var mixed []int64 // days with both a block and rows
		for rows.Next() {
			var day int64
			var blob []byte
			var isPoints bool
			if err := rows.Scan(&day, &blob, &isPoints); err != nil {
				rows.Close()
				return err
			}
			if _, ok := hotDays[day]; ok {
				mixed = append(mixed, day)
				continue
			}
			if isPoints {
				pts, err := chunk.Decode(blob)
				if err != nil {
					rows.Close()
					return err
				}
				sealed[day] = chunk.RollUp(pts, step)
				continue
			}
			if sealed[day], err = chunk.DecodeRollups(blob); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, day := range mixed {
			var data []byte
			if err := tx.QueryRowContext(ctx, `SELECT data FROM blocks WHERE series_id = ? AND day = ?`, id, day).Scan(&data); err != nil {
				return err
			}
			old, err := chunk.Decode(data)
			if err != nil {
				return err
			}
			hotDays[day] = chunk.MergePoints(old, hotDays[day])
		}
		out = tiers.AssembleRollups(hotDays, sealed, from, to, step)
		return nil
	})
	return out, err
}
