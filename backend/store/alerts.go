package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Alert is an open or closed alert.
type Alert struct {
	ID        string
	Status    string
	MonitorID string
	Type      string
	HostID    string
	Value     *float64
	Message   string
	Reason    string
	Memo      string
	OpenedAt  int64
	ClosedAt  int64
}

// AlertLog is one state change of an alert.
type AlertLog struct {
	ID          string
	CreatedAt   int64
	Status      string
	Trigger     string
	MonitorID   string
	TargetValue *float64
	DetailType  string
	Message     string
	Memo        string
}

// Triggers of alert log entries, as the hosted API names them.
const (
	TriggerMonitoring = "monitoring"
	TriggerManual     = "manual"
	TriggerHostRetire = "hostRetire"
)

const alertColumns = `id, status, monitor_id, type, COALESCE(host_id, ''), value, message, reason, memo, opened_at, COALESCE(closed_at, 0)`

func scanAlert(row interface{ Scan(...any) error }) (*Alert, error) {
	var a Alert
	var value sql.NullFloat64
	if err := row.Scan(&a.ID, &a.Status, &a.MonitorID, &a.Type, &a.HostID, &value, &a.Message, &a.Reason, &a.Memo, &a.OpenedAt, &a.ClosedAt); err != nil {
		return nil, err
	}
	if value.Valid {
		a.Value = &value.Float64
	}
	return &a, nil
}

func getAlert(ctx context.Context, q querier, id string) (*Alert, error) {
	a, err := scanAlert(q.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: alert %s", ErrNotFound, id)
	}
	return a, err
}

// GetAlert returns one alert.
func (s *Store) GetAlert(ctx context.Context, id string) (*Alert, error) {
	return getAlert(ctx, s.read, id)
}

// ListAlerts returns up to limit alerts, newest first, starting at the
// alert nextID (inclusive) when given; next is the id that starts the
// following page, or "".
func (s *Store) ListAlerts(ctx context.Context, withClosed bool, nextID string, limit int) (alerts []*Alert, next string, err error) {
	cond, args := "1 = 1", []any{}
	if !withClosed {
		cond = "closed_at IS NULL"
	}
	if nextID != "" {
		var seq int64
		if err := s.read.QueryRowContext(ctx, `SELECT seq FROM alerts WHERE id = ?`, nextID).Scan(&seq); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, "", fmt.Errorf("%w: alert %s", ErrNotFound, nextID)
			}
			return nil, "", err
		}
		cond += " AND seq <= ?"
		args = append(args, seq)
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE `+cond+` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	alerts = []*Alert{}
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, "", err
		}
		alerts = append(alerts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(alerts) > limit {
		next = alerts[limit].ID
		alerts = alerts[:limit]
	}
	return alerts, next, nil
}

// nextSeq returns the next sequence number of a table with a seq column.
func nextSeq(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM `+table).Scan(&seq)
	return seq, err
}

// openAlert creates an open alert and its first log entry.
func openAlert(ctx context.Context, tx *sql.Tx, a *Alert, log AlertLog) error {
	seq, err := nextSeq(ctx, tx, "alerts")
	if err != nil {
		return err
	}
	a.ID = NewID()
	_, err = tx.ExecContext(ctx, `INSERT INTO alerts (id, seq, status, monitor_id, type, host_id, value, message, opened_at)
		VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?)`, a.ID, seq, a.Status, a.MonitorID, a.Type, a.HostID, a.Value, a.Message, a.OpenedAt)
	if err != nil {
		return err
	}
	return addAlertLog(ctx, tx, a.ID, log)
}

func addAlertLog(ctx context.Context, tx *sql.Tx, alertID string, l AlertLog) error {
	seq, err := nextSeq(ctx, tx, "alert_logs")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO alert_logs (id, seq, alert_id, created_at, status, trigger, monitor_id, target_value, detail_type, message, memo)
		VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)`,
		NewID(), seq, alertID, l.CreatedAt, l.Status, l.Trigger, l.MonitorID, l.TargetValue, l.DetailType, l.Message, l.Memo)
	return err
}

// closeAlert closes an open alert with a reason and logs it.
func closeAlert(ctx context.Context, tx *sql.Tx, a *Alert, reason string, now int64, log AlertLog) error {
	_, err := tx.ExecContext(ctx, `UPDATE alerts SET status = 'OK', reason = ?, closed_at = ? WHERE id = ? AND closed_at IS NULL`, reason, now, a.ID)
	if err != nil {
		return err
	}
	a.Status, a.Reason, a.ClosedAt = "OK", reason, now
	log.Status = "OK"
	return addAlertLog(ctx, tx, a.ID, log)
}

// CloseAlert closes an alert by hand. Closing a closed alert returns it
// unchanged.
func (s *Store) CloseAlert(ctx context.Context, id, reason string) (*Alert, error) {
	var out *Alert
	err := s.tx(ctx, func(tx *sql.Tx) error {
		a, err := getAlert(ctx, tx, id)
		if err != nil {
			return err
		}
		out = a
		if a.ClosedAt != 0 {
			return nil
		}
		now := s.now().Unix()
		return closeAlert(ctx, tx, a, reason, now, AlertLog{CreatedAt: now, Trigger: TriggerManual, MonitorID: a.MonitorID})
	})
	return out, err
}

// UpdateAlertMemo sets an alert's memo.
func (s *Store) UpdateAlertMemo(ctx context.Context, id, memo string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE alerts SET memo = ? WHERE id = ?`, memo, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: alert %s", ErrNotFound, id)
		}
		return nil
	})
}

// AlertLogs returns an alert's log entries newest first, paged like ListAlerts.
func (s *Store) AlertLogs(ctx context.Context, alertID, nextID string, limit int) (logs []*AlertLog, next string, err error) {
	if _, err := s.GetAlert(ctx, alertID); err != nil {
		return nil, "", err
	}
	cond, args := "alert_id = ?", []any{alertID}
	if nextID != "" {
		cond += " AND seq <= (SELECT seq FROM alert_logs WHERE id = ?)"
		args = append(args, nextID)
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT id, created_at, status, trigger, COALESCE(monitor_id, ''), target_value, detail_type, message, memo
		FROM alert_logs WHERE `+cond+` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	logs = []*AlertLog{}
	for rows.Next() {
		var l AlertLog
		var tv sql.NullFloat64
		if err := rows.Scan(&l.ID, &l.CreatedAt, &l.Status, &l.Trigger, &l.MonitorID, &tv, &l.DetailType, &l.Message, &l.Memo); err != nil {
			return nil, "", err
		}
		if tv.Valid {
			l.TargetValue = &tv.Float64
		}
		logs = append(logs, &l)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(logs) > limit {
		next = logs[limit].ID
		logs = logs[:limit]
	}
	return logs, next, nil
}

// closeHostAlerts closes every open alert of the hosts (they were retired).
func closeHostAlerts(ctx context.Context, tx *sql.Tx, ids []string, now int64) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE closed_at IS NULL AND host_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return err
	}
	var open []*Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			rows.Close()
			return err
		}
		open = append(open, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range open {
		if err := closeAlert(ctx, tx, a, "Host retired", now, AlertLog{CreatedAt: now, Trigger: TriggerHostRetire, MonitorID: a.MonitorID}); err != nil {
			return err
		}
	}
	return nil
}
