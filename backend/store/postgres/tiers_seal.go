package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/pace"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
	"github.com/mkr-dev/mkr/backend/store/internal/tiers"
)

// sealLockKey is the session advisory lock one Compact run holds ("mks"):
// replicas seal one at a time, each batch re-reading where the last one,
// from whichever replica, stopped.
const sealLockKey = 0x6d6b73

// Compact seals the hot rows of days that ended more than the hot window
// ago into blocks and drops what is older than the retention (see
// store.TierStore), by the rules of package tiers.
//
// How it differs from SQLite: a day's rows are never deleted. The run
// first freezes the days before the cutoff (tier_state.frozen_before:
// inserts for them go to late_points from then on), then seals each
// frozen day series by series in id order, recording in sealing_days how
// far it got (reads skip the rows up to there: they are in blocks), and
// when the day is done drops its partition whole. Late rows and rows of
// the default partition, few, are deleted as they are sealed.
func (s *Store) Compact(ctx context.Context, opts store.CompactOptions) (store.CompactResult, error) {
	var res store.CompactResult
	retention, err := s.compactRetention(ctx, opts)
	if err != nil {
		return res, err
	}
	if opts.Retention >= 0 {
		res.Retention = retention
	}
	plan := tiers.PlanCompact(s.now().Unix(), opts, retention)
	unlock, err := s.sealLock(ctx)
	if err != nil {
		return res, err
	}
	defer unlock()
	if err := s.ensurePartitions(ctx); err != nil {
		return res, fmt.Errorf("creating the day partitions of points: %w", err)
	}
	if err := s.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE tier_state SET frozen_before = $1 WHERE id = 1 AND frozen_before < $1`, plan.CutoffDay*store.Day)
		return err
	}); err != nil {
		return res, fmt.Errorf("freezing the days to seal: %w", err)
	}
	r := &sealRun{s: s, opts: opts, plan: plan, res: &res, pace: pace.New(opts.Share)}
	done, err := r.expireBlocks(ctx)
	if err != nil || !done {
		return res, err
	}
	done, err = r.seal(ctx)
	res.Done = done
	return res, err
}

// compactRetention is the retention the run keeps (tiers.Retention), kept
// in tier_state.
func (s *Store) compactRetention(ctx context.Context, opts store.CompactOptions) (time.Duration, error) {
	return tiers.Retention(opts, s.retention, func(secs int64) error {
		return s.tx(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE tier_state SET retention_seconds = $1 WHERE id = 1`, secs)
			return err
		})
	}, func() (secs int64, err error) {
		err = s.pool.QueryRow(ctx, `SELECT retention_seconds FROM tier_state WHERE id = 1`).Scan(&secs)
		return secs, mapErr(err)
	})
}

// sealLock takes the session advisory lock on a connection of its own,
// waiting for another replica's run to end; unlock releases both. A
// replica that dies mid-run loses its session, and with it the lock.
func (s *Store) sealLock(ctx context.Context) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, sealLockKey); err != nil {
		conn.Release()
		return nil, err
	}
	return func() {
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, sealLockKey); err != nil {
			conn.Hijack().Close(context.Background()) // closing the session releases it
			return
		}
		conn.Release()
	}, nil
}

// sealRun is one Compact call's progress.
type sealRun struct {
	s    *Store
	opts store.CompactOptions
	plan tiers.Plan
	res  *store.CompactResult
	// pace rests the run between batches (opts.Share).
	pace *pace.Pacer
}

func (r *sealRun) budgetLeft() bool { return tiers.BudgetLeft(r.opts, r.res) }

// batch runs fn as one sealing transaction (tiers.RunBatch).
func (r *sealRun) batch(ctx context.Context, fn func(pgx.Tx) error) error {
	if err := tiers.RunBatch(r.opts, r.res, func(body func(pgx.Tx) error) error { return r.s.tx(ctx, body) }, fn); err != nil {
		return err
	}
	return r.pace.Rest(ctx)
}

