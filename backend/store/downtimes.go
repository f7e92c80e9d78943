package store

import "context"

// Downtime is a stored downtime. The store keeps Body, the canonical wire
// JSON package downtime produces (it carries ID), verbatim.
type Downtime struct {
	ID   string
	Body []byte
}

// DowntimeStore keeps downtimes.
type DowntimeStore interface {
	// CreateDowntime stores d; the caller picks d.ID (NewID).
	CreateDowntime(ctx context.Context, d *Downtime) error
	// GetDowntime returns a downtime by id (KindNotFound when none).
	GetDowntime(ctx context.Context, id string) (*Downtime, error)
	// ListDowntimes returns every downtime in creation order.
	ListDowntimes(ctx context.Context) ([]*Downtime, error)
	// UpdateDowntime replaces the downtime d.ID (KindNotFound when none).
	UpdateDowntime(ctx context.Context, d *Downtime) error
	// DeleteDowntime removes a downtime and returns it as it was
	// (KindNotFound when none).
	DeleteDowntime(ctx context.Context, id string) (*Downtime, error)
}
