package sqlstore

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

// The notification outbox's deliveries. Claiming them stays in each
// engine (ClaimDeliveries): SQLite's one writer selects and leases in one
// transaction, PostgreSQL picks rows FOR UPDATE SKIP LOCKED so replicas
// claiming at once take different rows. Both read rows with
// DeliveryColumns and DeliveryDest.

// DeliveryColumns are a delivery's columns (table d) and its event's
// (table e), in the order DeliveryDest scans them.
const DeliveryColumns = `d.id, d.event_seq, d.channel_id, d.status, d.attempts, d.next_at, d.last_error, d.created_at, d.sent_at,
	e.seq, e.id, e.kind, e.payload, e.alert_id, e.monitor_id, e.host_id, e.status, e.prev_status, e.trigger, e.created_at, e.notify`

// DeliveryDest gives d an Event and returns the scan destinations of
// DeliveryColumns into d.
func DeliveryDest(d *store.Delivery) []any {
	e := &store.AlertEvent{}
	d.Event = e
	return []any{&d.ID, &d.EventSeq, &d.ChannelID, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &d.SentAt,
		&e.Seq, &e.ID, &e.Kind, &e.Payload, &e.AlertID, &e.MonitorID, &e.HostID, &e.Status, &e.PrevStatus, &e.Trigger, &e.CreatedAt, &e.Notify}
}

func scanDelivery(row Row) (*store.Delivery, error) {
	d := &store.Delivery{}
	return d, row.Scan(DeliveryDest(d)...)
}

// RoutingCursor returns the last routed outbox seq.
func (c Core) RoutingCursor(ctx context.Context) (int64, error) {
	var seq int64
	err := c.E.Reader().QueryRow(ctx, `SELECT seq FROM delivery_cursor WHERE id = 1`).Scan(&seq)
	return seq, err
}

// RouteEvents stores deliveries and moves the cursor, compare-and-set: of
// two dispatchers that read the same cursor, the second finds it moved
// (after PostgreSQL's retry) and stores nothing. The deliveries get their
// ID, status and creation time once committed.
func (c Core) RouteEvents(ctx context.Context, after, through int64, deliveries []*store.Delivery) error {
	now := c.Now().Unix()
	ids := make([]string, len(deliveries))
	for i := range deliveries {
		ids[i] = store.NewID()
	}
	err := c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE delivery_cursor SET seq = ? WHERE id = 1 AND seq = ?`, through, after)
		err = mustAffect(n, err, &store.Error{Kind: store.KindConflict, Resource: "routing cursor",
			Message: "the outbox was routed by another dispatcher"})
		if err != nil || len(deliveries) == 0 {
			return err
		}
		return insertDeliveries(ctx, q, ids, deliveries, now)
	})
	if err != nil {
		return err
	}
	for i, d := range deliveries {
		d.ID, d.Status, d.CreatedAt = ids[i], store.DeliveryPending, now
	}
	return nil
}

// insertDeliveries adds pending deliveries, skipping those already routed
// (event, channel). PostgreSQL takes them in one statement over arrays;
// SQLite, whose statements are local calls, one by one.
func insertDeliveries(ctx context.Context, q Q, ids []string, deliveries []*store.Delivery, now int64) error {
	if q.Dialect() == Postgres {
		seqs := make([]int64, len(deliveries))
		channels := make([]string, len(deliveries))
		nextAts := make([]int64, len(deliveries))
		for i, d := range deliveries {
			seqs[i], channels[i], nextAts[i] = d.EventSeq, d.ChannelID, d.NextAt
		}
		_, err := q.Exec(ctx, `INSERT INTO deliveries (id, event_seq, channel_id, status, next_at, created_at)
			SELECT id, event_seq, channel_id, ?, next_at, ?
			FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[])) AS d (id, event_seq, channel_id, next_at)
			ON CONFLICT (event_seq, channel_id) DO NOTHING`, store.DeliveryPending, now, ids, seqs, channels, nextAts)
		return err
	}
	for i, d := range deliveries {
		if _, err := q.Exec(ctx, `INSERT INTO deliveries (id, event_seq, channel_id, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_seq, channel_id) DO NOTHING`,
			ids[i], d.EventSeq, d.ChannelID, store.DeliveryPending, d.NextAt, now); err != nil {
			return err
		}
	}
	return nil
}

// NextDeliveryAt returns when the earliest pending delivery is due (its
// claim's expiry when it is claimed), ignoring the channels in skip.
func (c Core) NextDeliveryAt(ctx context.Context, skip []string) (int64, bool, error) {
	r := c.E.Reader()
	if skip == nil {
		skip = []string{} // PostgreSQL: = ANY(NULL) is NULL, and NOT NULL would leave every row out
	}
	in, args := r.Dialect().InStrings("channel_id", skip)
	later := "MAX(next_at, lease_until)" // SQLite's two-argument MAX is a scalar
	if r.Dialect() == Postgres {
		later = "GREATEST(next_at, lease_until)"
	}
	var at *int64
	err := r.QueryRow(ctx, `SELECT MIN(`+later+`) FROM deliveries
		WHERE status = 'pending' AND NOT (`+in+`)`, args...).Scan(&at)
	if err != nil || at == nil {
		return 0, false, err
	}
	return *at, true, nil
}

// FinishDelivery records an attempt's outcome if owner still holds the
// claim.
func (c Core) FinishDelivery(ctx context.Context, id, owner, status string, at, nextAt int64, errMsg string) error {
	failed := 0
	if errMsg != "" {
		failed = 1
	}
	sentAt := int64(0)
	if status == store.DeliverySent {
		sentAt = at
	}
	return c.E.WriteTx(ctx, func(q Q) error {
		n, err := q.Exec(ctx, `UPDATE deliveries SET status = ?, attempts = attempts + ?, next_at = ?, last_error = ?,
				sent_at = ?, lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ? AND status = 'pending'`, status, failed, nextAt, errMsg, sentAt, id, owner)
		return mustAffect(n, err, &store.Error{Kind: store.KindConflict, Resource: "delivery", ID: id,
			Message: "delivery " + id + " is not claimed by " + owner})
	})
}

// ListDeliveries returns deliveries oldest first, with their events.
func (c Core) ListDeliveries(ctx context.Context, limit int) ([]*store.Delivery, error) {
	return collect(scanDelivery)(c.E.Reader().Query(ctx, `SELECT `+DeliveryColumns+` FROM deliveries d
		JOIN alert_events e ON e.seq = d.event_seq ORDER BY d.seq LIMIT ?`, limit))
}
