package wrap

import (
	"time"

	"github.com/mkr-dev/mkr/client"
)

// Check says how runs of a job are reported as a check monitor. Its zero
// value is usable: a missing HostID or StateDir only limits what can be
// reported, it never affects the job.
type Check struct {
	// HostID is the host the report is about.
	HostID string
	// Name is the check monitor's name; "" derives it from the command with
	// CheckName.
	Name string
	// Note is added to the message as "Note: …".
	Note string
	// Detail adds the captured output to the message.
	Detail bool
	// Warning reports a failure as WARNING instead of CRITICAL.
	Warning bool
	// NotificationInterval re-notifies while the alert is open; it is sent
	// floored to whole minutes, at least 10, and omitted when under a minute.
	NotificationInterval time.Duration
	// MaxCheckAttempts is passed through when non-zero. Upstream never sends
	// it: the API counts consecutive reports, and a cron job's reports are
	// not one minute apart.
	MaxCheckAttempts uint
	// AutoClose reports OK after a failure so that the alert closes, and
	// keeps the last result in StateDir to know when that is.
	AutoClose bool
	// ReportSkipped reports a run skipped by OverlapSkip as WARNING.
	ReportSkipped bool
	// StateDir is the caller's state directory (for example
	// $XDG_STATE_HOME/mkr); auto-close state lives in StateDir/wrap.
	StateDir string
}

// name is the check monitor's name for args.
func (c Check) name(args []string) string { return CheckName(c.Name, args) }

// NewReport builds the report for res as of now, without deciding whether
// it should be sent (see Decide).
func NewReport(res *Result, c Check, now time.Time) client.CheckReport {
	status := client.CheckStatusOK
	switch {
	case res.Skipped:
		status = client.CheckStatusWarning
	case !res.Success() && c.Warning:
		status = client.CheckStatusWarning
	case !res.Success():
		status = client.CheckStatusCritical
	}
	return client.CheckReport{
		Source:               client.HostCheckSource(c.HostID),
		Name:                 c.name(res.Args),
		Status:               status,
		Message:              Message(res, c.Note, c.Detail),
		OccurredAt:           now.Unix(),
		NotificationInterval: notificationMinutes(c.NotificationInterval),
		MaxCheckAttempts:     c.MaxCheckAttempts,
	}
}

// notificationMinutes applies upstream's rule: floor to minutes, raise 1–9
// to the API's minimum of 10, and leave 0 out of the payload.
func notificationMinutes(d time.Duration) uint {
	if d < time.Minute {
		return 0
	}
	return max(uint(d/time.Minute), 10)
}

// Decide applies upstream's reporting rule to res and returns the report to
// send, or nil when nothing should be sent:
//
//   - a failure is always reported;
//   - a success is reported (OK) only with AutoClose, and only when there
//     is no previous result or the previous run failed;
//   - a skipped run is reported (WARNING) only with ReportSkipped.
//
// With AutoClose the result is then recorded in StateDir, atomically and
// under the check's state lock, after every run, whatever later happens to
// the report; so is the report's occurredAt, and a report is never said to
// occur at or before the last one decided for the check (now, or one
// second after the last): the hosted API ignores a second report at the
// same second, and a recovery in the same second as the failure would
// leave the alert open. A missing, unreadable or corrupt state counts as
// "no previous result". Errors are about the state file only and are
// advisory: log them; the returned report stands.
func Decide(res *Result, c Check, now time.Time) (*client.CheckReport, error) {
	report := NewReport(res, c, now)
	if res.Skipped && !c.ReportSkipped {
		return nil, nil
	}
	if !c.AutoClose {
		if res.Success() {
			return nil, nil
		}
		return &report, nil
	}
	send := false
	err := updateState(c.StateDir, report.Name, func(prev *state) state {
		// A reported skip (WARNING) opens an alert and is recorded as a
		// failure, so that the next success closes it.
		send = res.Skipped || !res.Success() || prev == nil || !prev.Success
		next := newState(res, report.Name, c.Note)
		if prev != nil {
			next.LastOccurredAt = prev.LastOccurredAt
		}
		if send {
			report.OccurredAt = nextOccurredAt(report.OccurredAt, next.LastOccurredAt)
			next.LastOccurredAt = report.OccurredAt
		}
		return next
	})
	if !send {
		return nil, err
	}
	return &report, err
}
