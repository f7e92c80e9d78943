package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

const alertColumns = `id, status, monitor_id, type, COALESCE(host_id, ''), value, message, reason, memo, opened_at, COALESCE(closed_at, 0), notified_at`

func scanAlert(row pgx.Row) (*store.Alert, error) {
	var a store.Alert
	if err := row.Scan(&a.ID, &a.Status, &a.MonitorID, &a.Type, &a.HostID, &a.Value, &a.Message, &a.Reason, &a.Memo, &a.OpenedAt, &a.ClosedAt, &a.NotifiedAt); err != nil {
		return nil, err
	}
	return &a, nil
}

// collectAlerts reads every alert of a query's rows (passing its error
// through), closing them. An empty result is nil, as on SQLite.
func collectAlerts(rows pgx.Rows, err error) ([]*store.Alert, error) {
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

func getAlert(ctx context.Context, q db, id string) (*store.Alert, error) {
	a, err := scanAlert(q.QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.NotFound("alert", id)
	}
	return a, err
}

// GetAlert returns one alert.
func (s *Store) GetAlert(ctx context.Context, id string) (*store.Alert, error) {
	return getAlert(ctx, s.pool, id)
}

// ListAlerts returns up to limit alerts, newest first, starting at the
// alert nextID (inclusive) when given; next starts the following page.
func (s *Store) ListAlerts(ctx context.Context, withClosed bool, nextID string, limit int) (alerts []*store.Alert, next string, err error) {
	cond, args := "true", []any{}
	if !withClosed {
		cond = "closed_at IS NULL"
	}
	if nextID != "" {
		var seq int64
		if err := s.pool.QueryRow(ctx, `SELECT seq FROM alerts WHERE id = $1`, nextID).Scan(&seq); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, "", store.NotFound("alert", nextID)
			}
			return nil, "", err
		}
		args = append(args, seq)
		cond += " AND seq <= $1"
	}
	args = append(args, limit+1)
	rows, err := s.pool.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE `+cond+` ORDER BY seq DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	alerts, err = collectAlerts(rows, err)
	if err != nil {
		return nil, "", err
	}
	if alerts == nil {
		alerts = []*store.Alert{}
	}
	if len(alerts) > limit {
		next = alerts[limit].ID
		alerts = alerts[:limit]
	}
	return alerts, next, nil
}

// UpdateAlertMemo sets an alert's memo.
func (s *Store) UpdateAlertMemo(ctx context.Context, id, memo string) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE alerts SET memo = $1 WHERE id = $2`, memo, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("alert", id)
		}
		return nil
	})
}

// AlertLogs returns an alert's log entries newest first, paged like
// ListAlerts.
func (s *Store) AlertLogs(ctx context.Context, alertID, nextID string, limit int) (logs []*store.AlertLog, next string, err error) {
	if _, err := s.GetAlert(ctx, alertID); err != nil {
		return nil, "", err
	}
	cond, args := "alert_id = $1", []any{alertID}
	if nextID != "" {
		cond += " AND seq <= (SELECT seq FROM alert_logs WHERE id = $2)"
		args = append(args, nextID)
	}
	args = append(args, limit+1)
	rows, err := s.pool.Query(ctx, `SELECT id, created_at, status, trigger, COALESCE(monitor_id, ''), target_value, detail_type, message, memo
		FROM alert_logs WHERE `+cond+` ORDER BY seq DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	logs = []*store.AlertLog{}
	for rows.Next() {
		var l store.AlertLog
		if err := rows.Scan(&l.ID, &l.CreatedAt, &l.Status, &l.Trigger, &l.MonitorID, &l.TargetValue, &l.DetailType, &l.Message, &l.Memo); err != nil {
			return nil, "", err
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

// OpenAlerts returns every open alert, oldest first.
func (s *Store) OpenAlerts(ctx context.Context) ([]*store.Alert, error) {
	return collectAlerts(s.pool.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE closed_at IS NULL ORDER BY seq`))
}

func (t *txn) GetAlert(ctx context.Context, id string) (*store.Alert, error) {
	return getAlert(ctx, t.tx, id)
}

func (t *txn) OpenMonitorAlert(ctx context.Context, monitorID, hostID string) (*store.Alert, error) {
	a, err := scanAlert(t.tx.QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE monitor_id = $1 AND COALESCE(host_id, '') = $2 AND closed_at IS NULL`, monitorID, hostID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return a, err
}

func (t *txn) OpenHostAlerts(ctx context.Context, hostIDs []string) ([]*store.Alert, error) {
	return collectAlerts(t.tx.Query(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE closed_at IS NULL AND host_id = ANY($1) ORDER BY seq`, hostIDs))
}

func (t *txn) OpenMonitorAlerts(ctx context.Context, monitorID string) ([]*store.Alert, error) {
	return collectAlerts(t.tx.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE monitor_id = $1 AND closed_at IS NULL ORDER BY seq`, monitorID))
}

func (t *txn) CreateAlert(ctx context.Context, a *store.Alert) error {
	a.ID = store.NewID()
	_, err := t.tx.Exec(ctx, `INSERT INTO alerts (id, status, monitor_id, type, host_id, value, message, opened_at, notified_at)
		VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8, $9)`, a.ID, a.Status, a.MonitorID, a.Type, a.HostID, a.Value, a.Message, a.OpenedAt, a.NotifiedAt)
	return err
}

func (t *txn) UpdateAlert(ctx context.Context, a *store.Alert) error {
	_, err := t.tx.Exec(ctx, `UPDATE alerts SET status = $1, value = $2, message = $3, reason = $4, closed_at = NULLIF($5::bigint, 0), notified_at = $6 WHERE id = $7`,
		a.Status, a.Value, a.Message, a.Reason, a.ClosedAt, a.NotifiedAt, a.ID)
	return err
}

func (t *txn) AddAlertLog(ctx context.Context, alertID string, l store.AlertLog) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO alert_logs (id, alert_id, created_at, status, trigger, monitor_id, target_value, detail_type, message, memo)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), $7, $8, $9, $10)`,
		store.NewID(), alertID, l.CreatedAt, l.Status, l.Trigger, l.MonitorID, l.TargetValue, l.DetailType, l.Message, l.Memo)
	return err
}
