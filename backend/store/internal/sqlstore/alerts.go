package sqlstore

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

const alertColumns = `id, status, monitor_id, type, COALESCE(host_id, ''), value, message, reason, memo, opened_at, COALESCE(closed_at, 0), notified_at`

// scanAlert reads a row of alertColumns; value may be NULL (a pointer to
// pointer scans NULL as nil on both drivers).
func scanAlert(row Row) (*store.Alert, error) {
	var a store.Alert
	if err := row.Scan(&a.ID, &a.Status, &a.MonitorID, &a.Type, &a.HostID, &a.Value, &a.Message, &a.Reason, &a.Memo, &a.OpenedAt, &a.ClosedAt, &a.NotifiedAt); err != nil {
		return nil, err
	}
	return &a, nil
}

func getAlert(ctx context.Context, q Q, id string) (*store.Alert, error) {
	a, err := scanAlert(q.QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if errors.Is(err, ErrNoRows) {
		return nil, store.NotFound("alert", id)
	}
	return a, err
}

// GetAlert returns one alert.
func (c Core) GetAlert(ctx context.Context, id string) (*store.Alert, error) {
	return getAlert(ctx, c.E.Reader(), id)
}

// ListAlerts returns up to limit alerts, newest first, starting at the
// alert nextID (inclusive) when given; next is the id that starts the
// following page, or "".
func (c Core) ListAlerts(ctx context.Context, withClosed bool, nextID string, limit int) (alerts []*store.Alert, next string, err error) {
	r := c.E.Reader()
	cond, args := "1 = 1", []any{}
	if !withClosed {
		cond = "closed_at IS NULL"
	}
	if nextID != "" {
		var seq int64
		if err := r.QueryRow(ctx, `SELECT seq FROM alerts WHERE id = ?`, nextID).Scan(&seq); err != nil {
			if errors.Is(err, ErrNoRows) {
				return nil, "", store.NotFound("alert", nextID)
			}
			return nil, "", err
		}
		cond += " AND seq <= ?"
		args = append(args, seq)
	}
	args = append(args, limit+1)
	alerts, err = collect(scanAlert)(r.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE `+cond+` ORDER BY seq DESC LIMIT ?`, args...))
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
func (c Core) UpdateAlertMemo(ctx context.Context, id, memo string) error {
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE alerts SET memo = ? WHERE id = ?`, memo, id)
		return mustAffect(n, err, store.NotFound("alert", id))
	})
}

// AlertLogs returns an alert's log entries newest first, paged like ListAlerts.
func (c Core) AlertLogs(ctx context.Context, alertID, nextID string, limit int) (logs []*store.AlertLog, next string, err error) {
	if _, err := c.GetAlert(ctx, alertID); err != nil {
		return nil, "", err
	}
	cond, args := "alert_id = ?", []any{alertID}
	if nextID != "" {
		cond += " AND seq <= (SELECT seq FROM alert_logs WHERE id = ?)"
		args = append(args, nextID)
	}
	args = append(args, limit+1)
	logs, err = collect(func(row Row) (*store.AlertLog, error) {
		var l store.AlertLog
		return &l, row.Scan(&l.ID, &l.CreatedAt, &l.Status, &l.Trigger, &l.MonitorID, &l.TargetValue, &l.DetailType, &l.Message, &l.Memo)
	})(c.E.Reader().Query(ctx, `SELECT id, created_at, status, trigger, COALESCE(monitor_id, ''), target_value, detail_type, message, memo
		FROM alert_logs WHERE `+cond+` ORDER BY seq DESC LIMIT ?`, args...))
	if err != nil {
		return nil, "", err
	}
	if logs == nil {
		logs = []*store.AlertLog{}
	}
	if len(logs) > limit {
		next = logs[limit].ID
		logs = logs[:limit]
	}
	return logs, next, nil
}

// OpenAlerts returns every open alert, oldest first.
func (c Core) OpenAlerts(ctx context.Context) ([]*store.Alert, error) {
	return collect(scanAlert)(c.E.Reader().Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE closed_at IS NULL ORDER BY seq`))
}

// GetAlert returns one alert.
func (t *Tx) GetAlert(ctx context.Context, id string) (*store.Alert, error) {
	return getAlert(ctx, t.Q, id)
}

// OpenMonitorAlert returns the open alert of a monitor on a host ("" for
// none), nil when none.
func (t *Tx) OpenMonitorAlert(ctx context.Context, monitorID, hostID string) (*store.Alert, error) {
	a, err := scanAlert(t.Q.QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE monitor_id = ? AND COALESCE(host_id, '') = ? AND closed_at IS NULL`, monitorID, hostID))
	if errors.Is(err, ErrNoRows) {
		return nil, nil
	}
	return a, err
}

// OpenHostAlerts returns the open alerts of the hosts, oldest first.
func (t *Tx) OpenHostAlerts(ctx context.Context, hostIDs []string) ([]*store.Alert, error) {
	in, args := t.Q.Dialect().InStrings("host_id", hostIDs)
	return collect(scanAlert)(t.Q.Query(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE closed_at IS NULL AND `+in+` ORDER BY seq`, args...))
}

// OpenMonitorAlerts returns the open alerts of a monitor, oldest first.
func (t *Tx) OpenMonitorAlerts(ctx context.Context, monitorID string) ([]*store.Alert, error) {
	return collect(scanAlert)(t.Q.Query(ctx, `SELECT `+alertColumns+` FROM alerts WHERE monitor_id = ? AND closed_at IS NULL ORDER BY seq`, monitorID))
}

// CreateAlert stores a as a new alert and sets its ID.
func (t *Tx) CreateAlert(ctx context.Context, a *store.Alert) error {
	a.ID = store.NewID()
	_, err := t.Q.Exec(ctx, `INSERT INTO alerts (id, seq, status, monitor_id, type, host_id, value, message, opened_at, notified_at)
		VALUES (?, `+t.Q.Dialect().NextSeq("alerts")+`, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)`,
		a.ID, a.Status, a.MonitorID, a.Type, a.HostID, a.Value, a.Message, a.OpenedAt, a.NotifiedAt)
	return err
}

// UpdateAlert writes a's status, value, message, reason, closing time (0
// stores none) and notification time.
func (t *Tx) UpdateAlert(ctx context.Context, a *store.Alert) error {
	// The cast gives PostgreSQL NULLIF's type; SQLite's is a no-op.
	_, err := t.Q.Exec(ctx, `UPDATE alerts SET status = ?, value = ?, message = ?, reason = ?, closed_at = NULLIF(CAST(? AS BIGINT), 0), notified_at = ? WHERE id = ?`,
		a.Status, a.Value, a.Message, a.Reason, a.ClosedAt, a.NotifiedAt, a.ID)
	return err
}

// AddAlertLog appends an entry to an alert's log.
func (t *Tx) AddAlertLog(ctx context.Context, alertID string, l store.AlertLog) error {
	_, err := t.Q.Exec(ctx, `INSERT INTO alert_logs (id, seq, alert_id, created_at, status, trigger, monitor_id, target_value, detail_type, message, memo)
		VALUES (?, `+t.Q.Dialect().NextSeq("alert_logs")+`, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?)`,
		store.NewID(), alertID, l.CreatedAt, l.Status, l.Trigger, l.MonitorID, l.TargetValue, l.DetailType, l.Message, l.Memo)
	return err
}
