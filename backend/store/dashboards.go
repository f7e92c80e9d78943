package store

import "context"

// Dashboard is a stored custom dashboard. The store keeps Body, the
// canonical wire JSON package dashboard produces (id, createdAt and
// updatedAt included), verbatim; URLPath is copied out of it because no
// two dashboards may share one.
type Dashboard struct {
	ID      string
	URLPath string
	Body    []byte
}

// DashboardStore keeps custom dashboards.
type DashboardStore interface {
	// CreateDashboard stores d; the caller picks d.ID (NewID). A urlPath
	// another dashboard has is KindConflict, and nothing is stored.
	CreateDashboard(ctx context.Context, d *Dashboard) error
	// GetDashboard returns a dashboard by id (KindNotFound when none).
	GetDashboard(ctx context.Context, id string) (*Dashboard, error)
	// ListDashboards returns every dashboard in creation order.
	ListDashboards(ctx context.Context) ([]*Dashboard, error)
	// UpdateDashboard replaces the dashboard d.ID (KindNotFound when none;
	// KindConflict when another dashboard has d.URLPath).
	UpdateDashboard(ctx context.Context, d *Dashboard) error
	// DeleteDashboard removes a dashboard and returns it as it was
	// (KindNotFound when none).
	DeleteDashboard(ctx context.Context, id string) (*Dashboard, error)
}
