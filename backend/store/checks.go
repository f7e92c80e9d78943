package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// CheckReport is one posted check result.
type CheckReport struct {
	HostID               string
	Name                 string
	Status               string // OK, WARNING, CRITICAL, UNKNOWN
	Message              string
	OccurredAt           int64
	NotificationInterval int
	MaxCheckAttempts     int // ≥ 1
}

// CheckMonitor is a check monitor: a name shared by every host reporting it.
type CheckMonitor struct {
	ID   string
	Name string
}

// MonitoredStatus is the latest check result on a host.
type MonitoredStatus struct {
	MonitorID string
	Status    string
	Message   string
	Memo      string
}

// ensureCheckMonitor returns the id of the check monitor called name,
// creating it if needed.
func ensureCheckMonitor(ctx context.Context, tx *sql.Tx, name string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM check_monitors WHERE name = ?`, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	id = NewID()
	_, err = tx.ExecContext(ctx, `INSERT INTO check_monitors (id, name) VALUES (?, ?)`, id, name)
	return id, err
}

// ensureHostCheckMonitors creates the monitors a host's checks list names.
func ensureHostCheckMonitors(ctx context.Context, tx *sql.Tx, checks []byte) error {
	if len(checks) == 0 {
		return nil
	}
	var list []struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(checks, &list); err != nil {
		return nil // validated by the HTTP layer; nothing to create
	}
	for _, c := range list {
		if _, err := ensureCheckMonitor(ctx, tx, c.Name); err != nil {
			return err
		}
	}
	return nil
}

// checkMemos maps each check of a host's checks list to its memo.
func checkMemos(checks []byte) map[string]string {
	var list []struct {
		Name string `json:"name"`
		Memo string `json:"memo"`
	}
	if json.Unmarshal(checks, &list) != nil {
		return nil
	}
	memos := make(map[string]string, len(list))
	for _, c := range list {
		memos[c.Name] = c.Memo
	}
	return memos
}

// ApplyCheckReports records reports and opens, updates or closes alerts, in
// one transaction. Reports that occurred before staleBefore, exact
// duplicates, reports older than the host's latest result for that check,
// and reports about retired hosts are ignored. An unknown host rejects the
// whole request (ErrNotFound) before anything is written.
func (s *Store) ApplyCheckReports(ctx context.Context, reports []CheckReport, staleBefore int64) (applied int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		hosts := map[string]*hostCheckInfo{}
		for _, r := range reports {
			if _, ok := hosts[r.HostID]; ok {
				continue
			}
			info, err := loadHostCheckInfo(ctx, tx, r.HostID)
			if err != nil {
				return err
			}
			hosts[r.HostID] = info
		}
		now := s.now().Unix()
		for _, r := range reports {
			if r.OccurredAt < staleBefore || hosts[r.HostID].retired {
				continue
			}
			ok, err := s.applyCheckReport(ctx, tx, r, hosts[r.HostID], now)
			if err != nil {
				return err
			}
			if ok {
				applied++
			}
		}
		return pruneCheckReports(ctx, tx, reports, staleBefore)
	})
	return applied, err
}

// pruneCheckReports forgets the accepted reports of these checks that are
// too old to matter: a report that old is ignored anyway, so its
// duplicate-detection row only made the table grow for ever.
func pruneCheckReports(ctx context.Context, tx *sql.Tx, reports []CheckReport, staleBefore int64) error {
	type check struct{ host, name string }
	seen := map[check]bool{}
	for _, r := range reports {
		c := check{r.HostID, r.Name}
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM check_reports WHERE host_id = ? AND name = ? AND occurred_at < ?`,
			c.host, c.name, staleBefore); err != nil {
			return err
		}
	}
	return nil
}

type hostCheckInfo struct {
	retired bool
	memos   map[string]string // check name → memo, parsed once per request
}

func loadHostCheckInfo(ctx context.Context, tx *sql.Tx, id string) (*hostCheckInfo, error) {
	var info hostCheckInfo
	var checks []byte
	err := tx.QueryRowContext(ctx, `SELECT is_retired, checks FROM hosts WHERE id = ?`, id).Scan(&info.retired, &checks)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: host %s", ErrNotFound, id)
	}
	info.memos = checkMemos(checks)
	return &info, err
}

