package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// DeleteMonitor deletes a monitor definition and closes its open alerts
// with the monitorDelete trigger, in one transaction, and returns the
// definition as it was.
func (e *Engine) DeleteMonitor(ctx context.Context, id string) (*store.Monitor, error) {
	var out *store.Monitor
	err := e.st.InTx(ctx, func(tx store.Tx) error {
		m, err := tx.DeleteMonitor(ctx, id)
		if err != nil {
			return err
		}
		out = m
		open, err := tx.OpenMonitorAlerts(ctx, id)
		if err != nil {
			return err
		}
		now := tx.Now().Unix()
		for _, a := range open {
			if err := closeWith(ctx, tx, a, "Monitor deleted", store.TriggerMonitorDelete, now, false); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
