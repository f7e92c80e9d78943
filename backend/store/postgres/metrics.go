package postgres

import (
	"context"
	"errors"
	"math"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// pointsPerStatement bounds one multi-row insert of points: a few MB of
// arrays per round trip.
const pointsPerStatement = 20000

// InsertPoints stores points in one transaction; a point at an existing
// (series, time) overwrites the value. Either every point is stored or none.
func (s *Store) InsertPoints(ctx context.Context, points []store.SeriesPoint) error {
	_, err := s.InsertPointsSince(ctx, points, math.MinInt64)
	return err
}

// InsertPointsSince is InsertPoints for the points at or after oldest; the
// older ones and those of retired hosts are dropped and counted. Every
// point's host or service must exist, dropped or not.
//
// Series ids are resolved in bulk in the transaction (insert the missing
// keys, then read every id), not cached: a replica's cache could hold the
// id of a series another replica deleted.
func (s *Store) InsertPointsSince(ctx context.Context, points []store.SeriesPoint, oldest int64) (store.InsertResult, error) {
	if len(points) == 0 {
		return store.InsertResult{}, nil
	}
	var res store.InsertResult
	err := s.ingestTx(ctx, func(tx pgx.Tx) error {
		res = store.InsertResult{}
		retired, err := requireSeriesOwners(ctx, tx, points)
		if err != nil {
			return err
		}
		// The points to write, the last one winning at each (series,
		// time) as one INSERT after another would have it: a single
		// INSERT … ON CONFLICT may not touch a row twice.
		type at struct {
			k store.SeriesKey
			t int64
		}
		latest := map[at]float64{}
		var order []at
		contacted := map[string]bool{}
		for _, p := range points {
			// A retired host's point is counted as such even when old:
			// re-sending it would never help.
			if p.Key.Kind == "host" && retired[p.Key.Owner] {
				res.RetiredHost++
				continue
			}
			if p.Time < oldest {
				res.TooOld++
				continue
			}
			res.Stored++
			key := at{p.Key, p.Time}
			if _, seen := latest[key]; !seen {
				order = append(order, key)
			}
			latest[key] = p.Value
			if p.Key.Kind == "host" {
				contacted[p.Key.Owner] = true
			}
		}
		if len(order) == 0 {
			return nil
		}
		keys := make([]store.SeriesKey, 0, len(order))
		seenKey := map[store.SeriesKey]bool{}
		for _, a := range order {
			if !seenKey[a.k] {
				seenKey[a.k] = true
				keys = append(keys, a.k)
			}
		}
		ids, err := ensureSeries(ctx, tx, keys)
		if err != nil {
			return err
		}
		frozenBefore, err := readFrozenBefore(ctx, tx)
		if err != nil {
			return err
		}
		for start := 0; start < len(order); start += pointsPerStatement {
			chunk := order[start:min(start+pointsPerStatement, len(order))]
			var hot, late pointColumns
			for _, a := range chunk {
				if a.t < frozenBefore {
					late.add(ids[a.k], a.t, latest[a])
				} else {
					hot.add(ids[a.k], a.t, latest[a])
				}
			}
			if err := hot.upsert(ctx, tx, "points"); err != nil {
				return err
			}
			if err := late.upsert(ctx, tx, "late_points"); err != nil {
				return err
			}
		}
		return touchHostContacts(ctx, tx, contacted, s.now().Unix())
	})
	if err != nil {
		return store.InsertResult{}, err
	}
	return res, nil
}

// ensureSeries returns the ids of keys, creating the series that do not
// exist yet. Keys are created in sorted order so that two transactions
// creating the same series lock them in the same order.
func ensureSeries(ctx context.Context, tx pgx.Tx, keys []store.SeriesKey) (map[store.SeriesKey]int64, error) {
	sorted := append([]store.SeriesKey(nil), keys...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Owner != b.Owner {
			return a.Owner < b.Owner
		}
		return a.Name < b.Name
	})
	kinds, owners, names := make([]string, len(sorted)), make([]string, len(sorted)), make([]string, len(sorted))
	for i, k := range sorted {
		kinds[i], owners[i], names[i] = k.Kind, k.Owner, k.Name
	}
	rows, err := tx.Query(ctx, `WITH k (kind, owner, name) AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[])),
		added AS (
			INSERT INTO series (kind, owner, name) SELECT kind, owner, name FROM k
			ON CONFLICT DO NOTHING RETURNING id, kind, owner, name
		)
		SELECT id, kind, owner, name FROM added
		UNION ALL
		SELECT s.id, s.kind, s.owner, s.name FROM series s JOIN k USING (kind, owner, name)`, kinds, owners, names)
	if err != nil {
		return nil, err
	}
	ids := make(map[store.SeriesKey]int64, len(keys))
	var id int64
	var k store.SeriesKey
	if _, err := pgx.ForEachRow(rows, []any{&id, &k.Kind, &k.Owner, &k.Name}, func() error {
		ids[k] = id
		return nil
	}); err != nil {
		return nil, err
	}
	if len(ids) != len(keys) {
		// At READ COMMITTED a series another insert created after this
		// statement's snapshot is neither added (the conflict) nor seen
		// (the join): ON CONFLICT waited for that insert to commit, so a
		// new statement sees it.
		if err := readMissingSeries(ctx, tx, sorted, ids); err != nil {
			return nil, err
		}
	}
	if len(ids) != len(keys) {
		return nil, errors.New("postgres: series ids did not resolve")
	}
	return ids, nil
}

