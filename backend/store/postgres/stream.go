package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// InsertPointStream is InsertPointsSince for a stream (store.StreamInserter):
// the stream's chunks are copied (COPY, binary) into a temporary staging
// table, then upserted from it into points and late_points by two
// statements, all in the request's one SERIALIZABLE transaction. Memory
// stays flat whatever the body's size: one chunk at a time is held here,
// the rest is on the server. A retried transaction reads the stream again
// (PointStream.Each may be called more than once).
func (s *Store) InsertPointStream(ctx context.Context, src store.PointStream, oldest int64) (store.InsertResult, error) {
	if src.Len() == 0 {
		return store.InsertResult{}, nil
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
	retired, err := requireOwners(ctx, tx, keys)
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
			k := &keys[p.Series]
			// A retired host's point is counted as such even when old:
			// re-sending it would never help.
			if k.Kind == "host" && retired[k.Owner] {
				res.RetiredHost++
				continue
			}
			if p.Time < oldest {
				res.TooOld++
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
	var want []store.SeriesKey
	var index []int32
	contacted := map[string]bool{}
	for i, ok := range stored {
		if ok {
			want = append(want, keys[i])
			index = append(index, int32(i))
			if keys[i].Kind == "host" {
				contacted[keys[i].Owner] = true
			}
		}
	}
	ids, err := ensureSeries(ctx, tx, want)
	if err != nil {
		return res, err
	}
	sids := make([]int64, len(want))
	for i, k := range want {
		sids[i] = ids[k]
	}
	frozenBefore, err := readFrozenBefore(ctx, tx)
	if err != nil {
		return res, err
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
	return res, touchHostContacts(ctx, tx, contacted, s.now().Unix())
}