func (s *Store) applyCheckReport(ctx context.Context, tx *sql.Tx, r CheckReport, host *hostCheckInfo, now int64) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO check_reports (host_id, name, occurred_at) VALUES (?, ?, ?)`, r.HostID, r.Name, r.OccurredAt)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil // duplicate
	}
	monitorID, err := ensureCheckMonitor(ctx, tx, r.Name)
	if err != nil {
		return false, err
	}
	var prevAt int64
	var failures int
	err = tx.QueryRowContext(ctx, `SELECT occurred_at, failures FROM check_states WHERE host_id = ? AND monitor_id = ?`, r.HostID, monitorID).Scan(&prevAt, &failures)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if err == nil && r.OccurredAt < prevAt {
		return false, nil // an older result arriving late changes nothing
	}
	if r.Status == "OK" {
		failures = 0
	} else {
		failures++
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO check_states (host_id, monitor_id, status, message, occurred_at, failures, notification_interval, max_check_attempts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (host_id, monitor_id) DO UPDATE SET status = excluded.status, message = excluded.message,
		occurred_at = excluded.occurred_at, failures = excluded.failures,
		notification_interval = excluded.notification_interval, max_check_attempts = excluded.max_check_attempts`,
		r.HostID, monitorID, r.Status, r.Message, r.OccurredAt, failures, r.NotificationInterval, r.MaxCheckAttempts)
	if err != nil {
		return false, err
	}
	return true, updateCheckAlert(ctx, tx, r, monitorID, failures, host.memos[r.Name], now)
}

// updateCheckAlert opens, updates or closes the check's alert on the host.
func updateCheckAlert(ctx context.Context, tx *sql.Tx, r CheckReport, monitorID string, failures int, memo string, now int64) error {
	open, err := scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE monitor_id = ? AND host_id = ? AND closed_at IS NULL`, monitorID, r.HostID))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	log := AlertLog{CreatedAt: now, Status: r.Status, Trigger: TriggerMonitoring, MonitorID: monitorID,
		DetailType: "check", Message: r.Message, Memo: memo}
	switch {
	case open == nil && r.Status != "OK" && failures >= max(r.MaxCheckAttempts, 1):
		return openAlert(ctx, tx, &Alert{Status: r.Status, MonitorID: monitorID, Type: "check", HostID: r.HostID,
			Message: r.Message, OpenedAt: r.OccurredAt}, log)
	case open != nil && r.Status == "OK":
		first, _, _ := strings.Cut(r.Message, "\n")
		return closeAlert(ctx, tx, open, "Check recovered: "+first, now, log)
	case open != nil:
		if _, err := tx.ExecContext(ctx, `UPDATE alerts SET status = ?, message = ? WHERE id = ?`, r.Status, r.Message, open.ID); err != nil {
			return err
		}
		if open.Status != r.Status {
			return addAlertLog(ctx, tx, open.ID, log)
		}
	}
	return nil
}

// ListCheckMonitors returns check monitors by ascending id, starting at
// nextID (inclusive); next starts the following page.
func (s *Store) ListCheckMonitors(ctx context.Context, nextID string, limit int) (list []CheckMonitor, next string, err error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name FROM check_monitors WHERE id >= ? ORDER BY id LIMIT ?`, nextID, limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	list = []CheckMonitor{}
	for rows.Next() {
		var m CheckMonitor
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
func (s *Store) GetCheckMonitor(ctx context.Context, id string) (*CheckMonitor, error) {
	var m CheckMonitor
	err := s.read.QueryRowContext(ctx, `SELECT id, name FROM check_monitors WHERE id = ?`, id).Scan(&m.ID, &m.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: check monitor %s", ErrNotFound, id)
	}
	return &m, err
}

// MonitoredStatuses returns the latest check results of a host.
func (s *Store) MonitoredStatuses(ctx context.Context, hostID string) ([]MonitoredStatus, error) {
	var checks []byte
	err := s.read.QueryRowContext(ctx, `SELECT checks FROM hosts WHERE id = ?`, hostID).Scan(&checks)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: host %s", ErrNotFound, hostID)
	}
	if err != nil {
		return nil, err
	}
	memos := checkMemos(checks)
	rows, err := s.read.QueryContext(ctx, `SELECT cs.monitor_id, cm.name, cs.status, cs.message FROM check_states cs
		JOIN check_monitors cm ON cm.id = cs.monitor_id WHERE cs.host_id = ? ORDER BY cm.name`, hostID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MonitoredStatus{}
	for rows.Next() {
		var m MonitoredStatus
		var name string
		if err := rows.Scan(&m.MonitorID, &name, &m.Status, &m.Message); err != nil {
			return nil, err
		}
		m.Memo = memos[name]
		out = append(out, m)
	}
	return out, rows.Err()
}
