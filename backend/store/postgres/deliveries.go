package postgres

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// RoutingCursor returns the last routed outbox seq.
func (s *Store) RoutingCursor(ctx context.Context) (int64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, `SELECT seq FROM delivery_cursor WHERE id = 1`).Scan(&seq)
	return seq, err
}

// RouteEvents stores deliveries and moves the cursor, compare-and-set:
// of two dispatchers that read the same cursor, the second finds it moved
// (after SERIALIZABLE's retry) and stores nothing.
func (s *Store) RouteEvents(ctx context.Context, after, through int64, deliveries []*store.Delivery) error {
	now := s.now().Unix()
	ids := make([]string, len(deliveries))
	seqs := make([]int64, len(deliveries))
	channels := make([]string, len(deliveries))
	nextAts := make([]int64, len(deliveries))
	for i, d := range deliveries {
		ids[i], seqs[i], channels[i], nextAts[i] = store.NewID(), d.EventSeq, d.ChannelID, d.NextAt
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE delivery_cursor SET seq = $1 WHERE id = 1 AND seq = $2`, through, after)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "routing cursor", Message: "the outbox was routed by another dispatcher"}
		}
		if len(deliveries) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO deliveries (id, event_seq, channel_id, status, next_at, created_at)
			SELECT id, event_seq, channel_id, $5, next_at, $6
			FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) AS d (id, event_seq, channel_id, next_at)
			ON CONFLICT (event_seq, channel_id) DO NOTHING`, ids, seqs, channels, nextAts, store.DeliveryPending, now)
		return err
	})
	if err != nil {
		return err
	}
	for i, d := range deliveries {
		d.ID, d.Status, d.CreatedAt = ids[i], store.DeliveryPending, now
	}
	return nil
}

// NextDeliveryAt returns when the earliest pending delivery is due (its
// claim's expiry when it is claimed), ignoring the channels in skip.
func (s *Store) NextDeliveryAt(ctx context.Context, skip []string) (int64, bool, error) {
	var at *int64
	err := s.pool.QueryRow(ctx, `SELECT MIN(GREATEST(next_at, lease_until)) FROM deliveries
		WHERE status = 'pending' AND NOT (channel_id = ANY($1))`, nonNil(skip)).Scan(&at)
	if err != nil || at == nil {
		return 0, false, err
	}
	return *at, true, nil
}

const deliveryColumns = `d.seq, d.id, d.event_seq, d.channel_id, d.status, d.attempts, d.next_at, d.last_error, d.created_at, d.sent_at,
	e.seq, e.id, e.kind, e.payload, e.alert_id, e.monitor_id, e.host_id, e.status, e.prev_status, e.trigger, e.created_at, e.notify`

// collectDeliveries reads deliveries with their events and returns them
// in seq order (RETURNING gives no order of its own).
func collectDeliveries(rows pgx.Rows, err error) ([]*store.Delivery, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type ordered struct {
		seq int64
		d   *store.Delivery
	}
	var list []ordered
	for rows.Next() {
		var o ordered
		var d store.Delivery
		var e store.AlertEvent
		if err := rows.Scan(&o.seq, &d.ID, &d.EventSeq, &d.ChannelID, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &d.SentAt,
			&e.Seq, &e.ID, &e.Kind, &e.Payload, &e.AlertID, &e.MonitorID, &e.HostID, &e.Status, &e.PrevStatus, &e.Trigger, &e.CreatedAt, &e.Notify); err != nil {
			return nil, err
		}
		d.Event = &e
		o.d = &d
		list = append(list, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool { return list[i].seq < list[j].seq })
	out := make([]*store.Delivery, len(list))
	for i, o := range list {
		out[i] = o.d
	}
	return out, nil
}

// ClaimDeliveries claims due pending deliveries for owner in one
// statement. The rows are picked FOR UPDATE SKIP LOCKED under READ
// COMMITTED: two replicas claiming at the same moment take different rows
// instead of waiting for, or failing on, each other, and a row another
// claimer has just leased is re-checked against its new lease and left
// out, so a delivery is never claimed twice.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil int64, skip []string, limit int) ([]*store.Delivery, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return nil, mapErr(fmt.Errorf("starting transaction: %w", err))
	}
	defer rollback(tx)
	out, err := collectDeliveries(tx.Query(ctx, `WITH due AS (
			SELECT seq FROM deliveries
			WHERE status = 'pending' AND next_at <= $1 AND lease_until <= $1 AND NOT (channel_id = ANY($2))
			ORDER BY seq LIMIT $3
			FOR UPDATE SKIP LOCKED
		)
		UPDATE deliveries d SET lease_owner = $4, lease_until = $5
		FROM due, alert_events e
		WHERE d.seq = due.seq AND e.seq = d.event_seq
		RETURNING `+deliveryColumns, now, nonNil(skip), limit, owner, leaseUntil))
	if err != nil {
		return nil, mapErr(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, mapErr(fmt.Errorf("committing: %w", err))
	}
	return out, nil
}

// FinishDelivery records an attempt's outcome if owner still holds the
// claim.
func (s *Store) FinishDelivery(ctx context.Context, id, owner, status string, at, nextAt int64, errMsg string) error {
	failed := 0
	if errMsg != "" {
		failed = 1
	}
	sentAt := int64(0)
	if status == store.DeliverySent {
		sentAt = at
	}
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE deliveries SET status = $1, attempts = attempts + $2, next_at = $3, last_error = $4,
				sent_at = $5, lease_owner = '', lease_until = 0
			WHERE id = $6 AND lease_owner = $7 AND status = 'pending'`, status, failed, nextAt, errMsg, sentAt, id, owner)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "delivery", ID: id, Message: "delivery " + id + " is not claimed by " + owner}
		}
		return nil
	})
}

// ListDeliveries returns deliveries oldest first, with their events.
func (s *Store) ListDeliveries(ctx context.Context, limit int) ([]*store.Delivery, error) {
	return collectDeliveries(s.pool.Query(ctx, `SELECT `+deliveryColumns+` FROM deliveries d JOIN alert_events e ON e.seq = d.event_seq
		ORDER BY d.seq LIMIT $1`, limit))
}

// nonNil makes a nil list an empty array: = ANY(NULL) is NULL, and NOT
// NULL would leave every row out.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