// expireBlocks drops the blocks of expired days, oldest first, a batch of
// blocks per transaction; false when the run's budget ended first.
func (r *sealRun) expireBlocks(ctx context.Context) (bool, error) {
	if r.plan.ExpireDay == tiers.NoExpiry {
		return true, nil
	}
	limit := max(1, r.plan.BatchPoints/1440)
	for {
		var any int
		err := r.s.pool.QueryRow(ctx, `SELECT 1 FROM blocks WHERE day < $1 LIMIT 1`, r.plan.ExpireDay).Scan(&any)
		if errors.Is(err, pgx.ErrNoRows) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		if !r.budgetLeft() {
			return false, nil
		}
		var blocks int
		var points int64
		err = r.batch(ctx, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `WITH gone AS (DELETE FROM blocks WHERE (series_id, day) IN
				(SELECT series_id, day FROM blocks WHERE day < $1 ORDER BY day LIMIT $2) RETURNING points)
				SELECT count(*), coalesce(sum(points), 0) FROM gone`, r.plan.ExpireDay, limit).Scan(&blocks, &points)
		})
		if err != nil {
			return false, err
		}
		r.res.ExpiredBlocks += blocks
		r.res.ExpiredPoints += points
	}
}

// seal seals every day before the cutoff that has hot rows, oldest first;
// false when the run's budget ended first. Once everything is sealed for
// a cutoff, bounded runs skip at once until the next day; a complete run
// (MaxBatches 0) always looks, so late points are merged now.
func (r *sealRun) seal(ctx context.Context) (bool, error) {
	if r.opts.MaxBatches > 0 {
		var sealedBefore int64
		if err := r.s.pool.QueryRow(ctx, `SELECT sealed_before FROM tier_state WHERE id = 1`).Scan(&sealedBefore); err != nil {
			return false, fmt.Errorf("reading the sealing state: %w", err)
		}
		if sealedBefore == r.plan.CutoffDay {
			return true, nil
		}
	}
	days, err := r.daysToSeal(ctx)
	if err != nil {
		return false, err
	}
	for _, day := range days {
		done, err := r.sealDay(ctx, day)
		if err != nil || !done {
			return false, err
		}
	}
	_, err = r.s.pool.Exec(ctx, `UPDATE tier_state SET sealed_before = $1 WHERE id = 1`, r.plan.CutoffDay)
	return err == nil, err
}

// daysToSeal lists the days before the cutoff that hold hot rows: those
// with a partition, those being sealed, and those of rows in the default
// partition or in late_points.
func (r *sealRun) daysToSeal(ctx context.Context) ([]int64, error) {
	cutoff := r.plan.CutoffDay * store.Day
	rows, err := r.s.pool.Query(ctx, `SELECT day FROM sealing_days WHERE day < $1
		UNION SELECT DISTINCT floor(time / 86400.0)::bigint FROM points_default WHERE time < $2
		UNION SELECT DISTINCT floor(time / 86400.0)::bigint FROM late_points WHERE time < $2`, r.plan.CutoffDay, cutoff)
	if err != nil {
		return nil, err
	}
	days, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	parts, err := partitionDays(ctx, r.s.pool)
	if err != nil {
		return nil, err
	}
	for day := range parts {
		if day < r.plan.CutoffDay {
			days = append(days, day)
		}
	}
	slices.Sort(days)
	return slices.Compact(days), nil
}

// sealDay seals one frozen day in batches; false when the run's budget
// ended first.
func (r *sealRun) sealDay(ctx context.Context, day int64) (bool, error) {
	for {
		var through int64
		err := r.s.pool.QueryRow(ctx, `SELECT sealed_through FROM sealing_days WHERE day = $1`, day).Scan(&through)
		if errors.Is(err, pgx.ErrNoRows) {
			through = 0 // series ids start at 1
		} else if err != nil {
			return false, err
		}
		cands, exhausted, err := r.candidates(ctx, day, through)
		if err != nil {
			return false, err
		}
		if !r.budgetLeft() {
			return false, nil
		}
		finished := false
		err = r.batch(ctx, func(tx pgx.Tx) error {
			next, all, err := r.sealSeries(ctx, tx, day, through, cands)
			if err != nil {
				return err
			}
			if finished = all && exhausted; finished {
				return finishDay(ctx, tx, day)
			}
			_, err = tx.Exec(ctx, `INSERT INTO sealing_days (day, sealed_through) VALUES ($1, $2)
				ON CONFLICT (day) DO UPDATE SET sealed_through = excluded.sealed_through`, day, next)
			return err
		})
		if err != nil || finished {
			return finished, err
		}
	}
}

