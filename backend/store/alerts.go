package store

import "context"

// Alert is an open or closed alert.
type Alert struct {
	ID        string
	Status    string
	MonitorID string
	Type      string
	HostID    string
	Value     *float64
	Message   string
	Reason    string
	Memo      string
	OpenedAt  int64
	ClosedAt  int64
	// NotifiedAt is when the alert was last notified (0: never); repeats
	// every notificationInterval count from it.
	NotifiedAt int64
}

// AlertLog is one state change of an alert.
type AlertLog struct {
	ID          string
	CreatedAt   int64
	Status      string
	Trigger     string
	MonitorID   string
	TargetValue *float64
	DetailType  string
	Message     string
	Memo        string
}

// Triggers of alert log entries, as the hosted API names them.
const (
	TriggerMonitoring = "monitoring"
	TriggerManual     = "manual"
	TriggerHostRetire = "hostRetire"
)

// AlertStore reads alerts and edits their memo. Opening and closing
// alerts follows the alert rules, so it happens in package engine through
// a Tx.
type AlertStore interface {
	// GetAlert returns one alert.
	GetAlert(ctx context.Context, id string) (*Alert, error)
	// ListAlerts returns up to limit alerts, newest first, starting at the
	// alert nextID (inclusive) when given; next starts the following page.
	ListAlerts(ctx context.Context, withClosed bool, nextID string, limit int) (alerts []*Alert, next string, err error)
	// UpdateAlertMemo sets an alert's memo.
	UpdateAlertMemo(ctx context.Context, id, memo string) error
	// AlertLogs returns an alert's log entries newest first, paged like
	// ListAlerts.
	AlertLogs(ctx context.Context, alertID, nextID string, limit int) (logs []*AlertLog, next string, err error)
}
