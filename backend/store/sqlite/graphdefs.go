package sqlite

import (
	"context"
	"database/sql"

	"github.com/mkr-dev/mkr/backend/store"
)

// PutGraphDefs creates or replaces definitions by name, all or none.
func (s *Store) PutGraphDefs(ctx context.Context, defs []store.GraphDef) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now().Unix()
		for _, d := range defs {
			_, err := tx.ExecContext(ctx, `INSERT INTO graph_defs (name, display_name, unit, metrics, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, unit = excluded.unit,
				metrics = excluded.metrics, updated_at = excluded.updated_at`,
				d.Name, d.DisplayName, d.Unit, orDefault(d.Metrics, "[]"), now)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteGraphDef removes a definition; ErrNotFound when there is none.
func (s *Store) DeleteGraphDef(ctx context.Context, name string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM graph_defs WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("graph definition", name)
		}
		return nil
	})
}

// ListGraphDefs returns every definition by name.
func (s *Store) ListGraphDefs(ctx context.Context) ([]store.GraphDef, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT name, display_name, unit, metrics FROM graph_defs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.GraphDef
	for rows.Next() {
		var d store.GraphDef
		if err := rows.Scan(&d.Name, &d.DisplayName, &d.Unit, &d.Metrics); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

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
		s.series.forget(func(k store.SeriesKey) bool { return k.Kind != "service" || k.Owner != service })
	}
	return deleted, err
}
