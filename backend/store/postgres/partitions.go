package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk"
)

// The day partitions of the hot tier (migration 0003). They are made
// ahead, by whichever replica gets there first: at open and in every
// Compact (serve runs one every 10 minutes, local writes a bounded one),
// never in an insert, whose transaction would then take DDL locks. A day
// without its partition still takes points, in the default one.

// partitionLockKey serializes partition DDL across replicas ("mkp").
const partitionLockKey = 0x6d6b70

// partitionsBehind and partitionsAhead: the days around today that get a
// partition. Behind covers the hot window (26 h) for a store opened on an
// old clock; ahead, the 10 minutes of future the API accepts and a few
// days without a Compact.
const (
	partitionsBehind = 2
	partitionsAhead  = 3
)

// partitionName is the table of day's partition (days before 1970 are
// never partitioned).
func partitionName(day int64) string { return fmt.Sprintf("points_d%d", day) }

// ensurePartitions creates the partitions of the days around today that
// are not frozen and have none yet, moving into each the rows the
// default partition holds for its day.
func (s *Store) ensurePartitions(ctx context.Context) error {
	today := chunk.Day(s.now().Unix())
	last := today + partitionsAhead
	if s.partitionsThrough.Load() >= last {
		return nil
	}
	// READ COMMITTED, so that the statements after the lock see the
	// partitions a replica that held it before just made (a SERIALIZABLE
	// snapshot, taken at the lock's statement, would not); and through
	// txAt, which retries a deadlock: creating a partition locks what
	// inserts lock too (see createPartition), and the server breaks a
	// cycle by failing one side, which then runs again.
	err := s.txAt(ctx, pgx.ReadCommitted, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, partitionLockKey); err != nil {
			return err
		}
		var frozenBefore int64
		if err := tx.QueryRow(ctx, `SELECT frozen_before FROM tier_state WHERE id = 1`).Scan(&frozenBefore); err != nil {
			return err
		}
		have, err := partitionDays(ctx, tx)
		if err != nil {
			return err
		}
		first := max(today-partitionsBehind, 0)
		for day := first; day <= last; day++ {
			start, end := day*store.Day, (day+1)*store.Day
			if have[day] || start < frozenBefore {
				continue
			}
			if err := createPartition(ctx, tx, day, start, end); err != nil {
				return fmt.Errorf("day %d: %w", day, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.partitionsThrough.Store(last)
	return nil
}

// createPartition makes day's table with a CHECK of its range (so that
// ATTACH need not scan it), fills it with the default partition's rows of
// the day and attaches it. The default partition is locked first: no
// insert may put a row of the day there between the move and the attach,
// whose check of the default partition would then fail. series is locked
// before it: ATTACH adds the foreign key to series, which takes a lock
// that conflicts with an insert's new series, and inserts lock series
// before points — taking them in the same order avoids most deadlocks (the
// rest are retried).
func createPartition(ctx context.Context, tx pgx.Tx, day, start, end int64) error {
	name := partitionName(day)
	stmts := []string{
		`LOCK TABLE series IN SHARE ROW EXCLUSIVE MODE`,
		`LOCK TABLE points_default IN ACCESS EXCLUSIVE MODE`,
		fmt.Sprintf(`CREATE TABLE %s (
			series_id BIGINT NOT NULL, time BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
			PRIMARY KEY (series_id, time), CHECK (time >= %d AND time < %d))`, name, start, end),
		fmt.Sprintf(`WITH moved AS (DELETE FROM points_default WHERE time >= %d AND time < %d RETURNING series_id, time, value)
			INSERT INTO %s SELECT * FROM moved`, start, end, name),
		fmt.Sprintf(`ALTER TABLE points ATTACH PARTITION %s FOR VALUES FROM (%d) TO (%d)`, name, start, end),
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// partitionDays returns the days that have a partition attached to points.
func partitionDays(ctx context.Context, q db) (map[int64]bool, error) {
	rows, err := q.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'points'::regclass`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	days := map[int64]bool{}
	for _, n := range names {
		var day int64
		if rest, ok := strings.CutPrefix(n, "points_d"); ok {
			if _, err := fmt.Sscanf(rest, "%d", &day); err == nil {
				days[day] = true
			}
		}
	}
	return days, nil
}

// dropPartition drops day's partition, if it has one, with its rows: the
// day is sealed (or expired) and every read already skips them.
func dropPartition(ctx context.Context, tx pgx.Tx, day int64) error {
	if day < 0 {
		return nil // never partitioned
	}
	_, err := tx.Exec(ctx, `DROP TABLE IF EXISTS `+partitionName(day))
	return err
}
