package postgres

import (
	"context"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// DefaultSeriesCacheSize is how many series ids a store remembers unless
// store.Options.SeriesCacheSize says otherwise: 1,000 agents' 100 metrics,
// as on SQLite (~20 MB). A larger fleet cycles through it without hits;
// a miss then costs one indexed lookup of the post's series, not a
// statement per series.
const DefaultSeriesCacheSize = 100_000

// seriesIDs remembers series ids (key → id) so that a post to known series
// resolves them without a statement. It is safe across replicas by
// design: a series row is never renumbered and its id (an identity) is
// never handed out again once the series is deleted, so a cached id is
// either right or names a series that no longer exists. Inserting a point
// with such an id fails the foreign key from points to series, and the
// insert then runs again without the cache (insertPoints): a deleted
// series is never written to, nor its id reused for another.
//
// Two generations bound it: entries go into cur; when cur holds half the
// bound it becomes prev (the older prev is dropped); a hit in prev moves
// the entry back to cur. That keeps roughly the most recently used ids,
// with no per-entry links for the garbage collector to walk.
type seriesIDs struct {
	mu        sync.Mutex
	half      int // <= 0: remember nothing
	cur, prev map[store.SeriesKey]int64
}

func newSeriesIDs(size int) *seriesIDs {
	c := &seriesIDs{half: size / 2, cur: map[store.SeriesKey]int64{}}
	if size > 0 && c.half == 0 {
		c.half = 1
	}
	return c
}

func (c *seriesIDs) get(k store.SeriesKey) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id, ok := c.cur[k]; ok {
		return id, true
	}
	id, ok := c.prev[k]
	if ok {
		delete(c.prev, k)
		c.putLocked(k, id)
	}
	return id, ok
}

func (c *seriesIDs) put(entries []seriesEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range entries {
		c.putLocked(e.key, e.id)
	}
}

func (c *seriesIDs) putLocked(k store.SeriesKey, id int64) {
	if c.half <= 0 {
		return
	}
	if len(c.cur) >= c.half {
		c.prev, c.cur = c.cur, make(map[store.SeriesKey]int64, c.half)
	}
	c.cur[k] = id
}

// clear forgets every id: after a foreign-key failure, which says that
// some series this store remembered was deleted (rare: deleting a service
// or its metrics), without saying which.
func (c *seriesIDs) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cur, c.prev = map[store.SeriesKey]int64{}, nil
}

// len is how many ids are remembered (tests).
func (c *seriesIDs) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.prev)
}

type seriesEntry struct {
	key store.SeriesKey
	id  int64
}

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
