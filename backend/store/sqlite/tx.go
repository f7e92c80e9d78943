package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/hostchecks"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// txn is store.Tx over one SQLite write transaction: row-level reads and
// writes that package engine composes into its rules.
type txn struct {
	// Tx is the half whose SQL both engines share (package sqlstore).
	*sqlstore.Tx
	tx *sql.Tx
	s  *Store
	// committed runs after a successful commit (cache upkeep).
	committed []func()
}

var _ store.Tx = (*txn)(nil)

// InTx runs fn in one write transaction (see store.Store).
func (s *Store) InTx(ctx context.Context, fn func(store.Tx) error) error {
	var t *txn
	err := s.tx(ctx, func(tx *sql.Tx) error {
		t = &txn{Tx: sqlstore.NewTx(sq{tx}, s.now), tx: tx, s: s}
		return fn(t)
	})
	if err == nil {
		for _, f := range t.committed {
			f()
		}
	}
	return err
}

// DeleteService removes a service as Store.DeleteService does.
func (t *txn) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	svc, err := deleteService(ctx, t.tx, name)
	if err == nil {
		t.committed = append(t.committed, func() { t.s.forgetServiceSeries(name) })
	}
	return svc, err
}

func (t *txn) HostChecks(ctx context.Context, hostID string) (*store.HostChecks, error) {
	var hc store.HostChecks
	var checks []byte
	err := t.tx.QueryRowContext(ctx, `SELECT is_retired, status, checks FROM hosts WHERE id = ?`, hostID).Scan(&hc.Retired, &hc.Status, &checks)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("host", hostID)
	}
	if err != nil {
		return nil, err
	}
	hc.Memos = hostchecks.Memos(checks)
	return &hc, nil
}

func (t *txn) RetireHosts(ctx context.Context, ids []string, retiredAt int64) error {
	return retireHosts(ctx, t.tx, ids, retiredAt)
}

// RecordCheckReport keys a report on its result as well as its second: the
// status and a SHA-256 of the message (short keys whatever the message). A
// row with an empty status was recorded before migration 0005 kept results,
// and still stands for any report at its second.
func (t *txn) RecordCheckReport(ctx context.Context, r store.CheckReport) (bool, error) {
	sum := sha256.Sum256([]byte(r.Message))
	var seen bool
	err := t.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM check_reports
		WHERE host_id = ? AND name = ? AND occurred_at = ? AND (status = '' OR (status = ? AND message_hash = ?)))`,
		r.HostID, r.Name, r.OccurredAt, r.Status, sum[:]).Scan(&seen)
	if err != nil || seen {
		return false, err
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO check_reports (host_id, name, occurred_at, status, message_hash) VALUES (?, ?, ?, ?, ?)`,
		r.HostID, r.Name, r.OccurredAt, r.Status, sum[:])
	return err == nil, err
}

func (t *txn) PruneCheckReports(ctx context.Context, hostID, name string, before int64) error {
	_, err := t.tx.ExecContext(ctx, `DELETE FROM check_reports WHERE host_id = ? AND name = ? AND occurred_at < ?`, hostID, name, before)
	return err
}

func (t *txn) EnsureCheckMonitor(ctx context.Context, name string) (string, error) {
	return ensureCheckMonitor(ctx, t.tx, name)
}

func (t *txn) CheckState(ctx context.Context, hostID, monitorID string) (*store.CheckState, error) {
	cs := store.CheckState{HostID: hostID, MonitorID: monitorID}
	err := t.tx.QueryRowContext(ctx, `SELECT status, message, occurred_at, failures, notification_interval, max_check_attempts
		FROM check_states WHERE host_id = ? AND monitor_id = ?`, hostID, monitorID).
		Scan(&cs.Status, &cs.Message, &cs.OccurredAt, &cs.Failures, &cs.NotificationInterval, &cs.MaxCheckAttempts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &cs, nil
}

func (t *txn) PutCheckState(ctx context.Context, cs store.CheckState) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO check_states (host_id, monitor_id, status, message, occurred_at, failures, notification_interval, max_check_attempts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (host_id, monitor_id) DO UPDATE SET status = excluded.status, message = excluded.message,
		occurred_at = excluded.occurred_at, failures = excluded.failures,
		notification_interval = excluded.notification_interval, max_check_attempts = excluded.max_check_attempts`,
		cs.HostID, cs.MonitorID, cs.Status, cs.Message, cs.OccurredAt, cs.Failures, cs.NotificationInterval, cs.MaxCheckAttempts)
	return err
}

func (t *txn) GetAlert(ctx context.Context, id string) (*store.Alert, error) {
	return getAlert(ctx, t.tx, id)
}

func (t *txn) OpenMonitorAlert(ctx context.Context, monitorID, hostID string) (*store.Alert, error) {
	a, err := scanAlert(t.tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE monitor_id = ? AND COALESCE(host_id, '') = ? AND closed_at IS NULL`, monitorID, hostID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return a, err
}

func (t *txn) OpenHostAlerts(ctx context.Context, hostIDs []string) ([]*store.Alert, error) {
	args := make([]any, len(hostIDs))
	for i, id := range hostIDs {
		args[i] = id
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE closed_at IS NULL AND host_id IN (`+placeholders(len(hostIDs))+`)`, args...)
	return collectAlerts(rows, err)
}

func (t *txn) CreateAlert(ctx context.Context, a *store.Alert) error {
	seq, err := nextSeq(ctx, t.tx, "alerts")
	if err != nil {
		return err
	}
	a.ID = store.NewID()
	_, err = t.tx.ExecContext(ctx, `INSERT INTO alerts (id, seq, status, monitor_id, type, host_id, value, message, opened_at, notified_at)
		VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)`, a.ID, seq, a.Status, a.MonitorID, a.Type, a.HostID, a.Value, a.Message, a.OpenedAt, a.NotifiedAt)
	return err
}

func (t *txn) UpdateAlert(ctx context.Context, a *store.Alert) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE alerts SET status = ?, value = ?, message = ?, reason = ?, closed_at = NULLIF(?, 0), notified_at = ? WHERE id = ?`,
		a.Status, a.Value, a.Message, a.Reason, a.ClosedAt, a.NotifiedAt, a.ID)
	return err
}

func (t *txn) AddAlertLog(ctx context.Context, alertID string, l store.AlertLog) error {
	return addAlertLog(ctx, t.tx, alertID, l)
}
