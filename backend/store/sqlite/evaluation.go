package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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

const monitorStateColumns = `monitor_id, target, status, violations, evaluated_at, value, message`

func scanMonitorState(row interface{ Scan(...any) error }) (*store.MonitorState, error) {
	var s store.MonitorState
	var v sql.NullFloat64
	if err := row.Scan(&s.MonitorID, &s.Target, &s.Status, &s.Violations, &s.EvaluatedAt, &v, &s.Message); err != nil {
		return nil, err
	}
	if v.Valid {
		s.Value = &v.Float64
	}
	return &s, nil
}

// MonitorStates returns every stored state of the monitor.
func (s *Store) MonitorStates(ctx context.Context, monitorID string) ([]*store.MonitorState, error) {
	q, args := `SELECT `+monitorStateColumns+` FROM monitor_states WHERE monitor_id = ? ORDER BY target`, []any{monitorID}
	if monitorID == "" {
		q, args = `SELECT `+monitorStateColumns+` FROM monitor_states ORDER BY monitor_id, target`, nil
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.MonitorState
	for rows.Next() {
		st, err := scanMonitorState(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
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

// LastMetricPosts returns when each live host last had points stored.
func (s *Store) LastMetricPosts(ctx context.Context) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.host_id, c.last_metric_at FROM host_contacts c
		JOIN hosts h ON h.id = c.host_id WHERE NOT h.is_retired`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = at
	}
	return out, rows.Err()
}

// AlertEvents returns outbox events after a sequence number.
func (s *Store) AlertEvents(ctx context.Context, after int64, limit int) ([]*store.AlertEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, id, kind, payload, alert_id, monitor_id, host_id, status, prev_status, trigger, created_at, notify
		FROM alert_events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.AlertEvent
	for rows.Next() {
		var e store.AlertEvent
		if err := rows.Scan(&e.Seq, &e.ID, &e.Kind, &e.Payload, &e.AlertID, &e.MonitorID, &e.HostID, &e.Status, &e.PrevStatus, &e.Trigger, &e.CreatedAt, &e.Notify); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}

func (t *txn) MonitorState(ctx context.Context, monitorID, target string) (*store.MonitorState, error) {
	st, err := scanMonitorState(t.tx.QueryRowContext(ctx, `SELECT `+monitorStateColumns+` FROM monitor_states
		WHERE monitor_id = ? AND target = ?`, monitorID, target))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return st, err
}

func (t *txn) PutMonitorState(ctx context.Context, s store.MonitorState) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO monitor_states (`+monitorStateColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (monitor_id, target) DO UPDATE SET status = excluded.status, violations = excluded.violations,
			evaluated_at = excluded.evaluated_at, value = excluded.value, message = excluded.message`,
		s.MonitorID, s.Target, s.Status, s.Violations, s.EvaluatedAt, s.Value, s.Message)
	return err
}

func (t *txn) DeleteMonitorState(ctx context.Context, monitorID, target string) error {
	_, err := t.tx.ExecContext(ctx, `DELETE FROM monitor_states WHERE monitor_id = ? AND target = ?`, monitorID, target)
	return err
}

func (t *txn) EvaluationCursor(ctx context.Context, monitorID string) (int64, error) {
	var at int64
	err := t.tx.QueryRowContext(ctx, `SELECT at FROM evaluation_cursors WHERE monitor_id = ?`, monitorID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return at, err
}

func (t *txn) SetEvaluationCursor(ctx context.Context, monitorID string, at int64) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO evaluation_cursors (monitor_id, at) VALUES (?, ?)
		ON CONFLICT (monitor_id) DO UPDATE SET at = excluded.at`, monitorID, at)
	return err
}

func (t *txn) AddAlertEvent(ctx context.Context, e *store.AlertEvent) error {
	var seq int64
	if err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM alert_events`).Scan(&seq); err != nil {
		return err
	}
	e.ID, e.Seq = store.NewID(), seq
	if e.Kind == "" {
		e.Kind = store.EventAlert
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO alert_events (seq, id, kind, payload, alert_id, monitor_id, host_id, status, prev_status, trigger, created_at, notify)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.ID, e.Kind, e.Payload, e.AlertID, e.MonitorID, e.HostID, e.Status, e.PrevStatus, e.Trigger, e.CreatedAt, e.Notify)
	return err
}

// jsonStrings encodes a list as a JSON array for json_each: one bound
// parameter however many owners (SQLite caps bound parameters).
func jsonStrings(list []string) string {
	b, _ := json.Marshal(list)
	return string(b)
}
