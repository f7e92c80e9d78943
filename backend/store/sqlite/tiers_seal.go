package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/mkr-dev/mkr/backend/pace"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
	"github.com/mkr-dev/mkr/backend/store/internal/tiers"
)

// sealCandidates is how many series one batch considers at most.
const sealCandidates = tiers.SealCandidates

// Compact seals the hot rows of days that ended more than the hot window
// ago into blocks and drops what is older than the retention. See
// store.TierStore.
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
	opts.BatchPoints = plan.BatchPoints
	r := &sealRun{s: s, opts: opts, res: &res, cutoffDay: plan.CutoffDay, expireDay: plan.ExpireDay, pace: pace.New(opts.Share)}
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
		return s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE tier_state SET retention_seconds = ? WHERE id = 1`, secs)
			return err
		})
	}, func() (secs int64, err error) {
		err = s.read.QueryRowContext(ctx, `SELECT retention_seconds FROM tier_state WHERE id = 1`).Scan(&secs)
		return secs, err
	})
}

// sealRun is one Compact call's progress.
type sealRun struct {
	s         *Store
	opts      store.CompactOptions
	res       *store.CompactResult
	cutoffDay int64 // days before it are sealed
	expireDay int64 // days before it are dropped
	// pending holds the batch's new blocks, inserted together at its end
	// so that they fill pages (tiers_pack.go).
	pending []pendingBlock
	// pace rests the run between steps (opts.Share).
	pace *pace.Pacer
}

func (r *sealRun) budgetLeft() bool { return tiers.BudgetLeft(r.opts, r.res) }

// batch runs fn as one sealing transaction (tiers.RunBatch).
func (r *sealRun) batch(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := tiers.RunBatch(r.opts, r.res, func(body func(*sql.Tx) error) error { return r.s.tx(ctx, body) }, fn); err != nil {
		return err
	}
	return r.pace.Rest(ctx)
}

// expireBlocks drops the blocks of expired days, oldest first, a batch of
// blocks per transaction; false when the run's budget ended first.
func (r *sealRun) expireBlocks(ctx context.Context) (bool, error) {
	if r.expireDay == tiers.NoExpiry {
		return true, nil
	}
	limit := max(1, r.opts.BatchPoints/1440)
	for {
		var any int
		err := r.s.read.QueryRowContext(ctx, `SELECT 1 FROM blocks WHERE day < ? LIMIT 1`, r.expireDay).Scan(&any)
		if errors.Is(err, sql.ErrNoRows) {
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
		err = r.batch(ctx, func(tx *sql.Tx) error {
			blocks, points = 0, 0
			rows, err := tx.QueryContext(ctx, `DELETE FROM blocks WHERE rowid IN
				(SELECT rowid FROM blocks WHERE day < ? ORDER BY day LIMIT ?) RETURNING points`, r.expireDay, limit)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var n int64
				if err := rows.Scan(&n); err != nil {
					return err
				}
				blocks++
				points += n
			}
			return rows.Err()
		})
		if err != nil {
			return false, err
		}
		r.res.ExpiredBlocks += blocks
		r.res.ExpiredPoints += points
	}
}

// tierState is the tier_state row.
type tierState struct {
	sealedBefore, cursorDay, cursorSeries int64
}

func readTierState(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (tierState, error) {
	var st tierState
	err := q.QueryRowContext(ctx, `SELECT sealed_before, cursor_day, cursor_series FROM tier_state WHERE id = 1`).
		Scan(&st.sealedBefore, &st.cursorDay, &st.cursorSeries)
	return st, err
}

// seal moves hot rows of days before cutoffDay into blocks, series by
// series in id order; false when the run's budget ended first.
//
// Where it stands is kept in tier_state, in each batch's transaction: a
// bounded run resumes after the last series a previous one finished, and
// once every series is done for a cutoff, bounded runs skip until the
// next day. A complete run (MaxBatches 0) looks at every series again, so
// points inserted late into old days (possible when the back-fill window
// is configured wider than the hot window) are merged now.
func (r *sealRun) seal(ctx context.Context) (bool, error) {
	st, err := readTierState(ctx, r.s.read)
	if err != nil {
		return false, fmt.Errorf("reading the sealing state: %w", err)
	}
	cursor := int64(0)
	if r.opts.MaxBatches > 0 {
		if st.sealedBefore == r.cutoffDay {
			return true, nil
		}
		if st.cursorDay == r.cutoffDay {
			cursor = st.cursorSeries
		}
	}
	cutoff := r.cutoffDay * store.Day
	for {
		cands, scanned, exhausted, err := r.candidates(ctx, cursor, cutoff)
		if err != nil {
			return false, err
		}
		if len(cands) == 0 && !exhausted {
			cursor = scanned // nothing to seal among these series
			// Looking at millions of series is most of a daily pass
			// under a large fleet: it rests like a batch.
			if err := r.pace.Rest(ctx); err != nil {
				return false, err
			}
			continue
		}
		if !r.budgetLeft() {
			return false, nil
		}
		next, finished := cursor, false
		err = r.batch(ctx, func(tx *sql.Tx) error {
			next = scanned
			r.pending = r.pending[:0]
			if len(cands) > 0 {
				var err error
				if next, err = r.sealSeries(ctx, tx, cands, scanned, cutoff); err != nil {
					return err
				}
				if err := insertPending(ctx, tx, r.pending); err != nil {
					return err
				}
			}
			// Finished when every series is done: the last one was
			// looked at and this batch sealed all it found.
			finished = exhausted && next == scanned
			state := tierState{sealedBefore: st.sealedBefore, cursorDay: r.cutoffDay, cursorSeries: next}
			if finished {
				state = tierState{sealedBefore: r.cutoffDay, cursorDay: r.cutoffDay}
			}
			_, err := tx.ExecContext(ctx, `UPDATE tier_state SET sealed_before = ?, cursor_day = ?, cursor_series = ? WHERE id = 1`,
				state.sealedBefore, state.cursorDay, state.cursorSeries)
			return err
		})
		if err != nil {
			return false, err
		}
		if finished {
			return true, nil
		}
		cursor = next
	}
}

// candidates returns, among the series after cursor, up to
// sealCandidates ids that have rows before cutoff, the last id looked at
// (cursor when there are no series after it), and whether that was the
// last series. It reads outside any transaction, so the write lock is not
// held while probing many series; the batch re-reads what it seals under
// the lock.
func (r *sealRun) candidates(ctx context.Context, cursor, cutoff int64) (ids []int64, scanned int64, exhausted bool, err error) {
	const page = sealCandidates * 8
	rows, err := r.s.read.QueryContext(ctx, `SELECT s.id, EXISTS (SELECT 1 FROM points p WHERE p.series_id = s.id AND p.time < ?)
		FROM series s WHERE s.id > ? ORDER BY s.id LIMIT ?`, cutoff, cursor, page)
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	scanned = cursor
	seen := 0
	for rows.Next() {
		var id int64
		var has bool
		if err := rows.Scan(&id, &has); err != nil {
			return nil, 0, false, err
		}
		scanned = id
		seen++
		if has {
			ids = append(ids, id)
			if len(ids) == sealCandidates {
				return ids, scanned, false, rows.Err()
			}
		}
	}
	return ids, scanned, seen < page, rows.Err()
}

// sealSeries seals the days of the candidate series, in id order, until
// the batch has read about BatchPoints points; it returns the id up to
// which every series is done (scanned when all of them are).
func (r *sealRun) sealSeries(ctx context.Context, tx *sql.Tx, ids []int64, scanned, cutoff int64) (int64, error) {
	read := 0
	done := int64(0)
	for i, id := range ids {
		if i > 0 && read >= r.opts.BatchPoints {
			return done, nil
		}
		from := int64(math.MinInt64)
		for {
			var t int64
			err := tx.QueryRowContext(ctx, `SELECT time FROM points WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time LIMIT 1`,
				id, from, cutoff).Scan(&t)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				return 0, err
			}
			if read >= r.opts.BatchPoints {
				// This series is not done: the next batch starts at it.
				return done, nil
			}
			day := chunk.Day(t)
			n, err := r.sealDay(ctx, tx, id, day)
			if err != nil {
				return 0, fmt.Errorf("sealing series %d, day %d: %w", id, day, err)
			}
			read += n
			from = (day + 1) * store.Day
		}
		done = id
	}
	return scanned, nil
}

// sealDay moves one series' rows of one day into its block (merged with
// the block the day already has: rows are newer, so they win), or drops
// them when the day has expired, and returns how many rows it read. The
// block keeps its 1-hour rollup; its 5-minute one is left empty (see
// Rollups).
func (r *sealRun) sealDay(ctx context.Context, tx *sql.Tx, id, day int64) (int, error) {
	start, end := day*store.Day, (day+1)*store.Day
	rows, err := readPoints(ctx, tx, `SELECT time, value FROM points WHERE series_id = ? AND time >= ? AND time < ? ORDER BY time`, id, start, end)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM points WHERE series_id = ? AND time >= ? AND time < ?`, id, start, end); err != nil {
		return 0, err
	}
	if day < r.expireDay {
		r.res.ExpiredPoints += int64(len(rows))
		return len(rows), nil
	}
	points := rows
	var old []byte
	err = tx.QueryRowContext(ctx, `SELECT data FROM blocks WHERE series_id = ? AND day = ?`, id, day).Scan(&old)
	merged := err == nil
	switch {
	case errors.Is(err, sql.ErrNoRows):
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
	if !merged {
		// A new block: inserted with the batch's others, packed.
		r.pending = append(r.pending, pendingBlock{seriesID: id, day: day, points: int64(len(points)), rollup1h: b.Rollup1h, data: b.Data})
	} else if _, err := tx.ExecContext(ctx, `UPDATE blocks SET points = ?, rollup_1h = ?, rollup_5m = ?, data = ? WHERE series_id = ? AND day = ?`,
		len(points), b.Rollup1h, []byte{}, b.Data, id, day); err != nil {
		return 0, err
	}
	r.res.SealedPoints += int64(len(rows))
	r.res.SealedBlocks++
	return len(rows), nil
}

// readPoints scans (time, value) rows.
func readPoints(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]store.Point, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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
