package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

const monitorStateColumns = `monitor_id, target, status, violations, evaluated_at, value, message`

func scanMonitorState(row pgx.Row) (*store.MonitorState, error) {
	var s store.MonitorState
	if err := row.Scan(&s.MonitorID, &s.Target, &s.Status, &s.Violations, &s.EvaluatedAt, &s.Value, &s.Message); err != nil {
		return nil, err
	}
	return &s, nil
}

// MonitorStates returns every stored state of the monitor, or of every
// monitor when monitorID is "".
func (s *Store) MonitorStates(ctx context.Context, monitorID string) ([]*store.MonitorState, error) {
	q, args := `SELECT `+monitorStateColumns+` FROM monitor_states WHERE monitor_id = $1 ORDER BY target COLLATE "C"`, []any{monitorID}
	if monitorID == "" {
		q, args = `SELECT `+monitorStateColumns+` FROM monitor_states ORDER BY monitor_id COLLATE "C", target COLLATE "C"`, nil
	}
	rows, err := s.pool.Query(ctx, q, args...)
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
// series in one statement: the series are picked by exact name or by a
// glob (translated to an anchored regular expression), and a lateral
// subquery reads each one's newest points through the (series_id, time)
// key.
func (s *Store) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	out := map[string]map[string][]store.Point{}
	if len(names) == 0 || n <= 0 || (owners != nil && len(owners) == 0) {
		return out, nil
	}
	exact, patterns := []string{}, []string{}
	for _, name := range names {
		if strings.ContainsAny(name, "*?[") {
			patterns = append(patterns, globRegexp(name))
		} else {
			exact = append(exact, name)
		}
	}
	q := `SELECT s.owner, s.name, p.time, p.value FROM series s
		CROSS JOIN LATERAL (SELECT time, value FROM points WHERE series_id = s.id AND time >= $4
			ORDER BY time DESC LIMIT $5) p
		WHERE s.kind = $1 AND (s.name = ANY($2) OR s.name ~ ANY($3))`
	args := []any{kind, exact, patterns, since, n}
	if owners != nil {
		q += ` AND s.owner = ANY($6)`
		args = append(args, owners)
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY s.owner, s.name, p.time`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var owner, name string
		var p store.Point
		if err := rows.Scan(&owner, &name, &p.Time, &p.Value); err != nil {
			return nil, err
		}
		if out[owner] == nil {
			out[owner] = map[string][]store.Point{}
		}
		out[owner][name] = append(out[owner][name], p)
	}
	return out, rows.Err()
}

// globRegexp turns a GLOB pattern as SQLite reads it (* any run, ? one
// character, [...] a class, [^...] its complement; case-sensitive, the
// whole name) into an anchored PostgreSQL regular expression.
func globRegexp(glob string) string {
	var b strings.Builder
	b.WriteByte('^')
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteByte('.')
		case '[':
			end := classEnd(glob, i)
			if end < 0 { // no closing bracket: SQLite matches nothing
				return "^$.^"
			}
			b.WriteByte('[')
			for _, cc := range []byte(glob[i+1 : end]) {
				if cc == '\\' {
					b.WriteByte('\\') // a backslash escapes even inside a class here
				}
				b.WriteByte(cc)
			}
			b.WriteByte(']')
			i = end
		default:
			if strings.IndexByte(`\.+()|{}$^`, c) >= 0 {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
	}
	b.WriteByte('$')
	return b.String()
}

// classEnd returns the index of the ] closing the class that opens at
// start; a ] first in the class (after an optional ^) is a member.
func classEnd(glob string, start int) int {
	i := start + 1
	if i < len(glob) && glob[i] == '^' {
		i++
	}
	if i < len(glob) && glob[i] == ']' {
		i++
	}
	for ; i < len(glob); i++ {
		if glob[i] == ']' {
			return i
		}
	}
	return -1
}

// LastMetricPosts returns when each live host last had points stored.
func (s *Store) LastMetricPosts(ctx context.Context) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.host_id, c.last_metric_at FROM host_contacts c
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

const alertEventColumns = `seq, id, kind, payload, alert_id, monitor_id, host_id, status, prev_status, trigger, created_at, notify`

// AlertEvents returns outbox events after a sequence number, oldest first.
func (s *Store) AlertEvents(ctx context.Context, after int64, limit int) ([]*store.AlertEvent, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+alertEventColumns+` FROM alert_events WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
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

// AddAlertEvent appends e to the outbox. Its seq comes from the counter
// row, locked until this transaction ends (see migration 0002), so events
// become visible in seq order and a reader never skips one.
func (t *txn) AddAlertEvent(ctx context.Context, e *store.AlertEvent) error {
	var seq int64
	if err := t.tx.QueryRow(ctx, `UPDATE alert_event_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq`).Scan(&seq); err != nil {
		return err
	}
	e.ID, e.Seq = store.NewID(), seq
	if e.Kind == "" {
		e.Kind = store.EventAlert
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO alert_events (`+alertEventColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.Seq, e.ID, e.Kind, e.Payload, e.AlertID, e.MonitorID, e.HostID, e.Status, e.PrevStatus, e.Trigger, e.CreatedAt, e.Notify)
	return err
}

func (t *txn) MonitorState(ctx context.Context, monitorID, target string) (*store.MonitorState, error) {
	st, err := scanMonitorState(t.tx.QueryRow(ctx, `SELECT `+monitorStateColumns+` FROM monitor_states
		WHERE monitor_id = $1 AND target = $2`, monitorID, target))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return st, err
}

func (t *txn) PutMonitorState(ctx context.Context, s store.MonitorState) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO monitor_states (`+monitorStateColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (monitor_id, target) DO UPDATE SET status = excluded.status, violations = excluded.violations,
			evaluated_at = excluded.evaluated_at, value = excluded.value, message = excluded.message`,
		s.MonitorID, s.Target, s.Status, s.Violations, s.EvaluatedAt, s.Value, s.Message)
	return err
}

func (t *txn) DeleteMonitorState(ctx context.Context, monitorID, target string) error {
	_, err := t.tx.Exec(ctx, `DELETE FROM monitor_states WHERE monitor_id = $1 AND target = $2`, monitorID, target)
	return err
}

func (t *txn) EvaluationCursor(ctx context.Context, monitorID string) (int64, error) {
	var at int64
	err := t.tx.QueryRow(ctx, `SELECT at FROM evaluation_cursors WHERE monitor_id = $1`, monitorID).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return at, err
}

func (t *txn) SetEvaluationCursor(ctx context.Context, monitorID string, at int64) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO evaluation_cursors (monitor_id, at) VALUES ($1, $2)
		ON CONFLICT (monitor_id) DO UPDATE SET at = excluded.at`, monitorID, at)
	return err
}
