package engine

import (
	"context"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// result is one evaluation of a monitor on one target.
type result struct {
	target     string // host id, or "" for a monitor with one target
	hostStatus string // the target host's status ("" without a host)
	status     string // OK, WARNING, CRITICAL or UNKNOWN
	value      *float64
	message    string
	// dataAt is the time of the data evaluated (the newest point, a probe,
	// or the minute of a time-driven rule). An evaluation of data at or
	// before the state's EvaluatedAt with the state's status is a repeat
	// and changes nothing, so Advance may run any number of times over the
	// same data; a different status (data returning within the minute a
	// host was found gone) is news and is applied.
	dataAt   int64
	attempts int // consecutive violations needed to open (maxCheckAttempts)
	// openable is false when a violation must not open an alert now: a
	// downtime covers it, or the rule only closes (connectivity of a
	// standby host).
	openable bool
}

// needsWrite reports whether r can change anything: a violation, or any
// result for a target that has a state (pending violations or an open
// alert). An OK result without a state is the steady state and costs no
// transaction.
func (r result) needsWrite(states map[string]*store.MonitorState) bool {
	return r.status != statusOK || states[r.target] != nil
}

// applyResult moves one target's state and alert forward: a violation
// counts towards attempts and opens the alert once there are enough (unless
// not openable), or updates the open one; OK closes an open alert and
// forgets the state.
func applyResult(ctx context.Context, tx store.Tx, m *monitor.Monitor, r result, now int64) error {
	st, err := tx.MonitorState(ctx, m.ID, r.target)
	if err != nil {
		return err
	}
	if st != nil && r.dataAt <= st.EvaluatedAt && r.status == st.Status {
		return nil // this data was evaluated already (maybe by another engine)
	}
	open, err := tx.OpenMonitorAlert(ctx, m.ID, r.target)
	if err != nil {
		return err
	}
	notify := !m.IsMute && (r.hostStatus == "" || hostNotified(r.hostStatus))
	log := store.AlertLog{CreatedAt: now, Status: r.status, Trigger: store.TriggerMonitoring, MonitorID: m.ID, TargetValue: r.value}
	if r.status == statusOK {
		if open != nil {
			open.Value = r.value
			if err := closeAlert(ctx, tx, open, recoveredReason(m), now, log, notify); err != nil {
				return err
			}
		}
		return tx.DeleteMonitorState(ctx, m.ID, r.target)
	}
	violations := 1
	if st != nil {
		violations = st.Violations + 1
	}
	next := store.MonitorState{MonitorID: m.ID, Target: r.target, Status: r.status, Violations: violations,
		EvaluatedAt: r.dataAt, Value: r.value, Message: r.message}
	if err := tx.PutMonitorState(ctx, next); err != nil {
		return err
	}
	switch {
	case open != nil:
		return changeAlert(ctx, tx, open, r.status, r.value, alertMessage(m.Type, r.message), log, now, notify)
	case r.openable && violations >= max(r.attempts, 1):
		hostID := ""
		if alertHasHost(m.Type) {
			hostID = r.target
		}
		a := &store.Alert{Status: r.status, MonitorID: m.ID, Type: m.Type, HostID: hostID, Value: r.value,
			Message: alertMessage(m.Type, r.message), OpenedAt: now}
		return openAlert(ctx, tx, a, log, now, notify)
	}
	return nil
}

// alertHasHost: the API sends hostId only for these alert types.
func alertHasHost(typ string) bool {
	return typ == monitor.TypeHost || typ == monitor.TypeConnectivity || typ == monitor.TypeAnomalyDetection
}

// alertMessage: of the monitor types, external alerts carry a message,
// and anomalyDetection ones too (an mkr extension: the metric that
// deviates most and its value).
func alertMessage(typ, msg string) string {
	if typ == monitor.TypeExternal || typ == monitor.TypeAnomalyDetection {
		return msg
	}
	return ""
}

func recoveredReason(m *monitor.Monitor) string {
	if m.Type == monitor.TypeConnectivity {
		return "Connectivity recovered"
	}
	return "Monitoring recovered"
}

// applyResults applies a monitor's results that can change something, in
// one transaction.
func (e *Engine) applyResults(ctx context.Context, m *monitor.Monitor, results []result, states map[string]*store.MonitorState) error {
	var todo []result
	for _, r := range results {
		if r.needsWrite(states) {
			todo = append(todo, r)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	return e.st.InTx(ctx, func(tx store.Tx) error {
		now := tx.Now().Unix()
		for _, r := range todo {
			if err := applyResult(ctx, tx, m, r, now); err != nil {
				return err
			}
		}
		return nil
	})
}
