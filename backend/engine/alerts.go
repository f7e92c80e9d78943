package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// closeAlert closes an open alert with a reason at now, logs it and
// records the change in the outbox; a closed alert's status is always OK.
// notify says whether the change is worth a notification (a recovery
// found by monitoring is; a host retired or a monitor deleted is not: the
// hosted service sends nothing for those).
func closeAlert(ctx context.Context, tx store.Tx, a *store.Alert, reason string, now int64, log store.AlertLog, notify bool) error {
	prev := a.Status
	a.Status, a.Reason, a.ClosedAt = "OK", reason, now
	if notify {
		a.NotifiedAt = now
	}
	if err := tx.UpdateAlert(ctx, a); err != nil {
		return err
	}
	log.Status = "OK"
	if err := tx.AddAlertLog(ctx, a.ID, log); err != nil {
		return err
	}
	return recordEvent(ctx, tx, a, prev, log.Trigger, now, notify)
}

// closeWith closes an alert for a reason that is not a monitoring result.
func closeWith(ctx context.Context, tx store.Tx, a *store.Alert, reason, trigger string, now int64, notify bool) error {
	return closeAlert(ctx, tx, a, reason, now, store.AlertLog{CreatedAt: now, Trigger: trigger, MonitorID: a.MonitorID}, notify)
}

// recordEvent appends the outbox record of an alert change: every change
// is recorded, whether or not it is to be notified, so that delivery (and
// anything else that follows alerts) sees the whole history in order.
func recordEvent(ctx context.Context, tx store.Tx, a *store.Alert, prev, trigger string, now int64, notify bool) error {
	return tx.AddAlertEvent(ctx, &store.AlertEvent{AlertID: a.ID, MonitorID: a.MonitorID, HostID: a.HostID,
		Status: a.Status, PrevStatus: prev, Trigger: trigger, CreatedAt: now, Notify: notify})
}

// CloseAlert closes an alert by hand and returns it. Closing a closed
// alert returns it unchanged.
func (e *Engine) CloseAlert(ctx context.Context, id, reason string) (*store.Alert, error) {
	var out *store.Alert
	err := e.st.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.GetAlert(ctx, id)
		if err != nil {
			return err
		}
		out = a
		if a.ClosedAt != 0 {
			return nil
		}
		return closeWith(ctx, tx, a, reason, store.TriggerManual, tx.Now().Unix(), true)
	})
	return out, err
}

// RetireHosts retires every host in ids, or none when one is unknown
// (store.KindNotFound), and closes the retired hosts' open alerts with
// the hostRetire trigger. Retiring a retired host is a no-op.
func (e *Engine) RetireHosts(ctx context.Context, ids []string) error {
	return e.st.InTx(ctx, func(tx store.Tx) error {
		now := tx.Now().Unix()
		if err := tx.RetireHosts(ctx, ids, now); err != nil {
			return err
		}
		for _, id := range ids {
			if err := addEvent(ctx, tx, store.EventHostRetire, HostEvent{HostID: id}, now); err != nil {
				return err
			}
		}
		open, err := tx.OpenHostAlerts(ctx, ids)
		if err != nil {
			return err
		}
		for _, a := range open {
			if err := closeWith(ctx, tx, a, "Host retired", store.TriggerHostRetire, now, false); err != nil {
				return err
			}
		}
		return nil
	})
}

// openAlert stores a new alert with its first log entry and outbox record.
func openAlert(ctx context.Context, tx store.Tx, a *store.Alert, log store.AlertLog, now int64, notify bool) error {
	if notify {
		a.NotifiedAt = now
	}
	if err := tx.CreateAlert(ctx, a); err != nil {
		return err
	}
	if err := tx.AddAlertLog(ctx, a.ID, log); err != nil {
		return err
	}
	return recordEvent(ctx, tx, a, "", log.Trigger, now, notify)
}

// changeAlert updates an open alert's status, value and message. Only a
// change of status is logged and recorded for notification: a new value
// or message at the same status is not news.
func changeAlert(ctx context.Context, tx store.Tx, a *store.Alert, status string, value *float64, message string, log store.AlertLog, now int64, notify bool) error {
	prev := a.Status
	a.Status, a.Value, a.Message = status, value, message
	if notify && prev != status {
		a.NotifiedAt = now
	}
	if err := tx.UpdateAlert(ctx, a); err != nil {
		return err
	}
	if prev == status {
		return nil
	}
	if err := tx.AddAlertLog(ctx, a.ID, log); err != nil {
		return err
	}
	return recordEvent(ctx, tx, a, prev, log.Trigger, now, notify)
}

// hostNotified reports whether alerts of a host in this status are
// notified: working hosts are; standby hosts are monitored but silent;
// maintenance and poweroff hosts are not evaluated at all.
func hostNotified(status string) bool { return status == "working" }
