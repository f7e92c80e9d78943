package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
)

// PutGraphDefs creates or replaces definitions by name, all or none.
func (s *Store) PutGraphDefs(ctx context.Context, defs []store.GraphDef) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		now := s.now().Unix()
		for _, d := range defs {
			_, err := tx.Exec(ctx, `INSERT INTO graph_defs (name, display_name, unit, metrics, updated_at) VALUES ($1, $2, $3, $4, $5)
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
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM graph_defs WHERE name = $1`, name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.NotFound("graph definition", name)
		}
		return nil
	})
}

// ListGraphDefs returns every definition by name.
func (s *Store) ListGraphDefs(ctx context.Context) ([]store.GraphDef, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, display_name, unit, metrics FROM graph_defs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[store.GraphDef])
}
