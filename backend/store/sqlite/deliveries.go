package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/internal/sqlstore"
)

// The rest of the outbox's deliveries is shared (package sqlstore).

// ClaimDeliveries claims due pending deliveries for owner: SQLite's one
// writer reads and leases them in one transaction, so no two claimers
// ever see the same row free.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil int64, skip []string, limit int) ([]*store.Delivery, error) {
	var out []*store.Delivery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+sqlstore.DeliveryColumns+` FROM deliveries d JOIN alert_events e ON e.seq = d.event_seq
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

func scanDeliveries(rows *sql.Rows) ([]*store.Delivery, error) {
	defer rows.Close()
	var out []*store.Delivery
	for rows.Next() {
		d := &store.Delivery{}
		if err := rows.Scan(sqlstore.DeliveryDest(d)...); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// skipList encodes channel ids for json_each; never "null", whose one
// NULL row would make every NOT IN false.
func skipList(ids []string) string {
	if len(ids) == 0 {
		return "[]"
	}
	return jsonStrings(ids)
}
