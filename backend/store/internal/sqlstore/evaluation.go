package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

const monitorStateColumns = `monitor_id, target, status, violations, evaluated_at, value, message`

func scanMonitorState(row Row) (*store.MonitorState, error) {
	var s store.MonitorState
	if err := row.Scan(&s.MonitorID, &s.Target, &s.Status, &s.Violations, &s.EvaluatedAt, &s.Value, &s.Message); err != nil {
		return nil, err
	}
	return &s, nil
}

// MonitorStates returns every stored state of the monitor, or of every
// monitor when monitorID is "", ordered byte by byte.
func (c Core) MonitorStates(ctx context.Context, monitorID string) ([]*store.MonitorState, error) {
	r := c.E.Reader()
	d := r.Dialect()
	q, args := `SELECT `+monitorStateColumns+` FROM monitor_states WHERE monitor_id = ? ORDER BY `+d.Bytewise("target"), []any{monitorID}
	if monitorID == "" {
		q, args = `SELECT `+monitorStateColumns+` FROM monitor_states ORDER BY `+d.Bytewise("monitor_id")+`, `+d.Bytewise("target"), nil
	}
	return collect(scanMonitorState)(r.Query(ctx, q, args...))
}

// LastMetricPosts returns when each live host among hosts (nil: every
// live host) last had points stored, naming lastPostsChunk hosts a
// statement (SQLite binds each as a parameter).
func (c Core) LastMetricPosts(ctx context.Context, hosts []string) (map[string]int64, error) {
	r := c.E.Reader()
	q := `SELECT c.host_id, c.last_metric_at FROM host_contacts c
		JOIN hosts h ON h.id = c.host_id WHERE NOT h.is_retired`
	out := map[string]int64{}
	read := func(cond string, args []any) error {
		list, err := collect(scanContact)(r.Query(ctx, q+cond, args...))
		for _, v := range list {
			out[v.id] = v.at
		}
		return err
	}
	if hosts == nil {
		if err := read("", nil); err != nil {
			return nil, err
		}
		return out, nil
	}
	for from := 0; from < len(hosts); from += lastPostsChunk {
		in, args := r.Dialect().InStrings("c.host_id", hosts[from:min(from+lastPostsChunk, len(hosts))])
		if err := read(" AND "+in, args); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// contact is a host's last metric post.
type contact struct {
	id string
	at int64
}

func scanContact(row Row) (contact, error) {
	var v contact
	return v, row.Scan(&v.id, &v.at)
}

// lastPostsChunk is how many hosts one LastMetricPosts statement names.
const lastPostsChunk = 500

const alertEventColumns = `seq, id, kind, payload, alert_id, monitor_id, host_id, status, prev_status, trigger, created_at, notify`

func scanAlertEvent(row Row) (*store.AlertEvent, error) {
	var e store.AlertEvent
	return &e, row.Scan(&e.Seq, &e.ID, &e.Kind, &e.Payload, &e.AlertID, &e.MonitorID, &e.HostID, &e.Status, &e.PrevStatus, &e.Trigger, &e.CreatedAt, &e.Notify)
}

// AlertEvents returns outbox events after a sequence number, oldest first.
func (c Core) AlertEvents(ctx context.Context, after int64, limit int) ([]*store.AlertEvent, error) {
	return collect(scanAlertEvent)(c.E.Reader().Query(ctx, `SELECT `+alertEventColumns+` FROM alert_events
		WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit))
}

// MonitorState returns one state, nil when none.
func (t *Tx) MonitorState(ctx context.Context, monitorID, target string) (*store.MonitorState, error) {
	st, err := scanMonitorState(t.Q.QueryRow(ctx, `SELECT `+monitorStateColumns+` FROM monitor_states
		WHERE monitor_id = ? AND target = ?`, monitorID, target))
	if errors.Is(err, ErrNoRows) {
		return nil, nil
	}
	return st, err
}

// PutMonitorState creates or replaces a state.
func (t *Tx) PutMonitorState(ctx context.Context, s store.MonitorState) error {
	_, err := t.Q.Exec(ctx, `INSERT INTO monitor_states (`+monitorStateColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (monitor_id, target) DO UPDATE SET status = excluded.status, violations = excluded.violations,
			evaluated_at = excluded.evaluated_at, value = excluded.value, message = excluded.message`,
		s.MonitorID, s.Target, s.Status, s.Violations, s.EvaluatedAt, s.Value, s.Message)
	return err
}

// DeleteMonitorState removes a state if there is one.
func (t *Tx) DeleteMonitorState(ctx context.Context, monitorID, target string) error {
	_, err := t.Q.Exec(ctx, `DELETE FROM monitor_states WHERE monitor_id = ? AND target = ?`, monitorID, target)
	return err
}

// EvaluationCursor returns the last tick a monitor was evaluated at, 0
// when never.
func (t *Tx) EvaluationCursor(ctx context.Context, monitorID string) (int64, error) {
	var at int64
	err := t.Q.QueryRow(ctx, `SELECT at FROM evaluation_cursors WHERE monitor_id = ?`, monitorID).Scan(&at)
	if errors.Is(err, ErrNoRows) {
		return 0, nil
	}
	return at, err
}

// SetEvaluationCursor moves a monitor's evaluation cursor.
func (t *Tx) SetEvaluationCursor(ctx context.Context, monitorID string, at int64) error {
	_, err := t.Q.Exec(ctx, `INSERT INTO evaluation_cursors (monitor_id, at) VALUES (?, ?)
		ON CONFLICT (monitor_id) DO UPDATE SET at = excluded.at`, monitorID, at)
	return err
}

// AddAlertEvent appends e to the outbox and sets its ID and Seq. Readers
// of the outbox move past what they saw by seq, so seq order must be
// commit order: SQLite's single writer makes MAX(seq)+1 so; on
// PostgreSQL the seq comes from the counter row, locked until this
// transaction ends (see its migration 0002), where an identity would let
// two transactions commit in the other order than they drew.
func (t *Tx) AddAlertEvent(ctx context.Context, e *store.AlertEvent) error {
	draw := `SELECT COALESCE(MAX(seq), 0) + 1 FROM alert_events`
	if t.Q.Dialect() == Postgres {
		draw = `UPDATE alert_event_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq`
	}
	var seq int64
	if err := t.Q.QueryRow(ctx, draw).Scan(&seq); err != nil {
		return err
	}
	e.ID, e.Seq = store.NewID(), seq
	if e.Kind == "" {
		e.Kind = store.EventAlert
	}
	_, err := t.Q.Exec(ctx, `INSERT INTO alert_events (`+alertEventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.ID, e.Kind, e.Payload, e.AlertID, e.MonitorID, e.HostID, e.Status, e.PrevStatus, e.Trigger, e.CreatedAt, e.Notify)
	return err
}
