package postgres

import (
	"context"
	"crypto/sha256"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/hostchecks"
)

// ListCheckMonitors returns check monitors by ascending id (byte order,
// as on SQLite), starting at nextID (inclusive); next starts the
// following page.
func (s *Store) ListCheckMonitors(ctx context.Context, nextID string, limit int) (list []store.CheckMonitor, next string, err error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM check_monitors WHERE id COLLATE "C" >= $1 ORDER BY id COLLATE "C" LIMIT $2`, nextID, limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	list = []store.CheckMonitor{}
	for rows.Next() {
		var m store.CheckMonitor
		if err := rows.Scan(&m.ID, &m.Name); err != nil {
			return nil, "", err
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(list) > limit {
		next = list[limit].ID
		list = list[:limit]
	}
	return list, next, nil
}

// GetCheckMonitor returns one check monitor.
func (s *Store) GetCheckMonitor(ctx context.Context, id string) (*store.CheckMonitor, error) {
	var m store.CheckMonitor
	err := s.pool.QueryRow(ctx, `SELECT id, name FROM check_monitors WHERE id = $1`, id).Scan(&m.ID, &m.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("check monitor", id)
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// MonitoredStatuses returns the latest check results of a host, by check
// name, with the memos its checks list gives them.
func (s *Store) MonitoredStatuses(ctx context.Context, hostID string) ([]store.MonitoredStatus, error) {
	var checks []byte
	err := s.pool.QueryRow(ctx, `SELECT checks FROM hosts WHERE id = $1`, hostID).Scan(&checks)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("host", hostID)
	}
	if err != nil {
		return nil, err
	}
	memos := hostchecks.Memos(checks)
	rows, err := s.pool.Query(ctx, `SELECT cs.monitor_id, cm.name, cs.status, cs.message FROM check_states cs
		JOIN check_monitors cm ON cm.id = cs.monitor_id WHERE cs.host_id = $1 ORDER BY cm.name COLLATE "C"`, hostID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.MonitoredStatus{}
	for rows.Next() {
		var m store.MonitoredStatus
		var name string
		if err := rows.Scan(&m.MonitorID, &name, &m.Status, &m.Message); err != nil {
			return nil, err
		}
		m.Memo = memos[name]
		out = append(out, m)
	}
	return out, rows.Err()
}

// CheckNotificationInterval returns the interval of a check's latest
// report on a host, 0 when none.
func (s *Store) CheckNotificationInterval(ctx context.Context, hostID, monitorID string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT notification_interval FROM check_states WHERE host_id = $1 AND monitor_id = $2`, hostID, monitorID).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

func (t *txn) HostChecks(ctx context.Context, hostID string) (*store.HostChecks, error) {
	var hc store.HostChecks
	var checks []byte
	err := t.tx.QueryRow(ctx, `SELECT is_retired, status, checks FROM hosts WHERE id = $1`, hostID).Scan(&hc.Retired, &hc.Status, &checks)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("host", hostID)
	}
	if err != nil {
		return nil, err
	}
	hc.Memos = hostchecks.Memos(checks)
	return &hc, nil
}

// RecordCheckReport keys a report on its result as well as its second:
// the status and a SHA-256 of the message. The key is the table's primary
// key, so remembering and recognising a repeat is one insert. (SQLite
// also honours rows from before it kept results; this schema never had
// such rows.)
func (t *txn) RecordCheckReport(ctx context.Context, r store.CheckReport) (bool, error) {
	sum := sha256.Sum256([]byte(r.Message))
	tag, err := t.tx.Exec(ctx, `INSERT INTO check_reports (host_id, name, occurred_at, status, message_hash) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, r.HostID, r.Name, r.OccurredAt, r.Status, sum[:])
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

func (t *txn) PruneCheckReports(ctx context.Context, hostID, name string, before int64) error {
	_, err := t.tx.Exec(ctx, `DELETE FROM check_reports WHERE host_id = $1 AND name = $2 AND occurred_at < $3`, hostID, name, before)
	return err
}

// EnsureCheckMonitor returns the id of the check monitor called name,
// creating it if needed (hosts.go's ensureCheckMonitor, which host
// registration shares).
func (t *txn) EnsureCheckMonitor(ctx context.Context, name string) (string, error) {
	return ensureCheckMonitor(ctx, t.tx, name)
}

func (t *txn) CheckState(ctx context.Context, hostID, monitorID string) (*store.CheckState, error) {
	cs := store.CheckState{HostID: hostID, MonitorID: monitorID}
	err := t.tx.QueryRow(ctx, `SELECT status, message, occurred_at, failures, notification_interval, max_check_attempts
		FROM check_states WHERE host_id = $1 AND monitor_id = $2`, hostID, monitorID).
		Scan(&cs.Status, &cs.Message, &cs.OccurredAt, &cs.Failures, &cs.NotificationInterval, &cs.MaxCheckAttempts)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &cs, nil
}

func (t *txn) PutCheckState(ctx context.Context, cs store.CheckState) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO check_states (host_id, monitor_id, status, message, occurred_at, failures, notification_interval, max_check_attempts)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (host_id, monitor_id) DO UPDATE SET status = excluded.status, message = excluded.message,
		occurred_at = excluded.occurred_at, failures = excluded.failures,
		notification_interval = excluded.notification_interval, max_check_attempts = excluded.max_check_attempts`,
		cs.HostID, cs.MonitorID, cs.Status, cs.Message, cs.OccurredAt, cs.Failures, cs.NotificationInterval, cs.MaxCheckAttempts)
	return err
}
