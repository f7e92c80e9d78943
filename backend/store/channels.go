package store

import "context"

// Channel is a stored notification channel. The store keeps Body, the
// canonical wire JSON package channel produces (without suspendedAt),
// verbatim; SuspendedAt (epoch seconds, 0 when not suspended) is kept
// apart because delivery sets it and an update clears it.
type Channel struct {
	ID          string
	Type        string
	Name        string
	Body        []byte
	SuspendedAt int64
}

// ChannelStore keeps notification channels.
type ChannelStore interface {
	// CreateChannel stores c; the caller picks c.ID (NewID). With
	// addToDefault the channel also joins the default notification group,
	// in the same transaction.
	CreateChannel(ctx context.Context, c *Channel, addToDefault bool) error
	// GetChannel returns a channel by id (KindNotFound when none).
	GetChannel(ctx context.Context, id string) (*Channel, error)
	// ListChannels returns every channel in creation order.
	ListChannels(ctx context.Context) ([]*Channel, error)
	// UpdateChannel replaces the channel c.ID's definition and clears its
	// suspension (KindNotFound when none).
	UpdateChannel(ctx context.Context, c *Channel) error
	// DeleteChannel removes a channel (and its membership of groups) and
	// returns it as it was (KindNotFound when none).
	DeleteChannel(ctx context.Context, id string) (*Channel, error)
	// SuspendChannel sets a channel's SuspendedAt (delivery gave up on it).
	SuspendChannel(ctx context.Context, id string, at int64) error
}
