package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strings"

	"modernc.org/sqlite"
	sqlitelib "modernc.org/sqlite/lib"

	"github.com/mkr-dev/mkr/backend/store"
)

// InsertPoints stores points in one transaction; a point at an existing
// (series, time) overwrites the value. Either every point is stored or none.
func (s *Store) InsertPoints(ctx context.Context, points []store.SeriesPoint) error {
	_, err := s.InsertPointsSince(ctx, points, math.MinInt64)
	return err
}

// InsertPointsSince is InsertPoints for the points at or after oldest; the
// older ones are dropped, as the hosted API drops points older than 24 h,
// and so are those of retired hosts; the result counts both. Every point's
// host or service must exist, dropped or not. Concurrent calls share
// transactions (groupcommit.go).
func (s *Store) InsertPointsSince(ctx context.Context, points []store.SeriesPoint, oldest int64) (store.InsertResult, error) {
	if len(points) == 0 {
		return store.InsertResult{}, nil
	}
	return s.ingest.insert(ctx, store.NewSliceStream(points), oldest)
}

// InsertPointStream is InsertPointsSince for a stream, written chunk by
// chunk: the caller's spool holds the points, not this store.
func (s *Store) InsertPointStream(ctx context.Context, src store.PointStream, oldest int64) (store.InsertResult, error) {
	if src.Len() == 0 {
		return store.InsertResult{}, nil
	}
	return s.ingest.insert(ctx, src, oldest)
}

var _ store.StreamInserter = (*Store)(nil)

// isForeignKeyError reports SQLITE_CONSTRAINT_FOREIGNKEY.
func isForeignKeyError(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlitelib.SQLITE_CONSTRAINT_FOREIGNKEY
}

// deleteOwnerSeries removes every series (and point) of an owner; used when
// a service is deleted.
func deleteOwnerSeries(ctx context.Context, tx *sql.Tx, kind, owner string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM points WHERE series_id IN (SELECT id FROM series WHERE kind = ? AND owner = ?)`, kind, owner); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM series WHERE kind = ? AND owner = ?`, kind, owner)
	return err
}

// hostRetiredQuery reads whether a host is retired (no row: no host).
const hostRetiredQuery = `SELECT is_retired FROM hosts WHERE id = ?`

// requireSeriesOwners fails with ErrNotFound when a point names a host or a
// service that does not exist, and returns the retired hosts among the
// points: their points are dropped (the request still succeeds), so that a
// batch mixing live and retired hosts — an agent posting for custom
// identifiers does that — keeps the live hosts' data.
//
// hostRetired is hostRetiredQuery prepared on tx (the group commit
// prepares it once per transaction rather than once per post).
func requireSeriesOwners(ctx context.Context, tx *sql.Tx, hostRetired *sql.Stmt, keys []store.SeriesKey) (retired map[string]bool, err error) {
	hosts, services := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		if k.Kind == "host" {
			hosts[k.Owner] = true
		} else {
			services[k.Owner] = true
		}
	}
	retired = map[string]bool{}
	var missing []string
	for id := range hosts {
		var isRetired bool
		err := hostRetired.QueryRowContext(ctx, id).Scan(&isRetired)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			missing = append(missing, "host "+id)
		case err != nil:
			return nil, err
		case isRetired:
			retired[id] = true
		}
	}
	for name := range services {
		if _, err := getService(ctx, tx, name); errors.Is(err, store.ErrNotFound) {
			missing = append(missing, "service "+name)
		} else if err != nil {
			return nil, err
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, &store.Error{Kind: store.KindNotFound, Message: strings.Join(missing, ", ")}
	}
	return retired, nil
}