// readMissingSeries adds to ids the ids of the keys it lacks.
func readMissingSeries(ctx context.Context, tx pgx.Tx, keys []store.SeriesKey, ids map[store.SeriesKey]int64) error {
	var kinds, owners, names []string
	for _, k := range keys {
		if _, ok := ids[k]; !ok {
			kinds, owners, names = append(kinds, k.Kind), append(owners, k.Owner), append(names, k.Name)
		}
	}
	rows, err := tx.Query(ctx, `SELECT s.id, s.kind, s.owner, s.name FROM series s
		JOIN unnest($1::text[], $2::text[], $3::text[]) AS k (kind, owner, name) USING (kind, owner, name)`, kinds, owners, names)
	if err != nil {
		return err
	}
	var id int64
	var k store.SeriesKey
	_, err = pgx.ForEachRow(rows, []any{&id, &k.Kind, &k.Owner, &k.Name}, func() error {
		ids[k] = id
		return nil
	})
	return err
}

// touchHostContacts records now as the hosts' last metric time (what
// connectivity monitors watch), never moving it back.
func touchHostContacts(ctx context.Context, tx pgx.Tx, hosts map[string]bool, now int64) error {
	if len(hosts) == 0 {
		return nil
	}
	ids := make([]string, 0, len(hosts))
	for h := range hosts {
		ids = append(ids, h)
	}
	sort.Strings(ids) // one lock order for concurrent posts
	_, err := tx.Exec(ctx, `INSERT INTO host_contacts (host_id, last_metric_at)
		SELECT h, $2::bigint FROM unnest($1::text[]) AS h
		ON CONFLICT (host_id) DO UPDATE SET last_metric_at = GREATEST(host_contacts.last_metric_at, excluded.last_metric_at)`, ids, now)
	return err
}

// requireSeriesOwners fails with ErrNotFound when a point names a host or a
// service that does not exist, and returns the retired hosts among the
// points: their points are dropped (the request still succeeds), so that a
// batch mixing live and retired hosts keeps the live hosts' data.
func requireSeriesOwners(ctx context.Context, tx pgx.Tx, points []store.SeriesPoint) (retired map[string]bool, err error) {
	seen := map[store.SeriesKey]bool{}
	var keys []store.SeriesKey
	for _, p := range points {
		if !seen[p.Key] {
			seen[p.Key] = true
			keys = append(keys, p.Key)
		}
	}
	return requireOwners(ctx, tx, keys)
}

// requireOwners is requireSeriesOwners for the series keys themselves.
func requireOwners(ctx context.Context, tx pgx.Tx, keys []store.SeriesKey) (retired map[string]bool, err error) {
	hostSet, serviceSet := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		if k.Kind == "host" {
			hostSet[k.Owner] = true
		} else {
			serviceSet[k.Owner] = true
		}
	}
	hosts, services := setKeys(hostSet), setKeys(serviceSet)
	retired = map[string]bool{}
	found := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT id, is_retired FROM hosts WHERE id = ANY($1)`, hosts)
	if err != nil {
		return nil, err
	}
	var id string
	var isRetired bool
	if _, err := pgx.ForEachRow(rows, []any{&id, &isRetired}, func() error {
		found["host "+id] = true
		if isRetired {
			retired[id] = true
		}
		return nil
	}); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT name FROM services WHERE name = ANY($1)`, services)
	if err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error {
		found["service "+id] = true
		return nil
	}); err != nil {
		return nil, err
	}
	var missing []string
	for _, h := range hosts {
		if !found["host "+h] {
			missing = append(missing, "host "+h)
		}
	}
	for _, n := range services {
		if !found["service "+n] {
			missing = append(missing, "service "+n)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, &store.Error{Kind: store.KindNotFound, Message: strings.Join(missing, ", ")}
	}
	return retired, nil
}

func setKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DeleteServiceMetrics removes a service's series whose names match (their
// points go with them: ON DELETE CASCADE).
func (s *Store) DeleteServiceMetrics(ctx context.Context, service string, match func(name string) bool) (int, error) {
	deleted := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, name FROM series WHERE kind = 'service' AND owner = $1`, service)
		if err != nil {
			return err
		}
		var ids []int64
		var id int64
		var name string
		if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error {
			if match(name) {
				ids = append(ids, id)
			}
			return nil
		}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM series WHERE id = ANY($1)`, ids); err != nil {
			return err
		}
		deleted = len(ids)
		return nil
	})
	return deleted, err
}

// readFrozenBefore returns the time before which points go to late_points:
// the days before it are being sealed, their partitions take no more rows.
// It is read FOR SHARE and the lock held to the insert's commit: the
// freeze (tiers_seal.go) updates the row, so it waits for the inserts that
// read the old value to commit, and the inserts after it read the new one
// — no point lands in a partition a seal has already read.
func readFrozenBefore(ctx context.Context, tx pgx.Tx) (int64, error) {
	var t int64
	err := tx.QueryRow(ctx, `SELECT frozen_before FROM tier_state WHERE id = 1 FOR SHARE`).Scan(&t)
	return t, err
}

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

// upsert writes the points into table (points or late_points), a re-post
// overwriting; each (series, time) must appear once.
func (c *pointColumns) upsert(ctx context.Context, tx pgx.Tx, table string) error {
	if len(c.sids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+table+` (series_id, time, value)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::float8[])
		ON CONFLICT (series_id, time) DO UPDATE SET value = excluded.value`, c.sids, c.times, c.values)
	return err
}
