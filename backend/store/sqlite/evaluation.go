package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// recordHostContacts notes that the hosts had points stored at now: what
// connectivity monitors read (LastMetricPosts).
func recordHostContacts(ctx context.Context, tx *sql.Tx, hosts map[string]bool, now int64) error {
	if len(hosts) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO host_contacts (host_id, last_metric_at) VALUES (?, ?)
		ON CONFLICT (host_id) DO UPDATE SET last_metric_at = MAX(last_metric_at, excluded.last_metric_at)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for h := range hosts {
		if _, err := stmt.ExecContext(ctx, h, now); err != nil {
			return err
		}
	}
	return nil
}

// recentSeries is a series RecentPoints reads.
type recentSeries struct {
	id          int64
	owner, name string
}

// RecentPoints reads the newest n points since `since` of each matching
// series: the last minutes of many series per statement, then one indexed
// range scan, newest first, per series that had fewer than n there.
func (s *Store) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	if len(names) == 0 || n <= 0 {
		return map[string]map[string][]store.Point{}, nil
	}
	if owners != nil && len(owners) == 0 {
		return map[string]map[string][]store.Point{}, nil
	}
	list, owners := s.cachedRecentSeries(kind, owners, names)
	if owners == nil || len(owners) > 0 {
		more, err := s.recentSeriesList(ctx, kind, owners, names)
		if err != nil {
			return nil, err
		}
		list = append(list, more...)
	}
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// First the recent minutes of many series per statement: for a
	// series posted to every minute they hold its newest n points, and
	// a statement per series cost ~40 µs each (2 s for 50,000 agents'
	// loadavg5, every 15 s). Only the series with fewer than n points
	// there are read again over the whole window.
	recent, err := recentChunks(ctx, conn, list, max(since, s.now().Unix()-int64(n)*60-recentSlack), n)
	if err != nil {
		return nil, err
	}
	stmt, err := conn.PrepareContext(ctx, `SELECT time, value FROM points WHERE series_id = ? AND time >= ? ORDER BY time DESC LIMIT ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := map[string]map[string][]store.Point{}
	for _, sr := range list {
		pts := recent[sr.id]
		if len(pts) < n {
			if pts, err = recentSeriesPoints(ctx, stmt, sr.id, since, n); err != nil {
				return nil, err
			}
		}
		if len(pts) == 0 {
			continue
		}
		if out[sr.owner] == nil {
			out[sr.owner] = map[string][]store.Point{}
		}
		out[sr.owner][sr.name] = pts
	}
	return out, nil
}

// cachedRecentSeries finds in the series-id cache the host series of
// owners named exactly by names, and returns the owners it could not
// complete (all of them when it cannot help: a glob, a service, no owner
// list). Host series are never deleted (a retired host keeps its), so a
// cached host id is never stale; an evaluation of 50,000 agents' loadavg5
// otherwise looked up 50,000 series in the database every 15 s.
func (s *Store) cachedRecentSeries(kind string, owners, names []string) ([]recentSeries, []string) {
	if kind != "host" || owners == nil || slices.ContainsFunc(names, func(n string) bool { return strings.ContainsAny(n, "*?[") }) {
		return nil, owners
	}
	var list []recentSeries
	var missing []string
	for _, o := range owners {
		found := make([]recentSeries, 0, len(names))
		for _, n := range names {
			id, ok := s.series.Get(store.HostSeries(o, n))
			if !ok {
				break
			}
			found = append(found, recentSeries{id: id, owner: o, name: n})
		}
		if len(found) == len(names) {
			list = append(list, found...)
		} else {
			missing = append(missing, o)
		}
	}
	if missing == nil {
		missing = []string{}
	}
	return list, missing
}

// recentSeriesList looks up the series of kind named by names (exact, or
// GLOB patterns) of owners (nil: every owner's).
func (s *Store) recentSeriesList(ctx context.Context, kind string, owners, names []string) ([]recentSeries, error) {
	// A name with a wildcard (disk% reads filesystem.*.used) is a GLOB
	// pattern; the others are matched exactly.
	var conds []string
	args := []any{kind}
	for _, n := range names {
		if strings.ContainsAny(n, "*?[") {
			conds = append(conds, "name GLOB ?")
		} else {
			conds = append(conds, "name = ?")
		}
		args = append(args, n)
	}
	q := `SELECT id, owner, name FROM series WHERE kind = ? AND (` + strings.Join(conds, " OR ") + `)`
	switch {
	case owners == nil:
	case len(owners) <= 100:
		// Few owners (one agent's post): bound parameters let the
		// planner use the (kind, owner, name) key.
		q += ` AND owner IN (` + placeholders(len(owners)) + `)`
		for _, o := range owners {
			args = append(args, o)
		}
	default:
		q += ` AND owner IN (SELECT value FROM json_each(?))`
		args = append(args, jsonStrings(owners))
	}
	var list []recentSeries
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sr recentSeries
		if err := rows.Scan(&sr.id, &sr.owner, &sr.name); err != nil {
			return nil, err
		}
		list = append(list, sr)
	}
	return list, rows.Err()
}

// recentSlack widens RecentPoints' first read beyond n minutes: an
// agent's post arrives up to a minute or two after its points' time.
const recentSlack = 180

// recentChunkSeries is how many series one statement of recentChunks reads.
const recentChunkSeries = 1000

// recentChunks reads the points since `since` of the listed series,
// recentChunkSeries per statement, and keeps the newest n of each
// (oldest first), by series id.
func recentChunks(ctx context.Context, conn *sql.Conn, list []recentSeries, since int64, n int) (map[int64][]store.Point, error) {
	out := make(map[int64][]store.Point, len(list))
	for from := 0; from < len(list); from += recentChunkSeries {
		ids := make([]int64, 0, recentChunkSeries)
		for _, sr := range list[from:min(from+recentChunkSeries, len(list))] {
			ids = append(ids, sr.id)
		}
		idList, _ := json.Marshal(ids)
		rows, err := conn.QueryContext(ctx, `SELECT series_id, time, value FROM points
			WHERE series_id IN (SELECT value FROM json_each(?)) AND time >= ? ORDER BY series_id, time`, string(idList), since)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var p store.Point
			if err := rows.Scan(&id, &p.Time, &p.Value); err != nil {
				rows.Close()
				return nil, err
			}
			pts := append(out[id], p)
			if len(pts) > n {
				pts = pts[1:] // the oldest goes: only the newest n are kept
			}
			out[id] = pts
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recentSeriesPoints reads one series newest first and returns the points
// oldest first.
func recentSeriesPoints(ctx context.Context, stmt *sql.Stmt, id, since int64, n int) ([]store.Point, error) {
	rows, err := stmt.QueryContext(ctx, id, since, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pts []store.Point
	for rows.Next() {
		var p store.Point
		if err := rows.Scan(&p.Time, &p.Value); err != nil {
			return nil, err
		}
		pts = append(pts, p)
	}
	for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
		pts[i], pts[j] = pts[j], pts[i]
	}
	return pts, rows.Err()
}

// jsonStrings encodes a list as a JSON array for json_each: one bound
// parameter however many owners (SQLite caps bound parameters).
func jsonStrings(list []string) string {
	b, _ := json.Marshal(list)
	return string(b)
}
