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

// seriesIDs resolves series keys to ids inside one insert transaction.
// Ids found or created by this transaction go into created, not the shared
// cache: a rolled-back id may be handed out again (to another series), so
// the cache learns them only after commit (see insertPoints).
type seriesIDs struct {
	s       *Store
	tx      *sql.Tx
	created map[store.SeriesKey]int64
	find    *sql.Stmt // prepared on the first cache miss
}

// id returns the id of k, creating the series if needed.
func (r *seriesIDs) id(ctx context.Context, k store.SeriesKey) (int64, error) {
	if id, ok := r.created[k]; ok {
		return id, nil
	}
	if id, ok := r.s.series.get(k); ok {
		return id, nil
	}
	// Not cached (new, or evicted): look it up, or create it. The write
	// lock is held (BEGIN IMMEDIATE), so no one can create it in between.
	if r.find == nil {
		var err error
		if r.find, err = r.tx.PrepareContext(ctx, `SELECT id FROM series WHERE kind = ? AND owner = ? AND name = ?`); err != nil {
			return 0, err
		}
	}
	var id int64
	err := r.find.QueryRowContext(ctx, k.Kind, k.Owner, k.Name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		if res, err = r.tx.ExecContext(ctx, `INSERT INTO series (kind, owner, name) VALUES (?, ?, ?)`, k.Kind, k.Owner, k.Name); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, err
	}
	r.created[k] = id
	return id, nil
}

func (r *seriesIDs) close() {
	if r.find != nil {
		r.find.Close()
	}
}

// InsertPoints stores points in one transaction; a point at an existing
// (series, time) overwrites the value. Either every point is stored or none.
func (s *Store) InsertPoints(ctx context.Context, points []store.SeriesPoint) error {
	_, err := s.InsertPointsSince(ctx, points, math.MinInt64)
	return err
}

// InsertPointsSince is InsertPoints for the points at or after oldest; the
// older ones are dropped, as the hosted API drops points older than 24 h,
// and so are those of retired hosts; the result counts both. Every point's
// host or service must exist, dropped or not.
func (s *Store) InsertPointsSince(ctx context.Context, points []store.SeriesPoint, oldest int64) (store.InsertResult, error) {
	if len(points) == 0 {
		return store.InsertResult{}, nil
	}
	res, err := s.insertPoints(ctx, points, oldest)
	if isForeignKeyError(err) {
		// Another process deleted a series this one had cached: forget
		// the cache and try once more.
		s.series.forget(func(store.SeriesKey) bool { return false })
		res, err = s.insertPoints(ctx, points, oldest)
	}
	if err != nil {
		return store.InsertResult{}, err
	}
	return res, nil
}

// isForeignKeyError reports SQLITE_CONSTRAINT_FOREIGNKEY.
func isForeignKeyError(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlitelib.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (s *Store) insertPoints(ctx context.Context, points []store.SeriesPoint, oldest int64) (store.InsertResult, error) {
	var created map[store.SeriesKey]int64
	var res store.InsertResult
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res = store.InsertResult{}
		contacted := map[string]bool{}
		ids := &seriesIDs{s: s, tx: tx, created: map[store.SeriesKey]int64{}}
		defer ids.close()
		created = ids.created
		retired, err := requireSeriesOwners(ctx, tx, points)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO points (series_id, time, value) VALUES (?, ?, ?)
			ON CONFLICT (series_id, time) DO UPDATE SET value = excluded.value`)
		if err != nil {
			return err
		}
		defer stmt.Close()
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
			id, err := ids.id(ctx, p.Key)
			if err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, id, p.Time, p.Value); err != nil {
				return err
			}
			res.Stored++
			if p.Key.Kind == "host" {
				contacted[p.Key.Owner] = true
			}
		}
		return recordHostContacts(ctx, tx, contacted, s.now().Unix())
	})
	if err == nil {
		for k, id := range created {
			s.series.put(k, id)
		}
	}
	return res, err
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

// requireSeriesOwners fails with ErrNotFound when a point names a host or a
// service that does not exist, and returns the retired hosts among the
// points: their points are dropped (the request still succeeds), so that a
// batch mixing live and retired hosts — an agent posting for custom
// identifiers does that — keeps the live hosts' data.
func requireSeriesOwners(ctx context.Context, tx *sql.Tx, points []store.SeriesPoint) (retired map[string]bool, err error) {
	hosts, services := map[string]bool{}, map[string]bool{}
	for _, p := range points {
		if p.Key.Kind == "host" {
			hosts[p.Key.Owner] = true
		} else {
			services[p.Key.Owner] = true
		}
	}
	retired = map[string]bool{}
	var missing []string
	for id := range hosts {
		var isRetired bool
		err := tx.QueryRowContext(ctx, `SELECT is_retired FROM hosts WHERE id = ?`, id).Scan(&isRetired)
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
