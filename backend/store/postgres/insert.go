package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// codeForeignKeyViolation: a point named a series that no longer exists
// (a remembered id whose series was deleted, see seriesIDs).
const codeForeignKeyViolation = "23503"

// An agent's post (100 points, one host) is the load a replica serves
// most, so it is written in three round trips on known series:
//
//  1. one batch that begins the transaction, checks the owners, reads
//     frozen_before FOR SHARE and looks up the series ids the cache lacks;
//  2. (only for series that do not exist yet) their insert, and a lookup
//     of those another post created at the same moment;
//  3. one batch with the upserts into points and late_points (unnest
//     arrays: one statement each) and the host's contact time;
//
// then the commit. Posts too large to hold (a spooled body of up to
// 64 MiB) go through COPY into a staging table instead (stream.go).

// insertAttempts bounds how often insertPoints retries a deadlock.
const insertAttempts = 12

// insertPoints stores pts (from memory) at READ COMMITTED, as ingestTx
// explains; once more without the series cache when a remembered id
// turned out stale.
func (s *Store) insertPoints(ctx context.Context, keys []store.SeriesKey, pts []store.StreamPoint, oldest int64) (store.InsertResult, error) {
	var err error
	for attempt, useCache := 0, true; attempt < insertAttempts; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return store.InsertResult{}, err
			}
		}
		var res store.InsertResult
		var learned map[store.SeriesKey]int64
		res, learned, err = s.tryInsertPoints(ctx, keys, pts, oldest, useCache)
		if err == nil {
			s.seriesIDs.Put(learned)
			return res, nil
		}
		if pgCode(err) == codeForeignKeyViolation && useCache {
			s.seriesIDs.ForgetAll()
			useCache = false
			continue
		}
		if !retryable(err) {
			break
		}
	}
	return store.InsertResult{}, mapErr(err)
}

// backoff waits before attempt (> 0), as txAt does.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(1<<min(attempt, 7)) * time.Millisecond
	select {
	case <-time.After(d/2 + rand.N(d)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tryInsertPoints is one attempt of insertPoints, in one transaction.
func (s *Store) tryInsertPoints(ctx context.Context, keys []store.SeriesKey, pts []store.StreamPoint, oldest int64, useCache bool) (res store.InsertResult, learned map[store.SeriesKey]int64, err error) {
	learned = map[store.SeriesKey]int64{}
	ids := make([]int64, len(keys))
	known := make([]bool, len(keys))
	var unknown []int
	for i, k := range keys {
		if useCache {
			if ids[i], known[i] = s.seriesIDs.Get(k); known[i] {
				continue
			}
		}
		unknown = append(unknown, i)
	}

	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	owners := queueOwnerCheck(b, keys)
	var frozenBefore int64
	b.Queue(frozenBeforeSQL).QueryRow(func(r pgx.Row) error { return r.Scan(&frozenBefore) })
	var lookup *seriesLookup
	if len(unknown) > 0 {
		lookup = queueSeriesLookup(b, keys, unknown)
	}
	br := s.pool.SendBatch(ctx, b)
	tx := br.Tx()
	if err := br.Close(); err != nil {
		rollback(tx)
		return res, nil, err
	}
	defer func() {
		if err != nil {
			rollback(tx)
		}
	}()
	retired, err := owners.result()
	if err != nil {
		return res, nil, err
	}

	// The points to write, the last one winning at each (series, time)
	// as one insert after another would have it: an upsert may not touch
	// a row twice.
	type at struct {
		series uint32
		time   int64
	}
	slot := make(map[at]int, len(pts))
	var order []store.StreamPoint
	stored := make([]bool, len(keys))
	for _, p := range pts {
		if !res.Admit(&keys[p.Series], retired, p.Time, oldest) {
			continue
		}
		res.Stored++
		stored[p.Series] = true
		if j, seen := slot[at{p.Series, p.Time}]; seen {
			order[j].Value = p.Value
			continue
		}
		slot[at{p.Series, p.Time}] = len(order)
		order = append(order, p)
	}
	if len(order) == 0 {
		return res, nil, tx.Commit(ctx)
	}

	var create []int
	if lookup != nil {
		for i, id := range lookup.ids {
			ids[i], known[i] = id, true
			learned[keys[i]] = id
		}
	}
	for i, want := range stored {
		if want && !known[i] {
			create = append(create, i)
		}
	}
	if len(create) > 0 {
		made, err := createMissingSeries(ctx, tx, keys, create)
		if err != nil {
			return res, nil, err
		}
		for i, id := range made {
			ids[i] = id
			learned[keys[i]] = id
		}
	}

	var hot, late pointColumns
	contacted := map[string]bool{}
	for _, p := range order {
		if p.Time < frozenBefore {
			late.add(ids[p.Series], p.Time, p.Value)
		} else {
			hot.add(ids[p.Series], p.Time, p.Value)
		}
		if k := keys[p.Series]; k.Kind == "host" {
			contacted[k.Owner] = true
		}
	}
	b = &pgx.Batch{}
	hot.queueUpsert(b, "points")
	late.queueUpsert(b, "late_points")
	queueTouchHostContacts(b, contacted, s.now().Unix())
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return res, nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return res, nil, fmt.Errorf("committing: %w", err)
	}
	return res, learned, nil
}

// createMissingSeries creates the series keys[idx] and returns their ids
// by key index, reading those another transaction created meanwhile.
func createMissingSeries(ctx context.Context, tx pgx.Tx, keys []store.SeriesKey, idx []int) (map[int]int64, error) {
	made := make(map[int]int64, len(idx))
	if len(idx) == 0 {
		return made, nil
	}
	found := func(i int, id int64) { made[i] = id }
	rest, err := createSeries(ctx, tx, keys, idx, found)
	if err != nil || len(rest) == 0 {
		return made, err
	}
	// At READ COMMITTED a series another transaction created after the
	// insert's snapshot was neither created (the conflict) nor returned:
	// ON CONFLICT waited for that transaction to commit, so a new
	// statement sees it.
	b := &pgx.Batch{}
	l := queueSeriesLookup(b, keys, rest)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	for i, id := range l.ids {
		made[i] = id
	}
	if len(made) != len(idx) {
		return nil, fmt.Errorf("postgres: %d series ids did not resolve", len(idx)-len(made))
	}
	return made, nil
}

// frozenBeforeSQL reads the time before which points go to late_points:
// the days before it are being sealed, their partitions take no more
// rows. The row is read FOR SHARE and the lock held to the insert's
// commit: the freeze (tiers_seal.go) updates it, so it waits for the
// inserts that read the old value to commit, and the inserts after it
// read the new one — no point lands in a partition a seal has already
// read.
const frozenBeforeSQL = `SELECT frozen_before FROM tier_state WHERE id = 1 FOR SHARE`

// pointColumns are points to upsert as one statement's arrays.
type pointColumns struct {
	sids, times []int64
	values      []float64
}

func (c *pointColumns) add(sid, t int64, v float64) {
	c.sids = append(c.sids, sid)
	c.times = append(c.times, t)
	c.values = append(c.values, v)
}

// queueUpsert queues the write of the points into table (points or
// late_points), a re-post overwriting; each (series, time) must appear
// once.
func (c *pointColumns) queueUpsert(b *pgx.Batch, table string) {
	if len(c.sids) == 0 {
		return
	}
	b.Queue(`INSERT INTO `+table+` (series_id, time, value)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[])
		ON CONFLICT (series_id, time) DO UPDATE SET value = excluded.value`, c.sids, c.times, c.values)
}
