package sqlstore

import (
	"context"
	"crypto/sha256"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/hostchecks"
)

// ListCheckMonitors returns check monitors by ascending id (byte order on
// both engines), starting at nextID (inclusive); next starts the
// following page.
func (c Core) ListCheckMonitors(ctx context.Context, nextID string, limit int) (list []store.CheckMonitor, next string, err error) {
	r := c.E.Reader()
	id := r.Dialect().Bytewise("id")
	list, err = collect(func(row Row) (store.CheckMonitor, error) {
		var m store.CheckMonitor
		return m, row.Scan(&m.ID, &m.Name)
	})(r.Query(ctx, `SELECT id, name FROM check_monitors WHERE `+id+` >= ? ORDER BY `+id+` LIMIT ?`, nextID, limit+1))
	if err != nil {
		return nil, "", err
	}
	if list == nil {
		list = []store.CheckMonitor{}
	}
	if len(list) > limit {
		next = list[limit].ID
		list = list[:limit]
	}
	return list, next, nil
}

// GetCheckMonitor returns one check monitor.
func (c Core) GetCheckMonitor(ctx context.Context, id string) (*store.CheckMonitor, error) {
	var m store.CheckMonitor
	err := c.E.Reader().QueryRow(ctx, `SELECT id, name FROM check_monitors WHERE id = ?`, id).Scan(&m.ID, &m.Name)
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("check monitor", id)
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// MonitoredStatuses returns the latest check results of a host, by check
// name, with the memos its checks list gives them.
func (c Core) MonitoredStatuses(ctx context.Context, hostID string) ([]store.MonitoredStatus, error) {
	r := c.E.Reader()
	var checks []byte
	err := r.QueryRow(ctx, `SELECT checks FROM hosts WHERE id = ?`, hostID).Scan(&checks)
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("host", hostID)
	}
	if err != nil {
		return nil, err
	}
	memos := hostchecks.Memos(checks)
	out, err := collect(func(row Row) (store.MonitoredStatus, error) {
		var m store.MonitoredStatus
		var name string
		err := row.Scan(&m.MonitorID, &name, &m.Status, &m.Message)
		m.Memo = memos[name]
		return m, err
	})(r.Query(ctx, `SELECT cs.monitor_id, cm.name, cs.status, cs.message FROM check_states cs
		JOIN check_monitors cm ON cm.id = cs.monitor_id WHERE cs.host_id = ? ORDER BY `+r.Dialect().Bytewise("cm.name"), hostID))
	if out == nil && err == nil {
		out = []store.MonitoredStatus{}
	}
	return out, err
}

// CheckNotificationInterval returns the interval of a check's latest
// report on a host, 0 when none.
func (c Core) CheckNotificationInterval(ctx context.Context, hostID, monitorID string) (int, error) {
	var n int
	err := c.E.Reader().QueryRow(ctx, `SELECT notification_interval FROM check_states WHERE host_id = ? AND monitor_id = ?`,
		hostID, monitorID).Scan(&n)
	if errors.Is(err, ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// HostChecks returns what the check rules need of a host (KindNotFound
// when there is none).
func (t *Tx) HostChecks(ctx context.Context, hostID string) (*store.HostChecks, error) {
	var hc store.HostChecks
	var checks []byte
	err := t.Q.QueryRow(ctx, `SELECT is_retired, status, checks FROM hosts WHERE id = ?`, hostID).Scan(&hc.Retired, &hc.Status, &checks)
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("host", hostID)
	}
	if err != nil {
		return nil, err
	}
	hc.Memos = hostchecks.Memos(checks)
	return &hc, nil
}

// RecordCheckReport keys a report on its result as well as its second:
// the status and a SHA-256 of the message (short keys whatever the
// message). The key is the table's primary key, so remembering and
// recognising a repeat is one insert. On SQLite a row with an empty
// status was recorded before migration 0005 kept results, and still
// stands for any report at its second (PostgreSQL's schema never had
// such rows).
func (t *Tx) RecordCheckReport(ctx context.Context, r store.CheckReport) (bool, error) {
	sum := sha256.Sum256([]byte(r.Message))
	if t.Q.Dialect() == SQLite {
		var legacy bool
		err := t.Q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM check_reports
			WHERE host_id = ? AND name = ? AND occurred_at = ? AND status = '')`, r.HostID, r.Name, r.OccurredAt).Scan(&legacy)
		if err != nil || legacy {
			return false, err
		}
	}
	n, err := t.Q.Exec(ctx, `INSERT INTO check_reports (host_id, name, occurred_at, status, message_hash) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, r.HostID, r.Name, r.OccurredAt, r.Status, sum[:])
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// PruneCheckReports forgets the check's reports that occurred before
// before.
func (t *Tx) PruneCheckReports(ctx context.Context, hostID, name string, before int64) error {
	_, err := t.Q.Exec(ctx, `DELETE FROM check_reports WHERE host_id = ? AND name = ? AND occurred_at < ?`, hostID, name, before)
	return err
}

// EnsureCheckMonitor returns the id of the check monitor called name,
// creating it if needed.
func (t *Tx) EnsureCheckMonitor(ctx context.Context, name string) (string, error) {
	return EnsureCheckMonitor(ctx, t.Q, name)
}

// CheckState returns the check's state on the host, nil when none.
func (t *Tx) CheckState(ctx context.Context, hostID, monitorID string) (*store.CheckState, error) {
	cs := store.CheckState{HostID: hostID, MonitorID: monitorID}
	err := t.Q.QueryRow(ctx, `SELECT status, message, occurred_at, failures, notification_interval, max_check_attempts
		FROM check_states WHERE host_id = ? AND monitor_id = ?`, hostID, monitorID).
		Scan(&cs.Status, &cs.Message, &cs.OccurredAt, &cs.Failures, &cs.NotificationInterval, &cs.MaxCheckAttempts)
	if errors.Is(err, ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &cs, nil
}

// PutCheckState creates or replaces the check's state on the host.
func (t *Tx) PutCheckState(ctx context.Context, cs store.CheckState) error {
	_, err := t.Q.Exec(ctx, `INSERT INTO check_states (host_id, monitor_id, status, message, occurred_at, failures, notification_interval, max_check_attempts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (host_id, monitor_id) DO UPDATE SET status = excluded.status, message = excluded.message,
		occurred_at = excluded.occurred_at, failures = excluded.failures,
		notification_interval = excluded.notification_interval, max_check_attempts = excluded.max_check_attempts`,
		cs.HostID, cs.MonitorID, cs.Status, cs.Message, cs.OccurredAt, cs.Failures, cs.NotificationInterval, cs.MaxCheckAttempts)
	return err
}
