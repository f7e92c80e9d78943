package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store/internal/idcache"
)

// DeleteServiceMetrics removes a service's series whose names match the
// graph (its metrics up to the last dot, with * and # wildcards).
func (s *Store) DeleteServiceMetrics(ctx context.Context, service string, match func(name string) bool) (int, error) {
	deleted := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name FROM series WHERE kind = 'service' AND owner = ?`, service)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			if match(name) {
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM points WHERE series_id = ?`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM series WHERE id = ?`, id); err != nil {
				return err
			}
		}
		deleted = len(ids)
		return nil
	})
	if err == nil && deleted > 0 {
		s.series.ForgetOwner(idcache.Owner{Kind: "service", Name: service})
	}
	return deleted, err
}
