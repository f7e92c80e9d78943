package store

import "context"

// Delivery states.
const (
	DeliveryPending = "pending" // to be sent (now or at NextAt)
	DeliverySent    = "sent"    // the receiver accepted it
	DeliveryFailed  = "failed"  // every attempt failed; not tried again
)

// Delivery is one notification of one outbox event to one channel. The
// rules of routing, retrying and giving up are package notify's: the
// store keeps the rows and makes claiming them safe between processes.
type Delivery struct {
	// ID is stable across attempts: receivers de-duplicate on it.
	ID        string
	EventSeq  int64
	ChannelID string
	Status    string
	// Attempts counts the failed attempts so far.
	Attempts int
	// NextAt is when a pending delivery is due (epoch seconds).
	NextAt    int64
	LastError string
	CreatedAt int64
	SentAt    int64
	// Event is the outbox event, filled in by ClaimDeliveries.
	Event *AlertEvent
}

// DeliveryStore keeps notification deliveries (package notify): a routing
// cursor over the outbox, the delivery rows it creates, and short claims
// (leases) so that two dispatchers on one database — `mkr serve` and a
// local command — never send one delivery at the same time.
type DeliveryStore interface {
	// RoutingCursor returns the Seq of the last outbox event routed (0
	// before any).
	RoutingCursor(ctx context.Context) (int64, error)
	// RouteEvents stores deliveries (pending, due at their NextAt; the
	// store sets ID and CreatedAt) and moves the routing cursor from
	// after to through, in one transaction. When the cursor is no longer
	// after — another dispatcher routed those events first — it returns a
	// KindConflict error and stores nothing, so no event is routed twice.
	RouteEvents(ctx context.Context, after, through int64, deliveries []*Delivery) error
	// NextDeliveryAt returns when the earliest pending delivery is due
	// (epoch seconds; its claim expiry if it is claimed), ignoring the
	// channels in skip; ok is false when nothing is pending. A read: a
	// dispatcher asks it before taking the write lock to claim.
	NextDeliveryAt(ctx context.Context, skip []string) (at int64, ok bool, err error)
	// ClaimDeliveries claims for owner up to limit pending deliveries due
	// at now and not claimed by anyone else (or whose claim expired),
	// oldest first, skipping the channels in skip, until leaseUntil; it
	// returns them with their Event.
	ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil int64, skip []string, limit int) ([]*Delivery, error)
	// FinishDelivery records the outcome of an attempt by the owner of a
	// claim and releases it: status DeliverySent (SentAt = at),
	// DeliveryFailed, or DeliveryPending again at nextAt (a retry); a
	// failure (errMsg != "") counts one more attempt. KindConflict when
	// owner no longer holds the claim (it expired and was taken): the
	// caller then records nothing.
	FinishDelivery(ctx context.Context, id, owner, status string, at, nextAt int64, errMsg string) error
	// ListDeliveries returns up to limit deliveries, oldest first, with
	// their Event: for tests and inspection.
	ListDeliveries(ctx context.Context, limit int) ([]*Delivery, error)
}
