package store

import "context"

// CheckReport is one posted check result.
type CheckReport struct {
	HostID               string
	Name                 string
	Status               string // OK, WARNING, CRITICAL, UNKNOWN
	Message              string
	OccurredAt           int64
	NotificationInterval int
	MaxCheckAttempts     int // ≥ 1
}

// CheckMonitor is a check monitor: a name shared by every host reporting it.
type CheckMonitor struct {
	ID   string
	Name string
}

// MonitoredStatus is the latest check result on a host.
type MonitoredStatus struct {
	MonitorID string
	Status    string
	Message   string
	Memo      string
}

// CheckState is the latest accepted result of one check on one host and
// how many consecutive failures led to it.
type CheckState struct {
	HostID               string
	MonitorID            string
	Status               string
	Message              string
	OccurredAt           int64
	Failures             int
	NotificationInterval int
	MaxCheckAttempts     int
}

// HostChecks is what the check rules need to know about a host.
type HostChecks struct {
	Retired bool
	Status  string // working, standby, maintenance or poweroff
	// Memos maps each check of the host's checks list to its memo.
	Memos map[string]string
}

// CheckStore reads check monitors and hosts' latest check results.
type CheckStore interface {
	// ListCheckMonitors returns check monitors by ascending id, starting
	// at nextID (inclusive); next starts the following page.
	ListCheckMonitors(ctx context.Context, nextID string, limit int) (list []CheckMonitor, next string, err error)
	// GetCheckMonitor returns one check monitor.
	GetCheckMonitor(ctx context.Context, id string) (*CheckMonitor, error)
	// MonitoredStatuses returns the latest check results of a host.
	MonitoredStatuses(ctx context.Context, hostID string) ([]MonitoredStatus, error)
}
