package engine

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// HostEvent is the payload of hostRegister, hostStatus and hostRetire
// outbox events.
type HostEvent struct {
	HostID string `json:"hostId"`
	Status string `json:"status,omitempty"` // hostStatus: the new status
}

// MonitorEvent is the payload of monitor outbox events: a definition was
// created, updated or deleted.
type MonitorEvent struct {
	MonitorID string `json:"monitorId"`
	Action    string `json:"action"` // create, update or delete
	Name      string `json:"name"`
	Type      string `json:"type"`
}

// RecordHostEvents appends one event of kind per host to the outbox, for
// channels subscribed to host events. It runs after the change it
// reports, in its own transaction: a crash in between loses a
// notification, never data.
func (e *Engine) RecordHostEvents(ctx context.Context, kind string, hostIDs []string, status string) error {
	return e.st.InTx(ctx, func(tx store.Tx) error {
		now := tx.Now().Unix()
		for _, id := range hostIDs {
			if err := addEvent(ctx, tx, kind, HostEvent{HostID: id, Status: status}, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordMonitorEvent appends a monitor event to the outbox (see
// RecordHostEvents for when it runs).
func (e *Engine) RecordMonitorEvent(ctx context.Context, ev MonitorEvent) error {
	return e.st.InTx(ctx, func(tx store.Tx) error {
		return addEvent(ctx, tx, store.EventMonitor, ev, tx.Now().Unix())
	})
}

// addEvent appends a non-alert event with its JSON payload.
func addEvent(ctx context.Context, tx store.Tx, kind string, payload any, now int64) error {
	body, err := jsonPayload(payload)
	if err != nil {
		return err
	}
	return tx.AddAlertEvent(ctx, &store.AlertEvent{Kind: kind, Payload: body, CreatedAt: now, Notify: true})
}

func jsonPayload(v any) ([]byte, error) { return json.Marshal(v) }

func joinErrors(errs []error) error { return errors.Join(errs...) }
