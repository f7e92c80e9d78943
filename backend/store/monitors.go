package store

import "context"

// Monitor is a stored monitor definition (any type of /api/v0/monitors;
// check monitors live apart, see CheckStore). The store keeps Body, the
// canonical wire JSON package monitor produces, verbatim; Type and Name
// are copied out of it for ordering and lookups.
type Monitor struct {
	ID   string
	Type string
	Name string
	Body []byte
}

// MonitorStore keeps monitor definitions. Deleting one closes its alerts,
// which is a rule: see package engine and Tx.DeleteMonitor.
type MonitorStore interface {
	// CreateMonitor stores m as a new monitor. The caller picks m.ID
	// (NewID) and Body already carries it.
	CreateMonitor(ctx context.Context, m *Monitor) error
	// GetMonitor returns a monitor by id (KindNotFound when none).
	GetMonitor(ctx context.Context, id string) (*Monitor, error)
	// ListMonitors returns every monitor, ordered by type (in the order of
	// monitor.Types) and then name.
	ListMonitors(ctx context.Context) ([]*Monitor, error)
	// UpdateMonitor replaces the definition of the monitor m.ID
	// (KindNotFound when none).
	UpdateMonitor(ctx context.Context, m *Monitor) error
}
