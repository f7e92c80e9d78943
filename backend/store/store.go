// Package store defines what the embedded backend keeps and how it is
// reached: the row types, typed errors (Error), one small interface per
// resource, and Store, which embeds them all. It holds no SQL and no
// business rules; package sqlite implements Store, package engine applies
// the alert rules through Store.InTx, and package storetest is the
// contract every implementation must pass.
package store

import (
	"context"
	"time"
)

// Options tune an implementation's Open.
type Options struct {
	// Now is the clock; tests inject a fixed one. Default time.Now.
	Now func() time.Time
	// BusyTimeout is how long a writer waits for a lock another process
	// holds. Many cron jobs writing at once must queue, never fail:
	// default 60s.
	BusyTimeout time.Duration
	// MaxPages caps the database's size in pages (SQLite's
	// max_page_count; 0 leaves SQLite's own limit). A write that needs
	// more fails with KindFull, as on a full disk: tests use it to provoke
	// one without filling a filesystem.
	MaxPages int
	// SeriesCacheSize bounds how many metric series ids are kept in
	// memory, by owner (a host's or a service's together; past the
	// bound, owners are dropped; a series not kept is looked up when
	// next posted to). 0 means the implementation's default (10,000,000
	// on both engines, also bounded to ~32 MB: 50,000 agents of 100
	// metrics fit); a negative value keeps none.
	SeriesCacheSize int
	// Retention is how long metric points are kept (TierStore.Compact
	// drops older days whole); 0 means DefaultRetention, 460 days.
	Retention time.Duration
}

// Store is an open store. Every method is safe for concurrent use, and
// every write method is atomic: it changes everything or nothing.
type Store interface {
	HostStore
	ServiceStore
	MetadataStore
	MetricStore
	AnnotationStore
	GraphDefStore
	AlertStore
	CheckStore
	MonitorStore
	DowntimeStore
	EvaluationStore
	ChannelStore
	NotificationGroupStore
	DeliveryStore
	DashboardStore
	KeyStore
	OrgStore
	OrgWriter
	UserStore
	AWSIntegrationStore
	AnomalyModelStore
	LeaseStore

	// Now is the store's clock.
	Now() time.Time
	// InTx runs fn in one write transaction, committed when fn returns nil
	// and rolled back (leaving nothing behind) when it returns an error.
	InTx(ctx context.Context, fn func(Tx) error) error
	// Close releases the store.
	Close() error
}

// Tx holds the primitives the rules of package engine compose inside one
// transaction. They read and write rows and decide nothing: when an alert
// opens or closes is the engine's business.
type Tx interface {
	// Now is the store's clock.
	Now() time.Time

	// HostChecks returns what the check rules need of a host (KindNotFound
	// when there is none).
	HostChecks(ctx context.Context, hostID string) (*HostChecks, error)
	// RetireHosts marks the live hosts among ids retired at retiredAt;
	// KindNotFound naming every unknown id, and nothing changes then.
	RetireHosts(ctx context.Context, ids []string, retiredAt int64) error

	// RecordCheckReport remembers that r arrived and reports false when the
	// same report — host, name, OccurredAt, Status and Message — was already
	// remembered. A report at the same second with another status or
	// message is a different report (true), and so is each later one: every
	// distinct result of a second is remembered, not only the latest, so a
	// replay of an earlier one is still recognised.
	RecordCheckReport(ctx context.Context, r CheckReport) (bool, error)
	// PruneCheckReports forgets the check's reports that occurred before
	// before.
	PruneCheckReports(ctx context.Context, hostID, name string, before int64) error
	// EnsureCheckMonitor returns the id of the check monitor called name,
	// creating it if needed.
	EnsureCheckMonitor(ctx context.Context, name string) (string, error)
	// CheckState returns the check's state on the host, nil when none.
	CheckState(ctx context.Context, hostID, monitorID string) (*CheckState, error)
	// PutCheckState creates or replaces the check's state on the host.
	PutCheckState(ctx context.Context, s CheckState) error

	// GetAlert returns one alert.
	GetAlert(ctx context.Context, id string) (*Alert, error)
	// OpenMonitorAlert returns the open alert of a monitor on a host, nil
	// when none.
	OpenMonitorAlert(ctx context.Context, monitorID, hostID string) (*Alert, error)
	// OpenHostAlerts returns the open alerts of the hosts.
	OpenHostAlerts(ctx context.Context, hostIDs []string) ([]*Alert, error)
	// CreateAlert stores a as a new alert and sets its ID.
	CreateAlert(ctx context.Context, a *Alert) error
	// UpdateAlert writes a's status, message, reason and closing time.
	UpdateAlert(ctx context.Context, a *Alert) error
	// AddAlertLog appends an entry to an alert's log.
	AddAlertLog(ctx context.Context, alertID string, l AlertLog) error

	// DeleteService removes a service with its roles, metadata and
	// series (KindNotFound when none) and returns it as it was.
	DeleteService(ctx context.Context, name string) (*Service, error)
	// ServiceMonitorIDs returns the ids of the monitors bound to a
	// service (service and external monitors), oldest first.
	ServiceMonitorIDs(ctx context.Context, service string) ([]string, error)

	// DeleteMonitor removes a monitor definition and its states, returning
	// it as it was (KindNotFound when none). Its alerts stay (closed by
	// the engine in the same transaction).
	DeleteMonitor(ctx context.Context, id string) (*Monitor, error)
	// OpenMonitorAlerts returns the open alerts of a monitor.
	OpenMonitorAlerts(ctx context.Context, monitorID string) ([]*Alert, error)
	// MonitorState returns one state, nil when none.
	MonitorState(ctx context.Context, monitorID, target string) (*MonitorState, error)
	// PutMonitorState creates or replaces a state.
	PutMonitorState(ctx context.Context, s MonitorState) error
	// DeleteMonitorState removes a state if there is one.
	DeleteMonitorState(ctx context.Context, monitorID, target string) error
	// EvaluationCursor returns the last tick a monitor was evaluated at (0
	// when never), and SetEvaluationCursor moves it.
	EvaluationCursor(ctx context.Context, monitorID string) (int64, error)
	SetEvaluationCursor(ctx context.Context, monitorID string, at int64) error
	// OpenAlertGroup returns a setting's open alert group, nil when none.
	OpenAlertGroup(ctx context.Context, settingID string) (*AlertGroup, error)
	// CreateAlertGroup stores g as a new group and sets its ID.
	CreateAlertGroup(ctx context.Context, g *AlertGroup) error
	// UpdateAlertGroup writes g's status, closing and notification times.
	UpdateAlertGroup(ctx context.Context, g *AlertGroup) error
	// AddAlertEvent appends e to the outbox and sets its ID and Seq.
	AddAlertEvent(ctx context.Context, e *AlertEvent) error
}
