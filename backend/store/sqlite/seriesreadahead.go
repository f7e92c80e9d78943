package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/idcache"
)

// readAheadOwners bounds the owners one insert reads ahead: an agent's
// post has one; a throw of a file naming many hosts leaves the rest to
// the writer.
const readAheadOwners = 16

// readAheadSeriesIDs puts into the series-id cache, before an insert
// queues for the writer, the ids of the owners of keys the cache lacks,
// read on the read pool. The writer would read them itself (loadOwner),
// but it is one goroutine: right after serve restarts, when every agent's
// first post misses, those reads in the writer held up everyone's commits
// (the first minute's p99 at 50,000 agents was ~1 s), while here they
// run in the requests' goroutines, on both cores.
//
// Best effort: an error leaves the work to the writer. The ids are
// committed rows; one whose series is deleted meanwhile fails the foreign
// key at insert and the group runs again without the cache, as for any
// cached id.
func (s *Store) readAheadSeriesIDs(ctx context.Context, keys []store.SeriesKey) {
	if !s.series.Enabled() {
		return
	}
	// One lookup per owner, its first key: an owner the cache knows is
	// warm (a name new to it is rare, and the writer reads it), and an
	// agent's post then costs one lookup here, not one per metric.
	var seen, owners []idcache.Owner
	for _, k := range keys {
		o := idcache.OwnerOf(k)
		if slices.Contains(seen, o) {
			continue
		}
		seen = append(seen, o)
		if _, ok := s.series.Get(k); ok {
			continue
		}
		if owners = append(owners, o); len(owners) == readAheadOwners {
			break
		}
	}
	for _, o := range owners {
		ids, err := s.readOwnerSeries(ctx, o)
		if err != nil {
			return
		}
		s.series.Put(ids)
	}
}

// readOwnerSeries reads o's series ids on the read pool, nothing when it
// has more than maxOwnerLoad (a service fed by a fleet: the writer looks
// those up one by one).
func (s *Store) readOwnerSeries(ctx context.Context, o idcache.Owner) (map[store.SeriesKey]int64, error) {
	rows, err := s.read.QueryContext(ctx, ownerSeriesQuery, o.Kind, o.Name, maxOwnerLoad+1)
	if err != nil {
		return nil, err
	}
	ids, complete, err := scanOwnerSeries(rows, o.Kind, o.Name)
	if err != nil || !complete {
		return nil, err
	}
	return ids, nil
}

// ownerSeriesQuery reads an owner's series (name, id), one range of the
// UNIQUE (kind, owner, name) index; its third argument is a LIMIT of
// maxOwnerLoad+1, so that scanOwnerSeries can tell a complete read.
const ownerSeriesQuery = `SELECT name, id FROM series WHERE kind = ? AND owner = ? LIMIT ?`

// scanOwnerSeries reads the rows of ownerSeriesQuery (and closes them):
// at most maxOwnerLoad ids, and whether they are all of the owner's.
func scanOwnerSeries(rows *sql.Rows, kind, owner string) (ids map[store.SeriesKey]int64, complete bool, err error) {
	defer rows.Close()
	ids = map[store.SeriesKey]int64{}
	n := 0
	for rows.Next() {
		if n++; n > maxOwnerLoad {
			break
		}
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			return nil, false, err
		}
		ids[store.SeriesKey{Kind: kind, Owner: owner, Name: name}] = id
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return ids, n <= maxOwnerLoad, nil
}
