package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store"
)

// RoutingCursor returns the last routed outbox seq.
func (s *Store) RoutingCursor(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read.QueryRowContext(ctx, `SELECT seq FROM delivery_cursor WHERE id = 1`).Scan(&seq)
	return seq, err
}

// RouteEvents stores deliveries and moves the cursor, compare-and-set.
func (s *Store) RouteEvents(ctx context.Context, after, through int64, deliveries []*store.Delivery) error {
	now := s.now().Unix()
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE delivery_cursor SET seq = ? WHERE id = 1 AND seq = ?`, through, after)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "routing cursor", Message: "the outbox was routed by another dispatcher"}
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO deliveries (id, event_seq, channel_id, status, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_seq, channel_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range deliveries {
			d.ID, d.Status, d.CreatedAt = store.NewID(), store.DeliveryPending, now
			if _, err := stmt.ExecContext(ctx, d.ID, d.EventSeq, d.ChannelID, d.Status, d.NextAt, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// NextDeliveryAt returns when the earliest pending delivery is due.
func (s *Store) NextDeliveryAt(ctx context.Context, skip []string) (int64, bool, error) {
	var at sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT MIN(MAX(next_at, lease_until)) FROM deliveries
		WHERE status = 'pending' AND channel_id NOT IN (SELECT value FROM json_each(?))`, skipList(skip)).Scan(&at)
	return at.Int64, at.Valid, err
}

const deliveryColumns = `d.id, d.event_seq, d.channel_id, d.status, d.attempts, d.next_at, d.last_error, d.created_at, d.sent_at,
	e.seq, e.id, e.kind, e.payload, e.alert_id, e.monitor_id, e.host_id, e.status, e.prev_status, e.trigger, e.created_at, e.notify`

func scanDelivery(row interface{ Scan(...any) error }) (*store.Delivery, error) {
	var d store.Delivery
	var e store.AlertEvent
	if err := row.Scan(&d.ID, &d.EventSeq, &d.ChannelID, &d.Status, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &d.SentAt,
		&e.Seq, &e.ID, &e.Kind, &e.Payload, &e.AlertID, &e.MonitorID, &e.HostID, &e.Status, &e.PrevStatus, &e.Trigger, &e.CreatedAt, &e.Notify); err != nil {
		return nil, err
	}
	d.Event = &e
	return &d, nil
}

func scanDeliveries(rows *sql.Rows) ([]*store.Delivery, error) {
	defer rows.Close()
	var out []*store.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimDeliveries claims due pending deliveries for owner.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil int64, skip []string, limit int) ([]*store.Delivery, error) {
	var out []*store.Delivery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries d JOIN alert_events e ON e.seq = d.event_seq
			WHERE d.status = 'pending' AND d.next_at <= ? AND d.lease_until <= ?
				AND d.channel_id NOT IN (SELECT value FROM json_each(?))
			ORDER BY d.seq LIMIT ?`, now, now, skipList(skip), limit)
		if err != nil {
			return err
		}
		if out, err = scanDeliveries(rows); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range out {
			if _, err := stmt.ExecContext(ctx, owner, leaseUntil, d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
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
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = ?, attempts = attempts + ?, next_at = ?, last_error = ?,
				sent_at = ?, lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ? AND status = 'pending'`, status, failed, nextAt, errMsg, sentAt, id, owner)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &store.Error{Kind: store.KindConflict, Resource: "delivery", ID: id, Message: "delivery " + id + " is not claimed by " + owner}
		}
		return nil
	})
}

// ListDeliveries returns deliveries oldest first.
func (s *Store) ListDeliveries(ctx context.Context, limit int) ([]*store.Delivery, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries d JOIN alert_events e ON e.seq = d.event_seq
		ORDER BY d.seq LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	return scanDeliveries(rows)
}

// skipList encodes channel ids for json_each; never "null", whose one
// NULL row would make every NOT IN false.
func skipList(ids []string) string {
	if len(ids) == 0 {
		return "[]"
	}
	return jsonStrings(ids)
}
