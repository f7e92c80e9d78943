package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

const alertColumns = `id, status, monitor_id, type, COALESCE(host_id, ''), value, message, reason, memo, opened_at, COALESCE(closed_at, 0), notified_at`

func scanAlert(row interface{ Scan(...any) error }) (*store.Alert, error) {
	var a store.Alert
	var value sql.NullFloat64
	if err := row.Scan(&a.ID, &a.Status, &a.MonitorID, &a.Type, &a.HostID, &value, &a.Message, &a.Reason, &a.Memo, &a.OpenedAt, &a.ClosedAt, &a.NotifiedAt); err != nil {
		return nil, err
	}
	if value.Valid {
		a.Value = &value.Float64
	}
	return &a, nil
}

func getAlert(ctx context.Context, q querier, id string) (*store.Alert, error) {
	a, err := scanAlert(q.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.NotFound("alert", id)
	}
	return a, err
}

// GetAlert returns one alert.
func (s *Store) GetAlert(ctx context.Context, id string) (*store.Alert, error) {
	return getAlert(ctx, s.read, id)
}

// ListAlerts returns up to limit alerts, newest first, starting at the
// alert nextID (inclusive) when given; next is the id that starts the
// following page, or "".
func (s *Store) ListAlerts(ctx context.Context, withClosed bool, nextID string, limit int) (alerts []*store.Alert, next string, err error) {
	cond, args := "1 = 1", []any{}
	if !withClosed {
		cond = "closed_at IS NULL"
	}
	if nextID != "" {
		var seq int64
		if err := s.read.QueryRowContext(ctx, `SELECT seq FROM alerts WHERE id = ?`, nextID).Scan(&seq); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, "", store.NotFound("alert", nextID)
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
	alerts = []*store.Alert{}
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

// addAlertLog appends an entry to an alert's log.
func addAlertLog(ctx context.Context, tx *sql.Tx, alertID string, l store.AlertLog) error {
	seq, err := nextSeq(ctx, tx, "alert_logs")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO alert_logs (id, seq, alert_id, created_at, status, trigger, monitor_id, target_value, detail_type, message, memo)
		VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)`,
		store.NewID(), seq, alertID, l.CreatedAt, l.Status, l.Trigger, l.MonitorID, l.TargetValue, l.DetailType, l.Message, l.Memo)
	return err
}

// UpdateAlertMemo sets an alert's memo.
func (s *Store) UpdateAlertMemo(ctx context.Context, id, memo string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE alerts SET memo = ? WHERE id = ?`, memo, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("alert", id)
		}
		return nil
	})
}

// AlertLogs returns an alert's log entries newest first, paged like ListAlerts.
func (s *Store) AlertLogs(ctx context.Context, alertID, nextID string, limit int) (logs []*store.AlertLog, next string, err error) {
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
	logs = []*store.AlertLog{}
	for rows.Next() {
		var l store.AlertLog
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

// collectAlerts reads every alert of a query's rows (and passes its
// error through), closing them.
func collectAlerts(rows *sql.Rows, err error) ([]*store.Alert, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*store.Alert
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
