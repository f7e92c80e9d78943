package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// DeleteService deletes a service with everything that belongs to it —
// roles, metadata, metrics, and the monitors bound to it (service and
// external monitors), whose open alerts close with the serviceDelete
// trigger — in one transaction, and returns the service as it was.
func (e *Engine) DeleteService(ctx context.Context, name string) (*store.Service, error) {
	var out *store.Service
	err := e.st.InTx(ctx, func(tx store.Tx) error {
		svc, err := tx.DeleteService(ctx, name)
		if err != nil {
			return err
		}
		out = svc
		ids, err := tx.ServiceMonitorIDs(ctx, name)
		if err != nil {
			return err
		}
		now := tx.Now().Unix()
		for _, id := range ids {
			if _, err := tx.DeleteMonitor(ctx, id); err != nil {
				return err
			}
			open, err := tx.OpenMonitorAlerts(ctx, id)
			if err != nil {
				return err
			}
			for _, a := range open {
				if err := closeWith(ctx, tx, a, "Service deleted", store.TriggerServiceDelete, now, false); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}
