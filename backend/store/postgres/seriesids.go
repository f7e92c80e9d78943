package postgres

import (
	"context"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/idcache"
)

// DefaultSeriesCacheSize is how many series ids a store remembers unless
// store.Options.SeriesCacheSize says otherwise: 10 M, as on SQLite. The
// cache (idcache) keeps ids by owner and shares the metric names of
// owners that post the same ones (~5 bytes an id in a fleet of agents),
// and seriesCacheBytes bounds it when names are not shared.
//
// It is safe across replicas by design: a series row is never renumbered
// and its id (an identity) is never handed out again once the series is
// deleted, so a cached id is either right or names a series that no
// longer exists. Inserting a point with such an id fails the foreign key
// from points to series, and the insert then runs again without the
// cache (insertPoints): a deleted series is never written to, nor its id
// reused for another.
const DefaultSeriesCacheSize = 10_000_000

// seriesCacheBytes bounds the series cache's estimated heap (32 MB: a
// fleet of 50,000 agents' 5 M ids fit).
const seriesCacheBytes = 32 << 20

func newSeriesIDs(size int) *idcache.Cache { return idcache.New(size, seriesCacheBytes) }

// keyColumns are keys[idx] as the three text arrays unnest takes.
func keyColumns(keys []store.SeriesKey, idx []int) (kinds, owners, names []string) {
	kinds, owners, names = make([]string, len(idx)), make([]string, len(idx)), make([]string, len(idx))
	for j, i := range idx {
		kinds[j], owners[j], names[j] = keys[i].Kind, keys[i].Owner, keys[i].Name
	}
	return kinds, owners, names
}

// seriesLookup is a lookup of the ids of keys[idx], queued in a batch;
// once the batch ran, ids holds those that exist, by key index. The
// lateral join makes it one probe of the (kind, owner, name) index per
// key whatever the planner guesses of the arrays (a join of the arrays
// with series was once planned as a hash join over all of series: 14 ms
// a post at 200 hosts, growing with the fleet).
type seriesLookup struct {
	ids map[int]int64
}

func queueSeriesLookup(b *pgx.Batch, keys []store.SeriesKey, idx []int) *seriesLookup {
	l := &seriesLookup{ids: make(map[int]int64, len(idx))}
	kinds, owners, names := keyColumns(keys, idx)
	b.Queue(`SELECT k.n, s.id
		FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k (kind, owner, name, n)
		CROSS JOIN LATERAL (SELECT id FROM series WHERE kind = k.kind AND owner = k.owner AND name = k.name) s`,
		kinds, owners, names).Query(func(rows pgx.Rows) error {
		var n, id int64
		_, err := pgx.ForEachRow(rows, []any{&n, &id}, func() error {
			l.ids[idx[n-1]] = id
			return nil
		})
		return err
	})
	return l
}

// createSeries inserts the series keys[idx], skipping those that exist by
// now, calling found for each one made, and returns the indexes it did not
// make. Keys go in sorted so that two posts creating the same series lock
// them in the same order.
func createSeries(ctx context.Context, tx pgx.Tx, keys []store.SeriesKey, idx []int, found func(int, int64)) ([]int, error) {
	sorted := append([]int(nil), idx...)
	sort.Slice(sorted, func(a, b int) bool { return keyLess(keys[sorted[a]], keys[sorted[b]]) })
	kinds, owners, names := keyColumns(keys, sorted)
	rows, err := tx.Query(ctx, `INSERT INTO series (kind, owner, name)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
		ON CONFLICT DO NOTHING RETURNING id, kind, owner, name`, kinds, owners, names)
	if err != nil {
		return nil, err
	}
	where := make(map[store.SeriesKey]int, len(sorted))
	for _, i := range sorted {
		where[keys[i]] = i
	}
	var id int64
	var k store.SeriesKey
	if _, err := pgx.ForEachRow(rows, []any{&id, &k.Kind, &k.Owner, &k.Name}, func() error {
		if i, ok := where[k]; ok {
			found(i, id)
			delete(where, k)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var rest []int
	for _, i := range sorted {
		if _, left := where[keys[i]]; left {
			rest = append(rest, i)
		}
	}
	return rest, nil
}

func keyLess(a, b store.SeriesKey) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Owner != b.Owner {
		return a.Owner < b.Owner
	}
	return a.Name < b.Name
}
