package engine

import (
	"context"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// minRepeatInterval is the smallest notificationInterval (the API refuses
// less): alerts notified more recently are not even looked at.
const minRepeatInterval = 10 * time.Minute

// repeatNotifications records a repeat (an outbox event whose PrevStatus
// equals its Status) for every open alert whose monitor has a
// notificationInterval and that was last notified — or opened, when it
// never was — that many minutes ago. Repeats pause while the alert would
// not be notified anyway: a host not working, a muted monitor, a downtime
// covering it.
func (e *Engine) repeatNotifications(ctx context.Context, snap *snapshot) error {
	open, err := e.st.OpenAlerts(ctx)
	if err != nil {
		return err
	}
	now := snap.now.Unix()
	hosts, err := snap.hostsByID(ctx, alertHosts(open))
	if err != nil {
		return err
	}
	for _, a := range open {
		if now-max(a.NotifiedAt, a.OpenedAt) < int64(minRepeatInterval.Seconds()) {
			continue
		}
		h := hosts[a.HostID]
		if a.HostID != "" && (h == nil || !hostNotified(h.Status)) {
			continue
		}
		interval, service, muted, err := e.alertInterval(ctx, a)
		if err != nil {
			return err
		}
		if interval <= 0 || muted || covered(snap.downtimes, a.MonitorID, service, h) {
			continue
		}
		err = e.st.InTx(ctx, func(tx store.Tx) error {
			cur, err := tx.GetAlert(ctx, a.ID)
			if err != nil || cur.ClosedAt != 0 || now-max(cur.NotifiedAt, cur.OpenedAt) < interval*60 {
				return err // closed, or repeated by another engine meanwhile
			}
			cur.NotifiedAt = now
			if err := tx.UpdateAlert(ctx, cur); err != nil {
				return err
			}
			return recordEvent(ctx, tx, cur, cur.Status, store.TriggerMonitoring, now, true)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// alertInterval returns an alert's notificationInterval in minutes (0:
// never repeat), its monitor's service and whether the monitor is muted.
// Check monitors take the interval their latest report carried.
func (e *Engine) alertInterval(ctx context.Context, a *store.Alert) (interval int64, service string, muted bool, err error) {
	if a.Type == "check" {
		n, err := e.st.CheckNotificationInterval(ctx, a.HostID, a.MonitorID)
		return int64(n), "", false, err
	}
	sm, err := e.st.GetMonitor(ctx, a.MonitorID)
	if _, gone := store.IsKind(err, store.KindNotFound); gone {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, err
	}
	m, err := e.decoded(sm)
	if err != nil {
		return 0, "", false, err
	}
	return m.NotificationInterval, m.Service, m.IsMute, nil
}

// alertHosts returns the hosts the alerts are on (repeats and alert
// groups read those hosts, not the fleet).
func alertHosts(alerts []*store.Alert) []string {
	var ids []string
	for _, a := range alerts {
		if a.HostID != "" {
			ids = append(ids, a.HostID)
		}
	}
	return ids
}