// candidates returns, in id order, up to SealCandidates series with rows
// of day to seal: visible rows past through, or late rows (any series);
// exhausted when there are no more.
func (r *sealRun) candidates(ctx context.Context, day, through int64) (ids []int64, exhausted bool, err error) {
	start := day * store.Day
	rows, err := r.s.pool.Query(ctx, `(SELECT s.id FROM series s WHERE s.id > $1
			AND EXISTS (SELECT 1 FROM points p WHERE p.series_id = s.id AND p.time >= $2 AND p.time < $2 + 86400)
			ORDER BY s.id LIMIT $3)
		UNION SELECT DISTINCT series_id FROM late_points WHERE time >= $2 AND time < $2 + 86400
		ORDER BY 1 LIMIT $3`, through, start, tiers.SealCandidates)
	if err != nil {
		return nil, false, err
	}
	ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, len(ids) < tiers.SealCandidates, err
}

// sealSeries seals the day of the candidate series, in id order, until
// the batch has read about BatchPoints points. It returns how far the
// day's rows are now sealed (the greatest id sealed past through) and
// whether every candidate was.
func (r *sealRun) sealSeries(ctx context.Context, tx pgx.Tx, day, through int64, ids []int64) (int64, bool, error) {
	read := 0
	for i, id := range ids {
		if i > 0 && read >= r.plan.BatchPoints {
			return through, false, nil
		}
		n, err := r.sealSeriesDay(ctx, tx, id, day)
		if err != nil {
			return 0, false, fmt.Errorf("sealing series %d, day %d: %w", id, day, err)
		}
		read += n
		through = max(through, id)
	}
	return through, true, nil
}

// sealSeriesDay writes one series' hot points of one day into its block
// (merged with the block the day has: rows are newer, so they win), or
// counts them as expired, deletes its late rows, and returns how many hot
// points it read. Its rows in points are left to the partition's drop.
func (r *sealRun) sealSeriesDay(ctx context.Context, tx pgx.Tx, id, day int64) (int, error) {
	start := day * store.Day
	rows, err := hotRows(ctx, tx, id, start, start+store.Day)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM late_points WHERE series_id = $1 AND time >= $2 AND time < $3`, id, start, start+store.Day); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	if day < r.plan.ExpireDay {
		r.res.ExpiredPoints += int64(len(rows))
		return len(rows), nil
	}
	points := rows
	var old []byte
	err = tx.QueryRow(ctx, `SELECT data FROM blocks WHERE series_id = $1 AND day = $2`, id, day).Scan(&old)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return 0, err
	default:
		prev, err := chunk.Decode(old)
		if err != nil {
			return 0, err
		}
		points = chunk.MergePoints(prev, rows)
		r.res.MergedBlocks++
	}
	b, err := tiers.EncodeBlock(points)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO blocks (series_id, day, points, rollup_1h, rollup_5m, data) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (series_id, day) DO UPDATE SET points = excluded.points, rollup_1h = excluded.rollup_1h,
		rollup_5m = excluded.rollup_5m, data = excluded.data`, id, day, len(points), b.Rollup1h, b.Rollup5m, b.Data); err != nil {
		return 0, err
	}
	r.res.SealedPoints += int64(len(rows))
	r.res.SealedBlocks++
	return len(rows), nil
}

// finishDay ends a day whose every series is sealed: its partition is
// dropped whole, its rows in the default partition (a few strays) are
// deleted, and reads stop looking for it in sealing_days.
func finishDay(ctx context.Context, tx pgx.Tx, day int64) error {
	if err := dropPartition(ctx, tx, day); err != nil {
		return err
	}
	start := day * store.Day
	if _, err := tx.Exec(ctx, `DELETE FROM points_default WHERE time >= $1 AND time < $2`, start, start+store.Day); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM sealing_days WHERE day = $1`, day)
	return err
}
