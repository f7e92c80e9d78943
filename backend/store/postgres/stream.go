package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// stagedPoints: a stream of more points than this is copied (COPY,
// binary) into a temporary staging table and upserted from there; smaller
// ones, every agent's post among them, are held in memory and written as
// arrays (insert.go), which costs no temporary table (catalog writes at
// every post) and fewer round trips.
const stagedPoints = 20_000

// InsertPointStream is InsertPointsSince for a stream (store.StreamInserter).
// A large stream's chunks are copied into a staging table, then upserted
// from it into points and late_points by two statements, all in the
// request's one transaction: memory stays flat whatever the body's size,
// one chunk at a time is held here, the rest is on the server. A retried
// transaction reads the stream again (PointStream.Each may be called more
// than once).
func (s *Store) InsertPointStream(ctx context.Context, src store.PointStream, oldest int64) (store.InsertResult, error) {
	if src.Len() == 0 {
		return store.InsertResult{}, nil
	}
	if src.Len() <= stagedPoints {
		pts := make([]store.StreamPoint, 0, src.Len())
		if err := src.Each(func(chunk []store.StreamPoint) error {
			pts = append(pts, chunk...)
			return nil
		}); err != nil {
			return store.InsertResult{}, err
		}
		return s.insertPoints(ctx, src.Series(), pts, oldest)
	}
	var res store.InsertResult
	err := s.ingestTx(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = s.insertStream(ctx, tx, src, oldest)
		return err
	})
	if err != nil {
		return store.InsertResult{}, err
	}
	return res, nil
}

var _ store.StreamInserter = (*Store)(nil)

func (s *Store) insertStream(ctx context.Context, tx pgx.Tx, src store.PointStream, oldest int64) (store.InsertResult, error) {
	var res store.InsertResult
	keys := src.Series()
	b := &pgx.Batch{}
	owners := queueOwnerCheck(b, keys)
	var frozenBefore int64
	b.Queue(frozenBeforeSQL).QueryRow(func(r pgx.Row) error { return r.Scan(&frozenBefore) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return res, err
	}
	retired, err := owners.result()
	if err != nil {
		return res, err
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE stage (series INTEGER, time BIGINT, value DOUBLE PRECISION, seq BIGINT) ON COMMIT DROP`); err != nil {
		return res, err
	}
	stored := make([]bool, len(keys)) // series with a point to store
	var seq int64
	rows := make([][]any, 0, 4096)
	err = src.Each(func(chunk []store.StreamPoint) error {
		rows = rows[:0]
		for _, p := range chunk {
			if !res.Admit(&keys[p.Series], retired, p.Time, oldest) {
				continue
			}
			res.Stored++
			stored[p.Series] = true
			seq++
			rows = append(rows, []any{int32(p.Series), p.Time, p.Value, seq})
		}
		if len(rows) == 0 {
			return nil
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"stage"}, []string{"series", "time", "value", "seq"}, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil || res.Stored == 0 {
		return res, err
	}
	var want []int
	contacted := map[string]bool{}
	for i, ok := range stored {
		if ok {
			want = append(want, i)
			if keys[i].Kind == "host" {
				contacted[keys[i].Owner] = true
			}
		}
	}
	// The series cache is neither read nor filled here: such posts are
	// rare, and each resolves its series in two statements anyway.
	b = &pgx.Batch{}
	lookup := queueSeriesLookup(b, keys, want)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return res, err
	}
	var create []int
	for _, i := range want {
		if _, ok := lookup.ids[i]; !ok {
			create = append(create, i)
		}
	}
	made, err := createMissingSeries(ctx, tx, keys, create)
	if err != nil {
		return res, err
	}
	index, sids := make([]int32, len(want)), make([]int64, len(want))
	for j, i := range want {
		index[j] = int32(i)
		if id, ok := lookup.ids[i]; ok {
			sids[j] = id
		} else {
			sids[j] = made[i]
		}
	}
	// The last value posted at a (series, time) wins, as one insert after
	// another would have it: an upsert may not touch a row twice.
	for _, target := range []struct{ table, cond string }{{"points", ">="}, {"late_points", "<"}} {
		if _, err := tx.Exec(ctx, `INSERT INTO `+target.table+` (series_id, time, value)
			SELECT DISTINCT ON (k.id, st.time) k.id, st.time, st.value
			FROM stage st JOIN unnest($1::integer[], $2::bigint[]) AS k (series, id) USING (series)
			WHERE st.time `+target.cond+` $3
			ORDER BY k.id, st.time, st.seq DESC
			ON CONFLICT (series_id, time) DO UPDATE SET value = excluded.value`, index, sids, frozenBefore); err != nil {
			return res, err
		}
	}
	b = &pgx.Batch{}
	queueTouchHostContacts(b, contacted, s.now().Unix())
	return res, tx.SendBatch(ctx, b).Close()
}
