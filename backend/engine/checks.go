package engine

import (
	"context"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// StaleReportAge is how old a check report may be: the hosted API ignores
// reports 6 hours old or older.
const StaleReportAge = 6 * time.Hour

// ApplyCheckReports records reports and opens, updates or closes alerts,
// all in one transaction, and returns how many reports changed a check's
// state. Ignored: reports StaleReportAge old or older, exact duplicates
// (same host, name, occurredAt, status and message: spool replays, agent
// retries), reports older than the host's latest result for that check,
// and reports about retired hosts. A report at the same second as an
// earlier one but with another status or message is a new result, applied
// in arrival order (the hosted API would drop it: see the README). An unknown host rejects the whole batch
// (store.KindNotFound) before anything is written.
func (e *Engine) ApplyCheckReports(ctx context.Context, reports []store.CheckReport) (applied int, err error) {
	silenced, err := e.checkDowntimes(ctx, reports)
	if err != nil {
		return 0, err
	}
	err = e.st.InTx(ctx, func(tx store.Tx) error {
		hosts := map[string]*store.HostChecks{}
		for _, r := range reports {
			if _, ok := hosts[r.HostID]; ok {
				continue
			}
			hc, err := tx.HostChecks(ctx, r.HostID)
			if err != nil {
				return err
			}
			hosts[r.HostID] = hc
		}
		now := tx.Now()
		// The first epoch second that still counts is one after now-6h.
		staleBefore := now.Add(-StaleReportAge).Unix() + 1
		for _, r := range reports {
			if r.OccurredAt < staleBefore || hosts[r.HostID].Retired {
				continue
			}
			ok, err := applyCheckReport(ctx, tx, r, hosts[r.HostID], now.Unix(), silenced)
			if err != nil {
				return err
			}
			if ok {
				applied++
			}
		}
		return pruneCheckReports(ctx, tx, reports, staleBefore)
	})
	return applied, err
}

// pruneCheckReports forgets the accepted reports of these checks that are
// too old to matter: a report that old is ignored anyway, so keeping it
// for duplicate detection would only grow the store for ever.
func pruneCheckReports(ctx context.Context, tx store.Tx, reports []store.CheckReport, staleBefore int64) error {
	type check struct{ host, name string }
	seen := map[check]bool{}
	for _, r := range reports {
		c := check{r.HostID, r.Name}
		if seen[c] {
			continue
		}
		seen[c] = true
		if err := tx.PruneCheckReports(ctx, c.host, c.name, staleBefore); err != nil {
			return err
		}
	}
	return nil
}

// applyCheckReport moves one check's state forward and reports whether it
// did (false for a duplicate or a late, older result).
func applyCheckReport(ctx context.Context, tx store.Tx, r store.CheckReport, host *store.HostChecks, now int64, silenced func(monitorID, hostID string) bool) (bool, error) {
	fresh, err := tx.RecordCheckReport(ctx, r)
	if err != nil || !fresh {
		return false, err
	}
	monitorID, err := tx.EnsureCheckMonitor(ctx, r.Name)
	if err != nil {
		return false, err
	}
	prev, err := tx.CheckState(ctx, r.HostID, monitorID)
	if err != nil {
		return false, err
	}
	failures := 0
	if prev != nil {
		// An older result arriving late changes nothing. A different
		// result at the same second as the latest is not older: it is
		// applied in arrival order, so a recovery reported in the same
		// second as the failure closes the alert.
		if r.OccurredAt < prev.OccurredAt {
			return false, nil
		}
		failures = prev.Failures
	}
	if r.Status == "OK" {
		failures = 0
	} else {
		failures++
	}
	err = tx.PutCheckState(ctx, store.CheckState{HostID: r.HostID, MonitorID: monitorID, Status: r.Status, Message: r.Message,
		OccurredAt: r.OccurredAt, Failures: failures, NotificationInterval: r.NotificationInterval, MaxCheckAttempts: r.MaxCheckAttempts})
	if err != nil {
		return false, err
	}
	openable := !silenced(monitorID, r.HostID)
	return true, updateCheckAlert(ctx, tx, r, monitorID, failures, host.Memos[r.Name], host.Status, now, openable)
}

// updateCheckAlert opens the check's alert on the host after
// MaxCheckAttempts consecutive failures, updates an open one (logging a
// change of status), and closes it on OK with the recovery reason.
func updateCheckAlert(ctx context.Context, tx store.Tx, r store.CheckReport, monitorID string, failures int, memo, hostStatus string, now int64, openable bool) error {
	open, err := tx.OpenMonitorAlert(ctx, monitorID, r.HostID)
	if err != nil {
		return err
	}
	log := store.AlertLog{CreatedAt: now, Status: r.Status, Trigger: store.TriggerMonitoring, MonitorID: monitorID,
		DetailType: "check", Message: r.Message, Memo: memo}
	notify := hostNotified(hostStatus)
	switch {
	case open == nil && r.Status != "OK" && failures >= max(r.MaxCheckAttempts, 1) && openable:
		a := &store.Alert{Status: r.Status, MonitorID: monitorID, Type: "check", HostID: r.HostID,
			Message: r.Message, OpenedAt: r.OccurredAt}
		return openAlert(ctx, tx, a, log, now, notify)
	case open != nil && r.Status == "OK":
		first, _, _ := strings.Cut(r.Message, "\n")
		return closeAlert(ctx, tx, open, "Check recovered: "+first, now, log, notify)
	case open != nil:
		return changeAlert(ctx, tx, open, r.Status, open.Value, r.Message, log, now, notify)
	}
	return nil
}

// checkDowntimes returns whether a downtime in force silences a check
// monitor on a host. The downtimes and hosts are read before the
// transaction; with no downtime in force nothing is read.
func (e *Engine) checkDowntimes(ctx context.Context, reports []store.CheckReport) (func(monitorID, hostID string) bool, error) {
	dts, err := e.activeDowntimes(ctx, e.st.Now())
	if err != nil || len(dts) == 0 {
		return func(string, string) bool { return false }, err
	}
	hosts := map[string]*store.Host{}
	for _, r := range reports {
		if _, ok := hosts[r.HostID]; ok {
			continue
		}
		h, err := e.st.GetHost(ctx, r.HostID)
		if err != nil {
			return nil, err
		}
		hosts[r.HostID] = h
	}
	return func(monitorID, hostID string) bool { return covered(dts, monitorID, "", hosts[hostID]) }, nil
}
