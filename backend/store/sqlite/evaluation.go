package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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

// RecentPoints reads the newest n points since `since` of each matching
// series: one indexed range scan per series, newest first, through one
// prepared statement.
func (s *Store) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	if len(names) == 0 || n <= 0 {
		return map[string]map[string][]store.Point{}, nil
	}
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
	case len(owners) == 0:
		return map[string]map[string][]store.Point{}, nil
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
	type series struct {
		id          int64
		owner, name string
	}
	var list []series
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sr series
		if err := rows.Scan(&sr.id, &sr.owner, &sr.name); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, sr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stmt, err := conn.PrepareContext(ctx, `SELECT time, value FROM points WHERE series_id = ? AND time >= ? ORDER BY time DESC LIMIT ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := map[string]map[string][]store.Point{}
	for _, sr := range list {
		pts, err := recentSeriesPoints(ctx, stmt, sr.id, since, n)
		if err != nil {
			return nil, err
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
