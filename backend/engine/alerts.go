package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// closeAlert closes an open alert with a reason at now and logs it; a
// closed alert's status is always OK.
func closeAlert(ctx context.Context, tx store.Tx, a *store.Alert, reason string, now int64, log store.AlertLog) error {
	a.Status, a.Reason, a.ClosedAt = "OK", reason, now
	if err := tx.UpdateAlert(ctx, a); err != nil {
		return err
	}
	log.Status = "OK"
	return tx.AddAlertLog(ctx, a.ID, log)
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
		now := tx.Now().Unix()
		return closeAlert(ctx, tx, a, reason, now, store.AlertLog{CreatedAt: now, Trigger: store.TriggerManual, MonitorID: a.MonitorID})
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
		open, err := tx.OpenHostAlerts(ctx, ids)
		if err != nil {
			return err
		}
		for _, a := range open {
			log := store.AlertLog{CreatedAt: now, Trigger: store.TriggerHostRetire, MonitorID: a.MonitorID}
			if err := closeAlert(ctx, tx, a, "Host retired", now, log); err != nil {
				return err
			}
		}
		return nil
	})
}
