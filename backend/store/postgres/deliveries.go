package postgres

import (
	"context"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// The rest of the outbox's deliveries is shared (package sqlstore).

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
		o := ordered{d: &store.Delivery{}}
		if err := rows.Scan(append([]any{&o.seq}, sqlstore.DeliveryDest(o.d)...)...); err != nil {
			return nil, err
		}
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
		RETURNING d.seq, `+sqlstore.DeliveryColumns, now, nonNil(skip), limit, owner, leaseUntil))
	if err != nil {
		return nil, mapErr(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, mapErr(fmt.Errorf("committing: %w", err))
	}
	return out, nil
}

// nonNil makes a nil list an empty array: = ANY(NULL) is NULL, and NOT
// NULL would leave every row out.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
