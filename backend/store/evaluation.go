package store

import "context"

// Triggers beyond the check rules' (see alerts.go).
const (
	TriggerMonitorDelete = "monitorDelete"
	TriggerServiceDelete = "serviceDelete"
)

// MonitorState is what the engine remembers between two evaluations of a
// monitor on one target: a host id, or "" for a monitor with one target
// (service, external, expression). A target whose latest evaluation was OK
// with no open alert needs no row; the engine deletes such rows.
type MonitorState struct {
	MonitorID   string
	Target      string
	Status      string   // latest evaluated status: OK, WARNING, CRITICAL, UNKNOWN
	Violations  int      // consecutive non-OK evaluations
	EvaluatedAt int64    // the data time (newest point, or tick) last evaluated
	Value       *float64 // the value last evaluated, when there is one
	Message     string
}

// Kinds of outbox events, as channels' `events` name them.
const (
	EventAlert        = "alert"
	EventAlertGroup   = "alertGroup"
	EventHostStatus   = "hostStatus"
	EventHostRegister = "hostRegister"
	EventHostRetire   = "hostRetire"
	EventMonitor      = "monitor"
)

// AlertEvent is the outbox record of one change worth notifying, written
// in the same transaction as the change: what notification delivery
// reads. Seq orders events; Notify is false when nothing should be sent
// (a muted monitor, a host that is not notified in its status). Kind is
// EventAlert for alert changes (the alert fields are set); other kinds
// carry what they are about in Payload (JSON, see package notify).
type AlertEvent struct {
	ID         string
	Seq        int64
	Kind       string // "" is EventAlert
	Payload    []byte
	AlertID    string
	MonitorID  string
	HostID     string
	Status     string // the alert's status after the change (OK when closed)
	PrevStatus string // "" when the change opened the alert; equal to Status for a repeat (notificationInterval)
	Trigger    string
	CreatedAt  int64
	Notify     bool
}

// AlertGroup is one opening of an alert group setting: open while any
// alert its scopes match is open, with the worst of their statuses.
type AlertGroup struct {
	ID         string
	SettingID  string
	Status     string // CRITICAL, WARNING or UNKNOWN while open; OK once closed
	OpenedAt   int64
	ClosedAt   int64
	NotifiedAt int64
}

// EvaluationStore reads what the engine's evaluation needs in bulk,
// outside any write transaction.
type EvaluationStore interface {
	// MonitorStates returns every stored state of the monitor, or of
	// every monitor when monitorID is "".
	MonitorStates(ctx context.Context, monitorID string) ([]*MonitorState, error)
	// RecentPoints returns, for each (owner, name) series of kind with a
	// point at or after since, its newest n points at or after since,
	// oldest first. Owners nil means every owner. A name with * ? or [ is
	// a glob pattern matching every series name it fits.
	RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]Point, error)
	// LastMetricPosts returns when each live host among hosts (nil: every
	// live host) last had points stored (store clock, epoch seconds);
	// hosts that never did are absent.
	LastMetricPosts(ctx context.Context, hosts []string) (map[string]int64, error)
	// CheckNotificationInterval returns the notificationInterval (minutes)
	// of a check's latest report on a host, 0 when none.
	CheckNotificationInterval(ctx context.Context, hostID, monitorID string) (int, error)
	// OpenAlerts returns every open alert, oldest first.
	OpenAlerts(ctx context.Context) ([]*Alert, error)
	// AlertEvents returns up to limit outbox events with Seq > after,
	// oldest first.
	AlertEvents(ctx context.Context, after int64, limit int) ([]*AlertEvent, error)
}
